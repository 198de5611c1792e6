"""Holds on footage: the ranges retention and disk pressure must leave alone (R-5.2, R-4.3)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.storage.models import FootageHold


class HoldKind:
    EVIDENCE = "evidence"
    REQUEST = "request"
    COMPLAINT = "complaint"
    REVIEW = "review"
    # Bookmarked footage of a signed-off review: kept past normal retention, never released.
    ARCHIVE = "archive"


def place_hold(
    session: Session,
    *,
    camera_id: int,
    start_at: datetime,
    end_at: datetime,
    kind: str,
    reference: str,
    created_by: str,
    now: datetime,
) -> FootageHold:
    hold = FootageHold(
        camera_id=camera_id,
        start_at=start_at,
        end_at=end_at,
        kind=kind,
        reference=reference[:100],
        created_by=created_by[:64],
        created_at=now,
        released_at=None,
    )
    session.add(hold)
    session.flush()
    return hold


def active_holds(
    session: Session,
    camera_id: int,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Sequence[FootageHold]:
    """Unreleased holds on the camera overlapping [since, until)."""
    conditions = [FootageHold.camera_id == camera_id, FootageHold.released_at.is_(None)]
    if since is not None:
        conditions.append(FootageHold.end_at > since)
    if until is not None:
        conditions.append(FootageHold.start_at < until)
    return session.scalars(
        select(FootageHold).where(*conditions).order_by(FootageHold.start_at)
    ).all()


def is_held(session: Session, camera_id: int, start_at: datetime, end_at: datetime) -> bool:
    """True when any unreleased hold overlaps the range: then none of it may be deleted."""
    return bool(active_holds(session, camera_id, start_at, end_at))
