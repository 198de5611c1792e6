"""The disk forecast alert (R-8.1): raised when the disk cannot hold the retention, once,
then folded while it stays open; nothing when the retention fits or no rate is known."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import func, select

from camwarden.governance.alerts import DISK_FORECAST, Severity
from camwarden.installation import Installation
from camwarden.monitoring.disk_check import check_disk_forecast
from camwarden.monitoring.service import MonitoringService
from camwarden.retention.report import DiskUsage
from camwarden.storage.models import Alert, AuditEntry
from tests.support.footage import record_history, school_cameras

GB = 1_000_000_000


def two_terabytes(_: Path) -> DiskUsage:
    """The school's recordings disk: 2 TB, 1.3 TB used."""
    return DiskUsage(total=2000 * GB, used=1300 * GB, free=700 * GB)


def raised(installation: Installation) -> list[Alert]:
    with installation.database.reading() as session:
        return list(session.scalars(select(Alert).where(Alert.kind == DISK_FORECAST)))


def raise_entries(installation: Installation) -> int:
    with installation.database.reading() as session:
        count = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "alert.raise")
        )
    return int(count or 0)


def test_a_disk_too_small_for_the_retention_raises_one_medium_alert_then_folds_repeats(
    installation: Installation,
) -> None:
    cameras = school_cameras(installation, retention_days=30)
    # 2 hours at 5 GB a minute: 7,200 GB a day; 700 GB free holds a few hours, not 30 days.
    record_history(installation, cameras.gate, minutes=120, bytes_per_minute=5 * GB)

    first = check_disk_forecast(installation, two_terabytes)
    assert first is not None
    (alert,) = raised(installation)
    assert alert.severity == Severity.MEDIUM.value
    assert alert.camera_id is None and alert.zone_id is None, "the disk is the whole school's"
    assert "30" in alert.summary and "7200" in alert.summary
    assert raise_entries(installation) == 1

    second = check_disk_forecast(installation, two_terabytes)
    assert second is not None and second.id == alert.id
    (folded,) = raised(installation)
    assert folded.repeats == 1
    assert raise_entries(installation) == 1, "a repeat is not a new alert"


def test_a_disk_that_holds_the_retention_raises_nothing(installation: Installation) -> None:
    cameras = school_cameras(installation, retention_days=30)
    # 10 MB a minute: 14.4 GB a day, 432 GB for 30 days; 700 GB free hold 48 more days.
    record_history(installation, cameras.gate, minutes=60, bytes_per_minute=10_000_000)
    assert check_disk_forecast(installation, two_terabytes) is None
    assert raised(installation) == []


def test_without_enough_recording_for_a_rate_nothing_is_raised(installation: Installation) -> None:
    cameras = school_cameras(installation, retention_days=30)
    record_history(installation, cameras.gate, minutes=5, bytes_per_minute=5 * GB)
    assert check_disk_forecast(installation, two_terabytes) is None
    assert raised(installation) == []


def test_the_summary_is_in_the_schools_language(installation: Installation) -> None:
    cameras = school_cameras(installation, retention_days=30)
    record_history(installation, cameras.gate, minutes=120, bytes_per_minute=5 * GB)
    alert = check_disk_forecast(installation, two_terabytes)
    assert alert is not None
    assert "ổ đĩa" in alert.summary and "ngày" in alert.summary


def test_the_monitoring_service_checks_the_real_disk_as_soon_as_it_starts(
    installation: Installation,
) -> None:
    cameras = school_cameras(installation, retention_days=30)
    # 7,200 GB a day for 30 days: no disk this test runs on holds 216 TB.
    record_history(installation, cameras.gate, minutes=120, bytes_per_minute=5 * GB)
    service = MonitoringService(installation)
    service.start()
    try:
        deadline = time.monotonic() + 20
        while not raised(installation) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        service.stop()
    (alert,) = raised(installation)
    assert alert.repeats == 0, "checked every few minutes, not every second"
