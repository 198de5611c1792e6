"""Alerts through the API on SQLite and PostgreSQL: the guard's list, taking and resolving with
their history, reports by hand, who sees what, notification settings, and the console's
server-sent event stream read from a real server."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from camwarden.clock import ManualClock
from camwarden.config import DATABASE_URL_ENV, load_settings
from camwarden.governance.accounts import actor_for
from camwarden.governance.alerts import Severity
from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.governance.camera_conditions import CameraCondition, CameraStatus, camera_statuses
from camwarden.governance.escalation import DEFAULT_POLICY
from camwarden.installation import Installation, open_installation
from camwarden.monitoring.alert_worker import Tick
from camwarden.monitoring.notifier import Notifier
from camwarden.storage.models import CameraEvent
from tests.support.mail import WebhookReceiver, webhook  # noqa: F401
from tests.support.server import free_port
from tests.web.conftest import Account, MakeAccount


@pytest.fixture
def installation(database_url: str, tmp_path: Path, clock: ManualClock) -> Iterator[Installation]:
    """Alerts are read and written on both engines: this module runs on each."""
    opened = open_installation(
        load_settings(tmp_path / "data", {DATABASE_URL_ENV: database_url}), clock=clock
    )
    yield opened
    opened.close()


School = dict[str, int]


@pytest.fixture
def school(installation: Installation) -> School:
    """The gate and the finance room, a camera in each."""
    ids: School = {}
    with installation.database.transaction() as session:
        for key, zone_name, kind, camera_name, address in (
            ("gate", "Cổng trường", "gate", "Cổng chính", "10.0.0.7"),
            ("finance", "Phòng tài vụ", "finance_room", "Két sắt", "10.0.0.8"),
        ):
            zone = installation.zones.create(
                session,
                SYSTEM_ACTOR,
                name=zone_name,
                kind=kind,
                purposes=["security"],
                responsible_unit="Tổ bảo vệ",
            )
            camera = installation.cameras.create(
                session,
                SYSTEM_ACTOR,
                name=camera_name,
                zone_id=zone.id,
                main_url=f"rtsp://{address}/1",
            )
            installation.cameras.set_state(
                session, SYSTEM_ACTOR, camera.id, "in_service", reason="thử"
            )
            ids[f"{key}_zone"], ids[key] = zone.id, camera.id
    return ids


def camera_event(installation: Installation, camera_id: int, kind: str = "covered") -> int:
    """A camera event as the recorder writes it, and the alert the worker makes of it."""
    with installation.database.transaction() as session:
        event = CameraEvent(
            camera_id=camera_id,
            kind=kind,
            started_at=installation.clock.now(),
            details="score 0.93",
        )
        session.add(event)
        session.flush()
        alert = installation.alerts.raise_for_event(session, event)
        assert alert is not None
        return alert.id


def disk_forecast(installation: Installation) -> int:
    """A condition the system finds by itself, for the whole school."""
    with installation.database.transaction() as session:
        return installation.alerts.raise_condition(
            session, kind="disk_forecast", severity=Severity.MEDIUM, summary="Còn 9 ngày"
        ).id


@pytest.fixture
def guard(make_account: MakeAccount) -> Account:
    return make_account("security", username="baove")


def test_the_guard_sees_waiting_alerts_first_and_takes_one_with_a_note(
    client: TestClient,
    installation: Installation,
    school: School,
    guard: Account,
    make_account: MakeAccount,
) -> None:
    taken_earlier = disk_forecast(installation)
    it = make_account("it", username="cntt")
    answer = client.post(f"/api/v1/alerts/{taken_earlier}/acknowledge", json={}, headers=it.headers)
    assert answer.status_code == 200, answer.text
    covered = camera_event(installation, school["gate"])
    lost = camera_event(installation, school["finance"], "video_loss")

    listed = client.get("/api/v1/alerts", headers=guard.headers)
    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert [a["id"] for a in items][-1] == taken_earlier
    assert {a["id"] for a in items[:2]} == {covered, lost}
    first = next(a for a in items if a["id"] == covered)
    assert first["kind_label"] == "Ống kính bị che"
    assert first["severity_label"] == "Cao"
    assert first["state_label"] == "Đang chờ người tiếp nhận"
    assert first["camera_name"] == "Cổng chính" and first["zone_name"] == "Cổng trường"
    assert first["raised_at_local"] == "05/01/2026 08:00"  # 01:00 UTC in school time

    taken = client.post(
        f"/api/v1/alerts/{covered}/acknowledge",
        json={"note": "Đang ra cổng xem"},
        headers=guard.headers,
    )
    assert taken.status_code == 200, taken.text
    assert taken.json()["state"] == "acknowledged"
    assert taken.json()["acknowledged_by"] == "baove"

    detail = client.get(f"/api/v1/alerts/{covered}", headers=guard.headers).json()
    assert [entry["action"] for entry in detail["history"]] == ["alert.raise", "alert.acknowledge"]
    assert detail["history"][1]["actor"] == "baove"
    assert detail["history"][1]["details"] == {"note": "Đang ra cổng xem"}
    waiting = client.get("/api/v1/alerts?state=raised", headers=guard.headers).json()["items"]
    assert [a["id"] for a in waiting] == [lost]


def test_taking_an_alert_already_taken_is_refused_in_vietnamese_and_changes_nothing(
    client: TestClient,
    installation: Installation,
    school: School,
    guard: Account,
    make_account: MakeAccount,
) -> None:
    alert_id = camera_event(installation, school["gate"])
    other = make_account("security", username="baove2")
    first = client.post(f"/api/v1/alerts/{alert_id}/acknowledge", json={}, headers=guard.headers)
    assert first.status_code == 200
    second = client.post(
        f"/api/v1/alerts/{alert_id}/acknowledge", json={"note": "tôi"}, headers=other.headers
    )
    assert second.status_code == 409
    assert second.json()["error"]["message"] == "Cảnh báo 1 đã được baove tiếp nhận."
    detail = client.get(f"/api/v1/alerts/{alert_id}", headers=guard.headers).json()
    assert detail["acknowledged_by"] == "baove" and detail["acknowledgement_note"] == ""


def test_resolving_needs_an_outcome_and_the_resolved_alert_leaves_the_open_list(
    client: TestClient, installation: Installation, school: School, guard: Account
) -> None:
    alert_id = camera_event(installation, school["gate"])
    empty = client.post(
        f"/api/v1/alerts/{alert_id}/resolve", json={"outcome": "   "}, headers=guard.headers
    )
    assert empty.status_code == 422
    assert "Kết quả" in empty.json()["error"]["message"]
    assert client.get(f"/api/v1/alerts/{alert_id}", headers=guard.headers).json()["state"] == (
        "raised"
    )
    resolved = client.post(
        f"/api/v1/alerts/{alert_id}/resolve",
        json={"outcome": "Học sinh treo áo lên camera, đã gỡ", "incident_reference": "VV-014"},
        headers=guard.headers,
    )
    assert resolved.status_code == 200, resolved.text
    body = resolved.json()
    assert (body["state"], body["incident_reference"]) == ("resolved", "VV-014")
    # Resolving an alert nobody had taken takes it too.
    assert body["acknowledged_by"] == "baove"
    assert client.get("/api/v1/alerts", headers=guard.headers).json()["items"] == []
    recent = client.get("/api/v1/alerts?state=resolved", headers=guard.headers).json()["items"]
    assert [a["id"] for a in recent] == [alert_id]
    again = client.post(
        f"/api/v1/alerts/{alert_id}/resolve", json={"outcome": "lại"}, headers=guard.headers
    )
    assert again.status_code == 409


def test_a_guard_of_one_zone_neither_sees_nor_takes_another_zones_alerts(
    client: TestClient, installation: Installation, school: School, make_account: MakeAccount
) -> None:
    gate_guard = make_account("security", all_zones=False, zone_ids=[school["gate_zone"]])
    finance = camera_event(installation, school["finance"])
    gate = camera_event(installation, school["gate"])
    items = client.get("/api/v1/alerts", headers=gate_guard.headers).json()["items"]
    assert [a["id"] for a in items] == [gate]
    for method, path in (
        ("GET", f"/api/v1/alerts/{finance}"),
        ("POST", f"/api/v1/alerts/{finance}/acknowledge"),
    ):
        answer = client.request(method, path, json={}, headers=gate_guard.headers)
        assert answer.status_code == 404
        assert answer.json()["error"]["message"] == f"Không có cảnh báo {finance}."


def test_an_alert_nobody_takes_reaches_a_zone_scoped_head_of_security_when_escalated(
    client: TestClient,
    installation: Installation,
    school: School,
    make_account: MakeAccount,
    clock: ManualClock,
) -> None:
    lead = make_account("security_lead", all_zones=False, zone_ids=[school["gate_zone"]])
    finance = camera_event(installation, school["finance"])
    assert client.get("/api/v1/alerts", headers=lead.headers).json()["items"] == []
    clock.advance(5 * 60)  # a high alert's limit before the head of security
    with installation.database.transaction() as session:
        (moved,) = installation.escalator.escalate_due(session, DEFAULT_POLICY)
    assert moved.alert.id == finance
    (item,) = client.get("/api/v1/alerts", headers=lead.headers).json()["items"]
    assert (item["id"], item["escalation_level"]) == (finance, 1)
    assert item["escalation_label"] == "Tổ trưởng bảo vệ"
    detail = client.get(f"/api/v1/alerts/{finance}", headers=lead.headers).json()
    assert [e["action"] for e in detail["history"]] == ["alert.raise", "alert.escalate"]


def test_a_teacher_reports_a_problem_that_the_guards_see_but_cannot_list_alerts_herself(
    client: TestClient, school: School, guard: Account, make_account: MakeAccount
) -> None:
    teacher = make_account("staff", username="giaovien")
    sent = client.post(
        "/api/v1/alerts",
        json={"summary": "Người lạ đứng ở cổng sau", "severity": "high"},
        headers=teacher.headers,
    )
    assert sent.status_code == 201, sent.text
    alert = sent.json()
    assert (alert["kind"], alert["severity"], alert["raised_by"]) == (
        "guard_report",
        "high",
        "giaovien",
    )
    assert client.get("/api/v1/alerts", headers=teacher.headers).status_code == 403
    assert client.get(f"/api/v1/alerts/{alert['id']}", headers=teacher.headers).status_code == 404
    (seen,) = client.get("/api/v1/alerts", headers=guard.headers).json()["items"]
    assert seen["summary"] == "Người lạ đứng ở cổng sau"
    assert client.get("/api/v1/alerts/stream", headers=teacher.headers).status_code == 403


def test_a_report_is_refused_for_a_camera_out_of_sight_or_a_severity_that_does_not_exist(
    client: TestClient, school: School, guard: Account, make_account: MakeAccount
) -> None:
    gate_guard = make_account("security", all_zones=False, zone_ids=[school["gate_zone"]])
    hidden = client.post(
        "/api/v1/alerts",
        json={"summary": "Camera bị lệch", "camera_id": school["finance"]},
        headers=gate_guard.headers,
    )
    assert hidden.status_code == 404
    assert hidden.json()["error"]["message"] == f"Camera {school['finance']} không tồn tại."
    wrong = client.post(
        "/api/v1/alerts",
        json={"summary": "Camera bị lệch", "severity": "urgent"},
        headers=gate_guard.headers,
    )
    assert wrong.status_code == 422
    assert wrong.json()["error"]["field"] == "severity"
    assert client.get("/api/v1/alerts", headers=guard.headers).json()["items"] == []


def test_the_history_lists_the_messages_sent_with_their_addresses_redacted(
    client: TestClient,
    installation: Installation,
    school: School,
    guard: Account,
    webhook: WebhookReceiver,  # noqa: F811
) -> None:
    secret_hook = webhook.url.replace("json://", "json://hook:S3cret-Token@")
    saved = client.put(
        "/api/v1/me/notifications",
        json={"email_enabled": False, "extra_targets": [secret_hook], "min_severity": "high"},
        headers=guard.headers,
    )
    assert saved.status_code == 200, saved.text
    alert_id = camera_event(installation, school["gate"], "video_loss")
    notifier = Notifier(installation)
    notifier.start()
    try:
        notifier.on_tick(Tick(raised=[alert_id]))
        assert notifier.wait_until_sent(20)
    finally:
        notifier.stop()
    assert len(webhook.bodies) == 1
    (sent,) = client.get(f"/api/v1/alerts/{alert_id}", headers=guard.headers).json()[
        "notifications"
    ]
    assert sent["ok"] is True and sent["reason"] == "raised"
    assert sent["person"] == "Người dùng baove"
    assert sent["target"].startswith("json://") and "S3cret-Token" not in sent["target"]


def test_notification_addresses_are_shown_redacted_and_kept_until_written_out_again(
    client: TestClient, guard: Account
) -> None:
    token = "123456789:AAH-BiMat-Cua-Bot"
    first = client.put(
        "/api/v1/me/notifications",
        json={
            "email_enabled": True,
            "extra_targets": [f"tgram://{token}/-1001234"],
            "min_severity": "medium",
            "quiet_hours": "22:00 - 06:00",
        },
        headers=guard.headers,
    )
    assert first.status_code == 200, first.text
    shown = client.get("/api/v1/me/notifications", headers=guard.headers).json()
    assert shown["quiet_hours"] == "22:00-06:00" and shown["min_severity"] == "medium"
    assert shown["email"] is None  # the account has no address
    (target,) = shown["extra_targets"]
    assert target.startswith("tgram://") and "BiMat" not in json.dumps(shown)

    # Left out, the stored addresses stay; a bad value changes nothing at all.
    kept = client.put(
        "/api/v1/me/notifications", json={"min_severity": "critical"}, headers=guard.headers
    )
    assert kept.json()["extra_targets"] == [target]
    refused = client.put(
        "/api/v1/me/notifications",
        json={"extra_targets": [], "quiet_hours": "22h-6h"},
        headers=guard.headers,
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["message"] == (
        "'22h-6h' không phải là một khoảng giờ dạng 22:00-06:00."
    )
    assert client.get("/api/v1/me/notifications", headers=guard.headers).json()[
        "extra_targets"
    ] == [target]
    removed = client.put(
        "/api/v1/me/notifications", json={"extra_targets": []}, headers=guard.headers
    )
    assert removed.json()["extra_targets"] == []


@pytest.fixture
def served(app: FastAPI) -> Iterator[str]:
    """The app behind a real HTTP server in this process, for the never-ending stream."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def _next_state(lines: Iterator[str]) -> dict[str, object]:
    """The data of the next `alerts` event; comments and the retry line are skipped."""
    event = ""
    for line in lines:
        if line.startswith("event: "):
            event = line[7:]
        elif line.startswith("data: ") and event == "alerts":
            state: dict[str, object] = json.loads(line[6:])
            return state
    raise AssertionError("the stream ended")


