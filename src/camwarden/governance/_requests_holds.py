"""The footage a request holds: placed on its cameras and range when it is filed, so that it
survives while the request waits, and released when the request is refused or withdrawn, or its
grant is revoked or runs out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.storage.holds import HoldKind, place_hold
from camwarden.storage.models import Camera, FootageHold, FootageRequest


def hold_footage(
    session: Session,
    request: FootageRequest,
    cameras: Sequence[Camera],
    *,
    start: datetime,
    end: datetime,
    created_by: str,
    now: datetime,
) -> None:
    """One hold per camera, named by the request's reference."""
    for camera in cameras:
        place_hold(
            session,
            camera_id=camera.id,
            start_at=start,
            end_at=end,
            kind=HoldKind.REQUEST,
            reference=request.reference,
            created_by=created_by,
            now=now,
        )


def open_holds(session: Session, request: FootageRequest) -> Sequence[FootageHold]:
    """The request's holds still in force."""
    return session.scalars(
        select(FootageHold).where(
            FootageHold.kind == HoldKind.REQUEST,
            FootageHold.reference == request.reference,
            FootageHold.released_at.is_(None),
        )
    ).all()


def release_holds(session: Session, request: FootageRequest, now: datetime) -> int:
    """The number of the request's holds released (those still in force)."""
    holds = open_holds(session, request)
    for hold in holds:
        hold.released_at = now
    return len(holds)
