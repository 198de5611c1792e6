"""The guard room's pages without a browser: notification settings that never show a stored
secret, reports by a teacher, an alert's page with its forms and history, the console."""

from __future__ import annotations

from collections.abc import Callable
from html import unescape

from fastapi.testclient import TestClient

from camwarden.governance.alerts import Severity
from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.installation import Installation
from tests.support.footage import gate_camera
from tests.web.conftest import Account, MakeAccount

LogIn = Callable[[Account], dict[str, str]]
BOT_TOKEN = "123456789:AAH-BiMat-Cua-Bot"


def form(csrf: dict[str, str], **values: str) -> dict[str, str]:
    return {"csrf_token": csrf["X-CSRF-Token"], **values}


def test_notification_settings_show_addresses_redacted_and_keep_them_unless_written_again(
    client: TestClient, make_account: MakeAccount, log_in: LogIn
) -> None:
    csrf = log_in(make_account("security", username="baove"))
    page = client.get("/account/notifications")
    assert "Tài khoản của bạn chưa có địa chỉ e-mail" in page.text
    assert "Cảnh báo khẩn cấp" in page.text and "luôn được gửi" in page.text

    saved = client.post(
        "/account/notifications",
        data=form(
            csrf,
            email_enabled="on",
            min_severity="medium",
            quiet_hours="22:00-06:00",
            new_targets=f"tgram://{BOT_TOKEN}/-1001234\n",
        ),
        follow_redirects=False,
    )
    assert saved.status_code == 303
    page = client.get("/account/notifications")
    assert "<code>tgram://" in page.text and "BiMat" not in page.text
    assert 'value="22:00-06:00"' in page.text

    # Saved again without new addresses: the stored one stays (it was never sent back).
    client.post(
        "/account/notifications",
        data=form(csrf, min_severity="high", quiet_hours=""),
        follow_redirects=False,
    )
    assert "<code>tgram://" in client.get("/account/notifications").text

    refused = client.post(
        "/account/notifications",
        data=form(csrf, min_severity="high", quiet_hours="sau 10 giờ", remove_targets="on"),
    )
    assert refused.status_code == 422
    assert "'sau 10 giờ' không phải là một khoảng giờ dạng 22:00-06:00." in unescape(refused.text)
    assert "<code>tgram://" in client.get("/account/notifications").text

    client.post(
        "/account/notifications",
        data=form(csrf, min_severity="high", remove_targets="on"),
        follow_redirects=False,
    )
    assert "<code>tgram://" not in client.get("/account/notifications").text


def test_a_teacher_reports_a_problem_and_is_told_it_reached_the_guards(
    client: TestClient, installation: Installation, make_account: MakeAccount, log_in: LogIn
) -> None:
    gate_camera(installation)
    csrf = log_in(make_account("staff", username="giaovien"))
    page = client.get("/alerts/new")
    assert page.status_code == 200
    assert "Cổng chính" not in page.text  # a teacher sees no camera, so names none
    empty = client.post("/alerts/new", data=form(csrf, summary="  ", severity="high"))
    assert empty.status_code == 422
    sent = client.post(
        "/alerts/new",
        data=form(csrf, summary="Có người lạ ở cổng sau", severity="high", camera=""),
        follow_redirects=False,
    )
    assert sent.status_code == 303 and sent.headers["location"] == "/alerts/new?sent=1"
    assert "Báo cáo của bạn đã được gửi đến bảo vệ." in client.get("/alerts/new?sent=1").text
    assert client.get("/console").status_code == 403


def test_the_alert_page_offers_taking_then_resolving_and_keeps_the_history(
    client: TestClient, installation: Installation, make_account: MakeAccount, log_in: LogIn
) -> None:
    camera_id = gate_camera(installation)
    with installation.database.transaction() as session:
        alert_id = installation.alerts.raise_condition(
            session,
            kind="video_loss",
            severity=Severity.HIGH,
            summary="",
            camera_id=camera_id,
            zone_id=installation.cameras.get(session, SYSTEM_ACTOR, camera_id).zone_id,
        ).id
    csrf = log_in(make_account("security", username="baove"))
    page = unescape(client.get(f"/alerts/{alert_id}").text)
    assert "Mất tín hiệu" in page
    assert "Cổng chính</a> · Cổng trường" in page
    assert "05/01/2026 08:00" in page  # school time
    assert f"/cameras/{camera_id}/playback?at=2026-01-05T01%3A00%3A00%2B00%3A00" in page
    assert "Tiếp nhận cảnh báo này" in page

    taken = client.post(
        f"/alerts/{alert_id}/acknowledge",
        data=form(csrf, note="Đang ra xem"),
        follow_redirects=False,
    )
    assert taken.status_code == 303
    page = unescape(client.get(f"/alerts/{alert_id}").text)
    assert "Tiếp nhận cảnh báo này" not in page and "Đang ra xem" in page

    no_outcome = client.post(f"/alerts/{alert_id}/resolve", data=form(csrf, outcome=""))
    assert no_outcome.status_code == 422
    client.post(
        f"/alerts/{alert_id}/resolve",
        data=form(csrf, outcome="Dây mạng bị chuột cắn, đã thay", incident_reference="VV-3"),
        follow_redirects=False,
    )
    page = unescape(client.get(f"/alerts/{alert_id}").text)
    assert "Dây mạng bị chuột cắn" in page and "vụ việc VV-3" in page
    for step in ("Phát cảnh báo", "Đã tiếp nhận", "Đã xử lý xong"):
        assert step in page
    resolved = client.get("/alerts?state=resolved").text
    assert f"/alerts/{alert_id}" in resolved


def test_the_console_lists_the_cameras_to_watch_and_opening_it_is_audited(
    client: TestClient, installation: Installation, make_account: MakeAccount, log_in: LogIn
) -> None:
    camera_id = gate_camera(installation)
    log_in(make_account("security", username="baove"))
    page = client.get("/console").text
    assert f'data-camera="{camera_id}"' in page
    assert 'data-stream="/api/v1/alerts/stream"' in page
    assert "Bật âm thanh" in page
    with installation.database.reading() as session:
        _, total = installation.audit.query(session, action="footage.live_grid")
    assert total == 1
