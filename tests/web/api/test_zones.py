"""Zones through /api/v1/zones."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.web.conftest import Account, MakeAccount

GATE = {
    "name": "Cổng trường",
    "kind": "gate",
    "purposes": ["security"],
    "responsible_unit": "Tổ bảo vệ",
}


def _create(client: TestClient, caller: Account, **changes: Any) -> Any:
    return client.post("/api/v1/zones", json={**GATE, **changes}, headers=caller.headers)


def test_a_zone_is_created_read_changed_and_deleted(
    client: TestClient, admin_account: Account, make_account: MakeAccount
) -> None:
    lead = make_account("security_lead")
    created = _create(client, admin_account, assignee_ids=[lead.id], description="Cổng chính")
    assert created.status_code == 201
    zone = created.json()
    assert zone == {
        "id": zone["id"],
        "name": "Cổng trường",
        "kind": "gate",
        "purposes": ["security"],
        "responsible_unit": "Tổ bảo vệ",
        "description": "Cổng chính",
        "assignee_ids": [lead.id],
        "created_at": "2026-01-05T01:00:00Z",
    }
    path = f"/api/v1/zones/{zone['id']}"
    assert client.get(path, headers=admin_account.headers).json() == zone
    patched = client.patch(
        path,
        json={"purposes": ["security", "equipment"], "assignee_ids": []},
        headers=admin_account.headers,
    )
    assert patched.status_code == 200
    assert patched.json()["purposes"] == ["security", "equipment"]
    assert patched.json()["assignee_ids"] == []
    assert client.delete(path, headers=admin_account.headers).status_code == 204
    assert client.get(path, headers=admin_account.headers).status_code == 404


def test_zones_are_listed_by_name(client: TestClient, admin_account: Account) -> None:
    _create(client, admin_account, name="Sân trường", kind="yard")
    _create(client, admin_account)
    listed = client.get("/api/v1/zones", headers=admin_account.headers).json()
    assert [zone["name"] for zone in listed] == ["Cổng trường", "Sân trường"]


def test_a_principal_manages_zones_but_a_guard_does_not(
    client: TestClient, make_account: MakeAccount
) -> None:
    principal, guard = make_account("principal"), make_account("security")
    assert _create(client, principal).status_code == 201
    refused = _create(client, guard, name="Hành lang", kind="corridor")
    assert refused.status_code == 403
    assert refused.json()["error"]["kind"] == "Forbidden"


def test_a_guard_sees_only_the_zones_of_their_scope(
    client: TestClient, admin_account: Account, make_account: MakeAccount
) -> None:
    gate = _create(client, admin_account).json()["id"]
    yard = _create(client, admin_account, name="Sân trường", kind="yard").json()["id"]
    guard = make_account("security", all_zones=False, zone_ids=[gate])
    listed = client.get("/api/v1/zones", headers=guard.headers).json()
    assert [zone["id"] for zone in listed] == [gate]
    assert client.get(f"/api/v1/zones/{yard}", headers=guard.headers).status_code == 404


def test_a_duplicate_name_is_a_conflict_whatever_its_case(
    client: TestClient, admin_account: Account
) -> None:
    assert _create(client, admin_account, name="Sân Đông").status_code == 201
    for name in ["Sân Đông", "SÂN ĐÔNG", "sân đông"]:
        assert _create(client, admin_account, name=name).status_code == 409, name


def test_a_zone_with_cameras_cannot_be_deleted(client: TestClient, admin_account: Account) -> None:
    zone_id = _create(client, admin_account).json()["id"]
    camera = {"name": "Cổng 1", "zone_id": zone_id, "main_url": "rtsp://10.0.0.5/stream1"}
    assert client.post("/api/v1/cameras", json=camera, headers=admin_account.headers).is_success
    answer = client.delete(f"/api/v1/zones/{zone_id}", headers=admin_account.headers)
    assert answer.status_code == 409


def test_unknown_kinds_purposes_and_assignees_are_refused_naming_the_field(
    client: TestClient, admin_account: Account
) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"kind": "rooftop"}, "kind"),
        ({"purposes": ["spying"]}, "purposes"),
        ({"purposes": []}, "purposes"),
        ({"assignee_ids": [999]}, "assignee_ids"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 121}, "name"),
    ]
    for changes, field in cases:
        answer = _create(client, admin_account, **changes)
        assert answer.status_code == 422, changes
        assert answer.json()["error"]["field"] == field, changes


def test_an_unknown_zone_is_not_found(client: TestClient, admin_account: Account) -> None:
    for method in ["GET", "PATCH", "DELETE"]:
        answer = client.request(method, "/api/v1/zones/999", json={}, headers=admin_account.headers)
        assert answer.status_code == 404, method
