"""The daily report to the board (R-7.1) as a printable page: one school day of alerts,
outages, tampering, incidents, who was on duty and the hours nobody was. The e-mail of
monitoring/daily_mail.py links here."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import Request
from starlette.responses import Response

from camwarden.errors import InvalidInput
from camwarden.governance.alerts import Severity
from camwarden.governance.authorization import require
from camwarden.governance.daily_report import may_read_daily_report
from camwarden.governance.roles import Permission
from camwarden.web.api.reports import read_daily_report, report_out, yesterday
from camwarden.web.security import Inst, PageCaller
from camwarden.web.views import page_router
from camwarden.web.views._common import page


def _asked_day(text: str | None, default: date) -> date:
    if not text:
        return default
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("{value} is not a date (dd/mm/yyyy).", field="day", value=text) from None
    if not 2000 <= day.year <= 2099:
        raise InvalidInput("{value} is not a date (dd/mm/yyyy).", field="day", value=text)
    return day


@page_router.get("/reports/daily")
def daily_report_page(request: Request, caller: PageCaller, inst: Inst) -> Response:
    if not may_read_daily_report(caller.actor):
        require(caller.actor, Permission.RECEIVE_ESCALATIONS)
    latest = yesterday(inst)
    day = _asked_day(request.query_params.get("day"), latest)
    with inst.database.reading() as session:
        report = report_out(session, read_daily_report(inst, session, caller.actor, day))
    context = {
        "report": report,
        "severities": list(reversed(Severity)),
        "previous_day": day - timedelta(days=1),
        # Today is not over: its report is still being written, so "next" stops at yesterday.
        "next_day": day + timedelta(days=1) if day < latest else None,
    }
    return page(request, caller, "reports/daily.html", context)
