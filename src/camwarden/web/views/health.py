"""Camera health (R-8.1): each camera's stream now, the recordings disk and how long it lasts,
then video loss, recording and storage problems, open ones first. GET /api/v1/health
answers the same figures."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import Request
from starlette.responses import Response

from camwarden.i18n import gettext
from camwarden.monitoring.health import GB, health_overview
from camwarden.web.security import Inst, PageCaller
from camwarden.web.views import page_router
from camwarden.web.views._common import page

HEALTH_DAYS = 7


def time_ago(moment: datetime | None, now: datetime) -> str:
    """ "3 s ago", "5 min ago": how old the last keyframe is, at a glance."""
    if moment is None:
        return gettext("never")
    seconds = max(int((now - moment).total_seconds()), 0)
    if seconds < 60:
        return gettext("{count} s ago").format(count=seconds)
    if seconds < 3600:
        return gettext("{count} min ago").format(count=seconds // 60)
    if seconds < 86400:
        return gettext("{count} h ago").format(count=seconds // 3600)
    return gettext("{count} day(s) ago").format(count=seconds // 86400)


def gigabytes(size: float | None) -> str:
    """Bytes as GB (10^9, as disks are sold): whole numbers from 10 GB up, two decimals under
    1 GB (a new installation's first footage is not "0.0 GB")."""
    if size is None:
        return "—"
    value = size / GB
    if value >= 10:
        return f"{value:.0f}"
    return f"{value:.1f}" if value >= 1 else f"{value:.2f}"


def days(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


@page_router.get("/health")
def health(request: Request, caller: PageCaller, inst: Inst) -> Response:
    now = inst.clock.now()
    since = now - timedelta(days=HEALTH_DAYS)
    with inst.database.reading() as session:
        overview = health_overview(
            inst, session, caller.actor, live=getattr(request.app.state, "recording", None)
        )
        events = inst.footage.health_events(session, caller.actor, since=since)
        cameras = {row.camera.id: row.camera for row in overview.cameras}
        context = {
            "overview": overview,
            "disk": overview.disk,
            "events": events,
            "cameras": cameras,
            "days": HEALTH_DAYS,
            "now": now,
            "time_ago": time_ago,
            "gigabytes": gigabytes,
            "format_days": days,
        }
        return page(request, caller, "health.html", context)
