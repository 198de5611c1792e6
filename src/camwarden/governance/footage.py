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

from camwarden.clock import Clock
from camwarden.errors import InvalidInput, NotFound
from camwarden.governance._validation import bounded_text
from camwarden.governance.audit import AuditLog
from camwarden.governance.authorization import Actor, can, require
from camwarden.governance.cameras import Cameras
from camwarden.governance.roles import Permission
from camwarden.storage.lookup import get_by_id
from camwarden.storage.models import Camera, CameraEvent, FootageGrant, FootageRequest


class FootageAccess:
    def __init__(self, audit: AuditLog, cameras: Cameras, clock: Clock) -> None:
        self._audit = audit
        self._cameras = cameras
        self._clock = clock

    def start_playback(
        self, session: Session, actor: Actor, camera_id: int, at: datetime, reason: str
    ) -> Camera:
        camera, grant = self._playable(session, actor, camera_id)
        if grant is not None and not grant.footage_start <= at < grant.footage_end:
            raise InvalidInput(
                "The footage you were granted runs from {start} to {end}; {value} is outside it.",
                field="at",
                start=grant.footage_start.isoformat(),
                end=grant.footage_end.isoformat(),
                value=at.isoformat(),
            )
        reason = bounded_text(reason, field="reason", max_length=500)
        if not reason:
            raise InvalidInput(
                "Say why you are watching this recording: the reason goes into the audit log.",
                field="reason",
            )
        details: dict[str, object] = {
            "camera": camera.name,
            "from": at.isoformat(),
            "reason": reason,
        }
        if grant is not None:
            details |= {"grant": grant.id, "request": grant.request.reference}
            # The request's own history shows each viewing under its grant too.
            self._audit.record(
                session,
                actor,
                "footage_request.playback",
                target_type="footage_request",
                target_id=grant.request_id,
                details=details,
            )
        self._audit.record(
            session,
            actor,
            "footage.playback",
            target_type="camera",
            target_id=camera.id,
            details=details,
        )
        return camera

    def may_read_timeline(self, session: Session, actor: Actor, camera_id: int) -> Camera:
        return self._playable(session, actor, camera_id)[0]

    def granted_range(
        self, session: Session, actor: Actor, camera_id: int
    ) -> tuple[datetime, datetime] | None:
        """The range a grant limits the actor to on this camera; None when the actor may play
        the camera's footage by role (no limit)."""
        grant = self._playable(session, actor, camera_id)[1]
        return (grant.footage_start, grant.footage_end) if grant is not None else None

    def _playable(
        self, session: Session, actor: Actor, camera_id: int
    ) -> tuple[Camera, FootageGrant | None]:
        """The camera, and the grant that opens it when the role does not (R-4.2)."""
        grant = None
        camera = get_by_id(session, Camera, camera_id)
        if camera is not None and not can(actor, Permission.PLAY_BACK, camera.zone_id):
            grant = self._grant_for(session, actor, camera.id)
        if grant is not None and camera is not None:
            return camera, grant
        camera = self._cameras.get(session, actor, camera_id)
        require(actor, Permission.PLAY_BACK, camera.zone_id)
        return camera, None

    def _grant_for(self, session: Session, actor: Actor, camera_id: int) -> FootageGrant | None:
        """A grant in force tied to the actor's account and covering the camera. Grants opened
        by a secret link are for outsiders, who see only the anonymised copy: never here."""
        if actor.user_id is None:
            return None
        return session.scalar(
            select(FootageGrant)
            .join(FootageRequest, FootageRequest.id == FootageGrant.request_id)
            .where(
                FootageGrant.user_id == actor.user_id,
                FootageGrant.token_hash.is_(None),
                FootageGrant.revoked_at.is_(None),
                FootageGrant.expires_at > self._clock.now(),
                FootageRequest.cameras.any(Camera.id == camera_id),
            )
            .order_by(FootageGrant.expires_at.desc())
            .limit(1)
        )

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
