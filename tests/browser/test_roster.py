"""The duty roster in real Chromium, four people: the head of security plans the week's nights
and sees the hours still uncovered named at the top; one guard writes a handover, the other
sees it waiting on the home page and signs it; the principal reads the day's report, on a
desktop and on a phone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser._school import PRINCIPAL, Member, add_members, open_school, running_server
from tests.browser.conftest import log_in, new_person, screenshot

pytestmark = pytest.mark.browser

LEAD = ("totruongbaove", "To-truong-2026!")
NIGHT_GUARD = ("baove.dem", "Bao-ve-dem-2026!")
DAY_GUARD = ("baove.ngay", "Bao-ve-ngay-2026!")


@pytest.fixture
def school(tmp_path: Path) -> Iterator[str]:
    """A server (no cameras needed) with the head of security, two guards and the principal."""
    data_dir = tmp_path / "roster"
    inst = open_school(data_dir)
    with inst.database.transaction() as session:
        members = [
            Member(LEAD, "security_lead", "Phạm Văn Tổ"),
            Member(NIGHT_GUARD, "security", "Đỗ Văn Đêm"),
            Member(DAY_GUARD, "security", "Lý Thị Ngày"),
            Member(PRINCIPAL, "principal", "Trần Thị Hiền"),
        ]
        add_members(inst, session, members)
    inst.close()
    with running_server(data_dir, record=False) as base:
        yield base


def person(browser: Browser, *, phone: bool = False) -> Page:
    """A desktop, or a phone-sized screen."""
    return new_person(browser, 390, 844, phone=True) if phone else new_person(browser)


def test_a_week_is_planned_with_its_gap_a_handover_is_signed_and_the_day_is_reported(
    browser: Browser, school: str
) -> None:
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()

    lead = person(browser)
    log_in(lead, school, LEAD)
    lead.get_by_role("link", name="Lịch trực", exact=True).click()
    gaps = lead.locator("#roster-gaps")
    expect(gaps).to_contain_text("không có người trực")
    expect(gaps.locator("li")).to_have_count(1)  # nobody at all yet: one span of 14 days

    weekly = lead.locator("#add-weekly")
    weekly.get_by_label("Nhân viên bảo vệ").select_option(label="Đỗ Văn Đêm")
    for day in ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"):
        weekly.get_by_label(day, exact=True).check()
    weekly.get_by_label("Từ", exact=True).fill("18:00")
    weekly.get_by_label("Đến", exact=True).fill("06:00")
    weekly.get_by_label("Ngày bắt đầu").fill(today.isoformat())
    weekly.get_by_label("Số tuần").fill("1")
    weekly.get_by_label("Vị trí trực (không bắt buộc)").fill("Phòng bảo vệ")
    weekly.get_by_role("button", name="Xếp các ca trực này").click()
    expect(lead.get_by_role("status")).to_have_text("Đã tạo.")

    # Nights for a week, days for nobody: the days and the second week stay uncovered.
    expect(gaps.locator("li").first).to_contain_text("không có người trực")
    assert gaps.locator("li").count() >= 7
    expect(lead.locator(".roster-day").first).to_contain_text("Đỗ Văn Đêm")
    screenshot(lead, "roster-desktop")
    lead.goto(f"{school}/")
    expect(lead.locator("#duty-gaps")).to_contain_text("khoảng thời gian không có người trực")
    lead.context.close()

    night = person(browser)
    log_in(night, school, NIGHT_GUARD)
    night.goto(f"{school}/handovers")
    form = night.locator("#write-handover")
    form.get_by_label("Người nhận ca").select_option(label="Lý Thị Ngày")
    form.get_by_label("Những việc đã xảy ra trong ca").fill(
        "Đêm yên tĩnh. 02:10 chuông cổng kêu, kiểm tra: mèo."
    )
    form.get_by_label("Việc còn tồn đọng (không bắt buộc)").fill("Camera sân sau hơi mờ.")
    form.get_by_role("button", name="Giao ca").click()
    expect(night.get_by_role("status")).to_have_text("Đã tạo.")
    expect(night.locator("table.handovers")).to_contain_text("Chưa ký nhận")
    night.context.close()

    day = person(browser, phone=True)
    log_in(day, school, DAY_GUARD)
    day.get_by_role("link", name="Có 1 biên bản giao ca đang chờ bạn ký nhận.").click()
    waiting = day.locator("#handovers-waiting")
    expect(waiting).to_contain_text("Camera sân sau hơi mờ.")
    screenshot(day, "handover-waiting-phone")
    waiting.get_by_label("Ghi chú (không bắt buộc)").fill("Đã nhận, sẽ báo kỹ thuật")
    waiting.get_by_role("button", name="Ký nhận: tôi nhận ca").click()
    expect(day.locator("#handovers-waiting")).to_have_count(0)
    expect(day.locator("table.handovers")).to_contain_text("Đã nhận, sẽ báo kỹ thuật")
    day.context.close()

    principal = person(browser)
    log_in(principal, school, PRINCIPAL)
    principal.get_by_role("link", name="Báo cáo ngày").click()
    expect(principal.get_by_role("heading", level=1)).to_contain_text("Báo cáo camera ngày")
    principal.goto(f"{school}/reports/daily?day={today.isoformat()}")
    expect(principal.get_by_role("heading", level=1)).to_contain_text(today.strftime("%d/%m/%Y"))
    expect(principal.locator("main")).to_contain_text("Đỗ Văn Đêm → Lý Thị Ngày")
    expect(principal.locator("main")).to_contain_text("Phòng bảo vệ")
    screenshot(principal, "daily-report-desktop")
    principal.emulate_media(media="print")
    expect(principal.locator("header.topbar")).to_be_hidden()
    screenshot(principal, "daily-report-print")
    principal.context.close()

    phone = person(browser, phone=True)
    log_in(phone, school, PRINCIPAL)
    phone.goto(f"{school}/reports/daily?day={today.isoformat()}")
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    screenshot(phone, "daily-report-phone")
    phone.goto(f"{school}/roster")
    screenshot(phone, "roster-phone")
    phone.context.close()
