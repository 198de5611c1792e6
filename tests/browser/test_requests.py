"""A parent's request for footage in real Chromium (R-4.2): filed on a phone without an account,
approved by two board members (a copy), followed by its tracking code to the grant page, where
the anonymised footage plays and downloads, until the grant runs out and the page refuses."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from camwarden.clock import ManualClock
from camwarden.evidence.verify import verify_package
from camwarden.installation import Installation
from camwarden.storage.models import AuditEntry
from tests.browser._school import (
    BOARD,
    PRINCIPAL,
    Member,
    create_school,
    form_fields,
    record_footage,
    serving_in_process,
    simulated_camera,
    whole_minute,
)
from tests.browser.conftest import log_in, new_person, screenshot, wait_until_playing

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class School:
    base: str
    installation: Installation
    clock: ManualClock
    day: str  # the recorded footage's day and minutes, as the parent types them (school time)
    from_time: str
    to_time: str


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Iterator[School]:
    """A gate camera recorded for a few seconds by a real server from a real RTSP camera; then
    the same data served in this process on a clock the test moves."""
    data_dir = tmp_path_factory.mktemp("requests")
    members = [
        Member(PRINCIPAL, "principal", "Trần Thị Hiền"),
        Member(BOARD, "board", "Lê Văn Phó"),
    ]
    with simulated_camera("/gate") as camera:
        create_school(data_dir, members, camera.url)
        started, _ = record_footage(data_dir)

    # The parent asks for whole minutes around the recording; the clock stands just after.
    first = whole_minute(started)
    last = first + timedelta(minutes=2)
    clock = ManualClock(last.astimezone(UTC) + timedelta(minutes=1))
    with serving_in_process(data_dir, clock) as (installation, base):
        yield School(base, installation, clock, **form_fields(first, last))


def board_member_approves(page: Page, school: School, who: tuple[str, str], name: str) -> None:
    log_in(page, school.base, who)
    page.get_by_role("navigation", name="Menu chính").get_by_role(
        "link", name="Yêu cầu khai thác"
    ).click()
    page.get_by_role("row").filter(has_text="Nguyễn Thị Mai").get_by_role("link").click()
    expect(page.get_by_text("Nguyễn Thị Mai")).to_be_visible()
    page.get_by_label("Lý do (không bắt buộc)").fill("Phụ huynh cần xem lại vụ ngã ở cổng")
    page.get_by_label("Hiệu lực (ngày)").fill("3")
    screenshot(page, f"request-3-{name}-decides")
    page.get_by_role("button", name="Phê duyệt").click()


def test_a_parent_asks_for_a_copy_on_her_phone_and_watches_it_until_the_grant_runs_out(
    school: School, phone: Page, browser: Browser, tmp_path: Path
) -> None:
    # The parent, on her phone, with no account.
    phone.goto(f"{school.base}/request")
    expect(phone.get_by_role("heading", name="Yêu cầu khai thác hình ảnh camera")).to_be_visible()
    phone.get_by_label("Họ và tên của bạn").fill("Nguyễn Thị Mai")
    phone.get_by_label("Số điện thoại hoặc e-mail").fill("0912 345 678")
    phone.get_by_label("Vì sao bạn cần hình ảnh").fill(
        "Con tôi (lớp 2B) bị ngã ở cổng trường sáng nay; tôi muốn xem lại."
    )
    phone.get_by_label("Cổng chính").check()
    phone.get_by_label("Ngày").fill(school.day)
    phone.get_by_label("Từ (giờ Việt Nam)").fill(school.from_time)
    phone.get_by_label("Đến (giờ Việt Nam)").fill(school.to_time)
    phone.get_by_label("Nhận bản sao").check()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "request-1-form-phone")
    phone.get_by_role("button", name="Gửi yêu cầu").click()
    code = phone.get_by_test_id("tracking-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code), code
    screenshot(phone, "request-2-tracking-code-phone")

    # Two board members approve the copy, each in their own browser.
    for who, name in ((BOARD, "first-board-member"), (PRINCIPAL, "second-board-member")):
        board_page = new_person(browser)
        board_member_approves(board_page, school, who, name)
        if who == BOARD:
            expect(board_page.get_by_test_id("request-state")).to_contain_text(
                "Chờ thành viên Ban giám hiệu thứ hai phê duyệt"
            )
        else:
            expect(board_page.get_by_test_id("request-state")).to_have_text("Đã phê duyệt")
            expect(board_page.get_by_test_id("grant-link")).to_contain_text("/grants/")
        screenshot(board_page, f"request-4-{name}-approved")
        board_page.context.close()

    # The parent follows her code to the status page, then to the footage.
    phone.goto(f"{school.base}/request/status")
    phone.get_by_label("Mã tra cứu").fill(code.lower())
    phone.get_by_role("button", name="Tra cứu").click()
    expect(phone.get_by_test_id("request-state")).to_have_text("Đã phê duyệt")
    screenshot(phone, "request-5-status-approved-phone")
    phone.get_by_role("link", name="Xem hình ảnh").click()
    expect(phone).to_have_url(re.compile(r"/grants/[A-Za-z0-9_-]+$"))
    grant_url = phone.url
    video = phone.get_by_test_id("granted-video")
    expect(video).to_have_js_property("readyState", 4, timeout=10000)
    # The player's own play button lives in Chromium's closed controls: start it as it does.
    video.evaluate("video => video.play()")
    size = wait_until_playing(phone, "video[data-testid=granted-video]")
    assert (size["w"], size["h"]) == (1280, 720)
    screenshot(phone, "request-6-grant-watching-phone")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Tải bản sao (zip)").click()
    archive = tmp_path / "copy.zip"
    download.value.save_as(archive)
    assert re.fullmatch(r"YC-\d{4}-\d{4}\.zip", download.value.suggested_filename)
    with zipfile.ZipFile(archive) as bundle:
        bundle.extractall(tmp_path / "copy")
    (package,) = (tmp_path / "copy").iterdir()
    assert verify_package(package).ok
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["anonymised"] is True
    assert manifest["approval_reference"] == download.value.suggested_filename.removesuffix(".zip")

    # Three days later the link opens nothing, and says so.
    school.clock.advance(timedelta(days=3, minutes=1).total_seconds())
    refused = phone.goto(grant_url)
    assert refused is not None and refused.status == 403
    expect(phone.get_by_role("heading")).to_have_text("Đường dẫn này không còn dùng được")
    expect(phone.get_by_role("alert")).to_contain_text("đã hết hạn")
    screenshot(phone, "request-7-grant-expired-phone")
    with school.installation.database.reading() as session:
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.target_type == "footage_request")
        ).all()
    assert actions[:3] == [
        "footage_request.filed",
        "footage_request.first_approval",
        "footage_request.approved",
    ]
    assert {
        "footage_request.link_view",
        "footage_request.link_play",
        "footage_request.link_download",
    } <= set(actions)


def test_a_parent_withdraws_a_pending_request_from_the_status_page(
    school: School, phone: Page
) -> None:
    phone.goto(f"{school.base}/request")
    phone.get_by_label("Họ và tên của bạn").fill("Phạm Văn Nam")
    phone.get_by_label("Số điện thoại hoặc e-mail").fill("nam.pham@example.vn")
    phone.get_by_label("Vì sao bạn cần hình ảnh").fill("Tìm chiếc ô để quên ở cổng.")
    phone.get_by_label("Cổng chính").check()
    phone.get_by_label("Ngày").fill(school.day)
    phone.get_by_label("Từ (giờ Việt Nam)").fill(school.from_time)
    phone.get_by_label("Đến (giờ Việt Nam)").fill(school.to_time)
    phone.get_by_role("button", name="Gửi yêu cầu").click()
    code = phone.get_by_test_id("tracking-code").inner_text().strip()

    phone.goto(f"{school.base}/request/status")
    phone.get_by_label("Mã tra cứu").fill(code)
    phone.get_by_role("button", name="Tra cứu").click()
    expect(phone.get_by_test_id("request-state")).to_have_text("Đang chờ Ban giám hiệu quyết định")
    screenshot(phone, "request-8-status-pending-phone")
    phone.get_by_role("button", name="Rút yêu cầu").click()

    expect(phone.get_by_test_id("request-state")).to_have_text("Đã rút")
    expect(phone.get_by_role("status")).to_contain_text("Yêu cầu của bạn đã được rút")
    expect(phone.get_by_role("button", name="Rút yêu cầu")).to_have_count(0)
    screenshot(phone, "request-9-withdrawn-phone")
    with school.installation.database.reading() as session:
        withdrawn = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "footage_request.withdrawn")
        ).one()
    assert (withdrawn.actor, withdrawn.ip) == ("public", "127.0.0.1")
