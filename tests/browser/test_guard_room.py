"""The guard room in real Chromium, two people at once: a real camera covered mid-stream is on
the guard's console within 5 s of its event, with sound; the guard takes it; a report nobody
takes climbs to the board's screen and the board's mailbox (a real SMTP server)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from camwarden.storage.models import CameraEvent
from tests.browser._school import (
    BOARD,
    GUARD,
    SHORT_SEGMENTS,
    AnalysedCamera,
    Member,
    analysed_camera,
    reading,
)
from tests.browser.conftest import log_in, new_person, screenshot
from tests.support.mail import Received, SmtpServer, smtp_server  # noqa: F401
from tests.support.rtsp import StartCamera, make_test_video, rtsp_cameras  # noqa: F401

pytestmark = pytest.mark.browser

BOARD_EMAIL = "pho.hieutruong@truong.edu.vn"
EVENT_TO_CONSOLE_S = 5.0


@pytest.fixture
def guard_room(
    tmp_path: Path,
    rtsp_cameras: StartCamera,  # noqa: F811
    smtp_server: SmtpServer,  # noqa: F811
) -> Iterator[AnalysedCamera]:
    """A recording server over one real camera (keyframes 2 s apart), the school's mail server
    pointed at the test SMTP server, and critical alerts escalating in seconds, not minutes."""
    gate = rtsp_cameras("gate", make_test_video(seconds=20))
    members = [
        Member(GUARD, "security", "Đỗ Văn Bảo", "baove@truong.edu.vn"),
        Member(BOARD, "board", "Lê Văn Phó", BOARD_EMAIL),
    ]
    settings = (
        f'{SHORT_SEGMENTS}mail_url = "{smtp_server.mail_url()}"\n\n'
        "[escalation]\n"
        "critical_to_security_lead_minutes = 0.1\n"
        "critical_to_board_minutes = 0.2\n"
    )
    with analysed_camera(tmp_path / "guard-room", gate, members, settings=settings) as room:
        yield room


def covered_event(data_dir: Path) -> CameraEvent | None:
    with reading(data_dir) as session:
        return session.scalars(select(CameraEvent).where(CameraEvent.kind == "covered")).first()


def mail_to(smtp: SmtpServer, address: str, words: str, timeout: float = 30.0) -> Received:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in list(smtp.received):
            if address in message.recipients and words in message.text:
                return message
        time.sleep(0.2)
    raise AssertionError(f"no e-mail to {address} with {words!r}: {smtp.received}")


def test_a_covered_camera_reaches_the_guard_at_once_and_a_report_nobody_takes_climbs_to_the_board(
    guard_room: AnalysedCamera,
    browser: Browser,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    base = guard_room.base
    guard = new_person(browser, 1366, 768)
    board = new_person(browser, 1366, 768)
    try:
        log_in(guard, base, GUARD)
        guard.get_by_role("navigation", name="Menu chính").get_by_role(
            "link", name="Phòng trực"
        ).click()
        expect(guard).to_have_url(re.compile(r"/console$"))
        guard.get_by_role("button", name="Bật âm thanh").click()
        console = guard.locator("#console")
        expect(console).to_have_attribute("data-sound", "on")
        tile = guard.locator(f'.tile-cam[data-camera="{guard_room.camera_id}"]')
        expect(tile).to_have_attribute("data-state", "ok", timeout=15000)
        expect(tile).to_have_attribute("data-condition", "recording")
        expect(guard.locator("#alert-summary")).to_contain_text("Mọi việc yên ổn")

        log_in(board, base, BOARD)
        board.goto(f"{base}/console")
        expect(board.locator("#alert-summary")).to_contain_text("Mọi việc yên ổn")

        # A cloth over the lens once the analysis knows the normal view.
        guard_room.cover_once_learned()
        covered = guard.locator("#alert-list li.alert", has_text="Ống kính bị che")
        expect(covered).to_be_visible(timeout=20000)
        shown_at = datetime.now(UTC)
        event = covered_event(guard_room.data_dir)
        assert event is not None
        assert (shown_at - event.started_at).total_seconds() <= EVENT_TO_CONSOLE_S
        expect(covered).to_have_attribute("data-state", "raised")
        expect(covered).to_contain_text("Cổng chính · Cổng trường")
        expect(covered).to_contain_text("Cao")
        expect(tile).to_have_attribute("data-condition", "tampered")
        expect(tile.locator(".cam-alerts")).to_have_text("1 đang mở")
        expect(guard.locator("#alert-summary")).to_contain_text("1 đang chờ")
        # The tone sounds while the alert waits; Silence holds it until a new alert.
        guard.wait_for_function(
            "() => Number(document.getElementById('console').dataset.beeps) > 0", timeout=6000
        )
        screenshot(guard, "guard-room-console")
        guard.get_by_role("button", name="Tắt chuông").click()
        expect(console).to_have_attribute("data-sound", "silenced")

        covered.get_by_role("button", name="Tiếp nhận", exact=True).click()
        covered.get_by_label("Ghi chú (không bắt buộc)").fill("Đang ra cổng xem")
        covered.get_by_role("button", name="Tiếp nhận cảnh báo này").click()
        expect(covered).to_have_attribute("data-state", "acknowledged", timeout=5000)
        expect(covered).to_contain_text("do baove tiếp nhận")
        expect(guard.locator("#alert-summary")).to_contain_text("0 đang chờ · 1 đang xử lý")

        # A report in one tap from the console; nobody takes it.
        guard.locator(".console-actions").get_by_role("link", name="Báo cáo sự cố").click()
        guard.get_by_label("Chuyện gì xảy ra, ở đâu").fill("Người lạ trèo tường sau nhà đa năng")
        guard.get_by_label("Mức độ").select_option("critical")
        guard.get_by_role("button", name="Gửi báo cáo").click()
        expect(guard).to_have_url(re.compile(r"/alerts/\d+\?notice=created$"))
        guard.get_by_role("link", name="Về màn hình trực").click()
        report = guard.locator("#alert-list li.alert", has_text="Người lạ trèo tường")
        expect(report).to_have_attribute("data-state", "raised")
        # The sound was on before: back on the console, the first tap anywhere brings it back
        # (the browser may even allow it at once), not silenced: a new alert ends the silence.
        guard.locator("#alert-summary").click()
        expect(console).to_have_attribute("data-sound", "on")
        expect(guard.get_by_role("button", name="Bật âm thanh")).to_be_hidden()

        # 12 s later it is the board's: on the board's screen, and in the board's mailbox.
        on_board = board.locator("#alert-list li.alert", has_text="Người lạ trèo tường")
        expect(on_board).to_have_attribute("data-escalation", "2", timeout=40000)
        expect(on_board).to_contain_text("Đã chuyển lên: Ban giám hiệu")
        expect(on_board).to_contain_text("Khẩn cấp")
        # Waiting alerts come first on the board's screen too.
        expect(board.locator("#alert-list li.alert").first).to_contain_text("Người lạ trèo tường")
        screenshot(board, "guard-room-board-escalated")
        mail = mail_to(smtp_server, BOARD_EMAIL, "Người lạ trèo tường")
        assert "Khẩn cấp" in mail.subject
        assert "Chưa ai tiếp nhận cảnh báo này" in mail.text

        # The covered camera's alert page: pictures, playback, history.
        covered.get_by_role("link", name="Mở", exact=True).click()
        expect(guard.locator("h1")).to_contain_text("Ống kính bị che")
        facts = guard.locator(".alert-facts")
        expect(facts).to_contain_text("Đang ra cổng xem")
        expect(facts).to_contain_text(re.compile(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}"))
        guard.get_by_text("Xem ảnh", exact=True).click()
        guard.wait_for_function(
            "() => [...document.querySelectorAll('details.snapshots[open] img')]"
            ".every(i => i.complete && i.naturalWidth > 0)",
            timeout=10000,
        )
        history = guard.locator("section.card", has=guard.get_by_role("heading", name="Lịch sử"))
        expect(history).to_contain_text("Phát cảnh báo")
        expect(history).to_contain_text("Đã tiếp nhận")
        expect(history.locator("code").first).to_contain_text("mailto://")
        playback = guard.get_by_role("link", name="Xem lại video lúc đó")
        expect(playback).to_have_attribute("href", re.compile(r"/cameras/\d+/playback\?at="))
        screenshot(guard, "guard-room-alert-page")
    finally:
        guard.context.close()
        board.context.close()

    phone = new_person(browser, 390, 844, phone=True)
    try:
        log_in(phone, base, GUARD)
        phone.goto(f"{base}/console")
        expect(phone.locator("#alert-list li.alert").first).to_be_visible(timeout=5000)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(phone, "guard-room-console-phone")
    finally:
        phone.context.close()
