"""The guard room's background work in one start/stop: alerts, escalation, notifications,
the daily report, the review cycles and the disk forecast check."""

from __future__ import annotations

import logging
import threading

from camwarden.governance.escalation import DEFAULT_POLICY, EscalationPolicy
from camwarden.installation import Installation
from camwarden.monitoring.alert_worker import AlertWorker
from camwarden.monitoring.daily_mail import DailyReportMailer
from camwarden.monitoring.disk_check import DISK_CHECK_SECONDS, check_disk_forecast
from camwarden.monitoring.notifier import Notifier

log = logging.getLogger(__name__)


def expire_grants(installation: Installation) -> int:
    """Footage grants that ran out: recorded once each, their holds released (R-4.2)."""
    with installation.database.transaction() as session:
        return installation.requests.expire_grants(session, installation.clock.now())


def remind_complaints(installation: Installation) -> int:
    """Complaint deadlines near or passed: the handlers told once each (R-3.1)."""
    now = installation.clock.now()
    # Looked at every minute: read first, so the write lock is taken only when there is news.
    with installation.database.reading() as session:
        if not installation.complaints.reminders_due(session, now):
            return 0
    with installation.database.transaction() as session:
        return installation.complaints.remind_due(session, now)


# The daily report is looked at this often; it goes out once per day.
DAILY_CHECK_SECONDS = 60.0


class MonitoringService:
    def __init__(
        self, installation: Installation, *, policy: EscalationPolicy = DEFAULT_POLICY
    ) -> None:
        self.notifier = Notifier(installation)
        self.alerts = AlertWorker(installation, policy=policy, on_tick=self.notifier.on_tick)
        self.daily = DailyReportMailer(installation)
        self._inst = installation
        self._stop = threading.Event()
        self._daily_thread = threading.Thread(target=self._daily_loop, name="daily", daemon=True)
        self._disk_thread = threading.Thread(target=self._disk_loop, name="disk", daemon=True)

    def start(self) -> None:
        self.notifier.start()
        self.alerts.start()
        self._daily_thread.start()
        self._disk_thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.alerts.stop()
        self.notifier.stop()
        for thread in (self._daily_thread, self._disk_thread):
            if thread.is_alive():
                thread.join(10)

    def _daily_loop(self) -> None:
        while not self._stop.wait(DAILY_CHECK_SECONDS):
            try:
                self.daily.send_if_due()
            except Exception:  # a bad day's report must not stop tomorrow's
                log.exception("daily report failed")
            try:
                expire_grants(self._inst)
            except Exception:  # a failed sweep is tried again at the next tick
                log.exception("footage grant expiry failed")
            try:
                remind_complaints(self._inst)
            except Exception:  # a failed sweep is tried again at the next tick
                log.exception("complaint deadline reminders failed")

    def _disk_loop(self) -> None:
        # Checked at start too: a disk too small for the retention is known at once.
        while True:
            try:
                check_disk_forecast(self._inst)
            except Exception:  # a failed check (a disk unmounted) must not stop the next
                log.exception("disk forecast check failed")
            try:
                # Opens the review cycles that are due and escalates overdue ones, at
                # start too: after a restart the missed cycles open at once. Reads only,
                # unless something is due.
                self._inst.reviews.tick(self._inst.database)
            except Exception:  # a failed check is tried again at the next one
                log.exception("review cycle check failed")
            if self._stop.wait(DISK_CHECK_SECONDS):
                return
