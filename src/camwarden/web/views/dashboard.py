"""The home page: what this person can reach, and the state of the installation."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from camwarden.governance.authorization import can
from camwarden.governance.cameras import CameraState
from camwarden.governance.casework import waiting_for
from camwarden.governance.roles import Permission
from camwarden.web.security import Inst, PageCaller
from camwarden.web.views import page_router
from camwarden.web.views._common import page
from camwarden.web.views.roster import duty_notices


@page_router.get("/")
def dashboard(request: Request, caller: PageCaller, inst: Inst) -> Response:
    counts: dict[str, int] = {}
    if can(caller.actor, Permission.VIEW_CAMERAS):
        with inst.database.reading() as session:
            cameras = inst.cameras.list(session, caller.actor)
        counts = {state.value: 0 for state in CameraState}
        for camera in cameras:
            counts[camera.state] += 1
    with inst.database.reading() as session:
        duty = duty_notices(inst, session, caller.actor)
        # Review cycles past their due date, for who reviews or signs off.
        overdue_reviews = list(inst.reviews.overdue(session, caller.actor))
        casework = waiting_for(session, caller.actor, inst.reviews, inst.clock.now())
    context = {
        "camera_counts": counts,
        "duty": duty,
        "overdue_reviews": overdue_reviews,
        "casework": casework,
    }
    return page(request, caller, "dashboard.html", context)
