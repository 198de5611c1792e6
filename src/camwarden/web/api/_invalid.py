"""A malformed request as a domain `InvalidInput`: one translatable message naming the field
by the same label the domain's own messages use.

Pydantic's own messages are English only; each error type it reports is mapped here to a
message id of the `api` catalogue. The input value is never repeated (it may be a password).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from camwarden.errors import InvalidInput
from camwarden.governance.fields import field_label
from camwarden.i18n import N_

_LOCATIONS = frozenset({"body", "query", "path", "header", "cookie"})

_WHOLE_NUMBER = N_("The field '{label}' must be a whole number.")
_TRUE_OR_FALSE = N_("The field '{label}' must be true or false.")
_DATETIME = N_(
    "The field '{label}' must be a date and time with its time zone, "
    "such as 2026-01-05T08:00:00+07:00."
)
_OBJECT = N_("The field '{label}' must be a JSON object.")

FIELD_MESSAGES: Mapping[str, str] = {
    "missing": N_("The field '{label}' is required."),
    "extra_forbidden": N_("The field '{label}' is not known here; remove it."),
    "string_type": N_("The field '{label}' must be text."),
    "string_unicode": N_("The field '{label}' contains characters that are not valid text."),
    "string_too_short": N_("The field '{label}' must have at least {min_length} characters."),
    "string_too_long": N_("The field '{label}' must have at most {max_length} characters."),
    "too_short": N_("The field '{label}' needs at least {min_length} item(s)."),
    "too_long": N_("The field '{label}' takes at most {max_length} item(s)."),
    "list_type": N_("The field '{label}' must be a list."),
    "int_type": _WHOLE_NUMBER,
    "int_parsing": _WHOLE_NUMBER,
    "int_parsing_size": _WHOLE_NUMBER,
    "int_from_float": _WHOLE_NUMBER,
    "greater_than_equal": N_("The field '{label}' must be at least {ge}."),
    "less_than_equal": N_("The field '{label}' must be at most {le}."),
    "bool_type": _TRUE_OR_FALSE,
    "bool_parsing": _TRUE_OR_FALSE,
    "enum": N_("The field '{label}' must be one of: {expected}."),
    "literal_error": N_("The field '{label}' must be one of: {expected}."),
    "datetime_type": _DATETIME,
    "datetime_parsing": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "timezone_aware": _DATETIME,
    "datetime_out_of_range": N_("The field '{label}' is a date outside the years 1 to 9999."),
    "dict_type": _OBJECT,
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
}

BODY_MESSAGES: Mapping[str, str] = {
    "missing": N_("The request needs a JSON body."),
    "json_invalid": N_("The request body is not valid JSON."),
    "dict_type": N_("The request body must be a JSON object."),
    "model_type": N_("The request body must be a JSON object."),
    "model_attributes_type": N_("The request body must be a JSON object."),
}

UNREADABLE_BODY = N_("The request body cannot be read: it must be JSON in UTF-8.")
FALLBACK = N_("The field '{label}' is not valid.")
BODY_FALLBACK = N_("The request body is not valid.")


def _field_name(location: Sequence[Any]) -> str:
    """The input's name: the first part after where it came from (body, query, path)."""
    parts = [part for part in location if isinstance(part, str)]
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
    return parts[0] if parts else ""


def _expected(context: Mapping[str, Any]) -> str:
    # Pydantic writes "'a', 'b' or 'c'": keep the values, drop its English "or".
    values = re.findall(r"'([^']*)'", str(context.get("expected", "")))
    return ", ".join(values) if values else str(context.get("expected", ""))


def invalid_input(errors: Sequence[Mapping[str, Any]]) -> InvalidInput:
    """The first problem of a failed validation, as the domain would have reported it."""
    if not errors:
        return InvalidInput(BODY_FALLBACK)
    first = errors[0]
    kind = str(first.get("type", ""))
    field = _field_name(first.get("loc", ()))
    context = dict(first.get("ctx") or {})
    if not field:
        return InvalidInput(BODY_MESSAGES.get(kind, BODY_FALLBACK))
    params = {
        key: context[key] for key in ("min_length", "max_length", "ge", "le") if key in context
    }
    if kind in ("enum", "literal_error"):
        params["expected"] = _expected(context)
    return InvalidInput(
        FIELD_MESSAGES.get(kind, FALLBACK), field=field, label=field_label(field), **params
    )
