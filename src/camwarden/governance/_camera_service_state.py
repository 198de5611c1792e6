"""A camera's service state: the state asked for, whether the register allows the move, and the
acceptance inspection (R-2.1) that lets a camera go into service. The service asks who may,
including the administrator's override when there is no such inspection."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.errors import Conflict, InvalidInput
from camwarden.governance._camera_kinds import ALLOWED_TRANSITIONS, CameraState
from camwarden.storage.models import Camera, Inspection


def target_state(new_state: str) -> CameraState:
    try:
        return CameraState(new_state)
    except ValueError:
        raise InvalidInput(
            "State '{value}' does not exist; expected one of: {expected}.",
            field="state",
            value=new_state,
            expected=", ".join(s.value for s in CameraState),
        ) from None


def check_move(current: CameraState, target: CameraState) -> None:
    if target not in ALLOWED_TRANSITIONS[current]:
        raise Conflict(
            "A camera cannot go from '{current}' to '{target}'.",
            current=current.value,
            target=target.value,
        )


def passed_acceptance(session: Session, camera: Camera) -> int | None:
    """The newest passed, signed-off acceptance inspection for the address the camera has now;
    an inspection of another address says nothing about this camera."""
    return session.scalars(
        select(Inspection.id)
        .where(
            Inspection.camera_id == camera.id,
            Inspection.kind == "acceptance",
            Inspection.verdict == "passed",
            Inspection.signed_off_at.is_not(None),
            Inspection.stream_url == camera.main_url,
        )
        .order_by(Inspection.signed_off_at.desc())
    ).first()
