"""IT's "learn the normal view again" on the camera page and through the API (R-2.3)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.installation import Installation
from camwarden.storage.models import CameraEvent
from tests.support.footage import gate_camera
from tests.web.conftest import Account, MakeAccount

RAISED = datetime(2026, 11, 26, 2, tzinfo=UTC)


@pytest.fixture
def camera_id(installation: Installation) -> int:
    camera_id = gate_camera(installation)
    with installation.database.transaction() as session:
        installation.cameras.set_state(
            session, SYSTEM_ACTOR, camera_id, "in_service", reason="Nhà cung cấp đã kiểm tra"
        )
    return camera_id


@pytest.fixture
def it_account(make_account: MakeAccount) -> Account:
    return make_account("it", username="cntt")


def event_of(installation: Installation, event_id: int) -> CameraEvent:
    with installation.database.reading() as session:
        event = session.get(CameraEvent, event_id)
        assert event is not None
        return event


def test_the_camera_page_lists_the_tamper_detections_it_would_end_and_ends_them_with_a_reason(
    client: TestClient,
    installation: Installation,
    it_account: Account,
    log_in: Callable[[Account], dict[str, str]],
    camera_id: int,
) -> None:
    moved = installation.recordings.open_event(camera_id, "moved", RAISED, "score 0.88")
    csrf = log_in(it_account)
    html = client.get(f"/cameras/{camera_id}").text
    assert "Học lại khung cảnh bình thường" in html
    assert "Các phát hiện phá hoại đang diễn ra, sẽ kết thúc ngay:" in html
    assert "từ 26/11/2026 09:00:00" in html  # Hanoi time

    form = {"csrf_token": next(iter(csrf.values())), "reason": ""}
    refused = client.post(f"/cameras/{camera_id}/view-learning", data=form)
    assert refused.status_code == 422
    assert "không được để trống" in refused.text
    assert event_of(installation, moved).ended_at is None

    form["reason"] = "Camera được quay lại để thấy cả cổng phụ"
    done = client.post(f"/cameras/{camera_id}/view-learning", data=form)
    assert done.status_code == 200
    assert "Camera sẽ học lại khung cảnh bình thường trong vòng nửa phút" in done.text
    assert "Camera này không có phát hiện phá hoại nào đang diễn ra." in done.text
    assert event_of(installation, moved).ended_at is not None


def test_the_api_ends_the_open_tamper_events_and_names_them(
    client: TestClient, installation: Installation, it_account: Account, camera_id: int
) -> None:
    covered = installation.recordings.open_event(camera_id, "covered", RAISED)
    url = f"/api/v1/cameras/{camera_id}/view-learning"
    refused = client.post(url, json={"reason": ""}, headers=it_account.headers)
    assert refused.status_code == 422
    assert event_of(installation, covered).ended_at is None

    answer = client.post(url, json={"reason": "Đã tháo túi che"}, headers=it_account.headers)
    assert answer.status_code == 200
    body = answer.json()
    assert body["camera_id"] == camera_id
    assert [(event["id"], event["kind"]) for event in body["ended_events"]] == [
        (covered, "covered")
    ]
    assert event_of(installation, covered).ended_at is not None
