"""When the camera condition behind an open alert is over: noted on the alert, which stays
open, because a person still resolves it after looking at what happened while it lasted."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from camwarden.governance._alert_kinds import unresolved
from camwarden.storage.models import Alert, CameraEvent


def note_ended_conditions(session: Session) -> int:
    """For open alerts of a camera event whose condition has no event of its kind still
    open, note when the last one ended. Returns how many alerts were updated."""
    waiting = session.scalars(
        select(Alert).where(
            unresolved(),
            Alert.camera_id.is_not(None),
            Alert.source_event_id.is_not(None),
            Alert.condition_ended_at.is_(None),
        )
    ).all()
    noted = 0
    for alert in waiting:
        of_this_condition = (
            CameraEvent.camera_id == alert.camera_id,
            CameraEvent.kind == alert.kind,
            CameraEvent.started_at >= alert.raised_at,
        )
        still_open = session.scalar(
            select(func.count())
            .select_from(CameraEvent)
            .where(*of_this_condition, CameraEvent.ended_at.is_(None))
        )
        if still_open:
            continue
        ended_at = session.scalar(select(func.max(CameraEvent.ended_at)).where(*of_this_condition))
        if ended_at is not None:
            alert.condition_ended_at = ended_at
            noted += 1
    return noted
