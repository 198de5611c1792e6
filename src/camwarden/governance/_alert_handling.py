"""A person answering an alert: taking it (once, with a note) and resolving it (with the
outcome and an incident reference). These change the row and refuse what its state no longer
allows; the service asks who may and writes the audit entry."""

from __future__ import annotations

from datetime import datetime

from camwarden.errors import Conflict
from camwarden.governance._alert_kinds import MAX_NOTE, AlertState
from camwarden.governance._validation import bounded_text, required_text
from camwarden.storage.models import Alert


def take(alert: Alert, *, by: str, note: str, now: datetime) -> None:
    """Only a waiting alert can be taken: two guards never both answer one."""
    if alert.state != AlertState.RAISED.value:
        raise Conflict(
            "Alert {id} has already been taken by {who}.",
            id=alert.id,
            who=alert.acknowledged_by or "-",
        )
    alert.state = AlertState.ACKNOWLEDGED.value
    _mark_taken(alert, by=by, now=now)
    alert.acknowledgement_note = bounded_text(note, field="note", max_length=MAX_NOTE)


def settle(alert: Alert, *, by: str, outcome: str, incident_reference: str, now: datetime) -> None:
    """Resolve the alert once, saying how it ended."""
    if alert.state == AlertState.RESOLVED.value:
        raise Conflict(
            "Alert {id} was already resolved by {who}.",
            id=alert.id,
            who=alert.resolved_by or "-",
        )
    text = required_text(outcome, field="outcome", max_length=MAX_NOTE)
    if alert.acknowledged_at is None:
        # Resolving takes the alert too: whoever resolved it answered it.
        _mark_taken(alert, by=by, now=now)
    alert.state = AlertState.RESOLVED.value
    alert.resolved_at = now
    alert.resolved_by = by
    alert.outcome = text
    alert.incident_reference = bounded_text(
        incident_reference, field="incident_reference", max_length=100
    )


def _mark_taken(alert: Alert, *, by: str, now: datetime) -> None:
    alert.acknowledged_at = now
    alert.acknowledged_by = by
