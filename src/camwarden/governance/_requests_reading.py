"""Reading requests back: one by its id or its tracking code, the Board's list in the order it
works it, and what the tracking page shows the person holding the code (PublicStatus). No
permission is asked here: the service asks first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.errors import NotFound
from camwarden.governance._requests_kinds import RequestStatus, waiting_for_second
from camwarden.governance.tracking import tracking_hash
from camwarden.storage.lookup import get_by_id
from camwarden.storage.models import FootageGrant, FootageRequest


@dataclass(frozen=True)
class PublicStatus:
    """What the tracking page shows the person holding the code."""

    reference: str
    status: str
    waiting_for_second: bool
    submitted_at: datetime
    access: str
    cameras: list[str]
    footage_start: datetime
    footage_end: datetime
    decision_reason: str
    grant_expires_at: datetime | None
    grant_active: bool
    # For a grantee without an account, while the grant works: the grant page's token.
    link_token: str | None
    # For a grantee with an account: the cameras to open in the player, while it works.
    camera_ids: list[int]


def find_request(session: Session, request_id: int) -> FootageRequest:
    request = get_by_id(session, FootageRequest, request_id)
    if request is None:
        raise NotFound("Request {value} does not exist.", value=request_id)
    return request


def find_by_code(session: Session, code: str) -> FootageRequest:
    """The request the code opens; a wrong code and an unknown one read the same."""
    request = session.scalar(
        select(FootageRequest).where(FootageRequest.tracking_hash == tracking_hash(code))
    )
    if request is None or not code.strip():
        raise NotFound("No request has this tracking code; check it and try again.")
    return request


def requests_in_order(session: Session, limit: int) -> Sequence[FootageRequest]:
    """Pending first (oldest first: they have waited longest), then the newest decided."""
    pending = session.scalars(
        select(FootageRequest)
        .where(FootageRequest.status == RequestStatus.PENDING)
        .order_by(FootageRequest.submitted_at, FootageRequest.id)
    ).all()
    decided = session.scalars(
        select(FootageRequest)
        .where(FootageRequest.status != RequestStatus.PENDING)
        .order_by(FootageRequest.submitted_at.desc(), FootageRequest.id.desc())
        .limit(limit)
    ).all()
    return [*pending, *decided]


def public_status(
    request: FootageRequest, grant: FootageGrant | None, *, active: bool, link: str | None
) -> PublicStatus:
    """The request as its tracking page shows it; `active` says the grant works now, `link` is
    its secret link's token while it does (outsiders only)."""
    return PublicStatus(
        reference=request.reference,
        status=request.status,
        waiting_for_second=waiting_for_second(request),
        submitted_at=request.submitted_at,
        access=request.access,
        cameras=[c.name for c in request.cameras],
        footage_start=request.footage_start,
        footage_end=request.footage_end,
        decision_reason=request.decision_reason,
        grant_expires_at=grant.expires_at if grant is not None else None,
        grant_active=active,
        link_token=link,
        camera_ids=[c.id for c in request.cameras]
        if active and grant is not None and grant.user_id is not None
        else [],
    )
