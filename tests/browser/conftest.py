"""A real camwarden server in its own process, and real Chromium driven by Playwright."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from camwarden.config import load_settings
from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.governance.roles import Role
from camwarden.governance.school import create_standard_zones
from camwarden.installation import open_installation
from tests.browser._school import Login, running_server
from tests.support.artifacts import TEST_ARTIFACTS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = TEST_ARTIFACTS / "screenshots"
FAILURES = TEST_ARTIFACTS / "failures"
# Without these, Chromium keeps trying to reach Google's hosts on this closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class Person:
    role: Role
    username: str
    full_name: str
    initial_password: str


PEOPLE = [
    Person(Role.ADMIN, "quantri", "Nguyễn Văn Quản", "Tam-thoi-01!"),
    Person(Role.PRINCIPAL, "hieutruong", "Trần Thị Hiền", "Tam-thoi-02!"),
    Person(Role.BOARD, "phohieutruong", "Lê Văn Phó", "Tam-thoi-03!"),
    Person(Role.SECURITY_LEAD, "totruongbaove", "Phạm Văn Tổ", "Tam-thoi-04!"),
    Person(Role.SECURITY, "baove", "Đỗ Văn Bảo", "Tam-thoi-05!"),
    Person(Role.IT, "cntt", "Hoàng Thị Tin", "Tam-thoi-06!"),
    Person(Role.FINANCE, "ketoan", "Vũ Thị Kế", "Tam-thoi-07!"),
    Person(Role.STAFF, "giaovien", "Bùi Thị Giáo", "Tam-thoi-08!"),
    Person(Role.EXTERNAL, "khach", "Ngô Văn Khách", "Tam-thoi-09!"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`camwarden serve` on a free port over a data folder with the school's zones and people."""
    data_dir = tmp_path_factory.mktemp("browser-data")
    inst = open_installation(load_settings(data_dir, {}))
    with inst.database.transaction() as session:
        create_standard_zones(session, inst.zones, SYSTEM_ACTOR)
        for person in PEOPLE:
            inst.accounts.create(
                session,
                SYSTEM_ACTOR,
                username=person.username,
                full_name=person.full_name,
                role=person.role.value,
                password=person.initial_password,
            )
    inst.close()
    with running_server(data_dir, record=False) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def new_person(
    browser: Browser, width: int = 1280, height: int = 860, *, phone: bool = False
) -> Page:
    """A page in a browser of its own: people in one journey do not share cookies."""
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="vi-VN",
        device_scale_factor=2 if phone else 1,
        is_mobile=phone,
        has_touch=phone,
    )
    return context.new_page()


REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Iterator[None]:
    """Keeps each phase's report on the test, so that a page fixture knows it failed."""
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


def keep_if_failed(request: pytest.FixtureRequest, page: Page) -> None:
    """What the page showed when its test failed, to explain a failure seen only in CI."""
    call = request.node.stash.get(REPORTS, {}).get("call")
    if call is None or not call.failed:
        return
    FAILURES.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
    try:
        page.screenshot(path=str(FAILURES / f"{name}.png"), full_page=True)
        (FAILURES / f"{name}.html").write_text(f"<!-- {page.url} -->\n{page.content()}")
    except Exception as error:  # a page that crashed or hangs: the failure itself says more
        (FAILURES / f"{name}.txt").write_text(f"the page could not be kept: {error!r}")


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    desktop = new_person(browser)
    yield desktop
    keep_if_failed(request, desktop)
    desktop.context.close()


@pytest.fixture
def phone(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    handheld = new_person(browser, 390, 844, phone=True)
    yield handheld
    keep_if_failed(request, handheld)
    handheld.context.close()


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def submit_login(page: Page, base: str, who: Login) -> None:
    """The login form sent, wherever it leads (a first password, a refusal)."""
    page.goto(f"{base}/login")
    page.get_by_label("Tên đăng nhập").fill(who[0])
    page.get_by_label("Mật khẩu").fill(who[1])
    page.get_by_role("button", name="Đăng nhập").click()


def log_in(page: Page, base: str, who: Login) -> None:
    """Logs in with a password that needs no first change; on the home page after."""
    submit_login(page, base, who)
    expect(page).to_have_url(re.compile(r"/(\?.*)?$"))


def wait_until_playing(page: Page, selector: str = "video") -> dict[str, float]:
    """Until the video really plays; its size and position then."""
    page.wait_for_function(
        f"""() => {{ const v = document.querySelector('{selector}');
                   return v && v.readyState >= 3 && !v.paused && v.currentTime > 0.5; }}""",
        timeout=15000,
    )
    return dict(
        page.evaluate(
            f"""() => {{ const v = document.querySelector('{selector}');
                       return {{w: v.videoWidth, h: v.videoHeight, t: v.currentTime}}; }}"""
        )
    )
