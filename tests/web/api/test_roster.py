"""The duty roster, shift handovers and the daily report through the API, on SQLite and
PostgreSQL: planning a fortnight and seeing its gaps, refusals that change nothing, handovers
signed only by the guard taking over, and the board's report of one school day."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from camwarden.clock import ManualClock
from camwarden.config import DATABASE_URL_ENV, load_settings
from camwarden.installation import Installation, open_installation
from camwarden.storage.models import AuditEntry, DutyShift
from tests.web.conftest import Account, MakeAccount

# The test clock starts on Monday 05/01/2026 at 08:00 in Hanoi (01:00 UTC).
NIGHTS = {
    "weekdays": [0, 1, 2, 3, 4],
    "start": "18:00",
    "end": "06:00",
    "first_day": "2026-01-05",
    "weeks": 2,
    "post": "Phòng bảo vệ",
}


@pytest.fixture
def installation(database_url: str, tmp_path: Path, clock: ManualClock) -> Iterator[Installation]:
    """The roster is read and written on both engines: this module runs on each."""
    opened = open_installation(
        load_settings(tmp_path / "data", {DATABASE_URL_ENV: database_url}), clock=clock
    )
    yield opened
    opened.close()


@pytest.fixture
def people(make_account: MakeAccount) -> dict[str, Account]:
    return {
        "lead": make_account("security_lead", username="truongbv"),
        "night": make_account("security", username="baove.dem"),
        "day": make_account("security", username="baove.ngay"),
        "principal": make_account("principal", username="hieutruong"),
        "teacher": make_account("staff", username="giaovien"),
    }


def _plan_two_weeks_without_weekends(client: TestClient, people: dict[str, Account]) -> None:
    lead = people["lead"].headers
    nights = client.post(
        "/api/v1/roster/weekly", json={**NIGHTS, "user_id": people["night"].id}, headers=lead
    )
    assert nights.status_code == 201, nights.text
    days = client.post(
        "/api/v1/roster/weekly",
        json={**NIGHTS, "user_id": people["day"].id, "start": "06:00", "end": "18:00"},
        headers=lead,
    )
    assert days.status_code == 201, days.text


def test_a_weekly_plan_is_one_shift_a_night_in_school_time(
    client: TestClient, people: dict[str, Account]
) -> None:
    answer = client.post(
        "/api/v1/roster/weekly",
        json={**NIGHTS, "user_id": people["night"].id},
        headers=people["lead"].headers,
    )
    assert answer.status_code == 201, answer.text
    shifts = answer.json()["items"]
    assert len(shifts) == 10
    assert shifts[0]["starts_at"] == "2026-01-05T11:00:00Z"
    assert shifts[0]["starts_at_local"] == "05/01/2026 18:00"
    assert shifts[0]["ends_at_local"] == "06/01/2026 06:00"
    assert shifts[0]["full_name"] == "Người dùng baove.dem"
    assert shifts[-1]["ends_at_local"] == "17/01/2026 06:00"

    listed = client.get("/api/v1/roster", headers=people["night"].headers)
    assert listed.status_code == 200
    assert [s["id"] for s in listed.json()["items"]] == [s["id"] for s in shifts]


def test_the_gaps_of_the_next_fortnight_are_named_span_by_span(
    client: TestClient, people: dict[str, Account]
) -> None:
    _plan_two_weeks_without_weekends(client, people)
    answer = client.get("/api/v1/roster/gaps", headers=people["principal"].headers)
    assert answer.status_code == 200
    gaps = [(g["start_local"], g["end_local"]) for g in answer.json()["items"]]
    assert gaps == [
        ("10/01/2026 06:00", "12/01/2026 06:00"),
        ("17/01/2026 06:00", "19/01/2026 08:00"),
    ]
    assert answer.json()["items"][0]["hours"] == 48.0


def test_a_shift_overlapping_the_same_guards_shift_is_a_conflict_and_adds_nothing(
    installation: Installation, client: TestClient, people: dict[str, Account]
) -> None:
    lead = people["lead"].headers
    first = {
        "user_id": people["night"].id,
        "starts_at": "2026-01-10T18:00:00+07:00",
        "ends_at": "2026-01-11T06:00:00+07:00",
    }
    assert client.post("/api/v1/roster/shifts", json=first, headers=lead).status_code == 201
    clash = client.post(
        "/api/v1/roster/shifts",
        json={
            **first,
            "starts_at": "2026-01-11T05:00:00+07:00",
            "ends_at": "2026-01-11T12:00:00+07:00",
        },
        headers=lead,
    )
    assert clash.status_code == 409
    assert "10/01/2026 18:00" in clash.json()["error"]["message"]
    with installation.database.reading() as session:
        assert session.scalar(select(func.count()).select_from(DutyShift)) == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"weekdays": [7]}, "weekdays"),
        ({"weekdays": []}, "weekdays"),
        ({"start": "25:00"}, "start"),
        ({"weeks": 27}, "weeks"),
        ({"first_day": "3000-01-01"}, "first_day"),
    ],
)
def test_a_weekly_plan_with_a_bad_value_is_refused_in_vietnamese_and_plans_nothing(
    installation: Installation,
    client: TestClient,
    people: dict[str, Account],
    change: dict[str, object],
    field: str,
) -> None:
    answer = client.post(
        "/api/v1/roster/weekly",
        json={**NIGHTS, "user_id": people["night"].id, **change},
        headers=people["lead"].headers,
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == field
    with installation.database.reading() as session:
        assert session.scalar(select(func.count()).select_from(DutyShift)) == 0


def test_a_shift_for_someone_who_is_not_a_guard_is_refused_by_name(
    client: TestClient, people: dict[str, Account]
) -> None:
    answer = client.post(
        "/api/v1/roster/shifts",
        json={
            "user_id": people["teacher"].id,
            "starts_at": "2026-01-10T18:00:00+07:00",
            "ends_at": "2026-01-11T06:00:00+07:00",
        },
        headers=people["lead"].headers,
    )
    assert answer.status_code == 422
    assert "Người dùng giaovien" in answer.json()["error"]["message"]
    assert "bảo vệ" in answer.json()["error"]["message"]


def test_a_cancelled_shift_leaves_a_gap_and_cannot_be_cancelled_twice(
    installation: Installation, client: TestClient, people: dict[str, Account]
) -> None:
    _plan_two_weeks_without_weekends(client, people)
    lead = people["lead"].headers
    tuesday_night = client.get(
        "/api/v1/roster",
        params={"since": "2026-01-06T18:00:00+07:00", "until": "2026-01-06T19:00:00+07:00"},
        headers=lead,
    ).json()["items"]
    (shift,) = tuesday_night
    cancelled = client.post(
        f"/api/v1/roster/shifts/{shift['id']}/cancel", json={"reason": "Ốm"}, headers=lead
    )
    assert cancelled.status_code == 200
    gaps = client.get("/api/v1/roster/gaps", headers=lead).json()["items"]
    assert (gaps[0]["start_local"], gaps[0]["end_local"]) == (
        "06/01/2026 18:00",
        "07/01/2026 06:00",
    )
    again = client.post(
        f"/api/v1/roster/shifts/{shift['id']}/cancel", json={"reason": "Ốm"}, headers=lead
    )
    assert again.status_code == 409
    missing = client.post(
        "/api/v1/roster/shifts/999999/cancel", json={"reason": "Ốm"}, headers=lead
    )
    assert missing.status_code == 404
    with installation.database.reading() as session:
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.action.like("roster.%"))
        ).all()
    assert sorted(actions) == ["roster.shift_add_weekly"] * 2 + ["roster.shift_cancel"]


def test_guards_read_the_roster_but_only_their_head_plans_it_and_teachers_see_none(
    client: TestClient, people: dict[str, Account]
) -> None:
    body = {**NIGHTS, "user_id": people["night"].id}
    assert (
        client.post("/api/v1/roster/weekly", json=body, headers=people["night"].headers).status_code
        == 403
    )
    assert client.get("/api/v1/roster", headers=people["night"].headers).status_code == 200
    assert client.get("/api/v1/roster", headers=people["teacher"].headers).status_code == 403
    assert client.get("/api/v1/roster/gaps", headers=people["teacher"].headers).status_code == 403


def test_a_range_that_ends_before_it_starts_is_refused(
    client: TestClient, people: dict[str, Account]
) -> None:
    answer = client.get(
        "/api/v1/roster",
        params={"since": "2026-01-06T00:00:00+07:00", "until": "2026-01-05T00:00:00+07:00"},
        headers=people["lead"].headers,
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "until"


def test_a_handover_is_signed_by_the_guard_taking_over_and_only_once(
    installation: Installation, client: TestClient, people: dict[str, Account]
) -> None:
    night, day = people["night"].headers, people["day"].headers
    written = client.post(
        "/api/v1/handovers",
        json={
            "to_user_id": people["day"].id,
            "happened": "Đêm yên tĩnh, 02:10 mèo làm chuông cổng kêu.",
            "pending": "Camera sân sau hơi mờ, đã báo kỹ thuật.",
        },
        headers=night,
    )
    assert written.status_code == 201, written.text
    handover = written.json()
    assert handover["signed_at"] is None
    assert handover["from_name"] == "Người dùng baove.dem"

    waiting = client.get("/api/v1/handovers", headers=day).json()
    assert [h["id"] for h in waiting["waiting_for_me"]] == [handover["id"]]
    assert client.get("/api/v1/handovers", headers=night).json()["waiting_for_me"] == []

    by_writer = client.post(f"/api/v1/handovers/{handover['id']}/sign", json={}, headers=night)
    assert by_writer.status_code == 403
    by_teacher = client.post(
        f"/api/v1/handovers/{handover['id']}/sign", json={}, headers=people["teacher"].headers
    )
    assert by_teacher.status_code == 404

    signed = client.post(
        f"/api/v1/handovers/{handover['id']}/sign", json={"note": "Đã nhận ca"}, headers=day
    )
    assert signed.status_code == 200
    assert signed.json()["signed_at_local"] == "05/01/2026 08:00"
    assert signed.json()["signed_note"] == "Đã nhận ca"
    again = client.post(f"/api/v1/handovers/{handover['id']}/sign", json={}, headers=day)
    assert again.status_code == 409
    assert client.get("/api/v1/handovers", headers=day).json()["waiting_for_me"] == []
    listed = client.get("/api/v1/handovers", headers=people["principal"].headers).json()
    assert listed["waiting_for_me"] == []
    assert [(h["id"], h["signed_note"]) for h in listed["items"]] == [
        (handover["id"], "Đã nhận ca")
    ]


def test_a_handover_to_yourself_is_refused(client: TestClient, people: dict[str, Account]) -> None:
    answer = client.post(
        "/api/v1/handovers",
        json={"to_user_id": people["night"].id, "happened": "Yên tĩnh"},
        headers=people["night"].headers,
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "to_user_id"


def test_the_daily_report_of_yesterday_names_who_was_on_duty_and_when_nobody_was(
    installation: Installation, clock: ManualClock, client: TestClient, people: dict[str, Account]
) -> None:
    _plan_two_weeks_without_weekends(client, people)
    client.post(
        "/api/v1/handovers",
        json={"to_user_id": people["day"].id, "happened": "Yên tĩnh"},
        headers=people["night"].headers,
    )
    clock.advance(24 * 3600)  # Tuesday 06/01, 08:00: yesterday is Monday 05/01
    answer = client.get("/api/v1/reports/daily", headers=people["principal"].headers)
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["day"] == "2026-01-05"
    assert [s["full_name"] for s in report["shifts"]] == [
        "Người dùng baove.ngay",
        "Người dùng baove.dem",
    ]
    assert [(g["start_local"], g["end_local"]) for g in report["uncovered"]] == [
        ("05/01/2026 00:00", "05/01/2026 06:00")
    ]
    assert len(report["handovers"]) == 1
    assert report["alerts"] == [] and report["still_open"] == 0

    asked = client.get(
        "/api/v1/reports/daily", params={"day": "2026-01-10"}, headers=people["lead"].headers
    )
    assert asked.json()["shifts"][0]["starts_at_local"] == "09/01/2026 18:00"
    assert client.get("/api/v1/reports/daily", headers=people["night"].headers).status_code == 403
    bad = client.get(
        "/api/v1/reports/daily", params={"day": "10/01/2026"}, headers=people["lead"].headers
    )
    assert bad.status_code == 422
