"""IT masks a flag on the live picture and sets sensitivities; a guard finds the tamper alert
on the health page with its pictures, opened on purpose (and audited)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from camwarden.config import load_settings
from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.installation import open_installation
from camwarden.storage.models import AuditEntry, Camera
from tests.browser.conftest import screenshot
from tests.browser.test_watching import log_in
from tests.support.rtsp import RtspCamera, make_test_video
from tests.support.server import ServerProcess

pytestmark = pytest.mark.browser

IT = ("cntt", "Cong-nghe-2026!")
GUARD = ("baove", "Bao-ve-2026!")


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, Path, RtspCamera]]:
    """A recording server with one real camera (keyframes 2 s apart), IT and a guard."""
    camera = RtspCamera(make_test_video(seconds=20), path="/yard", port=0)
    camera.start()
    data_dir = tmp_path_factory.mktemp("analysis")
    inst = open_installation(load_settings(data_dir, {}))
    with inst.database.transaction() as session:
        zone = inst.zones.create(
            session,
            SYSTEM_ACTOR,
            name="Sân trường",
            kind="yard",
            purposes=["security"],
            responsible_unit="Tổ bảo vệ",
        )
        yard = inst.cameras.create(
            session, SYSTEM_ACTOR, name="Sân trước", zone_id=zone.id, main_url=camera.url
        )
        inst.cameras.set_state(session, SYSTEM_ACTOR, yard.id, "in_service", reason="test")
        camera_id = yard.id
        for (username, password), role in ((IT, "it"), (GUARD, "security")):
            inst.accounts.create(
                session,
                SYSTEM_ACTOR,
                username=username,
                full_name=username.title(),
                role=role,
                password=password,
                must_change_password=False,
            )
    inst.close()
    server = ServerProcess(data_dir)
    base = server.start()
    yield base, camera_id, data_dir, camera
    server.stop()
    camera.stop()


def snapshot_views(data_dir: Path) -> int:
    inst = open_installation(load_settings(data_dir, {}), migrate=False)
    try:
        with inst.database.reading() as session:
            query = select(func.count()).where(AuditEntry.action == "footage.event_snapshot")
            return int(session.scalar(query) or 0)
    finally:
        inst.close()


def test_it_masks_the_flag_over_the_live_picture_and_sets_the_sensitivities(
    page: Page, school: tuple[str, int, Path, RtspCamera]
) -> None:
    base, camera_id, data_dir, _ = school
    log_in(page, base, IT)
    form = page.locator("#analysis-settings")
    picture = form.locator("img.mask-picture")
    loaded = "(i) => i.complete && i.naturalWidth > 0"
    deadline = time.monotonic() + 30
    while True:  # the recorder's first keyframe may not have come yet
        page.goto(f"{base}/cameras/{camera_id}")
        page.wait_for_load_state("load")
        if picture.evaluate(loaded) or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert picture.is_visible()
    for index in (14, 15, 30, 31):  # the flag in the top-right corner
        form.locator("label.mask-cell").nth(index).click()  # a click anywhere in the cell
    form.get_by_label("Độ nhạy phát hiện phá hoại camera").select_option("high")
    form.get_by_label("Độ nhạy phát hiện chuyển động").select_option("low")
    screenshot(page, "analysis-settings-form")
    form.get_by_role("button", name="Lưu cài đặt phân tích").click()
    expect(page.locator("body")).to_contain_text("Đã lưu")
    checked = page.locator("#analysis-settings input[name=cell]:checked")
    expect(checked).to_have_count(4)
    inst = open_installation(load_settings(data_dir, {}), migrate=False)
    try:
        with inst.database.reading() as session:
            stored = session.get(Camera, camera_id)
            assert stored is not None
            assert stored.tamper_sensitivity == "high" and stored.motion_sensitivity == "low"
            assert [i for i, c in enumerate(stored.analysis_mask) if c == "1"] == [14, 15, 30, 31]
    finally:
        inst.close()


def test_a_guard_finds_the_covered_camera_on_the_health_page_with_its_pictures(
    page: Page, school: tuple[str, int, Path, RtspCamera]
) -> None:
    base, _, data_dir, camera = school
    time.sleep(22)  # the analysis learns the normal view for 20 s
    camera.switch_file(make_test_video(seconds=20, pattern="color=c=gray"))  # a cloth
    log_in(page, base, GUARD)
    deadline = time.monotonic() + 30
    while True:
        page.goto(f"{base}/health")
        if page.locator("details.snapshots").count() or time.monotonic() > deadline:
            break
        time.sleep(1)
    row = page.locator("tr", has=page.locator("details.snapshots")).first
    expect(row).to_contain_text("Ống kính bị che")
    expect(row).to_contain_text("điểm")
    assert snapshot_views(data_dir) == 0  # listed, not looked at
    row.locator("summary").click()
    for image in row.locator("img").all():
        expect(image).to_be_visible()
    page.wait_for_function(
        "() => [...document.querySelectorAll('details.snapshots[open] img')]"
        ".every(i => i.complete && i.naturalWidth > 0)",
        timeout=10000,
    )
    screenshot(page, "health-tamper-event")
    assert snapshot_views(data_dir) == 2
