"""Cameras through /api/v1/cameras: credentials go in and never come out."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from camwarden.governance.accounts import actor_for
from camwarden.governance.authorization import Actor
from camwarden.installation import Installation
from camwarden.storage.models import User
from tests.web.conftest import Account, MakeAccount

SECRET = "Mk-Camera-7391"


@pytest.fixture
def zone_id(client: TestClient, admin_account: Account) -> int:
    return _zone(client, admin_account, "Cổng trường")


def _zone(client: TestClient, caller: Account, name: str) -> int:
    body = {"name": name, "kind": "gate", "purposes": ["security"], "responsible_unit": "Tổ"}
    return int(client.post("/api/v1/zones", json=body, headers=caller.headers).json()["id"])


def _create(client: TestClient, caller: Account, zone: int, **changes: Any) -> Any:
    body = {
        "name": "Cổng chính 1",
        "zone_id": zone,
        "main_url": "rtsp://192.168.1.64:554/Streaming/Channels/101",
        "username": "admin",
        "password": SECRET,
        **changes,
    }
    return client.post("/api/v1/cameras", json=body, headers=caller.headers)


def test_a_camera_is_created_as_a_draft_with_its_credentials_hidden(
    client: TestClient, admin_account: Account, zone_id: int
) -> None:
    created = _create(client, admin_account, zone_id, position_notes="Trên cột cổng")
    assert created.status_code == 201
    camera = created.json()
    assert camera == {
        "id": camera["id"],
        "name": "Cổng chính 1",
        "zone_id": zone_id,
        "main_url": "rtsp://192.168.1.64:554/Streaming/Channels/101",
        "sub_url": None,
        "has_credentials": True,
        "state": "draft",
        "in_service_by_override": False,
        "position_notes": "Trên cột cổng",
        "retention_days": 30,
        "created_at": "2026-01-05T01:00:00Z",
        "updated_at": "2026-01-05T01:00:00Z",
    }


def test_credentials_never_appear_in_any_answer(
    client: TestClient, admin_account: Account, zone_id: int, installation: Installation
) -> None:
    embedded = "Nhung-Trong-URL-55"
    answers = [_create(client, admin_account, zone_id)]
    camera_id = answers[0].json()["id"]
    path = f"/api/v1/cameras/{camera_id}"
    headers = admin_account.headers
    answers += [
        _create(
            client,
            admin_account,
            zone_id,
            name="Cổng chính 2",
            main_url=f"rtsp://viewer:{embedded}@192.168.1.65/ch1",
            username=None,
            password=None,
        ),
        client.get("/api/v1/cameras", headers=headers),
        client.get(path, headers=headers),
        client.patch(path, json={"password": SECRET + "-new"}, headers=headers),
        client.patch(
            path, json={"main_url": f"rtsp://root:{embedded}@192.168.1.64/ch2"}, headers=headers
        ),
        client.post(
            f"{path}/state", json={"state": "in_service", "reason": "Lắp đặt"}, headers=headers
        ),
        client.get("/api/v1/audit?limit=500", headers=headers),
    ]
    for answer in answers:
        assert answer.is_success, answer.text
        for secret in (SECRET, embedded):
            assert secret not in answer.text
    assert answers[1].json()["main_url"] == "rtsp://192.168.1.65/ch1"
    assert answers[1].json()["has_credentials"] is True
    with installation.database.reading() as session:
        camera = installation.cameras.get(session, _actor(installation, admin_account), camera_id)
        assert installation.cameras.credentials(camera) == ("root", embedded)


def _actor(installation: Installation, account: Account) -> Actor:
    with installation.database.reading() as session:
        user = session.get(User, account.id)
        assert user is not None
        return actor_for(user)


def test_credentials_can_be_removed(
    client: TestClient, admin_account: Account, zone_id: int
) -> None:
    camera_id = _create(client, admin_account, zone_id).json()["id"]
    patched = client.patch(
        f"/api/v1/cameras/{camera_id}",
        json={"username": "", "password": ""},
        headers=admin_account.headers,
    )
    assert patched.json()["has_credentials"] is False


def test_an_empty_sub_stream_address_removes_it(
    client: TestClient, admin_account: Account, zone_id: int
) -> None:
    camera_id = _create(client, admin_account, zone_id, sub_url="rtsp://10.0.0.9/sub").json()["id"]
    path = f"/api/v1/cameras/{camera_id}"
    assert (
        client.get(path, headers=admin_account.headers).json()["sub_url"] == "rtsp://10.0.0.9/sub"
    )
    patched = client.patch(path, json={"sub_url": ""}, headers=admin_account.headers)
    assert patched.json()["sub_url"] is None


def test_a_camera_goes_into_service_only_with_a_reason_and_out_before_removal(
    client: TestClient, admin_account: Account, zone_id: int
) -> None:
    camera_id = _create(client, admin_account, zone_id).json()["id"]
    path, headers = f"/api/v1/cameras/{camera_id}", admin_account.headers
    no_reason = client.post(f"{path}/state", json={"state": "in_service"}, headers=headers)
    assert no_reason.status_code == 422
    assert no_reason.json()["error"]["field"] == "reason"
    override = {"state": "in_service", "reason": "Chưa có kiểm định"}
    in_service = client.post(f"{path}/state", json=override, headers=headers)
    assert in_service.status_code == 200
    assert in_service.json()["state"] == "in_service"
    assert in_service.json()["in_service_by_override"] is True
    assert client.delete(path, headers=headers).status_code == 409
    back_to_draft = client.post(f"{path}/state", json={"state": "draft"}, headers=headers)
    assert back_to_draft.status_code == 409
    out = client.post(f"{path}/state", json={"state": "out_of_service"}, headers=headers)
    assert out.json()["in_service_by_override"] is False
    assert client.delete(path, headers=headers).status_code == 204
    assert client.get(path, headers=headers).status_code == 404


def test_a_camera_outside_the_callers_zones_is_reported_absent(
    client: TestClient, admin_account: Account, make_account: MakeAccount, zone_id: int
) -> None:
    yard = _zone(client, admin_account, "Sân trường")
    camera_id = _create(client, admin_account, zone_id).json()["id"]
    guard = make_account("security", all_zones=False, zone_ids=[yard])
    assert client.get("/api/v1/cameras", headers=guard.headers).json() == []
    assert client.get(f"/api/v1/cameras/{camera_id}", headers=guard.headers).status_code == 404


def test_it_staff_manage_cameras_only_in_their_zones(
    client: TestClient, admin_account: Account, make_account: MakeAccount, zone_id: int
) -> None:
    yard = _zone(client, admin_account, "Sân trường")
    technician = make_account("it", all_zones=False, zone_ids=[yard])
    assert _create(client, technician, yard).status_code == 201
    assert _create(client, technician, zone_id, name="Cổng 2").status_code == 403


def test_a_guard_sees_cameras_but_cannot_change_them(
    client: TestClient, admin_account: Account, make_account: MakeAccount, zone_id: int
) -> None:
    camera_id = _create(client, admin_account, zone_id).json()["id"]
    guard = make_account("security")
    assert len(client.get("/api/v1/cameras", headers=guard.headers).json()) == 1
    path = f"/api/v1/cameras/{camera_id}"
    assert client.patch(path, json={"name": "X"}, headers=guard.headers).status_code == 403
    assert client.delete(path, headers=guard.headers).status_code == 403


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"main_url": "http://192.168.1.64/stream"}, "main_url"),
        ({"main_url": "rtsp://"}, "main_url"),
        ({"main_url": "rtsp://host:99999/x"}, "main_url"),
        ({"main_url": "rtsp://" + "a" * 500}, "main_url"),
        ({"sub_url": "ftp://x"}, "sub_url"),
        ({"zone_id": 999}, "zone_id"),
        ({"zone_id": 0}, "zone_id"),
        ({"password": "x" * 201}, "password"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_camera_input_is_refused_naming_the_field(
    client: TestClient, admin_account: Account, zone_id: int, changes: dict[str, Any], field: str
) -> None:
    answer = _create(client, admin_account, zone_id, **changes)
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == field


def test_a_duplicate_camera_name_is_a_conflict(
    client: TestClient, admin_account: Account, zone_id: int
) -> None:
    assert _create(client, admin_account, zone_id, name="Camera Đông").status_code == 201
    assert _create(client, admin_account, zone_id, name="Camera Đông").status_code == 409


def test_retention_shorter_than_the_review_period_is_refused_with_the_reason(
    client: TestClient, admin_account: Account, zone_id: int
) -> None:
    created = _create(client, admin_account, zone_id).json()
    answer = client.patch(
        f"/api/v1/cameras/{created['id']}",
        json={"retention_days": 7},
        headers={**admin_account.headers, "Accept-Language": "en"},
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "retention_days"
    assert "15" in answer.json()["error"]["message"]
    kept = client.patch(
        f"/api/v1/cameras/{created['id']}",
        json={"retention_days": 60},
        headers=admin_account.headers,
    )
    assert kept.status_code == 200 and kept.json()["retention_days"] == 60
