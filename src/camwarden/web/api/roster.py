"""The guards' duty roster, shift handovers and the daily report to the board (R-7.1).

Shifts are answered in UTC and, beside each instant, in the school's wall-clock time
(dd/mm/yyyy HH:MM); a weekly plan is entered in school time, as the head of security thinks
of it ("Mon-Fri 18:00-06:00 for 4 weeks"). The pages in web/views/roster.py and
web/views/reports.py show the same answers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Query
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError
from sqlalchemy.orm import Session

from camwarden import i18n
from camwarden.errors import InvalidInput
from camwarden.governance.alerts import ALERT_KIND_LABELS
from camwarden.governance.authorization import Actor, require
from camwarden.governance.daily_report import DailyReport, Outage, daily_report
from camwarden.governance.roles import Permission
from camwarden.governance.roster import COVERAGE_DAYS, MAX_TEXT, MAX_WEEKS, Gap, may_view_roster
from camwarden.installation import Installation
from camwarden.storage.models import DutyShift, ShiftHandover
from camwarden.web.api._routing import CONFLICT, NOT_FOUND, _id_parameter, resource_router
from camwarden.web.api._types import Id, UtcInput, UtcOutput
from camwarden.web.api.alerts import AlertOut, alert_list
from camwarden.web.api.schemas import RequestBody, ResponseBody
from camwarden.web.security import ApiCaller, Inst

router = resource_router("/roster", "roster")
handovers_router = resource_router("/handovers", "roster")
reports_router = resource_router("/reports", "reports")

ShiftId = Annotated[int, _id_parameter("The shift's id.")]
HandoverId = Annotated[int, _id_parameter("The handover's id.")]

# A roster is planned for the school's lifetime, not for the year 9999: instants outside
# these years are refused before they reach a calendar computation that would overflow.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
MAX_RANGE_DAYS = 62
HANDOVER_DAYS = 7
MAX_HANDOVER_DAYS = 31
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


class HandoverOut(ResponseBody):
    id: int
    from_user_id: int
    from_name: str
    to_user_id: int
    to_name: str
    written_at: UtcOutput
    written_at_local: str
    happened: str
    pending: str
    signed_at: UtcOutput | None = Field(description="None until the incoming guard signs.")
    signed_at_local: str
    signed_note: str


class HandoverList(ResponseBody):
    waiting_for_me: list[HandoverOut] = Field(
        description="Handovers to the caller that the caller has not signed yet."
    )
    items: list[HandoverOut] = Field(description="Written in the last days, newest first.")


class HandoverNew(RequestBody):
    to_user_id: Id = Field(description="The guard taking over (not the caller).")
    happened: str = Field(min_length=1, max_length=MAX_TEXT, examples=["Đêm yên tĩnh"])
    pending: str = Field("", max_length=MAX_TEXT, examples=["Camera sân sau còn mờ"])


class HandoverSign(RequestBody):
    note: str = Field("", max_length=MAX_TEXT, examples=["Đã nhận, sẽ gọi kỹ thuật"])


class OutageOut(ResponseBody):
    camera_name: str
    kind: str
    kind_label: str
    started_at: UtcOutput
    ended_at: UtcOutput | None
    started_at_local: str
    minutes_in_day: int = Field(description="Minutes of this day only.")


class DailyReportOut(ResponseBody):
    day: date
    start: UtcOutput = Field(description="Midnight of the day in school time.")
    end: UtcOutput
    by_severity: dict[str, int]
    still_open: int = Field(description="Alerts of the day not yet resolved.")
    alerts: list[AlertOut]
    outages: list[OutageOut]
    tampering: list[OutageOut]
    incidents: list[AlertOut] = Field(description="Resolved this day with an incident reference.")
    shifts: list[ShiftOut]
    handovers: list[HandoverOut]
    uncovered: list[GapOut]


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


def handover_out(handover: ShiftHandover) -> HandoverOut:
    return HandoverOut(
        id=handover.id,
        from_user_id=handover.from_user_id,
        from_name=handover.from_user.full_name,
        to_user_id=handover.to_user_id,
        to_name=handover.to_user.full_name,
        written_at=handover.written_at,
        written_at_local=i18n.format_datetime(handover.written_at),
        happened=handover.happened,
        pending=handover.pending,
        signed_at=handover.signed_at,
        signed_at_local=i18n.format_datetime(handover.signed_at),
        signed_note=handover.signed_note,
    )


def outage_out(outage: Outage) -> OutageOut:
    return OutageOut(
        camera_name=outage.camera_name,
        kind=outage.kind,
        kind_label=i18n.gettext(ALERT_KIND_LABELS.get(outage.kind, outage.kind)),
        started_at=outage.started_at,
        ended_at=outage.ended_at,
        started_at_local=i18n.format_datetime(outage.started_at),
        minutes_in_day=outage.minutes_in_day,
    )


def report_out(session: Session, report: DailyReport) -> DailyReportOut:
    return DailyReportOut(
        day=report.day,
        start=report.start,
        end=report.end,
        by_severity=report.by_severity,
        still_open=report.still_open,
        alerts=alert_list(session, report.alerts),
        outages=[outage_out(item) for item in report.outages],
        tampering=[outage_out(item) for item in report.tampering],
        incidents=alert_list(session, report.incidents),
        shifts=[shift_out(shift) for shift in report.shifts],
        handovers=[handover_out(handover) for handover in report.handovers],
        uncovered=[gap_out(gap) for gap in report.uncovered],
    )


def school_timezone(inst: Installation) -> ZoneInfo:
    return ZoneInfo(inst.settings.timezone)


def yesterday(inst: Installation) -> date:
    """The default day of the report: the last whole day in school time."""
    return inst.clock.now().astimezone(school_timezone(inst)).date() - timedelta(days=1)


def read_daily_report(inst: Installation, session: Session, actor: Actor, day: date) -> DailyReport:
    return daily_report(
        session, actor, day, alerts=inst.alerts, roster=inst.roster, timezone=school_timezone(inst)
    )


def recent_handovers(
    inst: Installation, session: Session, actor: Actor, days: int = HANDOVER_DAYS
) -> Sequence[ShiftHandover]:
    now = inst.clock.now()
    # The range's end is excluded: a second ahead keeps a handover written this instant.
    return inst.roster.handovers(
        session, actor, now - timedelta(days=days), now + timedelta(seconds=1)
    )


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


# -- routes: handovers -----------------------------------------------------------------------


@handovers_router.get("", response_model=HandoverList, name="list_handovers")
def list_handovers(
    inst: Inst,
    caller: ApiCaller,
    days: Annotated[
        int, Query(ge=1, le=MAX_HANDOVER_DAYS, description="Handovers of this many last days.")
    ] = HANDOVER_DAYS,
) -> HandoverList:
    """The recent handovers, and those waiting for the caller's signature."""
    with inst.database.reading() as session:
        recent = recent_handovers(inst, session, caller.actor, days)
        waiting = inst.roster.waiting_for(session, caller.actor)
        return HandoverList(
            waiting_for_me=[handover_out(h) for h in waiting],
            items=[handover_out(h) for h in recent],
        )


