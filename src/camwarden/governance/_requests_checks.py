"""The checks on a footage request's input; each error names the field and the value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.errors import InvalidInput
from camwarden.governance._validation import bounded_text, required_text
from camwarden.governance.fields import field_label
from camwarden.storage.lookup import storable_ids
from camwarden.storage.models import Camera

ACCESS_KINDS = ("watch", "copy")
# A day of footage is what a request reasonably needs; longer asks are split or refused.
MAX_FOOTAGE_RANGE = timedelta(hours=24)
MAX_CAMERAS = 16
MIN_VALID_DAYS = 1
MAX_VALID_DAYS = 30


@dataclass(frozen=True)
class RequestDraft:
    """What a new request asks for, every field checked."""

    name: str
    contact: str
    organisation: str
    purpose: str
    access: str
    start: datetime
    end: datetime
    cameras: Sequence[Camera]


def checked_request(
    session: Session,
    *,
    name: str,
    contact: str,
    organisation: str,
    purpose: str,
    access: str,
    camera_ids: Sequence[int],
    footage_start: datetime,
    footage_end: datetime,
    now: datetime,
) -> RequestDraft:
    """Every field checked, always in this order: when several are wrong, the first is the one
    the error names."""
    name = required_text(name, field="requester_name", max_length=200)
    contact = required_text(contact, field="contact", max_length=200)
    organisation = bounded_text(organisation, field="organisation", max_length=200)
    purpose = required_text(purpose, field="purpose", max_length=4000)
    access = checked_access(access)
    start, end = checked_range(footage_start, footage_end, now=now)
    cameras = checked_cameras(session, camera_ids)
    return RequestDraft(name, contact, organisation, purpose, access, start, end, cameras)


def checked_access(access: str) -> str:
    if access not in ACCESS_KINDS:
        raise InvalidInput(
            "'{value}' is not a kind of access: choose watch or copy.", field="access", value=access
        )
    return access


def _instant(value: datetime, field: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(
            "The field '{label}' needs a date and time with its time zone.",
            field=field,
            label=field_label(field),
        )
    return value.astimezone(UTC)


def checked_range(start: datetime, end: datetime, *, now: datetime) -> tuple[datetime, datetime]:
    start = _instant(start, "footage_start")
    end = _instant(end, "footage_end")
    if end <= start:
        raise InvalidInput(
            "The footage must end after it starts ({start} to {end}).",
            field="footage_end",
            start=start.isoformat(),
            end=end.isoformat(),
        )
    if end > now:
        raise InvalidInput(
            "Footage can only be requested from the past: {value} has not happened yet.",
            field="footage_end",
            value=end.isoformat(),
        )
    if end - start > MAX_FOOTAGE_RANGE:
        raise InvalidInput(
            "A request may cover at most {hours} hours of footage; this one covers {value}.",
            field="footage_end",
            hours=int(MAX_FOOTAGE_RANGE.total_seconds() // 3600),
            value=str(end - start),
        )
    return start, end


def checked_cameras(session: Session, camera_ids: Sequence[int]) -> Sequence[Camera]:
    wanted = list(dict.fromkeys(camera_ids))
    if not wanted:
        raise InvalidInput("Choose at least one camera.", field="camera_ids")
    if len(wanted) > MAX_CAMERAS:
        raise InvalidInput(
            "A request may name at most {max} cameras; this one names {value}.",
            field="camera_ids",
            max=MAX_CAMERAS,
            value=len(wanted),
        )
    found = session.scalars(select(Camera).where(Camera.id.in_(storable_ids(wanted)))).all()
    missing = set(wanted) - {camera.id for camera in found}
    if missing:
        raise InvalidInput("Camera {value} does not exist.", field="camera_ids", value=min(missing))
    return sorted(found, key=lambda camera: camera.name)


def checked_valid_days(valid_days: int) -> int:
    if not MIN_VALID_DAYS <= valid_days <= MAX_VALID_DAYS:
        raise InvalidInput(
            "A grant lasts from {min} to {max} days, not {value}.",
            field="valid_days",
            min=MIN_VALID_DAYS,
            max=MAX_VALID_DAYS,
            value=valid_days,
        )
    return valid_days


def checked_reason(reason: str, *, required: bool) -> str:
    """The Board's reason: required to refuse or revoke, optional to approve."""
    check = required_text if required else bounded_text
    return check(reason, field="reason", max_length=2000)
