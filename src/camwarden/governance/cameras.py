"""The camera register (R-1.1, R-2.1): stream addresses, sealed credentials, service state.

A camera starts as a draft and goes into service only after a passed acceptance inspection
(R-2.1), signed off, for the stream address it still has (`camwarden.inspection`). The
exception is an administrator's override, which needs a written reason, is audited, and stays
visible on the camera ("in service without inspection").

This module is the service: who may take each step, and its audit entry. The words, the checks
of the inputs, the sealed login, an edit of the entry, the service state's rules and what the
audit log is told live in the private `_camera_*` modules.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.analysis.events import TAMPER_KINDS
from camwarden.clock import Clock
from camwarden.errors import Conflict, InvalidInput, NotFound
from camwarden.governance._camera_changes import analysis_facts, changes, register_facts
from camwarden.governance._camera_checks import (
    analysis_settings,
    camera_name,
    check_retention_days,
    existing_zone,
    position_notes_text,
    refuse_duplicate,
    sub_stream_url,
)
from camwarden.governance._camera_credentials import seal_credentials
from camwarden.governance._camera_editing import apply_edit
from camwarden.governance._camera_kinds import (
    ALLOWED_TRANSITIONS,
    CAMERA_STATE_LABELS,
    DEFAULT_RETENTION_DAYS,
    MAX_RETENTION_DAYS,
    CameraState,
)
from camwarden.governance._camera_service_state import check_move, passed_acceptance, target_state
from camwarden.governance._validation import bounded_text, required_text
from camwarden.governance.audit import AuditLog
from camwarden.governance.authorization import Actor, can, require
from camwarden.governance.roles import Permission
from camwarden.governance.stream_urls import parse_stream_url
from camwarden.governance.vault import CredentialVault
from camwarden.storage.lookup import get_by_id
from camwarden.storage.models import Camera, CameraEvent

# The recorder, retention, the monitoring, the pages and the API name these from here.
__all__ = [
    "ALLOWED_TRANSITIONS",
    "CAMERA_STATE_LABELS",
    "DEFAULT_RETENTION_DAYS",
    "MAX_RETENTION_DAYS",
    "CameraState",
    "Cameras",
    "check_retention_days",
]


class Cameras:
    def __init__(
        self,
        clock: Clock,
        audit: AuditLog,
        vault: CredentialVault,
        *,
        review_period_days: int = 15,
    ) -> None:
        self._clock = clock
        self._audit = audit
        self._vault = vault
        self._review_period_days = review_period_days

    @property
    def review_period_days(self) -> int:
        """The shortest retention a camera may have (the settings' review period)."""
        return self._review_period_days

    def list(self, session: Session, actor: Actor) -> Sequence[Camera]:
        require(actor, Permission.VIEW_CAMERAS)
        cameras = session.scalars(select(Camera).order_by(Camera.name)).all()
        return [c for c in cameras if can(actor, Permission.VIEW_CAMERAS, c.zone_id)]

    def get(self, session: Session, actor: Actor, camera_id: int) -> Camera:
        camera = get_by_id(session, Camera, camera_id)
        # A camera outside the actor's zones is reported as absent, not as forbidden.
        if camera is None or not can(actor, Permission.VIEW_CAMERAS, camera.zone_id):
            raise NotFound("Camera {value} does not exist.", value=camera_id)
        return camera

    def create(
        self,
        session: Session,
        actor: Actor,
        *,
        name: str,
        zone_id: int,
        main_url: str,
        sub_url: str | None = None,
        username: str | None = None,
        password: str | None = None,
        position_notes: str = "",
        retention_days: int | None = None,
    ) -> Camera:
        """A new draft camera; retention defaults to 30 days, or the review period if longer."""
        require(actor, Permission.MANAGE_CAMERAS, zone_id)
        zone = existing_zone(session, zone_id)
        name = camera_name(name)
        refuse_duplicate(session, name)
        main = parse_stream_url(main_url, field="main_url")
        sub = sub_stream_url(sub_url)
        retention = check_retention_days(
            max(DEFAULT_RETENTION_DAYS, self._review_period_days)
            if retention_days is None
            else retention_days,
            review_period_days=self._review_period_days,
        )
        now = self._clock.now()
        camera = Camera(
            name=name,
            zone_id=zone.id,
            main_url=main.url,
            sub_url=sub,
            credentials_encrypted=seal_credentials(self._vault, main, username, password),
            state=CameraState.DRAFT.value,
            in_service_by_override=False,
            position_notes=position_notes_text(position_notes),
            retention_days=retention,
            created_at=now,
            updated_at=now,
        )
        session.add(camera)
        session.flush()
        self._record(
            session, actor, camera, "camera.create", {**register_facts(camera), "zone": zone.name}
        )
        return camera

    def update(
        self,
        session: Session,
        actor: Actor,
        camera_id: int,
        *,
        name: str | None = None,
        zone_id: int | None = None,
        main_url: str | None = None,
        sub_url: str | None = None,
        username: str | None = None,
        password: str | None = None,
        position_notes: str | None = None,
        retention_days: int | None = None,
    ) -> Camera:
        """Change what is given; an empty `sub_url` removes it, credentials stay unless given.

        A shorter `retention_days` lets retention delete footage at its next pass, so the
        change is audited like any other, with the old and new values.
        """
        camera = self.get(session, actor, camera_id)
        require(actor, Permission.MANAGE_CAMERAS, camera.zone_id)
        before = register_facts(camera)
        if zone_id is not None and zone_id != camera.zone_id:
            require(actor, Permission.MANAGE_CAMERAS, zone_id)
            camera.zone_id = existing_zone(session, zone_id).id
        credentials_changed = apply_edit(
            session,
            camera,
            self._vault,
            name=name,
            main_url=main_url,
            sub_url=sub_url,
            username=username,
            password=password,
            position_notes=position_notes,
            retention_days=retention_days,
            review_period_days=self._review_period_days,
        )
        changed = changes(before, register_facts(camera))
        if credentials_changed:
            changed["credentials"] = "changed"  # the values themselves never reach the log
        if changed:
            camera.updated_at = self._clock.now()
            self._record(session, actor, camera, "camera.update", {"changes": changed})
        return camera

    def set_analysis(
        self,
        session: Session,
        actor: Actor,
        camera_id: int,
        *,
        analysis_mask: str | None = None,
        tamper_sensitivity: str | None = None,
        motion_sensitivity: str | None = None,
    ) -> Camera:
        """IT's analysis settings for one camera: the mask (cells the detectors ignore) and
        the tamper and motion sensitivities. All are checked before any is changed; a change
        is audited with the old and new values and reaches the live analysis within one sync
        of the recording supervisor, without restarting the recording."""
        camera = self.get(session, actor, camera_id)
        require(actor, Permission.MANAGE_CAMERAS, camera.zone_id)
        settings = analysis_settings(
            camera,
            analysis_mask=analysis_mask,
            tamper_sensitivity=tamper_sensitivity,
            motion_sensitivity=motion_sensitivity,
        )
        before = analysis_facts(camera)
        camera.analysis_mask, camera.tamper_sensitivity, camera.motion_sensitivity = settings
        changed = changes(before, analysis_facts(camera))
        if changed:
            camera.updated_at = self._clock.now()
            details = {"camera": camera.name, "changes": changed}
            self._record(session, actor, camera, "camera.analysis_settings", details)
        return camera

    def learn_view_again(
        self, session: Session, actor: Actor, camera_id: int, *, reason: str
    ) -> Sequence[CameraEvent]:
        """IT's word that what the camera shows now is its normal view: it was re-aimed on
        purpose, or its view was learnt while someone stood in front of it. The running
        analysis learns the view again within one sync of the recording supervisor, and the
        camera's open tamper events end now (returned), each noting who ended them. Audited
        with the reason. Refused for a camera not in service: it has no analysis running,
        and it learns its view when it goes into service."""
        camera = self.get(session, actor, camera_id)
        require(actor, Permission.MANAGE_CAMERAS, camera.zone_id)
        reason = required_text(reason, field="reason", max_length=1000)
        if camera.state != CameraState.IN_SERVICE.value:
            raise Conflict(
                "Camera '{name}' is not in service: it learns its view when it goes into service.",
                name=camera.name,
            )
        now = self._clock.now()
        ended = _open_tamper_events(session, camera.id)
        for event in ended:
            event.ended_at = now
            note = f"ended by {actor.username}: view learnt again"
            event.details = f"{event.details}; {note}" if event.details else note
        camera.view_learning_requests += 1
        camera.updated_at = now
        details = {
            "camera": camera.name,
            "reason": reason,
            "ended_events": [f"{event.id} ({event.kind})" for event in ended],
        }
        self._record(session, actor, camera, "camera.view_learnt_again", details)
        return ended

    def open_tamper_events(
        self, session: Session, actor: Actor, camera_id: int
    ) -> Sequence[CameraEvent]:
        """The camera's tamper events not yet ended, oldest first (what learning the view
        again would end)."""
        camera = self.get(session, actor, camera_id)
        return _open_tamper_events(session, camera.id)

    def set_state(
        self,
        session: Session,
        actor: Actor,
        camera_id: int,
        new_state: str,
        *,
        reason: str = "",
    ) -> Camera:
        camera = self.get(session, actor, camera_id)
        require(actor, Permission.MANAGE_CAMERAS, camera.zone_id)
        target = target_state(new_state)
        current = CameraState(camera.state)
        check_move(current, target)
        reason = bounded_text(reason, field="reason", max_length=1000)
        override = False
        inspection_id: int | None = None
        if target is CameraState.IN_SERVICE:
            # a passed, signed-off acceptance for the address the camera has now.
            inspection_id = passed_acceptance(session, camera)
        if target is CameraState.IN_SERVICE and inspection_id is None:
            # Without one, only the administrator's audited override remains.
            require(actor, Permission.OVERRIDE_CAMERA_SERVICE)
            if not reason:
                raise InvalidInput(
                    "Putting a camera in service without a passed inspection needs a written "
                    "reason.",
                    field="reason",
                )
            override = True
        camera.state = target.value
        camera.in_service_by_override = override if target is CameraState.IN_SERVICE else False
        camera.updated_at = self._clock.now()
        details = {
            "from": current.value,
            "to": target.value,
            "reason": reason,
            **({"inspection": inspection_id} if inspection_id is not None else {}),
        }
        action = "camera.override_in_service" if override else "camera.state_change"
        self._record(session, actor, camera, action, details)
        return camera

    def delete(self, session: Session, actor: Actor, camera_id: int) -> None:
        camera = self.get(session, actor, camera_id)
        require(actor, Permission.MANAGE_CAMERAS, camera.zone_id)
        if camera.state == CameraState.IN_SERVICE.value:
            raise Conflict(
                "Camera '{name}' is in service; take it out of service before removing it.",
                name=camera.name,
            )
        self._record(session, actor, camera, "camera.delete", register_facts(camera))
        session.delete(camera)

    def credentials(self, camera: Camera) -> tuple[str, str] | None:
        """For the recorder only: never returned by the API or shown in a page."""
        if camera.credentials_encrypted is None:
            return None
        return self._vault.open(camera.credentials_encrypted)

    # -- internals -------------------------------------------------------------------------

    def _record(
        self,
        session: Session,
        actor: Actor,
        camera: Camera,
        action: str,
        details: dict[str, Any],
    ) -> None:
        """A step's audit entry on the camera."""
        self._audit.record(
            session, actor, action, target_type="camera", target_id=camera.id, details=details
        )


def _open_tamper_events(session: Session, camera_id: int) -> list[CameraEvent]:
    return list(
        session.scalars(
            select(CameraEvent)
            .where(
                CameraEvent.camera_id == camera_id,
                CameraEvent.kind.in_(sorted(TAMPER_KINDS)),
                CameraEvent.ended_at.is_(None),
            )
            .order_by(CameraEvent.started_at)
        ).all()
    )
