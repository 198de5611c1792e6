"""The words a complaint is written in: its kinds and states with their labels, whether it is
still open (and the refusal to add to a closed one) or past its deadline, and a piece of
footage the person names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from camwarden.errors import Conflict
from camwarden.i18n import N_
from camwarden.storage.models import Complaint


class ComplaintKind:
    COMPLAINT = "complaint"
    SEE_MYSELF = "see_myself"


class ComplaintStatus:
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"


OPEN_STATUSES = (ComplaintStatus.RECEIVED, ComplaintStatus.IN_PROGRESS)

KIND_LABELS = {
    ComplaintKind.COMPLAINT: N_("Complaint"),
    ComplaintKind.SEE_MYSELF: N_("Request to see footage of myself"),
}
STATUS_LABELS = {
    ComplaintStatus.RECEIVED: N_("Received"),
    ComplaintStatus.IN_PROGRESS: N_("In progress"),
    ComplaintStatus.DECIDED: N_("Decided"),
    ComplaintStatus.WITHDRAWN: N_("Withdrawn"),
}


@dataclass(frozen=True)
class FootageRange:
    camera_id: int
    start_at: datetime
    end_at: datetime


def is_open(complaint: Complaint) -> bool:
    return complaint.status in OPEN_STATUSES


def must_be_open(complaint: Complaint) -> None:
    if not is_open(complaint):
        raise Conflict(
            "Complaint {reference} is closed: nothing more can be added.",
            reference=complaint.reference,
        )


def is_overdue(complaint: Complaint, now: datetime) -> bool:
    return is_open(complaint) and now >= complaint.deadline_at
