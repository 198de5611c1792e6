"""Footage of one camera: its timeline, playback from any moment, live view, snapshot.

Video is H.264 exactly as the camera sent it, in fragmented MP4 (remuxed by copy, never
re-encoded), which every current browser plays through Media Source Extensions.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from typing import Annotated, Any

from fastapi import Query, Request
from starlette.responses import Response, StreamingResponse

from camwarden.capture.live import LiveHub, Viewer
from camwarden.capture.playback import probe_start, stream_recording
from camwarden.errors import NotFound
from camwarden.i18n import SCHOOL_TIMEZONE
from camwarden.web.api._routing import NOT_FOUND, CameraId, resource_router
from camwarden.web.api._types import UtcInput
from camwarden.web.api.schemas import TimelineEventOut, TimelineOut, TimeRangeOut
from camwarden.web.security import ApiCaller, Inst

router = resource_router("/cameras", "footage")

MAX_PLAYBACK_MINUTES = 60
VIDEO = {"content": {"video/mp4": {}}, "description": "Fragmented MP4, H.264 copied as recorded."}


def _hub(request: Request) -> LiveHub:
    hub: LiveHub | None = request.app.state.live
    if hub is None:
        # Not a server fault: this server only serves (`--no-record`), so there is no live here.
        raise NotFound("Live view is not available: this server is not recording.")
    return hub


@router.get(
    "/{camera_id}/timeline", response_model=TimelineOut, responses=NOT_FOUND, name="get_timeline"
)
def get_timeline(
    camera_id: CameraId,
    inst: Inst,
    caller: ApiCaller,
    day: Annotated[
        str, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="A school-time day, YYYY-MM-DD.")
    ],
) -> TimelineOut:
    """Recorded ranges, gaps and health events of one school day (Asia/Ho_Chi_Minh)."""
    try:
        local_day = datetime.strptime(day, "%Y-%m-%d").date()
    except ValueError:
        raise NotFound("There is no day {value}.", value=day) from None
    with inst.database.reading() as session:
        inst.footage.may_read_timeline(session, caller.actor, camera_id)
        granted = inst.footage.granted_range(session, caller.actor, camera_id)
    start = datetime.combine(local_day, time(), tzinfo=SCHOOL_TIMEZONE)
    end = min(start + timedelta(days=1), max(start, inst.clock.now()))
    if granted is not None:
        # Under a grant the timeline shows only the granted range.
        start, end = max(start, granted[0]), max(max(start, granted[0]), min(end, granted[1]))
    timeline = inst.recordings.timeline(camera_id, start, end) if end > start else None
    day_start = datetime.combine(local_day, time(), tzinfo=SCHOOL_TIMEZONE)
    return TimelineOut(
        camera_id=camera_id,
        start=day_start,
        end=day_start + timedelta(days=1),
        now=inst.clock.now(),
        recorded=[TimeRangeOut(start=r.start, end=r.end) for r in timeline.recorded]
        if timeline
        else [],
        gaps=[TimeRangeOut(start=g.start, end=g.end) for g in timeline.gaps] if timeline else [],
        events=[
            TimelineEventOut(kind=e.kind, start=e.started_at, end=e.ended_at)
            for e in timeline.events
        ]
        if timeline
        else [],
    )


@router.get(
    "/{camera_id}/playback",
    response_class=StreamingResponse,
    responses={200: VIDEO, **NOT_FOUND},
    name="play_back",
)
def play_back(
    camera_id: CameraId,
    inst: Inst,
    caller: ApiCaller,
    at: Annotated[UtcInput, Query(description="The moment to start from, with its offset.")],
    reason: Annotated[str, Query(max_length=500, description="Why: goes to the audit log.")],
    minutes: Annotated[int, Query(ge=1, le=MAX_PLAYBACK_MINUTES)] = 30,
) -> Response:
    """Recorded video from `at` (from the keyframe before it) for up to `minutes`."""
    until = at + timedelta(minutes=minutes)
    with inst.database.transaction() as session:
        inst.footage.start_playback(session, caller.actor, camera_id, at, reason)
        granted = inst.footage.granted_range(session, caller.actor, camera_id)
    if granted is not None:
        # The player must not leave the granted range.
        until = min(until, granted[1])
    segments = inst.recordings.segments(camera_id, at, until)
    if not segments:
        raise NotFound("No recording of this camera from {value} on.", value=at.isoformat())
    start = probe_start(inst.settings.recordings_dir, segments, at)
    headers = {
        "X-Playback-Start": start.start_at.isoformat(),
        "X-Codec": start.codec,
        "Cache-Control": "no-store",
    }
    body = stream_recording(inst.settings.recordings_dir, segments, start, until)
    return StreamingResponse(body, media_type="video/mp4", headers=headers)


@router.get(
    "/{camera_id}/live",
    response_class=StreamingResponse,
    responses={200: VIDEO, **NOT_FOUND},
    name="watch_live",
)
def watch_live(request: Request, camera_id: CameraId, inst: Inst, caller: ApiCaller) -> Response:
    """The camera's live stream, starting at its latest keyframe."""
    hub = _hub(request)
    with inst.database.transaction() as session:
        inst.footage.start_live(session, caller.actor, camera_id)
    feed = hub.feed(camera_id)
    if not feed.is_receiving:
        raise NotFound("Camera {value} is not sending video now.", value=camera_id)
    viewer = feed.watch()

    def body(viewer: Viewer = viewer) -> Iterator[bytes]:
        try:
            yield from viewer.stream()
        finally:
            feed.leave(viewer)

    headers = {"X-Codec": viewer.codec, "Cache-Control": "no-store"}
    return StreamingResponse(body(), media_type="video/mp4", headers=headers)


@router.get(
    "/{camera_id}/snapshot",
    response_class=Response,
    responses={
        200: {"content": {"image/jpeg": {}}, "description": "The newest keyframe, as JPEG."},
        **NOT_FOUND,
    },
    name="get_snapshot",
)
def get_snapshot(request: Request, camera_id: CameraId, inst: Inst, caller: ApiCaller) -> Any:
    """The newest keyframe of the live stream (a tile of the live grid)."""
    hub = _hub(request)
    with inst.database.reading() as session:
        inst.footage.may_see_snapshot(session, caller.actor, camera_id)
    snapshot = hub.feed(camera_id).snapshot()
    if snapshot is None:
        raise NotFound("Camera {value} has sent no picture yet.", value=camera_id)
    return Response(snapshot.jpeg, media_type="image/jpeg", headers={"Cache-Control": "no-store"})
