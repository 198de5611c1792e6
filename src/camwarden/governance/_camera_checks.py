"""The rules a camera's register entry meets: its name (unique, whatever the case), its zone,
its sub-stream address, its position notes, its retention, and IT's analysis settings. Each
check returns the cleaned value or raises; nothing is changed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.analysis.mask import parse_mask
from camwarden.analysis.sensitivity import parse_sensitivity
from camwarden.errors import Conflict, InvalidInput
from camwarden.governance._camera_kinds import MAX_RETENTION_DAYS
from camwarden.governance._validation import bounded_text, required_text
from camwarden.governance.fields import field_label
from camwarden.governance.stream_urls import parse_stream_url
from camwarden.storage.lookup import get_by_id
from camwarden.storage.models import Camera, Zone


def check_retention_days(value: object, *, review_period_days: int) -> int:
    """Days of continuous footage a camera keeps: never fewer than the review period (R-5.2)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(
            "The field '{label}' must be a whole number of days.",
            field="retention_days",
            label=field_label("retention_days"),
        )
    if value < review_period_days:
        # Footage deleted before its review could see it would defeat Art. 5.
        raise InvalidInput(
            "Retention of {value} days is too short: footage must be kept at least {days} "
            "days, so that the review every {days} days (Art. 5) can see it.",
            field="retention_days",
            value=value,
            days=review_period_days,
        )
    if value > MAX_RETENTION_DAYS:
        raise InvalidInput(
            "Retention of {value} days is too long: at most {max_days} days.",
            field="retention_days",
            value=value,
            max_days=MAX_RETENTION_DAYS,
        )
    return value


def camera_name(name: str) -> str:
    return required_text(name, field="name", max_length=120)


def refuse_duplicate(session: Session, name: str) -> None:
    """Two cameras never share a name, whatever its case: people tell them apart by it."""
    if any(other.lower() == name.lower() for other in session.scalars(select(Camera.name))):
        raise Conflict("A camera named '{value}' already exists.", value=name)


def existing_zone(session: Session, zone_id: int) -> Zone:
    zone = get_by_id(session, Zone, zone_id)
    if zone is None:
        raise InvalidInput("Zone {value} does not exist.", field="zone_id", value=zone_id)
    return zone


def sub_stream_url(value: str | None) -> str | None:
    """The sub stream's address; empty (or absent) means the camera has none."""
    return parse_stream_url(value, field="sub_url").url if value and value.strip() else None


def position_notes_text(value: str) -> str:
    return bounded_text(value, field="position_notes", max_length=2000)


def analysis_settings(
    camera: Camera,
    *,
    analysis_mask: str | None,
    tamper_sensitivity: str | None,
    motion_sensitivity: str | None,
) -> tuple[str, str, str]:
    """The mask and the two sensitivities, each checked when given, else the camera's own:
    all are checked before any is changed."""
    mask = parse_mask(analysis_mask) if analysis_mask is not None else camera.analysis_mask
    tamper = (
        parse_sensitivity(tamper_sensitivity, field="tamper_sensitivity")
        if tamper_sensitivity is not None
        else camera.tamper_sensitivity
    )
    motion = (
        parse_sensitivity(motion_sensitivity, field="motion_sensitivity")
        if motion_sensitivity is not None
        else camera.motion_sensitivity
    )
    return mask, tamper, motion
