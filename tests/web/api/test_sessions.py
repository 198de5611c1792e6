"""The API from the web UI: a session cookie, and the X-CSRF-Token header on every write."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD, Account, MakeAccount

LogIn = Callable[[Account], dict[str, str]]

ZONE = {"name": "Sân trường", "kind": "yard", "purposes": ["security"], "responsible_unit": "Tổ"}


def test_a_session_reads_without_the_csrf_header(
    client: TestClient, admin_account: Account, log_in: LogIn
) -> None:
    log_in(admin_account)
    answer = client.get("/api/v1/me")
    assert answer.status_code == 200
    assert answer.json()["username"] == admin_account.username


@pytest.mark.parametrize("csrf", [None, "", "not-the-token"])
def test_a_session_write_without_the_right_csrf_header_is_refused(
    client: TestClient, admin_account: Account, log_in: LogIn, csrf: str | None
) -> None:
    log_in(admin_account)
    headers = {} if csrf is None else {"X-CSRF-Token": csrf}
    created = client.post("/api/v1/zones", json=ZONE, headers=headers)
    assert created.status_code == 401
    assert created.json()["error"]["kind"] == "NotAuthenticated"
    assert client.get("/api/v1/zones").json() == []


def test_every_kind_of_session_write_needs_the_csrf_header(
    client: TestClient, admin_account: Account, log_in: LogIn
) -> None:
    csrf = log_in(admin_account)
    zone_id = client.post("/api/v1/zones", json=ZONE, headers=csrf).json()["id"]
    for method, path, body in [
        ("PATCH", f"/api/v1/zones/{zone_id}", {"description": "Phía trước"}),
        ("DELETE", f"/api/v1/zones/{zone_id}", None),
        (
            "PUT",
            "/api/v1/me/password",
            {"current_password": PASSWORD, "new_password": "Mat-khau-moi-1!"},
        ),
    ]:
        assert client.request(method, path, json=body).status_code == 401, (method, path)


def test_a_session_write_with_the_csrf_header_is_allowed(
    client: TestClient, admin_account: Account, log_in: LogIn
) -> None:
    csrf = log_in(admin_account)
    created = client.post("/api/v1/zones", json=ZONE, headers=csrf)
    assert created.status_code == 201
    zone_id = created.json()["id"]
    patched = client.patch(f"/api/v1/zones/{zone_id}", json={"description": "Giữa"}, headers=csrf)
    assert patched.status_code == 200
    assert client.delete(f"/api/v1/zones/{zone_id}", headers=csrf).status_code == 204


def test_a_bearer_token_needs_no_csrf_header(client: TestClient, admin_account: Account) -> None:
    assert client.post("/api/v1/zones", json=ZONE, headers=admin_account.headers).status_code == 201


def test_an_unknown_session_cookie_is_refused(client: TestClient) -> None:
    client.cookies.set("cw_session", "forged")
    assert client.get("/api/v1/me").status_code == 401


def test_a_session_that_must_change_its_password_may_only_do_that(
    client: TestClient, make_account: MakeAccount, log_in: LogIn
) -> None:
    newcomer = make_account("staff", must_change_password=True)
    csrf = log_in(newcomer)
    assert client.get("/api/v1/me").status_code == 403
    change = {"current_password": PASSWORD, "new_password": "Mat-khau-moi-1!"}
    assert client.put("/api/v1/me/password", json=change).status_code == 401
    assert client.put("/api/v1/me/password", json=change, headers=csrf).status_code == 204
    assert client.get("/api/v1/me").status_code == 200
