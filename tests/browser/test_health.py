"""The health page in real Chromium (R-8.1): a recording server's cameras with their live
figures, the disk card, on a desktop and on a phone; a --no-record server's figures and
forecast from the index."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from camwarden.installation import Installation
from tests.browser._school import (
    IT,
    SHORT_SEGMENTS,
    Member,
    add_camera,
    add_members,
    add_zone,
    open_school,
    running_server,
    simulated_camera,
)
from tests.browser.conftest import log_in, screenshot
from tests.support.footage import record_history
from tests.support.server import free_port

pytestmark = pytest.mark.browser


def _school(data_dir: Path, gate_url: str) -> tuple[Installation, int]:
    """The gate camera at `gate_url` and a corridor camera nobody answers for; IT's account."""
    inst = open_school(data_dir, SHORT_SEGMENTS)
    with inst.database.transaction() as session:
        zone = add_zone(inst, session, "Cổng trường", "gate")
        gate = add_camera(inst, session, zone, gate_url)
        nobody = f"rtsp://127.0.0.1:{free_port()}/none"
        add_camera(inst, session, zone, nobody, "Hành lang tầng 2")
        add_members(inst, session, [Member(IT, "it", "Hoàng Thị Tin")])
    return inst, gate


@pytest.fixture(scope="module")
def recording_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("health")
    with simulated_camera("/gate") as camera:
        inst, _ = _school(data_dir, camera.url)
        inst.close()
        with running_server(data_dir) as base:
            yield base


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
    with running_server(tmp_path / "data", record=False) as base:
        log_in(page, base, IT)
        # Three hours of the gate at 2 Mbit/s, written by a recording process elsewhere, up to
        # just before the page is read: the rate counts the seconds since (a slow start of
        # the server on a loaded machine made 648 GB read 647 GB).
        record_history(inst, gate, minutes=180, bytes_per_minute=15_000_000)
        inst.close()
        page.goto(f"{base}/health")
        expect(page.locator("main")).to_contain_text("Máy chủ này không ghi hình")
        expect(page.locator("tr.stream", has_text="Cổng chính")).to_contain_text("2.00 Mbit/giây")
        expect(page.locator("section.disk")).to_contain_text("(22 GB/ngày)")
        expect(page.locator("section.disk")).to_contain_text("30 ngày (cần 648 GB)")
        screenshot(page, "health-index")
