"""Reading complaints back: one by its id or tracking code, the list in the order handlers work
it, everything a page shows of one (ComplaintFile), the accounts that may handle them, and the
name a handler's message is signed with. No permission is asked here: the service asks first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from camwarden.errors import NotFound
from camwarden.governance._complaint_kinds import OPEN_STATUSES
from camwarden.governance.authorization import Actor
from camwarden.governance.roles import ROLE_PERMISSIONS, Permission
from camwarden.governance.tracking import tracking_hash
from camwarden.storage.lookup import get_by_id
from camwarden.storage.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintFootage,
    ComplaintMessage,
    User,
)


@dataclass(frozen=True)
class ComplaintFile:
    """Everything about one complaint that a page shows."""

    complaint: Complaint
    messages: Sequence[ComplaintMessage]
    attachments: Sequence[ComplaintAttachment]
    footage: Sequence[ComplaintFootage]

    def attachments_of(self, message_id: int | None) -> list[ComplaintAttachment]:
        return [a for a in self.attachments if a.message_id == message_id]


def find_complaint(session: Session, complaint_id: int) -> Complaint:
    found = get_by_id(session, Complaint, complaint_id)
    if found is None:
        raise NotFound("Complaint {id} does not exist.", id=complaint_id)
    return found


def find_by_code(session: Session, code: str) -> Complaint:
    """The complaint the tracking code opens."""
    found = session.scalar(
        select(Complaint).where(Complaint.tracking_hash == tracking_hash(code[:100]))
    )
    if found is None or not code.strip():
        raise NotFound("No complaint matches this tracking code. Check it and try again.")
    return found


def find_attachment(
    session: Session, complaint: Complaint, attachment_id: int
) -> ComplaintAttachment:
    found = get_by_id(session, ComplaintAttachment, attachment_id)
    if found is None or found.complaint_id != complaint.id:
        raise NotFound("Attachment {id} does not exist.", id=attachment_id)
    return found


def complaints_in_order(session: Session) -> Sequence[Complaint]:
    """Open complaints first, nearest deadline first; then the closed, newest first."""
    still_open = Complaint.status.in_(OPEN_STATUSES)
    return session.scalars(
        select(Complaint).order_by(
            case((still_open, 0), else_=1),
            case((still_open, Complaint.deadline_at), else_=None),
            Complaint.submitted_at.desc(),
            Complaint.id.desc(),
        )
    ).all()


def complaint_file(session: Session, complaint: Complaint) -> ComplaintFile:
    messages = session.scalars(
        select(ComplaintMessage)
        .where(ComplaintMessage.complaint_id == complaint.id)
        .order_by(ComplaintMessage.written_at, ComplaintMessage.id)
    ).all()
    attachments = session.scalars(
        select(ComplaintAttachment)
        .where(ComplaintAttachment.complaint_id == complaint.id)
        .order_by(ComplaintAttachment.id)
    ).all()
    footage = session.scalars(
        select(ComplaintFootage)
        .where(ComplaintFootage.complaint_id == complaint.id)
        .order_by(ComplaintFootage.start_at, ComplaintFootage.id)
    ).all()
    return ComplaintFile(complaint, messages, attachments, footage)


def attachment_count(session: Session, complaint_id: int) -> int:
    return len(
        session.scalars(
            select(ComplaintAttachment.id).where(ComplaintAttachment.complaint_id == complaint_id)
        ).all()
    )


def handler_roles() -> list[str]:
    return [
        r.value for r, perms in ROLE_PERMISSIONS.items() if Permission.HANDLE_COMPLAINTS in perms
    ]


def active_handlers(session: Session) -> Sequence[User]:
    """The active accounts that may be assigned complaints."""
    return session.scalars(
        select(User)
        .where(User.is_active.is_(True), User.role.in_(handler_roles()))
        .order_by(User.full_name, User.id)
    ).all()


def author_name(session: Session, actor: Actor) -> str:
    """A handler's message is signed with the person's full name, else the account's."""
    user = get_by_id(session, User, actor.user_id) if actor.user_id else None
    return user.full_name if user is not None else actor.username
