"""The review pages (R-5.1): the list with its overdue badge, the home page's reminder for who
reviews or signs off, and a bad bookmark refused in Vietnamese with the form kept."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from camwarden.installation import Installation
from camwarden.storage.models import ReviewBookmark
from tests.retention.test_service import clip  # noqa: F401 (a fixture)
from tests.web.api.test_reviews import camera  # noqa: F401 (a fixture)
from tests.web.conftest import Account, MakeAccount

LogIn = Callable[[Account], dict[str, str]]


def test_the_list_flags_overdue_cycles_and_the_home_page_reminds_who_signs_off(
    client: TestClient,
    log_in: LogIn,
    make_account: MakeAccount,
    camera: int,  # noqa: F811
) -> None:
    log_in(make_account("board", username="pho.hieutruong"))
    listing = client.get("/reviews")
    assert listing.status_code == 200
    assert listing.text.count('class="badge overdue-badge"') == 2
    assert "01/12/2025 – 15/12/2025" in listing.text
    home = client.get("/")
    assert 'id="reviews-overdue"' in home.text
    assert "đã quá hạn" in home.text

    client.cookies.clear()
    log_in(make_account("staff", username="giaovien"))
    assert 'id="reviews-overdue"' not in client.get("/").text
    assert client.get("/reviews").status_code == 403


def test_a_bad_bookmark_is_refused_in_vietnamese_with_the_form_kept(
    client: TestClient,
    installation: Installation,
    log_in: LogIn,
    make_account: MakeAccount,
    camera: int,  # noqa: F811
) -> None:
    csrf = log_in(make_account("security_lead", username="truongbv"))["X-CSRF-Token"]
    listing = client.get("/reviews").text
    cycle_id = int(listing.split('data-cycle="')[-1].split('"')[0])
    answer = client.post(
        f"/reviews/{cycle_id}/bookmarks",
        data={
            "camera_id": str(camera),
            "since": "2025-12-01T09:00",
            "until": "2025-12-01T08:00",
            "note": "Xe lạ đỗ trước cổng",
            "csrf_token": csrf,
        },
        follow_redirects=False,
    )
    assert answer.status_code == 422
    assert "phải sau thời điểm bắt đầu" in answer.text
    assert "Xe lạ đỗ trước cổng" in answer.text, "the note typed is kept"
    with installation.database.reading() as session:
        assert session.scalar(select(func.count()).select_from(ReviewBookmark)) == 0

    kept = client.post(
        f"/reviews/{cycle_id}/bookmarks",
        data={
            "camera_id": str(camera),
            "since": "2025-12-01T08:00",
            "until": "2025-12-01T08:05",
            "note": "Xe lạ đỗ trước cổng",
            "csrf_token": csrf,
        },
        follow_redirects=False,
    )
    assert kept.status_code == 303
    page = client.get(f"/reviews/{cycle_id}").text
    assert "/cameras/" in page and "playback?at=2025-12-01T01%3A00%3A00%2B00%3A00" in page
    assert "/incidents/new?bookmark=" in page, "an incident opens from the bookmark"
