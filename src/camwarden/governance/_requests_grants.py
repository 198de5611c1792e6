"""A request's grant: made at approval (with a secret link for a grantee outside the school),
found again (the newest of a request, the one a link opens, those run out), and whether it
still works. No permission is asked here: the service asks first."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.errors import Forbidden, NotFound
from camwarden.governance._requests_kinds import is_outsider
from camwarden.governance._requests_links import GrantLinks, token_hash
from camwarden.storage.lookup import get_by_id
from camwarden.storage.models import FootageGrant, FootageRequest, User


def make_grant(
    session: Session,
    links: GrantLinks,
    request: FootageRequest,
    *,
    valid_days: int,
    now: datetime,
) -> tuple[FootageGrant, str | None]:
    """The approved request's grant for its cameras and range, and the secret link's token when
    the grantee is an outsider (None for an account holder of the school)."""
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
        link = links.token_of(grant)
        grant.token_hash = token_hash(link)
        session.flush()
    return grant, link


def is_valid(grant: FootageGrant, now: datetime) -> bool:
    """Checked on every use: a grant stops working at its expiry, sweep or not."""
    return grant.revoked_at is None and now < grant.expires_at


def current_grant(session: Session, request_id: int) -> FootageGrant | None:
    """The request's newest grant, working or not."""
    return session.scalar(
        select(FootageGrant)
        .where(FootageGrant.request_id == request_id)
        .order_by(FootageGrant.id.desc())
        .limit(1)
    )


def find_by_token(session: Session, token: str, now: datetime) -> FootageGrant:
    """The grant a secret link opens, while it works; otherwise one answer for all."""
    grant = (
        session.scalar(select(FootageGrant).where(FootageGrant.token_hash == token_hash(token)))
        if token.strip()
        else None
    )
    if grant is None:
        raise NotFound("This link does not open any footage.")
    if not is_valid(grant, now):
        raise Forbidden(
            "This link has expired or was withdrawn; footage can no longer be seen with it."
        )
    return grant


def run_out(session: Session, now: datetime) -> Sequence[FootageGrant]:
    """Grants past their expiry and never revoked, whether or not a sweep recorded them."""
    return session.scalars(
        select(FootageGrant).where(
            FootageGrant.expires_at <= now, FootageGrant.revoked_at.is_(None)
        )
    ).all()
