"""A new request's row: numbered in the year's sequence, kept only as the hash of its tracking
code, pending. The service holds its footage and writes its audit entry."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from camwarden.errors import Conflict
from camwarden.governance._requests_checks import RequestDraft
from camwarden.governance._requests_kinds import REFERENCE_PREFIX, RequestStatus
from camwarden.governance.tracking import next_reference, tracking_hash
from camwarden.storage.models import FootageRequest


def insert_request(
    session: Session,
    draft: RequestDraft,
    *,
    code: str,
    requester_user_id: int | None,
    now: datetime,
) -> FootageRequest:
    """The pending request, flushed for its id and reference."""
    request = FootageRequest(
        reference=next_reference(session, FootageRequest.reference, REFERENCE_PREFIX, now),
        tracking_hash=tracking_hash(code),
        requester_name=draft.name,
        requester_contact=draft.contact,
        requester_organisation=draft.organisation,
        requester_user_id=requester_user_id,
        purpose=draft.purpose,
        access=draft.access,
        footage_start=draft.start,
        footage_end=draft.end,
        status=RequestStatus.PENDING,
        submitted_at=now,
        decision_reason="",
    )
    request.cameras = list(draft.cameras)
    session.add(request)
    # Two filings at the same moment may draw the same number: the second is told to resend.
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Conflict(
            "Another request took the same number at the same moment; send the form again."
        ) from None
    return request
