"""Pages for watching: the live grid, one camera live, and playback with its timeline."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import Request
from starlette.responses import Response

from camwarden.i18n import SCHOOL_TIMEZONE, format_datetime
from camwarden.web.security import Inst, PageCaller
from camwarden.web.views import page_router
from camwarden.web.views._common import page


@page_router.get("/live")
def live_grid(request: Request, caller: PageCaller, inst: Inst) -> Response:
    with inst.database.transaction() as session:
        cameras = inst.footage.open_live_grid(session, caller.actor)
    recording = request.app.state.live is not None
    return page(request, caller, "live_grid.html", {"cameras": cameras, "recording": recording})


@page_router.get("/cameras/{camera_id}/live")
def camera_live(request: Request, caller: PageCaller, inst: Inst, camera_id: int) -> Response:
    with inst.database.reading() as session:
        camera = inst.footage.may_see_snapshot(session, caller.actor, camera_id)
    return page(request, caller, "camera_live.html", {"camera": camera})


@page_router.get("/cameras/{camera_id}/playback")
def camera_playback(request: Request, caller: PageCaller, inst: Inst, camera_id: int) -> Response:
    with inst.database.reading() as session:
        camera = inst.footage.may_read_timeline(session, caller.actor, camera_id)
    at = _moment(request.query_params.get("at", ""))
    day = (
        request.query_params.get("day")
        or (at.astimezone(SCHOOL_TIMEZONE) if at else datetime.now(SCHOOL_TIMEZONE))
        .date()
        .isoformat()
    )
    context = {
        "camera": camera,
        "day": day[:10],
        # A moment to play from, e.g. a period found by the activity search.
        "at": at.isoformat() if at else "",
        "at_local": format_datetime(at, seconds=True) if at else "",
    }
    return page(request, caller, "playback.html", context)


def _moment(value: str) -> datetime | None:
    """An ISO 8601 instant with its offset; anything else is ignored (the page still opens)."""
    try:
        moment = datetime.fromisoformat(value[:40])
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo is not None else None
