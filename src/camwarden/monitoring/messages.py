"""What a notification says: short enough for a phone's lock screen, in the school's language."""

from __future__ import annotations

from dataclasses import dataclass

from camwarden.governance.alerts import ALERT_KIND_LABELS, SEVERITY_LABELS, Severity
from camwarden.governance.escalation import EscalationLevel
from camwarden.i18n import format_datetime, gettext, reset_locale, set_current_locale
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
