"""Motion activity: one camera's strip over a time range, and the search for periods of it.

Both need `play_back` in the camera's zone, like the timeline; the search covers only the
cameras the caller may play back and is written to the audit log.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from fastapi import Query
from pydantic import Field

from camwarden.governance.activity import (
    DEFAULT_PERIODS,
    MAX_MIN_DURATION_MINUTES,
    MAX_PERIODS,
    MAX_STRIP_POINTS,
    ActivityLevel,
    ActivityQuery,
    parse_hours,
)
from camwarden.storage.activity import MAX_LEVEL
from camwarden.storage.lookup import MAX_ID
from camwarden.web.api._routing import NOT_FOUND, CameraId, resource_router
from camwarden.web.api._types import UtcInput, UtcOutput
from camwarden.web.api.schemas import ResponseBody
from camwarden.web.security import ApiCaller, Inst

strip_router = resource_router("/cameras", "activity")
router = resource_router("/activity", "activity")

Since = Annotated[UtcInput, Query(description="The range's start (ISO 8601 with offset).")]
Until = Annotated[
    UtcInput, Query(description="The range's end, excluded; at most 31 days after the start.")
]


class ActivityStripOut(ResponseBody):
    camera_id: int
    start: UtcOutput = Field(description="The first point's start (on a 10-second boundary).")
    step_seconds: int = Field(description="What each point covers: a multiple of 10 seconds.")
    levels: list[int] = Field(
        description="The highest motion level of each step, 0 (none or no data) to 255."
    )


class ActivityPeriodOut(ResponseBody):
    camera_id: int
    camera_name: str
    start: UtcOutput
    end: UtcOutput
    peak: float = Field(description="The highest level in the period, 0 to 1.")


class ActivitySearchOut(ResponseBody):
    periods: list[ActivityPeriodOut]
    truncated: bool = Field(description="True when more periods matched than `limit`.")


@strip_router.get(
    "/{camera_id}/activity",
    response_model=ActivityStripOut,
    responses=NOT_FOUND,
    name="get_activity_strip",
)
def get_activity_strip(
    camera_id: CameraId,
    inst: Inst,
    caller: ApiCaller,
    since: Since,
    until: Until,
    points: Annotated[
        int,
        Query(ge=1, le=MAX_STRIP_POINTS, description="At most this many points (steps)."),
    ] = 1440,
) -> ActivityStripOut:
    """One camera's motion activity from `since` to `until`, in at most `points` steps."""
    with inst.database.reading() as session:
        _, strip = inst.activity_access.strip(
            session, caller.actor, camera_id, since, until, points=points
        )
    return ActivityStripOut(
        camera_id=camera_id,
        start=strip.start,
        step_seconds=int(strip.step.total_seconds()),
        levels=list(strip.levels),
    )


@router.get("", response_model=ActivitySearchOut, responses=NOT_FOUND, name="search_activity")
def search_activity(
    inst: Inst,
    caller: ApiCaller,
    since: Since,
    until: Until,
    camera_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Only this camera.")
    ] = None,
    zone_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Only this zone's cameras.")
    ] = None,
    hours: Annotated[
        str | None,
        Query(
            max_length=40,
            description="Hours of the day in the school's time zone, e.g. `22:00-05:00` "
            "(may cross midnight).",
        ),
    ] = None,
    level: Annotated[
        ActivityLevel, Query(description="The least activity that counts.")
    ] = ActivityLevel.ANY,
    min_minutes: Annotated[
        int,
        Query(
            ge=0,
            le=MAX_MIN_DURATION_MINUTES,
            description="Leave out periods shorter than this many minutes.",
        ),
    ] = 0,
    order: Annotated[
        Literal["newest", "oldest"], Query(description="Newest or oldest periods first.")
    ] = "newest",
    limit: Annotated[
        int, Query(ge=1, le=MAX_PERIODS, description="At most this many periods.")
    ] = DEFAULT_PERIODS,
) -> ActivitySearchOut:
    """Periods of motion (quiet gaps under 30 s joined) on the cameras the caller may play
    back, or on one camera or zone of them; every search goes to the audit log."""
    query = ActivityQuery(
        start=since,
        end=until,
        camera_id=camera_id,
        zone_id=zone_id,
        hours=parse_hours(hours),
        level=level,
        min_duration=timedelta(minutes=min_minutes),
        newest_first=order == "newest",
        limit=limit,
    )
    with inst.database.transaction() as session:
        answer = inst.activity_access.search(session, caller.actor, query)
    return ActivitySearchOut(
        periods=[
            ActivityPeriodOut(
                camera_id=period.camera_id,
                camera_name=answer.cameras[period.camera_id].name,
                start=period.start,
                end=period.end,
                peak=round(period.peak / MAX_LEVEL, 3),
            )
            for period in answer.results.periods
        ],
        truncated=answer.results.truncated,
    )
