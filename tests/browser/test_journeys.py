"""What people do in the browser, in real Chromium against a real server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PEOPLE, Person, log_in, screenshot, submit_login

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Mat-khau-rieng-{n}"

# Which main-menu entries each role must and must not see.
MENU = {
    "admin": {"Camera", "Khu vực", "Tài khoản", "Nhật ký kiểm tra"},
    "principal": {"Camera", "Khu vực", "Nhật ký kiểm tra", "Rà soát", "Yêu cầu khai thác"},
    "board": {"Camera", "Khu vực", "Nhật ký kiểm tra", "Rà soát", "Yêu cầu khai thác"},
    "security_lead": {"Camera", "Khu vực", "Rà soát"},
    "security": {"Camera", "Khu vực"},
    "it": {"Camera", "Khu vực"},
    "finance": {"Camera", "Khu vực"},
    "staff": set(),
    "external": set(),
}
ALL_MENU = {"Camera", "Khu vực", "Tài khoản", "Nhật ký kiểm tra", "Rà soát", "Yêu cầu khai thác"}
# Incidents are kept by the principal, the board and the head of security.
MENU = {
    role: seen | {"Vụ việc"} if role in {"principal", "board", "security_lead"} else seen
    for role, seen in MENU.items()
}
ALL_MENU = ALL_MENU | {"Vụ việc"}
# Complaints: every school member may file one; the principal and the board handle them.
MENU = {
    role: seen
    | ({"Gửi khiếu nại"} if role not in {"admin", "external"} else set())
    | ({"Khiếu nại"} if role in {"principal", "board"} else set())
    for role, seen in MENU.items()
}
ALL_MENU = ALL_MENU | {"Gửi khiếu nại", "Khiếu nại"}


# The server lives for the module; whoever changed a password first records it here, so
# that each test also runs alone.
current_password: dict[str, str] = {}


def first_login(page: Page, server: str, person: Person) -> None:
    """Log in with the one-time password; the only way on is choosing one's own."""
    submit_login(page, server, (person.username, person.initial_password))
    expect(page).to_have_url(re.compile(r"/account/password$"))
    page.goto(f"{server}/cameras")  # anything else leads back to the password page
    expect(page).to_have_url(re.compile(r"/account/password$"))
    new_password = NEW_PASSWORD.format(n=PEOPLE.index(person))
    page.get_by_label("Mật khẩu hiện tại").fill(person.initial_password)
    page.get_by_label("Mật khẩu mới", exact=True).fill(new_password)
    page.get_by_label("Nhập lại mật khẩu mới").fill(new_password)
    page.get_by_role("button", name="Lưu mật khẩu mới").click()
    expect(page.get_by_role("status")).to_have_text("Mật khẩu của bạn đã được đổi.")
    current_password[person.username] = new_password


def sign_in(page: Page, server: str, role: str) -> Person:
    person = next(p for p in PEOPLE if p.role.value == role)
    if person.username in current_password:
        log_in(page, server, (person.username, current_password[person.username]))
    else:
        first_login(page, server, person)
    return person


def test_every_role_logs_in_changes_its_first_password_and_sees_only_its_menu(
    server: str, page: Page
) -> None:
    for person in PEOPLE:
        first_login(page, server, person)
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Xin chào, {person.full_name}")
        menu = page.get_by_role("navigation", name="Menu chính")
        for entry in ALL_MENU:
            link = menu.get_by_role("link", name=entry, exact=True)
            if entry in MENU[person.role.value]:
                expect(link).to_be_visible()
            else:
                expect(link).to_have_count(0)
        screenshot(page, f"dashboard-{person.role.value}")
        page.get_by_role("button", name="Đăng xuất").click()
        expect(page).to_have_url(re.compile(r"/login$"))


def test_it_adds_a_camera_and_the_board_sees_it_in_the_audit_log(server: str, page: Page) -> None:
    it_person = sign_in(page, server, "it")
    page.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Camera").click()
    page.get_by_role("link", name="Thêm camera").click()
    page.get_by_label("Tên", exact=True).fill("Cổng phụ – phía chợ")
    page.get_by_label("Khu vực").select_option(label="Cổng trường")
    # A wrong address is refused in Vietnamese and nothing is saved.
    page.get_by_label("Địa chỉ luồng chính (RTSP)").fill("http://192.168.1.70/video")
    page.get_by_role("button", name="Thêm camera").click()
    expect(page.get_by_role("alert")).to_contain_text("không phải địa chỉ RTSP")
    screenshot(page, "camera-form-error")
    page.get_by_label("Địa chỉ luồng chính (RTSP)").fill(
        "rtsp://192.168.1.70:554/Streaming/Channels/101"
    )
    page.get_by_label("Tên đăng nhập").fill("admin")
    page.get_by_label("Mật khẩu").fill("Cam-Pass-2026")
    page.get_by_role("button", name="Thêm camera").click()
    expect(page.get_by_role("status")).to_have_text("Đã tạo.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cổng phụ – phía chợ")
    assert "Cam-Pass-2026" not in page.content()
    screenshot(page, "camera-detail-it")
    page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, server, "board")
    page.get_by_role("navigation", name="Menu chính").get_by_role(
        "link", name="Nhật ký kiểm tra"
    ).click()
    page.get_by_label("Hành động bắt đầu bằng").fill("camera.")
    page.get_by_role("button", name="Lọc").click()
    row = page.locator("table.audit tbody tr").first
    expect(row).to_contain_text("camera.create")
    expect(row).to_contain_text(it_person.username)
    expect(row).to_contain_text("Cổng phụ – phía chợ")
    assert "Cam-Pass-2026" not in page.content()
    screenshot(page, "audit-log-board")
    page.get_by_role("link", name="Kiểm tra chuỗi nhật ký").click()
    expect(page.get_by_role("status")).to_contain_text("Chuỗi nhật ký nguyên vẹn")


