"""Small input checks shared by the governance services; each names the field and the limit."""

from __future__ import annotations

import re

from camwarden.errors import InvalidInput
from camwarden.governance.fields import field_label

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def required_text(value: str | None, *, field: str, max_length: int) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise InvalidInput(
            "The field '{label}' must not be empty.", field=field, label=field_label(field)
        )
    return bounded_text(cleaned, field=field, max_length=max_length)


def bounded_text(value: str | None, *, field: str, max_length: int) -> str:
    cleaned = (value or "").strip()
    if len(cleaned) > max_length:
        raise InvalidInput(
            "The field '{label}' is too long: {length} characters, at most {max_length} allowed.",
            field=field,
            label=field_label(field),
            length=len(cleaned),
            max_length=max_length,
        )
    if any(ord(c) < 32 and c not in "\n\t" for c in cleaned):
        raise InvalidInput(
            "The field '{label}' contains control characters.",
            field=field,
            label=field_label(field),
        )
    return cleaned


def optional_email(value: str | None) -> str | None:
    cleaned = (value or "").strip()
    if not cleaned:
        return None
    if len(cleaned) > 254 or not _EMAIL.match(cleaned):
        raise InvalidInput("'{value}' is not an e-mail address.", field="email", value=cleaned)
    return cleaned
