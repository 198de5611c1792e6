"""Alerts for the guard room (R-2.3, R-7.1): raised, acknowledged, resolved; repeats fold.

An alert is what a person must act on; a camera event is what the system observed. Many
events of one condition (a camera flapping, a burst of 1,000 tamper events) fold into the one
alert still open for that camera and kind, which counts the repeats instead of flooding the
screen. Every transition (raised, acknowledged, escalated, resolved) is in the audit log;
a fold is not a transition and is only counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from camwarden.analysis.events import TAMPER_KINDS
from camwarden.clock import Clock
from camwarden.errors import Conflict, Forbidden, InvalidInput, NotFound
from camwarden.governance._validation import bounded_text, required_text
from camwarden.governance.audit import AuditLog
from camwarden.governance.authorization import SYSTEM_ACTOR, Actor, can, require
from camwarden.governance.roles import Permission
from camwarden.i18n import N_
from camwarden.storage.lookup import get_by_id
from camwarden.storage.models import (
    Alert,
    AuditEntry,
    Camera,
    CameraEvent,
    NotificationSent,
    User,
    Zone,
)


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


SEVERITY_RANK: dict[Severity, int] = {
    Severity.LOW: 0,
    Severity.MEDIUM: 1,
    Severity.HIGH: 2,
    Severity.CRITICAL: 3,
}

SEVERITY_LABELS: dict[Severity, str] = {
    Severity.LOW: N_("Low"),
    Severity.MEDIUM: N_("Medium"),
    Severity.HIGH: N_("High"),
    Severity.CRITICAL: N_("Critical"),
}


class AlertState(StrEnum):
    RAISED = "raised"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


ALERT_STATE_LABELS: dict[AlertState, str] = {
    AlertState.RAISED: N_("Waiting for someone"),
    AlertState.ACKNOWLEDGED: N_("Being handled"),
    AlertState.RESOLVED: N_("Resolved"),
}

# A guard's own report ("broken camera at block B", "stranger at the gate").
GUARD_REPORT = "guard_report"
DISK_FORECAST = "disk_forecast"
# A review cycle not signed off by its due date: raised once, for the Board.
REVIEW_OVERDUE = "review_overdue"


ALERT_KIND_LABELS: dict[str, str] = {
    "covered": N_("Lens covered"),
    "defocused": N_("Out of focus"),
    "moved": N_("Camera moved or turned"),
    "too_dark": N_("Picture too dark"),
    "too_bright": N_("Picture too bright (blinded)"),
    "frozen": N_("Picture frozen"),
    "video_loss": N_("Video loss"),
    "recording_stopped": N_("Recording stopped"),
    "storage_error": N_("Storage error"),
    "disk_full": N_("Disk full"),
    DISK_FORECAST: N_("Disk will soon be full"),
    GUARD_REPORT: N_("Reported by a guard"),
    REVIEW_OVERDUE: N_("Footage review overdue"),
}

# How serious each observed condition is unless a person says otherwise. Losing the picture
# or the recording of a camera is as serious as someone covering it: either way nothing is
# being recorded of that place. A full disk stops every camera.
DEFAULT_SEVERITY: dict[str, Severity] = {
    **{kind: Severity.HIGH for kind in TAMPER_KINDS},
    "video_loss": Severity.HIGH,
    "recording_stopped": Severity.HIGH,
    "storage_error": Severity.HIGH,
    "disk_full": Severity.CRITICAL,
    DISK_FORECAST: Severity.MEDIUM,
    REVIEW_OVERDUE: Severity.MEDIUM,
}

MAX_SUMMARY = 2000
MAX_NOTE = 2000


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


def parse_severity(value: str) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        raise InvalidInput(
            "Severity '{value}' does not exist; expected one of: {expected}.",
            field="severity",
            value=value,
            expected=", ".join(s.value for s in Severity),
        ) from None


def fold_key(kind: str, camera_id: int | None, zone_id: int | None) -> str:
    """Alerts with the same key are one condition: the open one absorbs the next."""
    if camera_id is not None:
        return f"camera:{camera_id}:{kind}"
    if zone_id is not None:
        return f"zone:{zone_id}:{kind}"
    return f"school:{kind}"


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
        zone_id = camera.zone_id if camera is not None else None
        return self._raise(
            session,
            SYSTEM_ACTOR,
            kind=event.kind,
            severity=severity,
            camera_id=event.camera_id,
            zone_id=zone_id,
            summary=event.details,
            at=event.started_at,
            source_event_id=event.id,
        )

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
        return self._raise(
            session,
            SYSTEM_ACTOR,
            kind=kind,
            severity=severity,
            camera_id=camera_id,
            zone_id=zone_id,
            summary=summary,
            at=self._clock.now(),
        )

    def note_ended_conditions(self, session: Session) -> int:
        """For open alerts whose camera condition is over (no event of that kind still open),
        note when it ended. A person still resolves the alert: someone should look at what
        happened while it lasted. Returns how many alerts were updated."""
        waiting = session.scalars(
            select(Alert).where(
                Alert.state != AlertState.RESOLVED.value,
                Alert.camera_id.is_not(None),
                Alert.source_event_id.is_not(None),
                Alert.condition_ended_at.is_(None),
            )
        ).all()
        noted = 0
        for alert in waiting:
            of_this_condition = (
                CameraEvent.camera_id == alert.camera_id,
                CameraEvent.kind == alert.kind,
                CameraEvent.started_at >= alert.raised_at,
            )
            still_open = session.scalar(
                select(func.count())
                .select_from(CameraEvent)
                .where(*of_this_condition, CameraEvent.ended_at.is_(None))
            )
            if still_open:
                continue
            ended_at = session.scalar(
                select(func.max(CameraEvent.ended_at)).where(*of_this_condition)
            )
            if ended_at is not None:
                alert.condition_ended_at = ended_at
                noted += 1
        return noted

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
        alert = self._new(
            session,
            actor,
            kind=GUARD_REPORT,
            severity=level,
            camera_id=camera_id,
            zone_id=zone_id,
            summary=text,
            at=self._clock.now(),
            source_event_id=None,
            # Two guards reporting two strangers are two reports.
            key=f"report:{self._clock.now().isoformat()}:{actor.username}",
        )
        return alert

    # -- handled by a person -----------------------------------------------------------------

    def acknowledge(self, session: Session, actor: Actor, alert_id: int, note: str = "") -> Alert:
        alert = self.get(session, actor, alert_id)
        require(actor, Permission.HANDLE_ALERTS, alert.zone_id)
        if alert.state != AlertState.RAISED.value:
            raise Conflict(
                "Alert {id} has already been taken by {who}.",
                id=alert.id,
                who=alert.acknowledged_by or "-",
            )
        alert.state = AlertState.ACKNOWLEDGED.value
        alert.acknowledged_at = self._clock.now()
        alert.acknowledged_by = actor.username
        alert.acknowledgement_note = bounded_text(note, field="note", max_length=MAX_NOTE)
        self._audit.record(
            session,
            actor,
            "alert.acknowledge",
            target_type="alert",
            target_id=alert.id,
            details={"note": alert.acknowledgement_note},
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
        if alert.state == AlertState.RESOLVED.value:
            raise Conflict(
                "Alert {id} was already resolved by {who}.",
                id=alert.id,
                who=alert.resolved_by or "-",
            )
        text = required_text(outcome, field="outcome", max_length=MAX_NOTE)
        now = self._clock.now()
        if alert.acknowledged_at is None:
            # Resolving takes the alert too: whoever resolved it answered it.
            alert.acknowledged_at = now
            alert.acknowledged_by = actor.username
        alert.state = AlertState.RESOLVED.value
        alert.resolved_at = now
        alert.resolved_by = actor.username
        alert.outcome = text
        alert.incident_reference = bounded_text(
            incident_reference, field="incident_reference", max_length=100
        )
        self._audit.record(
            session,
            actor,
            "alert.resolve",
            target_type="alert",
            target_id=alert.id,
            details={"outcome": text, "incident": alert.incident_reference},
        )
        return alert

    # -- reading -----------------------------------------------------------------------------

    def get(self, session: Session, actor: Actor, alert_id: int) -> Alert:
        alert = get_by_id(session, Alert, alert_id)
        if alert is None or not self.may_see(actor, alert):
            # Not Forbidden: whether an alert exists in a zone is itself not to be known.
            raise NotFound("Alert {value} does not exist.", value=alert_id)
        return alert

    def may_see(self, actor: Actor, alert: Alert) -> bool:
        if can(actor, Permission.HANDLE_ALERTS, alert.zone_id):
            return True
        # The head of security and the board see what was escalated to them.
        return alert.escalation_level > 0 and can(actor, Permission.RECEIVE_ESCALATIONS)

    def open_alerts(self, session: Session, actor: Actor, limit: int = 200) -> Sequence[Alert]:
        """Unresolved alerts the actor may see: waiting ones first, then the most severe, the
        newest."""
        rows = session.scalars(
            select(Alert)
            .where(Alert.state != AlertState.RESOLVED.value)
            .order_by(Alert.last_seen_at.desc())
        ).all()
        visible = [alert for alert in rows if self.may_see(actor, alert)]
        visible.sort(
            key=lambda a: (
                a.state != AlertState.RAISED.value,
                -SEVERITY_RANK[Severity(a.severity)],
                -a.last_seen_at.timestamp(),
            )
        )
        return visible[:limit]

    def recent(
        self, session: Session, actor: Actor, since: datetime, limit: int = 500
    ) -> Sequence[Alert]:
        rows = session.scalars(
            select(Alert).where(Alert.raised_at >= since).order_by(Alert.raised_at.desc())
        ).all()
        return [alert for alert in rows if self.may_see(actor, alert)][:limit]

    def require_reader(self, actor: Actor) -> None:
        """Lists of alerts are for who answers them: the zone's guards and people, IT, and
        those escalations reach."""
        if not (can(actor, Permission.HANDLE_ALERTS) or can(actor, Permission.RECEIVE_ESCALATIONS)):
            raise Forbidden("Your role does not handle alerts.")

    def history(self, session: Session, actor: Actor, alert_id: int) -> AlertHistory:
        """The alert's transitions from the audit log and the messages sent about it."""
        alert = self.get(session, actor, alert_id)
        entries = self._audit.history_of(session, "alert", alert.id)
        rows = session.execute(
            select(NotificationSent, User.full_name)
            .outerjoin(User, User.id == NotificationSent.user_id)
            .where(NotificationSent.alert_id == alert.id)
            .order_by(NotificationSent.sent_at, NotificationSent.id)
        ).all()
        notified = [
            Notified(sent.sent_at, name or "-", sent.target, sent.reason, sent.ok)
            for sent, name in rows
        ]
        return AlertHistory(entries, notified)

    # -- internals ---------------------------------------------------------------------------

    def _raise(
        self,
        session: Session,
        actor: Actor,
        *,
        kind: str,
        severity: Severity,
        camera_id: int | None,
        zone_id: int | None,
        summary: str,
        at: datetime,
        source_event_id: int | None = None,
    ) -> Alert:
        key = fold_key(kind, camera_id, zone_id if camera_id is None else None)
        existing = session.scalars(
            select(Alert).where(Alert.fold_key == key, Alert.state != AlertState.RESOLVED.value)
        ).first()
        if existing is not None:
            existing.repeats += 1
            existing.last_seen_at = max(existing.last_seen_at, at)
            existing.condition_ended_at = None
            return existing
        return self._new(
            session,
            actor,
            kind=kind,
            severity=severity,
            camera_id=camera_id,
            zone_id=zone_id,
            summary=summary,
            at=at,
            source_event_id=source_event_id,
            key=key,
        )

    def _new(
        self,
        session: Session,
        actor: Actor,
        *,
        kind: str,
        severity: Severity,
        camera_id: int | None,
        zone_id: int | None,
        summary: str,
        at: datetime,
        source_event_id: int | None,
        key: str,
    ) -> Alert:
        if zone_id is not None and session.get(Zone, zone_id) is None:
            raise NotFound("Zone {value} does not exist.", value=zone_id)
        alert = Alert(
            kind=kind,
            severity=severity.value,
            state=AlertState.RAISED.value,
            camera_id=camera_id,
            zone_id=zone_id,
            fold_key=key[:120],
            summary=summary[:MAX_SUMMARY],
            source_event_id=source_event_id,
            raised_at=at,
            raised_by=actor.username,
            last_seen_at=at,
            repeats=0,
            escalation_level=0,
        )
        session.add(alert)
        session.flush()
        self._audit.record(
            session,
            actor,
            "alert.raise",
            target_type="alert",
            target_id=alert.id,
            details={
                "kind": kind,
                "severity": severity.value,
                "camera_id": camera_id,
                "zone_id": zone_id,
            },
        )
        return alert
