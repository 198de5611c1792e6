"""The rules an incident's inputs meet (times, lengths, clip spans, hand-overs), and the
facts of an incident or a clip as the audit log and the chain of custody write them down.
Each check returns the cleaned value or raises InvalidInput naming it; nothing is changed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from camwarden.errors import InvalidInput
from camwarden.governance._incident_kinds import Handover
from camwarden.governance._validation import bounded_text, required_text
from camwarden.storage.models import Incident, IncidentClip

MAX_CLIP = timedelta(hours=12)
MAX_TITLE = 200
MAX_TEXT = 10000
MAX_SHORT = 200
MAX_REASON = MAX_SHORT * 5


def aware(moment: datetime, *, field: str) -> datetime:
    if moment.tzinfo is None:
        raise InvalidInput(
            "The time {value} has no time zone offset.", field=field, value=moment.isoformat()
        )
    return moment


def past(moment: datetime, *, field: str, now: datetime) -> datetime:
    moment = aware(moment, field=field)
    if moment > now:
        raise InvalidInput(
            "The time {value} is in the future.", field=field, value=moment.isoformat()
        )
    return moment


def reason_text(reason: str) -> str:
    return required_text(reason, field="reason", max_length=MAX_REASON)


def set_facts(
    incident: Incident,
    *,
    title: str,
    description: str,
    occurred_at: datetime,
    location: str,
    now: datetime,
) -> None:
    """What happened, when and where: checked, then written on the incident."""
    incident.title = required_text(title, field="title", max_length=MAX_TITLE)
    incident.description = bounded_text(description, field="description", max_length=MAX_TEXT)
    incident.occurred_at = past(occurred_at, field="occurred_at", now=now)
    incident.location = bounded_text(location, field="location", max_length=MAX_SHORT)


def clip_span(start_at: datetime, end_at: datetime, *, now: datetime) -> tuple[datetime, datetime]:
    """A stretch of footage already recorded, ending after it starts, at most MAX_CLIP long."""
    start_at = past(start_at, field="start_at", now=now)
    end_at = aware(end_at, field="end_at")
    if end_at <= start_at:
        raise InvalidInput(
            "The clip must end after it starts ({start} to {end}).",
            field="end_at",
            start=start_at.isoformat(),
            end=end_at.isoformat(),
        )
    if end_at - start_at > MAX_CLIP:
        raise InvalidInput(
            "A clip is at most {hours} hours long; split a longer stretch into several.",
            field="end_at",
            hours=int(MAX_CLIP.total_seconds() // 3600),
        )
    return start_at, end_at


def handover_details(handover: Handover, *, now: datetime) -> dict[str, Any]:
    """The hand-over checked, as its custody link records it."""
    return {
        "recipient": required_text(handover.recipient, field="recipient", max_length=MAX_SHORT),
        "organisation": bounded_text(
            handover.organisation, field="organisation", max_length=MAX_SHORT
        ),
        "medium": required_text(handover.medium, field="medium", max_length=MAX_SHORT),
        "handed_at": past(handover.handed_at, field="handed_at", now=now).isoformat(),
        "note": bounded_text(handover.note, field="note", max_length=MAX_TEXT),
    }


def incident_facts(incident: Incident) -> dict[str, Any]:
    return {
        "reference": incident.reference,
        "title": incident.title,
        "description": incident.description,
        "occurred_at": incident.occurred_at.isoformat(),
        "location": incident.location,
    }


def clip_facts(clip: IncidentClip) -> dict[str, Any]:
    return {
        "clip_id": clip.id,
        "camera_id": clip.camera_id,
        "camera": clip.camera.name,
        "start": clip.start_at.isoformat(),
        "end": clip.end_at.isoformat(),
    }
