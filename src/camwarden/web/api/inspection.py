"""Inspections of a camera (R-2.1, R-2.2, R-8.1): start one, follow it, read the record, sign
it off. Putting the camera in service afterwards is POST /cameras/{id}/state."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Request, Response
from pydantic import Field

from camwarden import i18n
from camwarden.errors import NotFound
from camwarden.inspection.checks import Check
from camwarden.inspection.jobs import InspectionJobs, jobs_for
from camwarden.inspection.records import checks_of, drift_of, measurements_of
from camwarden.inspection.service import Inspections
from camwarden.storage.models import Inspection
from camwarden.web.api._routing import CONFLICT, NOT_FOUND, CameraId, _id_parameter, resource_router
from camwarden.web.api._types import UtcOutput
from camwarden.web.api.schemas import RequestBody, ResponseBody
from camwarden.web.security import ApiCaller, Inst

router = resource_router("/cameras", "inspections")

InspectionId = Annotated[int, _id_parameter("The inspection's id.")]


class InspectionStart(RequestBody):
    onvif_port: int | None = Field(
        None, ge=1, le=65535, description="The camera's ONVIF port; 80 when not given."
    )
    supplier: str = Field("", max_length=200, description="Who installed the camera.")
    new_acceptance_reason: str = Field(
        "",
        max_length=1000,
        description="For an accepted camera re-aimed or replaced on purpose: why it is "
        "accepted again (a new reference view) instead of re-inspected against the old one.",
    )


class InspectionSignOff(RequestBody):
    supplier: str = Field(
        "", max_length=200, description="Who installed the camera; required unless given before."
    )
    notes: str | None = Field(None, max_length=2000)


class InspectionJobOut(ResponseBody):
    state: Literal["idle", "running", "done", "failed"] = Field(
        description="idle: none started since the server started."
    )
    started_at: UtcOutput | None = None
    started_by: str | None = None
    inspection_id: int | None = Field(default=None, description="The record, once done.")
    error: str | None = Field(
        default=None, description="Why it stopped, in the request's language."
    )


class CheckOut(ResponseBody):
    id: str
    label: str = Field(description="What is checked, in the request's language.")
    result: Literal["pass", "warn", "fail", "not_checkable"]
    seen: str
    required: str | None
    basis: str = Field(description="The QCVN 135 requirement group or the profile's reason.")


class InspectionOut(ResponseBody):
    id: int
    camera_id: int
    kind: Literal["acceptance", "reinspection"]
    inspected_at: UtcOutput
    inspected_by: str
    stream_url: str
    zone_kind: str
    verdict: Literal["passed", "failed"]
    measurements: dict[str, Any] | None
    checks: list[CheckOut]
    drift: dict[str, Any] | None
    has_reference_view: bool
    supplier: str
    notes: str
    signed_off_by: str | None
    signed_off_at: UtcOutput | None


def _service(inst: Inst) -> Inspections:
    return Inspections.for_installation(inst)


def _jobs(request: Request, inst: Inst) -> InspectionJobs:
    return jobs_for(request.app.state, _service(inst), inst.database)


def _check_out(check: Check) -> CheckOut:
    return CheckOut(
        id=check.id,
        label=i18n.gettext(check.label),
        result=check.result.value,
        seen=check.seen.render(i18n.gettext),
        required=check.required.render(i18n.gettext) if check.required else None,
        basis=i18n.gettext(check.basis) if check.basis else "",
    )


def inspection_out(inspection: Inspection) -> InspectionOut:
    return InspectionOut(
        id=inspection.id,
        camera_id=inspection.camera_id,
        kind=inspection.kind,  # type: ignore[arg-type]
        inspected_at=inspection.inspected_at,
        inspected_by=inspection.inspected_by,
        stream_url=inspection.stream_url,
        zone_kind=inspection.zone_kind,
        verdict=inspection.verdict,  # type: ignore[arg-type]
        measurements=measurements_of(inspection),
        checks=[_check_out(check) for check in checks_of(inspection)],
        drift=drift_of(inspection),
        has_reference_view=bool(inspection.reference_view),
        supplier=inspection.supplier,
        notes=inspection.notes,
        signed_off_by=inspection.signed_off_by,
        signed_off_at=inspection.signed_off_at,
    )


def _of_camera(inspection: Inspection, camera_id: int) -> Inspection:
    if inspection.camera_id != camera_id:
        raise NotFound("Inspection {value} does not exist.", value=inspection.id)
    return inspection


@router.post(
    "/{camera_id}/inspections",
    status_code=202,
    response_model=InspectionJobOut,
    responses={**NOT_FOUND, **CONFLICT},
    name="start_inspection",
)
def start_inspection(
    request: Request, camera_id: CameraId, body: InspectionStart, inst: Inst, caller: ApiCaller
) -> InspectionJobOut:
    """Start measuring and checking the camera (about 20 s, in the background); follow it at
    GET /cameras/{camera_id}/inspections/current. Needs manage_cameras in the camera's zone."""
    job = _jobs(request, inst).start(
        caller.actor,
        camera_id,
        onvif_port=body.onvif_port,
        supplier=body.supplier,
        new_acceptance_reason=body.new_acceptance_reason,
    )
    return InspectionJobOut(state="running", started_at=job.started_at, started_by=job.started_by)


