"""The rows a complaint gathers: its own (numbered, pending a decision by its deadline), the
footage it names, each piece held while it is open; the files attached; the messages
exchanged; and the holds released when it closes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.governance._complaint_files import AttachmentStore, StoredFile, Upload
from camwarden.governance._complaint_kinds import ComplaintStatus, FootageRange
from camwarden.governance.tracking import next_reference, tracking_hash
from camwarden.storage.holds import HoldKind, place_hold
from camwarden.storage.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintFootage,
    ComplaintMessage,
    FootageHold,
)

REFERENCE_PREFIX = "KN"  # khiếu nại


def insert_complaint(
    session: Session,
    *,
    kind: str,
    name: str,
    contact: str,
    user_id: int | None,
    subject: str,
    description: str,
    code: str,
    deadline_days: int,
    now: datetime,
) -> Complaint:
    """The received complaint, flushed for its id; only its tracking code's hash is kept."""
    complaint = Complaint(
        reference=next_reference(session, Complaint.reference, REFERENCE_PREFIX, now),
        tracking_hash=tracking_hash(code),
        kind=kind,
        complainant_name=name,
        complainant_contact=contact,
        complainant_user_id=user_id,
        subject=subject,
        description=description,
        status=ComplaintStatus.RECEIVED,
        submitted_at=now,
        deadline_at=now + timedelta(days=deadline_days),
        decision="",
    )
    session.add(complaint)
    session.flush()
    return complaint


def hold_footage(
    session: Session,
    complaint: Complaint,
    ranges: Sequence[FootageRange],
    *,
    created_by: str,
    now: datetime,
) -> None:
    for named in ranges:
        hold = place_hold(
            session,
            camera_id=named.camera_id,
            start_at=named.start_at,
            end_at=named.end_at,
            kind=HoldKind.COMPLAINT,
            reference=complaint.reference,
            created_by=created_by,
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


def attach(
    session: Session,
    store: AttachmentStore,
    complaint: Complaint,
    message_id: int | None,
    checked: Sequence[tuple[Upload, str]],
    now: datetime,
) -> list[StoredFile]:
    """Files already checked (with their types), stored and recorded on the complaint."""
    stored_files = []
    for upload, content_type in checked:
        stored = store.save(upload, content_type)
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
        stored_files.append(stored)
    return stored_files


def add_message(
    session: Session,
    complaint: Complaint,
    *,
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


def release_holds(session: Session, complaint: Complaint, now: datetime) -> int:
    """The number of the complaint's holds released (those still in force)."""
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
