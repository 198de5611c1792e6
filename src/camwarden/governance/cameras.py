"""The camera register (R-1.1, R-2.1): stream addresses, sealed credentials, service state.

A camera starts as a draft and goes into service only after a passed acceptance inspection
(R-2.1), signed off, for the stream address it still has (`camwarden.inspection`). The
exception is an administrator's override, which needs a written reason, is audited, and stays
visible on the camera ("in service without inspection").
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.analysis.mask import parse_mask
from camwarden.analysis.sensitivity import parse_sensitivity
from camwarden.clock import Clock
from camwarden.errors import Conflict, InvalidInput, NotFound
from camwarden.governance._validation import bounded_text, required_text
from camwarden.governance.audit import AuditLog
from camwarden.governance.authorization import Actor, can, require
from camwarden.governance.fields import field_label
from camwarden.governance.roles import Permission
from camwarden.governance.stream_urls import (
    StreamAddress,
    parse_stream_url,
)
from camwarden.governance.vault import CredentialVault
from camwarden.i18n import N_
from camwarden.storage.lookup import get_by_id
from camwarden.storage.models import Camera, Inspection, Zone

DEFAULT_RETENTION_DAYS = 30
# Ten years: beyond that a number is a typo, and archived footage is kept by the review's
# archive, not by continuous retention.
MAX_RETENTION_DAYS = 3650


class CameraState(StrEnum):
    DRAFT = "draft"
    IN_SERVICE = "in_service"
    OUT_OF_SERVICE = "out_of_service"


CAMERA_STATE_LABELS: dict[CameraState, str] = {
    CameraState.DRAFT: N_("Draft (not yet accepted)"),
    CameraState.IN_SERVICE: N_("In service"),
    CameraState.OUT_OF_SERVICE: N_("Out of service"),
}

ALLOWED_TRANSITIONS: dict[CameraState, frozenset[CameraState]] = {
    CameraState.DRAFT: frozenset({CameraState.IN_SERVICE, CameraState.OUT_OF_SERVICE}),
    CameraState.IN_SERVICE: frozenset({CameraState.OUT_OF_SERVICE}),
    CameraState.OUT_OF_SERVICE: frozenset({CameraState.IN_SERVICE}),
}


def check_retention_days(value: object, *, review_period_days: int) -> int:
    """Days of continuous footage a camera keeps: never fewer than the review period (R-5.2)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(
            "The field '{label}' must be a whole number of days.",
            field="retention_days",
            label=field_label("retention_days"),
        )
    if value < review_period_days:
        # Footage deleted before its review could see it would defeat Art. 5.
        raise InvalidInput(
            "Retention of {value} days is too short: footage must be kept at least {days} "
            "days, so that the review every {days} days (Art. 5) can see it.",
            field="retention_days",
            value=value,
            days=review_period_days,
        )
    if value > MAX_RETENTION_DAYS:
        raise InvalidInput(
            "Retention of {value} days is too long: at most {max_days} days.",
            field="retention_days",
            value=value,
            max_days=MAX_RETENTION_DAYS,
        )
    return value


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
        zone = self._zone(session, zone_id)
        name = required_text(name, field="name", max_length=120)
        self._refuse_duplicate(session, name)
        main = parse_stream_url(main_url, field="main_url")
        sub = parse_stream_url(sub_url, field="sub_url") if sub_url and sub_url.strip() else None
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
            sub_url=sub.url if sub else None,
            credentials_encrypted=self._seal(main, username, password),
            state=CameraState.DRAFT.value,
            in_service_by_override=False,
            position_notes=bounded_text(position_notes, field="position_notes", max_length=2000),
            retention_days=retention,
            created_at=now,
            updated_at=now,
        )
        session.add(camera)
        session.flush()
        self._audit.record(
            session,
            actor,
            "camera.create",
            target_type="camera",
            target_id=camera.id,
            details={**self._snapshot(camera), "zone": zone.name},
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
        before = self._snapshot(camera)
        if zone_id is not None and zone_id != camera.zone_id:
            require(actor, Permission.MANAGE_CAMERAS, zone_id)
            camera.zone_id = self._zone(session, zone_id).id
        if name is not None:
            new_name = required_text(name, field="name", max_length=120)
            if new_name != camera.name:
                self._refuse_duplicate(session, new_name)
                camera.name = new_name
        credentials_changed = False
        if main_url is not None:
            main = parse_stream_url(main_url, field="main_url")
            camera.main_url = main.url
            if main.username is not None:
                camera.credentials_encrypted = self._seal(main, None, None)
                credentials_changed = True
        if sub_url is not None:
            camera.sub_url = (
                parse_stream_url(sub_url, field="sub_url").url if sub_url.strip() else None
            )
        if username is not None or password is not None:
            camera.credentials_encrypted = self._seal(
                StreamAddress(camera.main_url, None, None), username, password
            )
            credentials_changed = True
        if position_notes is not None:
            camera.position_notes = bounded_text(
                position_notes, field="position_notes", max_length=2000
            )
        if retention_days is not None:
            camera.retention_days = check_retention_days(
                retention_days, review_period_days=self._review_period_days
            )
        after = self._snapshot(camera)
        changes: dict[str, object] = {
            k: [before[k], after[k]] for k in after if before[k] != after[k]
        }
        if credentials_changed:
            changes["credentials"] = "changed"  # the values themselves never reach the log
        if changes:
            camera.updated_at = self._clock.now()
            self._audit.record(
                session,
                actor,
                "camera.update",
                target_type="camera",
                target_id=camera.id,
                details={"changes": changes},
            )
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
        mask = parse_mask(analysis_mask) if analysis_mask is not None else camera.analysis_mask
        tamper = (
            parse_sensitivity(tamper_sensitivity, field="tamper_sensitivity")
            if tamper_sensitivity is not None
            else camera.tamper_sensitivity
        )
        motion = (
            parse_sensitivity(motion_sensitivity, field="motion_sensitivity")
            if motion_sensitivity is not None
            else camera.motion_sensitivity
        )
        before = self._analysis_snapshot(camera)
        camera.analysis_mask, camera.tamper_sensitivity, camera.motion_sensitivity = (
            mask,
            tamper,
            motion,
        )
        after = self._analysis_snapshot(camera)
        changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if changes:
            camera.updated_at = self._clock.now()
            self._audit.record(
                session,
                actor,
                "camera.analysis_settings",
                target_type="camera",
                target_id=camera.id,
                details={"camera": camera.name, "changes": changes},
            )
        return camera

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
        try:
            target = CameraState(new_state)
        except ValueError:
            raise InvalidInput(
                "State '{value}' does not exist; expected one of: {expected}.",
                field="state",
                value=new_state,
                expected=", ".join(s.value for s in CameraState),
            ) from None
        current = CameraState(camera.state)
        if target not in ALLOWED_TRANSITIONS[current]:
            raise Conflict(
                "A camera cannot go from '{current}' to '{target}'.",
                current=current.value,
                target=target.value,
            )
        reason = bounded_text(reason, field="reason", max_length=1000)
        override = False
        inspection_id: int | None = None
        if target is CameraState.IN_SERVICE:
            # a passed, signed-off acceptance for the address the camera has now; an
            # inspection of another address says nothing about this camera.
            inspection_id = session.scalars(
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
        self._audit.record(
            session,
            actor,
            "camera.override_in_service" if override else "camera.state_change",
            target_type="camera",
            target_id=camera.id,
            details={
                "from": current.value,
                "to": target.value,
                "reason": reason,
                **({"inspection": inspection_id} if inspection_id is not None else {}),
            },
        )
        return camera

    def delete(self, session: Session, actor: Actor, camera_id: int) -> None:
        camera = self.get(session, actor, camera_id)
        require(actor, Permission.MANAGE_CAMERAS, camera.zone_id)
        if camera.state == CameraState.IN_SERVICE.value:
            raise Conflict(
                "Camera '{name}' is in service; take it out of service before removing it.",
                name=camera.name,
            )
        self._audit.record(
            session,
            actor,
            "camera.delete",
            target_type="camera",
            target_id=camera.id,
            details=self._snapshot(camera),
        )
        session.delete(camera)

    def credentials(self, camera: Camera) -> tuple[str, str] | None:
        """For the recorder only: never returned by the API or shown in a page."""
        if camera.credentials_encrypted is None:
            return None
        return self._vault.open(camera.credentials_encrypted)

    # -- helpers ---------------------------------------------------------------------------

    def _seal(
        self, address: StreamAddress, username: str | None, password: str | None
    ) -> str | None:
        user = username if username is not None else address.username
        secret = password if password is not None else address.password
        if not user and not secret:
            return None
        user = bounded_text(user, field="username", max_length=100)
        if secret is not None and len(secret) > 200:
            raise InvalidInput("The camera password is too long (at most 200).", field="password")
        return self._vault.seal(user, secret or "")

    def _zone(self, session: Session, zone_id: int) -> Zone:
        zone = get_by_id(session, Zone, zone_id)
        if zone is None:
            raise InvalidInput("Zone {value} does not exist.", field="zone_id", value=zone_id)
        return zone

    def _refuse_duplicate(self, session: Session, name: str) -> None:
        if any(other.lower() == name.lower() for other in session.scalars(select(Camera.name))):
            raise Conflict("A camera named '{value}' already exists.", value=name)

    @staticmethod
    def _analysis_snapshot(camera: Camera) -> dict[str, object]:
        return {
            "analysis_mask": camera.analysis_mask,
            "tamper_sensitivity": camera.tamper_sensitivity,
            "motion_sensitivity": camera.motion_sensitivity,
        }

    @staticmethod
    def _snapshot(camera: Camera) -> dict[str, object]:
        return {
            "name": camera.name,
            "zone_id": camera.zone_id,
            "main_url": camera.main_url,
            "sub_url": camera.sub_url,
            "state": camera.state,
            "position_notes": camera.position_notes,
            "retention_days": camera.retention_days,
        }
