"""The Board's decision on a pending request, as state on its row: an approval (a copy may need
a second, different board member), a refusal, or the requester's withdrawal. The service asks
who may, makes the grant and writes the audit entry."""

from __future__ import annotations

from datetime import datetime

from camwarden.errors import Conflict
from camwarden.governance._requests_kinds import RequestStatus
from camwarden.storage.models import FootageRequest


def must_be_pending(request: FootageRequest) -> None:
    """A decided request is decided for good: nobody approves, refuses or withdraws it again."""
    if request.status != RequestStatus.PENDING:
        raise Conflict("Request {value} has been decided already.", value=request.reference)


def approve_once(
    request: FootageRequest, *, by: str, reason: str, now: datetime, needs_second: bool
) -> bool:
    """Note one board member's approval. True when the request is now approved (its grant can
    be made); False when it is a copy's first approval and waits for a second member."""
    if needs_second and request.first_approval_by is None:
        request.first_approval_by = by
        request.first_approval_at = now
        return False
    if needs_second:
        if request.first_approval_by == by:
            raise Conflict(
                "You have already approved request {value}; a copy needs the approval of a "
                "second board member.",
                value=request.reference,
            )
        request.second_approval_by = by
        request.second_approval_at = now
    else:
        request.first_approval_by = by
        request.first_approval_at = now
    decide(request, RequestStatus.APPROVED, now=now, by=by, reason=reason)
    return True


def decide(
    request: FootageRequest,
    status: str,
    *,
    now: datetime,
    by: str | None = None,
    reason: str | None = None,
) -> None:
    """The request leaves the pending list. A withdrawal has no board member and no reason:
    those fields keep what they had."""
    request.status = status
    request.decided_at = now
    if by is not None:
        request.decided_by = by
    if reason is not None:
        request.decision_reason = reason
