"""Putting an alert on the screen: the fold key that makes many events one condition, folding
a repeat into the alert still open for it, and the row of a new alert. The service asks who
may raise it and writes its audit entry; a fold is not a transition and is only counted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.errors import NotFound
from camwarden.governance._alert_kinds import MAX_SUMMARY, AlertState, Severity, unresolved
from camwarden.storage.models import Alert, Zone


@dataclass(frozen=True)
class AlertDraft:
    """What a new alert says, whoever raises it."""

    kind: str
    severity: Severity
    camera_id: int | None
    zone_id: int | None
    summary: str
    at: datetime
    source_event_id: int | None = None


def fold_key(kind: str, camera_id: int | None, zone_id: int | None) -> str:
    """Alerts with the same key are one condition: the open one absorbs the next."""
    if camera_id is not None:
        return f"camera:{camera_id}:{kind}"
    if zone_id is not None:
        return f"zone:{zone_id}:{kind}"
    return f"school:{kind}"


def fold_into_open(session: Session, key: str, at: datetime) -> Alert | None:
    """The open alert of the key counts one more repeat, seen at `at`, its condition on
    again; None when there is none to fold into."""
    existing = session.scalars(select(Alert).where(Alert.fold_key == key, unresolved())).first()
    if existing is not None:
        existing.repeats += 1
        existing.last_seen_at = max(existing.last_seen_at, at)
        existing.condition_ended_at = None
    return existing


def insert_alert(session: Session, draft: AlertDraft, *, key: str, raised_by: str) -> Alert:
    """The new alert's row, flushed for its id; its zone must exist."""
    if draft.zone_id is not None and session.get(Zone, draft.zone_id) is None:
        raise NotFound("Zone {value} does not exist.", value=draft.zone_id)
    alert = Alert(
        kind=draft.kind,
        severity=draft.severity.value,
        state=AlertState.RAISED.value,
        camera_id=draft.camera_id,
        zone_id=draft.zone_id,
        fold_key=key[:120],
        summary=draft.summary[:MAX_SUMMARY],
        source_event_id=draft.source_event_id,
        raised_at=draft.at,
        raised_by=raised_by,
        last_seen_at=draft.at,
        repeats=0,
        escalation_level=0,
    )
    session.add(alert)
    session.flush()
    return alert
