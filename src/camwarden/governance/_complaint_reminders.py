"""The deadline sweep: which open complaints are owed a reminder (once when the deadline is
two days off, once when it has passed), and marking each as reminded."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from camwarden.governance._complaint_kinds import OPEN_STATUSES
from camwarden.storage.models import Complaint

# The handlers are reminded this long before the deadline.
REMIND_BEFORE = timedelta(days=2)


def due_query(now: datetime) -> Select[Any]:
    soon = Complaint.deadline_at <= now + REMIND_BEFORE
    return (
        select(Complaint)
        .where(Complaint.status.in_(OPEN_STATUSES), soon)
        .where(
            Complaint.due_soon_reminded_at.is_(None)
            | ((Complaint.deadline_at <= now) & Complaint.overdue_reminded_at.is_(None))
        )
        .order_by(Complaint.deadline_at, Complaint.id)
    )


def any_due(session: Session, now: datetime) -> bool:
    return session.scalar(due_query(now).limit(1)) is not None


def take_due(session: Session, now: datetime) -> list[tuple[Complaint, str]]:
    """Each complaint owed a reminder with its event ("due_soon" or "overdue"), marked as
    reminded so that the next sweep does not tell it again."""
    due: list[tuple[Complaint, str]] = []
    for complaint in session.scalars(due_query(now)).all():
        if now >= complaint.deadline_at and complaint.overdue_reminded_at is None:
            complaint.overdue_reminded_at = now
            # Past the deadline the near-deadline reminder would say nothing new.
            complaint.due_soon_reminded_at = complaint.due_soon_reminded_at or now
            due.append((complaint, "overdue"))
        elif complaint.due_soon_reminded_at is None:
            complaint.due_soon_reminded_at = now
            due.append((complaint, "due_soon"))
    return due
