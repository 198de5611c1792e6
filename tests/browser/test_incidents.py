"""An incident from a tamper alert, in real Chromium over a real camera: the head of security
opens it from the alert, writes a note and a decision, downloads the biên bản (Vietnamese with
its diacritics), exports the package, downloads it, and `camwarden verify` accepts it; every
step is in the incident's chain of custody."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pypdfium2
import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from camwarden.storage.models import Alert
from tests.browser._school import SHORT_SEGMENTS, AnalysedCamera, Member, analysed_camera, reading
from tests.browser.conftest import ARTIFACTS, log_in, new_person, screenshot, wait_until_playing
from tests.evidence.test_incident_package import pdf_text
from tests.support.rtsp import StartCamera, make_test_video, rtsp_cameras  # noqa: F401

pytestmark = pytest.mark.browser

LEAD = ("truongbaove", "Truong-bao-ve-2026!")


@pytest.fixture
def school(tmp_path: Path, rtsp_cameras: StartCamera) -> Iterator[AnalysedCamera]:  # noqa: F811
    gate = rtsp_cameras("gate", make_test_video(seconds=20))
    settings = f'{SHORT_SEGMENTS}school_name = "Trường Tiểu học Dịch Vọng"\n'
    lead = Member(LEAD, "security_lead", "Phạm Quốc Việt")
    with analysed_camera(tmp_path / "school", gate, [lead], settings=settings) as school:
        yield school


def covered_alert(data_dir: Path, timeout: float = 60.0) -> int:
    """The id of the alert the covered lens raised, once the analysis has raised it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with reading(data_dir) as session:
            alert_id = session.scalar(select(Alert.id).where(Alert.kind == "covered"))
        if alert_id is not None:
            return alert_id
        time.sleep(0.5)
    raise AssertionError("the covered lens raised no alert")


def save_first_page(content: bytes, name: str) -> Path:
    """Page 1 as a PNG beside the screenshots, for a person to look at the diacritics."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    document = pypdfium2.PdfDocument(content)
    try:
        path = ARTIFACTS / f"{name}.png"
        document[0].render(scale=1.5).to_pil().save(path)
        return path
    finally:
        document.close()


def downloaded(page: Page, link_name: str) -> bytes:
    with page.expect_download() as download:
        page.get_by_role("link", name=link_name).click()
    path = download.value.path()
    assert path is not None
    return Path(path).read_bytes()


def test_the_head_of_security_turns_a_tamper_alert_into_an_incident_with_a_record_and_a_package(
    school: AnalysedCamera, browser: Browser, tmp_path: Path
) -> None:
    page = new_person(browser, 1366, 900)
    log_in(page, school.base, LEAD)
    expect(
        page.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Vụ việc")
    ).to_be_visible()

    school.cover_once_learned()
    alert_id = covered_alert(school.data_dir)
    page.goto(f"{school.base}/alerts/{alert_id}")
    page.get_by_role("link", name="Mở hồ sơ sự việc").click()
    expect(page.get_by_label("Tiêu đề")).to_have_value(re.compile("Ống kính bị che"))
    page.locator("#description").fill("Camera cổng chính bị che bằng vải lúc học sinh ra về.")
    page.get_by_role("button", name="Mở sự việc").click()
    expect(page).to_have_url(re.compile(r"/incidents/\d+\?notice=created$"))
    expect(page.locator("h1")).to_contain_text("SV-2026-0001")
    expect(page.locator("article.clip")).to_have_count(1)
    expect(page.locator("article.clip h3")).to_contain_text("Cổng chính")

    page.locator("#entry-kind").select_option("note")
    page.locator("#entry-text").fill("Bảo vệ Đỗ Văn Bảo đã ra cổng gỡ tấm vải lúc 16 giờ 35.")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator("ul.notes")).to_contain_text("gỡ tấm vải")
    page.locator("#entry-kind").select_option("person")
    page.locator("#entry-text").fill("Nguyễn Thị Hương")
    page.locator("#entry-capacity").fill("phụ huynh học sinh lớp 4B")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.locator("#entry-kind").select_option("decision")
    page.locator("#entry-text").fill("Lắp camera ở độ cao ngoài tầm với của người qua lại.")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator("ol.decisions")).to_contain_text("ngoài tầm với")

    # The clip plays in the page's player; the viewing is a link of the chain of custody.
    page.locator("article.clip video").evaluate("v => { v.muted = true; return v.play(); }")
    wait_until_playing(page, "article.clip video")
    page.reload()
    expect(page.locator("table.custody")).to_contain_text("Xem video")

    record = downloaded(page, "Tải biên bản (PDF)")
    text = pdf_text(record)
    for words in (
        "TRƯỜNG TIỂU HỌC DỊCH VỌNG",
        "BIÊN BẢN SỰ VIỆC",
        "Số: SV-2026-0001",
        "Nguyễn Thị Hương",
        "phụ huynh học sinh lớp 4B",
        "gỡ tấm vải",
        "Lắp camera ở độ cao ngoài tầm với của người qua lại.",
        "chưa xuất",
        "ĐẠI DIỆN BAN GIÁM HIỆU",
    ):
        assert words in text, words
    save_first_page(record, "incident-record-page1")

    page.get_by_role("button", name="Xuất gói", exact=True).click()
    expect(page).to_have_url(re.compile(r"/incidents/\d+\?notice=created$"))
    package_zip = downloaded(page, "Tải về (zip)")
    (tmp_path / "package.zip").write_bytes(package_zip)
    with zipfile.ZipFile(tmp_path / "package.zip") as bundle:
        bundle.extractall(tmp_path / "received")
    (folder,) = (tmp_path / "received").iterdir()
    assert (folder / "documents" / "bien-ban-sv-2026-0001.pdf").is_file()
    checked = subprocess.run(
        [sys.executable, "-m", "camwarden.cli", "--lang", "en", "verify", str(folder)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "1 document(s) in documents/ are exactly as signed too" in checked.stdout

    page.get_by_role("button", name="Kiểm tra gói").click()
    expect(page.locator("#verification")).to_contain_text("nguyên vẹn")
    custody = page.locator("table.custody")
    for action in (
        "Thêm đoạn video",
        "In biên bản",
        "Xuất gói chứng cứ",
        "Tải gói chứng cứ",
        "Kiểm tra gói chứng cứ",
    ):
        expect(custody).to_contain_text(action)
    screenshot(page, "incident-page")
