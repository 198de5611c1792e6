"""IT's "learn the normal view again" (R-2.3): it ends the camera's open tamper events now,
with a note, asks the running analysis to learn (a counter the recording supervisor passes
on), and is audited with the reason. Only IT managing the camera's zone, only for a camera in
service, only with a reason; refused, it changes nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from camwarden.clock import ManualClock
from camwarden.errors import Conflict, Forbidden, InvalidInput, NotFound
from camwarden.governance.authorization import Actor
from camwarden.governance.roles import Role
from camwarden.installation import Installation
from camwarden.storage.models import CameraEvent
from camwarden.storage.recordings import RecordingIndex
from tests.governance.test_camera_analysis import audit_count, yard_camera
from tests.governance.test_cameras import it_staff, last_audit, stored_row

NOW = ManualClock().now()  # the installation's clock, which these tests do not move
TWO_HOURS_AGO = NOW - timedelta(hours=2)


@pytest.fixture
def camera_id(installation: Installation, admin: Actor) -> int:
    camera_id = yard_camera(installation, admin)
    with installation.database.transaction() as session:
        installation.cameras.set_state(
            session, admin, camera_id, "in_service", reason="Nhà cung cấp đã kiểm tra"
        )
    return camera_id


def events(installation: Installation, camera_id: int) -> dict[str, CameraEvent]:
    index = RecordingIndex(installation.database)
    found = index.events(camera_id, TWO_HOURS_AGO - timedelta(hours=1), NOW + timedelta(hours=1))
    return {event.kind: event for event in found}


def test_it_ends_the_open_tamper_events_asks_for_learning_and_the_step_is_audited(
    installation: Installation, camera_id: int
) -> None:
    index = RecordingIndex(installation.database)
    moved = index.open_event(camera_id, "moved", TWO_HOURS_AGO, "score 0.91")
    covered = index.open_event(camera_id, "covered", TWO_HOURS_AGO + timedelta(minutes=5))
    index.close_event(covered, TWO_HOURS_AGO + timedelta(minutes=6))
    outage = index.open_event(camera_id, "video_loss", TWO_HOURS_AGO)
    before = stored_row(installation, camera_id)["view_learning_requests"]

    with installation.database.transaction() as session:
        ended = installation.cameras.learn_view_again(
            session, it_staff(), camera_id, reason="  Camera quay lại để thấy cả cổng phụ "
        )
        assert [(event.id, event.kind) for event in ended] == [(moved, "moved")]

    after = events(installation, camera_id)
    assert after["moved"].ended_at == NOW
    assert after["moved"].details == "score 0.91; ended by cntt: view learnt again"
    # An ended tamper event keeps its end; a video loss is not the view's business.
    assert after["covered"].ended_at == TWO_HOURS_AGO + timedelta(minutes=6)
    assert after["video_loss"].id == outage and after["video_loss"].ended_at is None
    assert stored_row(installation, camera_id)["view_learning_requests"] == before + 1
    entry = last_audit(installation)
    assert (entry.action, entry.actor, entry.target_id) == (
        "camera.view_learnt_again",
        "cntt",
        str(camera_id),
    )
    details = json.loads(entry.details)
    assert details["reason"] == "Camera quay lại để thấy cả cổng phụ"
    assert details["ended_events"] == [f"{moved} (moved)"]


def test_an_event_ended_by_it_keeps_its_end_when_the_analysis_ends_it_later(
    installation: Installation, camera_id: int
) -> None:
    index = RecordingIndex(installation.database)
    moved = index.open_event(camera_id, "moved", TWO_HOURS_AGO)
    with installation.database.transaction() as session:
        installation.cameras.learn_view_again(session, it_staff(), camera_id, reason="quay lại")
    ended_at = events(installation, camera_id)["moved"].ended_at
    index.close_event(moved, NOW + timedelta(seconds=30))
    assert events(installation, camera_id)["moved"].ended_at == ended_at


def test_a_camera_not_in_service_or_a_missing_reason_is_refused_and_nothing_changes(
    installation: Installation, camera_id: int, admin: Actor
) -> None:
    index = RecordingIndex(installation.database)
    index.open_event(camera_id, "moved", TWO_HOURS_AGO)
    row, audits = stored_row(installation, camera_id), audit_count(installation)
    with pytest.raises(InvalidInput) as refused, installation.database.transaction() as session:
        installation.cameras.learn_view_again(session, it_staff(), camera_id, reason="   ")
    assert refused.value.field == "reason"
    assert stored_row(installation, camera_id) == row
    assert audit_count(installation) == audits
    assert events(installation, camera_id)["moved"].ended_at is None

    with installation.database.transaction() as session:
        installation.cameras.set_state(session, admin, camera_id, "out_of_service", reason="hỏng")
    row, audits = stored_row(installation, camera_id), audit_count(installation)
    with pytest.raises(Conflict) as refused, installation.database.transaction() as session:
        installation.cameras.learn_view_again(session, it_staff(), camera_id, reason="quay lại")
    assert "not in service" in str(refused.value)
    assert stored_row(installation, camera_id) == row
    assert audit_count(installation) == audits
    assert events(installation, camera_id)["moved"].ended_at is None


def test_only_it_managing_the_cameras_zone_may_ask_for_it(
    installation: Installation, camera_id: int
) -> None:
    index = RecordingIndex(installation.database)
    index.open_event(camera_id, "covered", TWO_HOURS_AGO)
    with installation.database.reading() as session:
        zone_id = installation.cameras.get(session, it_staff(), camera_id).zone_id
    guard = Actor(
        user_id=None, username="bao.ve", role=Role.SECURITY, all_zones=True, zone_ids=frozenset()
    )
    with pytest.raises(Forbidden), installation.database.transaction() as session:
        installation.cameras.learn_view_again(session, guard, camera_id, reason="quay lại")
    with pytest.raises(NotFound), installation.database.transaction() as session:
        installation.cameras.learn_view_again(
            session, it_staff({zone_id + 1000}), camera_id, reason="quay lại"
        )
    assert events(installation, camera_id)["covered"].ended_at is None
    assert stored_row(installation, camera_id)["view_learning_requests"] == 0
