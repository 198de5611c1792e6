import dataclasses
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from camwarden.clock import ManualClock
from camwarden.errors import Forbidden
from camwarden.governance.accounts import actor_for
from camwarden.governance.authorization import SYSTEM_ACTOR, Actor
from camwarden.governance.daily_report import daily_report
from camwarden.installation import Installation
from camwarden.monitoring import AlertWorker
from camwarden.monitoring.daily_mail import DailyReportMailer
from camwarden.storage.models import User
from tests.support.mail import SmtpServer

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = date(2026, 3, 10)
PASSWORD = "Mat-khau-dai-2026!"


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour, minute), HANOI)


@pytest.fixture
def day_of_events(
    installation: Installation, admin: Actor, clock: ManualClock, smtp_server: SmtpServer
) -> dict[str, int]:
    """10/03/2026 at a school: a night guard, a covered gate camera at 22:10 (resolved as an
    incident), the yard camera dark from 23:30 the day before until 01:15, a handover at 06:00
    and nobody on duty from 18:00."""
    installation.settings = dataclasses.replace(
        installation.settings, mail_url=smtp_server.mail_url(), daily_report_hour=7
    )
    ids: dict[str, int] = {}
    with installation.database.transaction() as session:
        for name, kind in (("Cổng trường", "gate"), ("Sân trường", "yard")):
            zone = installation.zones.create(
                session,
                admin,
                name=name,
                kind=kind,
                purposes=["security"],
                responsible_unit="Tổ bảo vệ",
            )
            camera = installation.cameras.create(
                session,
                admin,
                zone_id=zone.id,
                name=f"Camera {name}",
                main_url=f"rtsp://10.0.0.{len(ids) + 5}/stream",
            )
            ids[kind] = camera.id
        for username, role in (
            ("baove_dem", "security"),
            ("baove_ngay", "security"),
            ("truongbv", "security_lead"),
            ("hieutruong", "principal"),
        ):
            created = installation.accounts.create(
                session,
                SYSTEM_ACTOR,
                username=username,
                full_name=username,
                role=role,
                email=f"{username}@truong.edu.vn",
                password=PASSWORD,
                must_change_password=False,
            )
            ids[username] = created.user.id
    lead = actor(installation, ids["truongbv"])
    worker = AlertWorker(installation)
    worker.run_once()  # the installation's first start, before the day
    with installation.database.transaction() as session:
        installation.roster.add_shift(
            session,
            lead,
            user_id=ids["baove_dem"],
            starts_at=at(18, 0, DAY - timedelta(days=1)),
            ends_at=at(6, 0),
        )
        installation.roster.add_shift(
            session, lead, user_id=ids["baove_ngay"], starts_at=at(6, 0), ends_at=at(18, 0)
        )
    dark = installation.recordings.open_event(
        ids["yard"], "video_loss", at(23, 30, DAY - timedelta(days=1))
    )
    installation.recordings.close_event(dark, at(1, 15))
    clock.advance((at(6, 0) - clock.now()).total_seconds())
    with installation.database.transaction() as session:
        installation.roster.write_handover(
            session,
            actor(installation, ids["baove_dem"]),
            to_user_id=ids["baove_ngay"],
            happened="Camera sân mất hình 23:30-01:15.",
        )
    covered = installation.recordings.open_event(ids["gate"], "covered", at(22, 10))
    installation.recordings.close_event(covered, at(22, 14))
    clock.advance((at(22, 10) - clock.now()).total_seconds())

    worker.run_once()
    with installation.database.transaction() as session:
        alert = installation.alerts.open_alerts(session, lead)[0]
        installation.alerts.resolve(
            session,
            actor(installation, ids["baove_ngay"]),
            alert.id,
            outcome="Học sinh treo áo lên camera",
            incident_reference="SV-2026-011",
        )
    return ids


def actor(installation: Installation, user_id: int) -> Actor:
    with installation.database.reading() as session:
        user = session.get(User, user_id)
        assert user is not None
        return actor_for(user)


def report_for(installation: Installation, who: Actor):  # type: ignore[no-untyped-def]
    with installation.database.reading() as session:
        return daily_report(
            session,
            who,
            DAY,
            alerts=installation.alerts,
            roster=installation.roster,
            timezone=HANOI,
        )


def test_the_daily_report_tells_the_day_as_it_happened(
    installation: Installation, day_of_events: dict[str, int]
) -> None:
    report = report_for(installation, actor(installation, day_of_events["hieutruong"]))
    assert [a.kind for a in report.alerts] == ["covered"]
    assert report.still_open == 0
    assert [i.incident_reference for i in report.incidents] == ["SV-2026-011"]
    assert [(o.kind, o.minutes_in_day) for o in report.outages] == [("video_loss", 75)]
    assert [(t.kind, t.minutes_in_day) for t in report.tampering] == [("covered", 4)]
    assert sorted(s.user.username for s in report.shifts) == ["baove_dem", "baove_ngay"]
    assert len(report.handovers) == 1
    assert [(g.start, g.end) for g in report.uncovered] == [
        (at(18, 0), at(0, 0, DAY + timedelta(days=1)))
    ]


def test_a_guard_does_not_read_the_board_s_report(
    installation: Installation, day_of_events: dict[str, int]
) -> None:
    with pytest.raises(Forbidden):
        report_for(installation, actor(installation, day_of_events["baove_ngay"]))


def test_the_report_is_mailed_to_the_principal_once_after_seven(
    installation: Installation, day_of_events: dict[str, int], smtp_server: SmtpServer
) -> None:
    clock = installation.clock
    assert isinstance(clock, ManualClock)
    mailer = DailyReportMailer(installation)
    clock.advance((at(6, 59, DAY + timedelta(days=1)) - clock.now()).total_seconds())
    assert mailer.send_if_due() is None
    clock.advance(60)
    assert mailer.send_if_due() == DAY
    assert DailyReportMailer(installation).send_if_due() is None  # after a restart too
    mail = smtp_server.wait_for(1)
    assert len(mail) == 1 and mail[0].recipients == ["hieutruong@truong.edu.vn"]
    assert "10/03/2026" in mail[0].subject
    text = mail[0].text
    for expected in ("SV-2026-011", "Camera Sân trường", "75", "baove_dem", "18:00-00:00"):
        assert expected in text, expected
