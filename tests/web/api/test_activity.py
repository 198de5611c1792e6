"""Motion activity through the API: a camera's strip, the search, and their input checks."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.installation import Installation
from tests.web.conftest import Account, MakeAccount

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NIGHT = datetime(2026, 3, 2, 23, 0, tzinfo=HANOI)
DAY_START = datetime(2026, 3, 2, tzinfo=HANOI)


def at(moment: datetime) -> str:
    return quote(moment.isoformat())


def add_camera(inst: Installation, zone_name: str, kind: str, camera: str) -> tuple[int, int]:
    with inst.database.transaction() as session:
        zone = inst.zones.create(
            session,
            SYSTEM_ACTOR,
            name=zone_name,
            kind=kind,
            purposes=["security"],
            responsible_unit="Tổ bảo vệ",
        )
        created = inst.cameras.create(
            session, SYSTEM_ACTOR, name=camera, zone_id=zone.id, main_url="rtsp://10.0.0.7/1"
        )
        return zone.id, created.id


@pytest.fixture
def school(installation: Installation) -> dict[str, tuple[int, int]]:
    """(zone, camera) of the finance room and the gate, each with two minutes of movement."""
    places = {
        "finance": add_camera(installation, "Phòng tài vụ", "finance_room", "Két sắt"),
        "gate": add_camera(installation, "Cổng trường", "gate", "Cổng 1"),
    }
    for _, camera_id in places.values():
        for offset in range(0, 120, 2):
            installation.activity.record(camera_id, NIGHT + timedelta(seconds=offset), 0.25)
    return places


@pytest.fixture
def principal(make_account: MakeAccount) -> Account:
    return make_account("principal", username="hieutruong")


def test_a_days_strip_has_a_point_a_minute_and_shows_the_movement(
    client: TestClient, principal: Account, school: dict[str, tuple[int, int]]
) -> None:
    camera_id = school["gate"][1]
    answer = client.get(
        f"/api/v1/cameras/{camera_id}/activity?since={at(DAY_START)}"
        f"&until={at(DAY_START + timedelta(days=1))}",
        headers=principal.headers,
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["start"] == "2026-03-01T17:00:00Z"
    assert body["step_seconds"] == 60
    assert len(body["levels"]) == 1440
    assert [i for i, level in enumerate(body["levels"]) if level] == [23 * 60, 23 * 60 + 1]
    assert body["levels"][23 * 60] == 64  # 0.25 of 255


def test_the_search_finds_night_activity_with_camera_names(
    client: TestClient, principal: Account, school: dict[str, tuple[int, int]]
) -> None:
    answer = client.get(
        f"/api/v1/activity?since={at(DAY_START)}&until={at(DAY_START + timedelta(days=7))}"
        "&hours=22:00-05:00&level=noticeable&min_minutes=1",
        headers=principal.headers,
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["truncated"] is False
    assert sorted((p["camera_name"], p["start"], p["end"], p["peak"]) for p in body["periods"]) == [
        ("Cổng 1", "2026-03-02T16:00:00Z", "2026-03-02T16:02:00Z", 0.251),
        ("Két sắt", "2026-03-02T16:00:00Z", "2026-03-02T16:02:00Z", 0.251),
    ]


def test_a_guard_of_the_gate_finds_nothing_of_the_finance_room(
    client: TestClient, make_account: MakeAccount, school: dict[str, tuple[int, int]]
) -> None:
    guard = make_account("security", all_zones=False, zone_ids=[school["gate"][0]])
    week = f"since={at(DAY_START)}&until={at(DAY_START + timedelta(days=7))}"

    everything = client.get(f"/api/v1/activity?{week}", headers=guard.headers).json()
    finance_camera = client.get(
        f"/api/v1/activity?{week}&camera_id={school['finance'][1]}", headers=guard.headers
    )
    finance_zone = client.get(
        f"/api/v1/activity?{week}&zone_id={school['finance'][0]}", headers=guard.headers
    )
    no_zone = client.get(f"/api/v1/activity?{week}&zone_id=999", headers=guard.headers)
    strip = client.get(
        f"/api/v1/cameras/{school['finance'][1]}/activity?{week}", headers=guard.headers
    )

    assert {p["camera_name"] for p in everything["periods"]} == {"Cổng 1"}
    # The finance room's camera and zone answer exactly as ones that do not exist.
    assert finance_camera.status_code == finance_zone.status_code == strip.status_code == 404
    assert finance_zone.json()["error"]["message"] == no_zone.json()["error"]["message"].replace(
        "999", str(school["finance"][0])
    )
    assert "Két sắt" not in finance_camera.text + finance_zone.text + strip.text


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("since=hôm-qua&until=2026-03-03T00:00:00%2B07:00", "since", "phải là ngày giờ"),
        ("since=2026-03-02T00:00:00&until=2026-03-03T00:00:00%2B07:00", "since", "múi giờ"),
        (
            "since=2026-03-03T00:00:00%2B07:00&until=2026-03-02T00:00:00%2B07:00",
            "until",
            "phải sau lúc bắt đầu",
        ),
        (
            "since=2026-01-01T00:00:00%2B07:00&until=2026-03-02T00:00:00%2B07:00",
            "until",
            "31 ngày",
        ),
        (
            "since=2026-03-02T00:00:00%2B07:00&until=2026-03-03T00:00:00%2B07:00&hours=22h",
            "hours",
            "22h",
        ),
        (
            "since=2026-03-02T00:00:00%2B07:00&until=2026-03-03T00:00:00%2B07:00&level=loud",
            "level",
            "Mức hoạt động tối thiểu",
        ),
        (
            "since=2026-03-02T00:00:00%2B07:00&until=2026-03-03T00:00:00%2B07:00&limit=0",
            "limit",
            "lớn hơn hoặc bằng 1",
        ),
        ("until=2026-03-03T00:00:00%2B07:00", "since", "bắt buộc"),
        (
            "since=9999-12-31T22:00:00Z&until=9999-12-31T23:59:59Z",
            "since",
            "nằm ngoài khoảng từ năm 2000 đến năm 2099",
        ),
        ("since=0001-01-01T00:00:00Z&until=0001-01-02T00:00:00Z", "since", "năm 2000"),
    ],
)
def test_bad_search_input_is_refused_in_vietnamese_naming_the_field(
    client: TestClient,
    principal: Account,
    school: dict[str, tuple[int, int]],
    query: str,
    field: str,
    words: str,
) -> None:
    answer = client.get(f"/api/v1/activity?{query}", headers=principal.headers)
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["field"] == field
    assert words in error["message"]


def test_a_strip_longer_than_a_month_or_at_the_end_of_the_calendar_is_refused(
    client: TestClient, principal: Account, school: dict[str, tuple[int, int]]
) -> None:
    strip = f"/api/v1/cameras/{school['gate'][1]}/activity"
    too_long = client.get(
        f"{strip}?since={at(DAY_START)}&until={at(DAY_START + timedelta(days=40))}",
        headers=principal.headers,
    )
    last_hour = client.get(
        f"{strip}?since=9999-12-31T23:00:00Z&until=9999-12-31T23:59:59Z",
        headers=principal.headers,
    )
    assert too_long.status_code == last_hour.status_code == 422
    assert "31 ngày" in too_long.json()["error"]["message"]
    assert "năm 2099" in last_hour.json()["error"]["message"]


def test_the_administrator_may_not_read_activity(
    client: TestClient, admin_account: Account, school: dict[str, tuple[int, int]]
) -> None:
    week = f"since={at(DAY_START)}&until={at(DAY_START + timedelta(days=7))}"
    assert client.get(f"/api/v1/activity?{week}", headers=admin_account.headers).status_code == 403
    strip = client.get(
        f"/api/v1/cameras/{school['gate'][1]}/activity?{week}", headers=admin_account.headers
    )
    assert strip.status_code == 403
