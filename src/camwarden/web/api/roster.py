"""The guards' duty roster (R-7.1): shifts, weekly plans, and the hours nobody is on duty.

Shifts are answered in UTC and, beside each instant, in the school's wall-clock time
(dd/mm/yyyy HH:MM); a weekly plan is entered in school time, as the head of security thinks
of it ("Mon-Fri 18:00-06:00 for 4 weeks"). The page web/views/roster.py shows the same
answers; handovers are web/api/handovers.py's, the daily report web/api/reports.py's.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Query
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from camwarden import i18n
from camwarden.errors import InvalidInput
from camwarden.governance.authorization import Actor, require
from camwarden.governance.roles import Permission
from camwarden.governance.roster import COVERAGE_DAYS, MAX_WEEKS, Gap, may_view_roster
from camwarden.installation import Installation
from camwarden.storage.models import DutyShift
from camwarden.web.api._routing import CONFLICT, NOT_FOUND, _id_parameter, resource_router
from camwarden.web.api._types import Id, UtcInput, UtcOutput
from camwarden.web.api.schemas import RequestBody, ResponseBody
from camwarden.web.security import ApiCaller, Inst

router = resource_router("/roster", "roster")

ShiftId = Annotated[int, _id_parameter("The shift's id.")]

# A roster is planned for the school's lifetime, not for the year 9999: instants outside
# these years are refused before they reach a calendar computation that would overflow.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
MAX_RANGE_DAYS = 62
HOUR_MINUTE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _within_years(moment: datetime) -> datetime:
    if not EARLIEST <= moment < LATEST:
        raise PydanticCustomError("datetime_out_of_range", "the instant is outside 2000 to 2099")
    return moment


# ISO 8601 texts are short: the bound documents it, as every text of a request has one.
RosterInstant = Annotated[
    UtcInput, AfterValidator(_within_years), Field(json_schema_extra={"maxLength": 40})
]
RosterDay = Annotated[
    date,
    Field(ge=date(2000, 1, 1), le=date(2099, 12, 31), json_schema_extra={"maxLength": 10}),
]
HourMinute = Annotated[
    str,
    Field(
        max_length=5,
        pattern=HOUR_MINUTE.pattern,
        examples=["18:00"],
        description="HH:MM school time",
    ),
]


# -- bodies ----------------------------------------------------------------------------------


class ShiftOut(ResponseBody):
    id: int
    user_id: int
    full_name: str
    username: str
    starts_at: UtcOutput
    ends_at: UtcOutput
    starts_at_local: str = Field(description="dd/mm/yyyy HH:MM in school time.")
    ends_at_local: str
    post: str = Field(description="Where: the guard room, the gate, patrol…")
    created_by: str


class ShiftList(ResponseBody):
    items: list[ShiftOut] = Field(description="In time order; cancelled shifts are left out.")


class GapOut(ResponseBody):
    start: UtcOutput
    end: UtcOutput
    start_local: str = Field(description="dd/mm/yyyy HH:MM in school time.")
    end_local: str
    hours: float


class GapList(ResponseBody):
    since: UtcOutput
    until: UtcOutput
    items: list[GapOut] = Field(description="Every span with nobody on duty, in time order.")


class ShiftNew(RequestBody):
    user_id: Id = Field(description="A guard (security or head of security) with an account.")
    starts_at: RosterInstant
    ends_at: RosterInstant
    post: str = Field("", max_length=100, examples=["Phòng bảo vệ"])


class WeeklyPlan(RequestBody):
    user_id: Id
    weekdays: list[Annotated[int, Field(ge=0, le=6)]] = Field(
        min_length=1, max_length=7, description="0 = Monday … 6 = Sunday.", examples=[[0, 2, 4]]
    )
    start: HourMinute
    end: HourMinute = Field(description="At or before `start`: the shift ends the next day.")
    first_day: RosterDay
    weeks: int = Field(ge=1, le=MAX_WEEKS)
    post: str = Field("", max_length=100)


class ShiftCancel(RequestBody):
    reason: str = Field(min_length=1, max_length=1000, examples=["Bảo vệ nghỉ ốm"])


# -- presentation ----------------------------------------------------------------------------


def shift_out(shift: DutyShift) -> ShiftOut:
    return ShiftOut(
        id=shift.id,
        user_id=shift.user_id,
        full_name=shift.user.full_name,
        username=shift.user.username,
        starts_at=shift.starts_at,
        ends_at=shift.ends_at,
        starts_at_local=i18n.format_datetime(shift.starts_at),
        ends_at_local=i18n.format_datetime(shift.ends_at),
        post=shift.post,
        created_by=shift.created_by,
    )


def gap_out(gap: Gap) -> GapOut:
    return GapOut(
        start=gap.start,
        end=gap.end,
        start_local=i18n.format_datetime(gap.start),
        end_local=i18n.format_datetime(gap.end),
        hours=round(gap.hours, 2),
    )


def school_timezone(inst: Installation) -> ZoneInfo:
    return ZoneInfo(inst.settings.timezone)


def require_roster_reader(actor: Actor) -> None:
    if not may_view_roster(actor):
        require(actor, Permission.MANAGE_ROSTER)


def parse_hour_minute(text: str, field: str) -> time:
    """ "18:00" as a time; the message names the value when it is not one."""
    if not HOUR_MINUTE.match(text.strip()):
        raise InvalidInput("{value} is not a time of day (HH:MM).", field=field, value=text)
    hours, minutes = text.strip().split(":")
    return time(int(hours), int(minutes))


# -- routes: the roster ----------------------------------------------------------------------


@router.get("", response_model=ShiftList, name="list_shifts")
def list_shifts(
    inst: Inst,
    caller: ApiCaller,
    since: Annotated[
        RosterInstant | None, Query(description="Start (ISO 8601 with offset); default now.")
    ] = None,
    until: Annotated[
        RosterInstant | None,
        Query(description="End, excluded; default 14 days after the start, at most 62."),
    ] = None,
) -> ShiftList:
    """The shifts overlapping the range, for the guards, their head and the board."""
    start = since or inst.clock.now()
    end = until or start + timedelta(days=COVERAGE_DAYS)
    if end <= start or end - start > timedelta(days=MAX_RANGE_DAYS):
        raise InvalidInput(
            "The end must come after the start, at most {limit} days later.",
            field="until",
            limit=MAX_RANGE_DAYS,
        )
    with inst.database.reading() as session:
        shifts = inst.roster.shifts(session, caller.actor, start, end)
        return ShiftList(items=[shift_out(shift) for shift in shifts])


@router.get("/gaps", response_model=GapList, name="roster_gaps")
def roster_gaps(
    inst: Inst,
    caller: ApiCaller,
    days: Annotated[
        int, Query(ge=1, le=COVERAGE_DAYS, description="How many days ahead to check.")
    ] = COVERAGE_DAYS,
) -> GapList:
    """Every span of the coming days with nobody on duty, from now."""
    with inst.database.reading() as session:
        require_roster_reader(caller.actor)
        since = inst.clock.now().replace(second=0, microsecond=0)
        gaps = inst.roster.gaps(session, since=since, days=days)
    return GapList(
        since=since, until=since + timedelta(days=days), items=[gap_out(gap) for gap in gaps]
    )


@router.post(
    "/shifts",
    response_model=ShiftOut,
    status_code=201,
    responses={**NOT_FOUND, **CONFLICT},
    name="add_shift",
)
def add_shift(body: ShiftNew, inst: Inst, caller: ApiCaller) -> ShiftOut:
    """One shift for one guard (principal and head of security); a shift of the same guard
    overlapping it is a conflict."""
    with inst.database.transaction() as session:
        shift = inst.roster.add_shift(
            session,
            caller.actor,
            user_id=body.user_id,
            starts_at=body.starts_at,
            ends_at=body.ends_at,
            post=body.post,
        )
        return shift_out(shift)


@router.post(
    "/weekly",
    response_model=ShiftList,
    status_code=201,
    responses={**NOT_FOUND, **CONFLICT},
    name="add_weekly_plan",
)
def add_weekly_plan(body: WeeklyPlan, inst: Inst, caller: ApiCaller) -> ShiftList:
    """One shift on each chosen weekday for some weeks, in school time; all or none."""
    start = parse_hour_minute(body.start, "start")
    end = parse_hour_minute(body.end, "end")
    with inst.database.transaction() as session:
        shifts = inst.roster.add_weekly(
            session,
            caller.actor,
            user_id=body.user_id,
            weekdays=body.weekdays,
            start=start,
            end=end,
            first_day=body.first_day,
            weeks=body.weeks,
            post=body.post,
        )
        return ShiftList(items=[shift_out(shift) for shift in shifts])


@router.post(
    "/shifts/{shift_id}/cancel",
    response_model=ShiftOut,
    responses={**NOT_FOUND, **CONFLICT},
    name="cancel_shift",
)
def cancel_shift(shift_id: ShiftId, body: ShiftCancel, inst: Inst, caller: ApiCaller) -> ShiftOut:
    """Cancel a shift with a reason; it stays on record but covers nothing."""
    with inst.database.transaction() as session:
        return shift_out(inst.roster.cancel(session, caller.actor, shift_id, body.reason))
