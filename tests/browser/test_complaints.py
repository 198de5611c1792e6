"""A parent's complaint in real Chromium (R-3.1): filed on a phone without an account, with a
photo and the footage it is about; the principal assigns it and writes to her; she replies by
her tracking code; the principal decides and she reads the decision. The e-mails reach a real
SMTP server, and the footage named is held while the complaint is open and released after."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from camwarden.installation import Installation
from camwarden.storage.holds import is_held
from camwarden.storage.models import AuditEntry, FootageHold, Segment
from tests.browser._school import (
    BOARD,
    PRINCIPAL,
    SHORT_SEGMENTS,
    Member,
    add_camera,
    add_zone,
    create_school,
    form_fields,
    open_school,
    record_footage,
    serving_in_process,
    simulated_camera,
    whole_minute,
)
from tests.browser.conftest import log_in, new_person, screenshot
from tests.support.mail import Received, SmtpServer

pytestmark = pytest.mark.browser

PRINCIPAL_EMAIL = "hieutruong@truong.edu.vn"
BOARD_EMAIL = "pho.hieutruong@truong.edu.vn"
PARENT_EMAIL = "mai.tran@example.vn"


@dataclass(frozen=True)
class School:
    base: str
    installation: Installation
    smtp: SmtpServer
    camera_id: int
    day: str  # the recorded footage's day and minutes, as the parent types them (school time)
    from_time: str
    to_time: str
    photo: Path


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Iterator[School]:
    """A gate camera recorded for a few seconds by a real server from a real RTSP camera, a
    camera not yet accepted in another place, the school's mail on a real SMTP server; then the
    same data served in this process, so that the test can look at its holds."""
    smtp = SmtpServer()
    smtp.start()
    data_dir = tmp_path_factory.mktemp("complaints")
    members = [
        Member(PRINCIPAL, "principal", "Trần Thị Hiền", PRINCIPAL_EMAIL),
        Member(BOARD, "board", "Lê Văn Phó", BOARD_EMAIL),
    ]
    with simulated_camera("/gate") as camera:
        camera_id = create_school(
            data_dir,
            members,
            camera.url,
            settings=f'{SHORT_SEGMENTS}mail_url = "{smtp.mail_url()}"\n'
            'public_url = "https://camera.truong.edu.vn"\n',
        )
        inst = open_school(data_dir)
        with inst.database.transaction() as session:
            # Being installed: records nothing, so a parent cannot name it.
            yard = add_zone(inst, session, "Sân trường", "yard")
            add_camera(
                inst,
                session,
                yard,
                "rtsp://10.0.0.99/stream",
                "Sân sau (đang lắp đặt)",
                in_service=False,
            )
        inst.close()
        started, ended = record_footage(data_dir)

    # A real photo, as a phone would send it.
    photo = data_dir / "anh-cong-truong.jpg"
    ffmpeg = ["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=640x480"]
    subprocess.run([*ffmpeg, "-frames:v", "1", "-y", str(photo)], check=True)
    # Whole minutes, as a parent types them, covering everything recorded.
    first, last = whole_minute(started), whole_minute(ended) + timedelta(minutes=1)
    try:
        with serving_in_process(data_dir) as (installation, base):
            yield School(
                base, installation, smtp, camera_id, photo=photo, **form_fields(first, last)
            )
    finally:
        smtp.stop()


def mails_to(school: School, address: str, count: int) -> list[Received]:
    """The e-mails `address` has had, once every committed step's mail has gone and at least
    `count` arrived (the mail leaves after the step commits, in the background)."""
    assert school.installation.complaints.mail.wait_until_sent()
    received: list[Received] = []
    for _ in range(200):
        received = [r for r in school.smtp.received if address in r.recipients]
        if len(received) >= count:
            return received
        time.sleep(0.05)
    raise AssertionError(f"{address} had {[r.subject for r in received]}")


def held_ranges(school: School, reference: str) -> list[FootageHold]:
    with school.installation.database.reading() as session:
        return list(
            session.scalars(select(FootageHold).where(FootageHold.reference == reference)).all()
        )


def recorded_minutes_are_held(school: School) -> bool:
    with school.installation.database.reading() as session:
        segments = session.scalars(
            select(Segment).where(Segment.camera_id == school.camera_id)
        ).all()
        assert segments, "the server recorded nothing"
        return all(is_held(session, school.camera_id, s.start_at, s.end_at) for s in segments)


def fits_the_phone(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= 390"))


def test_a_parent_complains_on_her_phone_and_follows_it_to_the_decision(
    school: School, phone: Page, browser: Browser, tmp_path: Path
) -> None:
    # The parent, on her phone, with no account.
    phone.goto(f"{school.base}/complaint")
    expect(phone.get_by_role("heading", name="Gửi khiếu nại")).to_be_visible()
    camera_choice = phone.locator("#camera-0")
    expect(camera_choice.locator("optgroup[label='Cổng trường'] option")).to_have_text(
        ["Cổng chính"]
    )
    expect(camera_choice.locator("option", has_text="đang lắp đặt")).to_have_count(0)
    phone.get_by_label("Họ và tên của bạn").fill("Trần Thị Mai")
    phone.get_by_label("Thư điện tử hoặc số điện thoại").fill(PARENT_EMAIL)
    phone.get_by_label("Tiêu đề").fill("Con tôi bị xô ngã ở cổng trường")
    phone.get_by_label("Sự việc đã xảy ra và điều bạn đề nghị").fill(
        "Sáng nay con tôi (lớp 2B) bị một bạn xô ngã ở cổng. Đề nghị nhà trường xem lại camera "
        "và xử lý."
    )
    camera_choice.select_option(label="Cổng chính")
    phone.locator("#day-0").fill(school.day)
    phone.locator("#start-0").fill(school.from_time)
    phone.locator("#end-0").fill(school.to_time)
    phone.locator("#attachments").set_input_files(school.photo)
    assert fits_the_phone(phone)
    screenshot(phone, "complaint-1-form-phone")
    phone.get_by_role("button", name="Gửi khiếu nại").click()

    expect(phone.get_by_role("heading", name="Đã tiếp nhận khiếu nại")).to_be_visible()
    reference = phone.get_by_test_id("reference").inner_text().strip()
    code = phone.get_by_test_id("tracking-code").inner_text().strip()
    assert re.fullmatch(r"KN-\d{4}-0001", reference), reference
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code), code
    assert fits_the_phone(phone)
    screenshot(phone, "complaint-2-tracking-code-phone")

    # The footage she named is held: none of the recorded minutes can be deleted.
    (hold,) = held_ranges(school, reference)
    assert (hold.kind, hold.camera_id, hold.released_at) == ("complaint", school.camera_id, None)
    assert recorded_minutes_are_held(school)
    # She and both handlers were told; the code is in no e-mail.
    (filed_mail,) = mails_to(school, PARENT_EMAIL, 1)
    assert filed_mail.subject == f"Đã tiếp nhận khiếu nại {reference}"
    assert code not in filed_mail.text
    for handler in (PRINCIPAL_EMAIL, BOARD_EMAIL):
        assert [m.subject for m in mails_to(school, handler, 1)] == [
            f"Đã tiếp nhận khiếu nại {reference}"
        ]

    # The principal takes it, looks at the photo, and writes to the parent.
    principal = new_person(browser)
    log_in(principal, school.base, PRINCIPAL)
    principal.get_by_role("navigation", name="Menu chính").locator("a[href='/complaints']").click()
    expect(principal.get_by_role("row", name=re.compile(reference))).to_be_visible()
    screenshot(principal, "complaint-3-list-principal")
    principal.get_by_role("link", name=re.compile(reference)).click()
    with principal.expect_download() as download:
        principal.get_by_role("link", name="anh-cong-truong.jpg").click()
    saved = tmp_path / "photo.jpg"
    download.value.save_as(saved)
    assert saved.read_bytes() == school.photo.read_bytes()
    principal.get_by_label("Người giải quyết").select_option(label="Trần Thị Hiền · Hiệu trưởng")
    principal.get_by_role("button", name="Giao việc").click()
    expect(principal.locator("dd", has_text="Trần Thị Hiền").first).to_be_visible()
    principal.get_by_label("Nội dung").fill(
        "Chào chị Mai, nhà trường đã xem camera cổng. Mời chị đến phòng Hiệu trưởng lúc 8 giờ "
        "sáng thứ tư để cùng xem lại."
    )
    principal.get_by_role("button", name="Gửi", exact=True).click()
    expect(principal.get_by_text("Mời chị đến phòng Hiệu trưởng")).to_be_visible()
    screenshot(principal, "complaint-4-assigned-and-written-principal")
    assert [m.subject for m in mails_to(school, PRINCIPAL_EMAIL, 2)][1] == (
        f"Khiếu nại {reference} được giao cho bạn"
    )
    message_mail = mails_to(school, PARENT_EMAIL, 2)[1]
    assert message_mail.subject == f"Tin nhắn về khiếu nại {reference} của bạn"
    assert "Mời chị đến phòng Hiệu trưởng" in message_mail.text

    # The parent opens her complaint with the code and replies.
    phone.goto(f"{school.base}/complaint/status")
    phone.get_by_label("Mã tra cứu").fill(code.lower())
    screenshot(phone, "complaint-5a-lookup-phone")
    phone.get_by_role("button", name="Xem khiếu nại của tôi").click()
    expect(phone.get_by_test_id("status")).to_have_text("Đã tiếp nhận")
    expect(phone.get_by_text("Mời chị đến phòng Hiệu trưởng")).to_be_visible()
    expect(
        phone.get_by_role("listitem").filter(has_text="Cổng chính (Cổng trường)")
    ).to_contain_text("được giữ lại khi khiếu nại chưa giải quyết xong")
    assert code not in phone.url
    phone.get_by_label("Tin nhắn của bạn").fill("Vâng, tôi sẽ đến đúng giờ. Cảm ơn cô.")
    assert fits_the_phone(phone)
    screenshot(phone, "complaint-5-status-and-reply-phone")
    phone.get_by_role("button", name="Gửi", exact=True).click()
    expect(phone.get_by_role("status")).to_be_visible()
    expect(phone.get_by_text("Vâng, tôi sẽ đến đúng giờ.")).to_be_visible()
    screenshot(phone, "complaint-6-replied-phone")
    reply_mail = mails_to(school, PRINCIPAL_EMAIL, 3)[2]
    assert reply_mail.subject == f"Người khiếu nại đã trả lời trong khiếu nại {reference}"
    assert "Vâng, tôi sẽ đến đúng giờ." in reply_mail.text

    # The principal decides, with reasons.
    principal.reload()
    expect(principal.get_by_text("Vâng, tôi sẽ đến đúng giờ.")).to_be_visible()
    principal.get_by_label("Quyết định và lý do").fill(
        "Hình ảnh camera cổng cho thấy cháu bị xô ngã lúc 7 giờ 05. Nhà trường đã nhắc nhở "
        "học sinh liên quan và thông báo cho giáo viên chủ nhiệm lớp 2B."
    )
    principal.get_by_role("button", name="Quyết định và kết thúc").click()
    expect(principal.get_by_test_id("status")).to_have_text("Đã quyết định")
    screenshot(principal, "complaint-7-decided-principal")
    principal.context.close()

    # The footage is no longer held for it.
    (hold,) = held_ranges(school, reference)
    assert hold.released_at is not None
    assert not recorded_minutes_are_held(school)

    # The parent reads the decision, by e-mail and on the status page.
    decision_mail = mails_to(school, PARENT_EMAIL, 3)[2]
    assert decision_mail.subject == f"Quyết định về khiếu nại {reference} của bạn"
    assert "nhắc nhở học sinh liên quan" in decision_mail.text
    phone.goto(f"{school.base}/complaint/status")
    phone.get_by_label("Mã tra cứu").fill(code)
    phone.get_by_role("button", name="Xem khiếu nại của tôi").click()
    expect(phone.get_by_test_id("status")).to_have_text("Đã quyết định")
    expect(phone.get_by_test_id("decision")).to_contain_text("nhắc nhở học sinh liên quan")
    expect(phone.get_by_label("Tin nhắn của bạn")).to_have_count(0)
    assert fits_the_phone(phone)
    screenshot(phone, "complaint-8-decision-phone")

    with school.installation.database.reading() as session:
        actions = session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.target_type == "complaint")
            .order_by(AuditEntry.seq)
        ).all()
    assert [a for a in actions if a != "complaint.attachment_opened"] == [
        "complaint.filed",
        "complaint.assigned",
        "complaint.message",
        "complaint.replied",
        "complaint.decided",
    ]
    assert "complaint.attachment_opened" in actions
    # Three e-mails each for the parent and the principal, one for the board: no more.
    assert len(school.smtp.received) == 7


def test_a_parent_withdraws_her_complaint_behind_a_second_tap_and_its_footage_is_released(
    school: School, phone: Page
) -> None:
    phone.goto(f"{school.base}/complaint")
    phone.get_by_label("Đề nghị xem hình ảnh của chính tôi").check()
    phone.get_by_label("Họ và tên của bạn").fill("Lê Văn Nam")
    phone.get_by_label("Thư điện tử hoặc số điện thoại").fill("0912 345 678")
    phone.get_by_label("Tiêu đề").fill("Xem lại hình ảnh của tôi ở cổng")
    phone.get_by_label("Sự việc đã xảy ra và điều bạn đề nghị").fill(
        "Tôi muốn xem lúc tôi đón con."
    )
    phone.locator("#camera-0").select_option(label="Cổng chính")
    phone.locator("#day-0").fill(school.day)
    phone.locator("#start-0").fill(school.from_time)
    phone.locator("#end-0").fill(school.to_time)
    phone.get_by_role("button", name="Gửi khiếu nại").click()
    reference = phone.get_by_test_id("reference").inner_text().strip()
    code = phone.get_by_test_id("tracking-code").inner_text().strip()
    # A phone number, not an e-mail: the page says the school may call.
    expect(phone.get_by_text("Nhà trường có thể gọi cho bạn theo số 0912 345 678")).to_be_visible()
    (hold,) = held_ranges(school, reference)
    assert hold.released_at is None

    phone.goto(f"{school.base}/complaint/status")
    phone.get_by_label("Mã tra cứu").fill(code)
    phone.get_by_role("button", name="Xem khiếu nại của tôi").click()
    withdraw = phone.get_by_role("button", name="Rút khiếu nại của tôi")
    expect(withdraw).to_be_hidden()  # folded: one slip of the thumb ends nothing
    phone.locator("summary", has_text="Rút khiếu nại của tôi").click()
    expect(withdraw).to_be_visible()
    screenshot(phone, "complaint-9-withdraw-unfolded-phone")
    withdraw.click()

    expect(phone.get_by_test_id("status")).to_have_text("Đã rút")
    expect(phone.get_by_role("status")).to_be_visible()
    expect(phone.get_by_text("không còn được giữ cho khiếu nại này")).to_be_visible()
    assert fits_the_phone(phone)
    screenshot(phone, "complaint-10-withdrawn-phone")
    (hold,) = held_ranges(school, reference)
    assert hold.released_at is not None