def test_a_guard_reaching_an_admin_page_by_address_is_refused(server: str, page: Page) -> None:
    sign_in(page, server, "security")
    response = page.goto(f"{server}/users")
    assert response is not None and response.status == 403
    expect(page.get_by_role("alert")).to_contain_text("không được phép")


def test_the_pages_fit_a_phone_and_switch_to_english(server: str, phone: Page) -> None:
    phone.goto(f"{server}/login")
    screenshot(phone, "login-phone")
    sign_in(phone, server, "security")
    phone.goto(f"{server}/cameras")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
    screenshot(phone, "cameras-phone")
    phone.get_by_role("link", name="English").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Cameras")
    phone.get_by_role("link", name="Tiếng Việt").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Camera")


def test_five_wrong_passwords_lock_the_account_and_the_reply_says_only_failure(
    server: str, page: Page
) -> None:
    finance = sign_in(page, server, "finance")
    page.get_by_role("button", name="Đăng xuất").click()
    right = current_password[finance.username]
    for _ in range(5):
        submit_login(page, server, (finance.username, "Sai-mat-khau-1"))
        expect(page.get_by_role("alert")).to_have_text(
            "Đăng nhập không thành công: sai tên đăng nhập hoặc mật khẩu."
        )
    submit_login(page, server, (finance.username, right))
    expect(page.get_by_role("alert")).to_have_text(
        "Đăng nhập không thành công: sai tên đăng nhập hoặc mật khẩu."
    )
    screenshot(page, "login-locked")


def test_every_page_renders_in_vietnamese_without_english_left_over(
    server: str, page: Page
) -> None:
    """A tour of every page as the people who use it, with a screenshot of each."""
    tours = {
        "admin": [
            "/users",
            "/users/new",
            "/users/1",
            "/zones",
            "/zones/new",
            "/zones/1",
            "/cameras",
            "/cameras/new",
            "/audit",
            "/audit/verify",
            "/account",
            "/account/password",
        ],
        "principal": ["/zones", "/cameras", "/audit"],
    }
    for role, paths in tours.items():
        sign_in(page, server, role)
        for path in paths:
            response = page.goto(f"{server}{path}")
            assert response is not None and response.status == 200, path
            body = page.locator("main").inner_text()
            for english in ("Save", "Cancel", "Name", "Zone", "Camera login", "Error"):
                assert not re.search(rf"\b{english}\b", body), f"{english!r} left on {path}"
            slug = path.strip("/").replace("/", "-") or "home"
            screenshot(page, f"page-{role}-{slug}")
        page.get_by_role("button", name="Đăng xuất").click()


def test_an_administrator_creates_an_account_and_sees_its_one_time_password_once(
    server: str, page: Page
) -> None:
    sign_in(page, server, "admin")
    page.goto(f"{server}/users/new")
    page.get_by_label("Tên đăng nhập").fill("le.thi.hoa")
    page.get_by_label("Họ và tên").fill("Lê Thị Hoa")
    page.get_by_label("Vai trò").select_option("security")
    page.get_by_label("Chỉ các khu vực sau:").check()
    page.get_by_label("Cổng trường").check()
    page.get_by_role("button", name="Tạo tài khoản").click()
    secret = page.get_by_test_id("one-time-password")
    expect(secret).to_have_text(re.compile(r"^\S{12,}$"))
    screenshot(page, "user-one-time-password")
    page.goto(f"{server}/users")
    row = page.locator("tr", has_text="le.thi.hoa")
    expect(row).to_contain_text("Cổng trường")
    expect(row).to_contain_text("Phải đổi mật khẩu")
    assert secret_text_absent(page, "le.thi.hoa")


def secret_text_absent(page: Page, username: str) -> bool:
    """The account list never shows a password again."""
    return "one-time-password" not in page.content()
