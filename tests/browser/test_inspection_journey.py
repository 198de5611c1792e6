"""IT's acceptance of a new camera in real Chromium: measure, read, sign off, put in service."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from camwarden.config import load_settings
from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.governance.school import create_standard_zones
from camwarden.installation import open_installation
from camwarden.simulator.cameras import RtspCamera
from tests.browser._school import running_server
from tests.browser.conftest import log_in, screenshot
from tests.inspection.conftest import CAMERA_PASSWORD, CAMERA_USER, good_corridor_video

pytestmark = pytest.mark.browser

IT_PASSWORD = "Cong-nghe-2026!"
# Measuring takes about 15 s; the page refreshes itself until the result is there.
MEASURING_S = 90_000


@pytest.fixture(scope="module")
def camera() -> Iterator[RtspCamera]:
    simulated = RtspCamera(
        good_corridor_video(), path="/hanh-lang", user=CAMERA_USER, password=CAMERA_PASSWORD
    )
    simulated.start()
    yield simulated
    simulated.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, camera: RtspCamera) -> Iterator[str]:
    data_dir: Path = tmp_path_factory.mktemp("inspection-data")
    inst = open_installation(load_settings(data_dir, {}))
    with inst.database.transaction() as session:
        zones = create_standard_zones(session, inst.zones, SYSTEM_ACTOR)
        corridor = next(zone for zone in zones if zone.kind == "corridor")
        inst.accounts.create(
            session,
            SYSTEM_ACTOR,
            username="cntt",
            full_name="Hoàng Thị Tin",
            role="it",
            password=IT_PASSWORD,
            must_change_password=False,
        )
        inst.cameras.create(
            session,
            SYSTEM_ACTOR,
            name="Hành lang tầng 1 nhà B",
            zone_id=corridor.id,
            main_url=camera.url,
            username=CAMERA_USER,
            password=CAMERA_PASSWORD,
        )
    inst.close()
    with running_server(data_dir, record=False) as base:
        yield base


def test_it_accepts_a_new_camera_through_the_guided_inspection_page(
    page: Page, server: str
) -> None:
    log_in(page, server, ("cntt", IT_PASSWORD))
    page.goto(f"{server}/cameras")
    page.get_by_role("link", name="Hành lang tầng 1 nhà B").click()
    page.get_by_role("link", name="Kiểm tra nghiệm thu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hành lang tầng 1 nhà B")
    screenshot(page, "inspection-1-before")

    page.get_by_label("Nhà cung cấp (đơn vị lắp đặt camera)").fill("Công ty TNHH An Phát")
    page.get_by_role("button", name="Đo và kiểm tra camera").click()
    expect(page.locator("#inspection-running")).to_be_visible()
    screenshot(page, "inspection-2-measuring")
    expect(page.locator("#verdict")).to_have_text("Kết luận: đạt.", timeout=MEASURING_S)
    expect(page.locator("#inspection-result")).to_contain_text("Độ phân giải")
    expect(page.locator("#inspection-result")).to_contain_text("1280x720")
    expect(page.locator("img.reference")).to_be_visible()
    screenshot(page, "inspection-3-result")

    expect(page.locator("#sign-supplier")).to_have_value("Công ty TNHH An Phát")
    page.get_by_role("button", name="Ký xác nhận biên bản kiểm tra").click()
    expect(page.locator("#signed-off")).to_contain_text("cntt")
    screenshot(page, "inspection-4-signed-off")

    page.get_by_role("button", name="Đưa camera vào sử dụng").click()
    expect(page).to_have_url(re.compile(r"/cameras/\d+\?notice=state_changed$"))
    expect(page.locator(".facts")).to_contain_text("Đang hoạt động")
    screenshot(page, "inspection-5-in-service")
