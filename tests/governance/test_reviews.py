"""The 15-day review (R-5.1, R-5.2): cycles open contiguously and once, reviewers bookmark and
check their unit off, the Board signs off, overdue cycles are escalated once."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pypdfium2  # type: ignore[import-untyped]
import pytest
from sqlalchemy import func, select

from camwarden.clock import ManualClock
from camwarden.errors import Conflict, Forbidden, InvalidInput, NotFound
from camwarden.governance.alerts import REVIEW_OVERDUE, Severity
from camwarden.governance.authorization import SYSTEM_ACTOR, Actor
from camwarden.governance.reviews import CycleStatus, reviewed_until
from camwarden.governance.roles import Role
from camwarden.installation import Installation, open_installation
from camwarden.storage.holds import HoldKind
from camwarden.storage.models import Alert, AuditEntry, FootageHold, ReviewCycle
from camwarden.storage.recordings import EventKind
from tests.retention.test_service import clip, record_at  # noqa: F401 (clip is a fixture)

# 10:00 in Hanoi on 26/11/2026; footage from 08:00 on 1/11.
NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
FIRST_FOOTAGE = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)
# Midnights in school time (UTC+7).
NOV_1 = datetime(2026, 10, 31, 17, 0, tzinfo=UTC)
NOV_16 = NOV_1 + timedelta(days=15)
DEC_1 = NOV_16 + timedelta(days=15)
DEC_16 = DEC_1 + timedelta(days=15)

BOARD = replace(SYSTEM_ACTOR, username="bgh.lan", role=Role.BOARD)


def reviewer(zone_ids: set[int]) -> Actor:
    return Actor(
        user_id=None,
        username="bv.truong",
        role=Role.SECURITY_LEAD,
        all_zones=False,
        zone_ids=frozenset(zone_ids),
    )


@pytest.fixture
def inst(installation: Installation) -> Installation:
    clock = installation.clock
    assert isinstance(clock, ManualClock)
    clock.advance((NOW - clock.now()).total_seconds())
    return installation


@pytest.fixture
def cams(inst: Installation) -> dict[str, int]:
    """The gate (security team) and a classroom corridor (teachers), one camera each."""
    made: dict[str, int] = {}
    with inst.database.transaction() as session:
        for key, zone_name, unit in (
            ("gate", "Cổng trường", "Tổ bảo vệ"),
            ("corridor", "Hành lang khối 3", "Tổ chuyên môn khối 3"),
        ):
            zone = inst.zones.create(
                session,
                SYSTEM_ACTOR,
                name=zone_name,
                kind="gate" if key == "gate" else "corridor",
                purposes=["security"],
                responsible_unit=unit,
            )
            camera = inst.cameras.create(
                session,
                SYSTEM_ACTOR,
                name=f"Camera {zone_name}",
                zone_id=zone.id,
                main_url=f"rtsp://10.0.0.{len(made) + 5}/ch1",
            )
            inst.cameras.set_state(
                session, SYSTEM_ACTOR, camera.id, "in_service", reason="thử nghiệm"
            )
            made[key], made[f"{key}_zone"] = camera.id, zone.id
        # A camera still waiting for its acceptance: nothing of it to review.
        inst.cameras.create(
            session,
            SYSTEM_ACTOR,
            name="Camera sân sau (chưa nghiệm thu)",
            zone_id=zone.id,
            main_url="rtsp://10.0.0.9/ch1",
        )
    return made


@pytest.fixture
def cycle_id(inst: Installation, cams: dict[str, int], clip: Path) -> int:  # noqa: F811
    record_at(inst, cams["gate"], FIRST_FOOTAGE, clip)
    with inst.database.transaction() as session:
        (opened,) = inst.reviews.open_due_cycles(session)
        return opened.id


def periods(inst: Installation) -> list[tuple[datetime, datetime, str]]:
    with inst.database.reading() as session:
        return [
            (c.period_start, c.period_end, c.status)
            for c in session.scalars(select(ReviewCycle).order_by(ReviewCycle.period_start))
        ]


def test_cycles_open_contiguously_from_the_first_footage_day_once_and_after_a_restart(
    inst: Installation,
    cams: dict[str, int],
    clip: Path,  # noqa: F811
) -> None:
    record_at(inst, cams["gate"], FIRST_FOOTAGE, clip)
    with inst.database.transaction() as session:
        (first,) = inst.reviews.open_due_cycles(session)
        assert first.due_at == NOV_16 + timedelta(days=5)
    with inst.database.transaction() as session:
        assert inst.reviews.open_due_cycles(session) == [], "idempotent"
    assert periods(inst) == [(NOV_1, NOV_16, "open")]

    # The server is down for twenty days; after a restart each missed cycle opens.
    clock = inst.clock
    assert isinstance(clock, ManualClock)
    clock.advance(timedelta(days=20).total_seconds())
    restarted = open_installation(inst.settings, clock=clock)
    try:
        restarted.reviews.tick(restarted.database)
        restarted.reviews.tick(restarted.database)
    finally:
        restarted.close()
    assert [p[:2] for p in periods(inst)] == [(NOV_1, NOV_16), (NOV_16, DEC_1), (DEC_1, DEC_16)]


def test_a_fresh_installation_opens_no_cycle_before_a_period_has_passed(
    inst: Installation,
) -> None:
    with inst.database.transaction() as session:
        assert inst.reviews.open_due_cycles(session) == []
        assert inst.reviews.next_period_end(session) == datetime(2026, 12, 10, 17, tzinfo=UTC)
    assert periods(inst) == []


def test_an_overdue_cycle_is_escalated_once_through_an_alert(
    inst: Installation, cycle_id: int
) -> None:
    # NOW (26/11) is past the due date (21/11): one tick escalates, the next ones do not.
    with inst.database.reading() as session:
        assert session.scalar(select(func.count()).select_from(Alert)) == 0
    for _ in range(3):
        inst.reviews.tick(inst.database)
    with inst.database.reading() as session:
        alerts = session.scalars(select(Alert).where(Alert.kind == REVIEW_OVERDUE)).all()
        assert len(alerts) == 1 and alerts[0].repeats == 0
        assert "21/11/2026" in alerts[0].summary
        cycle = session.get(ReviewCycle, cycle_id)
        assert cycle is not None and cycle.escalated_at is not None
        assert [c.id for c in inst.reviews.overdue(session, BOARD)] == [cycle_id]
        assert inst.reviews.overdue(session, replace(BOARD, role=Role.STAFF)) == []


def test_a_bookmark_holds_its_footage_and_the_sign_off_archives_it_with_a_report(
    inst: Installation, cams: dict[str, int], cycle_id: int
) -> None:
    lead = reviewer({cams["gate_zone"], cams["corridor_zone"]})
    start = FIRST_FOOTAGE
    with inst.database.transaction() as session:
        bookmark = inst.reviews.add_bookmark(
            session,
            lead,
            cycle_id,
            camera_id=cams["gate"],
            start_at=start,
            end_at=start + timedelta(seconds=2),
            note="Người lạ trèo rào lúc 8 giờ",
        )
        hold = session.get(FootageHold, bookmark.hold_id)
        assert hold is not None and (hold.kind, hold.reference) == (
            HoldKind.REVIEW,
            f"review:{cycle_id}",
        )
        inst.reviews.check_unit(session, lead, cycle_id, unit="Tổ bảo vệ")

    # One unit has not checked off: a sign-off without a note is refused, nothing changes.
    with (
        pytest.raises(InvalidInput, match="Tổ chuyên môn khối 3"),
        inst.database.transaction() as session,
    ):
        inst.reviews.sign_off(session, BOARD, cycle_id)
    with pytest.raises(Forbidden), inst.database.transaction() as session:
        inst.reviews.sign_off(session, lead, cycle_id, note="Không chờ")
    assert periods(inst)[0][2] == CycleStatus.OPEN
    with inst.database.reading() as session:
        assert reviewed_until(session) is None

    # The paper names people: the accounts behind the usernames have full names.
    with inst.database.transaction() as session:
        for username, full_name, role in (
            ("bgh.lan", "Lê Thị Lan", "board"),
            ("bv.truong", "Phạm Văn Trường", "security_lead"),
        ):
            inst.accounts.create(
                session,
                SYSTEM_ACTOR,
                username=username,
                full_name=full_name,
                role=role,
                password="Mat-khau-2026!",
                must_change_password=False,
            )
    with inst.database.transaction() as session:
        inst.reviews.sign_off(
            session, BOARD, cycle_id, note="Tổ khối 3 nghỉ học tập huấn, đã báo miệng"
        )
    with inst.database.reading() as session:
        cycle = session.get(ReviewCycle, cycle_id)
        assert cycle is not None and cycle.status == CycleStatus.CLOSED
        assert cycle.signed_off_by == "bgh.lan" and cycle.signed_off_at == NOW
        report = inst.reviews.report_bytes(session, BOARD, cycle_id)
        assert report.startswith(b"%PDF")
        assert hashlib.sha256(report).hexdigest() == cycle.report_sha256
        printed = "".join(
            page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(report)
        )
        assert "Lê Thị Lan" in printed and "Phạm Văn Trường" in printed
        assert "bgh.lan" not in printed and "bv.truong" not in printed
        holds = session.scalars(select(FootageHold).order_by(FootageHold.id)).all()
        assert [(h.kind, h.released_at is None) for h in holds] == [
            (HoldKind.REVIEW, False),
            (HoldKind.ARCHIVE, True),
        ]
        assert reviewed_until(session) == NOV_16
        actions = session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.action.like("review.%"))
            .order_by(AuditEntry.seq)
        ).all()
        assert actions == [
            "review.cycle_opened",
            "review.bookmark_added",
            "review.unit_checked",
            "review.signed_off",
        ]
    # A signed-off cycle no longer changes.
    with pytest.raises(Conflict), inst.database.transaction() as session:
        inst.reviews.check_unit(session, lead, cycle_id, unit="Tổ chuyên môn khối 3")


def test_a_bad_bookmark_is_refused_and_nothing_changes(
    inst: Installation, cams: dict[str, int], cycle_id: int
) -> None:
    lead = reviewer({cams["gate_zone"]})
    good = {"camera_id": cams["gate"], "start_at": NOV_1, "end_at": NOV_1 + timedelta(hours=1)}
    cases: list[tuple[dict[str, object], type[Exception], str]] = [
        ({**good, "note": "  "}, InvalidInput, "Note"),
        ({**good, "note": "x", "end_at": NOV_1}, InvalidInput, "must come after"),
        (
            {**good, "note": "x", "end_at": NOV_16 + timedelta(seconds=1)},
            InvalidInput,
            "not inside",
        ),
        ({**good, "note": "x", "camera_id": cams["corridor"]}, NotFound, str(cams["corridor"])),
        ({**good, "note": "x", "camera_id": 10**30}, NotFound, "does not exist"),
    ]
    for fields, error, words in cases:
        with pytest.raises(error, match=words), inst.database.transaction() as session:
            inst.reviews.add_bookmark(session, lead, cycle_id, **fields)  # type: ignore[arg-type]
    with pytest.raises(NotFound), inst.database.transaction() as session:
        inst.reviews.add_bookmark(session, lead, 999, **good, note="x")  # type: ignore[arg-type]
    with inst.database.reading() as session:
        assert session.scalar(select(func.count()).select_from(FootageHold)) == 0


def test_a_removed_bookmark_is_kept_and_its_hold_released(
    inst: Installation, cams: dict[str, int], cycle_id: int
) -> None:
    lead = reviewer({cams["gate_zone"]})
    with inst.database.transaction() as session:
        bookmark_id = inst.reviews.add_bookmark(
            session,
            lead,
            cycle_id,
            camera_id=cams["gate"],
            start_at=NOV_1,
            end_at=NOV_1 + timedelta(hours=1),
            note="Nhầm",
        ).id
    with inst.database.transaction() as session:
        inst.reviews.remove_bookmark(session, lead, cycle_id, bookmark_id)
    with pytest.raises(Conflict), inst.database.transaction() as session:
        inst.reviews.remove_bookmark(session, lead, cycle_id, bookmark_id)
    with inst.database.reading() as session:
        view = inst.reviews.view(session, BOARD, cycle_id)
        assert [(b.id, b.removed_by) for b in view.bookmarks] == [(bookmark_id, "bv.truong")]
        held = session.scalars(select(FootageHold).where(FootageHold.released_at.is_(None)))
        assert held.all() == []


def test_the_summary_gives_each_units_cameras_their_alerts_outages_activity_and_hours(
    inst: Installation, cams: dict[str, int], cycle_id: int
) -> None:
    gate = cams["gate"]
    outage = inst.recordings.open_event(gate, EventKind.VIDEO_LOSS, NOV_1 + timedelta(hours=2))
    inst.recordings.close_event(outage, NOV_1 + timedelta(hours=2, minutes=30))
    inst.activity.record(gate, NOV_1 + timedelta(hours=3, minutes=5), 0.5)  # 03:05 in Hanoi
    inst.activity.flush()
    clock = inst.clock
    assert isinstance(clock, ManualClock)
    back = (NOW - (NOV_1 + timedelta(hours=2))).total_seconds()
    clock.advance(-back)  # the alert was raised during the period
    with inst.database.transaction() as session:
        for _ in range(2):
            inst.alerts.raise_condition(
                session, kind="video_loss", severity=Severity.HIGH, summary="Mất", camera_id=gate
            )
        inst.alerts.raise_condition(
            session, kind="moved", severity=Severity.HIGH, summary="Lệch", camera_id=gate
        )
    clock.advance(back)
    with inst.database.reading() as session:
        view = inst.reviews.view(session, BOARD, cycle_id)
        scoped = inst.reviews.view(session, reviewer({cams["corridor_zone"]}), cycle_id)
    assert [u.unit for u in view.units] == ["Tổ bảo vệ", "Tổ chuyên môn khối 3"]
    summary = view.units[0].cameras[0]
    assert summary.camera_id == gate
    assert summary.outages == 1 and summary.outage_minutes == 30
    assert summary.active_hours == 1 and summary.busiest_hour == 3
    assert summary.recorded_hours > 0
    assert summary.alerts == {"moved": 1, "video_loss": 1}, "repeats fold into one alert"
    assert [u.unit for u in scoped.units] == ["Tổ chuyên môn khối 3"]
    assert [c.camera_name for u in view.units for c in u.cameras] == [
        "Camera Cổng trường",
        "Camera Hành lang khối 3",
    ], "the draft camera has nothing to review"
