"""Cameras: the register IT keeps (R-1.1, R-2.1). Credentials go in, never come back out."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from starlette.responses import Response

from camwarden.analysis.mask import MASK_CELLS, MASK_COLUMNS, MASK_ROWS, mask_cells
from camwarden.analysis.sensitivity import SENSITIVITIES, SENSITIVITY_LABELS
from camwarden.errors import CamwardenError, InvalidInput
from camwarden.governance.authorization import can, require
from camwarden.governance.cameras import ALLOWED_TRANSITIONS, CameraState
from camwarden.governance.roles import Permission
from camwarden.i18n import gettext
from camwarden.monitoring.health import StatusSource, analysis_health
from camwarden.web.security import FormCaller, Inst, PageCaller
from camwarden.web.views import page_router
from camwarden.web.views._common import page, redirect
from camwarden.web.views.forms import CameraForm

CameraFields = Annotated[CameraForm, Form()]


def _zones_for(inst: Inst, caller: PageCaller) -> list[object]:
    with inst.database.reading() as session:
        zones = inst.zones.all_for_choice(session)
    return [z for z in zones if can(caller.actor, Permission.MANAGE_CAMERAS, z.id)]


@page_router.get("/cameras")
def list_cameras(request: Request, caller: PageCaller, inst: Inst) -> Response:
    with inst.database.reading() as session:
        cameras = inst.cameras.list(session, caller.actor)
    return page(request, caller, "cameras/list.html", {"cameras": cameras})


@page_router.get("/cameras/new")
def new_camera_form(request: Request, caller: PageCaller, inst: Inst) -> Response:
    require(caller.actor, Permission.MANAGE_CAMERAS)
    return page(
        request, caller, "cameras/form.html", {"zones": _zones_for(inst, caller), "values": {}}
    )


@page_router.post("/cameras/new")
def create_camera(request: Request, caller: FormCaller, inst: Inst, form: CameraFields) -> Response:
    try:
        with inst.database.transaction() as session:
            camera = inst.cameras.create(
                session,
                caller.actor,
                name=form.name,
                zone_id=form.zone_id,
                main_url=form.main_url,
                sub_url=form.sub_url,
                position_notes=form.position_notes,
                retention_days=form.retention_days,
                **form.credentials(),
            )
    except CamwardenError as error:
        context = {"zones": _zones_for(inst, caller), "values": form.shown_back()}
        return page(request, caller, "cameras/form.html", context, error=error)
    return redirect(f"/cameras/{camera.id}", "created")


def _camera_page(
    request: Request,
    caller: PageCaller,
    inst: Inst,
    camera_id: int,
    *,
    values: dict[str, object] | None = None,
    analysis: dict[str, object] | None = None,
    error: CamwardenError | None = None,
) -> Response:
    with inst.database.reading() as session:
        camera = inst.cameras.get(session, caller.actor, camera_id)
        open_tamper_events = inst.cameras.open_tamper_events(session, caller.actor, camera_id)
    # Only a server that records knows its analysis (`serve --no-record` does not).
    recording: StatusSource | None = getattr(request.app.state, "recording", None)
    stream = recording.status_of(camera_id) if recording is not None else None
    defaults = CameraForm(
        name=camera.name,
        zone_id=camera.zone_id,
        main_url=camera.main_url,
        sub_url=camera.sub_url or "",
        position_notes=camera.position_notes,
        retention_days=camera.retention_days,
    ).shown_back()
    # Offer only what this person can do: going into service still needs the override.
    transitions = sorted(
        state
        for state in ALLOWED_TRANSITIONS[CameraState(camera.state)]
        if state is not CameraState.IN_SERVICE
        or can(caller.actor, Permission.OVERRIDE_CAMERA_SERVICE)
    )
    return page(
        request,
        caller,
        "cameras/detail.html",
        {
            "camera": camera,
            "zones": _zones_for(inst, caller),
            "values": values or defaults,
            "transitions": transitions,
            "may_manage": can(caller.actor, Permission.MANAGE_CAMERAS, camera.zone_id),
            "analysis": analysis or _analysis_values(camera.analysis_mask, camera),
            "sensitivities": [
                (level, gettext(SENSITIVITY_LABELS[level])) for level in SENSITIVITIES
            ],
            "open_tamper_events": open_tamper_events,
            "analysis_health": analysis_health(stream),
            "mask_columns": MASK_COLUMNS,
            "mask_rows": MASK_ROWS,
        },
        error=error,
    )


@page_router.get("/cameras/{camera_id}")
def camera_detail(request: Request, caller: PageCaller, inst: Inst, camera_id: int) -> Response:
    return _camera_page(request, caller, inst, camera_id)


@page_router.post("/cameras/{camera_id}")
def update_camera(
    request: Request, caller: FormCaller, inst: Inst, camera_id: int, form: CameraFields
) -> Response:
    try:
        with inst.database.transaction() as session:
            inst.cameras.update(
                session,
                caller.actor,
                camera_id,
                name=form.name,
                zone_id=form.zone_id,
                main_url=form.main_url,
                sub_url=form.sub_url,
                position_notes=form.position_notes,
                retention_days=form.retention_days,
                **form.credentials(),
            )
    except CamwardenError as error:
        return _camera_page(request, caller, inst, camera_id, values=form.shown_back(), error=error)
    return redirect(f"/cameras/{camera_id}", "saved")


@page_router.post("/cameras/{camera_id}/state")
def change_camera_state(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    camera_id: int,
    state: Annotated[str, Form(max_length=100)] = "",
    reason: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    try:
        with inst.database.transaction() as session:
            inst.cameras.set_state(session, caller.actor, camera_id, state, reason=reason)
    except CamwardenError as error:
        return _camera_page(request, caller, inst, camera_id, error=error)
    return redirect(f"/cameras/{camera_id}", "state_changed")


@page_router.post("/cameras/{camera_id}/delete")
def delete_camera(request: Request, caller: FormCaller, inst: Inst, camera_id: int) -> Response:
    try:
        with inst.database.transaction() as session:
            inst.cameras.delete(session, caller.actor, camera_id)
    except CamwardenError as error:
        return _camera_page(request, caller, inst, camera_id, error=error)
    return redirect("/cameras", "deleted")


def _analysis_values(mask: str, source: object) -> dict[str, object]:
    return {
        "rows": mask_cells(mask),
        "tamper_sensitivity": getattr(source, "tamper_sensitivity", "normal"),
        "motion_sensitivity": getattr(source, "motion_sensitivity", "normal"),
    }


def _mask_from_cells(cells: list[str]) -> str:
    """The checked boxes (cell numbers 0..143, row by row) as the stored mask text."""
    ignored: set[int] = set()
    for cell in cells:
        if not cell.isdigit() or int(cell) >= MASK_CELLS:
            raise InvalidInput(
                "The mask cell '{value}' does not exist.", field="analysis_mask", value=cell
            )
        ignored.add(int(cell))
    return "".join("1" if index in ignored else "0" for index in range(MASK_CELLS))


class _AnalysisForm:
    def __init__(self, tamper_sensitivity: str, motion_sensitivity: str) -> None:
        self.tamper_sensitivity = tamper_sensitivity
        self.motion_sensitivity = motion_sensitivity


@page_router.post("/cameras/{camera_id}/analysis")
def update_camera_analysis(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    camera_id: int,
    tamper_sensitivity: Annotated[str, Form(max_length=20)] = "normal",
    motion_sensitivity: Annotated[str, Form(max_length=20)] = "normal",
    cell: Annotated[list[str] | None, Form(max_length=MASK_CELLS)] = None,
) -> Response:
    """IT's analysis settings: the mask drawn on the grid and the two sensitivities."""
    cells = cell or []
    try:
        with inst.database.transaction() as session:
            inst.cameras.set_analysis(
                session,
                caller.actor,
                camera_id,
                analysis_mask=_mask_from_cells(cells),
                tamper_sensitivity=tamper_sensitivity,
                motion_sensitivity=motion_sensitivity,
            )
    except CamwardenError as error:
        shown = "".join("1" if str(i) in cells else "0" for i in range(MASK_CELLS))
        values = _analysis_values(shown, _AnalysisForm(tamper_sensitivity, motion_sensitivity))
        return _camera_page(request, caller, inst, camera_id, analysis=values, error=error)
    return redirect(f"/cameras/{camera_id}", "saved")


@page_router.post("/cameras/{camera_id}/view-learning")
def learn_camera_view_again(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    camera_id: int,
    reason: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """IT: the camera shows its normal view now; learn it again and end its tamper alarms."""
    try:
        with inst.database.transaction() as session:
            inst.cameras.learn_view_again(session, caller.actor, camera_id, reason=reason)
    except CamwardenError as error:
        return _camera_page(request, caller, inst, camera_id, error=error)
    return redirect(f"/cameras/{camera_id}", "view_learning")
