"""The guard room's background work in one start/stop: alerts, escalation, notifications
and the daily report."""

from __future__ import annotations

import logging
import threading

from camwarden.governance.escalation import DEFAULT_POLICY, EscalationPolicy
from camwarden.installation import Installation
from camwarden.monitoring.alert_worker import AlertWorker
from camwarden.monitoring.daily_mail import DailyReportMailer
from camwarden.monitoring.notifier import Notifier

log = logging.getLogger(__name__)

# The daily report is looked at this often; it goes out once per day.
DAILY_CHECK_SECONDS = 60.0


class MonitoringService:
    def __init__(
        self, installation: Installation, *, policy: EscalationPolicy = DEFAULT_POLICY
    ) -> None:
        self.notifier = Notifier(installation)
        self.alerts = AlertWorker(installation, policy=policy, on_tick=self.notifier.on_tick)
        self.daily = DailyReportMailer(installation)
        self._stop = threading.Event()
        self._daily_thread = threading.Thread(target=self._daily_loop, name="daily", daemon=True)

    def start(self) -> None:
        self.notifier.start()
        self.alerts.start()
        self._daily_thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.alerts.stop()
        self.notifier.stop()
        if self._daily_thread.is_alive():
            self._daily_thread.join(10)

    def _daily_loop(self) -> None:
        while not self._stop.wait(DAILY_CHECK_SECONDS):
            try:
                self.daily.send_if_due()
            except Exception:  # a bad day's report must not stop tomorrow's
                log.exception("daily report failed")
