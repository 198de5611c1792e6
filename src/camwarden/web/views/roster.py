"""The duty roster and shift handovers (R-7.1): the coming 14 days day by day with every hour
nobody is on duty named at the top, planning for the head of security, and the guards'
handover notes signed by the one taking over."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Annotated

from fastapi import Form, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from camwarden.errors import CamwardenError, InvalidInput
from camwarden.governance.authorization import Actor, can
from camwarden.governance.roles import Permission
from camwarden.governance.roster import COVERAGE_DAYS, Gap, active_guards
from camwarden.installation import Installation
from camwarden.storage.lookup import MAX_ID
from camwarden.storage.models import DutyShift, ShiftHandover
from camwarden.web.api.handovers import recent_handovers
from camwarden.web.api.roster import parse_hour_minute, require_roster_reader, school_timezone
from camwarden.web.security import Caller, FormCaller, Inst, PageCaller
from camwarden.web.templating import WEEKDAY_LABELS
from camwarden.web.views import page_router
from camwarden.web.views._common import page, redirect

Text = Annotated[str, Form(max_length=5000)]
Short = Annotated[str, Form(max_length=100)]


@dataclass
class PlannedDay:
    day: date
    shifts: list[DutyShift] = field(default_factory=list)
    # The uncovered spans clipped to this day, as HH:MM (24:00 for the day's end).
    uncovered: list[tuple[str, str]] = field(default_factory=list)


def _clipped(gaps: list[Gap], day_start: datetime, day_end: datetime) -> list[tuple[str, str]]:
    spans = []
    for gap in gaps:
        if gap.start < day_end and gap.end > day_start:
            start, end = max(gap.start, day_start), min(gap.end, day_end)
            spans.append(
                (
                    f"{start.astimezone(day_start.tzinfo):%H:%M}",
                    "24:00" if end == day_end else f"{end.astimezone(day_start.tzinfo):%H:%M}",
                )
            )
    return spans


@dataclass(frozen=True)
class DutyNotices:
    """What the home page and the console remind a person of."""

    gaps: list[Gap]
    waiting: list[ShiftHandover]


def duty_notices(inst: Installation, session: Session, actor: Actor) -> DutyNotices:
    """Gaps in the coming 14 days for who plans the roster; handovers waiting for this
    person's signature."""
    gaps = inst.roster.gaps(session) if can(actor, Permission.MANAGE_ROSTER) else []
    return DutyNotices(gaps=gaps, waiting=list(inst.roster.waiting_for(session, actor)))


def _coming_days(
    inst: Installation, session: Session, actor: Actor, gaps: list[Gap]
) -> list[PlannedDay]:
    tz = school_timezone(inst)
    today = inst.clock.now().astimezone(tz).date()
    start = datetime.combine(today, time(0), tz)
    end = start + timedelta(days=COVERAGE_DAYS)
    shifts = inst.roster.shifts(session, actor, start, end)
    days = []
    for offset in range(COVERAGE_DAYS):
        day = today + timedelta(days=offset)
        day_start = datetime.combine(day, time(0), tz)
        day_end = datetime.combine(day + timedelta(days=1), time(0), tz)
        days.append(
            PlannedDay(
                day=day,
                # A night shift is listed on the evening it starts, not again the next morning.
                shifts=[s for s in shifts if day_start <= s.starts_at < day_end]
                + ([s for s in shifts if s.starts_at < start] if offset == 0 else []),
                uncovered=_clipped(gaps, day_start, day_end),
            )
        )
    return days


def _roster_page(
    request: Request,
    caller: Caller,
    inst: Inst,
    *,
    values: dict[str, object] | None = None,
    error: CamwardenError | None = None,
) -> Response:
    require_roster_reader(caller.actor)
    with inst.database.reading() as session:
        gaps = inst.roster.gaps(session)
        days = _coming_days(inst, session, caller.actor, gaps)
        guards = active_guards(session)
    today = days[0].day
    context = {
        "days": days,
        "gaps": gaps,
        "guards": guards,
        "weekdays": list(enumerate(WEEKDAY_LABELS)),
        "may_plan": can(caller.actor, Permission.MANAGE_ROSTER),
        "values": values
        or {"day": today.isoformat(), "first_day": today.isoformat(), "weeks": 1, "weekdays": []},
    }
    return page(request, caller, "roster/plan.html", context, error=error)


def _day(text: str, field_name: str) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            "{value} is not a date (dd/mm/yyyy).", field=field_name, value=text
        ) from None
    if not 2000 <= day.year <= 2099:
        raise InvalidInput("{value} is not a date (dd/mm/yyyy).", field=field_name, value=text)
    return day


def _id(text: str, field_name: str) -> int:
    if not text.strip().isdigit() or not 0 < int(text) <= MAX_ID:
        raise InvalidInput("Choose a guard.", field=field_name)
    return int(text)


@page_router.get("/roster")
def roster(request: Request, caller: PageCaller, inst: Inst) -> Response:
    return _roster_page(request, caller, inst)


