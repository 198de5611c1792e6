"""The caller's own API tokens through /api/v1/tokens."""

from __future__ import annotations

from fastapi.testclient import TestClient

from camwarden.clock import ManualClock
from tests.web.conftest import Account, MakeAccount


def test_a_new_token_is_answered_once_and_acts_as_its_owner(
    client: TestClient, make_account: MakeAccount
) -> None:
    guard = make_account("security", username="baove")
    created = client.post("/api/v1/tokens", json={"name": "sao lưu"}, headers=guard.headers)
    assert created.status_code == 201
    token = created.json()
    assert token["name"] == "sao lưu"
    assert token["token"].startswith("cw_")
    assert token["created_at"] == "2026-01-05T01:00:00Z"
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token['token']}"})
    assert me.json()["username"] == "baove"
    listed = client.get("/api/v1/tokens", headers=guard.headers).text
    assert token["token"] not in listed


def test_the_list_shows_only_the_callers_own_tokens_oldest_first(
    client: TestClient, make_account: MakeAccount, admin_account: Account, clock: ManualClock
) -> None:
    guard = make_account("security")
    clock.advance(60)
    client.post("/api/v1/tokens", json={"name": "camera script"}, headers=guard.headers)
    mine = client.get("/api/v1/tokens", headers=admin_account.headers).json()
    assert [t["name"] for t in mine] == ["tests"]
    theirs = client.get("/api/v1/tokens", headers=guard.headers).json()
    assert [t["name"] for t in theirs] == ["tests", "camera script"]
    assert set(theirs[0]) == {"id", "name", "created_at"}


def test_a_revoked_token_stops_working_at_once(
    client: TestClient, make_account: MakeAccount
) -> None:
    guard = make_account("security")
    token_id = client.get("/api/v1/tokens", headers=guard.headers).json()[0]["id"]
    revoked = client.delete(f"/api/v1/tokens/{token_id}", headers=guard.headers)
    assert revoked.status_code == 204
    assert client.get("/api/v1/me", headers=guard.headers).status_code == 401


def test_another_persons_token_cannot_be_revoked(
    client: TestClient, make_account: MakeAccount, admin_account: Account
) -> None:
    guard = make_account("security")
    token_id = client.get("/api/v1/tokens", headers=guard.headers).json()[0]["id"]
    answer = client.delete(f"/api/v1/tokens/{token_id}", headers=admin_account.headers)
    assert answer.status_code == 404
    assert client.get("/api/v1/me", headers=guard.headers).status_code == 200


def test_a_second_token_with_the_same_name_is_a_conflict(
    client: TestClient, admin_account: Account
) -> None:
    answer = client.post("/api/v1/tokens", json={"name": "tests"}, headers=admin_account.headers)
    assert answer.status_code == 409


def test_a_token_needs_a_name(client: TestClient, admin_account: Account) -> None:
    for body in [{}, {"name": ""}, {"name": "   "}, {"name": "x" * 101}]:
        answer = client.post("/api/v1/tokens", json=body, headers=admin_account.headers)
        assert answer.status_code == 422, body
        assert answer.json()["error"]["field"] == "name"
