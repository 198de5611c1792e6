"""Reading cycles back: one by its id, the list, a cycle's page (the units asked to check it
off, its bookmarks and check-offs), and how far the signed-off cycles reach, which is what
retention may delete. No permission is asked here: the service asks first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.errors import NotFound
from camwarden.governance._review_kinds import CycleStatus
from camwarden.governance._review_summary import UnitSummary, summarise
from camwarden.governance.cameras import CameraState
from camwarden.storage.lookup import get_by_id
from camwarden.storage.models import Camera, ReviewBookmark, ReviewCycle, ReviewUnitCheck


@dataclass(frozen=True)
class CycleView:
    """A cycle with what its page shows."""

    cycle: ReviewCycle
    units: list[UnitSummary]
    bookmarks: list[ReviewBookmark]
    checks: dict[str, ReviewUnitCheck]

    @property
    def unchecked_units(self) -> list[str]:
        return [unit.unit for unit in self.units if unit.unit not in self.checks]


def find_cycle(session: Session, cycle_id: int) -> ReviewCycle:
    cycle = get_by_id(session, ReviewCycle, cycle_id)
    if cycle is None:
        raise NotFound("Review cycle {value} does not exist.", value=cycle_id)
    return cycle


def cycles_newest_first(session: Session) -> Sequence[ReviewCycle]:
    return session.scalars(select(ReviewCycle).order_by(ReviewCycle.period_start.desc())).all()


def bookmarks_of(session: Session, cycle_id: int) -> list[ReviewBookmark]:
    """Removed ones too, in the order of their footage."""
    return list(
        session.scalars(
            select(ReviewBookmark)
            .where(ReviewBookmark.cycle_id == cycle_id)
            .order_by(ReviewBookmark.start_at, ReviewBookmark.id)
        )
    )


def checks_of(session: Session, cycle_id: int) -> dict[str, ReviewUnitCheck]:
    """The check-offs by unit."""
    return {
        check.unit: check
        for check in session.scalars(
            select(ReviewUnitCheck).where(ReviewUnitCheck.cycle_id == cycle_id)
        )
    }


def cycle_view(
    session: Session,
    cycle: ReviewCycle,
    cameras: list[Camera],
    *,
    now: datetime,
    timezone: ZoneInfo,
) -> CycleView:
    """The cycle as someone who sees `cameras` reads it."""
    visible = {c.id for c in cameras}
    units = summarise(session, cameras, cycle.period_start, cycle.period_end, now, timezone)
    # A camera not in service that recorded nothing in the period (a draft, one taken
    # down before it) has nothing to review: its unit is not asked to check it off.
    in_service = {c.id for c in cameras if c.state == CameraState.IN_SERVICE}
    for unit in units:
        unit.cameras = [
            c for c in unit.cameras if c.camera_id in in_service or c.recorded_hours > 0
        ]
    units = [unit for unit in units if unit.cameras]
    return CycleView(
        cycle=cycle,
        units=units,
        bookmarks=[b for b in bookmarks_of(session, cycle.id) if b.camera_id in visible],
        checks=checks_of(session, cycle.id),
    )


def reviewed_until(session: Session) -> datetime | None:
    """The end of the run of closed cycles from the first: footage ending by then has had its
    review (footage older than the first cycle counts as covered by it). None: nothing yet."""
    covered: datetime | None = None
    for status, period_end in session.execute(
        select(ReviewCycle.status, ReviewCycle.period_end).order_by(ReviewCycle.period_start)
    ):
        if status != CycleStatus.CLOSED:
            break
        covered = period_end
    return covered
