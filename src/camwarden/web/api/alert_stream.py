"""The guard room console's live feed (R-2.3): a server-sent event stream of the open alerts
and each watched camera's condition, sent again within a second of any change."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

from fastapi import Request
from starlette.responses import StreamingResponse

from camwarden import i18n
from camwarden.governance.authorization import Actor, can
from camwarden.governance.camera_conditions import CAMERA_CONDITION_LABELS, camera_statuses
from camwarden.governance.roles import Permission
from camwarden.installation import Installation
from camwarden.web.api._routing import resource_router
from camwarden.web.api.alerts import alert_list
from camwarden.web.security import ApiCaller, Inst

router = resource_router("/alerts", "alerts")

# The stream looks at the database this often; a new alert reaches a console within it plus
# the alert worker's own second.
STREAM_CHECK_SECONDS = 1.0
# A comment now and then keeps proxies and the browser from closing a quiet connection.
STREAM_HEARTBEAT_SECONDS = 15.0
# The stream ends after this long and the browser's EventSource reconnects at once, showing
# its login again: a session logged out or an account disabled stops receiving alerts.
STREAM_MAX_SECONDS = 300.0


def console_state(inst: Installation, actor: Actor, locale: str) -> str:
    """What a console shows, as one JSON text: the open alerts the actor may see and the
    condition and open alert count of each camera the actor may watch live."""
    token = i18n.set_current_locale(locale)
    try:
        with inst.database.reading() as session:
            alerts = inst.alerts.open_alerts(session, actor)
            watched = [
                c
                for c in inst.cameras.list(session, actor)
                if can(actor, Permission.WATCH_LIVE, c.zone_id)
            ]
            statuses = camera_statuses(session, inst.alerts, actor, watched)
            listed = alert_list(session, alerts)
        cameras = {
            str(camera_id): {
                "condition": status.condition.value,
                "condition_label": i18n.gettext(CAMERA_CONDITION_LABELS[status.condition]),
                "open_alerts": status.open_alerts,
            }
            for camera_id, status in statuses.items()
        }
        return json.dumps(
            {"alerts": [a.model_dump(mode="json") for a in listed], "cameras": cameras},
            ensure_ascii=False,
            sort_keys=True,
        )
    finally:
        i18n.reset_locale(token)


async def console_events(
    inst: Installation, actor: Actor, locale: str, request: Request
) -> AsyncIterator[str]:
    """Server-sent events: `alerts` with the whole state whenever it changes, a comment as a
    heartbeat; the database is read in a worker thread so the server's loop never waits, and
    not at all once the browser has gone."""
    yield "retry: 2000\n\n"
    started = last_sent = time.monotonic()
    previous = ""
    while time.monotonic() - started < STREAM_MAX_SECONDS:
        if await request.is_disconnected():
            return
        state = await asyncio.to_thread(console_state, inst, actor, locale)
        now = time.monotonic()
        if state != previous:
            previous, last_sent = state, now
            yield f"event: alerts\ndata: {state}\n\n"
        elif now - last_sent >= STREAM_HEARTBEAT_SECONDS:
            last_sent = now
            yield ": still here\n\n"
        await asyncio.sleep(STREAM_CHECK_SECONDS)


@router.get(
    "/stream",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"text/event-stream": {}},
            "description": "Server-sent events: `alerts` (JSON: alerts, cameras) on change.",
        }
    },
    name="stream_alerts",
)
def stream_alerts(request: Request, inst: Inst, caller: ApiCaller) -> StreamingResponse:
    """The console's live feed: the open alerts and the cameras' conditions, sent at once and
    again within a second of any change; a heartbeat comment every 15 s; the stream ends after
    5 minutes (EventSource reconnects by itself)."""
    inst.alerts.require_reader(caller.actor)
    events = console_events(inst, caller.actor, i18n.current_locale(), request)
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(events, media_type="text/event-stream", headers=headers)
