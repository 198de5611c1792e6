"""Requests for footage from people the regulation does not name, and the Board's grants (R-4.2).

Anyone may file, with or without an account: purpose, cameras, a past time range, and whether
they want to watch or to receive a copy. Filing holds the footage so that it survives while the
request waits. The Board approves or refuses with a reason; a copy may need a second board
member's approval. Approval makes a grant limited to those cameras and that range, which stops
working by itself at its expiry; the sweep then records the expiry and releases the holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from camwarden.clock import Clock
from camwarden.errors import Conflict, Forbidden, InvalidInput, NotFound
from camwarden.governance._requests_checks import (
    checked_access,
    checked_cameras,
    checked_range,
    checked_valid_days,
)
from camwarden.governance._requests_links import GrantLinks, token_hash
from camwarden.governance._validation import bounded_text, required_text
from camwarden.governance.audit import AuditLog
from camwarden.governance.authorization import Actor, require
from camwarden.governance.roles import Permission, Role
from camwarden.governance.tracking import new_tracking_code, next_reference, tracking_hash
from camwarden.i18n import N_
from camwarden.storage.holds import HoldKind, place_hold
from camwarden.storage.lookup import get_by_id
from camwarden.storage.models import AuditEntry, FootageGrant, FootageHold, FootageRequest, User

AUDIT_TARGET = "footage_request"
REFERENCE_PREFIX = "YC"


class RequestStatus:
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


STATUS_LABELS: dict[str, str] = {
    RequestStatus.PENDING: N_("Waiting for the Board's decision"),
    RequestStatus.APPROVED: N_("Approved"),
    RequestStatus.REFUSED: N_("Refused"),
    RequestStatus.WITHDRAWN: N_("Withdrawn"),
}
ACCESS_LABELS: dict[str, str] = {
    "watch": N_("Watch the footage"),
    "copy": N_("Receive a copy"),
}
WAITING_FOR_SECOND = N_("Waiting for a second board member's approval")
# A request's history, as the Board reads it on the request's page.
HISTORY_LABELS: dict[str, str] = {
    "footage_request.filed": N_("Request filed"),
    "footage_request.first_approval": N_("First approval (a second is needed for a copy)"),
    "footage_request.approved": N_("Approved; grant made"),
    "footage_request.refused": N_("Refused"),
    "footage_request.withdrawn": N_("Withdrawn by the requester"),
    "footage_request.revoked": N_("Grant withdrawn by the Board"),
    "footage_request.playback": N_("Footage played back under the grant"),
    "footage_request.link_view": N_("Grant page opened with the secret link"),
    "footage_request.link_play": N_("Clip played with the secret link"),
    "footage_request.link_download": N_("Copy downloaded with the secret link"),
    "grant.expired": N_("Grant expired"),
}
PUBLIC_ACTOR_LABEL = N_("The requester (no account)")


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


def is_outsider(user: User | None) -> bool:
    """Someone outside the school: no account, or an account for an outside person. Their
    copies and views hide the people filmed (children's images)."""
    return user is None or user.role == Role.EXTERNAL.value


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
        name = required_text(name, field="requester_name", max_length=200)
        contact = required_text(contact, field="contact", max_length=200)
        organisation = bounded_text(organisation, field="organisation", max_length=200)
        purpose = required_text(purpose, field="purpose", max_length=4000)
        access = checked_access(access)
        start, end = checked_range(footage_start, footage_end, now=now)
        cameras = checked_cameras(session, camera_ids)
        code = new_tracking_code()
        request = FootageRequest(
            reference=next_reference(session, FootageRequest.reference, REFERENCE_PREFIX, now),
            tracking_hash=tracking_hash(code),
            requester_name=name,
            requester_contact=contact,
            requester_organisation=organisation,
            requester_user_id=actor.user_id if actor is not None else None,
            purpose=purpose,
            access=access,
            footage_start=start,
            footage_end=end,
            status=RequestStatus.PENDING,
            submitted_at=now,
            decision_reason="",
        )
        request.cameras = list(cameras)
        session.add(request)
        try:
            with session.begin_nested():
                session.flush()
        except IntegrityError:
            raise Conflict(
                "Another request took the same number at the same moment; send the form again."
            ) from None
        for camera in cameras:
            place_hold(
                session,
                camera_id=camera.id,
                start_at=start,
                end_at=end,
                kind=HoldKind.REQUEST,
                reference=request.reference,
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
                "name": name,
                "access": access,
                "cameras": [c.id for c in cameras],
                "from": start.isoformat(),
                "to": end.isoformat(),
            },
            actor_name=None if actor else "public",
            ip=ip or None,
        )
        return Filed(request, code)

    # -- reading -------------------------------------------------------------------------

    def status_by_code(self, session: Session, code: str) -> PublicStatus:
        """The request the code opens; a wrong code and an unknown one read the same."""
        request = session.scalar(
            select(FootageRequest).where(FootageRequest.tracking_hash == tracking_hash(code))
        )
        if request is None or not code.strip():
            raise NotFound("No request has this tracking code; check it and try again.")
        grant = self.current_grant(session, request.id)
        active = grant is not None and self.grant_is_valid(grant)
        link = (
            self._links.token(grant.id, _salt(grant))
            if grant is not None and active and grant.token_hash is not None
            else None
        )
        return PublicStatus(
            reference=request.reference,
            status=request.status,
            waiting_for_second=self.waiting_for_second(request),
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

    def list(self, session: Session, actor: Actor, *, limit: int = 200) -> Sequence[FootageRequest]:
        """Pending first (oldest first: they have waited longest), then the newest decided."""
        require(actor, Permission.APPROVE_REQUESTS)
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

    def get(self, session: Session, actor: Actor, request_id: int) -> FootageRequest:
        require(actor, Permission.APPROVE_REQUESTS)
        return self._request(session, request_id)

    def history(self, session: Session, actor: Actor, request_id: int) -> Sequence[AuditEntry]:
        """The request's own audit entries, oldest first: filing, approvals, views, expiry."""
        request = self.get(session, actor, request_id)
        return self._audit.history_of(session, AUDIT_TARGET, request.id)

    def current_grant(self, session: Session, request_id: int) -> FootageGrant | None:
        return session.scalar(
            select(FootageGrant)
            .where(FootageGrant.request_id == request_id)
            .order_by(FootageGrant.id.desc())
            .limit(1)
        )

    def waiting_for_second(self, request: FootageRequest) -> bool:
        return request.status == RequestStatus.PENDING and request.first_approval_by is not None

    def grant_is_valid(self, grant: FootageGrant) -> bool:
        """Checked on every use: a grant stops working at its expiry, sweep or not."""
        return grant.revoked_at is None and self._clock.now() < grant.expires_at

    # -- the Board's decision ------------------------------------------------------------

    def approve(
        self, session: Session, actor: Actor, request_id: int, *, reason: str, valid_days: int
    ) -> Decision:
        """Approve; a copy may need a second, different board member before the grant exists."""
        require(actor, Permission.APPROVE_REQUESTS)
        request = self._pending(session, request_id)
        reason = bounded_text(reason, field="reason", max_length=2000)
        valid_days = checked_valid_days(valid_days)
        now = self._clock.now()
        needs_second = request.access == "copy" and self._copy_needs_second
        if needs_second and request.first_approval_by is None:
            request.first_approval_by = actor.username
            request.first_approval_at = now
            self._record(session, actor, request, "first_approval", reason=reason, days=valid_days)
            return Decision(request, None, None)
        if needs_second:
            if request.first_approval_by == actor.username:
                raise Conflict(
                    "You have already approved request {value}; a copy needs the approval of a "
                    "second board member.",
                    value=request.reference,
                )
            request.second_approval_by = actor.username
            request.second_approval_at = now
        else:
            request.first_approval_by = actor.username
            request.first_approval_at = now
        request.status = RequestStatus.APPROVED
        request.decided_by = actor.username
        request.decided_at = now
        request.decision_reason = reason
        grantee = (
            get_by_id(session, User, request.requester_user_id)
            if request.requester_user_id is not None
            else None
        )
        grant = FootageGrant(
            request_id=request.id,
            user_id=grantee.id if grantee is not None else None,
            token_hash=None,
            access=request.access,
            footage_start=request.footage_start,
            footage_end=request.footage_end,
            created_at=now,
            expires_at=now + timedelta(days=valid_days),
        )
        session.add(grant)
        session.flush()
        link: str | None = None
        if is_outsider(grantee):
            # Outsiders watch only the anonymised copy, on the grant page its link opens.
            link = self._links.token(grant.id, _salt(grant))
            grant.token_hash = token_hash(link)
            session.flush()
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
        reason = required_text(reason, field="reason", max_length=2000)
        now = self._clock.now()
        request.status = RequestStatus.REFUSED
        request.decided_by = actor.username
        request.decided_at = now
        request.decision_reason = reason
        released = self._release_holds(session, request, now)
        self._record(session, actor, request, "refused", reason=reason, released_holds=released)
        return Decision(request, None, None)

    def withdraw(self, session: Session, code: str, *, ip: str = "") -> FootageRequest:
        """The requester, holding the code, takes a pending request back; its holds go."""
        status = self.status_by_code(session, code)
        request = session.scalar(
            select(FootageRequest).where(FootageRequest.reference == status.reference)
        )
        assert request is not None
        if request.status != RequestStatus.PENDING:
            raise Conflict("Request {value} has been decided already.", value=request.reference)
        now = self._clock.now()
        request.status = RequestStatus.WITHDRAWN
        request.decided_at = now
        released = self._release_holds(session, request, now)
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
        request = self._request(session, request_id)
        reason = required_text(reason, field="reason", max_length=2000)
        grant = self.current_grant(session, request.id)
        if grant is None or not self.grant_is_valid(grant):
            raise Conflict(
                "Request {value} has no grant in force to revoke.", value=request.reference
            )
        now = self._clock.now()
        grant.revoked_at = now
        grant.revoked_by = actor.username
        released = self._release_holds(session, request, now)
        self._record(
            session, actor, request, "revoked", reason=reason, grant=grant.id, released=released
        )

    # -- expiry --------------------------------------------------------------------------

    def expire_grants(self, session: Session, now: datetime) -> int:
        """Record each grant that has run out, once, and release its footage; how many."""
        expired = session.scalars(
            select(FootageGrant).where(
                FootageGrant.expires_at <= now, FootageGrant.revoked_at.is_(None)
            )
        ).all()
        count = 0
        for grant in expired:
            request = grant.request
            if not self._holds(session, request):
                continue  # recorded and released on an earlier sweep
            released = self._release_holds(session, request, now)
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
        grant = (
            session.scalar(select(FootageGrant).where(FootageGrant.token_hash == token_hash(token)))
            if token.strip()
            else None
        )
        if grant is None:
            raise NotFound("This link does not open any footage.")
        if not self.grant_is_valid(grant):
            raise Forbidden(
                "This link has expired or was withdrawn; footage can no longer be seen with it."
            )
        return grant

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

    def _request(self, session: Session, request_id: int) -> FootageRequest:
        request = get_by_id(session, FootageRequest, request_id)
        if request is None:
            raise NotFound("Request {value} does not exist.", value=request_id)
        return request

    def _pending(self, session: Session, request_id: int) -> FootageRequest:
        request = self._request(session, request_id)
        if request.status != RequestStatus.PENDING:
            raise Conflict("Request {value} has been decided already.", value=request.reference)
        return request

    def _holds(self, session: Session, request: FootageRequest) -> Sequence[FootageHold]:
        return session.scalars(
            select(FootageHold).where(
                FootageHold.kind == HoldKind.REQUEST,
                FootageHold.reference == request.reference,
                FootageHold.released_at.is_(None),
            )
        ).all()

    def _release_holds(self, session: Session, request: FootageRequest, now: datetime) -> int:
        holds = self._holds(session, request)
        for hold in holds:
            hold.released_at = now
        return len(holds)

    def _record(
        self,
        session: Session,
        actor: Actor,
        request: FootageRequest,
        what: str,
        **details: object,
    ) -> None:
        self._audit.record(
            session,
            actor,
            f"footage_request.{what}",
            target_type=AUDIT_TARGET,
            target_id=request.id,
            details={"reference": request.reference, **details},
        )


def _salt(grant: FootageGrant) -> str:
    return f"{grant.request_id}:{int(grant.created_at.timestamp())}"


def valid_token_input(token: str) -> str:
    """A link token as typed into a URL: short, URL-safe, or refused."""
    if len(token) > 100 or not all(c.isalnum() or c in "-_" for c in token):
        raise InvalidInput("This link does not open any footage.", field="token")
    return token
