from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from camwarden.clock import ManualClock
from camwarden.errors import Conflict, Forbidden, InvalidInput, NotFound
from camwarden.governance.accounts import actor_for
from camwarden.governance.authorization import SYSTEM_ACTOR, Actor
from camwarden.governance.escalation import EscalationLevel, recipients
from camwarden.installation import Installation
from camwarden.storage.models import Alert, AuditEntry, DutyShift, User
from tests.governance.alert_helpers import event_alert

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORD = "Mat-khau-dai-2026!"


@pytest.fixture
def people(installation: Installation) -> dict[str, Actor]:
    made: dict[str, Actor] = {}
    with installation.database.transaction() as session:
        for username, role in (
            ("baove_a", "security"),
            ("baove_b", "security"),
            ("truongbv", "security_lead"),
            ("giaovien", "staff"),
        ):
            created = installation.accounts.create(
                session,
                SYSTEM_ACTOR,
                username=username,
                full_name=username.replace("_", " ").title(),
                role=role,
                password=PASSWORD,
                must_change_password=False,
            )
            made[username] = actor_for(created.user)
    return made


def hanoi(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), HANOI)


MONDAY = date(2026, 1, 5)


def add(
    installation: Installation, actor: Actor, guard: Actor, start: datetime, end: datetime
) -> DutyShift:
    assert guard.user_id is not None
    with installation.database.transaction() as session:
        return installation.roster.add_shift(
            session, actor, user_id=guard.user_id, starts_at=start, ends_at=end, post="Phòng bảo vệ"
        )


def test_the_head_of_security_plans_weeks_of_night_shifts_in_school_time(
    installation: Installation, people: dict[str, Actor]
) -> None:
    guard = people["baove_a"].user_id
    assert guard is not None
    with installation.database.transaction() as session:
        shifts = installation.roster.add_weekly(
            session,
            people["truongbv"],
            user_id=guard,
            weekdays=[0, 1, 2, 3, 4],
            start=time(18, 0),
            end=time(6, 0),
            first_day=MONDAY,
            weeks=2,
            post="Cổng",
        )
        assert len(shifts) == 10
        first = shifts[0]
        assert first.starts_at == hanoi(MONDAY, 18)
        assert first.ends_at == hanoi(MONDAY + timedelta(days=1), 6)
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.action.like("roster.%"))
        )
        assert list(actions) == ["roster.shift_add_weekly"]


def test_a_weekly_plan_that_clashes_is_refused_whole(
    installation: Installation, people: dict[str, Actor]
) -> None:
    add(
        installation,
        people["truongbv"],
        people["baove_a"],
        hanoi(MONDAY + timedelta(days=3), 20),
        hanoi(MONDAY + timedelta(days=3), 23),
    )
    guard = people["baove_a"].user_id
    assert guard is not None
    with pytest.raises(Conflict, match="Baove A"), installation.database.transaction() as session:
        installation.roster.add_weekly(
            session,
            people["truongbv"],
            user_id=guard,
            weekdays=[0, 1, 2, 3, 4],
            start=time(18, 0),
            end=time(6, 0),
            first_day=MONDAY,
            weeks=1,
        )
    with installation.database.reading() as session:
        assert session.scalar(select(func.count()).select_from(DutyShift)) == 1


@pytest.mark.parametrize(
    ("who", "start_hour", "end_hour", "error"),
    [
        ("baove_a", 18, 17, InvalidInput),  # ends before it starts
        ("giaovien", 8, 12, InvalidInput),  # a teacher does not stand guard
    ],
)
def test_bad_shifts_are_refused(
    installation: Installation,
    people: dict[str, Actor],
    who: str,
    start_hour: int,
    end_hour: int,
    error: type,
) -> None:
    with pytest.raises(error):
        add(
            installation,
            people["truongbv"],
            people[who],
            hanoi(MONDAY, start_hour),
            hanoi(MONDAY, end_hour),
        )


def test_a_guard_cannot_plan_the_roster(
    installation: Installation, people: dict[str, Actor]
) -> None:
    with pytest.raises(Forbidden):
        add(installation, people["baove_a"], people["baove_a"], hanoi(MONDAY, 8), hanoi(MONDAY, 16))


