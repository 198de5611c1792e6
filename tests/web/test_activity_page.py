"""The activity search page and the playback page it links to (issue 4)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from camwarden.installation import Installation
from tests.web.api.test_activity import add_camera
from tests.web.conftest import Account, MakeAccount

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NIGHT = datetime(2026, 3, 2, 23, 0, tzinfo=HANOI)


def seeded(installation: Installation) -> int:
    _, camera_id = add_camera(installation, "Phòng tài vụ", "finance_room", "Két sắt")
    for offset in range(0, 90, 2):
        installation.activity.record(camera_id, NIGHT + timedelta(seconds=offset), 0.3)
    # Daytime movement, left out by the night hours.
    installation.activity.record(camera_id, NIGHT - timedelta(hours=10), 0.3)
    return camera_id


def test_the_page_finds_night_activity_and_links_to_playback_at_that_moment(
    installation: Installation,
    client: TestClient,
    make_account: MakeAccount,
    log_in: Callable[[Account], dict[str, str]],
) -> None:
    camera_id = seeded(installation)
    log_in(make_account("principal"))

    answer = client.get(
        "/activity?where=&since=01/03/2026&until=03/03/2026&hour_from=22:00&hour_to=05:00"
        "&level=noticeable"
    )

    assert answer.status_code == 200
    assert "1 khoảng thời gian có hoạt động" in answer.text
    assert "Két sắt" in answer.text and "02/03/2026 23:00:00" in answer.text
    link = f"/cameras/{camera_id}/playback?day=2026-03-02&amp;at=2026-03-02T16%3A00%3A00%2B00%3A00"
    assert link in answer.text
    playback = client.get(link.replace("&amp;", "&"))
    assert playback.status_code == 200
    assert "Phát từ 02/03/2026 23:00:00" in playback.text
    assert 'value="2026-03-02"' in playback.text


def test_the_page_opens_with_the_last_week_and_searches_only_when_asked(
    installation: Installation,
    client: TestClient,
    make_account: MakeAccount,
    log_in: Callable[[Account], dict[str, str]],
) -> None:
    seeded(installation)
    log_in(make_account("principal"))

    answer = client.get("/activity")

    assert answer.status_code == 200
    assert 'value="30/12/2025"' in answer.text and 'value="05/01/2026"' in answer.text
    assert "khoảng thời gian có hoạt động" not in answer.text


def test_a_bad_date_is_refused_in_vietnamese_and_the_form_keeps_what_was_typed(
    installation: Installation,
    client: TestClient,
    make_account: MakeAccount,
    log_in: Callable[[Account], dict[str, str]],
) -> None:
    seeded(installation)
    log_in(make_account("principal"))

    bad_date = client.get("/activity?since=31/02/2026&until=03/03/2026")
    too_long = client.get("/activity?since=01/01/2026&until=03/03/2026")
    half_hours = client.get("/activity?since=01/03/2026&until=03/03/2026&hour_from=22:00")

    assert bad_date.status_code == 422
    assert "31/02/2026&#39; không phải là ngày theo dạng" in bad_date.text
    assert 'value="31/02/2026"' in bad_date.text
    assert too_long.status_code == 422 and "tối đa 31 ngày" in too_long.text
    assert half_hours.status_code == 422 and "không phải là một khoảng giờ" in half_hours.text
    end_of_time = client.get("/activity?since=30/12/9999&until=31/12/9999")
    assert end_of_time.status_code == 422
