"""Complaints and requests to see oneself from the people filmed (R-3.1, Art. 3).

Anyone may file, without an account; the person follows the complaint with a tracking code
shown once (only its hash is kept). The footage it names is held while it is open. The people
who handle complaints assign it, write to the person, and decide with reasons within
`complaint_deadline_days`. Each step is audited in its transaction and tells those concerned
by e-mail after it commits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from camwarden.clock import Clock
from camwarden.config import Settings
from camwarden.errors import Conflict, InvalidInput, NotFound
from camwarden.governance._complaint_files import (
    AttachmentStore,
    StoredFile,
    Upload,
    check_uploads,
)
from camwarden.governance._complaint_mail import ComplaintMail, Notice, is_email, notice
from camwarden.governance.audit import AuditLog
from camwarden.governance.authorization import SYSTEM_ACTOR, Actor, require
from camwarden.governance.fields import field_label
from camwarden.governance.roles import ROLE_PERMISSIONS, Permission
from camwarden.governance.tracking import new_tracking_code, next_reference, tracking_hash
from camwarden.i18n import N_
from camwarden.storage.holds import HoldKind, place_hold
from camwarden.storage.lookup import get_by_id
from camwarden.storage.models import (
    AuditEntry,
    Camera,
    Complaint,
    ComplaintAttachment,
    ComplaintFootage,
    ComplaintMessage,
    FootageHold,
    User,
)


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

REFERENCE_PREFIX = "KN"  # khiếu nại
MAX_FOOTAGE_RANGES = 5
MAX_FOOTAGE_SPAN = timedelta(hours=24)
# The handlers are reminded this long before the deadline.
REMIND_BEFORE = timedelta(days=2)
_PHONE = re.compile(r"^\+?[0-9 .\-()]{8,20}$")
# The complaint's inputs keep their short names in the API; their labels are the form's.
_LABEL_KEYS = {
    "name": "complainant_name",
    "description": "complaint_description",
    "body": "message_body",
    "decision": "complaint_decision",
}


@dataclass(frozen=True)
class FootageRange:
    camera_id: int
    start_at: datetime
    end_at: datetime


@dataclass(frozen=True)
class Filed:
    complaint: Complaint
    tracking_code: str  # shown once, never stored


@dataclass(frozen=True)
class ComplaintFile:
    """Everything about one complaint that a page shows."""

    complaint: Complaint
    messages: Sequence[ComplaintMessage]
    attachments: Sequence[ComplaintAttachment]
    footage: Sequence[ComplaintFootage]

    def attachments_of(self, message_id: int | None) -> list[ComplaintAttachment]:
        return [a for a in self.attachments if a.message_id == message_id]


def is_open(complaint: Complaint) -> bool:
    return complaint.status in OPEN_STATUSES


def is_overdue(complaint: Complaint, now: datetime) -> bool:
    return is_open(complaint) and now >= complaint.deadline_at


def _text(value: str, field: str, *, limit: int, required: bool = True) -> str:
    """The text cleaned, or an error naming the field as the person sees it on the form."""
    cleaned = value.strip()
    label = field_label(_LABEL_KEYS.get(field, field))
    if required and not cleaned:
        raise InvalidInput("The field '{label}' must not be empty.", field=field, label=label)
    if len(cleaned) > limit:
        raise InvalidInput(
            "The field '{label}' is too long: {length} characters, at most {max_length} allowed.",
            field=field,
            label=label,
            length=len(cleaned),
            max_length=limit,
        )
    if any(ord(c) < 32 and c not in "\n\r\t" for c in cleaned):
        raise InvalidInput(
            "The field '{label}' contains control characters.", field=field, label=label
        )
    return cleaned


def _contact(value: str) -> str:
    cleaned = _text(value, "contact", limit=200)
    if not is_email(cleaned) and not _PHONE.match(cleaned):
        raise InvalidInput(
            "'{value}' is neither an e-mail address nor a phone number.",
            field="contact",
            value=cleaned,
        )
    return cleaned


def _handler_roles() -> list[str]:
    return [
        r.value for r, perms in ROLE_PERMISSIONS.items() if Permission.HANDLE_COMPLAINTS in perms
    ]


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
        if kind not in KIND_LABELS:
            raise InvalidInput("'{value}' is not a kind of complaint.", field="kind", value=kind)
        name = _text(name, "name", limit=200)
        contact = _contact(contact)
        subject = _text(subject, "subject", limit=200)
        description = _text(description, "description", limit=10000)
        now = self._clock.now()
        ranges = self._checked_footage(session, footage, now)
        checked = check_uploads(list(uploads))
        code = new_tracking_code()
        complaint = Complaint(
            reference=next_reference(session, Complaint.reference, REFERENCE_PREFIX, now),
            tracking_hash=tracking_hash(code),
            kind=kind,
            complainant_name=name,
            complainant_contact=contact,
            complainant_user_id=actor.user_id if actor else None,
            subject=subject,
            description=description,
            status=ComplaintStatus.RECEIVED,
            submitted_at=now,
            deadline_at=now + timedelta(days=self.deadline_days),
            decision="",
        )
        session.add(complaint)
        session.flush()
        for named in ranges:
            hold = place_hold(
                session,
                camera_id=named.camera_id,
                start_at=named.start_at,
                end_at=named.end_at,
                kind=HoldKind.COMPLAINT,
                reference=complaint.reference,
                created_by=actor.username if actor else "complainant",
                now=now,
            )
            session.add(
                ComplaintFootage(
                    complaint_id=complaint.id,
                    camera_id=named.camera_id,
                    start_at=named.start_at,
                    end_at=named.end_at,
                    hold_id=hold.id,
                )
            )
        stored = [self._attach(session, complaint, None, u, t, now) for u, t in checked]
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
                notice(complaint, "filed", self._person(complaint), to_complainant=True),
                notice(
                    complaint, "filed", self._handlers(session, complaint), to_complainant=False
                ),
            ],
        )
        return Filed(complaint, code)

    def follow(self, session: Session, code: str) -> Complaint:
        """The complaint the tracking code opens."""
        found = session.scalar(
            select(Complaint).where(Complaint.tracking_hash == tracking_hash(code[:100]))
        )
        if found is None or not code.strip():
            raise NotFound("No complaint matches this tracking code. Check it and try again.")
        return found

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
        self._must_be_open(complaint)
        text = _text(body, "body", limit=10000)
        already = self._attachment_count(session, complaint.id)
        checked = check_uploads(list(uploads), already=already)
        now = self._clock.now()
        message = self._message(session, complaint, True, complaint.complainant_name, text, now)
        stored = [self._attach(session, complaint, message.id, u, t, now) for u, t in checked]
        self._record(
            session,
            None,
            complaint,
            "complaint.replied",
            ip=ip,
            message_id=message.id,
            attachments=[f.sha256 for f in stored],
        )
        self.mail.queue(
            session,
            [
                notice(
                    complaint,
                    "reply",
                    self._staff(session, complaint),
                    to_complainant=False,
                    text=text,
                )
            ],
        )
        return message

    def withdraw(self, session: Session, code: str, *, ip: str = "") -> Complaint:
        complaint = self.follow(session, code)
        self._must_be_open(complaint)
        now = self._clock.now()
        complaint.status = ComplaintStatus.WITHDRAWN
        complaint.decided_at = now
        released = self._release_holds(session, complaint, now)
        self._record(
            session, None, complaint, "complaint.withdrawn", ip=ip, released_holds=released
        )
        self.mail.queue(
            session,
            [
                notice(complaint, "withdrawn", self._person(complaint), to_complainant=True),
                notice(
                    complaint, "withdrawn", self._staff(session, complaint), to_complainant=False
                ),
            ],
        )
        return complaint

    # -- the school ----------------------------------------------------------------------------

    def listed(self, session: Session, actor: Actor) -> Sequence[Complaint]:
        """Open complaints first, nearest deadline first; then the closed, newest first."""
        require(actor, Permission.HANDLE_COMPLAINTS)
        still_open = Complaint.status.in_(OPEN_STATUSES)
        return session.scalars(
            select(Complaint).order_by(
                case((still_open, 0), else_=1),
                case((still_open, Complaint.deadline_at), else_=None),
                Complaint.submitted_at.desc(),
                Complaint.id.desc(),
            )
        ).all()

    def get(self, session: Session, actor: Actor, complaint_id: int) -> Complaint:
        require(actor, Permission.HANDLE_COMPLAINTS)
        return self._get(session, complaint_id)

    def details(self, session: Session, complaint: Complaint) -> ComplaintFile:
        """Exchanges, files and footage of a complaint already opened by `get` or `follow`."""
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

    def history(self, session: Session, actor: Actor, complaint_id: int) -> Sequence[AuditEntry]:
        complaint = self.get(session, actor, complaint_id)
        return self._audit.history_of(session, "complaint", complaint.id)

    def handlers(self, session: Session) -> Sequence[User]:
        """The active accounts that may be assigned complaints."""
        return session.scalars(
            select(User)
            .where(User.is_active.is_(True), User.role.in_(_handler_roles()))
            .order_by(User.full_name, User.id)
        ).all()

    def assign(self, session: Session, actor: Actor, complaint_id: int, user_id: int) -> Complaint:
        complaint = self.get(session, actor, complaint_id)
        self._must_be_open(complaint)
        assignee = get_by_id(session, User, user_id)
        if assignee is None or not assignee.is_active or assignee.role not in _handler_roles():
            raise InvalidInput(
                "Account {id} cannot be given complaints: it must be active and allowed to "
                "handle them.",
                field="assignee_id",
                id=user_id,
            )
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
        self._must_be_open(complaint)
        text = _text(body, "body", limit=10000)
        author = self._author(session, actor)
        message = self._message(session, complaint, False, author, text, self._clock.now())
        self._record(session, actor, complaint, "complaint.message", message_id=message.id)
        self.mail.queue(
            session,
            [notice(complaint, "message", self._person(complaint), to_complainant=True, text=text)],
        )
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
        self.mail.queue(
            session,
            [notice(complaint, "in_progress", self._person(complaint), to_complainant=True)],
        )
        return complaint

    def decide(self, session: Session, actor: Actor, complaint_id: int, reasons: str) -> Complaint:
        """The decision with its reasons: it closes the complaint and releases its footage."""
        complaint = self.get(session, actor, complaint_id)
        self._must_be_open(complaint)
        text = _text(reasons, "decision", limit=10000)
        now = self._clock.now()
        complaint.status = ComplaintStatus.DECIDED
        complaint.decision = text
        complaint.decided_by = actor.username[:64]
        complaint.decided_at = now
        released = self._release_holds(session, complaint, now)
        self._record(
            session, actor, complaint, "complaint.decided", decision=text, released_holds=released
        )
        self.mail.queue(
            session,
            [notice(complaint, "decided", self._person(complaint), to_complainant=True, text=text)],
        )
        return complaint

    def attachment(
        self, session: Session, actor: Actor, complaint_id: int, attachment_id: int
    ) -> tuple[ComplaintAttachment, Path]:
        """A file for a handler to open; every opening is in the audit log."""
        complaint = self.get(session, actor, complaint_id)
        found = get_by_id(session, ComplaintAttachment, attachment_id)
        if found is None or found.complaint_id != complaint.id:
            raise NotFound("Attachment {id} does not exist.", id=attachment_id)
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
        return session.scalar(self._due_query(now).limit(1)) is not None

    def remind_due(self, session: Session, now: datetime) -> int:
        """Tell the assignee (or all handlers) once when a deadline is 2 days off, once when it
        has passed. The number of reminders queued."""
        sent = 0
        for complaint in session.scalars(self._due_query(now)).all():
            if now >= complaint.deadline_at and complaint.overdue_reminded_at is None:
                event = "overdue"
                complaint.overdue_reminded_at = now
                # Past the deadline the near-deadline reminder would say nothing new.
                complaint.due_soon_reminded_at = complaint.due_soon_reminded_at or now
            elif complaint.due_soon_reminded_at is None:
                event = "due_soon"
                complaint.due_soon_reminded_at = now
            else:
                continue
            self._record(session, SYSTEM_ACTOR, complaint, f"complaint.{event}")
            self.mail.queue(
                session,
                [notice(complaint, event, self._staff(session, complaint), to_complainant=False)],
            )
            sent += 1
        return sent

    def _due_query(self, now: datetime):  # type: ignore[no-untyped-def]
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

    # -- internals -----------------------------------------------------------------------------

    def _get(self, session: Session, complaint_id: int) -> Complaint:
        found = get_by_id(session, Complaint, complaint_id)
        if found is None:
            raise NotFound("Complaint {id} does not exist.", id=complaint_id)
        return found

    def _must_be_open(self, complaint: Complaint) -> None:
        if not is_open(complaint):
            raise Conflict(
                "Complaint {reference} is closed: nothing more can be added.",
                reference=complaint.reference,
            )

    def _checked_footage(
        self, session: Session, footage: Sequence[FootageRange], now: datetime
    ) -> list[FootageRange]:
        if len(footage) > MAX_FOOTAGE_RANGES:
            raise InvalidInput(
                "At most {limit} pieces of footage can be named.",
                field="footage",
                limit=MAX_FOOTAGE_RANGES,
            )
        for named in footage:
            if get_by_id(session, Camera, named.camera_id) is None:
                raise InvalidInput(
                    "Camera {id} does not exist.", field="footage", id=named.camera_id
                )
            if named.end_at <= named.start_at:
                raise InvalidInput("The footage named must end after it starts.", field="footage")
            if named.end_at - named.start_at > MAX_FOOTAGE_SPAN:
                raise InvalidInput(
                    "A piece of footage named may cover at most {hours} hours.",
                    field="footage",
                    hours=int(MAX_FOOTAGE_SPAN.total_seconds() // 3600),
                )
            if named.start_at > now:
                raise InvalidInput("The footage named cannot start in the future.", field="footage")
        return list(footage)

    def _attach(
        self,
        session: Session,
        complaint: Complaint,
        message_id: int | None,
        upload: Upload,
        content_type: str,
        now: datetime,
    ) -> StoredFile:
        stored = self.store.save(upload, content_type)
        session.add(
            ComplaintAttachment(
                complaint_id=complaint.id,
                message_id=message_id,
                filename=stored.filename,
                content_type=stored.content_type,
                size=stored.size,
                sha256=stored.sha256,
                stored_path=stored.stored_path,
                uploaded_at=now,
            )
        )
        return stored

    def _attachment_count(self, session: Session, complaint_id: int) -> int:
        return len(
            session.scalars(
                select(ComplaintAttachment.id).where(
                    ComplaintAttachment.complaint_id == complaint_id
                )
            ).all()
        )

    def _message(
        self,
        session: Session,
        complaint: Complaint,
        from_complainant: bool,
        author: str,
        body: str,
        now: datetime,
    ) -> ComplaintMessage:
        message = ComplaintMessage(
            complaint_id=complaint.id,
            from_complainant=from_complainant,
            author=author[:200],
            body=body,
            written_at=now,
        )
        session.add(message)
        session.flush()
        return message

    def _release_holds(self, session: Session, complaint: Complaint, now: datetime) -> int:
        hold_ids = [
            f.hold_id
            for f in session.scalars(
                select(ComplaintFootage).where(ComplaintFootage.complaint_id == complaint.id)
            )
            if f.hold_id is not None
        ]
        holds = (
            session.scalars(
                select(FootageHold).where(
                    FootageHold.id.in_(hold_ids), FootageHold.released_at.is_(None)
                )
            ).all()
            if hold_ids
            else []
        )
        for hold in holds:
            hold.released_at = now
        return len(holds)

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

    def _author(self, session: Session, actor: Actor) -> str:
        user = get_by_id(session, User, actor.user_id) if actor.user_id else None
        return user.full_name if user is not None else actor.username

    @staticmethod
    def _person(complaint: Complaint) -> list[str]:
        contact = complaint.complainant_contact.strip()
        return [contact] if is_email(contact) else []

    def _handlers(self, session: Session, complaint: Complaint) -> list[str]:
        return [user.email for user in self.handlers(session) if user.email]

    def _staff(self, session: Session, complaint: Complaint) -> list[str]:
        """The assignee when there is one with an address; otherwise every handler."""
        assignee = complaint.assignee
        if assignee is not None and assignee.is_active and assignee.email:
            return [assignee.email]
        return self._handlers(session, complaint)


__all__ = [
    "ComplaintFile",
    "ComplaintKind",
    "ComplaintStatus",
    "Complaints",
    "Filed",
    "FootageRange",
    "Notice",
    "Upload",
    "complaint_mail",
    "is_overdue",
]


def complaint_mail(settings: Settings) -> ComplaintMail:
    return ComplaintMail(
        mail_url=settings.mail_url,
        school_name=settings.school_name,
        public_url=settings.public_url,
        locale=settings.default_locale,
    )
