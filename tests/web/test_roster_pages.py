"""The roster, handover and daily report pages in Vietnamese: a fortnight planned with its forms
and every uncovered span named at the top, refusals shown with the values kept, a handover
written and signed through the forms, reminders on the home page and the console, and the
report of one day with its neighbours."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from camwarden.clock import ManualClock
from tests.web.conftest import Account, MakeAccount

LogIn = Callable[[Account], dict[str, str]]

# The test clock starts on Monday 05/01/2026 at 08:00 in Hanoi.
WEEKDAY_NIGHTS = {
    "weekdays": ["0", "1", "2", "3", "4"],
    "start": "18:00",
    "end": "06:00",
    "first_day": "2026-01-05",
    "weeks": "2",
    "post": "Phòng bảo vệ",
}


@pytest.fixture
def people(make_account: MakeAccount) -> dict[str, Account]:
    return {
        "lead": make_account("security_lead", username="truongbv"),
        "night": make_account("security", username="baove.dem"),
        "day": make_account("security", username="baove.ngay"),
        "principal": make_account("principal", username="hieutruong"),
    }


def _form(log_in: LogIn, account: Account) -> str:
    return log_in(account)["X-CSRF-Token"]


def test_the_head_of_security_plans_two_weeks_and_sees_every_uncovered_span_at_the_top(
    client: TestClient, log_in: LogIn, people: dict[str, Account]
) -> None:
    csrf = _form(log_in, people["lead"])
    empty = client.get("/roster")
    assert empty.status_code == 200
    assert "Thứ Hai 05/01 08:00 – Thứ Hai 19/01 08:00: không có người trực" in empty.text

    for guard, start, end in (("night", "18:00", "06:00"), ("day", "06:00", "18:00")):
        planned = client.post(
            "/roster/weekly",
            data={
                **WEEKDAY_NIGHTS,
                "start": start,
                "end": end,
                "user_id": str(people[guard].id),
                "csrf_token": csrf,
            },
            follow_redirects=False,
        )
        assert planned.status_code == 303, planned.text

    page = client.get("/roster").text
    warning = page[page.index('id="roster-gaps"') : page.index("</section>")]
    assert "Thứ Bảy 10/01 06:00 – Thứ Hai 12/01 06:00: không có người trực" in warning
    assert "Thứ Bảy 17/01 06:00 – Thứ Hai 19/01 08:00: không có người trực" in warning
    assert warning.count("<li>") == 2
    monday = page[page.index("Thứ Hai 05/01/2026") : page.index("Thứ Ba 06/01/2026")]
    assert "06:00 – 18:00" in monday and "Người dùng baove.ngay" in monday
    assert "18:00 – 06:00" in monday and "Người dùng baove.dem" in monday
    assert "Không có người trực" not in monday  # its first hours are already past
    saturday = page[page.index("Thứ Bảy 10/01/2026") : page.index("Chủ Nhật 11/01/2026")]
    assert "Không có người trực 06:00 – 24:00" in saturday

    home = client.get("/").text
    assert 'id="duty-gaps"' in home
    assert "có 2 khoảng thời gian không có người trực" in home


def test_a_bad_plan_is_refused_in_vietnamese_with_the_form_kept(
    client: TestClient, log_in: LogIn, people: dict[str, Account]
) -> None:
    csrf = _form(log_in, people["lead"])
    refused = client.post(
        "/roster/weekly",
        data={
            **WEEKDAY_NIGHTS,
            "start": "25:00",
            "user_id": str(people["night"].id),
            "csrf_token": csrf,
        },
    )
    assert refused.status_code == 422
    assert "25:00 không phải là giờ trong ngày" in refused.text
    assert 'value="Phòng bảo vệ"' in refused.text
    assert "Mọi giờ trong 14 ngày tới đều có người trực." not in refused.text


def test_a_guard_reads_the_roster_without_the_planning_forms(
    client: TestClient, log_in: LogIn, people: dict[str, Account]
) -> None:
    csrf = _form(log_in, people["night"])
    page = client.get("/roster")
    assert page.status_code == 200
    assert 'action="/roster/weekly"' not in page.text
    refused = client.post(
        "/roster/shifts",
        data={
            "user_id": str(people["night"].id),
            "day": "2026-01-06",
            "start": "18:00",
            "end": "06:00",
            "csrf_token": csrf,
        },
    )
    assert refused.status_code == 403
    assert 'id="duty-gaps"' not in client.get("/").text


def test_a_handover_is_written_by_one_guard_and_signed_by_the_other_through_the_pages(
    client: TestClient, log_in: LogIn, people: dict[str, Account]
) -> None:
    csrf = _form(log_in, people["night"])
    form = client.get("/handovers").text
    assert f'value="{people["day"].id}"' in form
    assert f'value="{people["night"].id}"' not in form  # not to yourself
    written = client.post(
        "/handovers",
        data={
            "to_user_id": str(people["day"].id),
            "happened": "Đêm yên tĩnh.",
            "pending": "Camera sân sau còn mờ.",
            "csrf_token": csrf,
        },
        follow_redirects=False,
    )
    assert written.status_code == 303
    client.cookies.clear()

    csrf = _form(log_in, people["day"])
    home = client.get("/").text
    assert "Có 1 biên bản giao ca đang chờ bạn ký nhận." in home
    assert "Có 1 biên bản giao ca đang chờ bạn ký nhận." in client.get("/console").text
    page = client.get("/handovers").text
    assert "Biên bản giao ca đang chờ bạn ký nhận" in page
    assert "Camera sân sau còn mờ." in page
    start = page.index('action="/handovers/') + len('action="/handovers/')
    handover_id = page[start : page.index("/sign", start)]
    signed = client.post(
        f"/handovers/{handover_id}/sign",
        data={"note": "Đã nhận ca", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert signed.status_code == 303
    after = client.get("/handovers").text
    assert 'id="handovers-waiting"' not in after
    assert "Đã nhận ca" in after and "đang chờ bạn ký nhận" not in client.get("/").text


def test_the_daily_report_shows_yesterday_with_links_to_its_neighbours(
    client: TestClient, clock: ManualClock, log_in: LogIn, people: dict[str, Account]
) -> None:
    csrf = _form(log_in, people["lead"])
    client.post(
        "/roster/shifts",
        data={
            "user_id": str(people["night"].id),
            "day": "2026-01-05",
            "start": "18:00",
            "end": "06:00",
            "post": "Cổng",
            "csrf_token": csrf,
        },
    )
    clock.advance(24 * 3600)
    client.cookies.clear()
    _form(log_in, people["principal"])
    report = client.get("/reports/daily")
    assert report.status_code == 200
    assert "Báo cáo camera ngày Thứ Hai 05/01/2026" in report.text
    assert "Người dùng baove.dem: 05/01/2026 18:00 – 06/01/2026 06:00 · Cổng" in report.text
    assert "00:00 – 18:00" in report.text  # nobody on duty before the night shift
    assert 'href="/reports/daily?day=2026-01-04"' in report.text
    assert "day=2026-01-06" not in report.text  # today is not over
    older = client.get("/reports/daily?day=2026-01-04")
    assert 'href="/reports/daily?day=2026-01-05"' in older.text
    assert client.get("/reports/daily?day=04/01/2026").status_code == 422
    client.cookies.clear()
    _form(log_in, people["night"])
    assert client.get("/reports/daily").status_code == 403
