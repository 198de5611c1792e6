"""The complaint pages: a parent files without an account and follows by code; the principal
handles it; attachments are downloadable by handlers only, and every opening is audited."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select

from camwarden.clock import ManualClock
from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.installation import Installation
from camwarden.storage.models import AuditEntry
from tests.governance.complaint_helpers import JPEG
from tests.web.conftest import Account, MakeAccount

LogIn = Callable[[Account], dict[str, str]]


def _public_token(client: TestClient, path: str = "/complaint") -> str:
    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    return _token_in(page.text)


def _token_in(text: str) -> str:
    found = re.search(r'name="public_csrf" value="([^"]+)"', text)
    assert found
    return found.group(1)


def _file(client: TestClient, **changes: object) -> tuple[str, str]:
    token = _public_token(client)
    form = {
        "public_csrf": token,
        "kind": "complaint",
        "name": "Trần Thị Mai",
        "contact": "0912 345 678",
        "subject": "Con tôi bị xô ngã",
        "description": "Ở cổng trường lúc 7 giờ.",
        **changes,
    }
    answer = client.post(
        "/complaint", data=form, files=[("attachments", ("anh.jpg", JPEG, "image/jpeg"))]
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    reference = re.search(r'data-testid="reference">([^<]+)<', answer.text)
    code = re.search(r'data-testid="tracking-code">([^<]+)<', answer.text)
    assert reference and code
    return reference.group(1), code.group(1)


def test_a_parent_files_without_an_account_and_follows_it_by_code(client: TestClient) -> None:
    reference, code = _file(client)
    token = _public_token(client, "/complaint/status")
    page = client.post("/complaint/status", data={"public_csrf": token, "code": code})
    assert reference in page.text and "Đã tiếp nhận" in page.text
    # Each page gives a fresh token with its cookie.
    replied = client.post(
        "/complaint/status/reply",
        data={"public_csrf": _token_in(page.text), "code": code, "body": "Tôi có thêm ảnh."},
        files=[("attachments", ("them.jpg", JPEG, "image/jpeg"))],
    )
    assert "Tôi có thêm ảnh." in replied.text and "them.jpg" in replied.text
    withdrawn = client.post(
        "/complaint/status/withdraw", data={"public_csrf": _token_in(replied.text), "code": code}
    )
    assert "Đã rút" in withdrawn.text


def test_a_form_without_its_cookie_token_files_nothing(client: TestClient) -> None:
    answer = client.post(
        "/complaint",
        data={"public_csrf": "forged", "name": "X", "contact": "0912345678", "subject": "s"},
    )
    assert "tracking-code" not in answer.text
    assert answer.status_code == 401


def test_a_wrong_file_type_is_refused_in_vietnamese_with_the_values_kept(
    client: TestClient,
) -> None:
    token = _public_token(client)
    answer = client.post(
        "/complaint",
        data={
            "public_csrf": token,
            "kind": "complaint",
            "name": "Trần Thị Mai",
            "contact": "0912345678",
            "subject": "Ảnh",
            "description": "Xem tệp",
        },
        files=[("attachments", ("virus.jpg", b"MZ\x90\x00 not a picture", "image/jpeg"))],
    )
    assert answer.status_code == 422
    assert "virus.jpg" in answer.text and "Trần Thị Mai" in answer.text


def test_the_principal_handles_it_and_the_attachment_opening_is_audited(
    client: TestClient,
    installation: Installation,
    make_account: MakeAccount,
    log_in: LogIn,
) -> None:
    _file(client)
    client.cookies.clear()
    principal = make_account("principal", username="hieutruong")
    csrf = log_in(principal)["X-CSRF-Token"]
    listed = client.get("/complaints")
    assert "KN-2026-0001" in listed.text
    found = re.search(r'href="/complaints/(\d+)"', listed.text)
    assert found
    complaint = f"/complaints/{found.group(1)}"
    for path, data in (
        ("/assign", {"assignee_id": str(principal.id)}),
        ("/messages", {"body": "Nhà trường đang xem lại."}),
        ("/progress", {}),
        ("/decide", {"decision": "Đã nhắc nhở bảo vệ."}),
    ):
        answer = client.post(
            complaint + path, data={**data, "csrf_token": csrf}, follow_redirects=False
        )
        assert answer.status_code == 303, (path, answer.text)
    detail = client.get(complaint)
    assert "Đã nhắc nhở bảo vệ." in detail.text
    link = re.search(r'href="(/complaints/\d+/attachments/\d+)"', detail.text)
    assert link
    download = client.get(link.group(1))
    assert download.content == JPEG
    assert download.headers["content-type"] == "image/jpeg"
    assert download.headers["content-disposition"].startswith("attachment")
    with installation.database.reading() as session:
        opened = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "complaint.attachment_opened")
        ).all()
        assert [e.actor for e in opened] == ["hieutruong"]


def test_the_api_files_lists_and_decides(client: TestClient, make_account: MakeAccount) -> None:
    teacher = make_account("staff", username="giaovien")
    principal = make_account("principal", username="hieutruong")
    filed = client.post(
        "/api/v1/complaints",
        json={
            "kind": "see_myself",
            "name": "Lê Văn Giáo",
            "contact": "giao@truong.edu.vn",
            "subject": "Xem hình của tôi",
            "description": "Hành lang tầng 2, chiều thứ ba.",
        },
        headers=teacher.headers,
    )
    assert filed.status_code == 201, filed.text
    complaint_id = filed.json()["id"]
    assert len(filed.json()["tracking_code"]) == 14
    assert client.get("/api/v1/complaints", headers=teacher.headers).status_code == 403
    listed = client.get("/api/v1/complaints", headers=principal.headers).json()
    assert [c["reference"] for c in listed] == ["KN-2026-0001"]
    refused = client.post(
        f"/api/v1/complaints/{complaint_id}/decide",
        json={"decision": " "},
        headers=principal.headers,
    )
    assert refused.status_code == 422
    decided = client.post(
        f"/api/v1/complaints/{complaint_id}/decide",
        json={"decision": "Đồng ý cho xem trực tiếp tại phòng bảo vệ."},
        headers=principal.headers,
    )
    assert decided.json()["status"] == "decided"
    again = client.post(
        f"/api/v1/complaints/{complaint_id}/decide",
        json={"decision": "x"},
        headers=principal.headers,
    )
    assert again.status_code == 409


def test_the_form_lists_only_cameras_in_service_under_the_place_they_film(
    client: TestClient, installation: Installation
) -> None:
    with installation.database.transaction() as session:
        gate = installation.zones.create(
            session,
            SYSTEM_ACTOR,
            name="Cổng trường",
            kind="gate",
            purposes=["security"],
            responsible_unit="Tổ bảo vệ",
        )
        for name, state in (
            ("Cổng chính", "in_service"),
            ("Cổng phụ (đang lắp)", None),
            ("Cổng cũ (đã ngừng)", "out_of_service"),
        ):
            camera = installation.cameras.create(
                session, SYSTEM_ACTOR, name=name, zone_id=gate.id, main_url="rtsp://10.0.0.9/s"
            )
            if state == "out_of_service":
                installation.cameras.set_state(
                    session, SYSTEM_ACTOR, camera.id, "in_service", reason="lắp xong"
                )
            if state:
                installation.cameras.set_state(session, SYSTEM_ACTOR, camera.id, state, reason="x")
    form = client.get("/complaint").text
    group = re.search(r'<optgroup label="Cổng trường">(.*?)</optgroup>', form, re.S)
    assert group, form
    assert re.findall(r"<option value=\"\d+\">([^<]+)</option>", group.group(1)) == ["Cổng chính"]
    assert "đang lắp" not in form and "đã ngừng" not in form


def test_footage_named_without_its_day_and_times_is_refused_in_words_and_nothing_is_filed(
    client: TestClient, installation: Installation
) -> None:
    with installation.database.transaction() as session:
        gate = installation.zones.create(
            session,
            SYSTEM_ACTOR,
            name="Cổng trường",
            kind="gate",
            purposes=["security"],
            responsible_unit="Tổ bảo vệ",
        )
        camera = installation.cameras.create(
            session, SYSTEM_ACTOR, name="Cổng chính", zone_id=gate.id, main_url="rtsp://10.0.0.9/s"
        )
        installation.cameras.set_state(session, SYSTEM_ACTOR, camera.id, "in_service", reason="x")
        camera_id = camera.id
    answer = client.post(
        "/complaint",
        data={
            "public_csrf": _public_token(client),
            "kind": "complaint",
            "name": "Trần Thị Mai",
            "contact": "0912 345 678",
            "subject": "Con tôi bị xô ngã",
            "description": "Ở cổng trường.",
            "camera": [str(camera_id), ""],
            "day": ["", ""],
            "start": ["07:00", ""],
            "end": ["", ""],
        },
    )
    assert "tracking-code" not in answer.text
    assert "Đoạn ghi hình 1: hãy chọn ngày, giờ bắt đầu và giờ kết thúc." in answer.text
    # What she typed is still there.
    assert "Con tôi bị xô ngã" in answer.text
    with installation.database.reading() as session:
        assert (
            session.scalars(select(AuditEntry).where(AuditEntry.action == "complaint.filed")).all()
            == []
        )


def test_a_sixth_complaint_from_one_address_within_the_hour_is_refused_but_mistakes_do_not_count(
    client: TestClient, clock: ManualClock
) -> None:
    for _ in range(2):
        mistyped = client.post(
            "/complaint",
            data={"public_csrf": _public_token(client), "name": "", "contact": "0912345678"},
        )
        assert "tracking-code" not in mistyped.text
    for _ in range(5):
        _file(client)

    refused = client.post(
        "/complaint",
        data={
            "public_csrf": _public_token(client),
            "kind": "complaint",
            "name": "Trần Thị Mai",
            "contact": "0912 345 678",
            "subject": "Lần thứ sáu",
            "description": "Gửi lại.",
        },
    )
    assert "tracking-code" not in refused.text
    assert "quá nhiều yêu cầu trong một giờ qua (5)" in refused.text

    clock.advance(3601)
    _file(client)
