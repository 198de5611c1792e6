"""The index of recorded footage and of camera health events.

The recorder writes through this; playback, retention and the timeline read through it.
Each call is its own short transaction, so a recorder killed at any moment leaves the index
at most one update behind the files (which `fsck` then repairs from the disk).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from camwarden.storage.database import Database
from camwarden.storage.models import CameraEvent, Segment

# Two segments closer than this are one continuous recording (a roll, not an outage).
CONTIGUITY = timedelta(seconds=1.5)


class SegmentStatus:
    RECORDING = "recording"
    COMPLETE = "complete"
    RECOVERED = "recovered"
    # Retention decided to delete it and committed that before touching the file; a row left
    # in this state by a crash is finished by fsck (file removed, then row).
    DELETING = "deleting"


class EventKind:
    VIDEO_LOSS = "video_loss"
    RECORDING_STOPPED = "recording_stopped"
    STORAGE_ERROR = "storage_error"
    # The recordings filesystem is under its free margin and everything left is protected
    # (held, or inside the review period): opened by retention, closed when space returns.
    DISK_FULL = "disk_full"


@dataclass(frozen=True)
class TimeRange:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Timeline:
    recorded: list[TimeRange]
    gaps: list[TimeRange]
    events: list[CameraEvent]


class RecordingIndex:
    def __init__(self, database: Database) -> None:
        self._database = database

    # -- segments --------------------------------------------------------------------------

    def begin_segment(self, camera_id: int, path: str, start_at: datetime) -> int:
        with self._database.transaction() as session:
            segment = Segment(
                camera_id=camera_id,
                path=path,
                start_at=start_at,
                end_at=start_at,
                bytes=0,
                frames=0,
                status=SegmentStatus.RECORDING,
            )
            session.add(segment)
            session.flush()
            return segment.id

    def extend_segment(
        self, segment_id: int, *, end_at: datetime, size: int, frames: int, final: bool = False
    ) -> None:
        values: dict[str, object] = {"end_at": end_at, "bytes": size, "frames": frames}
        if final:
            values["status"] = SegmentStatus.COMPLETE
        with self._database.transaction() as session:
            session.execute(update(Segment).where(Segment.id == segment_id).values(**values))

    def segments(
        self, camera_id: int, since: datetime | None = None, until: datetime | None = None
    ) -> Sequence[Segment]:
        """The camera's playable segments overlapping [since, until), oldest first.

        Segments retention is deleting are left out: their files may be gone any moment.
        """
        conditions = [
            Segment.camera_id == camera_id,
            Segment.status != SegmentStatus.DELETING,
        ]
        if since is not None:
            conditions.append(Segment.end_at > since)
        if until is not None:
            conditions.append(Segment.start_at < until)
        with self._database.reading() as session:
            return session.scalars(
                select(Segment).where(*conditions).order_by(Segment.start_at)
            ).all()

    # -- health events ---------------------------------------------------------------------

    def open_event(
        self,
        camera_id: int,
        kind: str,
        started_at: datetime,
        details: str = "",
        *,
        score: float | None = None,
        snapshot_before: str | None = None,
        snapshot_after: str | None = None,
    ) -> int:
        """A new open event; tamper events also carry a score and snapshot paths."""
        with self._database.transaction() as session:
            event = CameraEvent(
                camera_id=camera_id,
                kind=kind,
                started_at=started_at,
                ended_at=None,
                details=details,
                score=score,
                snapshot_before=snapshot_before,
                snapshot_after=snapshot_after,
            )
            session.add(event)
            session.flush()
            return event.id

    def close_event(self, event_id: int, ended_at: datetime) -> None:
        """Ends an open event; one already ended (by IT, say) keeps the end it has."""
        with self._database.transaction() as session:
            session.execute(
                update(CameraEvent)
                .where(CameraEvent.id == event_id, CameraEvent.ended_at.is_(None))
                .values(ended_at=ended_at)
            )

    def open_events(self, camera_id: int) -> Sequence[CameraEvent]:
        with self._database.reading() as session:
            return session.scalars(
                select(CameraEvent).where(
                    CameraEvent.camera_id == camera_id, CameraEvent.ended_at.is_(None)
                )
            ).all()

    def events(self, camera_id: int, since: datetime, until: datetime) -> Sequence[CameraEvent]:
        with self._database.reading() as session:
            return session.scalars(
                select(CameraEvent)
                .where(
                    CameraEvent.camera_id == camera_id,
                    CameraEvent.started_at < until,
                    (CameraEvent.ended_at.is_(None)) | (CameraEvent.ended_at > since),
                )
                .order_by(CameraEvent.started_at)
            ).all()

    # -- timeline --------------------------------------------------------------------------

    def timeline(self, camera_id: int, since: datetime, until: datetime) -> Timeline:
        """Recorded ranges (segments merged when contiguous), the gaps between, and events."""
        recorded: list[TimeRange] = []
        # Only the two columns: a day is 1,440 rows, and whole ORM objects cost 4x the time.
        with self._database.reading() as session:
            spans = session.execute(
                select(Segment.start_at, Segment.end_at)
                .where(
                    Segment.camera_id == camera_id,
                    Segment.status != SegmentStatus.DELETING,
                    Segment.end_at > since,
                    Segment.start_at < until,
                )
                .order_by(Segment.start_at)
            ).all()
        for segment_start, segment_end in spans:
            start, end = max(segment_start, since), min(segment_end, until)
            if recorded and start - recorded[-1].end <= CONTIGUITY:
                recorded[-1] = TimeRange(recorded[-1].start, max(recorded[-1].end, end))
            else:
                recorded.append(TimeRange(start, end))
        gaps: list[TimeRange] = []
        cursor = since
        for piece in recorded:
            if piece.start - cursor > CONTIGUITY:
                gaps.append(TimeRange(cursor, piece.start))
            cursor = max(cursor, piece.end)
        if until - cursor > CONTIGUITY:
            gaps.append(TimeRange(cursor, until))
        return Timeline(
            recorded=recorded, gaps=gaps, events=list(self.events(camera_id, since, until))
        )
