"""Camera health: video loss, recording and storage problems, open ones first."""

from __future__ import annotations

from datetime import timedelta

from fastapi import Request
from starlette.responses import Response

from camwarden.web.security import Inst, PageCaller
from camwarden.web.views import page_router
from camwarden.web.views._common import page

HEALTH_DAYS = 7


@page_router.get("/health")
def health(request: Request, caller: PageCaller, inst: Inst) -> Response:
    since = inst.clock.now() - timedelta(days=HEALTH_DAYS)
    with inst.database.reading() as session:
        events = inst.footage.health_events(session, caller.actor, since=since)
        cameras = {c.id: c for c in inst.cameras.list(session, caller.actor)}
    context = {"events": events, "cameras": cameras, "days": HEALTH_DAYS, "now": inst.clock.now()}
    return page(request, caller, "health.html", context)
