"""The guard room's background work in one start/stop: alerts, escalation, notifications."""

from __future__ import annotations

from camwarden.governance.escalation import DEFAULT_POLICY, EscalationPolicy
from camwarden.installation import Installation
from camwarden.monitoring.alert_worker import AlertWorker
from camwarden.monitoring.notifier import Notifier


class MonitoringService:
    def __init__(
        self, installation: Installation, *, policy: EscalationPolicy = DEFAULT_POLICY
    ) -> None:
        self.notifier = Notifier(installation)
        self.alerts = AlertWorker(installation, policy=policy, on_tick=self.notifier.on_tick)

    def start(self) -> None:
        self.notifier.start()
        self.alerts.start()

    def stop(self) -> None:
        self.alerts.stop()
        self.notifier.stop()
