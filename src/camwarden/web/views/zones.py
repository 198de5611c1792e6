"""Zones: kind, purposes, responsible unit and the people assigned (R-1.1, R-6.1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from starlette.responses import Response

from camwarden.errors import CamwardenError
from camwarden.governance.authorization import require
from camwarden.governance.roles import Permission
from camwarden.governance.zones import Purpose, ZoneKind, purposes_of
from camwarden.web.security import FormCaller, Inst, PageCaller
from camwarden.web.views import page_router
from camwarden.web.views._common import page, redirect


def _form_context(inst: Inst, values: dict[str, object]) -> dict[str, object]:
    with inst.database.reading() as session:
        people = inst.accounts.directory(session)
    return {"kinds": list(ZoneKind), "purposes": list(Purpose), "people": people, "values": values}


@page_router.get("/zones")
def list_zones(request: Request, caller: PageCaller, inst: Inst) -> Response:
    with inst.database.reading() as session:
        zones = inst.zones.list(session, caller.actor)
    return page(
        request,
        caller,
        "zones/list.html",
        {"zones": zones, "purposes_of": purposes_of},
    )


@page_router.get("/zones/new")
def new_zone_form(request: Request, caller: PageCaller, inst: Inst) -> Response:
    require(caller.actor, Permission.MANAGE_ZONES)
    values: dict[str, object] = {"kind": "gate", "purposes": ["security"], "assignee_ids": []}
    return page(request, caller, "zones/form.html", _form_context(inst, values))


@page_router.post("/zones/new")
def create_zone(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    name: Annotated[str, Form(max_length=1000)] = "",
    kind: Annotated[str, Form(max_length=100)] = "",
    purposes: Annotated[list[str] | None, Form()] = None,
    responsible_unit: Annotated[str, Form(max_length=1000)] = "",
    description: Annotated[str, Form(max_length=5000)] = "",
    assignee_ids: Annotated[list[int] | None, Form()] = None,
) -> Response:
    values = {
        "name": name,
        "kind": kind,
        "purposes": purposes or [],
        "responsible_unit": responsible_unit,
        "description": description,
        "assignee_ids": assignee_ids or [],
    }
    try:
        with inst.database.transaction() as session:
            inst.zones.create(
                session,
                caller.actor,
                name=name,
                kind=kind,
                purposes=purposes or [],
                responsible_unit=responsible_unit,
                description=description,
                assignee_ids=assignee_ids or [],
            )
    except CamwardenError as error:
        return page(request, caller, "zones/form.html", _form_context(inst, values), error=error)
    return redirect("/zones", "created")


@page_router.get("/zones/{zone_id}")
def edit_zone_form(request: Request, caller: PageCaller, inst: Inst, zone_id: int) -> Response:
    require(caller.actor, Permission.MANAGE_ZONES)
    with inst.database.reading() as session:
        zone = inst.zones.get(session, caller.actor, zone_id)
    values = {
        "name": zone.name,
        "kind": zone.kind,
        "purposes": zone.purposes.split(","),
        "responsible_unit": zone.responsible_unit,
        "description": zone.description,
        "assignee_ids": [u.id for u in zone.assignees],
    }
    return page(request, caller, "zones/form.html", {**_form_context(inst, values), "zone": zone})


@page_router.post("/zones/{zone_id}")
def update_zone(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    zone_id: int,
    name: Annotated[str, Form(max_length=1000)] = "",
    kind: Annotated[str, Form(max_length=100)] = "",
    purposes: Annotated[list[str] | None, Form()] = None,
    responsible_unit: Annotated[str, Form(max_length=1000)] = "",
    description: Annotated[str, Form(max_length=5000)] = "",
    assignee_ids: Annotated[list[int] | None, Form()] = None,
) -> Response:
    try:
        with inst.database.transaction() as session:
            inst.zones.update(
                session,
                caller.actor,
                zone_id,
                name=name,
                kind=kind,
                purposes=purposes or [],
                responsible_unit=responsible_unit,
                description=description,
                assignee_ids=assignee_ids or [],
            )
    except CamwardenError as error:
        with inst.database.reading() as session:
            zone = inst.zones.get(session, caller.actor, zone_id)
        values = {
            "name": name,
            "kind": kind,
            "purposes": purposes or [],
            "responsible_unit": responsible_unit,
            "description": description,
            "assignee_ids": assignee_ids or [],
        }
        return page(
            request,
            caller,
            "zones/form.html",
            {**_form_context(inst, values), "zone": zone},
            error=error,
        )
    return redirect("/zones", "saved")


@page_router.post("/zones/{zone_id}/delete")
def delete_zone(request: Request, caller: FormCaller, inst: Inst, zone_id: int) -> Response:
    try:
        with inst.database.transaction() as session:
            inst.zones.delete(session, caller.actor, zone_id)
    except CamwardenError as error:
        with inst.database.reading() as session:
            zones = inst.zones.list(session, caller.actor)
        return page(
            request,
            caller,
            "zones/list.html",
            {"zones": zones, "purposes_of": purposes_of},
            error=error,
        )
    return redirect("/zones", "deleted")
