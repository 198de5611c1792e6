"""The `disk_full` events: opened when the disk is under its margin and nothing may go."""

from __future__ import annotations

import logging

from sqlalchemy import select, update

from camwarden.clock import Clock
from camwarden.governance.cameras import CameraState
from camwarden.storage.database import Database
from camwarden.storage.models import Camera, CameraEvent
from camwarden.storage.recordings import EventKind, RecordingIndex

log = logging.getLogger(__name__)


def open_disk_full(
    database: Database, index: RecordingIndex, clock: Clock, margin_bytes: int, free: int
) -> None:
    """One open `disk_full` event per camera in service (not one per run)."""
    details = (
        f"{free} bytes free, {margin_bytes} wanted; everything left is held or "
        "not yet covered by a closed review"
    )
    log.error("recordings disk under its free margin and nothing may be deleted: %s", details)
    with database.reading() as session:
        in_service = set(
            session.scalars(select(Camera.id).where(Camera.state == CameraState.IN_SERVICE.value))
        )
        already = set(
            session.scalars(
                select(CameraEvent.camera_id).where(
                    CameraEvent.kind == EventKind.DISK_FULL, CameraEvent.ended_at.is_(None)
                )
            )
        )
    now = clock.now()
    for camera_id in sorted(in_service - already):
        index.open_event(camera_id, EventKind.DISK_FULL, now, details)


def close_disk_full(database: Database, clock: Clock) -> None:
    with database.transaction() as session:
        closed = session.execute(
            update(CameraEvent)
            .where(CameraEvent.kind == EventKind.DISK_FULL, CameraEvent.ended_at.is_(None))
            .values(ended_at=clock.now())
            .execution_options(synchronize_session=False)
        )
    if getattr(closed, "rowcount", 0):
        log.warning("recordings disk back over its free margin: disk_full events closed")
