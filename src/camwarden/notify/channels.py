"""Delivery outside the browser through Apprise: e-mail, Telegram, Zalo-bridged webhooks and
the many other services it knows, each written as one URL (https://github.com/caronc/apprise).

Targets are secrets (a Telegram bot token, a mail password): they are stored sealed, shown
only redacted, and a delivery failure names the redacted target.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

import apprise

from camwarden.errors import InvalidInput

log = logging.getLogger(__name__)

MAX_TARGET_LENGTH = 1000


def _plugin(url: str) -> apprise.NotifyBase | None:
    # Apprise reports a URL it cannot use by returning None; it logs the reason itself.
    plugin = apprise.Apprise.instantiate(url, suppress_exceptions=True)
    return plugin if isinstance(plugin, apprise.NotifyBase) else None


def check_target(url: str) -> str:
    """A notification address Apprise can use, or a clear error that does not echo secrets."""
    cleaned = url.strip()
    if not cleaned or len(cleaned) > MAX_TARGET_LENGTH or _plugin(cleaned) is None:
        scheme = cleaned.split("://", 1)[0][:20] if "://" in cleaned else ""
        raise InvalidInput(
            "This notification address is not one camwarden can send to (scheme '{scheme}'). "
            "Examples: mailto://…, tgram://BOT_TOKEN/CHAT_ID, json://host/path.",
            field="targets",
            scheme=scheme,
        )
    return cleaned


def redact(url: str) -> str:
    """The target as it may be shown: service and place, no password or token."""
    plugin = _plugin(url)
    if plugin is None:
        return url.split("://", 1)[0] + "://…"
    # Apprise spells out every default option in the query; the place is enough to show.
    return str(plugin.url(privacy=True)).split("?", 1)[0]  # type: ignore[no-untyped-call]


def mail_target(mail_url: str, address: str) -> str:
    """The school's mail server URL (without recipient) addressed to one person."""
    joiner = "&" if "?" in mail_url else "?"
    return f"{mail_url}{joiner}to={quote(address, safe='@')}"


@dataclass
class Delivery:
    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


class Channels:
    """Sends one message to several targets; one failing target does not stop the others."""

    def send(self, targets: Sequence[str], title: str, body: str) -> Delivery:
        delivery = Delivery()
        for target in targets:
            sender = apprise.Apprise()
            shown = redact(target)
            if not sender.add(target):
                delivery.failed.append(shown)
                continue
            try:
                ok = bool(
                    sender.notify(title=title, body=body, body_format=apprise.NotifyFormat.TEXT)
                )
            except Exception:  # a plugin bug must not take the guard room's alerts down
                log.exception("notification to %s failed", shown)
                ok = False
            (delivery.sent if ok else delivery.failed).append(shown)
        return delivery
