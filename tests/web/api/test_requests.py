"""Requests for footage through the API on SQLite and PostgreSQL (R-4.2): filed by a signed-in
person, listed, read and decided by the Board; errors in Vietnamese that change nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from camwarden.clock import ManualClock
from camwarden.installation import Installation
from camwarden.storage.holds import active_holds
from camwarden.storage.models import AuditEntry, FootageGrant, FootageRequest
from tests.web.api import _casework_world
from tests.web.conftest import Account

# The casework world's fixtures: both database engines, a gate camera, the people.
installation = _casework_world.installation
gate_camera = _casework_world.gate_camera
teacher = _casework_world.teacher
board = _casework_world.board
principal = _casework_world.principal


def request_body(clock: ManualClock, camera_id: int, **overrides: Any) -> dict[str, Any]:
    end = clock.now() - timedelta(hours=2)
    return {
        "purpose": "Học sinh lớp 3A bị ngã ở cổng; cần xem lại để báo phụ huynh.",
        "access": "watch",
        "camera_ids": [camera_id],
        "footage_start": (end - timedelta(minutes=30)).isoformat(),
        "footage_end": end.isoformat(),
        "contact": "0912 345 678",
        **overrides,
    }


def file(client: TestClient, who: Account, body: dict[str, Any]) -> dict[str, Any]:
    answer = client.post("/api/v1/requests", json=body, headers=who.headers)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def counts(installation: Installation) -> tuple[int, int, int]:
    """Requests, grants and audit entries: what an error must leave as it was."""
    with installation.database.reading() as session:
        return (
            session.scalar(select(func.count()).select_from(FootageRequest)) or 0,
            session.scalar(select(func.count()).select_from(FootageGrant)) or 0,
            session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
        )


def test_a_signed_in_teacher_files_a_request_in_her_name_and_its_footage_is_held(
    client: TestClient,
    installation: Installation,
    clock: ManualClock,
    gate_camera: int,
    teacher: Account,
    board: Account,
) -> None:
    filed = file(client, teacher, request_body(clock, gate_camera))

    assert filed["reference"] == f"YC-{clock.now().year}-0001"
    assert len(filed["tracking_code"]) == 14
    listed = client.get("/api/v1/requests", headers=board.headers).json()["items"]
    assert [item["reference"] for item in listed] == [filed["reference"]]
    read = client.get(f"/api/v1/requests/{filed['id']}", headers=board.headers).json()
    assert read["requester_name"] == "Người dùng gv.hoa"
    assert (read["status"], read["camera_ids"], read["grant"]) == ("pending", [gate_camera], None)
    with installation.database.reading() as session:
        holds = [h.reference for h in active_holds(session, gate_camera)]
    assert holds == [filed["reference"]]


def test_only_the_board_lists_and_reads_requests(
    client: TestClient, clock: ManualClock, gate_camera: int, teacher: Account
) -> None:
    filed = file(client, teacher, request_body(clock, gate_camera))

    assert client.get("/api/v1/requests", headers=teacher.headers).status_code == 403
    assert client.get(f"/api/v1/requests/{filed['id']}", headers=teacher.headers).status_code == 403


def test_the_board_approves_a_request_to_watch_and_the_grant_is_limited_in_time(
    client: TestClient, clock: ManualClock, gate_camera: int, teacher: Account, board: Account
) -> None:
    filed = file(client, teacher, request_body(clock, gate_camera))

    answer = client.post(
        f"/api/v1/requests/{filed['id']}/approve",
        json={"reason": "Có lý do chính đáng", "valid_days": 3},
        headers=board.headers,
    )

    assert answer.status_code == 200, answer.text
    decided = answer.json()
    assert (decided["status"], decided["decided_by"]) == ("approved", "hd.lan")
    assert decided["grant"]["valid"] is True
    assert decided["grant"]["expires_at"].startswith(
        (clock.now() + timedelta(days=3)).date().isoformat()
    )
    # A teacher has a school account: she watches in the player, no secret link is made.
    assert decided["link"] is None


def test_a_refusal_needs_a_reason_and_an_empty_one_changes_nothing(
    client: TestClient,
    installation: Installation,
    clock: ManualClock,
    gate_camera: int,
    teacher: Account,
    board: Account,
) -> None:
    filed = file(client, teacher, request_body(clock, gate_camera))
    before = counts(installation)

    blank = client.post(
        f"/api/v1/requests/{filed['id']}/refuse", json={"reason": "   "}, headers=board.headers
    )
    missing = client.post(f"/api/v1/requests/{filed['id']}/refuse", json={}, headers=board.headers)

    assert blank.status_code == 422
    assert blank.json()["error"]["field"] == "reason"
    assert "Lý do" in blank.json()["error"]["message"]
    assert missing.status_code == 422
    assert counts(installation) == before
    refused = client.post(
        f"/api/v1/requests/{filed['id']}/refuse",
        json={"reason": "Không liên quan đến việc của trường"},
        headers=board.headers,
    )
    assert refused.json()["status"] == "refused"
    assert refused.json()["decision_reason"] == "Không liên quan đến việc của trường"
    with installation.database.reading() as session:
        assert active_holds(session, gate_camera) == []


def test_a_copy_needs_a_second_approval_by_a_different_board_member(
    client: TestClient,
    installation: Installation,
    clock: ManualClock,
    gate_camera: int,
    teacher: Account,
    board: Account,
    principal: Account,
) -> None:
    filed = file(client, teacher, request_body(clock, gate_camera, access="copy"))
    approve = f"/api/v1/requests/{filed['id']}/approve"

    first = client.post(approve, json={"valid_days": 5}, headers=board.headers)
    assert first.status_code == 200
    assert (first.json()["status"], first.json()["waiting_for_second_approval"]) == (
        "pending",
        True,
    )
    assert first.json()["grant"] is None
    before = counts(installation)

    again = client.post(approve, json={"valid_days": 5}, headers=board.headers)

    assert again.status_code == 409
    assert again.json()["error"]["message"] == (
        f"Bạn đã phê duyệt yêu cầu {filed['reference']}; bản sao cần thêm một thành viên "
        "Ban giám hiệu khác phê duyệt."
    )
    assert counts(installation) == before
    second = client.post(approve, json={"valid_days": 5}, headers=principal.headers)
    assert second.status_code == 200
    decided = second.json()
    assert decided["status"] == "approved"
    assert (decided["first_approval_by"], decided["second_approval_by"]) == ("hd.lan", "ht.minh")
    assert decided["grant"]["access"] == "copy"


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"camera_ids": [987654]}, "camera_ids", "987654"),
        ({"hours_ago": -1}, "footage_end", "chưa tới"),
        ({"hours": 30}, "footage_end", "24"),
    ],
)
def test_a_bad_request_is_refused_in_vietnamese_naming_the_value_and_nothing_is_stored(
    client: TestClient,
    installation: Installation,
    clock: ManualClock,
    gate_camera: int,
    teacher: Account,
    overrides: dict[str, Any],
    field: str,
    words: str,
) -> None:
    body = request_body(clock, gate_camera)
    if "camera_ids" in overrides:
        body["camera_ids"] = overrides["camera_ids"]
    if "hours_ago" in overrides:
        body["footage_end"] = (clock.now() + timedelta(hours=1)).isoformat()
    if "hours" in overrides:
        body["footage_start"] = (clock.now() - timedelta(hours=40)).isoformat()
    before = counts(installation)

    answer = client.post("/api/v1/requests", json=body, headers=teacher.headers)

    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["field"] == field
    assert words in answer.json()["error"]["message"]
    assert counts(installation) == before
    with installation.database.reading() as session:
        assert active_holds(session, gate_camera) == []


def test_deciding_twice_or_an_unknown_request_is_refused_and_changes_nothing(
    client: TestClient,
    installation: Installation,
    clock: ManualClock,
    gate_camera: int,
    teacher: Account,
    board: Account,
) -> None:
    filed = file(client, teacher, request_body(clock, gate_camera))
    client.post(
        f"/api/v1/requests/{filed['id']}/refuse", json={"reason": "Không"}, headers=board.headers
    )
    before = counts(installation)

    twice = client.post(
        f"/api/v1/requests/{filed['id']}/approve", json={"valid_days": 3}, headers=board.headers
    )
    unknown = client.get("/api/v1/requests/987654", headers=board.headers)
    too_long = client.post(
        f"/api/v1/requests/{filed['id']}/approve", json={"valid_days": 90}, headers=board.headers
    )

    assert twice.status_code == 409
    assert twice.json()["error"]["message"] == f"Yêu cầu {filed['reference']} đã được quyết định."
    assert unknown.status_code == 404
    assert unknown.json()["error"]["message"] == "Yêu cầu 987654 không tồn tại."
    assert too_long.status_code == 422
    assert counts(installation) == before


def test_the_board_revokes_a_grant_with_a_reason(
    client: TestClient,
    installation: Installation,
    clock: ManualClock,
    gate_camera: int,
    teacher: Account,
    board: Account,
) -> None:
    filed = file(client, teacher, request_body(clock, gate_camera))
    client.post(
        f"/api/v1/requests/{filed['id']}/approve", json={"valid_days": 3}, headers=board.headers
    )

    revoked = client.post(
        f"/api/v1/requests/{filed['id']}/revoke",
        json={"reason": "Đã xem xong"},
        headers=board.headers,
    )

    assert revoked.status_code == 200
    assert revoked.json()["grant"]["valid"] is False
    assert revoked.json()["grant"]["revoked_at"] is not None
    with installation.database.reading() as session:
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.target_type == "footage_request")
        ).all()
        assert active_holds(session, gate_camera) == []
    assert actions == [
        "footage_request.filed",
        "footage_request.approved",
        "footage_request.revoked",
    ]
