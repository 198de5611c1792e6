"""Who may look at footage, and the record that they did (R-4.1, R-4.4).

Every start of a live view or of a playback is an audit entry; a playback also carries the
reason given. Snapshot tiles of the live grid are covered by the one entry written when the
grid is opened (a tile refreshes every 2 s: one entry each would drown the log).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.errors import InvalidInput, NotFound
from camwarden.governance._validation import bounded_text
from camwarden.governance.audit import AuditLog
from camwarden.governance.authorization import Actor, can, require
from camwarden.governance.cameras import Cameras
from camwarden.governance.roles import Permission
from camwarden.storage.models import Camera, CameraEvent


class FootageAccess:
    def __init__(self, audit: AuditLog, cameras: Cameras) -> None:
        self._audit = audit
        self._cameras = cameras

    def start_playback(
        self, session: Session, actor: Actor, camera_id: int, at: datetime, reason: str
    ) -> Camera:
        camera = self._cameras.get(session, actor, camera_id)
        require(actor, Permission.PLAY_BACK, camera.zone_id)
        reason = bounded_text(reason, field="reason", max_length=500)
        if not reason:
            raise InvalidInput(
                "Say why you are watching this recording: the reason goes into the audit log.",
                field="reason",
            )
        self._audit.record(
            session,
            actor,
            "footage.playback",
            target_type="camera",
            target_id=camera.id,
            details={"camera": camera.name, "from": at.isoformat(), "reason": reason},
        )
        return camera

    def may_read_timeline(self, session: Session, actor: Actor, camera_id: int) -> Camera:
        camera = self._cameras.get(session, actor, camera_id)
        require(actor, Permission.PLAY_BACK, camera.zone_id)
        return camera

    def start_live(self, session: Session, actor: Actor, camera_id: int) -> Camera:
        camera = self._cameras.get(session, actor, camera_id)
        require(actor, Permission.WATCH_LIVE, camera.zone_id)
        self._audit.record(
            session,
            actor,
            "footage.live",
            target_type="camera",
            target_id=camera.id,
            details={"camera": camera.name},
        )
        return camera

    def may_see_snapshot(self, session: Session, actor: Actor, camera_id: int) -> Camera:
        camera = self._cameras.get(session, actor, camera_id)
        require(actor, Permission.WATCH_LIVE, camera.zone_id)
        return camera

    def event_snapshot(
        self, session: Session, actor: Actor, camera_id: int, event_id: int, which: str
    ) -> CameraEvent:
        """A camera event whose snapshot the actor may see (as the live snapshot: WATCH_LIVE
        in the camera's zone). Unlike a live tile, a stored picture is looked at on purpose,
        so each view is an audit entry."""
        camera = self.may_see_snapshot(session, actor, camera_id)
        event = session.get(CameraEvent, event_id)
        if event is None or event.camera_id != camera.id:
            raise NotFound("Event {value} does not exist.", value=event_id)
        self._audit.record(
            session,
            actor,
            "footage.event_snapshot",
            target_type="camera",
            target_id=camera.id,
            details={"camera": camera.name, "event": event.id, "kind": event.kind, "which": which},
        )
        return event

    def health_events(
        self, session: Session, actor: Actor, *, since: datetime, limit: int = 200
    ) -> Sequence[CameraEvent]:
        """Health events of the cameras the actor can see: still open ones first, then the
        newest, from `since` on (R-6.1, R-8.1)."""
        camera_ids = [c.id for c in self._cameras.list(session, actor)]
        if not camera_ids:
            return []
        return session.scalars(
            select(CameraEvent)
            .where(
                CameraEvent.camera_id.in_(camera_ids),
                (CameraEvent.ended_at.is_(None)) | (CameraEvent.started_at >= since),
            )
            .order_by(CameraEvent.ended_at.is_not(None), CameraEvent.started_at.desc())
            .limit(limit)
        ).all()

    def open_live_grid(self, session: Session, actor: Actor) -> Sequence[Camera]:
        """The cameras the actor may watch live; opening the grid is one audit entry."""
        require(actor, Permission.WATCH_LIVE)
        cameras = [
            c
            for c in self._cameras.list(session, actor)
            if can(actor, Permission.WATCH_LIVE, c.zone_id)
        ]
        self._audit.record(
            session,
            actor,
            "footage.live_grid",
            target_type="camera",
            details={"cameras": [c.id for c in cameras]},
        )
        return cameras
