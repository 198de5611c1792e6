"""Complaints from the people filmed (R-3.1): filing, holds, handling, the person's side."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from camwarden.clock import ManualClock
from camwarden.errors import Conflict, Forbidden, InvalidInput, NotFound
from camwarden.governance.authorization import Actor
from camwarden.governance.complaints import (
    ComplaintKind,
    ComplaintStatus,
    FootageRange,
    Upload,
    is_overdue,
)
from camwarden.i18n import translations_for
from camwarden.installation import Installation
from camwarden.storage.holds import is_held
from camwarden.storage.models import AuditEntry, ComplaintAttachment
from tests.governance.complaint_helpers import JPEG, make_handler


def _file(
    installation: Installation, clock: ManualClock, camera_id: int | None = None, **extra: object
):  # type: ignore[no-untyped-def]
    now = clock.now()
    footage = (
        [FootageRange(camera_id, now - timedelta(hours=3), now - timedelta(hours=2))]
        if camera_id
        else []
    )
    values: dict[str, object] = {
        "kind": ComplaintKind.COMPLAINT,
        "name": "Trần Thị Mai",
        "contact": "me.mai@example.vn",
        "subject": "Con tôi bị xô ngã ở cổng",
        "description": "Sáng thứ hai, khoảng 7 giờ, ở cổng trường.",
        "footage": footage,
        "uploads": [Upload("anh-cong.jpg", JPEG)],
        **extra,
    }
    with installation.database.transaction() as session:
        filed = installation.complaints.file(session, None, ip="198.51.100.7", **values)  # type: ignore[arg-type]
        return filed.complaint.id, filed.complaint.reference, filed.tracking_code


def test_filing_gives_a_reference_a_code_a_deadline_and_holds_the_footage_named(
    installation: Installation, clock: ManualClock, cameras: dict[str, int]
) -> None:
    complaint_id, reference, code = _file(installation, clock, cameras["gate"])
    assert reference == f"KN-{clock.now().year}-0001"
    assert len(code) == 14
    with installation.database.reading() as session:
        complaint = installation.complaints.follow(session, code.lower().replace("-", " "))
        assert complaint.id == complaint_id
        assert complaint.tracking_hash != code
        assert complaint.deadline_at - complaint.submitted_at == timedelta(days=15)
        assert complaint.status == ComplaintStatus.RECEIVED
        start = clock.now() - timedelta(hours=3)
        assert is_held(session, cameras["gate"], start, start + timedelta(minutes=1))
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "complaint.filed")
        ).one()
        assert (entry.actor, entry.ip) == ("complainant", "198.51.100.7")


def test_a_second_filing_gets_the_next_number(
    installation: Installation, clock: ManualClock
) -> None:
    _file(installation, clock)
    _, reference, _ = _file(installation, clock)
    assert reference.endswith("-0002")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "  "}, "name"),
        ({"contact": "gọi cho tôi"}, "contact"),
        ({"kind": "praise"}, "kind"),
        ({"subject": "x" * 201}, "subject"),
    ],
)
def test_bad_input_is_refused_by_name_and_nothing_is_filed(
    installation: Installation, clock: ManualClock, change: dict[str, str], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _file(installation, clock, **change)
    assert refused.value.field == field
    with installation.database.reading() as session:
        assert session.scalars(select(ComplaintAttachment)).all() == []
        assert (
            session.scalars(select(AuditEntry).where(AuditEntry.action == "complaint.filed")).all()
            == []
        )


def test_footage_that_is_unknown_backwards_or_in_the_future_is_refused(
    installation: Installation, clock: ManualClock, cameras: dict[str, int]
) -> None:
    now = clock.now()
    for bad in (
        FootageRange(999, now - timedelta(hours=1), now),
        FootageRange(cameras["gate"], now, now - timedelta(hours=1)),
        FootageRange(cameras["gate"], now + timedelta(hours=1), now + timedelta(hours=2)),
        FootageRange(cameras["gate"], now - timedelta(hours=30), now),
    ):
        with pytest.raises(InvalidInput) as refused:
            _file(installation, clock, footage=[bad])
        assert refused.value.field == "footage"


def test_a_signed_in_filer_needs_the_permission_and_is_linked(
    installation: Installation, clock: ManualClock, admin: Actor
) -> None:
    teacher = make_handler(installation, admin, "giaovien", role="staff")
    with installation.database.transaction() as session:
        filed = installation.complaints.file(
            session,
            teacher,
            kind=ComplaintKind.SEE_MYSELF,
            name="Lê Văn Giáo",
            contact="0912 345 678",
            subject="Xem lại hình ảnh của tôi",
            description="Hành lang tầng 2",
        )
        assert filed.complaint.complainant_user_id == teacher.user_id
    with installation.database.transaction() as session, pytest.raises(Forbidden):
        installation.complaints.file(
            session,
            admin,
            kind=ComplaintKind.COMPLAINT,
            name="Quản trị",
            contact="0912345678",
            subject="x",
            description="y",
        )


def test_the_handler_assigns_writes_starts_and_decides_and_the_footage_is_released(
    installation: Installation, clock: ManualClock, admin: Actor, cameras: dict[str, int]
) -> None:
    principal = make_handler(installation, admin, "hieutruong")
    complaint_id, _, code = _file(installation, clock, cameras["gate"])
    complaints = installation.complaints
    with installation.database.transaction() as session:
        complaints.assign(session, principal, complaint_id, principal.user_id or 0)
        complaints.write(session, principal, complaint_id, "Chúng tôi đang xem lại hình ảnh.")
        complaints.start(session, principal, complaint_id)
    with installation.database.transaction() as session:
        complaints.reply(session, code, "Cảm ơn, tôi chờ.", [Upload("them.pdf", b"%PDF-1.7 x")])
    clock.advance(timedelta(days=3).total_seconds())
    with installation.database.transaction() as session, pytest.raises(InvalidInput):
        complaints.decide(session, principal, complaint_id, "   ")
    with installation.database.transaction() as session:
        complaints.decide(
            session, principal, complaint_id, "Bảo vệ đã được nhắc nhở; xin lỗi gia đình."
        )
    with installation.database.reading() as session:
        shown = complaints.details(session, complaints.follow(session, code))
        assert shown.complaint.status == ComplaintStatus.DECIDED
        assert [m.from_complainant for m in shown.messages] == [False, True]
        assert len(shown.attachments_of(shown.messages[1].id)) == 1
        start = clock.now() - timedelta(days=3, hours=3)
        assert not is_held(session, cameras["gate"], start, start + timedelta(hours=1))
        actions = [e.action for e in complaints.history(session, principal, complaint_id)]
        assert actions == [
            "complaint.filed",
            "complaint.assigned",
            "complaint.message",
            "complaint.in_progress",
            "complaint.replied",
            "complaint.decided",
        ]
    with installation.database.transaction() as session, pytest.raises(Conflict):
        complaints.reply(session, code, "Thêm nữa")


def test_the_person_can_withdraw_which_releases_the_footage(
    installation: Installation, clock: ManualClock, cameras: dict[str, int]
) -> None:
    _, _, code = _file(installation, clock, cameras["gate"])
    with installation.database.transaction() as session:
        installation.complaints.withdraw(session, code)
    with installation.database.reading() as session:
        start = clock.now() - timedelta(hours=3)
        assert not is_held(session, cameras["gate"], start, start + timedelta(hours=1))
        assert installation.complaints.follow(session, code).status == ComplaintStatus.WITHDRAWN


def test_a_wrong_code_opens_nothing(installation: Installation, clock: ManualClock) -> None:
    _file(installation, clock)
    with installation.database.reading() as session:
        for wrong in ("", "AAAA-BBBB-CCCC"):
            with pytest.raises(NotFound):
                installation.complaints.follow(session, wrong)


def test_only_an_active_handler_can_be_assigned_and_only_handlers_handle(
    installation: Installation, clock: ManualClock, admin: Actor
) -> None:
    principal = make_handler(installation, admin, "hieutruong")
    guard = make_handler(installation, admin, "baove", role="security")
    complaint_id, _, _ = _file(installation, clock)
    with installation.database.transaction() as session, pytest.raises(InvalidInput):
        installation.complaints.assign(session, principal, complaint_id, guard.user_id or 0)
    with installation.database.reading() as session, pytest.raises(Forbidden):
        installation.complaints.get(session, guard, complaint_id)


def test_open_complaints_come_first_and_a_passed_deadline_is_overdue(
    installation: Installation, clock: ManualClock, admin: Actor
) -> None:
    principal = make_handler(installation, admin, "hieutruong")
    first, _, _ = _file(installation, clock)
    clock.advance(timedelta(days=1).total_seconds())
    second, _, _ = _file(installation, clock)
    with installation.database.transaction() as session:
        installation.complaints.decide(session, principal, first, "Không có căn cứ.")
    clock.advance(timedelta(days=15).total_seconds())
    with installation.database.reading() as session:
        listed = installation.complaints.listed(session, principal)
        assert [c.id for c in listed] == [second, first]
        assert is_overdue(listed[0], clock.now()) and not is_overdue(listed[1], clock.now())


def test_reminders_go_once_before_the_deadline_and_once_after(
    installation: Installation, clock: ManualClock
) -> None:
    _file(installation, clock)
    complaints = installation.complaints
    with installation.database.transaction() as session:
        assert complaints.remind_due(session, clock.now()) == 0
    clock.advance(timedelta(days=13, hours=1).total_seconds())
    with installation.database.transaction() as session:
        assert complaints.remind_due(session, clock.now()) == 1
        assert complaints.remind_due(session, clock.now()) == 0
    clock.advance(timedelta(days=2).total_seconds())
    with installation.database.reading() as session:
        assert complaints.reminders_due(session, clock.now())
    with installation.database.transaction() as session:
        assert complaints.remind_due(session, clock.now()) == 1
    clock.advance(timedelta(days=5).total_seconds())
    with installation.database.transaction() as session:
        assert complaints.remind_due(session, clock.now()) == 0
        actions = session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.action.in_(["complaint.due_soon", "complaint.overdue"]))
            .order_by(AuditEntry.seq)
        ).all()
        assert list(actions) == ["complaint.due_soon", "complaint.overdue"]


@pytest.mark.parametrize(
    ("change", "label"),
    [
        ({"name": "  "}, "Họ và tên của bạn"),
        ({"description": ""}, "Sự việc đã xảy ra và điều bạn đề nghị"),
        ({"subject": "x" * 201}, "Tiêu đề"),
        ({"contact": ""}, "Số điện thoại hoặc e-mail"),
    ],
)
def test_errors_name_the_field_as_the_form_shows_it_in_vietnamese(
    installation: Installation, clock: ManualClock, change: dict[str, str], label: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _file(installation, clock, **change)
    shown = refused.value.render(translations_for("vi").gettext)
    assert f"'{label}'" in shown
    assert f"'{refused.value.field}'" not in shown  # never the internal name


def test_a_decision_without_reasons_is_refused_by_its_label(
    installation: Installation, clock: ManualClock, admin: Actor
) -> None:
    principal = make_handler(installation, admin, "hieutruong")
    complaint_id, _, _ = _file(installation, clock)
    with installation.database.transaction() as session, pytest.raises(InvalidInput) as refused:
        installation.complaints.decide(session, principal, complaint_id, " \n ")
    assert "'Quyết định và lý do'" in refused.value.render(translations_for("vi").gettext)
