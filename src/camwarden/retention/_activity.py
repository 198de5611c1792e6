"""Motion activity goes with the footage: hours older than the camera's retention are deleted
by the same pass, with the same limit (never footage no closed review covers yet)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import CursorResult, delete
from sqlalchemy.orm import Session

from camwarden.governance.audit import AuditLog
from camwarden.storage.models import MotionActivity

AUDIT_ACTION = "activity.retention_delete"
_HOUR = timedelta(hours=1)


def forget_old_activity(
    session: Session,
    audit: AuditLog,
    cameras: Sequence[tuple[int, int]],
    now: datetime,
    reviewed_until: datetime | None,
    *,
    actor_name: str,
) -> int:
    """Delete each camera's activity hours that ended before its retention; one audit entry."""
    removed: dict[str, int] = {}
    if reviewed_until is None:
        return 0
    for camera_id, retention_days in cameras:
        limit = min(now - timedelta(days=retention_days), reviewed_until)
        result = session.execute(
            delete(MotionActivity)
            .where(
                MotionActivity.camera_id == camera_id,
                # The whole hour must be older than the limit, as a segment's end must be.
                MotionActivity.hour_start <= limit - _HOUR,
            )
            .execution_options(synchronize_session=False)
        )
        assert isinstance(result, CursorResult)  # a DELETE answers with its row count
        if result.rowcount:
            removed[str(camera_id)] = int(result.rowcount)
    if removed:
        audit.record(
            session,
            None,
            AUDIT_ACTION,
            target_type="motion_activity",
            actor_name=actor_name,
            details={
                "hours": removed,
                "retention_days": {str(camera_id): days for camera_id, days in cameras},
            },
        )
    return sum(removed.values())
