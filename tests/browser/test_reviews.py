"""The 15-day review in real Chromium (R-5.1, R-5.2): the server opens the cycle of footage
older than a period, the head of security bookmarks a moment and checks the unit off, the
Board signs off and downloads the report (page 1 rendered to PNG), and a retention run then
deletes the neighbouring footage and keeps the bookmarked footage. A second bookmark is made
from the playback page."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

import pypdfium2  # type: ignore[import-untyped]
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.i18n import SCHOOL_TIMEZONE, format_datetime
from camwarden.storage.models import Segment
from tests.browser._school import Member, create_school, open_school, reading, running_server
from tests.browser.conftest import ARTIFACTS, log_in, screenshot
from tests.capture.conftest import encode_test_video
from tests.retention.test_service import record_at

pytestmark = pytest.mark.browser

LEAD = ("totruong.bv", "To-truong-2026!")
BOARD = ("pho.hieutruong", "Pho-hieu-truong-2026!")


@dataclass(frozen=True)
class ReviewWorld:
    base: str
    data_dir: Path
    # The three moments recorded, the first two of which get bookmarked.
    moments: tuple[datetime, datetime, datetime]


def first_footage() -> datetime:
    """08:00 twenty days ago, school time: the first cycle (15 days) has ended five days ago."""
    day = datetime.now(SCHOOL_TIMEZONE).date() - timedelta(days=20)
    return datetime.combine(day, time(8, 0), tzinfo=SCHOOL_TIMEZONE)


@pytest.fixture(scope="module")
def review_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReviewWorld]:
    data_dir = tmp_path_factory.mktemp("reviews")
    clip = encode_test_video(data_dir.parent / "review-clip.mp4", seconds=2.0, size=(160, 96))
    members = [Member(LEAD, "security_lead", "Phạm Văn Tổ"), Member(BOARD, "board", "Lê Thị Phó")]
    camera_id = create_school(data_dir, members, "rtsp://10.0.0.7/1", settings="", in_service=False)
    first = first_footage()
    moments = (first, first + timedelta(hours=1), first + timedelta(hours=2))
    inst = open_school(data_dir)
    try:
        with inst.database.transaction() as session:
            # As short as the rules allow: the period's footage is past it once reviewed.
            inst.cameras.update(session, SYSTEM_ACTOR, camera_id, retention_days=15)
        for moment in moments:
            record_at(inst, camera_id, moment, clip)
    finally:
        inst.close()
    with running_server(data_dir, record=False) as base:
        yield ReviewWorld(base, data_dir, moments)


def open_cycle_page(page: Page, base: str) -> None:
    """The review list, once the server's monitoring has opened the cycle (it checks at
    start); then the cycle's page."""
    for _ in range(30):
        page.goto(f"{base}/reviews")
        if page.locator("tr.cycle").count():
            break
        page.wait_for_timeout(500)
    rows = page.locator("tr.cycle")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Đang rà soát")
    rows.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/reviews/\d+$"))


def local_input(moment: datetime) -> str:
    return f"{moment.astimezone(SCHOOL_TIMEZONE):%Y-%m-%dT%H:%M:%S}"


def segment_starts(data_dir: Path) -> list[datetime]:
    with reading(data_dir) as session:
        return list(session.scalars(select(Segment.start_at).order_by(Segment.start_at)))


