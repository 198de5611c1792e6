"""IT masks a flag on the live picture and sets sensitivities; a guard finds the tamper alert
on the health page with its pictures, opened on purpose (and audited)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from camwarden.storage.models import AuditEntry, Camera
from tests.browser._school import (
    GUARD,
    IT,
    AnalysedCamera,
    Member,
    analysed_camera,
    reading,
    simulated_camera,
)
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AnalysedCamera]:
    """A recording server with one real camera (keyframes 2 s apart), IT and a guard."""
    members = [Member(IT, "it", IT[0].title()), Member(GUARD, "security", GUARD[0].title())]
    data_dir = tmp_path_factory.mktemp("analysis")
    with (
        simulated_camera("/yard", seconds=20) as camera,
        analysed_camera(
            data_dir,
            camera,
            members,
            settings="",
            zone=("Sân trường", "yard"),
            camera_name="Sân trước",
        ) as school,
    ):
        yield school


def snapshot_views(data_dir: Path) -> int:
    with reading(data_dir) as session:
        query = select(func.count()).where(AuditEntry.action == "footage.event_snapshot")
        return int(session.scalar(query) or 0)


def test_it_masks_the_flag_over_the_live_picture_and_sets_the_sensitivities(
    page: Page, school: AnalysedCamera
) -> None:
    base, camera_id, data_dir = school.base, school.camera_id, school.data_dir
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
    with reading(data_dir) as session:
        stored = session.get(Camera, camera_id)
        assert stored is not None
        assert stored.tamper_sensitivity == "high" and stored.motion_sensitivity == "low"
        assert [i for i, c in enumerate(stored.analysis_mask) if c == "1"] == [14, 15, 30, 31]


def test_a_guard_finds_the_covered_camera_on_the_health_page_with_its_pictures(
    page: Page, school: AnalysedCamera
) -> None:
    base, data_dir = school.base, school.data_dir
    time.sleep(22)  # the analysis learns the normal view for 20 s
    school.camera.switch_file(school.cloth)  # a cloth
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
