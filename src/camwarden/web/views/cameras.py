"""Cameras: the register IT keeps (R-1.1, R-2.1). Credentials go in, never come back out."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from starlette.responses import Response

from camwarden.errors import CamwardenError
from camwarden.governance.authorization import can, require
from camwarden.governance.cameras import ALLOWED_TRANSITIONS, CameraState
from camwarden.governance.roles import Permission
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
    error: CamwardenError | None = None,
) -> Response:
    with inst.database.reading() as session:
        camera = inst.cameras.get(session, caller.actor, camera_id)
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
