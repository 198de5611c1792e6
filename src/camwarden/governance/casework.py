"""What waits for this person across the school's casework, for the home page (R-3.1, R-4.2,
R-4.3, R-5.1): the Board and the principal see their compliance picture at a glance.

Each figure is counted only for who may act on it, so a guard's home page stays a guard's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from camwarden.governance.authorization import Actor, can
from camwarden.governance.complaints import OPEN_STATUSES
from camwarden.governance.incidents import IncidentStatus
from camwarden.governance.requests import RequestStatus
from camwarden.governance.reviews import CycleStatus, Reviews
from camwarden.governance.roles import Permission
from camwarden.storage.models import Base, Complaint, FootageRequest, Incident, ReviewCycle


@dataclass(frozen=True)
class Casework:
    # None: not this person's business (the figure is not shown at all).
    requests_pending: int | None = None
    requests_awaiting_second: int | None = None
    complaints_open: int | None = None
    complaints_overdue: int | None = None
    incidents_open: int | None = None
    reviews_open: int | None = None
    next_review_opens: datetime | None = None

    @property
    def shown(self) -> bool:
        return any(
            value is not None
            for value in (
                self.requests_pending,
                self.complaints_open,
                self.incidents_open,
                self.reviews_open,
            )
        )


def waiting_for(session: Session, actor: Actor, reviews: Reviews, now: datetime) -> Casework:
    requests_pending = requests_awaiting_second = None
    if can(actor, Permission.APPROVE_REQUESTS):
        pending = FootageRequest.status == RequestStatus.PENDING
        requests_pending = _count(session, FootageRequest, pending)
        requests_awaiting_second = _count(
            session, FootageRequest, pending, FootageRequest.first_approval_by.is_not(None)
        )
    complaints_open = complaints_overdue = None
    if can(actor, Permission.HANDLE_COMPLAINTS):
        still_open = Complaint.status.in_(OPEN_STATUSES)
        complaints_open = _count(session, Complaint, still_open)
        complaints_overdue = _count(session, Complaint, still_open, Complaint.deadline_at <= now)
    incidents_open = None
    if can(actor, Permission.MANAGE_INCIDENTS):
        incidents_open = _count(session, Incident, Incident.status == IncidentStatus.OPEN)
    reviews_open = next_review_opens = None
    if can(actor, Permission.REVIEW_FOOTAGE) or can(actor, Permission.SIGN_OFF_REVIEWS):
        reviews_open = _count(session, ReviewCycle, ReviewCycle.status == CycleStatus.OPEN)
        next_review_opens = reviews.next_period_end(session)
    return Casework(
        requests_pending=requests_pending,
        requests_awaiting_second=requests_awaiting_second,
        complaints_open=complaints_open,
        complaints_overdue=complaints_overdue,
        incidents_open=incidents_open,
        reviews_open=reviews_open,
        next_review_opens=next_review_opens,
    )


def _count(session: Session, model: type[Base], *conditions: ColumnElement[bool]) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0
