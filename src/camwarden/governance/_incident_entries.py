"""An incident's written entries: notes, the people involved (a name and a capacity, e.g.
"học sinh lớp 3A") and decisions, checked and added, or read back in the order written."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.errors import InvalidInput
from camwarden.governance._incident_checks import MAX_SHORT, MAX_TEXT
from camwarden.governance._incident_kinds import EntryKind
from camwarden.governance._validation import bounded_text, required_text
from camwarden.storage.models import Incident, IncidentEntry


def insert_entry(
    session: Session,
    incident: Incident,
    *,
    kind: str,
    text: str,
    capacity: str,
    written_by: str,
    now: datetime,
) -> IncidentEntry:
    """The entry checked, added and flushed; only a person has a capacity."""
    if kind not in set(EntryKind):
        raise InvalidInput(
            "'{value}' is not a kind of entry (note, person or decision).",
            field="kind",
            value=kind,
        )
    entry = IncidentEntry(
        incident_id=incident.id,
        kind=kind,
        text=required_text(text, field="text", max_length=MAX_TEXT),
        capacity=bounded_text(capacity, field="capacity", max_length=MAX_SHORT)
        if kind == EntryKind.PERSON
        else "",
        written_by=written_by[:64],
        written_at=now,
    )
    session.add(entry)
    session.flush()
    return entry


def entries_of(session: Session, incident_id: int) -> list[IncidentEntry]:
    return list(
        session.scalars(
            select(IncidentEntry)
            .where(IncidentEntry.incident_id == incident_id)
            .order_by(IncidentEntry.written_at, IncidentEntry.id)
        )
    )
