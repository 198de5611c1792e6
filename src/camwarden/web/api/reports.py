"""The daily report to the board (R-7.1): one day, midnight to midnight in school time. The
page web/views/reports.py shows the same answer.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import Query
from pydantic import Field
from sqlalchemy.orm import Session

from camwarden import i18n
from camwarden.governance.alerts import ALERT_KIND_LABELS
from camwarden.governance.authorization import Actor
from camwarden.governance.daily_report import DailyReport, Outage, daily_report
from camwarden.installation import Installation
from camwarden.web.api._routing import resource_router
from camwarden.web.api._types import UtcOutput
from camwarden.web.api.alerts import AlertOut, alert_list
from camwarden.web.api.handovers import HandoverOut, handover_out
from camwarden.web.api.roster import (
    GapOut,
    RosterDay,
    ShiftOut,
    gap_out,
    school_timezone,
    shift_out,
)
from camwarden.web.api.schemas import ResponseBody
from camwarden.web.security import ApiCaller, Inst

router = resource_router("/reports", "reports")


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


def yesterday(inst: Installation) -> date:
    """The default day of the report: the last whole day in school time."""
    return inst.clock.now().astimezone(school_timezone(inst)).date() - timedelta(days=1)


def read_daily_report(inst: Installation, session: Session, actor: Actor, day: date) -> DailyReport:
    return daily_report(
        session, actor, day, alerts=inst.alerts, roster=inst.roster, timezone=school_timezone(inst)
    )


@router.get("/daily", response_model=DailyReportOut, name="daily_report")
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