@handovers_router.post(
    "", response_model=HandoverOut, status_code=201, responses=NOT_FOUND, name="write_handover"
)
def write_handover(body: HandoverNew, inst: Inst, caller: ApiCaller) -> HandoverOut:
    """The outgoing guard's note: what happened, what is pending, and who takes over."""
    with inst.database.transaction() as session:
        handover = inst.roster.write_handover(
            session,
            caller.actor,
            to_user_id=body.to_user_id,
            happened=body.happened,
            pending=body.pending,
        )
        return handover_out(handover)


@handovers_router.post(
    "/{handover_id}/sign",
    response_model=HandoverOut,
    responses={**NOT_FOUND, **CONFLICT},
    name="sign_handover",
)
def sign_handover(
    handover_id: HandoverId, body: HandoverSign, inst: Inst, caller: ApiCaller
) -> HandoverOut:
    """The incoming guard named in the handover signs it, once, with an optional note."""
    with inst.database.transaction() as session:
        return handover_out(
            inst.roster.sign_handover(session, caller.actor, handover_id, body.note)
        )


# -- routes: the daily report ----------------------------------------------------------------


@reports_router.get("/daily", response_model=DailyReportOut, name="daily_report")
def get_daily_report(
    inst: Inst,
    caller: ApiCaller,
    day: Annotated[
        RosterDay | None, Query(description="YYYY-MM-DD; default yesterday in school time.")
    ] = None,
) -> DailyReportOut:
    """One day, midnight to midnight in school time: alerts, outages, tampering, incidents,
    who was on duty, handovers and the hours nobody was (principal, board, head of security)."""
    with inst.database.reading() as session:
        report = read_daily_report(inst, session, caller.actor, day or yesterday(inst))
        return report_out(session, report)
