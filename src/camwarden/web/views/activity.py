"""The activity search page: when did something move, on which camera, and a link to watch it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from fastapi import Request
from starlette.responses import Response

from camwarden.errors import CamwardenError, InvalidInput
from camwarden.governance.activity import (
    ACTIVITY_LEVEL_LABELS,
    LEVEL_THRESHOLDS,
    ActivityLevel,
    ActivityQuery,
    parse_hours,
    parse_level,
)
from camwarden.governance.fields import field_label
from camwarden.i18n import SCHOOL_TIMEZONE, gettext
from camwarden.storage.activity import ActivityPeriod
from camwarden.web.security import Inst, PageCaller
from camwarden.web.views import page_router
from camwarden.web.views._common import page

DEFAULT_DAYS = 7


@dataclass(frozen=True)
class PeriodRow:
    camera_id: int
    camera_name: str
    start: datetime
    end: datetime
    minutes: int
    seconds: int
    strength: str
    day: str  # the school day of the start, for the playback page
    at: str  # the start, ISO 8601, for the playback page


def _day(value: str, field: str) -> date:
    """A dd/mm/yyyy (or yyyy-mm-dd from a date picker) day."""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    raise InvalidInput("'{value}' is not a date like 25/12/2026.", field=field, value=value[:40])


def _strength(peak: int) -> str:
    """The strongest level in words that the period's peak reaches."""
    reached = [level for level, threshold in LEVEL_THRESHOLDS.items() if peak >= threshold]
    return gettext(ACTIVITY_LEVEL_LABELS[reached[-1] if reached else ActivityLevel.ANY])


def _row(period: ActivityPeriod, camera_name: str) -> PeriodRow:
    local_start = period.start.astimezone(SCHOOL_TIMEZONE)
    seconds = int(period.duration.total_seconds())
    return PeriodRow(
        camera_id=period.camera_id,
        camera_name=camera_name,
        start=period.start,
        end=period.end,
        minutes=seconds // 60,
        seconds=seconds % 60,
        strength=_strength(period.peak),
        day=local_start.date().isoformat(),
        at=period.start.isoformat(),
    )


def _query(form: dict[str, str]) -> ActivityQuery:
    since = _day(form["since"], "since")
    until = _day(form["until"], "until")
    hours = None
    if form["hour_from"] or form["hour_to"]:
        hours = parse_hours(f"{form['hour_from'] or '?'}-{form['hour_to'] or '?'}")
    camera_id = zone_id = None
    kind, _, number = form["where"].partition(":")
    if form["where"]:
        if kind not in ("camera", "zone") or not number.isdigit() or len(number) > 18:
            raise InvalidInput(
                "The field '{label}' is not valid.", field="where", label=field_label("where")
            )
        camera_id = int(number) if kind == "camera" else None
        zone_id = int(number) if kind == "zone" else None
    if until == date.max:
        raise InvalidInput(
            "'{value}' is not a date like 25/12/2026.", field="until", value=form["until"]
        )
    return ActivityQuery(
        start=datetime.combine(since, time(), tzinfo=SCHOOL_TIMEZONE),
        # The last day is included whole.
        end=datetime.combine(until + timedelta(days=1), time(), tzinfo=SCHOOL_TIMEZONE),
        camera_id=camera_id,
        zone_id=zone_id,
        hours=hours,
        level=parse_level(form["level"]),
    )


@page_router.get("/activity")
def activity_search(request: Request, caller: PageCaller, inst: Inst) -> Response:
    params = request.query_params
    today = inst.clock.now().astimezone(SCHOOL_TIMEZONE).date()
    form = {
        "where": params.get("where", "")[:40],
        "since": params.get("since", "")[:20]
        or (today - timedelta(days=DEFAULT_DAYS - 1)).strftime("%d/%m/%Y"),
        "until": params.get("until", "")[:20] or today.strftime("%d/%m/%Y"),
        "hour_from": params.get("hour_from", "")[:5],
        "hour_to": params.get("hour_to", "")[:5],
        "level": params.get("level", "")[:20] or ActivityLevel.ANY.value,
    }
    with inst.database.reading() as session:
        cameras = inst.activity_access.readable_cameras(session, caller.actor)
        zones = inst.activity_access.readable_zones(session, caller.actor)
    rows: list[PeriodRow] | None = None
    truncated = False
    error: CamwardenError | None = None
    if "since" in params:
        try:
            query = _query(form)
            with inst.database.transaction() as session:
                answer = inst.activity_access.search(session, caller.actor, query)
            rows = [
                _row(period, answer.cameras[period.camera_id].name)
                for period in answer.results.periods
            ]
            truncated = answer.results.truncated
        except InvalidInput as invalid:
            error = invalid
    return page(
        request,
        caller,
        "activity.html",
        {
            "form": form,
            "cameras": cameras,
            "zones": zones,
            "levels": [(level.value, ACTIVITY_LEVEL_LABELS[level]) for level in ActivityLevel],
            "rows": rows,
            "truncated": truncated,
        },
        error=error,
    )