def test_a_cycle_is_reviewed_signed_off_and_its_bookmarked_footage_outlives_retention(
    review_world: ReviewWorld, page: Page, browser: object
) -> None:
    base, first = review_world.base, review_world.moments[0]

    # The head of security reviews the gate: a bookmark, then the unit's check-off.
    log_in(page, base, LEAD)
    page.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Rà soát").click()
    open_cycle_page(page, base)
    unit = page.locator("article.review-unit", has_text="Tổ bảo vệ")
    expect(unit).to_contain_text("Cổng chính")
    expect(unit).to_contain_text("chưa xác nhận")
    form = page.locator("#add-bookmark")
    form.get_by_label("Camera").select_option(label="Cổng chính")
    form.get_by_label("Từ").fill(local_input(first))
    form.get_by_label("Đến").fill(local_input(first + timedelta(seconds=1)))
    form.get_by_label("Lý do").fill("Người lạ trèo rào lúc 8 giờ")
    form.get_by_role("button", name="Đánh dấu").click()
    bookmark = page.locator("tr.bookmark")
    expect(bookmark).to_have_count(1)
    expect(bookmark).to_contain_text("Người lạ trèo rào lúc 8 giờ")
    playback = bookmark.get_by_role("link", name=format_datetime(first, seconds=True))
    expect(playback).to_have_attribute("href", re.compile(r"/cameras/\d+/playback\?at="))

    # From the playback page (opened by the bookmark's link), a second bookmark an hour later.
    playback.click()
    expect(page).to_have_url(re.compile(r"/cameras/\d+/playback\?at="))
    marker = page.locator("#review-bookmark")
    marker.get_by_label("Từ").fill("09:00:00")
    marker.get_by_label("Đến").fill("09:00:01")
    marker.get_by_label("Lý do").fill("Xe lạ đỗ lâu trước cổng")
    marker.get_by_role("button", name="Đánh dấu để rà soát").click()
    expect(marker.get_by_role("status")).to_contain_text("Đã đánh dấu để rà soát.")
    screenshot(page, "review-bookmark-from-playback")
    marker.get_by_role("link", name="Mở kỳ rà soát").click()
    expect(page.locator("tr.bookmark")).to_have_count(2)
    expect(page.locator("tr.bookmark").nth(1)).to_contain_text("Xe lạ đỗ lâu trước cổng")

    page.locator("#check-unit").get_by_role("button", name="Đơn vị đã rà soát xong camera").click()
    expect(unit).to_contain_text("đã xác nhận bởi totruong.bv")
    expect(page.locator("#sign-off")).to_have_count(0)  # the head of security cannot sign
    screenshot(page, "review-cycle-reviewed")
    cycle_url = page.url

    # The Board signs off and downloads the report.
    page.context.clear_cookies()
    log_in(page, base, BOARD)
    page.goto(cycle_url)
    page.locator("#sign-off").get_by_label("Ghi chú").fill("Đã xem đủ, lưu đoạn trèo rào")
    page.get_by_role("button", name="Ký duyệt kỳ rà soát").click()
    expect(page.locator("#cycle-state")).to_contain_text("Đã ký xác nhận")
    expect(page.locator("#cycle-state")).to_contain_text("pho.hieutruong")
    expect(page.locator("form[action$='/remove']")).to_have_count(0)
    screenshot(page, "review-cycle-signed-off")
    with page.expect_download() as download_info:
        page.locator("#report-download").click()
    pdf_path = ARTIFACTS / "review-report.pdf"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    download_info.value.save_as(pdf_path)
    document = pypdfium2.PdfDocument(str(pdf_path))
    first_page = document[0]
    text = first_page.get_textpage().get_text_range()
    for words in ("BÁO CÁO RÀ SOÁT HÌNH ẢNH CAMERA", "Tổ bảo vệ", "Cổng chính", "Lê Thị Phó"):
        assert words in text, words
    first_page.render(scale=2).to_pil().save(ARTIFACTS / "review-report-page1.png")
    all_text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert "Người lạ trèo rào lúc 8 giờ" in all_text
    expected_sha = page.locator("#report code").inner_text()
    assert hashlib.sha256(pdf_path.read_bytes()).hexdigest() == expected_sha

    # Retention now deletes the cycle's footage past its 15 days, except the bookmarked one.
    assert segment_starts(review_world.data_dir) == list(review_world.moments)
    ran = subprocess.run(
        [
            sys.executable,
            "-m",
            "camwarden.cli",
            "--data-dir",
            str(review_world.data_dir),
            "retention",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    assert segment_starts(review_world.data_dir) == list(review_world.moments[:2])
