"""Complaint e-mails through a real SMTP server (R-3.1): filing, assignment, a message to the
person, the deadline reminders from the monitoring tick and the decision, each to the right
people, with a Vietnamese subject, and never carrying the tracking code."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from camwarden.clock import ManualClock
from camwarden.governance.authorization import Actor
from camwarden.governance.complaints import ComplaintKind, complaint_mail
from camwarden.installation import Installation
from camwarden.monitoring.service import remind_complaints
from tests.governance.complaint_helpers import make_handler
from tests.support.mail import Received, SmtpServer

PARENT = "me.mai@example.vn"
PRINCIPAL = "hieutruong@truong.edu.vn"
BOARD = "pho.hieutruong@truong.edu.vn"
SECURITY_LEAD = "totruong@truong.edu.vn"


def _sent(installation: Installation, smtp: SmtpServer, count: int) -> list[Received]:
    """The e-mails so far, once every committed step's mail has left and `count` arrived."""
    assert installation.complaints.mail.wait_until_sent()
    return smtp.wait_for(count)


def _new(received: list[Received], before: int) -> set[tuple[str, str]]:
    return {(r.recipients[0], r.subject) for r in received[before:]}


def test_each_step_mails_the_right_people_in_vietnamese_through_a_real_smtp_server(
    installation: Installation, admin: Actor, clock: ManualClock, smtp_server: SmtpServer
) -> None:
    settings = dataclasses.replace(
        installation.settings,
        mail_url=smtp_server.mail_url(),
        public_url="https://camera.truong.edu.vn",
    )
    installation.complaints.mail = complaint_mail(settings)
    principal = make_handler(installation, admin, "hieutruong", email=PRINCIPAL)
    make_handler(installation, admin, "phohieutruong", role="board", email=BOARD)
    # Not a complaint handler: never told about complaints.
    make_handler(installation, admin, "totruong", role="security_lead", email=SECURITY_LEAD)

    with installation.database.transaction() as session:
        filed = installation.complaints.file(
            session,
            None,
            kind=ComplaintKind.COMPLAINT,
            name="Trần Thị Mai",
            contact=PARENT,
            subject="Con tôi bị xô ngã ở cổng",
            description="Sáng thứ hai, khoảng 7 giờ.",
        )
        complaint_id, reference, code = (
            filed.complaint.id,
            filed.complaint.reference,
            filed.tracking_code,
        )
    received = _sent(installation, smtp_server, 3)
    assert _new(received, 0) == {
        (PARENT, f"Đã tiếp nhận khiếu nại {reference}"),
        (PRINCIPAL, f"Đã tiếp nhận khiếu nại {reference}"),
        (BOARD, f"Đã tiếp nhận khiếu nại {reference}"),
    }
    to_parent = next(r for r in received if r.recipients == [PARENT])
    assert "Con tôi bị xô ngã ở cổng" in to_parent.text
    assert "https://camera.truong.edu.vn/complaint/status" in to_parent.text
    to_principal = next(r for r in received if r.recipients == [PRINCIPAL])
    assert f"https://camera.truong.edu.vn/complaints/{complaint_id}" in to_principal.text

    with installation.database.transaction() as session:
        installation.complaints.assign(session, principal, complaint_id, principal.user_id or 0)
    received = _sent(installation, smtp_server, 4)
    assert _new(received, 3) == {(PRINCIPAL, f"Khiếu nại {reference} được giao cho bạn")}

    with installation.database.transaction() as session:
        installation.complaints.write(
            session, principal, complaint_id, "Mời chị đến phòng Hiệu trưởng sáng thứ tư."
        )
    received = _sent(installation, smtp_server, 5)
    assert _new(received, 4) == {(PARENT, f"Tin nhắn về khiếu nại {reference} của bạn")}
    assert "Mời chị đến phòng Hiệu trưởng sáng thứ tư." in received[4].text

    # Two days before the deadline, then after it: the assignee alone, once each.
    clock.advance(timedelta(days=13, hours=1).total_seconds())
    assert remind_complaints(installation) == 1
    assert remind_complaints(installation) == 0
    received = _sent(installation, smtp_server, 6)
    assert _new(received, 5) == {(PRINCIPAL, f"Khiếu nại {reference}: sắp đến hạn giải quyết")}
    clock.advance(timedelta(days=2).total_seconds())
    assert remind_complaints(installation) == 1
    assert remind_complaints(installation) == 0
    received = _sent(installation, smtp_server, 7)
    assert _new(received, 6) == {(PRINCIPAL, f"Khiếu nại {reference}: đã quá hạn giải quyết")}

    with installation.database.transaction() as session:
        installation.complaints.decide(
            session, principal, complaint_id, "Nhà trường đã xem lại hình ảnh và nhắc nhở học sinh."
        )
    received = _sent(installation, smtp_server, 8)
    assert _new(received, 7) == {(PARENT, f"Quyết định về khiếu nại {reference} của bạn")}
    assert "Nhà trường đã xem lại hình ảnh và nhắc nhở học sinh." in received[7].text

    assert len(smtp_server.received) == 8
    assert all(SECURITY_LEAD not in r.recipients for r in smtp_server.received)
    assert all(code not in r.text and code not in r.subject for r in smtp_server.received)
    assert all(r.sender == "camera@truong.edu.vn" for r in smtp_server.received)


def test_nothing_is_mailed_for_a_step_that_was_rolled_back(
    installation: Installation, admin: Actor, clock: ManualClock, smtp_server: SmtpServer
) -> None:
    settings = dataclasses.replace(installation.settings, mail_url=smtp_server.mail_url())
    installation.complaints.mail = complaint_mail(settings)
    make_handler(installation, admin, "hieutruong", email=PRINCIPAL)
    try:
        with installation.database.transaction() as session:
            installation.complaints.file(
                session,
                None,
                kind=ComplaintKind.COMPLAINT,
                name="Trần Thị Mai",
                contact=PARENT,
                subject="Thử",
                description="Thử",
            )
            raise RuntimeError("the page failed after filing")
    except RuntimeError:
        pass
    with installation.database.transaction() as session:
        installation.complaints.file(
            session,
            None,
            kind=ComplaintKind.SEE_MYSELF,
            name="Lê Văn Nam",
            contact=PARENT,
            subject="Xem lại hình ảnh của tôi",
            description="Hành lang tầng 2.",
        )
    received = _sent(installation, smtp_server, 2)
    # Only the second filing, which committed, was told: its reference is the first number.
    assert {r.subject for r in received} == {f"Đã tiếp nhận khiếu nại KN-{clock.now().year}-0001"}
    assert len(smtp_server.received) == 2
