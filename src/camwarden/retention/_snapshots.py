"""Tamper snapshots go with the footage they show: a picture of a camera's view is footage.

Past the camera's retention (never before a closed review covers it), and only where no hold covers
the event, the event keeps its row (when, what, how sure) and loses its pictures. The paths
are cleared in the database first and the files removed after the commit: a crash between
the two leaves an unreferenced file, never a row pointing at nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from camwarden.analysis.snapshots import SnapshotStore
from camwarden.governance.audit import AuditLog
from camwarden.storage.models import CameraEvent

AUDIT_ACTION = "snapshots.retention_delete"
Ranges = dict[int, list[tuple[datetime, datetime]]]


def forget_old_snapshots(
    session: Session,
    audit: AuditLog,
    cameras: Sequence[tuple[int, int]],
    holds: Ranges,
    now: datetime,
    reviewed_until: datetime | None,
    *,
    actor_name: str,
) -> list[str]:
    """Clear the snapshot paths of old, unheld events; the relative paths to delete after
    the commit."""
    to_delete: list[str] = []
    events_cleared: dict[str, int] = {}
    if reviewed_until is None:
        return to_delete
    for camera_id, retention_days in cameras:
        limit = min(now - timedelta(days=retention_days), reviewed_until)
        events = session.scalars(
            select(CameraEvent).where(
                CameraEvent.camera_id == camera_id,
                CameraEvent.ended_at.is_not(None),
                CameraEvent.ended_at < limit,
                or_(
                    CameraEvent.snapshot_before.is_not(None),
                    CameraEvent.snapshot_after.is_not(None),
                ),
            )
        ).all()
        for event in events:
            assert event.ended_at is not None
            held = any(
                start < event.ended_at and end > event.started_at
                for start, end in holds.get(camera_id, ())
            )
            if held:
                continue
            to_delete += [p for p in (event.snapshot_before, event.snapshot_after) if p]
            event.snapshot_before = event.snapshot_after = None
            events_cleared[str(camera_id)] = events_cleared.get(str(camera_id), 0) + 1
    if events_cleared:
        audit.record(
            session,
            None,
            AUDIT_ACTION,
            target_type="camera_event",
            actor_name=actor_name,
            details={"events": events_cleared},
        )
    return to_delete


def remove_files(folder: Path, relatives: Sequence[str]) -> None:
    store = SnapshotStore(folder)
    for relative in relatives:
        path = store.resolve(relative)
        if path is not None:
            path.unlink(missing_ok=True)
