"""Incident pages (R-4.3): the list, opening one (by hand, from an alert, from a bookmark), and
one incident with its clips and players, entries, packages, chain of custody and history."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Form, Request
from starlette.responses import Response

from camwarden.errors import CamwardenError, InvalidInput
from camwarden.governance._incident_export import export_incident, verify_incident_package
from camwarden.governance.alerts import ALERT_KIND_LABELS
from camwarden.governance.authorization import can, require
from camwarden.governance.fields import field_label
from camwarden.governance.incidents import EntryKind, Handover, IncidentStatus
from camwarden.governance.roles import Permission
from camwarden.i18n import SCHOOL_TIMEZONE, format_datetime, gettext
from camwarden.web.api._incident_schemas import IncidentNew, incident_detail
from camwarden.web.api.incident_evidence import record_response
from camwarden.web.api.incidents import open_incident
from camwarden.web.security import Caller, FormCaller, Inst, PageCaller
from camwarden.web.views import page_router
from camwarden.web.views._common import page, redirect

Text = Annotated[str, Form(max_length=10000)]
Short = Annotated[str, Form(max_length=1000)]


def _local_input(value: str, field: str) -> datetime:
    """A `datetime-local` field: the school's wall-clock time."""
    try:
        moment = datetime.fromisoformat(value.strip()[:30])
    except ValueError:
        raise InvalidInput(
            "'{value}' is not a date and time ({label}).",
            field=field,
            value=value[:40],
            label=field_label(field),
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SCHOOL_TIMEZONE)
    return moment


def _input_value(moment: datetime) -> str:
    return moment.astimezone(SCHOOL_TIMEZONE).strftime("%Y-%m-%dT%H:%M:%S")


def _id(value: str) -> int | None:
    return int(value) if value.isdigit() and 0 < int(value) < 2**63 else None


@page_router.get("/incidents")
def incidents_list(request: Request, caller: PageCaller, inst: Inst) -> Response:
    with inst.database.reading() as session:
        incidents = list(inst.incidents.list(session, caller.actor))
    return page(request, caller, "incidents/list.html", {"incidents": incidents})


def _new_page(
    request: Request,
    caller: Caller,
    inst: Inst,
    values: dict[str, Any],
    *,
    error: CamwardenError | None = None,
) -> Response:
    """The form, filled from the alert or bookmark it opens from."""
    source: dict[str, Any] = {}
    require(caller.actor, Permission.MANAGE_INCIDENTS)
    with inst.database.reading() as session:
        alert_id, bookmark_id = (
            _id(str(values.get("alert", ""))),
            _id(str(values.get("bookmark", ""))),
        )
        if alert_id:
            alert = inst.alerts.get(session, caller.actor, alert_id)
            kind = gettext(ALERT_KIND_LABELS.get(alert.kind, alert.kind))
            camera = (
                inst.cameras.get(session, caller.actor, alert.camera_id).name
                if alert.camera_id is not None
                else ""
            )
            source = {"alert": alert, "kind_label": kind, "camera": camera}
            values.setdefault("title", f"{kind}: {camera}" if camera else kind)
            values.setdefault("location", camera)
            values.setdefault("occurred_at", _input_value(alert.raised_at))
        elif bookmark_id:
            bookmark = inst.incidents.bookmark(session, caller.actor, bookmark_id)
            source = {"bookmark": bookmark}
            values.setdefault("title", bookmark.note[:200])
            values.setdefault("location", bookmark.camera.name)
            values.setdefault("occurred_at", _input_value(bookmark.start_at))
        values.setdefault("occurred_at", _input_value(inst.clock.now()))
    context = {"values": values, "source": source}
    return page(request, caller, "incidents/new.html", context, error=error)


@page_router.get("/incidents/new")
def new_incident(request: Request, caller: PageCaller, inst: Inst) -> Response:
    params = request.query_params
    values: dict[str, Any] = {
        "alert": params.get("alert", ""),
        "bookmark": params.get("bookmark", ""),
    }
    return _new_page(request, caller, inst, values)


