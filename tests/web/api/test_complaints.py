"""Complaints through the API on SQLite and PostgreSQL (R-3.1): a signed-in teacher files one,
the principal lists, reads, assigns, writes and decides; errors come back in Vietnamese naming
the field as the form shows it, and change nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from camwarden.clock import ManualClock
from camwarden.installation import Installation
from camwarden.storage.holds import active_holds
from camwarden.storage.models import AuditEntry, Complaint
from tests.web.api import _casework_world
from tests.web.conftest import Account

# The casework world's fixtures: both database engines, a gate camera, the people.
installation = _casework_world.installation
gate_camera = _casework_world.gate_camera
teacher = _casework_world.teacher
board = _casework_world.board
principal = _casework_world.principal


def complaint_body(clock: ManualClock, camera_id: int, **overrides: Any) -> dict[str, Any]:
    end = clock.now() - timedelta(hours=2)
    return {
        "kind": "complaint",
        "name": "Nguyễn Thị Hoa",
        "contact": "0912 345 678",
        "subject": "Camera hành lang quay vào lớp học",
        "description": "Camera hành lang tầng 2 nhìn thấy bảng lớp 3A.",
        "footage": [
            {
                "camera_id": camera_id,
                "start": (end - timedelta(minutes=30)).isoformat(),
                "end": end.isoformat(),
            }
        ],
        **overrides,
    }


def counts(installation: Installation) -> tuple[int, int]:
    """Complaints and audit entries: what an error must leave as it was."""
    with installation.database.reading() as session:
        return (
            session.scalar(select(func.count()).select_from(Complaint)) or 0,
            session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
        )


def test_a_teacher_files_and_the_principal_handles_it_to_a_decision(
    client: TestClient,
    installation: Installation,
    clock: ManualClock,
    gate_camera: int,
    teacher: Account,
    principal: Account,
) -> None:
    filed = client.post(
        "/api/v1/complaints", json=complaint_body(clock, gate_camera), headers=teacher.headers
    )
    assert filed.status_code == 201, filed.text
    complaint_id, reference = filed.json()["id"], filed.json()["reference"]
    assert reference == f"KN-{clock.now().year}-0001"
    with installation.database.reading() as session:
        assert [h.reference for h in active_holds(session, gate_camera)] == [reference]

    listed = client.get("/api/v1/complaints", headers=principal.headers).json()
    assert [(c["reference"], c["status"], c["overdue"]) for c in listed] == [
        (reference, "received", False)
    ]
    path = f"/api/v1/complaints/{complaint_id}"
    assigned = client.post(
        f"{path}/assign", json={"assignee_id": principal.id}, headers=principal.headers
    )
    assert assigned.json()["assignee_id"] == principal.id
    written = client.post(
        f"{path}/messages", json={"body": "Nhà trường đang xem lại."}, headers=principal.headers
    )
    assert written.status_code == 201 and written.json()["from_complainant"] is False
    started = client.post(f"{path}/progress", json={}, headers=principal.headers)
    assert started.json()["status"] == "in_progress"
    decided = client.post(
        f"{path}/decide",
        json={"decision": "Đã chỉnh góc camera, không còn nhìn vào lớp."},
        headers=principal.headers,
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "decided"
    read = client.get(path, headers=principal.headers).json()
    assert [m["body"] for m in read["messages"]] == ["Nhà trường đang xem lại."]
    assert [f["camera_name"] for f in read["footage"]] == ["Cổng chính"]
    with installation.database.reading() as session:
        assert active_holds(session, gate_camera) == []


def test_only_the_handlers_list_and_read_complaints(
    client: TestClient, clock: ManualClock, gate_camera: int, teacher: Account
) -> None:
    filed = client.post(
        "/api/v1/complaints", json=complaint_body(clock, gate_camera), headers=teacher.headers
    ).json()
    assert client.get("/api/v1/complaints", headers=teacher.headers).status_code == 403
    assert client.get(f"/api/v1/complaints/{filed['id']}", headers=teacher.headers).status_code == (
        403
    )


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"name": "   "}, "name", "'Họ và tên của bạn'"),
        ({"subject": ""}, "subject", "'Tiêu đề'"),
        ({"description": " "}, "description", "'Sự việc đã xảy ra và điều bạn đề nghị'"),
        ({"contact": "gọi tôi"}, "contact", "'gọi tôi'"),
    ],
)
def test_bad_input_is_refused_in_vietnamese_by_the_fields_label_and_changes_nothing(
    client: TestClient,
    installation: Installation,
    clock: ManualClock,
    gate_camera: int,
    teacher: Account,
    change: dict[str, str],
    field: str,
    words: str,
) -> None:
    before = counts(installation)
    answer = client.post(
        "/api/v1/complaints",
        json=complaint_body(clock, gate_camera, **change),
        headers=teacher.headers,
    )
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["field"] == field
    assert words in error["message"]
    assert f"'{field}'" not in error["message"]
    assert counts(installation) == before


def test_an_unknown_key_is_refused(
    client: TestClient, clock: ManualClock, gate_camera: int, teacher: Account
) -> None:
    answer = client.post(
        "/api/v1/complaints",
        json=complaint_body(clock, gate_camera, priority="high"),
        headers=teacher.headers,
    )
    assert answer.status_code == 422
