"""GET /api/v1/me and PUT /api/v1/me/password."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from camwarden.installation import Installation
from tests.web.conftest import PASSWORD, Account, MakeAccount

NEW_PASSWORD = "Doi-mat-khau-9!"


def test_me_names_the_caller_with_role_permissions_and_zone_scope(
    client: TestClient, make_account: MakeAccount, installation: Installation
) -> None:
    guard = make_account("security", username="baove", all_zones=False)
    answer = client.get("/api/v1/me", headers=guard.headers)
    assert answer.status_code == 200
    assert answer.json() == {
        "id": guard.id,
        "username": "baove",
        "full_name": "Người dùng baove",
        "role": "security",
        "permissions": [
            "file_complaint",
            "handle_alerts",
            "play_back",
            "report_problems",
            "request_footage",
            "view_cameras",
            "watch_live",
        ],
        "all_zones": False,
        "zone_ids": [],
    }


def test_a_request_without_credentials_is_refused(client: TestClient) -> None:
    answer = client.get("/api/v1/me")
    assert answer.status_code == 401
    assert answer.json()["error"]["kind"] == "NotAuthenticated"


@pytest.mark.parametrize("token", ["cw_not-a-real-token", "not even the prefix", ""])
def test_an_unknown_token_is_refused(client: TestClient, token: str) -> None:
    answer = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401


def test_a_disabled_account_cannot_use_its_token(
    client: TestClient, make_account: MakeAccount, admin_account: Account
) -> None:
    guard = make_account("security")
    disabled = client.patch(
        f"/api/v1/users/{guard.id}", json={"is_active": False}, headers=admin_account.headers
    )
    assert disabled.status_code == 200
    assert client.get("/api/v1/me", headers=guard.headers).status_code == 401


def test_changing_ones_password_needs_the_current_one(
    client: TestClient, make_account: MakeAccount
) -> None:
    guard = make_account("security")
    answer = client.put(
        "/api/v1/me/password",
        json={"current_password": "Sai-mat-khau-1!", "new_password": NEW_PASSWORD},
        headers=guard.headers,
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "current_password"


def test_a_weak_new_password_is_refused_with_the_reason(
    client: TestClient, make_account: MakeAccount
) -> None:
    guard = make_account("security")
    answer = client.put(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "short"},
        headers={**guard.headers, "Accept-Language": "en"},
    )
    assert answer.status_code == 422
    assert answer.json()["error"] == {
        "kind": "InvalidInput",
        "message": "The password must have at least 8 characters.",
        "field": "password",
    }


def test_an_account_that_must_change_its_password_is_refused_everything_else(
    client: TestClient, make_account: MakeAccount
) -> None:
    newcomer = make_account("admin", must_change_password=True)
    for method, path in [
        ("GET", "/api/v1/me"),
        ("GET", "/api/v1/users"),
        ("GET", "/api/v1/cameras"),
        ("GET", "/api/v1/audit"),
        ("POST", "/api/v1/tokens"),
        ("DELETE", "/api/v1/zones/1"),
    ]:
        answer = client.request(method, path, headers=newcomer.headers, json={"name": "x"})
        assert answer.status_code == 403, (method, path)
        assert answer.json()["error"]["kind"] == "PasswordChangeRequired"


def test_changing_the_password_lifts_the_forced_change(
    client: TestClient, make_account: MakeAccount
) -> None:
    newcomer = make_account("admin", must_change_password=True)
    changed = client.put(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=newcomer.headers,
    )
    assert changed.status_code == 204
    assert changed.content == b""
    assert client.get("/api/v1/me", headers=newcomer.headers).status_code == 200


def test_changing_the_password_closes_the_other_web_sessions(
    client: TestClient,
    make_account: MakeAccount,
    installation: Installation,
    log_in: Callable[[Account], dict[str, str]],
) -> None:
    guard = make_account("security")
    with installation.database.transaction() as session:
        elsewhere = installation.authentication.login(
            session, guard.username, PASSWORD, ip="192.0.2.99"
        )
    assert elsewhere is not None
    csrf = log_in(guard)
    changed = client.put(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=csrf,
    )
    assert changed.status_code == 204
    with installation.database.reading() as session:
        auth = installation.authentication
        assert auth.resolve_session(session, elsewhere.session_token) is None
    assert client.get("/api/v1/me").status_code == 200
