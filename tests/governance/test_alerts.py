from datetime import timedelta

import pytest
from sqlalchemy import func, select

from camwarden.clock import ManualClock
from camwarden.errors import Conflict, Forbidden, InvalidInput, NotFound
from camwarden.governance.alerts import AlertState
from camwarden.governance.roles import Role
from camwarden.installation import Installation
from camwarden.storage.models import Alert, CameraEvent
from tests.governance.alert_helpers import audit_actions, event_alert, person, stored


def test_a_tamper_event_raises_an_alert_in_the_camera_s_zone_and_audits_it(
    installation: Installation, cameras: dict[str, int]
) -> None:
    alert = event_alert(installation, cameras["gate"])
    assert alert.state == AlertState.RAISED
    assert alert.severity == "high"
    assert alert.zone_id == cameras["gate_zone"]
    assert alert.summary == "score 0.93"
    assert audit_actions(installation, alert.id) == ["alert.raise"]


def test_a_burst_of_a_thousand_events_makes_one_alert_that_counts_them(
    installation: Installation, cameras: dict[str, int], clock: ManualClock
) -> None:
    first = event_alert(installation, cameras["gate"])
    with installation.database.transaction() as session:
        for _ in range(999):
            clock.advance(0.06)
            event = CameraEvent(
                camera_id=cameras["gate"],
                kind="covered",
                started_at=clock.now(),
                details="",
            )
            session.add(event)
            session.flush()
            folded = installation.alerts.raise_for_event(session, event)
            assert folded is not None and folded.id == first.id
    with installation.database.reading() as session:
        assert session.scalar(select(func.count()).select_from(Alert)) == 1
    alert = stored(installation, first.id)
    assert alert.repeats == 999
    assert alert.last_seen_at == clock.now()
    # Folding is not a transition: the audit log has the one raise, not a thousand.
    assert audit_actions(installation, first.id) == ["alert.raise"]


def test_other_cameras_and_other_kinds_are_other_alerts(
    installation: Installation, cameras: dict[str, int]
) -> None:
    gate_covered = event_alert(installation, cameras["gate"], "covered")
    gate_lost = event_alert(installation, cameras["gate"], "video_loss")
    finance_covered = event_alert(installation, cameras["finance_room"], "covered")
    assert len({gate_covered.id, gate_lost.id, finance_covered.id}) == 3


def test_the_same_condition_after_resolution_is_a_new_alert(
    installation: Installation, cameras: dict[str, int]
) -> None:
    guard = person(Role.SECURITY)
    first = event_alert(installation, cameras["gate"])
    with installation.database.transaction() as session:
        installation.alerts.resolve(session, guard, first.id, outcome="Lá cây che, đã gỡ")
    again = event_alert(installation, cameras["gate"])
    assert again.id != first.id


def test_a_guard_takes_an_alert_with_a_note_and_a_second_guard_cannot_take_it_again(
    installation: Installation, cameras: dict[str, int], clock: ManualClock
) -> None:
    alert = event_alert(installation, cameras["gate"])
    clock.advance(40)
    with installation.database.transaction() as session:
        installation.alerts.acknowledge(
            session, person(Role.SECURITY), alert.id, note="Đang ra cổng kiểm tra"
        )
    taken = stored(installation, alert.id)
    assert taken.state == AlertState.ACKNOWLEDGED
    assert taken.acknowledged_by == "baove1"
    assert taken.acknowledged_at == clock.now()
    assert taken.acknowledgement_note == "Đang ra cổng kiểm tra"
    with (
        pytest.raises(Conflict, match="baove1"),
        installation.database.transaction() as session,
    ):
        installation.alerts.acknowledge(session, person(Role.SECURITY, name="baove2"), alert.id)
    assert audit_actions(installation, alert.id) == ["alert.raise", "alert.acknowledge"]


def test_a_guard_of_another_zone_does_not_see_the_alert_at_all(
    installation: Installation, cameras: dict[str, int]
) -> None:
    alert = event_alert(installation, cameras["finance_room"])
    gate_guard = person(Role.SECURITY, {cameras["gate_zone"]})
    with installation.database.reading() as session:
        assert installation.alerts.open_alerts(session, gate_guard) == []
    with pytest.raises(NotFound), installation.database.transaction() as session:
        installation.alerts.acknowledge(session, gate_guard, alert.id)
    assert stored(installation, alert.id).state == AlertState.RAISED


