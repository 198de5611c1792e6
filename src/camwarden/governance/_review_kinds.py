"""The words a review is written in: a cycle's states and their labels, when one is overdue,
the reference its holds are named by, and how long a note may be. Shared by the service, its
helpers and its pages."""

from __future__ import annotations

from datetime import datetime

from camwarden.governance._validation import bounded_text
from camwarden.i18n import N_
from camwarden.storage.models import ReviewCycle

MAX_NOTE = 4000


class CycleStatus:
    OPEN = "open"
    CLOSED = "closed"


CYCLE_STATUS_LABELS = {
    CycleStatus.OPEN: N_("Under review"),
    CycleStatus.CLOSED: N_("Signed off"),
}


def is_overdue(cycle: ReviewCycle, now: datetime) -> bool:
    return cycle.status == CycleStatus.OPEN and now > cycle.due_at


def review_reference(cycle_id: int) -> str:
    """What a bookmark's hold names: the cycle it was made in."""
    return f"review:{cycle_id}"


def note_text(note: str) -> str:
    """A check-off's or a sign-off's note: optional, bounded."""
    return bounded_text(note, field="note", max_length=MAX_NOTE)
