"""Complaints and requests to see oneself from the people filmed (R-3.1, Art. 3).

Anyone may file, without an account; the person follows the complaint with a tracking code
shown once (only its hash is kept). The footage it names is held while it is open. The people
who handle complaints assign it, write to the person, and decide with reasons within
`complaint_deadline_days`. Each step is audited in its transaction and tells those concerned
by e-mail after it commits.

This module is the service: who may take each step, its audit entry and whom it tells. The
checks of the inputs, the rows, the reading back, the recipients and the deadline sweep live in
the private `_complaint_*` modules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from camwarden.clock import Clock
from camwarden.config import Settings
from camwarden.errors import Conflict
from camwarden.governance import _complaint_checks as check
from camwarden.governance._complaint_files import AttachmentStore, Upload, check_uploads
from camwarden.governance._complaint_kinds import (
    KIND_LABELS,
    OPEN_STATUSES,
    STATUS_LABELS,
    ComplaintKind,
    ComplaintStatus,
    FootageRange,
    is_open,
    is_overdue,
    must_be_open,
)
from camwarden.governance._complaint_mail import ComplaintMail, Notice, notice
from camwarden.governance._complaint_reading import (
    ComplaintFile,
    active_handlers,
    attachment_count,
    author_name,
    complaint_file,
    complaints_in_order,
    find_attachment,
    find_by_code,
    find_complaint,
)
from camwarden.governance._complaint_recipients import handler_addresses, to_person, to_staff
from camwarden.governance._complaint_records import (
    REFERENCE_PREFIX,
    add_message,
    attach,
    hold_footage,
    insert_complaint,
    release_holds,
)
from camwarden.governance._complaint_reminders import any_due, take_due
from camwarden.governance.audit import AuditLog
from camwarden.governance.authorization import SYSTEM_ACTOR, Actor, require
from camwarden.governance.roles import Permission
from camwarden.governance.tracking import new_tracking_code
from camwarden.storage.models import (
    AuditEntry,
    Complaint,
    ComplaintAttachment,
    ComplaintMessage,
    User,
)

# The pages, the API, the CLI and the casework name these from here.
__all__ = [
    "KIND_LABELS",
    "OPEN_STATUSES",
    "REFERENCE_PREFIX",
    "STATUS_LABELS",
    "ComplaintFile",
    "ComplaintKind",
    "ComplaintStatus",
    "Complaints",
    "Filed",
    "FootageRange",
    "Notice",
    "Upload",
    "complaint_mail",
    "is_open",
    "is_overdue",
]


@dataclass(frozen=True)
class Filed:
    complaint: Complaint
    tracking_code: str  # shown once, never stored


class Complaints:
    def __init__(
        self,
        audit: AuditLog,
        clock: Clock,
        *,
        attachments_dir: Path,
        deadline_days: int,
        mail: ComplaintMail,
    ) -> None:
        self._audit = audit
        self._clock = clock
        self.store = AttachmentStore(attachments_dir)
        self.deadline_days = deadline_days
        self.mail = mail

    # -- the person ----------------------------------------------------------------------------

    def file(
        self,
        session: Session,
        actor: Actor | None,
        *,
        kind: str,
        name: str,
        contact: str,
        subject: str,
        description: str,
        footage: Sequence[FootageRange] = (),
        uploads: Sequence[Upload] = (),
        ip: str = "",
    ) -> Filed:
        """File a complaint: `actor` None for the public, else an account with FILE_COMPLAINT."""
        if actor is not None:
            require(actor, Permission.FILE_COMPLAINT)
        kind = check.kind(kind)
        name = check.text(name, "name", limit=check.MAX_SHORT_TEXT)
        contact = check.contact(contact)
        subject = check.text(subject, "subject", limit=check.MAX_SHORT_TEXT)
        description = check.long_text(description, "description")
        now = self._clock.now()
        ranges = check.footage(session, footage, now)
        checked = check_uploads(list(uploads))
        code = new_tracking_code()
        complaint = insert_complaint(
            session,
            kind=kind,
            name=name,
            contact=contact,
            user_id=actor.user_id if actor else None,
            subject=subject,
            description=description,
            code=code,
            deadline_days=self.deadline_days,
            now=now,
        )
        created_by = actor.username if actor else "complainant"
        hold_footage(session, complaint, ranges, created_by=created_by, now=now)
        stored = attach(session, self.store, complaint, None, checked, now)
        self._record(
            session,
            actor,
            complaint,
            "complaint.filed",
            ip=ip,
            kind=kind,
            footage=[
                {
                    "camera_id": r.camera_id,
                    "start": r.start_at.isoformat(),
                    "end": r.end_at.isoformat(),
                }
                for r in ranges
            ],
            attachments=[f.sha256 for f in stored],
        )
        self.mail.queue(
            session,
            [
                to_person(complaint, "filed"),
                notice(complaint, "filed", handler_addresses(session), to_complainant=False),
            ],
        )
        return Filed(complaint, code)

    def follow(self, session: Session, code: str) -> Complaint:
        """The complaint the tracking code opens."""
        return find_by_code(session, code)

    def reply(
        self,
        session: Session,
        code: str,
        body: str,
        uploads: Sequence[Upload] = (),
        *,
        ip: str = "",
    ) -> ComplaintMessage:
        complaint = self.follow(session, code)
        must_be_open(complaint)
        text = check.long_text(body, "body")
        already = attachment_count(session, complaint.id)
        checked = check_uploads(list(uploads), already=already)
        now = self._clock.now()
        message = add_message(
            session,
            complaint,
            from_complainant=True,
            author=complaint.complainant_name,
            body=text,
            now=now,
        )
        stored = attach(session, self.store, complaint, message.id, checked, now)
        self._record(
            session,
            None,
            complaint,
            "complaint.replied",
            ip=ip,
            message_id=message.id,
            attachments=[f.sha256 for f in stored],
        )
        self.mail.queue(session, [to_staff(session, complaint, "reply", text=text)])
        return message

    def withdraw(self, session: Session, code: str, *, ip: str = "") -> Complaint:
        complaint = self.follow(session, code)
        must_be_open(complaint)
        now = self._clock.now()
        complaint.status = ComplaintStatus.WITHDRAWN
        complaint.decided_at = now
        released = release_holds(session, complaint, now)
        self._record(
            session, None, complaint, "complaint.withdrawn", ip=ip, released_holds=released
        )
        self.mail.queue(
            session,
            [
                to_person(complaint, "withdrawn"),
                to_staff(session, complaint, "withdrawn"),
            ],
        )
        return complaint

    # -- the school ----------------------------------------------------------------------------

    def listed(self, session: Session, actor: Actor) -> Sequence[Complaint]:
        """Open complaints first, nearest deadline first; then the closed, newest first."""
        require(actor, Permission.HANDLE_COMPLAINTS)
        return complaints_in_order(session)

    def get(self, session: Session, actor: Actor, complaint_id: int) -> Complaint:
        require(actor, Permission.HANDLE_COMPLAINTS)
        return find_complaint(session, complaint_id)

    def details(self, session: Session, complaint: Complaint) -> ComplaintFile:
        """Exchanges, files and footage of a complaint already opened by `get` or `follow`."""
        return complaint_file(session, complaint)

    def history(self, session: Session, actor: Actor, complaint_id: int) -> Sequence[AuditEntry]:
        complaint = self.get(session, actor, complaint_id)
        return self._audit.history_of(session, "complaint", complaint.id)

    def handlers(self, session: Session) -> Sequence[User]:
        """The active accounts that may be assigned complaints."""
        return active_handlers(session)

    def assign(self, session: Session, actor: Actor, complaint_id: int, user_id: int) -> Complaint:
        complaint = self.get(session, actor, complaint_id)
        must_be_open(complaint)
        assignee = check.assignee(session, user_id)
        previous = complaint.assignee_user_id
        complaint.assignee_user_id = assignee.id
        complaint.assignee = assignee
        self._record(
            session,
            actor,
            complaint,
            "complaint.assigned",
            assignee=assignee.username,
            previous=previous,
        )
        address = [assignee.email] if assignee.email else []
        self.mail.queue(session, [notice(complaint, "assigned", address, to_complainant=False)])
        return complaint

    def write(
        self, session: Session, actor: Actor, complaint_id: int, body: str
    ) -> ComplaintMessage:
        """A message from the school to the person, shown on the tracking page and mailed."""
        complaint = self.get(session, actor, complaint_id)
        must_be_open(complaint)
        text = check.long_text(body, "body")
        message = add_message(
            session,
            complaint,
            from_complainant=False,
            author=author_name(session, actor),
            body=text,
            now=self._clock.now(),
        )
        self._record(session, actor, complaint, "complaint.message", message_id=message.id)
        self.mail.queue(session, [to_person(complaint, "message", text=text)])
        return message

    def start(self, session: Session, actor: Actor, complaint_id: int) -> Complaint:
        """Mark the complaint in progress: the person sees that someone is on it."""
        complaint = self.get(session, actor, complaint_id)
        if complaint.status != ComplaintStatus.RECEIVED:
            raise Conflict(
                "Complaint {reference} is not waiting to be taken up.",
                reference=complaint.reference,
            )
        complaint.status = ComplaintStatus.IN_PROGRESS
        self._record(session, actor, complaint, "complaint.in_progress")
        self.mail.queue(session, [to_person(complaint, "in_progress")])
        return complaint

    def decide(self, session: Session, actor: Actor, complaint_id: int, reasons: str) -> Complaint:
        """The decision with its reasons: it closes the complaint and releases its footage."""
        complaint = self.get(session, actor, complaint_id)
        must_be_open(complaint)
        text = check.long_text(reasons, "decision")
        now = self._clock.now()
        complaint.status = ComplaintStatus.DECIDED
        complaint.decision = text
        complaint.decided_by = actor.username[:64]
        complaint.decided_at = now
        released = release_holds(session, complaint, now)
        self._record(
            session, actor, complaint, "complaint.decided", decision=text, released_holds=released
        )
        self.mail.queue(session, [to_person(complaint, "decided", text=text)])
        return complaint

    def attachment(
        self, session: Session, actor: Actor, complaint_id: int, attachment_id: int
    ) -> tuple[ComplaintAttachment, Path]:
        """A file for a handler to open; every opening is in the audit log."""
        complaint = self.get(session, actor, complaint_id)
        found = find_attachment(session, complaint, attachment_id)
        path = self.store.path_of(found.stored_path)
        self._record(
            session,
            actor,
            complaint,
            "complaint.attachment_opened",
            attachment=found.id,
            sha256=found.sha256,
        )
        return found, path

    # -- the deadline --------------------------------------------------------------------------

    def reminders_due(self, session: Session, now: datetime) -> bool:
        """Cheap check for the monitoring loop, on a read-only session."""
        return any_due(session, now)

    def remind_due(self, session: Session, now: datetime) -> int:
        """Tell the assignee (or all handlers) once when a deadline is 2 days off, once when it
        has passed. The number of reminders queued."""
        due = take_due(session, now)
        for complaint, event in due:
            self._record(session, SYSTEM_ACTOR, complaint, f"complaint.{event}")
            self.mail.queue(session, [to_staff(session, complaint, event)])
        return len(due)

    # -- internals -----------------------------------------------------------------------------

    def _record(
        self,
        session: Session,
        actor: Actor | None,
        complaint: Complaint,
        action: str,
        *,
        ip: str | None = None,
        **details: object,
    ) -> None:
        self._audit.record(
            session,
            actor,
            action,
            target_type="complaint",
            target_id=complaint.id,
            details={"reference": complaint.reference, "status": complaint.status, **details},
            # What the person does through the tracking page is theirs, not an account's.
            actor_name=None if actor is not None else "complainant",
            ip=ip if actor is None else None,
        )


def complaint_mail(settings: Settings) -> ComplaintMail:
    return ComplaintMail(
        mail_url=settings.mail_url,
        school_name=settings.school_name,
        public_url=settings.public_url,
        locale=settings.default_locale,
    )
