"""Requests for footage from people the regulation does not name, and the Board's grants (R-4.2).

Anyone may file, with or without an account: purpose, cameras, a past time range, and whether
they want to watch or to receive a copy. Filing holds the footage so that it survives while the
request waits. The Board approves or refuses with a reason; a copy may need a second board
member's approval. Approval makes a grant limited to those cameras and that range, which stops
working by itself at its expiry; the sweep then records the expiry and releases the holds.

This module is the service: who may take each step, and its audit entry. The words, the checks
of the inputs, the new row, the holds, the decision's state, the grants, their secret links
and the reading back live in the private `_requests_*` modules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from camwarden.clock import Clock
from camwarden.errors import Conflict
from camwarden.governance import _requests_grants as grants
from camwarden.governance._requests_checks import (
    checked_reason,
    checked_request,
    checked_valid_days,
)
from camwarden.governance._requests_decision import approve_once, decide, must_be_pending
from camwarden.governance._requests_filing import insert_request
from camwarden.governance._requests_holds import hold_footage, open_holds, release_holds
from camwarden.governance._requests_kinds import (
    ACCESS_LABELS,
    AUDIT_TARGET,
    HISTORY_LABELS,
    PUBLIC_ACTOR_LABEL,
    REFERENCE_PREFIX,
    STATUS_LABELS,
    WAITING_FOR_SECOND,
    RequestStatus,
    is_outsider,
    waiting_for_second,
)
from camwarden.governance._requests_links import GrantLinks, valid_token_input
from camwarden.governance._requests_reading import (
    PublicStatus,
    find_by_code,
    find_request,
    public_status,
    requests_in_order,
)
from camwarden.governance.audit import AuditLog
from camwarden.governance.authorization import Actor, require
from camwarden.governance.roles import Permission
from camwarden.governance.tracking import new_tracking_code
from camwarden.storage.models import AuditEntry, FootageGrant, FootageRequest

# The pages, the API, the casework and the tests name these from here.
__all__ = [
    "ACCESS_LABELS",
    "AUDIT_TARGET",
    "HISTORY_LABELS",
    "PUBLIC_ACTOR_LABEL",
    "REFERENCE_PREFIX",
    "STATUS_LABELS",
    "WAITING_FOR_SECOND",
    "Decision",
    "Filed",
    "FootageRequests",
    "PublicStatus",
    "RequestStatus",
    "is_outsider",
    "valid_token_input",
]


@dataclass(frozen=True)
class Filed:
    request: FootageRequest
    # Shown once to the person who filed; only its hash is kept.
    tracking_code: str


@dataclass(frozen=True)
class Decision:
    request: FootageRequest
    grant: FootageGrant | None
    # The secret link's token for a grantee without an account, shown to the approver.
    link_token: str | None


class FootageRequests:
    def __init__(
        self, audit: AuditLog, clock: Clock, links: GrantLinks, *, copy_needs_second: bool
    ) -> None:
        self._audit = audit
        self._clock = clock
        self._links = links
        self._copy_needs_second = copy_needs_second

    # -- filing --------------------------------------------------------------------------

    def file(
        self,
        session: Session,
        *,
        actor: Actor | None,
        name: str,
        contact: str,
        organisation: str,
        purpose: str,
        access: str,
        camera_ids: Sequence[int],
        footage_start: datetime,
        footage_end: datetime,
        ip: str = "",
    ) -> Filed:
        """A new pending request, its footage held; the tracking code is returned once."""
        if actor is not None:
            require(actor, Permission.REQUEST_FOOTAGE)
        now = self._clock.now()
        draft = checked_request(
            session,
            name=name,
            contact=contact,
            organisation=organisation,
            purpose=purpose,
            access=access,
            camera_ids=camera_ids,
            footage_start=footage_start,
            footage_end=footage_end,
            now=now,
        )
        code = new_tracking_code()
        request = insert_request(
            session,
            draft,
            code=code,
            requester_user_id=actor.user_id if actor is not None else None,
            now=now,
        )
        hold_footage(
            session,
            request,
            draft.cameras,
            start=draft.start,
            end=draft.end,
            created_by=actor.username if actor else "public",
            now=now,
        )
        self._audit.record(
            session,
            actor,
            "footage_request.filed",
            target_type=AUDIT_TARGET,
            target_id=request.id,
            details={
                "reference": request.reference,
                "name": draft.name,
                "access": draft.access,
                "cameras": [c.id for c in draft.cameras],
                "from": draft.start.isoformat(),
                "to": draft.end.isoformat(),
            },
            actor_name=None if actor else "public",
            ip=ip or None,
        )
        return Filed(request, code)

    # -- reading -------------------------------------------------------------------------

    def status_by_code(self, session: Session, code: str) -> PublicStatus:
        """The request the code opens; a wrong code and an unknown one read the same."""
        request = find_by_code(session, code)
        grant = self.current_grant(session, request.id)
        active = grant is not None and self.grant_is_valid(grant)
        link = (
            self._links.token_of(grant)
            if grant is not None and active and grant.token_hash is not None
            else None
        )
        return public_status(request, grant, active=active, link=link)

    def list(self, session: Session, actor: Actor, *, limit: int = 200) -> Sequence[FootageRequest]:
        """Pending first (oldest first: they have waited longest), then the newest decided."""
        require(actor, Permission.APPROVE_REQUESTS)
        return requests_in_order(session, limit)

    def get(self, session: Session, actor: Actor, request_id: int) -> FootageRequest:
        require(actor, Permission.APPROVE_REQUESTS)
        return find_request(session, request_id)

    def history(self, session: Session, actor: Actor, request_id: int) -> Sequence[AuditEntry]:
        """The request's own audit entries, oldest first: filing, approvals, views, expiry."""
        request = self.get(session, actor, request_id)
        return self._audit.history_of(session, AUDIT_TARGET, request.id)

    def current_grant(self, session: Session, request_id: int) -> FootageGrant | None:
        return grants.current_grant(session, request_id)

    def waiting_for_second(self, request: FootageRequest) -> bool:
        return waiting_for_second(request)

    def grant_is_valid(self, grant: FootageGrant) -> bool:
        """Checked on every use: a grant stops working at its expiry, sweep or not."""
        return grants.is_valid(grant, self._clock.now())

    # -- the Board's decision ------------------------------------------------------------

    def approve(
        self, session: Session, actor: Actor, request_id: int, *, reason: str, valid_days: int
    ) -> Decision:
        """Approve; a copy may need a second, different board member before the grant exists."""
        require(actor, Permission.APPROVE_REQUESTS)
        request = self._pending(session, request_id)
        reason = checked_reason(reason, required=False)
        valid_days = checked_valid_days(valid_days)
        now = self._clock.now()
        needs_second = request.access == "copy" and self._copy_needs_second
        if not approve_once(
            request, by=actor.username, reason=reason, now=now, needs_second=needs_second
        ):
            self._record(session, actor, request, "first_approval", reason=reason, days=valid_days)
            return Decision(request, None, None)
        grant, link = grants.make_grant(
            session, self._links, request, valid_days=valid_days, now=now
        )
        self._record(
            session,
            actor,
            request,
            "approved",
            reason=reason,
            days=valid_days,
            grant=grant.id,
            expires_at=grant.expires_at.isoformat(),
        )
        return Decision(request, grant, link)

    def refuse(self, session: Session, actor: Actor, request_id: int, *, reason: str) -> Decision:
        require(actor, Permission.APPROVE_REQUESTS)
        request = self._pending(session, request_id)
        reason = checked_reason(reason, required=True)
        now = self._clock.now()
        decide(request, RequestStatus.REFUSED, now=now, by=actor.username, reason=reason)
        released = release_holds(session, request, now)
        self._record(session, actor, request, "refused", reason=reason, released_holds=released)
        return Decision(request, None, None)

    def withdraw(self, session: Session, code: str, *, ip: str = "") -> FootageRequest:
        """The requester, holding the code, takes a pending request back; its holds go."""
        request = find_by_code(session, code)
        must_be_pending(request)
        now = self._clock.now()
        decide(request, RequestStatus.WITHDRAWN, now=now)
        released = release_holds(session, request, now)
        self._audit.record(
            session,
            None,
            "footage_request.withdrawn",
            target_type=AUDIT_TARGET,
            target_id=request.id,
            details={"reference": request.reference, "released_holds": released},
            actor_name="public",
            ip=ip or None,
        )
        return request

    def revoke(self, session: Session, actor: Actor, request_id: int, *, reason: str) -> None:
        """The Board ends a grant before its expiry; its holds go."""
        require(actor, Permission.APPROVE_REQUESTS)
        request = find_request(session, request_id)
        reason = checked_reason(reason, required=True)
        grant = self.current_grant(session, request.id)
        if grant is None or not self.grant_is_valid(grant):
            raise Conflict(
                "Request {value} has no grant in force to revoke.", value=request.reference
            )
        now = self._clock.now()
        grant.revoked_at = now
        grant.revoked_by = actor.username
        released = release_holds(session, request, now)
        self._record(
            session, actor, request, "revoked", reason=reason, grant=grant.id, released=released
        )

    # -- expiry --------------------------------------------------------------------------

    def expire_grants(self, session: Session, now: datetime) -> int:
        """Record each grant that has run out, once, and release its footage; how many."""
        count = 0
        for grant in grants.run_out(session, now):
            request = grant.request
            if not open_holds(session, request):
                continue  # recorded and released on an earlier sweep
            released = release_holds(session, request, now)
            self._audit.record(
                session,
                None,
                "grant.expired",
                target_type=AUDIT_TARGET,
                target_id=request.id,
                details={"reference": request.reference, "grant": grant.id, "released": released},
                actor_name="system",
            )
            count += 1
        return count

    # -- grants in use -------------------------------------------------------------------

    def grant_by_token(self, session: Session, token: str) -> FootageGrant:
        """The grant a secret link opens, while it works; otherwise one answer for all."""
        return grants.find_by_token(session, token, self._clock.now())

    def record_use(
        self, session: Session, grant: FootageGrant, action: str, ip: str, **details: object
    ) -> None:
        """A view or download under a secret link, in the audit log like any viewing."""
        self._audit.record(
            session,
            None,
            action,
            target_type=AUDIT_TARGET,
            target_id=grant.request_id,
            details={"reference": grant.request.reference, "grant": grant.id, **details},
            actor_name=f"link:{grant.request.reference}",
            ip=ip,
        )

    # -- helpers -------------------------------------------------------------------------

    def _pending(self, session: Session, request_id: int) -> FootageRequest:
        request = find_request(session, request_id)
        must_be_pending(request)
        return request

    def _record(
        self,
        session: Session,
        actor: Actor,
        request: FootageRequest,
        what: str,
        **details: object,
    ) -> None:
        """A Board step's audit entry on the request, named by its reference."""
        self._audit.record(
            session,
            actor,
            f"footage_request.{what}",
            target_type=AUDIT_TARGET,
            target_id=request.id,
            details={"reference": request.reference, **details},
        )
