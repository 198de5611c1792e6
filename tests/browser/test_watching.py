"""Watching in real Chromium: the live grid, live video, playback with its timeline."""

from __future__ import annotations

import re
import time
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from camwarden.evidence.verify import verify_package
from camwarden.i18n import SCHOOL_TIMEZONE
from tests.browser._school import (
    GUARD,
    PRINCIPAL,
    Member,
    create_school,
    running_server,
    simulated_camera,
)
from tests.browser.conftest import log_in, screenshot, wait_until_playing

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def recording_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A real server recording one real RTSP camera (4 s segments); (base URL, camera id)."""
    members = [
        Member(GUARD, "security", GUARD[0].title()),
        Member(PRINCIPAL, "principal", PRINCIPAL[0].title()),
    ]
    data_dir = tmp_path_factory.mktemp("watching")
    with simulated_camera("/gate") as camera:
        camera_id = create_school(data_dir, members, camera.url)
        with running_server(data_dir) as base:
            time.sleep(9)  # two segments of footage to play back
            yield base, camera_id


def open_playback(page: Page, base: str, camera_id: int) -> tuple[float, float]:
    """The principal's playback page, once its timeline shows the recording; the point on the
    timeline where the first recorded range begins."""
    log_in(page, base, PRINCIPAL)
    page.goto(f"{base}/cameras/{camera_id}/playback")
    timeline = page.locator(".timeline")
    expect(timeline.locator(".range").first).to_be_attached(timeout=10000)
    box = timeline.bounding_box()
    assert box is not None
    left = page.evaluate("() => parseFloat(document.querySelector('.timeline .range').style.left)")
    return box["x"] + box["width"] * left / 100 + 2, box["y"] + box["height"] / 2


def test_the_guard_sees_the_live_grid_and_live_video_of_the_right_size(
    recording_server: tuple[str, int], page: Page
) -> None:
    base, camera_id = recording_server
    log_in(page, base, GUARD)
    page.get_by_role("navigation", name="Menu chính").get_by_role(
        "link", name="Xem trực tiếp"
    ).click()
    tile = page.locator(".tile-cam").first
    expect(tile).to_have_attribute("data-state", "ok", timeout=10000)
    width = page.evaluate("document.querySelector('.tile-cam img').naturalWidth")
    assert width == 640
    screenshot(page, "live-grid")
    tile.click()
    expect(page).to_have_url(re.compile(rf"/cameras/{camera_id}/live$"))
    started = time.monotonic()
    size = wait_until_playing(page)
    assert (size["w"], size["h"]) == (1280, 720)
    assert time.monotonic() - started < 6
    # Live means near the edge of what has arrived, not minutes behind.
    lag = page.evaluate(
        "() => { const v = document.querySelector('video'); "
        "return v.buffered.end(v.buffered.length - 1) - v.currentTime; }"
    )
    assert lag < 3
    screenshot(page, "live-camera")


def test_the_principal_plays_back_from_the_timeline_at_four_times_speed(
    recording_server: tuple[str, int], page: Page
) -> None:
    base, camera_id = recording_server
    first_recording = open_playback(page, base, camera_id)
    # Without a reason, nothing plays and the page says why.
    page.mouse.click(*first_recording)
    expect(page.locator("#playback .status")).to_contain_text("lý do")
    page.get_by_label("Lý do xem (bắt buộc)").fill("Kiểm tra theo phản ánh của phụ huynh")
    page.mouse.click(*first_recording)
    size = wait_until_playing(page)
    assert (size["w"], size["h"]) == (1280, 720)
    clock = page.locator("#playback .clock").inner_text()
    today = datetime.now(SCHOOL_TIMEZONE).strftime("%d/%m/%Y")
    assert today in clock
    page.get_by_role("button", name="4×").click()
    assert page.evaluate("document.querySelector('video').playbackRate") == 4
    screenshot(page, "playback")
    # The viewing is on record, with its reason.
    page.goto(f"{base}/audit?action=footage.playback")
    expect(page.locator("table.audit tbody tr").first).to_contain_text(
        "Kiểm tra theo phản ánh của phụ huynh"
    )


def test_a_guard_sees_a_phone_sized_live_grid(
    recording_server: tuple[str, int], phone: Page
) -> None:
    base, _ = recording_server
    log_in(phone, base, GUARD)
    phone.goto(f"{base}/live")
    expect(phone.locator(".tile-cam").first).to_have_attribute("data-state", "ok", timeout=10000)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "live-grid-phone")


def test_the_principal_exports_what_she_watched_and_the_package_verifies(
    recording_server: tuple[str, int], page: Page, tmp_path: Path
) -> None:
    base, camera_id = recording_server
    first_recording = open_playback(page, base, camera_id)
    page.get_by_label("Lý do xem (bắt buộc)").fill("Lập biên bản")
    page.mouse.click(*first_recording)
    wait_until_playing(page)
    # The review's bookmark form on the same page has buttons of the same names.
    export = page.locator("#export")
    export.get_by_role("button", name="Bắt đầu từ đây").click()
    page.wait_for_timeout(2500)
    export.get_by_role("button", name="Kết thúc ở đây").click()
    page.get_by_label("Lý do trích xuất (bắt buộc)").fill("Biên bản vụ việc ở cổng")
    page.get_by_role("button", name="Tạo gói chứng cứ").click()
    result = page.locator("#export .result")
    expect(result).to_contain_text("Đã tạo gói chứng cứ", timeout=20000)
    screenshot(page, "export-done")
    with page.expect_download() as download:
        result.get_by_role("link").click()
    archive = tmp_path / "package.zip"
    download.value.save_as(archive)
    with zipfile.ZipFile(archive) as bundle:
        bundle.extractall(tmp_path / "out")
    (package,) = (tmp_path / "out").iterdir()
    report = verify_package(package)
    assert report.ok and report.clips_checked == 1, report
