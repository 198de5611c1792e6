"""Motion activity in real Chromium: the strip under the playback timeline, the search page
finding a night visit and opening playback at that moment, on a desktop and on a phone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, time, timedelta

import pytest
from playwright.sync_api import Page, expect

from camwarden.i18n import SCHOOL_TIMEZONE
from tests.browser._school import PRINCIPAL, Member, create_school, open_school, running_server
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def last_night() -> datetime:
    """23:10 yesterday, school time: inside the default week of the search page."""
    yesterday = datetime.now(SCHOOL_TIMEZONE).date() - timedelta(days=1)
    return datetime.combine(yesterday, time(23, 10), tzinfo=SCHOOL_TIMEZONE)


@pytest.fixture(scope="module")
def activity_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A server (not recording) whose finance-room camera saw someone for three minutes last
    night and a class in the morning, written by the real activity writer; (base, camera)."""
    data_dir = tmp_path_factory.mktemp("activity")
    principal = Member(PRINCIPAL, "principal", "Trần Thị Hiền")
    camera_id = create_school(
        data_dir,
        [principal],
        "rtsp://10.0.0.7/1",
        settings="",
        zone=("Phòng tài vụ", "finance_room"),
        camera_name="Két sắt",
        in_service=False,
    )
    inst = open_school(data_dir)
    try:
        night = last_night()
        for offset in range(0, 180, 2):
            # Stronger in the middle, as someone walks up to the safe and away.
            level = 0.05 + 0.4 * (1 - abs(offset - 90) / 90)
            inst.activity.record(camera_id, night + timedelta(seconds=offset), level)
        morning = night.replace(hour=8, minute=0)
        for offset in range(0, 1800, 2):
            inst.activity.record(camera_id, morning + timedelta(seconds=offset), 0.08)
    finally:
        inst.close()  # flushes the activity log
    with running_server(data_dir, record=False) as base:
        yield base, camera_id


def test_the_playback_page_shows_the_days_movement_under_the_timeline(
    activity_server: tuple[str, int], page: Page
) -> None:
    base, camera_id = activity_server
    log_in(page, base, PRINCIPAL)
    day = last_night().date().isoformat()
    page.goto(f"{base}/cameras/{camera_id}/playback?day={day}")

    strip = page.locator(".activity-strip")
    # Three minutes at night and thirty in the morning: 33 minutes with movement.
    expect(strip).to_have_attribute("data-moving", "33", timeout=10000)
    timeline_box = page.locator(".timeline").bounding_box()
    strip_box = strip.bounding_box()
    assert timeline_box is not None and strip_box is not None
    # Aligned under the timeline: same left edge and width, just below it.
    assert abs(strip_box["x"] - timeline_box["x"]) < 1
    assert abs(strip_box["width"] - timeline_box["width"]) < 1
    assert 0 <= strip_box["y"] - (timeline_box["y"] + timeline_box["height"]) < 8
    # Pixels are drawn where the night visit is (23:10), none at 03:00.
    dark_at = page.evaluate(
        """([hour]) => {
             const canvas = document.querySelector('.activity-strip canvas');
             const x = Math.floor(canvas.width * hour / 24);
             return canvas.getContext('2d').getImageData(x, 2, 1, 1).data[3];
           }""",
        [23 + 11 / 60],
    )
    empty_at = page.evaluate(
        """() => {
             const canvas = document.querySelector('.activity-strip canvas');
             return canvas.getContext('2d').getImageData(canvas.width / 8, 2, 1, 1).data[3];
           }"""
    )
    assert dark_at > 100 and empty_at == 0
    screenshot(page, "playback-activity-strip")


def test_the_search_page_finds_the_night_visit_and_opens_playback_there(
    activity_server: tuple[str, int], page: Page
) -> None:
    base, camera_id = activity_server
    log_in(page, base, PRINCIPAL)
    page.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Hoạt động").click()
    expect(page).to_have_url(re.compile(r"/activity$"))
    page.get_by_label("Camera hoặc khu vực").select_option(label="Phòng tài vụ")
    page.get_by_label("Chỉ trong khung giờ từ (không bắt buộc)").fill("22:00")
    page.get_by_label("đến", exact=True).fill("05:00")
    page.get_by_label("Mức tối thiểu").select_option(label="Chuyển động rõ")
    page.get_by_role("button", name="Tìm", exact=True).click()

    rows = page.locator("table.activity-results tbody tr")
    expect(rows).to_have_count(1)
    night = last_night()
    expect(rows.first).to_contain_text("Két sắt")
    expect(rows.first).to_contain_text(night.strftime("%d/%m/%Y"))
    screenshot(page, "activity-search")

    rows.first.get_by_role("link", name="Xem").click()
    expect(page).to_have_url(re.compile(rf"/cameras/{camera_id}/playback\?day="))
    expect(page.locator("input[name=day]")).to_have_value(night.date().isoformat())
    expect(page.locator("[data-play-at]")).to_contain_text("Phát từ")
    # Playing still needs the reason, which goes to the audit log.
    page.locator("[data-play-at]").click()
    expect(page.locator("#playback .status")).to_contain_text("lý do")


def test_the_search_page_fits_a_phone(activity_server: tuple[str, int], phone: Page) -> None:
    base, _ = activity_server
    log_in(phone, base, PRINCIPAL)
    phone.goto(f"{base}/activity")
    phone.get_by_role("button", name="Tìm", exact=True).click()
    rows = phone.locator("table.activity-results tbody tr")
    expect(rows).to_have_count(2)
    overflow = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    screenshot(phone, "activity-search-phone")
