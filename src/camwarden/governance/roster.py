"""The guards' duty roster and shift handovers (R-6.1, R-7.1).

Shifts are stored as UTC instants and entered in the school's wall-clock time; a weekly
pattern ("Mon-Fri 18:00-06:00 for 4 weeks") becomes one shift per night, all or none. The
coverage check looks at the next 14 days minute by minute and names every uncovered span, so
"Saturday 02:00-06:00 nobody" is seen before Saturday. A handover is written by the outgoing
guard and counts only once the incoming guard has signed it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.clock import Clock
from camwarden.errors import Conflict, Forbidden, InvalidInput, NotFound
from camwarden.governance._validation import bounded_text, required_text
from camwarden.governance.audit import AuditLog
from camwarden.governance.authorization import Actor, can, require
from camwarden.governance.roles import Permission, Role
from camwarden.storage.lookup import get_by_id
from camwarden.storage.models import DutyShift, ShiftHandover, User

# Who stands guard: the guards and their head, who also takes shifts in a small school.
ON_DUTY_ROLES = frozenset({Role.SECURITY.value, Role.SECURITY_LEAD.value})
MAX_SHIFT = timedelta(hours=24)
MAX_WEEKS = 26
COVERAGE_DAYS = 14
MAX_TEXT = 4000


@dataclass(frozen=True)
class Gap:
    start: datetime
    end: datetime

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


def may_view_roster(actor: Actor) -> bool:
    return any(
        can(actor, permission)
        for permission in (
            Permission.MANAGE_ROSTER,
            Permission.HANDLE_ALERTS,
            Permission.RECEIVE_ESCALATIONS,
        )
    )


def _require_view(actor: Actor) -> None:
    if not may_view_roster(actor):
        require(actor, Permission.MANAGE_ROSTER)


# A cancelled shift stays in the table for the record but covers nothing.
NOT_CANCELLED = DutyShift.cancelled_at.is_(None)


def guards_on_duty(session: Session, at: datetime) -> list[User]:
    """The guards on duty at `at` (the alert chain's first people); no permission asked."""
    shifts = session.scalars(
        select(DutyShift).where(NOT_CANCELLED, DutyShift.starts_at <= at, DutyShift.ends_at > at)
    ).all()
    people = {shift.user.id: shift.user for shift in shifts if shift.user.is_active}
    return sorted(people.values(), key=lambda user: user.id)


def active_guards(session: Session) -> list[User]:
    """Everyone who can be put on the roster or handed over to, by name."""
    return list(
        session.scalars(
            select(User)
            .where(User.is_active.is_(True), User.role.in_(sorted(ON_DUTY_ROLES)))
            .order_by(User.full_name, User.id)
        )
    )


class Roster:
    def __init__(self, audit: AuditLog, clock: Clock, timezone: ZoneInfo) -> None:
        self._audit = audit
        self._clock = clock
        self._tz = timezone

    # -- planning ----------------------------------------------------------------------------

    def add_shift(
        self,
        session: Session,
        actor: Actor,
        *,
        user_id: int,
        starts_at: datetime,
        ends_at: datetime,
        post: str = "",
    ) -> DutyShift:
        require(actor, Permission.MANAGE_ROSTER)
        guard = self._guard(session, user_id)
        shift = self._new_shift(session, actor, guard, starts_at, ends_at, post)
        self._audit.record(
            session,
            actor,
            "roster.shift_add",
            target_type="shift",
            target_id=shift.id,
            details={
                "user": guard.username,
                "starts_at": starts_at.isoformat(),
                "ends_at": ends_at.isoformat(),
                "post": shift.post,
            },
        )
        return shift

    def add_weekly(
        self,
        session: Session,
        actor: Actor,
        *,
        user_id: int,
        weekdays: Iterable[int],
        start: time,
        end: time,
        first_day: date,
        weeks: int,
        post: str = "",
    ) -> list[DutyShift]:
        """One shift on each chosen weekday (0 = Monday) for `weeks` weeks, in school time; a
        shift ending at or before its start time ends the next morning."""
        require(actor, Permission.MANAGE_ROSTER)
        guard = self._guard(session, user_id)
        days = sorted(set(weekdays))
        if not days or any(not 0 <= day <= 6 for day in days):
            raise InvalidInput("Choose at least one day of the week.", field="weekdays", value=days)
        if not 1 <= weeks <= MAX_WEEKS:
            raise InvalidInput(
                "Plan between 1 and {limit} weeks at a time.", field="weeks", limit=MAX_WEEKS
            )
        shifts = []
        for offset in range(weeks * 7):
            day = first_day + timedelta(days=offset)
            if day.weekday() not in days:
                continue
            starts_at = datetime.combine(day, start, self._tz)
            end_day = day if end > start else day + timedelta(days=1)
            ends_at = datetime.combine(end_day, end, self._tz)
            shifts.append(self._new_shift(session, actor, guard, starts_at, ends_at, post))
        self._audit.record(
            session,
            actor,
            "roster.shift_add_weekly",
            target_type="user",
            target_id=guard.id,
            details={
                "user": guard.username,
                "weekdays": days,
                "start": start.strftime("%H:%M"),
                "end": end.strftime("%H:%M"),
                "first_day": first_day.isoformat(),
                "weeks": weeks,
                "shifts": len(shifts),
            },
        )
        return shifts

    def cancel(self, session: Session, actor: Actor, shift_id: int, reason: str) -> DutyShift:
        require(actor, Permission.MANAGE_ROSTER)
        shift = get_by_id(session, DutyShift, shift_id)
        if shift is None:
            raise NotFound("Shift {value} does not exist.", value=shift_id)
        if shift.cancelled_at is not None:
            raise Conflict("Shift {value} is already cancelled.", value=shift_id)
        text = required_text(reason, field="reason", max_length=1000)
        shift.cancelled_at = self._clock.now()
        self._audit.record(
            session,
            actor,
            "roster.shift_cancel",
            target_type="shift",
            target_id=shift.id,
            details={"user": shift.user.username, "reason": text},
        )
        return shift

    # -- reading -----------------------------------------------------------------------------

    def shifts(
        self, session: Session, actor: Actor, since: datetime, until: datetime
    ) -> Sequence[DutyShift]:
        _require_view(actor)
        return self.covering(session, since, until)

    def covering(self, session: Session, since: datetime, until: datetime) -> Sequence[DutyShift]:
        """Shifts overlapping [since, until), for the system's own use (no permission)."""
        return session.scalars(
            select(DutyShift)
            .where(NOT_CANCELLED, DutyShift.ends_at > since, DutyShift.starts_at < until)
            .order_by(DutyShift.starts_at, DutyShift.id)
        ).all()

    def gaps(
        self, session: Session, since: datetime | None = None, days: int = COVERAGE_DAYS
    ) -> list[Gap]:
        """Every span of the next `days` days with nobody on duty, in time order."""
        start = (since or self._clock.now()).replace(second=0, microsecond=0)
        end = start + timedelta(days=days)
        found: list[Gap] = []
        covered_until = start
        for shift in self.covering(session, start, end):
            if shift.starts_at > covered_until:
                found.append(Gap(covered_until, min(shift.starts_at, end)))
            covered_until = max(covered_until, shift.ends_at)
        if covered_until < end:
            found.append(Gap(covered_until, end))
        return found

    # -- handovers ---------------------------------------------------------------------------

    def write_handover(
        self,
        session: Session,
        actor: Actor,
        *,
        to_user_id: int,
        happened: str,
        pending: str = "",
    ) -> ShiftHandover:
        """The outgoing guard's note: what happened, what is pending, who takes over."""
        require(actor, Permission.HANDLE_ALERTS)
        if actor.user_id is None:
            raise Forbidden("Only a guard's own account can write a handover.")
        incoming = self._guard(session, to_user_id, field="to_user_id")
        if incoming.id == actor.user_id:
            raise InvalidInput(
                "The handover goes to the guard taking over, not to yourself.",
                field="to_user_id",
            )
        handover = ShiftHandover(
            from_user_id=actor.user_id,
            to_user_id=incoming.id,
            written_at=self._clock.now(),
            happened=required_text(happened, field="happened", max_length=MAX_TEXT),
            pending=bounded_text(pending, field="pending", max_length=MAX_TEXT),
            signed_at=None,
            signed_note="",
        )
        session.add(handover)
        session.flush()
        self._audit.record(
            session,
            actor,
            "handover.write",
            target_type="handover",
            target_id=handover.id,
            details={"to": incoming.username},
        )
        return handover

    def sign_handover(
        self, session: Session, actor: Actor, handover_id: int, note: str = ""
    ) -> ShiftHandover:
        """Only the incoming guard named in it signs, once."""
        handover = get_by_id(session, ShiftHandover, handover_id)
        if handover is None or not (may_view_roster(actor) or actor.user_id == handover.to_user_id):
            raise NotFound("Handover {value} does not exist.", value=handover_id)
        if actor.user_id != handover.to_user_id:
            raise Forbidden(
                "Only {name}, who takes over, can sign this handover.",
                name=handover.to_user.full_name,
            )
        if handover.signed_at is not None:
            raise Conflict("This handover was already signed.")
        handover.signed_at = self._clock.now()
        handover.signed_note = bounded_text(note, field="note", max_length=MAX_TEXT)
        self._audit.record(
            session,
            actor,
            "handover.sign",
            target_type="handover",
            target_id=handover.id,
            details={"note": handover.signed_note},
        )
        return handover

    def handovers(
        self, session: Session, actor: Actor, since: datetime, until: datetime
    ) -> Sequence[ShiftHandover]:
        _require_view(actor)
        return session.scalars(
            select(ShiftHandover)
            .where(ShiftHandover.written_at >= since, ShiftHandover.written_at < until)
            .order_by(ShiftHandover.written_at.desc())
        ).all()

    def waiting_for(self, session: Session, actor: Actor) -> Sequence[ShiftHandover]:
        """Handovers addressed to this person that they have not signed yet."""
        if actor.user_id is None:
            return []
        return session.scalars(
            select(ShiftHandover)
            .where(ShiftHandover.to_user_id == actor.user_id, ShiftHandover.signed_at.is_(None))
            .order_by(ShiftHandover.written_at)
        ).all()

    # -- internals ---------------------------------------------------------------------------

    def _guard(self, session: Session, user_id: int, *, field: str = "user_id") -> User:
        user = get_by_id(session, User, user_id)
        if user is None:
            raise NotFound("Account {value} does not exist.", value=user_id)
        if not user.is_active or user.role not in ON_DUTY_ROLES:
            raise InvalidInput(
                "{name} is not a guard with an active account.",
                field=field,
                name=user.full_name,
            )
        return user

    def _new_shift(
        self,
        session: Session,
        actor: Actor,
        guard: User,
        starts_at: datetime,
        ends_at: datetime,
        post: str,
    ) -> DutyShift:
        if starts_at.tzinfo is None or ends_at.tzinfo is None:
            raise InvalidInput("Times need a time zone.", field="starts_at")
        if ends_at <= starts_at or ends_at - starts_at > MAX_SHIFT:
            raise InvalidInput(
                "A shift must end after it starts and last at most 24 hours.",
                field="ends_at",
            )
        overlapping = session.scalars(
            select(DutyShift).where(
                NOT_CANCELLED,
                DutyShift.user_id == guard.id,
                DutyShift.ends_at > starts_at,
                DutyShift.starts_at < ends_at,
            )
        ).first()
        if overlapping is not None:
            raise Conflict(
                "{name} already has a shift from {start} to {end}.",
                name=guard.full_name,
                start=overlapping.starts_at.astimezone(self._tz).strftime("%d/%m/%Y %H:%M"),
                end=overlapping.ends_at.astimezone(self._tz).strftime("%d/%m/%Y %H:%M"),
            )
        shift = DutyShift(
            user_id=guard.id,
            starts_at=starts_at,
            ends_at=ends_at,
            post=bounded_text(post, field="post", max_length=100),
            created_by=actor.username,
            created_at=self._clock.now(),
            cancelled_at=None,
        )
        session.add(shift)
        session.flush()
        return shift
