"""Alert pages: the list, one alert with its pictures and history, taking and resolving it,
and reporting a problem by hand."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from starlette.responses import Response

from camwarden.errors import CamwardenError
from camwarden.governance.alerts import AlertState, Severity
from camwarden.governance.authorization import can, require
from camwarden.governance.roles import Permission
from camwarden.web.api.alerts import (
    AlertListState,
    alert_list,
    event_snapshot_urls,
    listed_alerts,
)
from camwarden.web.security import Caller, FormCaller, Inst, PageCaller
from camwarden.web.views import page_router
from camwarden.web.views._common import page, redirect


@page_router.get("/alerts")
def alerts_list(request: Request, caller: PageCaller, inst: Inst) -> Response:
    wanted = request.query_params.get("state", "open")
    state = AlertListState(wanted) if wanted in set(AlertListState) else AlertListState.OPEN
    with inst.database.reading() as session:
        alerts = alert_list(session, listed_alerts(inst, session, caller.actor, state))
    context = {"alerts": alerts, "state": state.value, "states": list(AlertListState)}
    return page(request, caller, "alerts/list.html", context)


def _report_page(
    request: Request,
    caller: Caller,
    inst: Inst,
    *,
    values: dict[str, object] | None = None,
    error: CamwardenError | None = None,
) -> Response:
    require(caller.actor, Permission.REPORT_PROBLEMS)
    cameras = []
    if can(caller.actor, Permission.VIEW_CAMERAS):
        with inst.database.reading() as session:
            cameras = list(inst.cameras.list(session, caller.actor))
    context = {
        "cameras": cameras,
        "severities": list(Severity),
        "values": values or {"severity": Severity.MEDIUM.value},
        "sent": request.query_params.get("sent") == "1",
    }
    return page(request, caller, "alerts/new.html", context, error=error)


@page_router.get("/alerts/new")
def new_report(request: Request, caller: PageCaller, inst: Inst) -> Response:
    return _report_page(request, caller, inst)


@page_router.post("/alerts/new")
def file_report(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    summary: Annotated[str, Form(max_length=5000)] = "",
    severity: Annotated[str, Form(max_length=20)] = Severity.MEDIUM.value,
    camera: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    # The camera list's first choice is "" (no camera in particular).
    camera_id = int(camera) if camera.isdigit() and 0 < int(camera) < 2**31 else None
    values = {"summary": summary, "severity": severity, "camera_id": camera_id}
    try:
        with inst.database.transaction() as session:
            if camera_id:
                inst.cameras.get(session, caller.actor, camera_id)
            alert = inst.alerts.report(
                session,
                caller.actor,
                summary=summary,
                severity=severity,
                camera_id=camera_id or None,
            )
            alert_id, visible = alert.id, inst.alerts.may_see(caller.actor, alert)
    except CamwardenError as error:
        return _report_page(request, caller, inst, values=values, error=error)
    if visible:
        return redirect(f"/alerts/{alert_id}", "created")
    # A teacher's report goes to the guards; the teacher is told it went.
    return redirect("/alerts/new?sent=1")


def _alert_page(
    request: Request,
    caller: Caller,
    inst: Inst,
    alert_id: int,
    *,
    error: CamwardenError | None = None,
) -> Response:
    with inst.database.reading() as session:
        alert = inst.alerts.get(session, caller.actor, alert_id)
        (shown,) = alert_list(session, [alert])
        history = inst.alerts.history(session, caller.actor, alert_id)
        before, after = event_snapshot_urls(session, caller.actor, alert)
    handles = can(caller.actor, Permission.HANDLE_ALERTS, alert.zone_id)
    context = {
        "alert": shown,
        "history": history,
        "snapshot_before": before,
        "snapshot_after": after,
        "may_take": handles and shown.state == AlertState.RAISED,
        "may_resolve": handles and shown.state != AlertState.RESOLVED,
        "may_play_back": shown.camera_id is not None
        and can(caller.actor, Permission.PLAY_BACK, alert.zone_id),
        "may_open_incident": can(caller.actor, Permission.MANAGE_INCIDENTS)
        and not alert.incident_reference,
    }
    return page(request, caller, "alerts/detail.html", context, error=error)


@page_router.get("/alerts/{alert_id}")
def alert_page(request: Request, caller: PageCaller, inst: Inst, alert_id: int) -> Response:
    return _alert_page(request, caller, inst, alert_id)


@page_router.post("/alerts/{alert_id}/acknowledge")
def take_alert(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    alert_id: int,
    note: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    try:
        with inst.database.transaction() as session:
            inst.alerts.acknowledge(session, caller.actor, alert_id, note)
    except CamwardenError as error:
        return _alert_page(request, caller, inst, alert_id, error=error)
    return redirect(f"/alerts/{alert_id}", "saved")


@page_router.post("/alerts/{alert_id}/resolve")
def resolve_alert(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    alert_id: int,
    outcome: Annotated[str, Form(max_length=5000)] = "",
    incident_reference: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    try:
        with inst.database.transaction() as session:
            inst.alerts.resolve(
                session,
                caller.actor,
                alert_id,
                outcome=outcome,
                incident_reference=incident_reference,
            )
    except CamwardenError as error:
        return _alert_page(request, caller, inst, alert_id, error=error)
    return redirect(f"/alerts/{alert_id}", "saved")
