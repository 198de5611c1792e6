"""Escalation by time (R-7.1): an alert nobody takes goes up the chain.

Level 0 is the people who answer for the zone first: the zone's assigned people (its
responsible unit, R-6.1) and the guards. An alert still waiting after its severity's first
limit goes to the head of security (level 1), after the second to the board (level 2). A zone
can have limits of its own (the finance room at night is not the yard at noon), and tamper
alerts can be set to reach the board at once. Only waiting alerts move: once somebody has
taken an alert it stays where it is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import IntEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.analysis.events import TAMPER_KINDS
from camwarden.clock import Clock
from camwarden.config import EscalationSettings
from camwarden.governance.alerts import AlertState, Severity
from camwarden.governance.audit import AuditLog
from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.governance.roles import Role
from camwarden.governance.roster import guards_on_duty
from camwarden.i18n import N_
from camwarden.storage.models import Alert, User, Zone


class EscalationLevel(IntEnum):
    ZONE = 0
    SECURITY_LEAD = 1
    BOARD = 2


ESCALATION_LEVEL_LABELS: dict[EscalationLevel, str] = {
    EscalationLevel.ZONE: N_("Guards and the zone's people"),
    EscalationLevel.SECURITY_LEAD: N_("Head of security"),
    EscalationLevel.BOARD: N_("Board"),
}


@dataclass(frozen=True)
class EscalationLimits:
    """How long an alert may wait before each step up; None: never that far."""

    to_security_lead: timedelta | None
    to_board: timedelta | None


@dataclass(frozen=True)
class EscalationPolicy:
    by_severity: Mapping[Severity, EscalationLimits]
    # Per zone kind (the finance room at night is not the yard at noon).
    by_zone_kind: Mapping[str, Mapping[Severity, EscalationLimits]] = field(default_factory=dict)
    tamper_to_board_at_once: bool = False

    def limits_for(self, alert: Alert, zone_kind: str | None = None) -> EscalationLimits:
        severity = Severity(alert.severity)
        zone_limits = self.by_zone_kind.get(zone_kind or "", {})
        return zone_limits.get(severity) or self.by_severity[severity]

    def due_level(
        self, alert: Alert, now: datetime, zone_kind: str | None = None
    ) -> EscalationLevel:
        """The level a waiting alert should have reached by `now`."""
        if self.tamper_to_board_at_once and alert.kind in TAMPER_KINDS:
            return EscalationLevel.BOARD
        waited = now - alert.raised_at
        limits = self.limits_for(alert, zone_kind)
        if limits.to_board is not None and waited >= limits.to_board:
            return EscalationLevel.BOARD
        if limits.to_security_lead is not None and waited >= limits.to_security_lead:
            return EscalationLevel.SECURITY_LEAD
        return EscalationLevel.ZONE


def _minutes(value: float) -> timedelta:
    return timedelta(minutes=value)


# A guard on patrol needs a few minutes to reach the guard room or a phone; a critical alert
# (every camera stopped) cannot wait for a patrol round.
DEFAULT_POLICY = EscalationPolicy(
    by_severity={
        Severity.CRITICAL: EscalationLimits(_minutes(2), _minutes(5)),
        Severity.HIGH: EscalationLimits(_minutes(5), _minutes(15)),
        Severity.MEDIUM: EscalationLimits(_minutes(15), _minutes(60)),
        Severity.LOW: EscalationLimits(None, None),
    }
)


def policy_from_settings(settings: EscalationSettings) -> EscalationPolicy:
    """The school's own limits from the settings file's [escalation] section."""

    def limit(minutes: float) -> timedelta | None:
        return _minutes(minutes) if minutes > 0 else None

    def minutes(key: str, zone: Mapping[str, float]) -> float:
        return float(zone.get(key, getattr(settings, key)))

    def limits(severity: Severity, zone: Mapping[str, float]) -> EscalationLimits:
        return EscalationLimits(
            limit(minutes(f"{severity.value}_to_security_lead_minutes", zone)),
            limit(minutes(f"{severity.value}_to_board_minutes", zone)),
        )

    return EscalationPolicy(
        by_severity={severity: limits(severity, {}) for severity in Severity},
        by_zone_kind={
            kind: {severity: limits(severity, zone) for severity in Severity}
            for kind, zone in settings.zones.items()
        },
        tamper_to_board_at_once=settings.tamper_to_board_at_once,
    )


@dataclass(frozen=True)
class Escalation:
    alert: Alert
    level: EscalationLevel


class Escalator:
    def __init__(self, audit: AuditLog, clock: Clock) -> None:
        self._audit = audit
        self._clock = clock

    def escalate_due(self, session: Session, policy: EscalationPolicy) -> list[Escalation]:
        """Move every waiting alert to the level its wait has earned; return those moved."""
        now = self._clock.now()
        moved: list[Escalation] = []
        waiting = session.scalars(
            select(Alert).where(Alert.state == AlertState.RAISED.value).order_by(Alert.id)
        ).all()
        kinds: dict[int, str] = (
            {zone_id: kind for zone_id, kind in session.execute(select(Zone.id, Zone.kind))}
            if waiting
            else {}
        )
        for alert in waiting:
            level = policy.due_level(alert, now, kinds.get(alert.zone_id or -1))
            if level <= alert.escalation_level:
                continue
            alert.escalation_level = int(level)
            alert.escalated_at = now
            self._audit.record(
                session,
                SYSTEM_ACTOR,
                "alert.escalate",
                target_type="alert",
                target_id=alert.id,
                details={
                    "level": int(level),
                    "waited_s": int((now - alert.raised_at).total_seconds()),
                },
            )
            moved.append(Escalation(alert, level))
        return moved


def recipients(
    session: Session, alert: Alert, level: EscalationLevel, at: datetime | None = None
) -> Sequence[User]:
    """Who is told when an alert reaches `level` (those of lower levels were told before).

    Level 0: the zone's assigned people and the guards on duty at `at` whose zones include
    the alert's. With no such guard on the roster at that moment (a gap), every guard of the
    zone is told: an alert must never reach nobody."""
    active = select(User).where(User.is_active.is_(True))
    if level is EscalationLevel.ZONE:
        people: dict[int, User] = {}
        if alert.zone_id is not None:
            zone = session.get(Zone, alert.zone_id)
            if zone is not None:
                people.update({user.id: user for user in zone.assignees if user.is_active})

        def covers(guard: User) -> bool:
            return guard.all_zones or any(zone.id == alert.zone_id for zone in guard.zones)

        guards = [g for g in guards_on_duty(session, at or alert.raised_at) if covers(g)]
        if not guards:
            every_guard = session.scalars(active.where(User.role == Role.SECURITY.value))
            guards = [g for g in every_guard if covers(g)]
        people.update({guard.id: guard for guard in guards})
        return sorted(people.values(), key=lambda user: user.id)
    roles = (
        [Role.SECURITY_LEAD.value]
        if level is EscalationLevel.SECURITY_LEAD
        else [Role.BOARD.value, Role.PRINCIPAL.value]
    )
    return session.scalars(active.where(User.role.in_(roles)).order_by(User.id)).all()
