"""The health page in real Chromium (R-8.1): a recording server's cameras with their live
figures, the disk card, on a desktop and on a phone; a --no-record server's figures and
forecast from the index."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from camwarden.config import load_settings
from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.installation import Installation, open_installation
from tests.browser.conftest import screenshot
from tests.browser.test_watching import log_in
from tests.support.footage import record_history
from tests.support.rtsp import RtspCamera, make_test_video
from tests.support.server import ServerProcess, free_port

pytestmark = pytest.mark.browser

IT = ("cntt", "Cong-nghe-2026!")


def _school(data_dir: Path, gate_url: str) -> tuple[Installation, int]:
    """The gate camera at `gate_url` and a corridor camera nobody answers for; IT's account."""
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "camwarden.toml").write_text("segment_seconds = 4\n", encoding="utf-8")
    inst = open_installation(load_settings(data_dir, {}))
    with inst.database.transaction() as session:
        zone = inst.zones.create(
            session,
            SYSTEM_ACTOR,
            name="Cổng trường",
            kind="gate",
            purposes=["security"],
            responsible_unit="Tổ bảo vệ",
        )
        ids = []
        for name, url in (
            ("Cổng chính", gate_url),
            ("Hành lang tầng 2", f"rtsp://127.0.0.1:{free_port()}/none"),
        ):
            camera = inst.cameras.create(
                session, SYSTEM_ACTOR, name=name, zone_id=zone.id, main_url=url
            )
            inst.cameras.set_state(session, SYSTEM_ACTOR, camera.id, "in_service", reason="test")
            ids.append(camera.id)
        inst.accounts.create(
            session,
            SYSTEM_ACTOR,
            username=IT[0],
            full_name="Hoàng Thị Tin",
            role="it",
            password=IT[1],
            must_change_password=False,
        )
    return inst, ids[0]


@pytest.fixture(scope="module")
def recording_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    camera = RtspCamera(make_test_video(), path="/gate", port=0)
    camera.start()
    inst, _ = _school(tmp_path_factory.mktemp("health"), camera.url)
    data_dir = inst.settings.data_dir
    inst.close()
    server = ServerProcess(data_dir)
    base = server.start()
    yield base
    server.stop()
    camera.stop()


def test_it_sees_which_camera_records_at_what_rate_on_a_desktop_and_a_phone(
    recording_server: str, page: Page, phone: Page
) -> None:
    log_in(page, recording_server, IT)
    page.goto(f"{recording_server}/health")
    gate = page.locator("tr.stream", has_text="Cổng chính")
    # The page is read as it is: reloaded until the recorder has measured a few seconds.
    for _ in range(40):
        if "khung hình/giây" in gate.inner_text() and "Đang ghi hình" in gate.inner_text():
            break
        page.wait_for_timeout(500)
        page.reload()
    expect(gate).to_contain_text("Đang kết nối")
    expect(gate).to_contain_text("Đang ghi hình")
    expect(gate).to_contain_text("khung hình/giây")
    expect(gate).to_contain_text("Mbit/giây")
    corridor = page.locator("tr.stream", has_text="Hành lang tầng 2")
    expect(corridor).to_contain_text("Mất kết nối")
    expect(page.locator("section.disk")).to_contain_text("Đã dùng")
    expect(page.locator("#disk-used")).to_be_visible()
    screenshot(page, "health")

    log_in(phone, recording_server, IT)
    phone.goto(f"{recording_server}/health")
    expect(phone.locator("tr.stream", has_text="Cổng chính")).to_contain_text("Đang kết nối")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "nothing wider than the phone's screen"
    screenshot(phone, "health-phone")


def test_a_server_that_does_not_record_shows_the_index_and_the_disk_forecast(
    tmp_path: Path, page: Page
) -> None:
    inst, gate = _school(tmp_path / "data", "rtsp://127.0.0.1:9/gate")
    # Three hours of the gate at 2 Mbit/s, written by a recording process elsewhere.
    record_history(inst, gate, minutes=180, bytes_per_minute=15_000_000)
    inst.close()
    server = ServerProcess(tmp_path / "data", record=False)
    base = server.start()
    try:
        log_in(page, base, IT)
        page.goto(f"{base}/health")
        expect(page.locator("main")).to_contain_text("Máy chủ này không ghi hình")
        expect(page.locator("tr.stream", has_text="Cổng chính")).to_contain_text("2.00 Mbit/giây")
        expect(page.locator("section.disk")).to_contain_text("(22 GB/ngày)")
        expect(page.locator("section.disk")).to_contain_text("30 ngày (cần 648 GB)")
        screenshot(page, "health-index")
    finally:
        server.stop()
