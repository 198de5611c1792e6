"""The words an incident is written in: its states, the kinds of entry and of source, and a
hand-over as it is written down. Shared by the service, its checks and its pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class IncidentStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class EntryKind(StrEnum):
    NOTE = "note"
    PERSON = "person"
    DECISION = "decision"


class SourceKind(StrEnum):
    MANUAL = "manual"
    ALERT = "alert"
    BOOKMARK = "bookmark"


@dataclass(frozen=True)
class Handover:
    """Who received a copy, from whom, how and when ("on USB to Officer X, police ward Y")."""

    recipient: str
    organisation: str
    medium: str
    handed_at: datetime
    note: str = ""
