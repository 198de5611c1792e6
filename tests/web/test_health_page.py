"""The /health page (R-8.1): cameras with their state, the recordings disk in plain words,
then the health events; measured from a real recorder when the server records."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from html import unescape
from pathlib import Path

from fastapi.testclient import TestClient

from camwarden.capture.live import LiveHub
from camwarden.capture.service import CameraSource, RecordingService
from camwarden.clock import SystemClock
from camwarden.installation import Installation
from camwarden.web import create_app
from camwarden.web.security import SESSION_COOKIE
from tests.support.footage import record_history, school_cameras
from tests.support.rtsp import StartCamera, rtsp_cameras  # noqa: F401
from tests.web.conftest import Account, MakeAccount

LogIn = Callable[[Account], dict[str, str]]


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_page_shows_each_camera_the_disk_forecast_and_the_events(
    client: TestClient, make_account: MakeAccount, log_in: LogIn, installation: Installation
) -> None:
    cameras = school_cameras(installation, retention_days=30)
    record_history(installation, cameras.gate, minutes=60, bytes_per_minute=15_000_000)
    installation.recordings.open_event(cameras.finance, "video_loss", installation.clock.now())
    log_in(make_account("it"))
    page = client.get("/health")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Máy chủ này không ghi hình" in text, "the figures say where they come from"
    gate_row = text[text.index("Cổng chính") : text.index("Két sắt")]
    assert "Đang kết nối" in gate_row and "Đang ghi hình" in gate_row
    assert "0 giây trước" in gate_row
    assert "15.0 khung hình/giây" in gate_row and "2.00 Mbit/giây" in gate_row
    assert "Ổ đĩa ghi hình" in text
    # 15 MB a minute for an hour, scaled to a day: 21.6 GB, shown whole from 10 GB up.
    assert "(22 GB/ngày)" in text
    assert "thời hạn lưu trữ dài nhất của một camera là 30 ngày (cần 648 GB)" in text
    assert '<meter id="disk-used"' in page.text
    finance_row = text[text.index("Két sắt") : text.index("Ổ đĩa ghi hình")]
    assert "Mất kết nối" in finance_row and "Mất tín hiệu" in finance_row
    assert "chưa có" in finance_row, "never recorded: no keyframe yet"
    events = text[text.index("Các sự cố đã ghi nhận") :]
    assert "Két sắt" in events and "vẫn đang diễn ra" in events


def test_a_guard_of_one_zone_sees_only_its_cameras(
    client: TestClient, make_account: MakeAccount, log_in: LogIn, installation: Installation
) -> None:
    cameras = school_cameras(installation)
    log_in(make_account("security", all_zones=False, zone_ids=[cameras.gate_zone]))
    text = text_of(client.get("/health").text)
    assert "Cổng chính" in text and "Két sắt" not in text


def test_a_recording_server_shows_what_its_recorder_measures(
    rtsp_cameras: StartCamera,  # noqa: F811
    make_account: MakeAccount,
    installation: Installation,
    tmp_path: Path,
) -> None:
    cameras = school_cameras(installation)
    gate = rtsp_cameras("gate")
    service = RecordingService(
        recordings_dir=installation.settings.recordings_dir,
        index=installation.recordings,
        clock=SystemClock(),
        segment_seconds=4,
        live=LiveHub(),
    )
    try:
        service.sync([CameraSource(camera_id=cameras.gate, url=gate.url)])
        app = create_app(installation, live=service.live, recording=service)
        with TestClient(app) as client:
            it = make_account("it")
            headers = it.headers
            deadline = time.monotonic() + 30
            body = client.get("/api/v1/health", headers=headers).json()
            while time.monotonic() < deadline and not _measured(body, cameras.gate):
                time.sleep(0.2)
                body = client.get("/api/v1/health", headers=headers).json()
            assert body["measured"] is True
            measured = _gate(body, cameras.gate)
            assert measured["online"] and measured["measured"]
            assert measured["fps"] is not None and measured["last_keyframe_at"] is not None
            # Its tamper analysis runs beside the recorder, learning for its first 20 s.
            assert measured["analysis"] in ("learning", "watching")
            assert measured["skipped_packets"] == 0
            finance = _gate(body, cameras.finance)
            assert not finance["online"] and finance["measured"], "not recorded here at all"
            assert finance["analysis"] is None

            with installation.database.transaction() as session:
                logged_in = installation.authentication.login(
                    session, it.username, it.password, ip="192.0.2.20"
                )
            assert logged_in is not None
            client.cookies.set(SESSION_COOKIE, logged_in.session_token)
            page = text_of(client.get("/health").text)
            gate_row = page[page.index("Cổng chính") : page.index("Két sắt")]
            assert (
                "Đang học khung cảnh bình thường" in gate_row
                or "Đang giám sát phá hoại" in gate_row
            )
            camera_page = text_of(client.get(f"/cameras/{cameras.gate}").text)
            assert "Phân tích phá hoại" in camera_page
            assert (
                "Đang học khung cảnh bình thường" in camera_page
                or "Đang giám sát phá hoại" in camera_page
            )
            # Not recorded here: its page has no analysis to show.
            finance_page = text_of(client.get(f"/cameras/{cameras.finance}").text)
            assert "Đang giám sát phá hoại" not in finance_page
            assert "Đang học khung cảnh bình thường" not in finance_page
    finally:
        service.stop()


def _measured(body: dict[str, object], camera_id: int) -> bool:
    row = _gate(body, camera_id)
    return row["fps"] is not None and row["last_keyframe_at"] is not None


def _gate(body: dict[str, object], camera_id: int) -> dict[str, object]:
    rows = body["cameras"]
    assert isinstance(rows, list)
    return next(row for row in rows if row["id"] == camera_id)
