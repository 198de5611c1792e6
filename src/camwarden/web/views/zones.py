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
from camwarden.web.views.forms import ZoneForm

ZoneFields = Annotated[ZoneForm, Form()]


def _form_page(
    request: Request,
    caller: PageCaller,
    inst: Inst,
    values: dict[str, object],
    *,
    zone_id: int | None = None,
    error: CamwardenError | None = None,
) -> Response:
    with inst.database.reading() as session:
        people = inst.accounts.directory(session)
        zone = inst.zones.get(session, caller.actor, zone_id) if zone_id is not None else None
    context = {
        "kinds": list(ZoneKind),
        "purposes": list(Purpose),
        "people": people,
        "values": values,
        "zone": zone,
    }
    return page(request, caller, "zones/form.html", context, error=error)


def _list_page(
    request: Request, caller: PageCaller, inst: Inst, *, error: CamwardenError | None = None
) -> Response:
    with inst.database.reading() as session:
        zones = inst.zones.list(session, caller.actor)
    context = {"zones": zones, "purposes_of": purposes_of}
    return page(request, caller, "zones/list.html", context, error=error)


@page_router.get("/zones")
def list_zones(request: Request, caller: PageCaller, inst: Inst) -> Response:
    return _list_page(request, caller, inst)


@page_router.get("/zones/new")
def new_zone_form(request: Request, caller: PageCaller, inst: Inst) -> Response:
    require(caller.actor, Permission.MANAGE_ZONES)
    defaults = ZoneForm(kind="gate", purposes=["security"]).model_dump()
    return _form_page(request, caller, inst, defaults)


@page_router.post("/zones/new")
def create_zone(request: Request, caller: FormCaller, inst: Inst, form: ZoneFields) -> Response:
    try:
        with inst.database.transaction() as session:
            inst.zones.create(session, caller.actor, **form.model_dump())
    except CamwardenError as error:
        return _form_page(request, caller, inst, form.model_dump(), error=error)
    return redirect("/zones", "created")


@page_router.get("/zones/{zone_id}")
def edit_zone_form(request: Request, caller: PageCaller, inst: Inst, zone_id: int) -> Response:
    require(caller.actor, Permission.MANAGE_ZONES)
    with inst.database.reading() as session:
        zone = inst.zones.get(session, caller.actor, zone_id)
    stored = ZoneForm(
        name=zone.name,
        kind=zone.kind,
        purposes=zone.purposes.split(","),
        responsible_unit=zone.responsible_unit,
        description=zone.description,
        assignee_ids=[u.id for u in zone.assignees],
    )
    return _form_page(request, caller, inst, stored.model_dump(), zone_id=zone_id)


@page_router.post("/zones/{zone_id}")
def update_zone(
    request: Request, caller: FormCaller, inst: Inst, zone_id: int, form: ZoneFields
) -> Response:
    try:
        with inst.database.transaction() as session:
            inst.zones.update(session, caller.actor, zone_id, **form.model_dump())
    except CamwardenError as error:
        return _form_page(request, caller, inst, form.model_dump(), zone_id=zone_id, error=error)
    return redirect("/zones", "saved")


@page_router.post("/zones/{zone_id}/delete")
def delete_zone(request: Request, caller: FormCaller, inst: Inst, zone_id: int) -> Response:
    try:
        with inst.database.transaction() as session:
            inst.zones.delete(session, caller.actor, zone_id)
    except CamwardenError as error:
        return _list_page(request, caller, inst, error=error)
    return redirect("/zones", "deleted")
