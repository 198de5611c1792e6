"""Inspections as the school keeps them: run, recorded, signed off (R-2.1, R-2.2, R-8.1).

An inspection has three steps so that no database transaction waits on a camera:
`prepare` (permission, the camera's address and login, the profile, the reference for a
re-inspection), `run` (the slow part, about 15 s, no database), `record` (the row, the
reference view's JPEG under the data folder, and the audit entry, in one transaction).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.clock import Clock
from camwarden.errors import Conflict, InvalidInput, NotFound
from camwarden.governance._validation import bounded_text
from camwarden.governance.audit import AuditLog
from camwarden.governance.authorization import Actor, can, require
from camwarden.governance.cameras import Cameras
from camwarden.governance.roles import Permission
from camwarden.i18n import N_
from camwarden.inspection import _rtsp, drift, security
from camwarden.inspection.checks import Check, Result, Text, failed
from camwarden.inspection.measure import MEASURE_SECONDS, StreamUnavailable, measure_stream
from camwarden.inspection.profiles import check_profile, profile_for
from camwarden.inspection.records import (
    ACCEPTANCE,
    REFERENCE_DIR,
    REINSPECTION,
    InspectionOutcome,
    InspectionPlan,
    measurements_of,
    valid_acceptance,
)
from camwarden.storage.database import Database
from camwarden.storage.lookup import get_by_id
from camwarden.storage.models import Camera, Inspection


class Inspections:
    def __init__(
        self,
        clock: Clock,
        audit: AuditLog,
        cameras: Cameras,
        data_dir: Path,
        *,
        wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        measure_seconds: float = MEASURE_SECONDS,
    ) -> None:
        self._clock = clock
        self._audit = audit
        self._cameras = cameras
        self._data_dir = data_dir
        # The camera's clock is compared with the real time, whatever clock the records use.
        self._wall_clock = wall_clock
        self._measure_seconds = measure_seconds

    def now(self) -> datetime:
        return self._clock.now()

    @classmethod
    def for_installation(cls, inst: Any, **options: Any) -> Inspections:
        return cls(inst.clock, inst.audit, inst.cameras, inst.settings.data_dir, **options)

    # -- running ---------------------------------------------------------------------------

    def prepare(
        self,
        session: Session,
        actor: Actor,
        camera_id: int,
        *,
        onvif_port: int | None = None,
        check_onvif: bool = True,
        new_acceptance_reason: str = "",
    ) -> InspectionPlan:
        """Reads what the inspection needs. An accepted camera gets a re-inspection against its
        reference view, unless a written reason asks for a new acceptance (R-2.2: the
        position is fixed, so moving it on purpose is a decision on record)."""
        camera = self._cameras.get(session, actor, camera_id)
        require(actor, Permission.MANAGE_CAMERAS, camera.zone_id)
        reason = bounded_text(new_acceptance_reason, field="reason", max_length=1000)
        if onvif_port is not None and not 1 <= onvif_port <= 65535:
            raise InvalidInput(
                "ONVIF port {value} is not a port number (1-65535).",
                field="onvif_port",
                value=onvif_port,
            )
        credentials = self._cameras.credentials(camera)
        username, password = credentials if credentials else (None, None)
        accepted = valid_acceptance(session, camera)
        if reason and accepted is None:
            raise Conflict(
                "Camera '{name}' has no acceptance yet: this inspection is its acceptance "
                "already, no reason needed.",
                name=camera.name,
            )
        if reason:
            accepted = None
        reference = self._read_reference(accepted) if accepted is not None else None
        return InspectionPlan(
            camera_id=camera.id,
            camera_name=camera.name,
            zone_kind=camera.zone.kind,
            url=camera.main_url,
            username=username,
            password=password,
            profile=profile_for(camera.zone.kind),
            kind=REINSPECTION if accepted is not None and reference is not None else ACCEPTANCE,
            onvif_address=security.onvif_address_for(camera.main_url, onvif_port)
            if check_onvif
            else None,
            reference_jpeg=reference,
            accepted_measurements=measurements_of(accepted) if accepted is not None else None,
            new_acceptance_reason=reason,
        )

    def run(self, plan: InspectionPlan) -> InspectionOutcome:
        """Measures the stream and checks the camera (about 15 s); no database."""
        target = security.SecurityTarget(plan.url, plan.username, plan.password, plan.onvif_address)
        try:
            security_checks = security.check_security(target, now=self._wall_clock)
        except _rtsp.RtspUnreachable as error:
            raise Conflict(
                "Camera '{name}' does not answer at {url} ({error}); check its address, power "
                "and cable.",
                name=plan.camera_name,
                url=plan.url,
                error=str(error)[:120],
            ) from None
        checks: list[Check] = []
        measurements: dict[str, Any] | None = None
        reference: bytes | None = None
        try:
            measured = measure_stream(plan.authenticated_url, seconds=self._measure_seconds)
            measurements, reference = measured.as_json(), measured.reference_jpeg
            checks += check_profile(measured, plan.profile)
        except StreamUnavailable as error:
            checks.append(
                Check(
                    "profile.stream",
                    N_("Picture"),
                    Result.FAIL,
                    Text(
                        N_("The stream could not be read with the stored login: {error}"),
                        {"error": error.reason[:200]},
                    ),
                    Text(N_("The stream plays with the login stored for this camera.")),
                    plan.profile.reason,
                )
            )
        checks += security_checks
        found = None
        if plan.kind == REINSPECTION and plan.reference_jpeg and reference:
            found = drift.drift(
                plan.reference_jpeg, reference, plan.accepted_measurements, measurements
            )
            checks += drift.check_drift(found)
        return InspectionOutcome(measurements, reference, checks, found)

    def record(
        self,
        session: Session,
        actor: Actor,
        plan: InspectionPlan,
        outcome: InspectionOutcome,
        *,
        supplier: str = "",
        notes: str = "",
    ) -> Inspection:
        camera = self._cameras.get(session, actor, plan.camera_id)
        require(actor, Permission.MANAGE_CAMERAS, camera.zone_id)
        now = self._clock.now()
        inspection = Inspection(
            camera_id=camera.id,
            kind=plan.kind,
            inspected_at=now,
            inspected_by=actor.username,
            stream_url=plan.url,
            zone_kind=plan.zone_kind,
            profile=json.dumps(plan.profile.as_json()),
            measurements=json.dumps(outcome.measurements) if outcome.measurements else None,
            checks=json.dumps([check.as_json() for check in outcome.checks]),
            drift=json.dumps(outcome.drift) if outcome.drift else None,
            verdict=outcome.verdict,
            supplier=bounded_text(supplier, field="supplier", max_length=200),
            notes=bounded_text(notes or plan.new_acceptance_reason, field="notes", max_length=2000),
        )
        session.add(inspection)
        session.flush()
        if outcome.reference_jpeg:
            relative = Path(REFERENCE_DIR) / f"camera-{camera.id}" / f"{inspection.id}.jpg"
            path = self._data_dir / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(outcome.reference_jpeg)
            inspection.reference_view = relative.as_posix()
        self._audit.record(
            session,
            actor,
            "inspection.record",
            target_type="camera",
            target_id=camera.id,
            details={
                "inspection": inspection.id,
                "kind": plan.kind,
                "verdict": outcome.verdict,
                "failed": [check.id for check in failed(outcome.checks)],
                "stream_url": plan.url,
                "new_acceptance_reason": plan.new_acceptance_reason,
            },
        )
        return inspection

    def inspect(
        self,
        database: Database,
        actor: Actor,
        camera_id: int,
        *,
        onvif_port: int | None = None,
        check_onvif: bool = True,
        supplier: str = "",
        notes: str = "",
        new_acceptance_reason: str = "",
    ) -> Inspection:
        """The three steps, each with its own session; returns the recorded inspection."""
        with database.reading() as session:
            plan = self.prepare(
                session,
                actor,
                camera_id,
                onvif_port=onvif_port,
                check_onvif=check_onvif,
                new_acceptance_reason=new_acceptance_reason,
            )
        outcome = self.run(plan)
        with database.transaction() as session:
            inspection = self.record(session, actor, plan, outcome, supplier=supplier, notes=notes)
            session.flush()
            session.expunge(inspection)
            return inspection

    # -- the record ------------------------------------------------------------------------

    def sign_off(
        self,
        session: Session,
        actor: Actor,
        inspection_id: int,
        *,
        supplier: str = "",
        notes: str | None = None,
    ) -> Inspection:
        """IT answers for the inspection, with the supplier named (R-2.1); once only."""
        inspection = self.get(session, actor, inspection_id)
        camera = self._cameras.get(session, actor, inspection.camera_id)
        require(actor, Permission.MANAGE_CAMERAS, camera.zone_id)
        if actor.user_id is None:
            raise InvalidInput(
                "An inspection is signed off by a person: give the account that signs.",
                field="signed_off_by",
            )
        if inspection.signed_off_at is not None:
            raise Conflict(
                "Inspection {value} was already signed off by {who}.",
                value=inspection.id,
                who=inspection.signed_off_by or "",
            )
        supplier = bounded_text(supplier, field="supplier", max_length=200) or inspection.supplier
        if not supplier:
            raise InvalidInput(
                "Signing off an inspection needs the supplier's name.", field="supplier"
            )
        inspection.supplier = supplier
        if notes is not None:
            inspection.notes = bounded_text(notes, field="notes", max_length=2000)
        inspection.signed_off_by = actor.username
        inspection.signed_off_at = self._clock.now()
        self._audit.record(
            session,
            actor,
            "inspection.sign_off",
            target_type="camera",
            target_id=camera.id,
            details={
                "inspection": inspection.id,
                "kind": inspection.kind,
                "verdict": inspection.verdict,
                "supplier": supplier,
            },
        )
        return inspection

    def get(self, session: Session, actor: Actor, inspection_id: int) -> Inspection:
        inspection = get_by_id(session, Inspection, inspection_id)
        camera = get_by_id(session, Camera, inspection.camera_id) if inspection else None
        if (
            inspection is None
            or camera is None
            or not can(actor, Permission.VIEW_CAMERAS, camera.zone_id)
        ):
            raise NotFound("Inspection {value} does not exist.", value=inspection_id)
        return inspection

    def history(self, session: Session, actor: Actor, camera_id: int) -> Sequence[Inspection]:
        """The camera's inspections, newest first."""
        camera = self._cameras.get(session, actor, camera_id)
        return session.scalars(
            select(Inspection)
            .where(Inspection.camera_id == camera.id)
            .order_by(Inspection.inspected_at.desc(), Inspection.id.desc())
        ).all()

    def reference_view(self, session: Session, actor: Actor, inspection_id: int) -> bytes:
        """The picture kept with the inspection: footage, so only for who may watch the zone."""
        inspection = self.get(session, actor, inspection_id)
        camera = self._cameras.get(session, actor, inspection.camera_id)
        require(actor, Permission.WATCH_LIVE, camera.zone_id)
        picture = self._read_reference(inspection)
        if picture is None:
            raise NotFound("Inspection {value} has no reference view.", value=inspection_id)
        return picture

    def _read_reference(self, inspection: Inspection) -> bytes | None:
        if not inspection.reference_view:
            return None
        path = self._data_dir / inspection.reference_view
        return path.read_bytes() if path.is_file() else None
