"""The daily report to the board (R-7.1): one school day of alerts, outages, incidents and
who was on duty, from midnight to midnight in the school's time zone."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.analysis.events import TAMPER_KINDS
from camwarden.governance.alerts import AlertDesk, AlertState
from camwarden.governance.authorization import Actor, can, require
from camwarden.governance.roles import Permission
from camwarden.governance.roster import Gap, Roster
from camwarden.storage.models import Alert, Camera, CameraEvent, DutyShift, ShiftHandover

# The camera conditions that mean footage was not being recorded.
OUTAGE_KINDS = frozenset({"video_loss", "recording_stopped", "storage_error", "disk_full"})


@dataclass(frozen=True)
class Outage:
    camera_name: str
    kind: str
    started_at: datetime
    ended_at: datetime | None
    # Of this day only: an outage from the evening before counts from midnight.
    minutes_in_day: int


@dataclass
class DailyReport:
    day: date
    start: datetime
    end: datetime
    alerts: list[Alert] = field(default_factory=list)
    by_severity: dict[str, int] = field(default_factory=dict)
    still_open: int = 0
    outages: list[Outage] = field(default_factory=list)
    tampering: list[Outage] = field(default_factory=list)
    incidents: list[Alert] = field(default_factory=list)
    shifts: list[DutyShift] = field(default_factory=list)
    handovers: list[ShiftHandover] = field(default_factory=list)
    uncovered: list[Gap] = field(default_factory=list)


def may_read_daily_report(actor: Actor) -> bool:
    return can(actor, Permission.RECEIVE_ESCALATIONS) or can(actor, Permission.MANAGE_ROSTER)


def day_bounds(day: date, timezone: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), timezone)
    return start, datetime.combine(day + timedelta(days=1), time(0), timezone)


def daily_report(
    session: Session,
    actor: Actor,
    day: date,
    *,
    alerts: AlertDesk,
    roster: Roster,
    timezone: ZoneInfo,
) -> DailyReport:
    if not may_read_daily_report(actor):
        require(actor, Permission.RECEIVE_ESCALATIONS)
    start, end = day_bounds(day, timezone)
    report = DailyReport(day=day, start=start, end=end)
    raised = session.scalars(
        select(Alert).where(Alert.raised_at >= start, Alert.raised_at < end).order_by(Alert.id)
    ).all()
    report.alerts = [alert for alert in raised if alerts.may_see(actor, alert)]
    report.by_severity = dict(Counter(alert.severity for alert in report.alerts))
    report.still_open = sum(a.state != AlertState.RESOLVED.value for a in report.alerts)
    resolved = session.scalars(
        select(Alert).where(
            Alert.resolved_at >= start, Alert.resolved_at < end, Alert.incident_reference != ""
        )
    ).all()
    report.incidents = [alert for alert in resolved if alerts.may_see(actor, alert)]
    for event, camera in session.execute(
        select(CameraEvent, Camera)
        .join(Camera, Camera.id == CameraEvent.camera_id)
        .where(
            CameraEvent.started_at < end,
            (CameraEvent.ended_at.is_(None)) | (CameraEvent.ended_at > start),
        )
        .order_by(CameraEvent.started_at)
    ).all():
        if not can(actor, Permission.VIEW_CAMERAS, camera.zone_id):
            continue
        clipped_end = min(event.ended_at or end, end)
        minutes = int((clipped_end - max(event.started_at, start)).total_seconds() // 60)
        outage = Outage(camera.name, event.kind, event.started_at, event.ended_at, minutes)
        if event.kind in OUTAGE_KINDS:
            report.outages.append(outage)
        elif event.kind in TAMPER_KINDS:
            report.tampering.append(outage)
    report.shifts = list(roster.covering(session, start, end))
    report.handovers = list(
        session.scalars(
            select(ShiftHandover)
            .where(ShiftHandover.written_at >= start, ShiftHandover.written_at < end)
            .order_by(ShiftHandover.written_at)
        )
    )
    report.uncovered = [gap for gap in roster.gaps(session, since=start, days=1) if gap.start < end]
    return report
