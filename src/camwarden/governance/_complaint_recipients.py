"""Whom a complaint's step tells: the person who filed (when the contact they gave is an e-mail
address), or the school's side (the assignee with an address, otherwise every handler). Each
answer is a Notice for ComplaintMail to send after the step commits."""

from __future__ import annotations

from sqlalchemy.orm import Session

from camwarden.governance._complaint_mail import Notice, is_email, notice
from camwarden.governance._complaint_reading import active_handlers
from camwarden.storage.models import Complaint


def to_person(complaint: Complaint, event: str, *, text: str = "") -> Notice:
    """The person who filed, when the contact they gave is an e-mail address."""
    contact = complaint.complainant_contact.strip()
    addresses = [contact] if is_email(contact) else []
    return notice(complaint, event, addresses, to_complainant=True, text=text)


def to_staff(session: Session, complaint: Complaint, event: str, *, text: str = "") -> Notice:
    """The assignee when there is one with an address; otherwise every handler."""
    assignee = complaint.assignee
    if assignee is not None and assignee.is_active and assignee.email:
        addresses = [assignee.email]
    else:
        addresses = handler_addresses(session)
    return notice(complaint, event, addresses, to_complainant=False, text=text)


def handler_addresses(session: Session) -> list[str]:
    """The addresses of every active account that may handle complaints."""
    return [user.email for user in active_handlers(session) if user.email]
