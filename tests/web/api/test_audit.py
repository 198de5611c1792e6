"""The audit log through /api/v1/audit: reading it, filtered and paged, and verifying it."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import text

from camwarden.clock import ManualClock
from camwarden.installation import Installation
from tests.web.conftest import Account, MakeAccount


def _zone(client: TestClient, caller: Account, name: str) -> None:
    body = {"name": name, "kind": "gate", "purposes": ["security"], "responsible_unit": "Tổ"}
    assert client.post("/api/v1/zones", json=body, headers=caller.headers).status_code == 201


def test_the_log_lists_changes_newest_first(client: TestClient, admin_account: Account) -> None:
    _zone(client, admin_account, "Cổng trường")
    page = client.get("/api/v1/audit", headers=admin_account.headers)
    assert page.status_code == 200
    body = page.json()
    # The account and its token were made by the fixture, then the zone.
    assert (body["total"], body["limit"], body["offset"]) == (3, 100, 0)
    newest = body["items"][0]
    assert newest["action"] == "zone.create"
    assert newest["actor"] == "quantri"
    assert newest["actor_user_id"] == admin_account.id
    assert newest["at"] == "2026-01-05T01:00:00Z"
    assert newest["details"]["name"] == "Cổng trường"
    assert newest["prev_hash"] == body["items"][1]["entry_hash"]
    assert [item["action"] for item in body["items"]] == [
        "zone.create",
        "token.create",
        "user.create",
    ]
    assert [item["seq"] for item in body["items"]] == [3, 2, 1]


def test_the_log_is_filtered_by_actor_action_and_time(
    client: TestClient, admin_account: Account, make_account: MakeAccount, clock: ManualClock
) -> None:
    principal = make_account("principal", username="hieutruong")
    clock.advance(3600)  # 02:00 UTC, 09:00 in Hà Nội
    _zone(client, principal, "Sân trường")
    _zone(client, admin_account, "Cổng trường")
    headers = admin_account.headers

    def actions(query: str) -> list[str]:
        answer = client.get(f"/api/v1/audit?{query}", headers=headers)
        assert answer.status_code == 200, answer.text
        return [item["action"] + "/" + item["actor"] for item in answer.json()["items"]]

    assert actions("actor=hieutruong") == ["zone.create/hieutruong", "token.create/hieutruong"]
    assert actions("action=zone.") == ["zone.create/quantri", "zone.create/hieutruong"]
    assert actions("action=zone.&limit=1&offset=1") == ["zone.create/hieutruong"]
    since = "2026-01-05T09:00:00%2B07:00"
    assert len(actions(f"since={since}")) == 2
    assert actions(f"until={since}&action=zone") == []
    assert client.get("/api/v1/audit?action=zone.&limit=1", headers=headers).json()["total"] == 2


def test_a_time_without_its_zone_or_a_page_too_large_is_refused(
    client: TestClient, admin_account: Account
) -> None:
    for query, field in [
        ("since=2026-01-05T09:00:00", "since"),
        ("until=yesterday", "until"),
        ("since=9999-12-31T23:59:59-14:00", "since"),
        ("limit=501", "limit"),
        ("limit=0", "limit"),
        ("offset=-1", "offset"),
    ]:
        answer = client.get(f"/api/v1/audit?{query}", headers=admin_account.headers)
        assert answer.status_code == 422, query
        assert answer.json()["error"]["field"] == field, query


def test_reading_the_log_needs_the_read_audit_permission(
    client: TestClient, make_account: MakeAccount
) -> None:
    guard = make_account("security")
    for path in ["/api/v1/audit", "/api/v1/audit/verify"]:
        answer = client.get(path, headers=guard.headers)
        assert answer.status_code == 403, path
        assert "read_audit" in answer.json()["error"]["message"]


def test_verify_reports_an_intact_chain_and_its_head(
    client: TestClient, admin_account: Account
) -> None:
    _zone(client, admin_account, "Cổng trường")
    newest = client.get("/api/v1/audit?limit=1", headers=admin_account.headers).json()["items"][0]
    report = client.get("/api/v1/audit/verify", headers=admin_account.headers)
    assert report.status_code == 200
    assert report.json() == {
        "ok": True,
        "entries": 3,
        "head_hash": newest["entry_hash"],
        "problem": "",
        "bad_seq": None,
    }


def test_verify_finds_an_entry_changed_behind_the_databases_back(
    client: TestClient, admin_account: Account, installation: Installation
) -> None:
    _zone(client, admin_account, "Cổng trường")
    with installation.database.engine.begin() as connection:
        connection.execute(text("DROP TRIGGER audit_log_refuse_update"))
        connection.execute(text("UPDATE audit_log SET actor = 'someone' WHERE seq = 2"))
    report = client.get("/api/v1/audit/verify", headers=admin_account.headers).json()
    assert (report["ok"], report["bad_seq"], report["entries"]) == (False, 2, 1)
    assert "changed" in report["problem"]
