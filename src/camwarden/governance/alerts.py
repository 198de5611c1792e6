"""Alerts for the guard room (R-2.3, R-7.1): raised, acknowledged, resolved; repeats fold.

An alert is what a person must act on; a camera event is what the system observed. Many
events of one condition (a camera flapping, a burst of 1,000 tamper events) fold into the one
alert still open for that camera and kind, which counts the repeats instead of flooding the
screen. Every transition (raised, acknowledged, escalated, resolved) is in the audit log;
a fold is not a transition and is only counted.

This module is the service: who may take each step, and its audit entry. The words, the
raising and folding, the end of a condition, the answering and the reading back live in the
private `_alert_*` modules.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from camwarden.clock import Clock
from camwarden.errors import Forbidden, NotFound
from camwarden.governance import _alert_condition_end, _alert_reading
from camwarden.governance._alert_handling import settle, take
from camwarden.governance._alert_kinds import (
    ALERT_KIND_LABELS,
    ALERT_STATE_LABELS,
    DEFAULT_SEVERITY,
    DISK_FORECAST,
    GUARD_REPORT,
    MAX_NOTE,
    MAX_SUMMARY,
    REVIEW_OVERDUE,
    SEVERITY_LABELS,
    SEVERITY_RANK,
    AlertState,
    Severity,
    parse_severity,
)
from camwarden.governance._alert_raising import (
    AlertDraft,
    fold_into_open,
    fold_key,
    insert_alert,
)
from camwarden.governance._alert_reading import AlertHistory, Notified
from camwarden.governance._validation import required_text
from camwarden.governance.audit import AuditLog
from camwarden.governance.authorization import SYSTEM_ACTOR, Actor, can, require
from camwarden.governance.roles import Permission
from camwarden.storage.lookup import get_by_id
from camwarden.storage.models import Alert, Camera, CameraEvent

# The monitoring, the escalation, the reports and the pages name these from here.
__all__ = [
    "ALERT_KIND_LABELS",
    "ALERT_STATE_LABELS",
    "DEFAULT_SEVERITY",
    "DISK_FORECAST",
    "GUARD_REPORT",
    "MAX_NOTE",
    "MAX_SUMMARY",
    "REVIEW_OVERDUE",
    "SEVERITY_LABELS",
    "SEVERITY_RANK",
    "AlertDesk",
    "AlertHistory",
    "AlertState",
    "Notified",
    "Severity",
    "fold_key",
    "parse_severity",
]


class AlertDesk:
    """Raising, folding, acknowledging and resolving alerts, and who may see which."""

    def __init__(self, audit: AuditLog, clock: Clock) -> None:
        self._audit = audit
        self._clock = clock

    # -- raised by the system ----------------------------------------------------------------

    def raise_for_event(self, session: Session, event: CameraEvent) -> Alert | None:
        """The alert for a camera event, folded into the open one of the same condition.

        Returns None for event kinds that need nobody (none today, but a kind added to the
        recorder must be given a severity here before it reaches a guard)."""
        severity = DEFAULT_SEVERITY.get(event.kind)
        if severity is None:
            return None
        camera = session.get(Camera, event.camera_id)
        draft = AlertDraft(
            kind=event.kind,
            severity=severity,
            camera_id=event.camera_id,
            zone_id=camera.zone_id if camera is not None else None,
            summary=event.details,
            at=event.started_at,
            source_event_id=event.id,
        )
        return self._raise(session, draft)

    def raise_condition(
        self,
        session: Session,
        *,
        kind: str,
        severity: Severity,
        summary: str,
        camera_id: int | None = None,
        zone_id: int | None = None,
    ) -> Alert:
        """A condition found by the system itself, e.g. a disk forecast."""
        draft = AlertDraft(
            kind=kind,
            severity=severity,
            camera_id=camera_id,
            zone_id=zone_id,
            summary=summary,
            at=self._clock.now(),
        )
        return self._raise(session, draft)

    def note_ended_conditions(self, session: Session) -> int:
        """For open alerts whose camera condition is over (no event of that kind still open),
        note when it ended. A person still resolves the alert: someone should look at what
        happened while it lasted. Returns how many alerts were updated."""
        return _alert_condition_end.note_ended_conditions(session)

    # -- filed by a person -------------------------------------------------------------------

    def report(
        self,
        session: Session,
        actor: Actor,
        *,
        summary: str,
        severity: str = Severity.MEDIUM.value,
        camera_id: int | None = None,
    ) -> Alert:
        """A guard's report from the guard room or on patrol; it is never folded away."""
        require(actor, Permission.REPORT_PROBLEMS)
        text = required_text(summary, field="summary", max_length=MAX_SUMMARY)
        level = parse_severity(severity)
        zone_id: int | None = None
        if camera_id is not None:
            camera = get_by_id(session, Camera, camera_id)
            if camera is None:
                raise NotFound("Camera {value} does not exist.", value=camera_id)
            zone_id = camera.zone_id
        draft = AlertDraft(
            kind=GUARD_REPORT,
            severity=level,
            camera_id=camera_id,
            zone_id=zone_id,
            summary=text,
            at=self._clock.now(),
        )
        # Two guards reporting two strangers are two reports.
        key = f"report:{self._clock.now().isoformat()}:{actor.username}"
        return self._new(session, actor, draft, key)

    # -- handled by a person -----------------------------------------------------------------

    def acknowledge(self, session: Session, actor: Actor, alert_id: int, note: str = "") -> Alert:
        alert = self.get(session, actor, alert_id)
        require(actor, Permission.HANDLE_ALERTS, alert.zone_id)
        take(alert, by=actor.username, note=note, now=self._clock.now())
        self._record(
            session, actor, alert, "alert.acknowledge", {"note": alert.acknowledgement_note}
        )
        return alert

    def resolve(
        self,
        session: Session,
        actor: Actor,
        alert_id: int,
        *,
        outcome: str,
        incident_reference: str = "",
    ) -> Alert:
        alert = self.get(session, actor, alert_id)
        require(actor, Permission.HANDLE_ALERTS, alert.zone_id)
        settle(
            alert,
            by=actor.username,
            outcome=outcome,
            incident_reference=incident_reference,
            now=self._clock.now(),
        )
        details = {"outcome": alert.outcome, "incident": alert.incident_reference}
        self._record(session, actor, alert, "alert.resolve", details)
        return alert

    # -- reading -----------------------------------------------------------------------------

    def get(self, session: Session, actor: Actor, alert_id: int) -> Alert:
        return _alert_reading.find_visible(session, actor, alert_id)

    def may_see(self, actor: Actor, alert: Alert) -> bool:
        return _alert_reading.may_see(actor, alert)

    def open_alerts(self, session: Session, actor: Actor, limit: int = 200) -> Sequence[Alert]:
        """Unresolved alerts the actor may see: waiting ones first, then the most severe, the
        newest."""
        return _alert_reading.open_waiting_first(session, actor)[:limit]

    def recent(
        self, session: Session, actor: Actor, since: datetime, limit: int = 500
    ) -> Sequence[Alert]:
        return _alert_reading.raised_since(session, actor, since)[:limit]

    def require_reader(self, actor: Actor) -> None:
        """Lists of alerts are for who answers them: the zone's guards and people, IT, and
        those escalations reach."""
        if not (can(actor, Permission.HANDLE_ALERTS) or can(actor, Permission.RECEIVE_ESCALATIONS)):
            raise Forbidden("Your role does not handle alerts.")

    def history(self, session: Session, actor: Actor, alert_id: int) -> AlertHistory:
        """The alert's transitions from the audit log and the messages sent about it."""
        alert = self.get(session, actor, alert_id)
        entries = self._audit.history_of(session, "alert", alert.id)
        return AlertHistory(entries, _alert_reading.notifications_about(session, alert.id))

    # -- internals ---------------------------------------------------------------------------

    def _raise(self, session: Session, draft: AlertDraft) -> Alert:
        """The system's alert, folded into the open one of its condition if there is one."""
        key = fold_key(draft.kind, draft.camera_id, draft.zone_id)
        existing = fold_into_open(session, key, draft.at)
        if existing is not None:
            return existing
        return self._new(session, SYSTEM_ACTOR, draft, key)

    def _new(self, session: Session, actor: Actor, draft: AlertDraft, key: str) -> Alert:
        alert = insert_alert(session, draft, key=key, raised_by=actor.username)
        details = {
            "kind": draft.kind,
            "severity": draft.severity.value,
            "camera_id": draft.camera_id,
            "zone_id": draft.zone_id,
        }
        self._record(session, actor, alert, "alert.raise", details)
        return alert

    def _record(
        self, session: Session, actor: Actor, alert: Alert, action: str, details: dict[str, Any]
    ) -> None:
        """A transition's audit entry on the alert."""
        self._audit.record(
            session, actor, action, target_type="alert", target_id=alert.id, details=details
        )
