"""The 15-day review through the API (R-5.1): cycles opened by the system, a bookmark and a
unit check by the head of security, refusals in Vietnamese that change nothing, the Board's
sign-off and its report, checked against its SHA-256."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from camwarden.installation import Installation
from camwarden.storage.models import FootageHold, ReviewBookmark
from tests.retention.test_service import clip, record_at  # noqa: F401 (clip is a fixture)
from tests.support.footage import gate_camera
from tests.web.conftest import Account, MakeAccount

# The test clock is 05/01/2026 08:00 in Hanoi; footage from 01/12/2025 08:00 gives two whole
# periods: 01/12-15/12 and 16/12-30/12.
FIRST_FOOTAGE = datetime(2025, 12, 1, 1, 0, tzinfo=UTC)


@pytest.fixture
def camera(installation: Installation, clip: Path) -> int:  # noqa: F811
    camera_id = gate_camera(installation)
    record_at(installation, camera_id, FIRST_FOOTAGE, clip)
    installation.reviews.tick(installation.database)
    return camera_id


@pytest.fixture
def people(make_account: MakeAccount) -> dict[str, Account]:
    return {
        "lead": make_account("security_lead", username="truongbv"),
        "board": make_account("board", username="pho.hieutruong"),
        "teacher": make_account("staff", username="giaovien"),
    }


def holds(installation: Installation) -> int:
    with installation.database.reading() as session:
        return int(session.scalar(select(func.count()).select_from(FootageHold)) or 0)


def test_cycles_are_listed_newest_first_with_their_due_date_and_overdue_flag(
    client: TestClient, camera: int, people: dict[str, Account]
) -> None:
    answer = client.get("/api/v1/reviews", headers=people["lead"].headers)
    assert answer.status_code == 200, answer.text
    items = answer.json()["items"]
    assert [(c["period_start"], c["period_end"], c["status"]) for c in items] == [
        ("2025-12-15T17:00:00Z", "2025-12-30T17:00:00Z", "open"),
        ("2025-11-30T17:00:00Z", "2025-12-15T17:00:00Z", "open"),
    ]
    # Five days to sign off after each period: both are past it on 05/01/2026.
    assert [c["due_at"] for c in items] == ["2026-01-04T17:00:00Z", "2025-12-20T17:00:00Z"]
    assert [c["overdue"] for c in items] == [True, True]
    assert client.get("/api/v1/reviews", headers=people["teacher"].headers).status_code == 403


def test_a_cycle_is_bookmarked_checked_off_signed_off_and_its_report_downloaded(
    client: TestClient, installation: Installation, camera: int, people: dict[str, Account]
) -> None:
    lead, board = people["lead"].headers, people["board"].headers
    cycle_id = client.get("/api/v1/reviews", headers=lead).json()["items"][-1]["id"]
    added = client.post(
        f"/api/v1/reviews/{cycle_id}/bookmarks",
        json={
            "camera_id": camera,
            "start_at": "2025-12-01T08:00:00+07:00",
            "end_at": "2025-12-01T08:00:02+07:00",
            "note": "Người lạ trèo rào",
        },
        headers=lead,
    )
    assert added.status_code == 201, added.text
    assert added.json()["note"] == "Người lạ trèo rào"
    checked = client.post(
        f"/api/v1/reviews/{cycle_id}/units", json={"unit": "Tổ bảo vệ"}, headers=lead
    )
    assert checked.status_code == 201, checked.text
    again = client.post(
        f"/api/v1/reviews/{cycle_id}/units", json={"unit": "Tổ bảo vệ"}, headers=lead
    )
    assert again.status_code == 409
    assert "Tổ bảo vệ" in again.json()["error"]["message"]

    detail = client.get(f"/api/v1/reviews/{cycle_id}", headers=lead).json()
    (unit,) = detail["units"]
    assert (unit["unit"], unit["checked_by"]) == ("Tổ bảo vệ", "truongbv")
    assert unit["cameras"][0]["camera_name"] == "Cổng chính"
    assert unit["cameras"][0]["recorded_hours"] > 0
    assert [b["id"] for b in detail["bookmarks"]] == [added.json()["id"]]

    assert client.get(f"/api/v1/reviews/{cycle_id}/report", headers=lead).status_code == 404
    assert (
        client.post(f"/api/v1/reviews/{cycle_id}/sign-off", json={}, headers=lead).status_code
        == 403
    )
    signed = client.post(f"/api/v1/reviews/{cycle_id}/sign-off", json={}, headers=board)
    assert signed.status_code == 200, signed.text
    assert (signed.json()["status"], signed.json()["signed_off_by"]) == ("closed", "pho.hieutruong")
    report = client.get(f"/api/v1/reviews/{cycle_id}/report", headers=lead)
    assert report.status_code == 200
    assert report.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(report.content).hexdigest() == signed.json()["report_sha256"]
    closed = client.post(
        f"/api/v1/reviews/{cycle_id}/bookmarks/{added.json()['id']}/remove", headers=lead
    )
    assert closed.status_code == 409


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"note": " "}, "Ghi chú"),
        ({"end_at": "2025-12-01T07:00:00+07:00"}, "phải sau"),
        ({"start_at": "2025-11-20T08:00:00+07:00"}, "không nằm trong kỳ rà soát"),
        ({"camera_id": 999}, "999"),
        ({"start_at": "2025-12-01T08:00:00"}, "start_at"),
    ],
)
def test_a_bad_bookmark_is_refused_in_vietnamese_and_changes_nothing(
    client: TestClient,
    installation: Installation,
    camera: int,
    people: dict[str, Account],
    change: dict[str, object],
    words: str,
) -> None:
    lead = people["lead"].headers
    cycle_id = client.get("/api/v1/reviews", headers=lead).json()["items"][-1]["id"]
    body = {
        "camera_id": camera,
        "start_at": "2025-12-01T08:00:00+07:00",
        "end_at": "2025-12-01T09:00:00+07:00",
        "note": "Xe lạ",
        **change,
    }
    answer = client.post(f"/api/v1/reviews/{cycle_id}/bookmarks", json=body, headers=lead)
    assert answer.status_code in (404, 422), answer.text
    assert words in answer.text
    assert holds(installation) == 0
    with installation.database.reading() as session:
        assert session.scalar(select(func.count()).select_from(ReviewBookmark)) == 0