@router.get(
    "/{camera_id}/inspections/current",
    response_model=InspectionJobOut,
    responses=NOT_FOUND,
    name="get_current_inspection",
)
def get_current_inspection(
    request: Request, camera_id: CameraId, inst: Inst, caller: ApiCaller
) -> InspectionJobOut:
    """The inspection started last for this camera: running, done (with its record) or failed."""
    with inst.database.reading() as session:
        inst.cameras.get(session, caller.actor, camera_id)
    job = _jobs(request, inst).status(camera_id)
    if job is None:
        return InspectionJobOut(state="idle")
    return InspectionJobOut(
        state=job.state,  # type: ignore[arg-type]
        started_at=job.started_at,
        started_by=job.started_by,
        inspection_id=job.inspection_id,
        error=job.error.render(i18n.gettext) if job.error else None,
    )


@router.get(
    "/{camera_id}/inspections",
    response_model=list[InspectionOut],
    responses=NOT_FOUND,
    name="list_inspections",
)
def list_inspections(camera_id: CameraId, inst: Inst, caller: ApiCaller) -> list[InspectionOut]:
    """The camera's inspections, newest first."""
    with inst.database.reading() as session:
        return [inspection_out(i) for i in _service(inst).history(session, caller.actor, camera_id)]


@router.get(
    "/{camera_id}/inspections/{inspection_id}",
    response_model=InspectionOut,
    responses=NOT_FOUND,
    name="get_inspection",
)
def get_inspection(
    camera_id: CameraId, inspection_id: InspectionId, inst: Inst, caller: ApiCaller
) -> InspectionOut:
    """One inspection record, its figures, checks and drift."""
    with inst.database.reading() as session:
        inspection = _service(inst).get(session, caller.actor, inspection_id)
        return inspection_out(_of_camera(inspection, camera_id))


@router.post(
    "/{camera_id}/inspections/{inspection_id}/sign-off",
    response_model=InspectionOut,
    responses={**NOT_FOUND, **CONFLICT},
    name="sign_off_inspection",
)
def sign_off_inspection(
    camera_id: CameraId,
    inspection_id: InspectionId,
    body: InspectionSignOff,
    inst: Inst,
    caller: ApiCaller,
) -> InspectionOut:
    """Sign the inspection off in the caller's name, with the supplier (once)."""
    service = _service(inst)
    with inst.database.transaction() as session:
        _of_camera(service.get(session, caller.actor, inspection_id), camera_id)
        inspection = service.sign_off(
            session, caller.actor, inspection_id, supplier=body.supplier, notes=body.notes
        )
        return inspection_out(inspection)


@router.get(
    "/{camera_id}/inspections/{inspection_id}/reference",
    response_class=Response,
    responses={
        200: {"content": {"image/jpeg": {}}, "description": "The reference view, as JPEG."},
        **NOT_FOUND,
    },
    name="get_inspection_reference",
)
def get_inspection_reference(
    camera_id: CameraId, inspection_id: InspectionId, inst: Inst, caller: ApiCaller
) -> Any:
    """The picture kept with the inspection; needs watch_live in the camera's zone."""
    service = _service(inst)
    with inst.database.reading() as session:
        _of_camera(service.get(session, caller.actor, inspection_id), camera_id)
        picture = service.reference_view(session, caller.actor, inspection_id)
    return Response(picture, media_type="image/jpeg", headers={"Cache-Control": "no-store"})
