import dataclasses
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from camwarden.clock import ManualClock
from camwarden.errors import InvalidInput
from camwarden.governance.accounts import actor_for
from camwarden.governance.authorization import SYSTEM_ACTOR, Actor
from camwarden.installation import Installation
from camwarden.monitoring import AlertWorker
from camwarden.monitoring.notifier import Notifier
from camwarden.storage.models import AuditEntry, NotificationPreference, NotificationSent, User
from tests.support.footage import gate_zone
from tests.support.mail import SmtpServer, WebhookReceiver

PASSWORD = "Mat-khau-dai-2026!"


@pytest.fixture
def school(installation: Installation, admin: Actor, smtp_server: SmtpServer) -> dict[str, int]:
    """A gate camera; a gate guard, the head of security and a board member, all with e-mail;
    the school's mail server is the test SMTP server."""
    installation.settings = dataclasses.replace(
        installation.settings,
        mail_url=smtp_server.mail_url(),
        public_url="https://camera.truong.edu.vn",
    )
    with installation.database.transaction() as session:
        zone = gate_zone(installation, session, admin)
        camera = installation.cameras.create(
            session, admin, zone_id=zone.id, name="Cổng 1", main_url="rtsp://10.0.0.5/stream"
        )
        ids = {"camera": camera.id}
        for username, role in (
            ("baove", "security"),
            ("truongbv", "security_lead"),
            ("bgh", "board"),
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
    return ids


def actor_of(installation: Installation, user_id: int) -> Actor:
    with installation.database.reading() as session:
        user = session.get(User, user_id)
        assert user is not None
        return actor_for(user)


def run(installation: Installation) -> tuple[AlertWorker, Notifier]:
    notifier = Notifier(installation)
    notifier.start()
    worker = AlertWorker(installation, on_tick=notifier.on_tick)
    worker.run_once()
    return worker, notifier


def test_a_covered_camera_mails_the_guard_in_vietnamese_then_escalates_to_the_head_of_security(
    installation: Installation, school: dict[str, int], smtp_server: SmtpServer, clock: ManualClock
) -> None:
    worker, notifier = run(installation)
    installation.recordings.open_event(school["camera"], "covered", clock.now(), "score 0.97")
    worker.run_once()
    assert notifier.wait_until_sent()
    first = smtp_server.wait_for(1)[0]
    assert first.recipients == ["baove@truong.edu.vn"]
    assert (
        "Cao" in first.subject and "Ống kính bị che" in first.subject and "Cổng 1" in first.subject
    )
    assert "https://camera.truong.edu.vn/alerts/" in first.text
    clock.advance(5 * 60)
    worker.run_once()
    assert notifier.wait_until_sent()
    second = smtp_server.wait_for(2)[1]
    assert second.recipients == ["truongbv@truong.edu.vn"]
    assert "Chưa ai tiếp nhận" in second.text
    notifier.stop()
    with installation.database.reading() as session:
        reasons = session.scalars(select(NotificationSent.reason).order_by(NotificationSent.id))
        assert list(reasons) == ["raised", "escalated_1"]


def test_quiet_hours_hold_back_a_high_alert_but_never_a_critical_one(
    installation: Installation, school: dict[str, int], smtp_server: SmtpServer
) -> None:
    # 23:00 in Hanoi.
    clock = installation.clock
    assert isinstance(clock, ManualClock)
    clock.advance((datetime(2026, 1, 5, 16, 0, tzinfo=UTC) - clock.now()).total_seconds())
    with installation.database.transaction() as session:
        installation.notifications.set_own(
            session,
            actor_of(installation, school["baove"]),
            email_enabled=True,
            extra_targets=[],
            min_severity="low",
            quiet_hours="22:00-06:00",
        )
    worker, notifier = run(installation)
    installation.recordings.open_event(school["camera"], "covered", clock.now())
    installation.recordings.open_event(school["camera"], "disk_full", clock.now())
    worker.run_once()
    assert notifier.wait_until_sent()
    notifier.stop()
    received = smtp_server.wait_for(1)
    assert len(received) == 1
    assert "Khẩn cấp" in received[0].subject


def test_a_person_adds_a_webhook_and_a_dead_target_does_not_stop_the_others(
    installation: Installation,
    school: dict[str, int],
    smtp_server: SmtpServer,
    webhook: WebhookReceiver,
    clock: ManualClock,
) -> None:
    with installation.database.transaction() as session:
        installation.notifications.set_own(
            session,
            actor_of(installation, school["baove"]),
            email_enabled=True,
            extra_targets=["json://127.0.0.1:9/closed", webhook.url],
            min_severity="high",
            quiet_hours="",
        )
    worker, notifier = run(installation)
    installation.recordings.open_event(school["camera"], "video_loss", clock.now())
    worker.run_once()
    assert notifier.wait_until_sent()
    notifier.stop()
    assert smtp_server.wait_for(1)[0].recipients == ["baove@truong.edu.vn"]
    assert len(webhook.bodies) == 1 and "Mất tín hiệu" in webhook.bodies[0]["title"]
    with installation.database.reading() as session:
        outcomes = {
            (row.target.split(":")[0], row.ok) for row in session.scalars(select(NotificationSent))
        }
    assert outcomes == {("mailto", True), ("json", False), ("json", True)}


def test_below_their_chosen_severity_nobody_is_mailed(
    installation: Installation, school: dict[str, int], smtp_server: SmtpServer, clock: ManualClock
) -> None:
    worker, notifier = run(installation)
    with installation.database.transaction() as session:
        installation.alerts.report(
            session,
            actor_of(installation, school["baove"]),
            summary="Đèn hành lang tầng 2 hỏng",
            severity="low",
        )
    worker.run_once()
    assert notifier.wait_until_sent()
    notifier.stop()
    assert smtp_server.received == []


@pytest.mark.parametrize(
    "fields",
    [
        {"extra_targets": ["not a url"]},
        {"extra_targets": ["nonsense://x"]},
        {"min_severity": "urgent"},
        {"quiet_hours": "22h-6h"},
        {"quiet_hours": "06:00-06:00"},
    ],
)
def test_bad_notification_settings_are_refused_and_change_nothing(
    installation: Installation, school: dict[str, int], fields: dict[str, object]
) -> None:
    values: dict[str, object] = {
        "email_enabled": True,
        "extra_targets": [],
        "min_severity": "high",
        "quiet_hours": "",
        **fields,
    }
    with pytest.raises(InvalidInput), installation.database.transaction() as session:
        installation.notifications.set_own(
            session,
            actor_of(installation, school["baove"]),
            **values,  # type: ignore[arg-type]
        )
    with installation.database.reading() as session:
        assert session.get(NotificationPreference, school["baove"]) is None


def test_tokens_are_sealed_at_rest_and_redacted_in_the_audit_log(
    installation: Installation, school: dict[str, int]
) -> None:
    secret = "tgram://123456789:AAHsecretTOKENvalue/987654321"
    with installation.database.transaction() as session:
        installation.notifications.set_own(
            session,
            actor_of(installation, school["baove"]),
            email_enabled=False,
            extra_targets=[secret],
            min_severity="medium",
            quiet_hours="",
        )
    with installation.database.reading() as session:
        row = session.get(NotificationPreference, school["baove"])
        assert row is not None and "secretTOKEN" not in row.extra_targets_sealed
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "notifications.set")
        ).one()
        assert "secretTOKEN" not in entry.details and "tgram://" in entry.details
        assert installation.notifications.of(session, school["baove"]).extra_targets == (secret,)
