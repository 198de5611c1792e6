"""A new incident's row: its reference ("SV-2026-0001") taken in the school's time zone, its
facts checked, and where it came from (by hand, an alert, a reviewer's bookmark)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from camwarden.errors import Conflict
from camwarden.governance._incident_checks import set_facts
from camwarden.governance._incident_kinds import IncidentStatus, SourceKind
from camwarden.governance.tracking import next_reference
from camwarden.storage.models import Incident

REFERENCE_PREFIX = "SV"  # sự việc
# From an alert: the minute before shows the scene as it was; the minutes after, what followed.
ALERT_CLIP_BEFORE = timedelta(minutes=1)
ALERT_CLIP_AFTER = timedelta(minutes=4)


def alert_clip(raised_at: datetime) -> tuple[datetime, datetime]:
    """The stretch of an alert's camera that becomes the incident's first clip."""
    return raised_at - ALERT_CLIP_BEFORE, raised_at + ALERT_CLIP_AFTER


def insert_incident(
    session: Session,
    *,
    opened_by: str,
    title: str,
    description: str,
    occurred_at: datetime,
    location: str,
    source: tuple[SourceKind, int | None],
    now: datetime,
    timezone: ZoneInfo,
) -> Incident:
    """The incident added and flushed under the next reference of the year."""
    incident = Incident(
        reference=next_reference(
            session, Incident.reference, REFERENCE_PREFIX, now.astimezone(timezone)
        ),
        source_kind=source[0].value,
        source_id=source[1],
        status=IncidentStatus.OPEN.value,
        opened_by=opened_by[:64],
        opened_at=now,
    )
    set_facts(
        incident,
        title=title,
        description=description,
        occurred_at=occurred_at,
        location=location,
        now=now,
    )
    try:
        with session.begin_nested():
            session.add(incident)
            session.flush()
    except IntegrityError:
        # Two incidents opened at the same instant took the same number.
        raise Conflict(
            "Another incident took the same number at the same moment; try again."
        ) from None
    return incident
