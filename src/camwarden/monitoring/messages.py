"""What a notification says: short enough for a phone's lock screen, in the school's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from camwarden.governance.alerts import ALERT_KIND_LABELS, SEVERITY_LABELS, Severity
from camwarden.governance.daily_report import DailyReport
from camwarden.governance.escalation import EscalationLevel
from camwarden.i18n import (
    format_datetime,
    gettext,
    local_time,
    reset_locale,
    set_current_locale,
)
from camwarden.storage.models import Alert


@dataclass(frozen=True)
class Message:
    title: str
    body: str


def compose(
    alert: Alert,
    *,
    camera_name: str | None,
    zone_name: str | None,
    level: EscalationLevel,
    public_url: str,
    locale: str,
) -> Message:
    token = set_current_locale(locale)
    try:
        kind = gettext(ALERT_KIND_LABELS.get(alert.kind, alert.kind))
        severity = gettext(SEVERITY_LABELS[Severity(alert.severity)])
        place = " · ".join(part for part in (camera_name, zone_name) if part)
        title = f"[{severity}] {kind}" + (f": {place}" if place else "")
        lines = [
            gettext("Alert {id}: {kind}").format(id=alert.id, kind=kind),
            gettext("Where: {place}").format(place=place or gettext("the whole school")),
            gettext("Since: {moment}").format(moment=format_datetime(alert.raised_at)),
        ]
        if alert.summary:
            lines.append(alert.summary)
        if alert.repeats:
            lines.append(gettext("Seen {count} more times since.").format(count=alert.repeats))
        if level is not EscalationLevel.ZONE:
            lines.append(gettext("Nobody has taken this alert yet: it now comes to you."))
        if public_url:
            lines.append(f"{public_url.rstrip('/')}/alerts/{alert.id}")
        return Message(title=title, body="\n".join(lines))
    finally:
        reset_locale(token)


def compose_daily_report(report: DailyReport, *, public_url: str, locale: str) -> Message:
    """The day in plain text: counts first, then the lines a board member may want to read."""
    token = set_current_locale(locale)
    try:
        day = report.day.strftime("%d/%m/%Y")
        title = gettext("Camera report for {day}").format(day=day)
        lines = [
            gettext("Alerts: {count} ({open} still open)").format(
                count=len(report.alerts), open=report.still_open
            ),
        ]
        for severity in reversed(Severity):
            count = report.by_severity.get(severity.value, 0)
            if count:
                lines.append(f"  - {gettext(SEVERITY_LABELS[severity])}: {count}")
        lines.append(gettext("Tampering: {count}").format(count=len(report.tampering)))
        for item in report.tampering:
            lines.append(
                _condition_line(item.camera_name, item.kind, item.started_at, item.minutes_in_day)
            )
        lines.append(gettext("Outages: {count}").format(count=len(report.outages)))
        for item in report.outages:
            lines.append(
                _condition_line(item.camera_name, item.kind, item.started_at, item.minutes_in_day)
            )
        lines.append(gettext("Incidents: {count}").format(count=len(report.incidents)))
        for alert in report.incidents:
            lines.append(f"  - {alert.incident_reference}: {alert.outcome}")
        lines.append(gettext("On duty:"))
        for shift in report.shifts:
            lines.append(
                f"  - {shift.user.full_name} {local_time(shift.starts_at):%H:%M}"
                f"-{local_time(shift.ends_at):%H:%M} {shift.post}".rstrip()
            )
        if not report.shifts:
            lines.append("  - " + gettext("nobody on the roster"))
        for gap in report.uncovered:
            lines.append(
                gettext("Nobody on duty {start}-{end}").format(
                    start=f"{local_time(gap.start):%H:%M}", end=f"{local_time(gap.end):%H:%M}"
                )
            )
        lines.append(gettext("Handovers: {count}").format(count=len(report.handovers)))
        if public_url:
            lines.append(f"{public_url.rstrip('/')}/reports/daily?day={report.day.isoformat()}")
        return Message(title=title, body="\n".join(lines))
    finally:
        reset_locale(token)


def _condition_line(camera: str, kind: str, started_at: datetime, minutes: int) -> str:
    label = gettext(ALERT_KIND_LABELS.get(kind, kind))
    return "  - " + gettext("{camera}: {what} from {start}, {minutes} min").format(
        camera=camera, what=label, start=f"{local_time(started_at):%H:%M}", minutes=minutes
    )
