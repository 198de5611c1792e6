from datetime import timedelta

import pytest
from sqlalchemy import select

from camwarden.clock import ManualClock
from camwarden.governance.alerts import Severity
from camwarden.governance.authorization import SYSTEM_ACTOR, Actor
from camwarden.governance.escalation import (
    DEFAULT_POLICY,
    EscalationLevel,
    EscalationLimits,
    EscalationPolicy,
    recipients,
)
from camwarden.governance.roles import Role
from camwarden.installation import Installation
from camwarden.storage.models import Alert, AuditEntry, CameraEvent
from tests.governance.alert_helpers import event_alert, person, stored


def escalate(installation: Installation, policy: EscalationPolicy = DEFAULT_POLICY) -> list[int]:
    with installation.database.transaction() as session:
        return [moved.alert.id for moved in installation.escalator.escalate_due(session, policy)]


def test_a_waiting_high_alert_goes_to_the_head_of_security_then_to_the_board(
    installation: Installation, cameras: dict[str, int], clock: ManualClock
) -> None:
    alert = event_alert(installation, cameras["gate"])
    clock.advance(4 * 60)
    assert escalate(installation) == []
    clock.advance(60)
    assert escalate(installation) == [alert.id]
    assert stored(installation, alert.id).escalation_level == EscalationLevel.SECURITY_LEAD
    assert escalate(installation) == []  # once per level
    clock.advance(10 * 60)
    assert escalate(installation) == [alert.id]
    assert stored(installation, alert.id).escalation_level == EscalationLevel.BOARD
    with installation.database.reading() as session:
        details = session.scalars(
            select(AuditEntry.details).where(AuditEntry.action == "alert.escalate")
        ).all()
    assert ['"level": 1' in d or '"level":1' in d for d in details] == [True, False]


def test_an_alert_someone_took_does_not_escalate(
    installation: Installation, cameras: dict[str, int], clock: ManualClock
) -> None:
    alert = event_alert(installation, cameras["gate"])
    with installation.database.transaction() as session:
        installation.alerts.acknowledge(session, person(Role.SECURITY), alert.id)
    clock.advance(60 * 60)
    assert escalate(installation) == []
    assert stored(installation, alert.id).escalation_level == EscalationLevel.ZONE


def test_tamper_alerts_can_go_to_the_board_at_once(
    installation: Installation, cameras: dict[str, int]
) -> None:
    policy = EscalationPolicy(DEFAULT_POLICY.by_severity, tamper_to_board_at_once=True)
    covered = event_alert(installation, cameras["gate"], "covered")
    lost = event_alert(installation, cameras["gate"], "video_loss")
    assert escalate(installation, policy) == [covered.id]
    assert stored(installation, lost.id).escalation_level == EscalationLevel.ZONE


def test_a_zone_can_have_shorter_limits_of_its_own(
    installation: Installation, cameras: dict[str, int], clock: ManualClock
) -> None:
    policy = EscalationPolicy(
        DEFAULT_POLICY.by_severity,
        by_zone_kind={
            "finance_room": {
                Severity.HIGH: EscalationLimits(timedelta(minutes=1), timedelta(minutes=2))
            }
        },
    )
    gate = event_alert(installation, cameras["gate"])
    finance = event_alert(installation, cameras["finance_room"])
    clock.advance(2 * 60)
    assert escalate(installation, policy) == [finance.id]
    assert stored(installation, finance.id).escalation_level == EscalationLevel.BOARD
    assert stored(installation, gate.id).escalation_level == EscalationLevel.ZONE


def test_a_low_alert_never_leaves_the_guard_room(
    installation: Installation, cameras: dict[str, int], clock: ManualClock
) -> None:
    with installation.database.transaction() as session:
        installation.alerts.report(
            session, person(Role.SECURITY), summary="Đèn hành lang hỏng", severity="low"
        )
    clock.advance(7 * 24 * 3600)
    assert escalate(installation) == []


def test_the_head_of_security_sees_an_escalated_alert_of_a_zone_outside_their_scope(
    installation: Installation, cameras: dict[str, int], clock: ManualClock
) -> None:
    alert = event_alert(installation, cameras["finance_room"])
    lead = person(Role.SECURITY_LEAD, {cameras["gate_zone"]}, name="truongbv")
    with installation.database.reading() as session:
        assert installation.alerts.open_alerts(session, lead) == []
    clock.advance(5 * 60)
    escalate(installation)
    with installation.database.reading() as session:
        assert [a.id for a in installation.alerts.open_alerts(session, lead)] == [alert.id]


def make_user(installation: Installation, username: str, role: str, **extra: object) -> int:
    with installation.database.transaction() as session:
        created = installation.accounts.create(
            session,
            SYSTEM_ACTOR,
            username=username,
            full_name=username,
            role=role,
            password="Mat-khau-dai-2026!",
            must_change_password=False,
            **extra,  # type: ignore[arg-type]
        )
        return created.user.id


def test_each_level_tells_its_own_people(
    installation: Installation, cameras: dict[str, int], admin: Actor
) -> None:
    gate_guard = make_user(
        installation, "baove_cong", "security", zone_ids=[cameras["gate_zone"]], all_zones=False
    )
    finance_guard = make_user(
        installation,
        "baove_tc",
        "security",
        zone_ids=[cameras["finance_room_zone"]],
        all_zones=False,
    )
    lead = make_user(installation, "truongbv", "security_lead")
    board = make_user(installation, "bgh1", "board")
    principal = make_user(installation, "hieutruong", "principal")
    alert = event_alert(installation, cameras["gate"])
    with installation.database.reading() as session:
        row = session.get(Alert, alert.id)
        assert row is not None
        told = {
            level: [user.id for user in recipients(session, row, level)]
            for level in EscalationLevel
        }
    assert told[EscalationLevel.ZONE] == [gate_guard]
    assert finance_guard not in told[EscalationLevel.ZONE]
    assert told[EscalationLevel.SECURITY_LEAD] == [lead]
    assert told[EscalationLevel.BOARD] == [board, principal]


@pytest.mark.parametrize("kind", ["covered", "video_loss", "disk_full"])
def test_every_camera_event_kind_that_needs_a_person_has_a_severity(
    installation: Installation, cameras: dict[str, int], kind: str
) -> None:
    assert event_alert(installation, cameras["gate"], kind).severity in {s.value for s in Severity}


def test_an_unknown_event_kind_raises_no_alert(
    installation: Installation, cameras: dict[str, int]
) -> None:
    event_id = installation.recordings.open_event(
        cameras["gate"], "something_new", installation.clock.now()
    )
    with installation.database.transaction() as session:
        event = session.get(CameraEvent, event_id)
        assert event is not None
        assert installation.alerts.raise_for_event(session, event) is None
