"""A unit's check-off of a cycle: the unit named must be responsible for a camera (a zone's
`responsible_unit`), and it checks each cycle off once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.errors import Conflict, InvalidInput
from camwarden.governance._review_kinds import note_text
from camwarden.governance._review_reading import checks_of
from camwarden.storage.models import Camera, ReviewCycle, ReviewUnitCheck


def unit_cameras(session: Session, unit: str) -> list[Camera]:
    """The cameras of the zones the unit is responsible for; none is an error."""
    cameras = [c for c in session.scalars(select(Camera)) if c.zone.responsible_unit == unit]
    if not cameras:
        raise InvalidInput(
            "'{value}' is not a unit responsible for a camera.",
            field="responsible_unit",
            value=unit,
        )
    return cameras


def insert_check(
    session: Session,
    cycle: ReviewCycle,
    *,
    unit: str,
    note: str,
    reviewed_by: str,
    now: datetime,
) -> ReviewUnitCheck:
    """The check-off checked, added and flushed."""
    note = note_text(note)
    if unit in checks_of(session, cycle.id):
        raise Conflict("The unit '{value}' has already checked this review off.", value=unit)
    check = ReviewUnitCheck(
        cycle_id=cycle.id, unit=unit, reviewed_by=reviewed_by, reviewed_at=now, note=note
    )
    session.add(check)
    session.flush()
    return check
