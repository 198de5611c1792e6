"""The two retention passes (age, disk pressure) and their crash-safe deletion."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from camwarden.analysis.snapshots import snapshots_dir
from camwarden.clock import Clock
from camwarden.governance.audit import AuditLog
from camwarden.governance.reviews import reviewed_until
from camwarden.retention._activity import forget_old_activity
from camwarden.retention._candidates import (
    _active_holds,
    _batches,
    _Candidate,
    _candidate,
    _candidate_columns,
    _hold_placement_waits,
    _unheld,
)
from camwarden.retention._disk_full import close_disk_full, open_disk_full
from camwarden.retention._files import _fsync_dir, _remove_if_empty, _shutil_disk_usage
from camwarden.retention._snapshots import forget_old_snapshots, remove_files
from camwarden.retention.report import CameraDeletions, DiskUsage, Reason, RetentionReport
from camwarden.storage.database import Database
from camwarden.storage.models import Camera, Segment
from camwarden.storage.recordings import RecordingIndex, SegmentStatus

if TYPE_CHECKING:
    from camwarden.installation import Installation

log = logging.getLogger(__name__)

AUDIT_ACTION = "footage.retention_delete"
GB = 1_000_000_000
# Rows read at a time when looking for the oldest footage across all cameras.
_SCAN_PAGE = 1000
# At most this many segments per pass and run: a first run over a long backlog is spread
# over several runs, so no transaction holds SQLite's write lock long enough to make a
# recorder's index update wait (busy_timeout is 5 s). 5,000 one-minute segments are 3.5
# camera-days; a run marks and deletes them in well under a second of database time.
MAX_SEGMENTS_PER_RUN = 5000
_DELETABLE = (SegmentStatus.COMPLETE, SegmentStatus.RECOVERED)


class RetentionService:
    def __init__(
        self,
        database: Database,
        recordings_dir: Path,
        clock: Clock,
        audit: AuditLog,
        *,
        free_margin_gb: float,
        check_seconds: float = 60.0,
        disk_usage: Callable[[Path], DiskUsage] | None = None,
        snapshots_dir: Path | None = None,
    ) -> None:
        self._database = database
        self._dir = recordings_dir
        self._clock = clock
        self._audit = audit
        self._index = RecordingIndex(database)
        self.margin_bytes = round(free_margin_gb * GB)
        self.check_seconds = check_seconds
        self._disk_usage = disk_usage or _shutil_disk_usage
        self._snapshots_dir = snapshots_dir

    @classmethod
    def for_installation(cls, installation: Installation) -> RetentionService:
        settings = installation.settings
        return cls(
            installation.database,
            settings.recordings_dir,
            installation.clock,
            installation.audit,
            free_margin_gb=settings.free_margin_gb,
            check_seconds=settings.retention_check_seconds,
            snapshots_dir=snapshots_dir(settings.data_dir),
        )

    def reviewed_until(self) -> datetime | None:
        """Footage ending after this instant has no closed review yet: never deleted (R-5.2)."""
        with self._database.reading() as session:
            return reviewed_until(session)

    # -- the two passes --------------------------------------------------------------------

    def apply_age_limits(self, *, actor_name: str = "system") -> RetentionReport:
        """Delete what is older than each camera's retention, except protected footage."""
        report = RetentionReport(reason=Reason.AGE)
        try:
            now = self._clock.now()
            # Chosen while only reading, so that SQLite's write lock (which the recorders
            # wait for) is held just for the marking below.
            with self._database.reading() as session:
                holds = _active_holds(session)
                covered = reviewed_until(session)
                chosen: list[_Candidate] = []
                cameras = session.execute(
                    select(Camera.id, Camera.retention_days).order_by(Camera.id)
                ).all()
                for camera_id, retention_days in cameras:
                    room = MAX_SEGMENTS_PER_RUN - len(chosen)
                    if room <= 0 or covered is None:
                        break
                    # Past the camera's retention and covered by a closed review, both.
                    ended_by = min(now - timedelta(days=retention_days), covered)
                    chosen += _unheld(self._deletable(session, camera_id, ended_by, room), holds)
            affected = {c.camera_id for c in chosen}
            stale_snapshots: list[str] = []
            with self._database.transaction() as session:
                retained = [(camera_id, days) for camera_id, days in cameras]
                forget_old_activity(
                    session, self._audit, retained, now, covered, actor_name=actor_name
                )
                if self._snapshots_dir is not None:
                    stale_snapshots = forget_old_snapshots(
                        session,
                        self._audit,
                        retained,
                        holds,
                        now,
                        covered,
                        actor_name=actor_name,
                    )
                chosen = self._mark(
                    session,
                    chosen,
                    report,
                    actor_name=actor_name,
                    # The rule applied, beside what it took, so the Board can check one
                    # against the other.
                    extra={
                        "retention_days": {
                            str(camera_id): days
                            for camera_id, days in cameras
                            if camera_id in affected
                        }
                    },
                )
            if self._snapshots_dir is not None:
                remove_files(self._snapshots_dir, stale_snapshots)
            self._finish(chosen, report)
        except Exception as exc:  # retention must never take the recorder down with it
            log.exception("retention by age failed")
            report.error = str(exc) or type(exc).__name__
        return report

    def relieve_disk_pressure(self, *, actor_name: str = "system") -> RetentionReport:
        """Under the free margin: delete the oldest unprotected footage until it is back."""
        report = RetentionReport(reason=Reason.DISK_PRESSURE, margin_bytes=self.margin_bytes)
        try:
            self._dir.mkdir(parents=True, exist_ok=True)
            usage = self._disk_usage(self._dir)
            report.free_bytes_before = report.free_bytes_after = usage.free
            if self.margin_bytes >= usage.total:
                log.warning(
                    "free_margin_gb (%d bytes) is not below the recordings filesystem's size "
                    "(%d bytes): every unprotected segment will be deleted",
                    self.margin_bytes,
                    usage.total,
                )
            if usage.free >= self.margin_bytes:
                close_disk_full(self._database, self._clock)
                return report
            need = self.margin_bytes - usage.free
            with self._database.reading() as session:
                chosen, exhausted = self._oldest_unprotected(session, need)
            with self._database.transaction() as session:
                chosen = self._mark(
                    session,
                    chosen,
                    report,
                    actor_name=actor_name,
                    extra={"free_bytes": usage.free, "margin_bytes": self.margin_bytes},
                )
            self._finish(chosen, report)
            report.free_bytes_after = self._disk_usage(self._dir).free
            if report.free_bytes_after >= self.margin_bytes:
                close_disk_full(self._database, self._clock)
            elif exhausted:
                # Everything left is protected: say so where the health list shows it.
                report.disk_full = True
                open_disk_full(
                    self._database,
                    self._index,
                    self._clock,
                    self.margin_bytes,
                    report.free_bytes_after,
                )
            # Otherwise recorders filled the disk again while this run freed it: the next
            # run, `retention_check_seconds` later, goes on from the oldest that is left.
        except Exception as exc:  # never raise: the recorder must keep what it can
            log.exception("retention under disk pressure failed")
            report.error = str(exc) or type(exc).__name__
        return report

    def run_once(self, *, actor_name: str = "system") -> tuple[RetentionReport, RetentionReport]:
        """Both passes: by age first (it usually frees enough), then by pressure."""
        return (
            self.apply_age_limits(actor_name=actor_name),
            self.relieve_disk_pressure(actor_name=actor_name),
        )

    def run_forever(self, stop_event: threading.Event) -> None:
        """Run both passes now and every `check_seconds` until `stop_event` is set."""
        while True:
            try:
                self.run_once()
            except Exception:  # the passes catch their own; this is the last guard
                log.exception("retention run failed; trying again in %s s", self.check_seconds)
            if stop_event.wait(self.check_seconds):
                return

    # -- choosing ---------------------------------------------------------------------------

    def _deletable(
        self, session: Session, camera_id: int, ended_by: datetime, limit: int
    ) -> list[_Candidate]:
        """The camera's finished segments that ended by `ended_by`, oldest first."""
        rows = session.execute(
            _candidate_columns()
            .where(
                Segment.camera_id == camera_id,
                # Implied by the end bound, but it keeps the scan of the (camera, start)
                # index to the old rows instead of every row of the camera.
                Segment.start_at <= ended_by,
                Segment.end_at <= ended_by,
                Segment.status.in_(_DELETABLE),
            )
            .order_by(Segment.start_at, Segment.id)
            .limit(limit)
        ).all()
        return [_candidate(row) for row in rows]

    def _oldest_unprotected(self, session: Session, need: int) -> tuple[list[_Candidate], bool]:
        """The oldest deletable segments across cameras whose sizes add up to `need`;
        True when that took everything deletable (nothing more could be freed)."""
        holds = _active_holds(session)
        chosen: list[_Candidate] = []
        total = 0
        after: tuple[datetime, int] | None = None
        ended_by = reviewed_until(session)
        if ended_by is None:
            return chosen, True  # no review closed yet: nothing may go
        while total < need and len(chosen) < MAX_SEGMENTS_PER_RUN:
            query = _candidate_columns().where(
                Segment.status.in_(_DELETABLE), Segment.end_at <= ended_by
            )
            if after is not None:
                query = query.where(
                    (Segment.start_at > after[0])
                    | ((Segment.start_at == after[0]) & (Segment.id > after[1]))
                )
            page = [
                _candidate(row)
                for row in session.execute(
                    query.order_by(Segment.start_at, Segment.id).limit(_SCAN_PAGE)
                ).all()
            ]
            if not page:
                return chosen, True
            after = (page[-1].start_at, page[-1].id)
            for candidate in _unheld(page, holds):
                chosen.append(candidate)
                total += candidate.bytes
                if total >= need or len(chosen) >= MAX_SEGMENTS_PER_RUN:
                    break
        return chosen, False

    # -- deleting ---------------------------------------------------------------------------

    def _mark(
        self,
        session: Session,
        chosen: Sequence[_Candidate],
        report: RetentionReport,
        *,
        actor_name: str,
        extra: dict[str, Any] | None = None,
    ) -> list[_Candidate]:
        """Mark the rows `deleting` and write the run's one audit entry, in one transaction.

        Holds are read again here, under the lock that makes hold placement wait: one placed
        since the choice was made still saves its footage.
        """
        if not chosen:
            return []
        _hold_placement_waits(session)
        chosen = _unheld(chosen, _active_holds(session))
        by_id = {c.id: c for c in chosen}
        marked: set[int] = set()
        for batch in _batches(list(by_id)):
            # Only rows still finished: another run (the CLI beside the server's worker) may
            # have taken some; RETURNING says which are ours.
            marked.update(
                session.scalars(
                    update(Segment)
                    .where(Segment.id.in_(batch), Segment.status.in_(_DELETABLE))
                    .values(status=SegmentStatus.DELETING)
                    .returning(Segment.id)
                    .execution_options(synchronize_session=False)
                )
            )
        mine = [c for c in chosen if c.id in marked]
        for candidate in mine:
            report.deleted.setdefault(candidate.camera_id, CameraDeletions()).add(
                candidate.start_at, candidate.end_at, candidate.bytes
            )
        if mine:
            self._audit.record(
                session,
                None,
                AUDIT_ACTION,
                target_type="recordings",
                actor_name=actor_name,
                details={
                    "reason": report.reason.value,
                    "segments": report.segments,
                    "bytes_freed": report.bytes_freed,
                    "cameras": {
                        str(camera_id): {
                            "segments": d.segments,
                            "bytes": d.bytes,
                            "from": _iso(d.first_start),
                            "until": _iso(d.last_end),
                        }
                        for camera_id, d in sorted(report.deleted.items())
                    },
                    **(extra or {}),
                },
            )
        return mine

    def _finish(self, marked: Sequence[_Candidate], report: RetentionReport) -> None:
        """Unlink the marked files, sync their folders, then drop the rows."""
        if not marked:
            return
        kept: list[_Candidate] = []
        folders: set[Path] = set()
        for candidate in marked:
            path = self._dir / candidate.path
            try:
                path.unlink()
            except FileNotFoundError:
                pass  # already gone (a crash after unlink, or removed by hand): still done
            except OSError as exc:
                log.error("retention could not delete %s, keeping it: %s", candidate.path, exc)
                kept.append(candidate)
                continue
            folders.add(path.parent)
            log.info(
                "retention (%s) deleted camera %d segment %s, %d bytes, %s to %s",
                report.reason.value,
                candidate.camera_id,
                candidate.path,
                candidate.bytes,
                _iso(candidate.start_at),
                _iso(candidate.end_at),
            )
        # The unlinks must be on disk before the rows go: else a power cut could bring back
        # files the index no longer knows (fsck would index them again as recovered).
        for folder in folders:
            _fsync_dir(folder)
        kept_ids = {c.id for c in kept}
        with self._database.transaction() as session:
            for batch in _batches([c.id for c in marked if c.id not in kept_ids]):
                session.execute(delete(Segment).where(Segment.id.in_(batch)))
            for candidate in kept:
                session.execute(
                    update(Segment)
                    .where(Segment.id == candidate.id)
                    .values(status=candidate.status)
                )
        for candidate in kept:
            report.failed.append(candidate.path)
            found = report.deleted.get(candidate.camera_id)
            if found is not None:
                found.segments -= 1
                found.bytes -= candidate.bytes
                if found.segments == 0:
                    del report.deleted[candidate.camera_id]
        for folder in folders:
            _remove_if_empty(folder, self._dir)
        log.log(
            logging.WARNING if report.reason is Reason.DISK_PRESSURE else logging.INFO,
            "retention (%s): %d segments deleted, %d bytes freed",
            report.reason.value,
            report.segments,
            report.bytes_freed,
        )

    # -- the disk_full event ---------------------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
