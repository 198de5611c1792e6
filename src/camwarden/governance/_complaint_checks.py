"""The rules a complaint's inputs meet: texts named as the person sees them on the form, a
contact that is an e-mail address or a phone number, the kind, the footage named, and the
account it is given to. Each check returns the cleaned value or raises InvalidInput; nothing is
changed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from camwarden.errors import InvalidInput
from camwarden.governance._complaint_kinds import KIND_LABELS, FootageRange
from camwarden.governance._complaint_mail import is_email
from camwarden.governance._complaint_reading import handler_roles
from camwarden.governance.fields import field_label
from camwarden.storage.lookup import get_by_id
from camwarden.storage.models import Camera, User

MAX_FOOTAGE_RANGES = 5
MAX_FOOTAGE_SPAN = timedelta(hours=24)
MAX_LONG_TEXT = 10000
MAX_SHORT_TEXT = 200
_PHONE = re.compile(r"^\+?[0-9 .\-()]{8,20}$")
# The complaint's inputs keep their short names in the API; their labels are the form's.
_LABEL_KEYS = {
    "name": "complainant_name",
    "description": "complaint_description",
    "body": "message_body",
    "decision": "complaint_decision",
}


def text(value: str, field: str, *, limit: int, required: bool = True) -> str:
    """The text cleaned, or an error naming the field as the person sees it on the form."""
    cleaned = value.strip()
    label = field_label(_LABEL_KEYS.get(field, field))
    if required and not cleaned:
        raise InvalidInput("The field '{label}' must not be empty.", field=field, label=label)
    if len(cleaned) > limit:
        raise InvalidInput(
            "The field '{label}' is too long: {length} characters, at most {max_length} allowed.",
            field=field,
            label=label,
            length=len(cleaned),
            max_length=limit,
        )
    if any(ord(c) < 32 and c not in "\n\r\t" for c in cleaned):
        raise InvalidInput(
            "The field '{label}' contains control characters.", field=field, label=label
        )
    return cleaned


def long_text(value: str, field: str) -> str:
    """A description, a message or a decision's reasons."""
    return text(value, field, limit=MAX_LONG_TEXT)


def contact(value: str) -> str:
    cleaned = text(value, "contact", limit=MAX_SHORT_TEXT)
    if not is_email(cleaned) and not _PHONE.match(cleaned):
        raise InvalidInput(
            "'{value}' is neither an e-mail address nor a phone number.",
            field="contact",
            value=cleaned,
        )
    return cleaned


def kind(value: str) -> str:
    if value not in KIND_LABELS:
        raise InvalidInput("'{value}' is not a kind of complaint.", field="kind", value=value)
    return value


def footage(session: Session, named: Sequence[FootageRange], now: datetime) -> list[FootageRange]:
    """At most a few pieces, each of an existing camera, already begun, at most a day long."""
    if len(named) > MAX_FOOTAGE_RANGES:
        raise InvalidInput(
            "At most {limit} pieces of footage can be named.",
            field="footage",
            limit=MAX_FOOTAGE_RANGES,
        )
    for piece in named:
        if get_by_id(session, Camera, piece.camera_id) is None:
            raise InvalidInput("Camera {id} does not exist.", field="footage", id=piece.camera_id)
        if piece.end_at <= piece.start_at:
            raise InvalidInput("The footage named must end after it starts.", field="footage")
        if piece.end_at - piece.start_at > MAX_FOOTAGE_SPAN:
            raise InvalidInput(
                "A piece of footage named may cover at most {hours} hours.",
                field="footage",
                hours=int(MAX_FOOTAGE_SPAN.total_seconds() // 3600),
            )
        if piece.start_at > now:
            raise InvalidInput("The footage named cannot start in the future.", field="footage")
    return list(named)


def assignee(session: Session, user_id: int) -> User:
    """An active account whose role may handle complaints."""
    found = get_by_id(session, User, user_id)
    if found is None or not found.is_active or found.role not in handler_roles():
        raise InvalidInput(
            "Account {id} cannot be given complaints: it must be active and allowed to "
            "handle them.",
            field="assignee_id",
            id=user_id,
        )
    return found
