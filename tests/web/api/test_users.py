"""Accounts through /api/v1/users."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from camwarden.installation import Installation
from tests.web.conftest import Account, MakeAccount

NEW_ACCOUNT = {"username": "nguyen.van.an", "full_name": "Nguyễn Văn An", "role": "security"}


def _zone(client: TestClient, caller: Account, name: str = "Cổng trường") -> int:
    body = {"name": name, "kind": "gate", "purposes": ["security"], "responsible_unit": "Tổ"}
    answer = client.post("/api/v1/zones", json=body, headers=caller.headers)
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


def _create(client: TestClient, caller: Account, **changes: Any) -> Any:
    return client.post("/api/v1/users", json={**NEW_ACCOUNT, **changes}, headers=caller.headers)


def test_an_administrator_creates_an_account_and_sees_its_password_once(
    client: TestClient, admin_account: Account, installation: Installation
) -> None:
    created = _create(client, admin_account, email="an@truong.edu.vn")
    assert created.status_code == 201
    account = created.json()
    password = account.pop("initial_password")
    assert account == {
        "id": account["id"],
        "username": "nguyen.van.an",
        "full_name": "Nguyễn Văn An",
        "email": "an@truong.edu.vn",
        "role": "security",
        "all_zones": True,
        "zone_ids": [],
        "is_active": True,
        "must_change_password": True,
        "created_at": "2026-01-05T01:00:00Z",
        "password_changed_at": None,
    }
    again = client.get(f"/api/v1/users/{account['id']}", headers=admin_account.headers)
    assert again.json() == account
    with installation.database.transaction() as session:
        logged_in = installation.authentication.login(session, "nguyen.van.an", password, ip="")
    assert logged_in is not None


def test_accounts_are_listed_by_username(client: TestClient, admin_account: Account) -> None:
    _create(client, admin_account, username="zz.last")
    _create(client, admin_account, username="aa.first")
    listed = client.get("/api/v1/users", headers=admin_account.headers)
    assert listed.status_code == 200
    assert [u["username"] for u in listed.json()] == ["aa.first", "quantri", "zz.last"]
    assert all("initial_password" not in u and "password_hash" not in u for u in listed.json())


def test_only_those_who_manage_accounts_see_or_change_them(
    client: TestClient, make_account: MakeAccount, admin_account: Account
) -> None:
    principal = make_account("principal")
    for method, path in [
        ("GET", "/api/v1/users"),
        ("GET", f"/api/v1/users/{admin_account.id}"),
        ("POST", f"/api/v1/users/{admin_account.id}/reset-password"),
    ]:
        answer = client.request(method, path, headers=principal.headers)
        assert answer.status_code == 403, (method, path)
        assert answer.json()["error"]["kind"] == "Forbidden"
    assert _create(client, principal).status_code == 403


def test_a_taken_username_is_a_conflict(client: TestClient, admin_account: Account) -> None:
    assert _create(client, admin_account).status_code == 201
    again = _create(client, admin_account, username="Nguyen.Van.An")
    assert again.status_code == 409
    assert again.json()["error"]["kind"] == "Conflict"


def test_an_unknown_role_is_refused_naming_the_field(
    client: TestClient, admin_account: Account
) -> None:
    answer = _create(client, admin_account, role="superuser")
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "role"


def test_a_username_the_domain_refuses_is_refused(
    client: TestClient, admin_account: Account
) -> None:
    answer = _create(client, admin_account, username="nguyễn văn an")
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "username"


def test_an_unknown_account_is_not_found(client: TestClient, admin_account: Account) -> None:
    for method, path in [
        ("GET", "/api/v1/users/999"),
        ("PATCH", "/api/v1/users/999"),
        ("POST", "/api/v1/users/999/reset-password"),
    ]:
        answer = client.request(method, path, headers=admin_account.headers, json={})
        assert answer.status_code == 404, (method, path)
        assert answer.json()["error"]["kind"] == "NotFound"


def test_patch_changes_role_and_zone_scope(client: TestClient, admin_account: Account) -> None:
    zone_id = _zone(client, admin_account)
    user_id = _create(client, admin_account).json()["id"]
    patched = client.patch(
        f"/api/v1/users/{user_id}",
        json={"role": "security_lead", "all_zones": False, "zone_ids": [zone_id], "email": ""},
        headers=admin_account.headers,
    )
    assert patched.status_code == 200
    answer = patched.json()
    assert (answer["role"], answer["all_zones"], answer["zone_ids"]) == (
        "security_lead",
        False,
        [zone_id],
    )
    assert answer["email"] is None


def test_a_scope_naming_an_unknown_zone_is_refused(
    client: TestClient, admin_account: Account
) -> None:
    answer = _create(client, admin_account, all_zones=False, zone_ids=[404])
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "zone_ids"


def test_administrators_cannot_disable_themselves_or_change_their_own_role(
    client: TestClient, admin_account: Account
) -> None:
    path = f"/api/v1/users/{admin_account.id}"
    for change in [{"is_active": False}, {"role": "staff"}]:
        answer = client.patch(path, json=change, headers=admin_account.headers)
        assert answer.status_code == 409, change


def test_a_reset_password_is_answered_once_and_must_be_changed(
    client: TestClient, admin_account: Account, make_account: MakeAccount
) -> None:
    guard = make_account("security")
    reset = client.post(f"/api/v1/users/{guard.id}/reset-password", headers=admin_account.headers)
    assert reset.status_code == 200
    assert len(reset.json()["password"]) >= 8
    assert client.get("/api/v1/me", headers=guard.headers).status_code == 403
    account = client.get(f"/api/v1/users/{guard.id}", headers=admin_account.headers).json()
    assert account["must_change_password"] is True
    assert reset.json()["password"] not in str(account)
