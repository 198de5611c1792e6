"""RTSP stream addresses: checked, normalised, and their inline credentials taken out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit, urlunsplit

from camwarden.errors import InvalidInput
from camwarden.governance.fields import field_label

MAX_URL_LENGTH = 500


@dataclass(frozen=True)
class StreamAddress:
    url: str  # without any user:password part
    username: str | None
    password: str | None


# Everything between "//" and the last "@" of the authority: a user:password written inline.
_INLINE_CREDENTIALS = re.compile(r"(?<=//)[^/]*@")


def _shown(raw: str) -> str:
    """The address as an error message may repeat it: never a password typed into it."""
    return _INLINE_CREDENTIALS.sub("***@", raw)[:80]


def parse_stream_url(value: str, *, field: str) -> StreamAddress:
    """An RTSP(S) address; credentials written into it are taken out to be sealed."""
    raw = (value or "").strip()
    if not raw:
        raise InvalidInput(
            "The field '{label}' must not be empty.", field=field, label=field_label(field)
        )
    if len(raw) > MAX_URL_LENGTH or any(c.isspace() for c in raw):
        raise InvalidInput(
            "'{value}' is not a usable stream address: no spaces, at most {max_length} characters.",
            field=field,
            value=_shown(raw),
            max_length=MAX_URL_LENGTH,
        )
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise InvalidInput(
            "'{value}' is not a valid stream address.", field=field, value=_shown(raw)
        ) from None
    if parts.scheme.lower() not in ("rtsp", "rtsps") or not parts.hostname:
        raise InvalidInput(
            "'{value}' is not an RTSP address: it must look like "
            "rtsp://192.168.1.64:554/Streaming/Channels/101.",
            field=field,
            value=_shown(raw),
        )
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = host if port is None else f"{host}:{port}"
    clean = urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, ""))
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    return StreamAddress(url=clean, username=username, password=password)
