"""Each person's notification choices: where, from which severity, and quiet hours.

Quiet hours never silence a critical alert (every camera stopped, the disk full): a
principal asleep at 2 a.m. is woken for that and only that.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time

from sqlalchemy.orm import Session

from camwarden.clock import Clock
from camwarden.errors import InvalidInput
from camwarden.governance.alerts import SEVERITY_RANK, Severity, parse_severity
from camwarden.governance.audit import AuditLog
from camwarden.governance.authorization import Actor
from camwarden.governance.vault import CredentialVault
from camwarden.notify.channels import check_target, redact
from camwarden.storage.models import NotificationPreference

MAX_EXTRA_TARGETS = 5
_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> QuietHours | None:
        """'22:00-06:00' (may cross midnight), or None for an empty text."""
        cleaned = text.replace(" ", "")
        if not cleaned:
            return None
        match = _HOURS.match(cleaned)
        if match is None or match.group(1, 2) == match.group(3, 4):
            raise InvalidInput(
                "'{value}' is not a span of hours like 22:00-06:00.",
                field="quiet_hours",
                value=text,
            )
        h1, m1, h2, m2 = (int(part) for part in match.groups())
        return cls(time(h1, m1), time(h2, m2))

    def covers(self, local: datetime) -> bool:
        moment = local.time()
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class Preference:
    email_enabled: bool = True
    extra_targets: Sequence[str] = field(default_factory=tuple)
    min_severity: Severity = Severity.HIGH
    quiet_hours: QuietHours | None = None

    def wants(self, severity: Severity, local_now: datetime, *, escalated: bool) -> bool:
        """Whether to send now. An escalation reaches its person whatever the severity; quiet
        hours hold back everything but critical."""
        quiet = self.quiet_hours is not None and self.quiet_hours.covers(local_now)
        if quiet and severity is not Severity.CRITICAL:
            return False
        return escalated or SEVERITY_RANK[severity] >= SEVERITY_RANK[self.min_severity]


class NotificationPreferences:
    def __init__(self, audit: AuditLog, clock: Clock, vault: CredentialVault) -> None:
        self._audit = audit
        self._clock = clock
        self._vault = vault

    def of(self, session: Session, user_id: int) -> Preference:
        row = session.get(NotificationPreference, user_id)
        if row is None:
            return Preference()
        targets: list[str] = (
            json.loads(self._vault.open_text(row.extra_targets_sealed))
            if row.extra_targets_sealed
            else []
        )
        return Preference(
            email_enabled=row.email_enabled,
            extra_targets=tuple(targets),
            min_severity=Severity(row.min_severity),
            quiet_hours=QuietHours.parse(row.quiet_hours),
        )

    def shown(self, preference: Preference) -> list[str]:
        """The extra targets as a page may show them."""
        return [redact(target) for target in preference.extra_targets]

    def set_own(
        self,
        session: Session,
        actor: Actor,
        *,
        email_enabled: bool,
        extra_targets: Sequence[str],
        min_severity: str,
        quiet_hours: str,
    ) -> Preference:
        """Everyone sets their own; nothing is changed unless every value is valid."""
        if actor.user_id is None:
            raise InvalidInput("Only a person's own account has notification settings.")
        targets = [check_target(t) for t in extra_targets if t.strip()]
        if len(targets) > MAX_EXTRA_TARGETS:
            raise InvalidInput(
                "At most {limit} extra notification addresses.",
                field="targets",
                limit=MAX_EXTRA_TARGETS,
            )
        severity = parse_severity(min_severity)
        quiet = QuietHours.parse(quiet_hours)
        row = session.get(NotificationPreference, actor.user_id)
        if row is None:
            row = NotificationPreference(user_id=actor.user_id)
            session.add(row)
        row.email_enabled = email_enabled
        row.extra_targets_sealed = self._vault.seal_text(json.dumps(targets)) if targets else ""
        row.min_severity = severity.value
        row.quiet_hours = str(quiet) if quiet else ""
        row.updated_at = self._clock.now()
        self._audit.record(
            session,
            actor,
            "notifications.set",
            target_type="user",
            target_id=actor.user_id,
            details={
                "email": email_enabled,
                "targets": [redact(t) for t in targets],
                "min_severity": severity.value,
                "quiet_hours": row.quiet_hours,
            },
        )
        return Preference(email_enabled, tuple(targets), severity, quiet)
