"""The guided inspection page for IT (R-2.1, R-2.2, R-8.1): measure, read the results, sign
off, put in service; the camera's inspections and what drifted since its acceptance."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from starlette.responses import Response

from camwarden import i18n
from camwarden.errors import CamwardenError, InvalidInput, NotFound
from camwarden.governance.authorization import can
from camwarden.governance.roles import Permission
from camwarden.inspection.checks import RESULT_LABELS
from camwarden.inspection.jobs import InspectionJobs, jobs_for
from camwarden.inspection.profiles import profile_for
from camwarden.inspection.records import (
    ACCEPTANCE,
    KIND_LABELS,
    PASSED,
    VERDICT_LABELS,
    checks_of,
    drift_of,
    measurements_of,
)
from camwarden.inspection.service import Inspections
from camwarden.web.security import FormCaller, Inst, PageCaller
from camwarden.web.views import page_router
from camwarden.web.views._common import page, redirect


def service(inst: Inst) -> Inspections:
    return Inspections.for_installation(inst)


def jobs(request: Request, inst: Inst) -> InspectionJobs:
    return jobs_for(request.app.state, service(inst), inst.database)


def _inspection_page(
    request: Request,
    caller: PageCaller,
    inst: Inst,
    camera_id: int,
    *,
    error: CamwardenError | None = None,
) -> Response:
    inspections = service(inst)
    with inst.database.reading() as session:
        camera = inst.cameras.get(session, caller.actor, camera_id)
        history = list(inspections.history(session, caller.actor, camera_id))
        zone_kind = camera.zone.kind
    chosen = request.query_params.get("inspection", "")
    shown = next((i for i in history if str(i.id) == chosen), history[0] if history else None)
    job = jobs(request, inst).status(camera_id)
    context: dict[str, Any] = {
        "camera": camera,
        "profile": profile_for(zone_kind),
        "history": history,
        "shown": shown,
        "checks": checks_of(shown) if shown else [],
        "measurements": measurements_of(shown) if shown else None,
        "drift": drift_of(shown) if shown else None,
        "job": job,
        "job_error": job.error.render(i18n.gettext) if job and job.error else "",
        # Texts of the record and labels kept as message ids, in the reader's language.
        "say": lambda text: text.render(i18n.gettext) if text is not None else "",
        "tr": i18n.gettext,
        "may_manage": can(caller.actor, Permission.MANAGE_CAMERAS, camera.zone_id),
        "may_see_picture": can(caller.actor, Permission.WATCH_LIVE, camera.zone_id),
        "result_labels": RESULT_LABELS,
        "kind_labels": KIND_LABELS,
        "verdict_labels": VERDICT_LABELS,
        "accepted": any(
            i.kind == ACCEPTANCE
            and i.verdict == PASSED
            and i.signed_off_at is not None
            and i.stream_url == camera.main_url
            for i in history
        ),
        "may_go_into_service": shown is not None
        and shown.kind == ACCEPTANCE
        and shown.verdict == PASSED
        and shown.signed_off_at is not None
        and shown.stream_url == camera.main_url
        and camera.state != "in_service",
    }
    return page(request, caller, "inspection/page.html", context, error=error)


@page_router.get("/cameras/{camera_id}/inspection")
def inspection_page(request: Request, caller: PageCaller, inst: Inst, camera_id: int) -> Response:
    return _inspection_page(request, caller, inst, camera_id)


@page_router.post("/cameras/{camera_id}/inspection")
def start_inspection(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    camera_id: int,
    onvif_port: Annotated[str, Form(max_length=10)] = "",
    supplier: Annotated[str, Form(max_length=500)] = "",
    new_acceptance_reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        port = _port(onvif_port)
        jobs(request, inst).start(
            caller.actor,
            camera_id,
            onvif_port=port,
            supplier=supplier,
            new_acceptance_reason=new_acceptance_reason,
        )
    except CamwardenError as error:
        return _inspection_page(request, caller, inst, camera_id, error=error)
    return redirect(f"/cameras/{camera_id}/inspection")


@page_router.post("/cameras/{camera_id}/inspection/{inspection_id}/sign-off")
def sign_off_inspection(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    camera_id: int,
    inspection_id: int,
    supplier: Annotated[str, Form(max_length=500)] = "",
    notes: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    inspections = service(inst)
    try:
        with inst.database.transaction() as session:
            inspection = inspections.get(session, caller.actor, inspection_id)
            if inspection.camera_id != camera_id:
                raise NotFound("Inspection {value} does not exist.", value=inspection_id)
            inspections.sign_off(
                session, caller.actor, inspection_id, supplier=supplier, notes=notes
            )
    except CamwardenError as error:
        return _inspection_page(request, caller, inst, camera_id, error=error)
    return redirect(f"/cameras/{camera_id}/inspection?inspection={inspection_id}", "saved")


@page_router.get("/cameras/{camera_id}/inspection/{inspection_id}/reference.jpg")
def reference_view(
    request: Request, caller: PageCaller, inst: Inst, camera_id: int, inspection_id: int
) -> Response:
    inspections = service(inst)
    with inst.database.reading() as session:
        inspection = inspections.get(session, caller.actor, inspection_id)
        if inspection.camera_id != camera_id:
            raise NotFound("Inspection {value} does not exist.", value=inspection_id)
        picture = inspections.reference_view(session, caller.actor, inspection_id)
    return Response(picture, media_type="image/jpeg", headers={"Cache-Control": "no-store"})


def _port(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
        raise InvalidInput(
            "ONVIF port {value} is not a port number (1-65535).",
            field="onvif_port",
            value=value[:10],
        )
    return int(value)