def test_the_stream_sends_the_open_alerts_at_once_and_again_when_an_alert_is_raised(
    served: str, installation: Installation, school: School, guard: Account
) -> None:
    first = camera_event(installation, school["gate"])
    with httpx.stream(
        "GET", f"{served}/api/v1/alerts/stream", headers=guard.headers, timeout=10
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = response.iter_lines()
        state = _next_state(lines)
        assert [a["id"] for a in state["alerts"]] == [first]  # type: ignore[union-attr]
        assert state["cameras"] == {
            str(school["gate"]): {
                "condition": "tampered",  # its covered event is still open
                "condition_label": "Bị phá hoại",
                "open_alerts": 1,
            },
            str(school["finance"]): {
                "condition": "recording",
                "condition_label": "Đang ghi hình",
                "open_alerts": 0,
            },
        }

        second = camera_event(installation, school["finance"], "video_loss")
        state = _next_state(lines)
        assert {a["id"] for a in state["alerts"]} == {first, second}  # type: ignore[union-attr]
        finance = state["cameras"][str(school["finance"])]  # type: ignore[index]
        assert finance == {
            "condition": "video_loss",
            "condition_label": "Mất tín hiệu",
            "open_alerts": 1,
        }
        assert state["alerts"][0]["severity_label"] == "Cao"  # type: ignore[index]


def test_the_console_states_that_a_covered_camera_is_tampered_until_its_event_ends(
    installation: Installation, school: School, guard: Account
) -> None:
    camera_event(installation, school["gate"])
    with installation.database.reading() as session:
        user = installation.accounts.by_username(session, guard.username)
        assert user is not None
        watcher = actor_for(user)

    def gate_status() -> CameraStatus:
        with installation.database.reading() as session:
            cameras = installation.cameras.list(session, watcher)
            return camera_statuses(session, installation.alerts, watcher, cameras)[school["gate"]]

    assert gate_status() == CameraStatus(CameraCondition.TAMPERED, open_alerts=1)
    with installation.database.transaction() as session:
        session.scalars(select(CameraEvent)).one().ended_at = datetime.now(UTC)
    # The view is back; the alert stays open until a person resolves it.
    assert gate_status() == CameraStatus(CameraCondition.RECORDING, open_alerts=1)
