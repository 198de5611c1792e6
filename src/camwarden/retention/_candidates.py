"""Segments retention may consider, the holds that protect some of them, and the choice of
what a pass deletes: a camera's footage past its retention, or the oldest across cameras."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select, text
from sqlalchemy.orm import Session

from camwarden.governance.reviews import reviewed_until
from camwarden.storage.models import FootageHold, Segment
from camwarden.storage.recordings import SegmentStatus

# Ids per IN (…) list: far below SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
_ID_BATCH = 500
# Rows read at a time when looking for the oldest footage across all cameras.
_SCAN_PAGE = 1000
# At most this many segments per pass and run: a first run over a long backlog is spread
# over several runs, so no transaction holds SQLite's write lock long enough to make a
# recorder's index update wait (busy_timeout is 5 s). 5,000 one-minute segments are 3.5
# camera-days; a run marks and deletes them in well under a second of database time.
MAX_SEGMENTS_PER_RUN = 5000
DELETABLE = (SegmentStatus.COMPLETE, SegmentStatus.RECOVERED)


@dataclass(frozen=True)
class Candidate:
    id: int
    camera_id: int
    path: str
    start_at: datetime
    end_at: datetime
    bytes: int
    status: str


Ranges = dict[int, list[tuple[datetime, datetime]]]


def candidate_columns() -> Any:
    return select(
        Segment.id,
        Segment.camera_id,
        Segment.path,
        Segment.start_at,
        Segment.end_at,
        Segment.bytes,
        Segment.status,
    )


def candidate_of(row: Row[Any]) -> Candidate:
    return Candidate(
        id=row.id,
        camera_id=row.camera_id,
        path=row.path,
        start_at=row.start_at,
        end_at=row.end_at,
        bytes=row.bytes or 0,
        status=row.status,
    )


def hold_placement_waits(session: Session) -> None:
    """A hold placed while a run marks would be missed: make it wait for the run's commit.

    SQLite writers already queue (BEGIN IMMEDIATE). On PostgreSQL, SHARE mode lets holds be
    read but blocks new ones until this transaction commits; by then the chosen rows are
    `deleting`, and whoever places a hold must leave those out.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE footage_holds IN SHARE MODE"))


def active_holds(session: Session) -> Ranges:
    ranges: Ranges = {}
    rows = session.execute(
        select(FootageHold.camera_id, FootageHold.start_at, FootageHold.end_at).where(
            FootageHold.released_at.is_(None)
        )
    )
    for camera_id, start_at, end_at in rows:
        ranges.setdefault(camera_id, []).append((start_at, end_at))
    return ranges


def unheld(candidates: Iterable[Candidate], holds: Ranges) -> list[Candidate]:
    """Those no hold overlaps (the same test as holds.is_held: any overlap keeps the file)."""
    return [
        c
        for c in candidates
        if not any(
            start < c.end_at and end > c.start_at for start, end in holds.get(c.camera_id, ())
        )
    ]


def batches(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _ID_BATCH):
        yield ids[start : start + _ID_BATCH]


def deletable(session: Session, camera_id: int, ended_by: datetime, limit: int) -> list[Candidate]:
    """The camera's finished segments that ended by `ended_by`, oldest first."""
    rows = session.execute(
        candidate_columns()
        .where(
            Segment.camera_id == camera_id,
            # Implied by the end bound, but it keeps the scan of the (camera, start)
            # index to the old rows instead of every row of the camera.
            Segment.start_at <= ended_by,
            Segment.end_at <= ended_by,
            Segment.status.in_(DELETABLE),
        )
        .order_by(Segment.start_at, Segment.id)
        .limit(limit)
    ).all()
    return [candidate_of(row) for row in rows]


def oldest_unprotected(session: Session, need: int) -> tuple[list[Candidate], bool]:
    """The oldest deletable segments across cameras whose sizes add up to `need`;
    True when that took everything deletable (nothing more could be freed)."""
    holds = active_holds(session)
    chosen: list[Candidate] = []
    total = 0
    after: tuple[datetime, int] | None = None
    ended_by = reviewed_until(session)
    if ended_by is None:
        return chosen, True  # no review closed yet: nothing may go
    while total < need and len(chosen) < MAX_SEGMENTS_PER_RUN:
        query = candidate_columns().where(Segment.status.in_(DELETABLE), Segment.end_at <= ended_by)
        if after is not None:
            query = query.where(
                (Segment.start_at > after[0])
                | ((Segment.start_at == after[0]) & (Segment.id > after[1]))
            )
        page = [
            candidate_of(row)
            for row in session.execute(
                query.order_by(Segment.start_at, Segment.id).limit(_SCAN_PAGE)
            ).all()
        ]
        if not page:
            return chosen, True
        after = (page[-1].start_at, page[-1].id)
        for candidate in unheld(page, holds):
            chosen.append(candidate)
            total += candidate.bytes
            if total >= need or len(chosen) >= MAX_SEGMENTS_PER_RUN:
                break
    return chosen, False
