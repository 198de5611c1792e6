"""The `disk_forecast` alert (R-8.1): raised when the recordings disk cannot hold the retention.

The rule (retention/forecast.py): at the rate the cameras wrote over the last 24 h, the
footage already kept plus the free space above the free margin must hold the longest
retention of a camera in service (never less than the review period). When it does not,
disk pressure will delete footage younger than its retention: a medium alert for IT, with
the figures in its summary. While the alert is open, each further check folds into it (its
repeat count grows); once resolved, the next short forecast raises a new one.
"""

from __future__ import annotations

import logging

from camwarden.governance.alerts import DEFAULT_SEVERITY, DISK_FORECAST
from camwarden.i18n import gettext, reset_locale, set_current_locale
from camwarden.installation import Installation
from camwarden.monitoring.health import GB, DiskUsageOf, disk_usage_of, recordings_disk
from camwarden.retention.forecast import DiskForecast
from camwarden.storage.models import Alert

log = logging.getLogger(__name__)

# The forecast moves with a day's recording: every few minutes is often enough.
DISK_CHECK_SECONDS = 300.0


def disk_forecast_summary(forecast: DiskForecast) -> str:
    """What the alert says, in the current language."""
    return gettext(
        "At {rate:.0f} GB a day the recordings disk holds about {capacity:.1f} days of footage, "
        "but the cameras keep {days} days ({needed:.0f} GB). Disk pressure will delete footage "
        "before its time in about {until:.1f} days: add disk space or shorten a retention."
    ).format(
        rate=(forecast.bytes_per_day or 0) / GB,
        capacity=forecast.capacity_days or 0,
        days=forecast.retention_days,
        needed=(forecast.retention_bytes or 0) / GB,
        until=forecast.days_until_pressure or 0,
    )


def check_disk_forecast(
    installation: Installation, disk_usage: DiskUsageOf = disk_usage_of
) -> Alert | None:
    """Raise (or fold into) the disk forecast alert when the disk is too small; its alert."""
    with installation.database.transaction() as session:
        forecast = recordings_disk(installation, session, disk_usage)
        if not forecast.too_small:
            return None
        token = set_current_locale(installation.settings.default_locale)
        try:
            summary = disk_forecast_summary(forecast)
        finally:
            reset_locale(token)
        log.warning("disk forecast: %s", summary)
        return installation.alerts.raise_condition(
            session,
            kind=DISK_FORECAST,
            severity=DEFAULT_SEVERITY[DISK_FORECAST],
            summary=summary,
        )