@page_router.post("/incidents/new")
def open_new_incident(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    title: Short = "",
    description: Text = "",
    occurred_at: Short = "",
    location: Short = "",
    alert: Short = "",
    bookmark: Short = "",
) -> Response:
    values = {
        "title": title,
        "description": description,
        "occurred_at": occurred_at,
        "location": location,
        "alert": alert,
        "bookmark": bookmark,
    }
    try:
        alert_id, bookmark_id = _id(alert), _id(bookmark)
        body = IncidentNew.model_construct(
            title=title,
            description=description,
            occurred_at=None
            if alert_id or bookmark_id
            else _local_input(occurred_at, "occurred_at"),
            location=location,
            alert_id=alert_id,
            bookmark_id=bookmark_id,
        )
        with inst.database.transaction() as session:
            incident_id = open_incident(inst, session, caller.actor, body).id
    except CamwardenError as error:
        return _new_page(request, caller, inst, values, error=error)
    return redirect(f"/incidents/{incident_id}", "created")


def _incident_page(
    request: Request,
    caller: Caller,
    inst: Inst,
    incident_id: int,
    *,
    error: CamwardenError | None = None,
    verification: dict[str, Any] | None = None,
) -> Response:
    with inst.database.reading() as session:
        detail = incident_detail(inst, session, caller.actor, incident_id)
        history = inst.incidents.history(session, caller.actor, incident_id)
        cameras = (
            [
                camera
                for camera in inst.cameras.list(session, caller.actor)
                if can(caller.actor, Permission.PLAY_BACK, camera.zone_id)
            ]
            if can(caller.actor, Permission.MANAGE_INCIDENTS)
            else []
        )
    manages = can(caller.actor, Permission.MANAGE_INCIDENTS)
    context = {
        "incident": detail,
        "history": history,
        "cameras": cameras,
        "manages": manages,
        "is_open": detail.status == IncidentStatus.OPEN,
        "may_play_back": can(caller.actor, Permission.PLAY_BACK),
        "may_download": can(caller.actor, Permission.EXPORT_FOOTAGE),
        "entry_kinds": list(EntryKind),
        "now_input": _input_value(inst.clock.now()),
        "occurred_input": _input_value(detail.occurred_at),
        "verification": verification,
    }
    return page(request, caller, "incidents/detail.html", context, error=error)


@page_router.get("/incidents/{incident_id}")
def incident_page(request: Request, caller: PageCaller, inst: Inst, incident_id: int) -> Response:
    return _incident_page(request, caller, inst, incident_id)


@page_router.post("/incidents/{incident_id}/edit")
def edit_incident(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    incident_id: int,
    title: Short = "",
    description: Text = "",
    occurred_at: Short = "",
    location: Short = "",
) -> Response:
    try:
        moment = _local_input(occurred_at, "occurred_at")
        with inst.database.transaction() as session:
            inst.incidents.edit(
                session,
                caller.actor,
                incident_id,
                title=title,
                description=description,
                occurred_at=moment,
                location=location,
            )
    except CamwardenError as error:
        return _incident_page(request, caller, inst, incident_id, error=error)
    return redirect(f"/incidents/{incident_id}", "saved")


@page_router.post("/incidents/{incident_id}/clips")
def add_clip(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    incident_id: int,
    camera: Short = "",
    start_at: Short = "",
    end_at: Short = "",
    note: Text = "",
) -> Response:
    try:
        camera_id = _id(camera)
        if camera_id is None:
            raise InvalidInput(
                "Choose a camera: the field '{label}' must not be empty.",
                field="camera_id",
                label=field_label("camera_id"),
            )
        start, end = _local_input(start_at, "start_at"), _local_input(end_at, "end_at")
        with inst.database.transaction() as session:
            inst.incidents.footage.add(
                session,
                caller.actor,
                incident_id,
                camera_id=camera_id,
                start_at=start,
                end_at=end,
                note=note,
            )
    except CamwardenError as error:
        return _incident_page(request, caller, inst, incident_id, error=error)
    return redirect(f"/incidents/{incident_id}", "saved")


