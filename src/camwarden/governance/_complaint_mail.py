"""E-mails about complaints, sent only after the step they tell of has been committed.

A step collects its messages on the session; they leave when the transaction commits, in a
thread of their own, so a slow or broken mail server neither holds up the page nor undoes the
step (the step and its audit entry are already in the database; a failure is logged).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.orm import Session

from camwarden.i18n import format_datetime, gettext, reset_locale, set_current_locale
from camwarden.notify.channels import Channels, mail_target
from camwarden.storage.models import Complaint

log = logging.getLogger(__name__)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SESSION_KEY = "camwarden.complaint_mail"


def is_email(contact: str) -> bool:
    return bool(_EMAIL.match(contact.strip()))


@dataclass(frozen=True)
class Notice:
    """One message to some addresses: what happened to which complaint, for whom."""

    addresses: tuple[str, ...]
    event: str  # filed | assigned | message | in_progress | decided | withdrawn | reply |
    # due_soon | overdue
    to_complainant: bool
    reference: str
    subject: str
    deadline_text: str
    complaint_id: int
    text: str = ""


_TITLES = {
    "filed": "Complaint {reference} received",
    "assigned": "Complaint {reference} is assigned to you",
    "message": "A message about your complaint {reference}",
    "in_progress": "Your complaint {reference} is being handled",
    "decided": "Decision on your complaint {reference}",
    "withdrawn": "Complaint {reference} withdrawn",
    "reply": "Reply from the person in complaint {reference}",
    "due_soon": "Complaint {reference}: the deadline is near",
    "overdue": "Complaint {reference}: the deadline has passed",
}


def notice(
    complaint: Complaint,
    event: str,
    addresses: Sequence[str],
    *,
    to_complainant: bool,
    text: str = "",
) -> Notice:
    return Notice(
        addresses=tuple(dict.fromkeys(a for a in addresses if a)),
        event=event,
        to_complainant=to_complainant,
        reference=complaint.reference,
        subject=complaint.subject,
        deadline_text=format_datetime(complaint.deadline_at),
        complaint_id=complaint.id,
        text=text,
    )


def compose(item: Notice, *, school_name: str, public_url: str, locale: str) -> tuple[str, str]:
    """(title, body) in the school's language."""
    token = set_current_locale(locale)
    try:
        title = gettext(_TITLES[item.event]).format(reference=item.reference)
        lines = [
            school_name,
            gettext("Complaint {reference}: {subject}").format(
                reference=item.reference, subject=item.subject
            ),
            gettext("Deadline for the decision: {moment}").format(moment=item.deadline_text),
        ]
        if item.text:
            lines += ["", item.text, ""]
        base = public_url.rstrip("/")
        if item.to_complainant:
            lines.append(
                gettext("Follow it with the tracking code you were given when you filed it:")
                + (f" {base}/complaint/status" if base else "")
            )
        elif base:
            lines.append(f"{base}/complaints/{item.complaint_id}")
        return title, "\n".join(lines)
    finally:
        reset_locale(token)


class ComplaintMail:
    """Holds each transaction's notices until it commits, then sends them in the background."""

    def __init__(
        self,
        *,
        mail_url: str,
        school_name: str,
        public_url: str,
        locale: str,
        channels: Channels | None = None,
    ) -> None:
        self._mail_url = mail_url
        self._school_name = school_name
        self._public_url = public_url
        self._locale = locale
        self._channels = channels or Channels()
        self._pending = 0
        self._idle = threading.Condition()

    def queue(self, session: Session, notices: Sequence[Notice]) -> None:
        wanted = [n for n in notices if n.addresses]
        if not self._mail_url or not wanted:
            return
        queued: list[Notice] | None = session.info.get(_SESSION_KEY)
        if queued is None:
            queued = []
            session.info[_SESSION_KEY] = queued
            event.listen(session, "after_commit", self._on_commit, once=True)
            event.listen(session, "after_rollback", self._on_rollback, once=True)
        queued.extend(wanted)

    def _on_commit(self, session: Session) -> None:
        notices: list[Notice] = session.info.pop(_SESSION_KEY, [])
        if notices:
            with self._idle:
                self._pending += 1
            threading.Thread(
                target=self._send, args=(notices,), name="complaint-mail", daemon=True
            ).start()

    def _on_rollback(self, session: Session) -> None:
        # The step did not happen: nobody is told it did.
        session.info.pop(_SESSION_KEY, None)

    def _send(self, notices: list[Notice]) -> None:
        try:
            for item in notices:
                title, body = compose(
                    item,
                    school_name=self._school_name,
                    public_url=self._public_url,
                    locale=self._locale,
                )
                targets = [mail_target(self._mail_url, address) for address in item.addresses]
                delivery = self._channels.send(targets, title, body)
                for failed in delivery.failed:
                    log.warning("complaint %s: mail to %s failed", item.reference, failed)
        except Exception:  # a broken message must not kill the process; the step stands
            log.exception("complaint mail failed")
        finally:
            with self._idle:
                self._pending -= 1
                self._idle.notify_all()

    def wait_until_sent(self, timeout: float = 30.0) -> bool:
        """For tests and a clean stop: True once everything committed has been tried."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)