def test_every_uncovered_span_of_the_next_fortnight_is_named(
    installation: Installation, people: dict[str, Actor], clock: ManualClock
) -> None:
    now = hanoi(MONDAY, 6)
    clock.advance((now - clock.now()).total_seconds())
    lead, a, b = people["truongbv"], people["baove_a"], people["baove_b"]
    for offset in range(14):
        day = MONDAY + timedelta(days=offset)
        add(installation, lead, a, hanoi(day, 6), hanoi(day, 18))
        if offset != 5:  # Saturday night: nobody
            add(installation, lead, b, hanoi(day, 18), hanoi(day + timedelta(days=1), 6))
    with installation.database.reading() as session:
        gaps = installation.roster.gaps(session)
    saturday = MONDAY + timedelta(days=5)
    assert [(g.start, g.end) for g in gaps] == [
        (
            hanoi(saturday, 18).astimezone(UTC),
            hanoi(saturday + timedelta(days=1), 6).astimezone(UTC),
        )
    ]
    assert gaps[0].hours == 12


def test_a_cancelled_shift_leaves_a_gap_and_stays_on_record(
    installation: Installation, people: dict[str, Actor], clock: ManualClock
) -> None:
    clock.advance((hanoi(MONDAY, 0) - clock.now()).total_seconds())
    shift = add(
        installation, people["truongbv"], people["baove_a"], hanoi(MONDAY, 0), hanoi(MONDAY, 12)
    )
    with pytest.raises(InvalidInput), installation.database.transaction() as session:
        installation.roster.cancel(session, people["truongbv"], shift.id, reason="")
    with installation.database.transaction() as session:
        assert installation.roster.gaps(session, days=1)[0].start == hanoi(MONDAY, 12)
        installation.roster.cancel(session, people["truongbv"], shift.id, reason="Ốm")
        assert installation.roster.gaps(session, days=1)[0].start == hanoi(MONDAY, 0)
        assert session.get(DutyShift, shift.id) is not None
    with pytest.raises(Conflict), installation.database.transaction() as session:
        installation.roster.cancel(session, people["truongbv"], shift.id, reason="lần nữa")


def test_a_handover_is_written_by_the_outgoing_guard_and_signed_by_the_incoming_one(
    installation: Installation, people: dict[str, Actor]
) -> None:
    a, b = people["baove_a"], people["baove_b"]
    assert b.user_id is not None
    with installation.database.transaction() as session:
        handover = installation.roster.write_handover(
            session,
            a,
            to_user_id=b.user_id,
            happened="22:10 camera cổng bị che, đã gỡ túi ni lông.",
            pending="Camera dãy B mất hình từ 04:00, đã báo tổ CNTT.",
        )
        assert [h.id for h in installation.roster.waiting_for(session, b)] == [handover.id]
    with pytest.raises(Forbidden, match="Baove B"), installation.database.transaction() as session:
        installation.roster.sign_handover(session, people["truongbv"], handover.id)
    with installation.database.transaction() as session:
        signed = installation.roster.sign_handover(session, b, handover.id, note="Đã nhận ca.")
        assert signed.signed_at == installation.clock.now()
        assert installation.roster.waiting_for(session, b) == []
    with pytest.raises(Conflict), installation.database.transaction() as session:
        installation.roster.sign_handover(session, b, handover.id)


def test_a_handover_needs_what_happened_and_another_guard(
    installation: Installation, people: dict[str, Actor]
) -> None:
    a = people["baove_a"]
    assert a.user_id is not None and people["giaovien"].user_id is not None
    cases = [
        ({"to_user_id": people["baove_b"].user_id, "happened": " "}, InvalidInput),
        ({"to_user_id": a.user_id, "happened": "Bình thường"}, InvalidInput),
        ({"to_user_id": people["giaovien"].user_id, "happened": "Bình thường"}, InvalidInput),
        ({"to_user_id": 424242, "happened": "Bình thường"}, NotFound),
    ]
    for fields, error in cases:
        with pytest.raises(error), installation.database.transaction() as session:
            installation.roster.write_handover(session, a, **fields)  # type: ignore[arg-type]


def test_alerts_go_first_to_the_guard_on_duty_and_to_every_guard_in_a_gap(
    installation: Installation,
    people: dict[str, Actor],
    cameras: dict[str, int],
    clock: ManualClock,
) -> None:
    clock.advance((hanoi(MONDAY, 8) - clock.now()).total_seconds())
    add(installation, people["truongbv"], people["baove_b"], hanoi(MONDAY, 6), hanoi(MONDAY, 18))
    alert = event_alert(installation, cameras["gate"])
    with installation.database.reading() as session:
        row = session.get(Alert, alert.id)
        assert row is not None
        told = recipients(session, row, EscalationLevel.ZONE)
        assert [u.username for u in told] == ["baove_b"]
        in_the_gap = recipients(session, row, EscalationLevel.ZONE, hanoi(MONDAY, 20))
        guards = session.scalars(select(User.username).where(User.role == "security"))
        assert sorted(u.username for u in in_the_gap) == sorted(guards)