@page_router.post("/roster/shifts")
def add_shift(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    user_id: Short = "",
    day: Short = "",
    start: Short = "",
    end: Short = "",
    post: Short = "",
) -> Response:
    values = {"shift_user_id": user_id, "day": day, "start": start, "end": end, "post": post}
    try:
        guard_id = _id(user_id, "user_id")
        shift_day = _day(day, "day")
        starts, ends = parse_hour_minute(start, "start"), parse_hour_minute(end, "end")
        tz = school_timezone(inst)
        starts_at = datetime.combine(shift_day, starts, tz)
        # A shift ending at or before its start time ends the next morning, as in a weekly plan.
        end_day = shift_day if ends > starts else shift_day + timedelta(days=1)
        with inst.database.transaction() as session:
            inst.roster.add_shift(
                session,
                caller.actor,
                user_id=guard_id,
                starts_at=starts_at,
                ends_at=datetime.combine(end_day, ends, tz),
                post=post,
            )
    except CamwardenError as error:
        return _roster_page(request, caller, inst, values=values, error=error)
    return redirect("/roster", "created")


@page_router.post("/roster/weekly")
def add_weekly(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    user_id: Short = "",
    weekdays: Annotated[list[str], Form(max_length=7)] = [],  # noqa: B006 (FastAPI copies it)
    start: Short = "",
    end: Short = "",
    first_day: Short = "",
    weeks: Short = "1",
    post: Short = "",
) -> Response:
    values = {
        "weekly_user_id": user_id,
        "weekdays": weekdays,
        "weekly_start": start,
        "weekly_end": end,
        "first_day": first_day,
        "weeks": weeks,
        "weekly_post": post,
    }
    try:
        guard_id = _id(user_id, "user_id")
        days = [int(d) for d in weekdays if d.isdigit() and len(d) == 1]
        if not weeks.strip().isdigit() or len(weeks.strip()) > 3:
            raise InvalidInput("{value} is not a number of weeks.", field="weeks", value=weeks)
        with inst.database.transaction() as session:
            inst.roster.add_weekly(
                session,
                caller.actor,
                user_id=guard_id,
                weekdays=days,
                start=parse_hour_minute(start, "start"),
                end=parse_hour_minute(end, "end"),
                first_day=_day(first_day, "first_day"),
                weeks=int(weeks),
                post=post,
            )
    except CamwardenError as error:
        return _roster_page(request, caller, inst, values=values, error=error)
    return redirect("/roster", "created")


@page_router.post("/roster/shifts/{shift_id}/cancel")
def cancel_shift(
    request: Request, caller: FormCaller, inst: Inst, shift_id: int, reason: Text = ""
) -> Response:
    try:
        with inst.database.transaction() as session:
            inst.roster.cancel(session, caller.actor, shift_id, reason)
    except CamwardenError as error:
        return _roster_page(request, caller, inst, error=error)
    return redirect("/roster", "saved")


# -- handovers -------------------------------------------------------------------------------


def _handovers_page(
    request: Request,
    caller: Caller,
    inst: Inst,
    *,
    values: dict[str, object] | None = None,
    error: CamwardenError | None = None,
) -> Response:
    require_roster_reader(caller.actor)
    with inst.database.reading() as session:
        recent = recent_handovers(inst, session, caller.actor)
        waiting = inst.roster.waiting_for(session, caller.actor)
        guards = [g for g in active_guards(session) if g.id != caller.actor.user_id]
    context = {
        "recent": recent,
        "waiting": waiting,
        "guards": guards,
        "may_write": can(caller.actor, Permission.HANDLE_ALERTS)
        and caller.actor.user_id is not None,
        "values": values or {},
    }
    return page(request, caller, "roster/handovers.html", context, error=error)


@page_router.get("/handovers")
def handovers(request: Request, caller: PageCaller, inst: Inst) -> Response:
    return _handovers_page(request, caller, inst)


@page_router.post("/handovers")
def write_handover(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    to_user_id: Short = "",
    happened: Text = "",
    pending: Text = "",
) -> Response:
    values = {"to_user_id": to_user_id, "happened": happened, "pending": pending}
    try:
        incoming = _id(to_user_id, "to_user_id")
        with inst.database.transaction() as session:
            inst.roster.write_handover(
                session, caller.actor, to_user_id=incoming, happened=happened, pending=pending
            )
    except CamwardenError as error:
        return _handovers_page(request, caller, inst, values=values, error=error)
    return redirect("/handovers", "created")


@page_router.post("/handovers/{handover_id}/sign")
def sign_handover(
    request: Request, caller: FormCaller, inst: Inst, handover_id: int, note: Text = ""
) -> Response:
    try:
        with inst.database.transaction() as session:
            inst.roster.sign_handover(session, caller.actor, handover_id, note)
    except CamwardenError as error:
        if error.http_status == 404:
            raise
        return _handovers_page(request, caller, inst, error=error)
    return redirect("/handovers", "saved")
