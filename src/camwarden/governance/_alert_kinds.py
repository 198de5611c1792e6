"""The words an alert is written in: its severities and states and their labels, the kinds
of alert and how serious each is unless a person says otherwise, how long its texts may be,
and which rows are still open. Shared by the service, its helpers, the monitoring and the
pages."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ColumnElement

from camwarden.analysis.events import TAMPER_KINDS
from camwarden.errors import InvalidInput
from camwarden.i18n import N_
from camwarden.storage.models import Alert


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


SEVERITY_RANK: dict[Severity, int] = {
    Severity.LOW: 0,
    Severity.MEDIUM: 1,
    Severity.HIGH: 2,
    Severity.CRITICAL: 3,
}

SEVERITY_LABELS: dict[Severity, str] = {
    Severity.LOW: N_("Low"),
    Severity.MEDIUM: N_("Medium"),
    Severity.HIGH: N_("High"),
    Severity.CRITICAL: N_("Critical"),
}


class AlertState(StrEnum):
    RAISED = "raised"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


ALERT_STATE_LABELS: dict[AlertState, str] = {
    AlertState.RAISED: N_("Waiting for someone"),
    AlertState.ACKNOWLEDGED: N_("Being handled"),
    AlertState.RESOLVED: N_("Resolved"),
}

# A guard's own report ("broken camera at block B", "stranger at the gate").
GUARD_REPORT = "guard_report"
DISK_FORECAST = "disk_forecast"
# A review cycle not signed off by its due date: raised once, for the Board.
REVIEW_OVERDUE = "review_overdue"


ALERT_KIND_LABELS: dict[str, str] = {
    "covered": N_("Lens covered"),
    "defocused": N_("Out of focus"),
    "moved": N_("Camera moved or turned"),
    "too_dark": N_("Picture too dark"),
    "too_bright": N_("Picture too bright (blinded)"),
    "frozen": N_("Picture frozen"),
    "video_loss": N_("Video loss"),
    "recording_stopped": N_("Recording stopped"),
    "storage_error": N_("Storage error"),
    "disk_full": N_("Disk full"),
    DISK_FORECAST: N_("Disk will soon be full"),
    GUARD_REPORT: N_("Reported by a guard"),
    REVIEW_OVERDUE: N_("Footage review overdue"),
}

# How serious each observed condition is unless a person says otherwise. Losing the picture
# or the recording of a camera is as serious as someone covering it: either way nothing is
# being recorded of that place. A full disk stops every camera.
DEFAULT_SEVERITY: dict[str, Severity] = {
    **{kind: Severity.HIGH for kind in TAMPER_KINDS},
    "video_loss": Severity.HIGH,
    "recording_stopped": Severity.HIGH,
    "storage_error": Severity.HIGH,
    "disk_full": Severity.CRITICAL,
    DISK_FORECAST: Severity.MEDIUM,
    REVIEW_OVERDUE: Severity.MEDIUM,
}

MAX_SUMMARY = 2000
MAX_NOTE = 2000


def parse_severity(value: str) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        raise InvalidInput(
            "Severity '{value}' does not exist; expected one of: {expected}.",
            field="severity",
            value=value,
            expected=", ".join(s.value for s in Severity),
        ) from None


def unresolved() -> ColumnElement[bool]:
    """The one filter for open alerts: what folds repeats, what the console lists, what
    waits for its condition to end."""
    return Alert.state != AlertState.RESOLVED.value
