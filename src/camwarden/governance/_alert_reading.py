"""Reading alerts back for the person asking: who may see which, one by its id, the open
ones waiting first, the recent ones, and an alert's history with the messages sent about it
(their targets as stored, already redacted)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.errors import NotFound
from camwarden.governance._alert_kinds import SEVERITY_RANK, AlertState, Severity, unresolved
from camwarden.governance.authorization import Actor, can
from camwarden.governance.roles import Permission
from camwarden.storage.lookup import get_by_id
from camwarden.storage.models import Alert, AuditEntry, NotificationSent, User


@dataclass(frozen=True)
class Notified:
    """One message about an alert, as its history may show it (the target is redacted)."""

    at: datetime
    person: str
    target: str
    reason: str
    ok: bool


@dataclass(frozen=True)
class AlertHistory:
    entries: Sequence[AuditEntry]
    notifications: Sequence[Notified]


def may_see(actor: Actor, alert: Alert) -> bool:
    if can(actor, Permission.HANDLE_ALERTS, alert.zone_id):
        return True
    # The head of security and the board see what was escalated to them.
    return alert.escalation_level > 0 and can(actor, Permission.RECEIVE_ESCALATIONS)


def visible_to(actor: Actor, alerts: Iterable[Alert]) -> list[Alert]:
    """The alerts the actor may see, in the order given."""
    return [alert for alert in alerts if may_see(actor, alert)]


def find_visible(session: Session, actor: Actor, alert_id: int) -> Alert:
    alert = get_by_id(session, Alert, alert_id)
    if alert is None or not may_see(actor, alert):
        # Not Forbidden: whether an alert exists in a zone is itself not to be known.
        raise NotFound("Alert {value} does not exist.", value=alert_id)
    return alert


def open_waiting_first(session: Session, actor: Actor) -> list[Alert]:
    """Unresolved alerts the actor may see: waiting ones first, then the most severe, the
    newest."""
    rows = session.scalars(select(Alert).where(unresolved()).order_by(Alert.last_seen_at.desc()))
    return sorted(
        visible_to(actor, rows),
        key=lambda a: (
            a.state != AlertState.RAISED.value,
            -SEVERITY_RANK[Severity(a.severity)],
            -a.last_seen_at.timestamp(),
        ),
    )


def raised_since(session: Session, actor: Actor, since: datetime) -> list[Alert]:
    """Alerts raised from `since` that the actor may see, newest first."""
    rows = session.scalars(
        select(Alert).where(Alert.raised_at >= since).order_by(Alert.raised_at.desc())
    )
    return visible_to(actor, rows)


def notifications_about(session: Session, alert_id: int) -> list[Notified]:
    """The messages sent about the alert, in the order they went out, with whom they were
    for ("-" once that account is gone)."""
    rows = session.execute(
        select(NotificationSent, User.full_name)
        .outerjoin(User, User.id == NotificationSent.user_id)
        .where(NotificationSent.alert_id == alert_id)
        .order_by(NotificationSent.sent_at, NotificationSent.id)
    ).all()
    return [
        Notified(sent.sent_at, name or "-", sent.target, sent.reason, sent.ok)
        for sent, name in rows
    ]