@page_router.post("/incidents/{incident_id}/clips/{clip_id}/remove")
def remove_clip(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    incident_id: int,
    clip_id: int,
    reason: Short = "",
) -> Response:
    try:
        with inst.database.transaction() as session:
            inst.incidents.footage.remove(
                session, caller.actor, incident_id, clip_id, reason=reason
            )
    except CamwardenError as error:
        return _incident_page(request, caller, inst, incident_id, error=error)
    return redirect(f"/incidents/{incident_id}", "saved")


@page_router.post("/incidents/{incident_id}/entries")
def add_entry(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    incident_id: int,
    kind: Short = "",
    text: Text = "",
    capacity: Short = "",
) -> Response:
    try:
        with inst.database.transaction() as session:
            inst.incidents.add_entry(
                session, caller.actor, incident_id, kind=kind, text=text, capacity=capacity
            )
    except CamwardenError as error:
        return _incident_page(request, caller, inst, incident_id, error=error)
    return redirect(f"/incidents/{incident_id}", "saved")


@page_router.post("/incidents/{incident_id}/close")
def close_incident(
    request: Request, caller: FormCaller, inst: Inst, incident_id: int, reason: Short = ""
) -> Response:
    try:
        with inst.database.transaction() as session:
            inst.incidents.close(session, caller.actor, incident_id, reason=reason)
    except CamwardenError as error:
        return _incident_page(request, caller, inst, incident_id, error=error)
    return redirect(f"/incidents/{incident_id}", "saved")


@page_router.post("/incidents/{incident_id}/reopen")
def reopen_incident(
    request: Request, caller: FormCaller, inst: Inst, incident_id: int, reason: Short = ""
) -> Response:
    try:
        with inst.database.transaction() as session:
            inst.incidents.reopen(session, caller.actor, incident_id, reason=reason)
    except CamwardenError as error:
        return _incident_page(request, caller, inst, incident_id, error=error)
    return redirect(f"/incidents/{incident_id}", "saved")


@page_router.post("/incidents/{incident_id}/handovers")
def record_handover(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    incident_id: int,
    recipient: Short = "",
    organisation: Short = "",
    medium: Short = "",
    handed_at: Short = "",
    note: Text = "",
) -> Response:
    try:
        handover = Handover(
            recipient=recipient,
            organisation=organisation,
            medium=medium,
            handed_at=_local_input(handed_at, "handed_at"),
            note=note,
        )
        with inst.database.transaction() as session:
            inst.incidents.chain.record_handover(session, caller.actor, incident_id, handover)
    except CamwardenError as error:
        return _incident_page(request, caller, inst, incident_id, error=error)
    return redirect(f"/incidents/{incident_id}", "saved")


@page_router.get("/incidents/{incident_id}/record.pdf")
def incident_record(request: Request, caller: PageCaller, inst: Inst, incident_id: int) -> Response:
    return record_response(inst, caller.actor, incident_id)


@page_router.post("/incidents/{incident_id}/exports")
def export_package(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    incident_id: int,
    reason: Short = "",
    approval_reference: Short = "",
) -> Response:
    try:
        export_incident(
            inst,
            caller.actor,
            incident_id,
            reason=reason,
            approval_reference=approval_reference,
        )
    except CamwardenError as error:
        return _incident_page(request, caller, inst, incident_id, error=error)
    return redirect(f"/incidents/{incident_id}", "created")


@page_router.post("/incidents/{incident_id}/exports/{export_id}/verify")
def verify_package(
    request: Request, caller: FormCaller, inst: Inst, incident_id: int, export_id: int
) -> Response:
    try:
        report = verify_incident_package(inst, caller.actor, incident_id, export_id)
    except CamwardenError as error:
        return _incident_page(request, caller, inst, incident_id, error=error)
    verification = {
        "export_id": export_id,
        "intact": report.ok,
        "problems": [problem.render(gettext) for problem in report.problems],
        "at": format_datetime(inst.clock.now(), seconds=True),
    }
    return _incident_page(request, caller, inst, incident_id, verification=verification)
