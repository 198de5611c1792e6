"""Segments retention may consider, and the holds that protect some of them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select, text
from sqlalchemy.orm import Session

from camwarden.storage.models import FootageHold, Segment

# Ids per IN (…) list: far below SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
_ID_BATCH = 500


@dataclass(frozen=True)
class _Candidate:
    id: int
    camera_id: int
    path: str
    start_at: datetime
    end_at: datetime
    bytes: int
    status: str


_Ranges = dict[int, list[tuple[datetime, datetime]]]


def _candidate_columns() -> Any:
    return select(
        Segment.id,
        Segment.camera_id,
        Segment.path,
        Segment.start_at,
        Segment.end_at,
        Segment.bytes,
        Segment.status,
    )


def _candidate(row: Row[Any]) -> _Candidate:
    return _Candidate(
        id=row.id,
        camera_id=row.camera_id,
        path=row.path,
        start_at=row.start_at,
        end_at=row.end_at,
        bytes=row.bytes or 0,
        status=row.status,
    )


def _hold_placement_waits(session: Session) -> None:
    """A hold placed while a run marks would be missed: make it wait for the run's commit.

    SQLite writers already queue (BEGIN IMMEDIATE). On PostgreSQL, SHARE mode lets holds be
    read but blocks new ones until this transaction commits; by then the chosen rows are
    `deleting`, and whoever places a hold must leave those out.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE footage_holds IN SHARE MODE"))


def _active_holds(session: Session) -> _Ranges:
    ranges: _Ranges = {}
    rows = session.execute(
        select(FootageHold.camera_id, FootageHold.start_at, FootageHold.end_at).where(
            FootageHold.released_at.is_(None)
        )
    )
    for camera_id, start_at, end_at in rows:
        ranges.setdefault(camera_id, []).append((start_at, end_at))
    return ranges


def _unheld(candidates: Iterable[_Candidate], holds: _Ranges) -> list[_Candidate]:
    """Those no hold overlaps (the same test as holds.is_held: any overlap keeps the file)."""
    return [
        c
        for c in candidates
        if not any(
            start < c.end_at and end > c.start_at for start, end in holds.get(c.camera_id, ())
        )
    ]


def _batches(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _ID_BATCH):
        yield ids[start : start + _ID_BATCH]
