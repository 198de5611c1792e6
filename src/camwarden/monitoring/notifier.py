"""Telling people of alerts outside the browser (R-7.1), without ever holding up the alerts.

The alert worker hands each pass's news here; who is told and what is worked out at once, and
the sending happens in a thread of its own, because a mail server can take seconds per message
and the next escalation must not wait for it. Every message sent or failed is recorded against
its alert. Messages still queued when the server stops are lost (they are in the alert's
history as not sent only if they were tried); the alert itself is in the guard's console.
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass

from sqlalchemy.orm import Session

from camwarden.governance.alerts import Severity
from camwarden.governance.escalation import EscalationLevel, recipients
from camwarden.i18n import local_time
from camwarden.installation import Installation
from camwarden.monitoring.alert_worker import Tick
from camwarden.monitoring.messages import Message, compose
from camwarden.notify.channels import Channels, mail_target
from camwarden.storage.models import Alert, Camera, NotificationSent, Zone

log = logging.getLogger(__name__)

REASONS: dict[EscalationLevel, str] = {
    EscalationLevel.ZONE: "raised",
    EscalationLevel.SECURITY_LEAD: "escalated_1",
    EscalationLevel.BOARD: "escalated_2",
}


@dataclass(frozen=True)
class Outgoing:
    alert_id: int
    user_id: int
    targets: tuple[str, ...]
    reason: str
    message: Message


class Notifier:
    def __init__(
        self,
        installation: Installation,
        *,
        channels: Channels | None = None,
    ) -> None:
        self._inst = installation
        self._preferences = installation.notifications
        self._channels = channels or Channels()
        self._queue: queue.Queue[Outgoing | None] = queue.Queue()
        self._idle = threading.Event()
        self._idle.set()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._send_loop, name="notify", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout)
            self._thread = None

    def wait_until_sent(self, timeout: float = 30.0) -> bool:
        """For tests and a clean stop: True once everything queued has been tried."""
        return self._idle.wait(timeout)

    def on_tick(self, tick: Tick) -> None:
        """The alert worker's news: new alerts to their zone's people, escalations up."""
        news = [(alert_id, EscalationLevel.ZONE) for alert_id in tick.raised]
        news += [(moved.alert.id, moved.level) for moved in tick.escalated]
        if not news:
            return
        with self._inst.database.reading() as session:
            for alert_id, level in news:
                for outgoing in self._outgoing(session, alert_id, level):
                    self._idle.clear()
                    self._queue.put(outgoing)

    def _outgoing(self, session: Session, alert_id: int, level: EscalationLevel) -> list[Outgoing]:
        alert = session.get(Alert, alert_id)
        if alert is None:
            return []
        settings = self._inst.settings
        camera = session.get(Camera, alert.camera_id) if alert.camera_id else None
        zone = session.get(Zone, alert.zone_id) if alert.zone_id else None
        message = compose(
            alert,
            camera_name=camera.name if camera else None,
            zone_name=zone.name if zone else None,
            level=level,
            public_url=settings.public_url,
            locale=settings.default_locale,
        )
        now = local_time(self._inst.clock.now())
        result = []
        for person in recipients(session, alert, level, self._inst.clock.now()):
            preference = self._preferences.of(session, person.id)
            if not preference.wants(
                Severity(alert.severity), now, escalated=level is not EscalationLevel.ZONE
            ):
                continue
            targets = list(preference.extra_targets)
            if preference.email_enabled and person.email and settings.mail_url:
                targets.insert(0, mail_target(settings.mail_url, person.email))
            if targets:
                result.append(
                    Outgoing(alert.id, person.id, tuple(targets), REASONS[level], message)
                )
        return result

    def _send_loop(self) -> None:
        while True:
            outgoing = self._queue.get()
            if outgoing is None:
                return
            try:
                self._send(outgoing)
            except Exception:  # one bad message must not end the sending
                log.exception("notification for alert %s failed", outgoing.alert_id)
            if self._queue.empty():
                self._idle.set()

    def _send(self, outgoing: Outgoing) -> None:
        delivery = self._channels.send(
            outgoing.targets, outgoing.message.title, outgoing.message.body
        )
        with self._inst.database.transaction() as session:
            for target, ok in [(t, True) for t in delivery.sent] + [
                (t, False) for t in delivery.failed
            ]:
                session.add(
                    NotificationSent(
                        alert_id=outgoing.alert_id,
                        user_id=outgoing.user_id,
                        target=target[:300],
                        reason=outgoing.reason,
                        sent_at=self._inst.clock.now(),
                        ok=ok,
                    )
                )
        for target in delivery.failed:
            log.warning("could not notify %s of alert %s", target, outgoing.alert_id)
