"""The daily report by e-mail to the board and the principal, once a day after a set hour.

The last day sent is kept in the database, so a restart neither skips nor repeats a day; a
server that was down for days sends only the latest report (older ones are on the page).
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from camwarden.governance.accounts import actor_for
from camwarden.governance.daily_report import daily_report
from camwarden.governance.roles import Role
from camwarden.installation import Installation
from camwarden.monitoring.messages import compose_daily_report
from camwarden.notify.channels import Channels, Delivery, mail_target
from camwarden.storage.models import MonitorCursor, User

log = logging.getLogger(__name__)

CURSOR_NAME = "daily_report.last_day"


class DailyReportMailer:
    def __init__(self, installation: Installation, *, channels: Channels | None = None) -> None:
        self._inst = installation
        self._channels = channels or Channels()
        self._tz = ZoneInfo(installation.settings.timezone)

    def send_if_due(self) -> date | None:
        """Send yesterday's report if it is past the hour and not yet sent; the day sent."""
        settings = self._inst.settings
        now = self._inst.clock.now().astimezone(self._tz)
        if not settings.mail_url or now.hour < settings.daily_report_hour:
            return None
        day = now.date() - timedelta(days=1)
        # Looked at every minute: read first, so the write lock is taken once a day.
        with self._inst.database.reading() as session:
            sent = session.get(MonitorCursor, CURSOR_NAME)
            if sent is not None and sent.position >= day.toordinal():
                return None
        with self._inst.database.transaction() as session:
            cursor = session.get(MonitorCursor, CURSOR_NAME)
            if cursor is not None and cursor.position >= day.toordinal():
                return None
            if cursor is None:
                cursor = MonitorCursor(name=CURSOR_NAME, position=0)
                session.add(cursor)
            # Marked first: a mail server that fails every time must not be retried in a loop
            # all day; the failure is logged and the report stays on its page.
            cursor.position = day.toordinal()
        self.send(day)
        return day

    def send(self, day: date) -> Delivery:
        settings = self._inst.settings
        delivery = Delivery()
        with self._inst.database.reading() as session:
            readers = session.scalars(
                select(User)
                .where(
                    User.is_active.is_(True),
                    User.role.in_([Role.BOARD.value, Role.PRINCIPAL.value]),
                    User.email.is_not(None),
                )
                .order_by(User.id)
            ).all()
            for reader in readers:
                assert reader.email is not None
                report = daily_report(
                    session,
                    actor_for(reader),
                    day,
                    alerts=self._inst.alerts,
                    roster=self._inst.roster,
                    timezone=self._tz,
                )
                message = compose_daily_report(
                    report, public_url=settings.public_url, locale=settings.default_locale
                )
                sent = self._channels.send(
                    [mail_target(settings.mail_url, reader.email)], message.title, message.body
                )
                delivery.sent += sent.sent
                delivery.failed += sent.failed
        for target in delivery.failed:
            log.warning("daily report for %s could not be sent to %s", day, target)
        return delivery
