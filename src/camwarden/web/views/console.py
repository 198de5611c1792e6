"""The guard room's console: every camera the person may watch, with its condition, beside
the alerts panel that a server-sent event stream keeps current (web/api/alerts.py)."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from camwarden.governance.authorization import can
from camwarden.governance.roles import Permission
from camwarden.web.security import Inst, PageCaller
from camwarden.web.views import page_router
from camwarden.web.views._common import page


@page_router.get("/console")
def console(request: Request, caller: PageCaller, inst: Inst) -> Response:
    inst.alerts.require_reader(caller.actor)
    cameras = []
    if can(caller.actor, Permission.WATCH_LIVE):
        # The tiles are live snapshots: opening them is one audit entry, as for /live.
        with inst.database.transaction() as session:
            cameras = list(inst.footage.open_live_grid(session, caller.actor))
    with inst.database.reading() as session:
        waiting = list(inst.roster.waiting_for(session, caller.actor))
    context = {
        "cameras": cameras,
        "recording": request.app.state.live is not None,
        "duty": {"waiting": waiting},
    }
    return page(request, caller, "console.html", context)