def test_a_too_long_note_is_refused_and_the_alert_stays_waiting(
    installation: Installation, cameras: dict[str, int]
) -> None:
    alert = event_alert(installation, cameras["gate"])
    with pytest.raises(InvalidInput), installation.database.transaction() as session:
        installation.alerts.acknowledge(session, person(Role.SECURITY), alert.id, note="x" * 2001)
    assert stored(installation, alert.id).state == AlertState.RAISED
    assert audit_actions(installation, alert.id) == ["alert.raise"]


def test_resolving_needs_an_outcome_and_takes_a_waiting_alert_too(
    installation: Installation, cameras: dict[str, int]
) -> None:
    alert = event_alert(installation, cameras["gate"])
    guard = person(Role.SECURITY)
    with pytest.raises(InvalidInput), installation.database.transaction() as session:
        installation.alerts.resolve(session, guard, alert.id, outcome="  ")
    with installation.database.transaction() as session:
        installation.alerts.resolve(
            session,
            guard,
            alert.id,
            outcome="Camera bị che bằng túi ni lông; đã gỡ",
            incident_reference="SV-2026-004",
        )
    resolved = stored(installation, alert.id)
    assert resolved.state == AlertState.RESOLVED
    assert resolved.acknowledged_by == "baove1"
    assert resolved.incident_reference == "SV-2026-004"
    with pytest.raises(Conflict), installation.database.transaction() as session:
        installation.alerts.resolve(session, guard, alert.id, outcome="lần nữa")
    assert audit_actions(installation, alert.id) == ["alert.raise", "alert.resolve"]


def test_the_end_of_the_condition_is_noted_but_the_alert_waits_for_a_person(
    installation: Installation, cameras: dict[str, int], clock: ManualClock
) -> None:
    alert = event_alert(installation, cameras["gate"], "video_loss")
    clock.advance(30)
    with installation.database.transaction() as session:
        assert installation.alerts.note_ended_conditions(session) == 0  # still lost
    installation.recordings.close_event(alert.source_event_id or 0, clock.now())
    with installation.database.transaction() as session:
        assert installation.alerts.note_ended_conditions(session) == 1
        assert installation.alerts.note_ended_conditions(session) == 0
    ended = stored(installation, alert.id)
    assert ended.condition_ended_at == clock.now()
    assert ended.state == AlertState.RAISED


def test_a_guard_reports_a_problem_by_hand_and_two_reports_stay_two(
    installation: Installation, cameras: dict[str, int]
) -> None:
    guard = person(Role.SECURITY)
    with installation.database.transaction() as session:
        first = installation.alerts.report(
            session, guard, summary="Người lạ ở cổng", severity="high", camera_id=cameras["gate"]
        )
        second = installation.alerts.report(session, guard, summary="Camera dãy B bị hỏng")
    assert first.id != second.id
    assert (first.kind, first.severity, first.zone_id) == (
        "guard_report",
        "high",
        cameras["gate_zone"],
    )
    assert second.camera_id is None and second.severity == "medium"


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"summary": ""}, InvalidInput),
        ({"summary": "Người lạ", "severity": "urgent"}, InvalidInput),
        ({"summary": "Người lạ", "camera_id": 99999}, NotFound),
    ],
)
def test_a_bad_report_is_refused_and_nothing_is_raised(
    installation: Installation, cameras: dict[str, int], fields: dict[str, object], error: type
) -> None:
    with pytest.raises(error), installation.database.transaction() as session:
        installation.alerts.report(session, person(Role.SECURITY), **fields)  # type: ignore[arg-type]
    with installation.database.reading() as session:
        assert session.scalar(select(func.count()).select_from(Alert)) == 0


def test_an_outside_person_cannot_file_a_guard_report(
    installation: Installation, cameras: dict[str, int]
) -> None:
    with pytest.raises(Forbidden), installation.database.transaction() as session:
        installation.alerts.report(session, person(Role.EXTERNAL), summary="Xin chào")


def test_waiting_alerts_come_first_then_the_most_severe(
    installation: Installation, cameras: dict[str, int], clock: ManualClock
) -> None:
    taken = event_alert(installation, cameras["gate"], "disk_full")
    with installation.database.transaction() as session:
        installation.alerts.acknowledge(session, person(Role.SECURITY), taken.id)
    clock.advance(timedelta(minutes=1).total_seconds())
    high = event_alert(installation, cameras["gate"], "covered")
    with installation.database.transaction() as session:
        low = installation.alerts.report(
            session, person(Role.SECURITY), summary="Đèn hành lang hỏng", severity="low"
        )
    with installation.database.reading() as session:
        order = [a.id for a in installation.alerts.open_alerts(session, person(Role.SECURITY))]
    assert order == [high.id, low.id, taken.id]
