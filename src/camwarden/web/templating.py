"""Jinja2 pages, translated through the same gettext catalogues as the rest of the system."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from camwarden import __version__, i18n
from camwarden.governance.alerts import (
    ALERT_KIND_LABELS,
    ALERT_STATE_LABELS,
    SEVERITY_LABELS,
)
from camwarden.governance.camera_conditions import CAMERA_CONDITION_LABELS
from camwarden.governance.cameras import CAMERA_STATE_LABELS
from camwarden.governance.escalation import ESCALATION_LEVEL_LABELS
from camwarden.governance.roles import PERMISSION_LABELS, ROLE_LABELS, Permission
from camwarden.governance.zones import PURPOSE_LABELS, ZONE_KIND_LABELS
from camwarden.i18n import N_
from camwarden.monitoring.health import ANALYSIS_CONDITION_LABELS

TEMPLATES_DIR = Path(__file__).parent / "templates"


# An alert's history as a guard reads it (audit actions and why a message was sent).
ALERT_ACTION_LABELS: dict[str, str] = {
    "alert.raise": N_("Raised"),
    "alert.acknowledge": N_("Taken"),
    "alert.escalate": N_("Escalated"),
    "alert.resolve": N_("Resolved"),
}
NOTIFICATION_REASON_LABELS: dict[str, str] = {
    "raised": N_("Raised: to the zone's people"),
    "escalated_1": N_("Escalated to the head of security"),
    "escalated_2": N_("Escalated to the board"),
}


# Monday first, as date.weekday() counts; the roster and the daily report name days this way.
WEEKDAY_LABELS: tuple[str, ...] = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)


def day_label(moment: date | datetime) -> str:
    """ "Thứ Bảy 14/03": the weekday and day of a date, or of an instant in school time."""
    day = i18n.local_time(moment).date() if isinstance(moment, datetime) else moment
    return f"{i18n.gettext(WEEKDAY_LABELS[day.weekday()])} {day:%d/%m}"


def local_hour(moment: datetime) -> str:
    """HH:MM of an instant in school time."""
    return f"{i18n.local_time(moment):%H:%M}"


def _label(table: dict[Any, str]) -> Any:
    def translate(value: Any) -> str:
        for key, label in table.items():
            if key == value:
                return i18n.gettext(label)
        return str(value)

    return translate


def audit_details(details: str) -> list[tuple[str, str]]:
    """An audit entry's JSON details as (key, value) lines a person can read."""
    try:
        parsed = json.loads(details)
    except ValueError:
        return [("", details)]
    if not isinstance(parsed, dict):
        return [("", details)]
    return [
        (key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
        for key, value in parsed.items()
    ]


def build_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True
    )
    env.filters["datetime"] = i18n.format_datetime
    env.filters["audit_details"] = audit_details
    env.filters["role_label"] = _label(ROLE_LABELS)
    env.filters["permission_label"] = _label(PERMISSION_LABELS)
    env.filters["zone_kind_label"] = _label(ZONE_KIND_LABELS)
    env.filters["purpose_label"] = _label(PURPOSE_LABELS)
    env.filters["camera_state_label"] = _label(CAMERA_STATE_LABELS)
    env.filters["event_label"] = _label(ALERT_KIND_LABELS)
    env.filters["severity_label"] = _label(SEVERITY_LABELS)
    env.filters["alert_state_label"] = _label(ALERT_STATE_LABELS)
    env.filters["alert_kind_label"] = _label(ALERT_KIND_LABELS)
    env.filters["escalation_label"] = _label(ESCALATION_LEVEL_LABELS)
    env.filters["camera_condition_label"] = _label(CAMERA_CONDITION_LABELS)
    env.filters["analysis_condition_label"] = _label(ANALYSIS_CONDITION_LABELS)
    env.filters["alert_action_label"] = _label(ALERT_ACTION_LABELS)
    env.filters["notification_reason_label"] = _label(NOTIFICATION_REASON_LABELS)
    env.filters["day_label"] = day_label
    env.filters["local_hour"] = local_hour
    env.globals["version"] = __version__
    env.globals["Permission"] = Permission
    env.globals["current_locale"] = i18n.current_locale
    return env


templates = Jinja2Templates(env=build_environment())


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context or {}, status_code=status_code)
