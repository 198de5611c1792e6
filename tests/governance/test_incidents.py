"""Incidents (R-4.3): opened by hand, from an alert or a bookmark; clips locked as evidence;
entries; closing and reopening; the chain of custody. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from camwarden.clock import ManualClock
from camwarden.errors import Conflict, Forbidden, InvalidInput, NotFound
from camwarden.governance.authorization import Actor
from camwarden.governance.incidents import Handover, IncidentStatus
from camwarden.governance.roles import Role
from camwarden.installation import Installation
from camwarden.storage.holds import is_held
from camwarden.storage.models import (
    Alert,
    AuditEntry,
    CustodyEvent,
    FootageHold,
    Incident,
    ReviewBookmark,
    ReviewCycle,
)
from tests.governance.alert_helpers import event_alert, person

PRINCIPAL = person(Role.PRINCIPAL, name="hieutruong")
LEAD = person(Role.SECURITY_LEAD, name="truongbv")
GUARD = person(Role.SECURITY, name="baove1")
AUDITOR = person(Role.ADMIN, name="quantri")
NOON = datetime(2026, 11, 20, 5, 0, tzinfo=UTC)  # 12:00 in Hà Nội


@pytest.fixture(autouse=True)
def at_noon(clock: ManualClock) -> None:
    clock.advance((NOON - clock.now()).total_seconds())


def open_one(installation: Installation, actor: Actor = PRINCIPAL, **fields: object) -> int:
    values: dict[str, object] = {
        "title": "Học sinh bị ngã ở cổng",
        "description": "Em Nguyễn Văn An lớp 3A bị ngã khi ra về.",
        "occurred_at": NOON - timedelta(hours=1),
        "location": "Cổng trường",
        **fields,
    }
    with installation.database.transaction() as session:
        return installation.incidents.open(session, actor, **values).id  # type: ignore[arg-type]


def add_clip(
    installation: Installation, incident_id: int, camera_id: int, actor: Actor = PRINCIPAL
) -> int:
    with installation.database.transaction() as session:
        return installation.incidents.footage.add(
            session,
            actor,
            incident_id,
            camera_id=camera_id,
            start_at=NOON - timedelta(minutes=70),
            end_at=NOON - timedelta(minutes=50),
        ).id


def custody_actions(installation: Installation, incident_id: int) -> list[str]:
    with installation.database.reading() as session:
        return [
            event.action
            for event in installation.incidents.chain.read(session, PRINCIPAL, incident_id)
        ]


def audit_actions(installation: Installation) -> list[str]:
    with installation.database.reading() as session:
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))


def test_an_incident_opened_by_hand_gets_a_reference_of_the_year_and_an_audit_entry(
    installation: Installation,
) -> None:
    first, second = open_one(installation), open_one(installation, title="Mất xe đạp")
    with installation.database.reading() as session:
        one, two = session.get(Incident, first), session.get(Incident, second)
        assert one is not None and two is not None
        assert (one.reference, two.reference) == ("SV-2026-0001", "SV-2026-0002")
        assert one.status == IncidentStatus.OPEN and one.source_kind == "manual"
        assert one.opened_by == "hieutruong"
    assert audit_actions(installation).count("incident.open") == 2


def test_only_who_manages_incidents_opens_one_and_the_audit_readers_may_only_read(
    installation: Installation,
) -> None:
    with pytest.raises(Forbidden):
        open_one(installation, GUARD)
    incident_id = open_one(installation, LEAD)
    with installation.database.reading() as session:
        assert installation.incidents.get(session, AUDITOR, incident_id).id == incident_id
        with pytest.raises(Forbidden):
            installation.incidents.get(session, GUARD, incident_id)
    with installation.database.transaction() as session, pytest.raises(Forbidden):
        installation.incidents.add_entry(session, AUDITOR, incident_id, kind="note", text="Ghi chú")


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"title": "  "}, "Title"),
        ({"occurred_at": NOON + timedelta(hours=1)}, "in the future"),
        ({"occurred_at": datetime(2026, 11, 20, 10, 0)}, "no time zone"),
        ({"location": "x" * 201}, "too long"),
    ],
)
def test_bad_input_is_refused_naming_it_and_nothing_is_opened(
    installation: Installation, fields: dict[str, object], words: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        open_one(installation, **fields)
    assert words in str(refused.value)
    with installation.database.reading() as session:
        assert session.scalars(select(Incident)).all() == []


def test_opening_from_an_alert_takes_its_camera_a_clip_around_it_and_names_the_alert(
    installation: Installation, cameras: dict[str, int]
) -> None:
    alert = event_alert(installation, cameras["gate"])
    with installation.database.transaction() as session:
        incident = installation.incidents.open_from_alert(
            session, LEAD, alert.id, title="Camera cổng bị che"
        )
        incident_id, reference = incident.id, incident.reference
        assert incident.source_kind == "alert" and incident.source_id == alert.id
        assert incident.occurred_at == alert.raised_at
    with installation.database.reading() as session:
        (clip,) = installation.incidents.footage.live(session, LEAD, incident_id)
        assert clip.camera_id == cameras["gate"]
        assert clip.start_at == alert.raised_at - timedelta(minutes=1)
        assert clip.end_at == alert.raised_at + timedelta(minutes=4)
        stored = session.get(Alert, alert.id)
        assert stored is not None and stored.incident_reference == reference
        hold = session.get(FootageHold, clip.hold_id)
        assert hold is not None and hold.kind == "evidence" and hold.reference == reference
        assert is_held(session, cameras["gate"], clip.start_at, clip.end_at)
    assert {"incident.open", "alert.incident", "incident.clip_added"} <= set(
        audit_actions(installation)
    )
    assert custody_actions(installation, incident_id) == ["clip_added"]
    with installation.database.transaction() as session, pytest.raises(Conflict) as twice:
        installation.incidents.open_from_alert(session, LEAD, alert.id, title="Lần nữa")
    assert reference in str(twice.value)


def test_opening_from_a_bookmark_makes_its_camera_and_range_the_first_clip(
    installation: Installation, cameras: dict[str, int]
) -> None:
    start, end = NOON - timedelta(days=3), NOON - timedelta(days=3) + timedelta(minutes=5)
    with installation.database.transaction() as session:
        cycle = ReviewCycle(
            period_start=NOON - timedelta(days=15),
            period_end=NOON,
            opened_at=NOON,
            due_at=NOON + timedelta(days=3),
            status="open",
        )
        session.add(cycle)
        session.flush()
        bookmark = ReviewBookmark(
            cycle_id=cycle.id,
            camera_id=cameras["finance_room"],
            start_at=start,
            end_at=end,
            note="Người lạ vào phòng tài chính",
            created_by="hieutruong",
            created_at=NOON,
        )
        session.add(bookmark)
        session.flush()
        bookmark_id = bookmark.id
    with installation.database.transaction() as session:
        incident = installation.incidents.open_from_bookmark(
            session, PRINCIPAL, bookmark_id, title="Người lạ trong phòng tài chính"
        )
        assert incident.source_kind == "bookmark" and incident.source_id == bookmark_id
        assert incident.description == "Người lạ vào phòng tài chính"
        (clip,) = installation.incidents.footage.live(session, PRINCIPAL, incident.id)
        assert (clip.camera_id, clip.start_at, clip.end_at) == (cameras["finance_room"], start, end)
    with installation.database.transaction() as session, pytest.raises(NotFound):
        installation.incidents.open_from_bookmark(session, PRINCIPAL, 999, title="Không có")


def test_a_clip_is_added_only_by_someone_who_may_play_back_in_that_cameras_zone(
    installation: Installation, cameras: dict[str, int]
) -> None:
    gate_lead = person(Role.SECURITY_LEAD, {cameras["gate_zone"]}, name="truongbv.cong")
    incident_id = open_one(installation, gate_lead)
    add_clip(installation, incident_id, cameras["gate"], gate_lead)
    with pytest.raises(NotFound):
        # A camera outside the actor's zones is not even known to exist.
        add_clip(installation, incident_id, cameras["finance_room"], gate_lead)
    with installation.database.reading() as session:
        assert len(installation.incidents.footage.live(session, PRINCIPAL, incident_id)) == 1


def test_a_clip_that_ends_before_it_starts_is_refused_and_nothing_is_held(
    installation: Installation, cameras: dict[str, int]
) -> None:
    incident_id = open_one(installation)
    with installation.database.transaction() as session, pytest.raises(InvalidInput) as refused:
        installation.incidents.footage.add(
            session,
            PRINCIPAL,
            incident_id,
            camera_id=cameras["gate"],
            start_at=NOON - timedelta(minutes=5),
            end_at=NOON - timedelta(minutes=10),
        )
    assert "must end after it starts" in str(refused.value)
    with installation.database.reading() as session:
        assert session.scalars(select(FootageHold)).all() == []


def test_removing_a_clip_keeps_its_row_and_releases_its_hold_but_not_the_others(
    installation: Installation, cameras: dict[str, int]
) -> None:
    incident_id = open_one(installation)
    gate = add_clip(installation, incident_id, cameras["gate"])
    finance = add_clip(installation, incident_id, cameras["finance_room"])
    with installation.database.transaction() as session, pytest.raises(InvalidInput):
        installation.incidents.footage.remove(session, PRINCIPAL, incident_id, gate, reason=" ")
    with installation.database.transaction() as session:
        removed = installation.incidents.footage.remove(
            session, PRINCIPAL, incident_id, gate, reason="Nhầm camera"
        )
        assert removed.removed_at == NOON
    with installation.database.reading() as session:
        clips = installation.incidents.footage.live(session, PRINCIPAL, incident_id)
        assert [clip.id for clip in clips] == [finance]
        start, end = NOON - timedelta(minutes=70), NOON - timedelta(minutes=50)
        assert not is_held(session, cameras["gate"], start, end)
        assert is_held(session, cameras["finance_room"], start, end)
    assert custody_actions(installation, incident_id) == [
        "clip_added",
        "clip_added",
        "clip_removed",
    ]


def test_entries_are_kept_in_order_with_a_persons_capacity(installation: Installation) -> None:
    incident_id = open_one(installation)
    with installation.database.transaction() as session:
        incidents = installation.incidents
        incidents.add_entry(session, PRINCIPAL, incident_id, kind="note", text="Đã gọi phụ huynh")
        incidents.add_entry(
            session,
            PRINCIPAL,
            incident_id,
            kind="person",
            text="Nguyễn Văn An",
            capacity="học sinh lớp 3A",
        )
        incidents.add_entry(
            session, PRINCIPAL, incident_id, kind="decision", text="Sửa bậc thềm cổng"
        )
    with installation.database.reading() as session:
        entries = installation.incidents.entries(session, PRINCIPAL, incident_id)
    assert [(e.kind, e.text, e.capacity) for e in entries] == [
        ("note", "Đã gọi phụ huynh", ""),
        ("person", "Nguyễn Văn An", "học sinh lớp 3A"),
        ("decision", "Sửa bậc thềm cổng", ""),
    ]
    with installation.database.transaction() as session, pytest.raises(InvalidInput) as refused:
        installation.incidents.add_entry(session, PRINCIPAL, incident_id, kind="rumour", text="x")
    assert "rumour" in str(refused.value)


def test_closing_keeps_the_footage_locked_and_changes_need_a_reopening(
    installation: Installation, cameras: dict[str, int]
) -> None:
    incident_id = open_one(installation)
    add_clip(installation, incident_id, cameras["gate"])
    with installation.database.transaction() as session:
        installation.incidents.close(session, PRINCIPAL, incident_id, reason="Đã xử lý xong")
    with installation.database.reading() as session:
        start, end = NOON - timedelta(minutes=70), NOON - timedelta(minutes=50)
        assert is_held(session, cameras["gate"], start, end)
    with installation.database.transaction() as session, pytest.raises(Conflict) as closed:
        installation.incidents.add_entry(session, PRINCIPAL, incident_id, kind="note", text="x")
    assert "SV-2026-0001" in str(closed.value)
    with installation.database.transaction() as session:
        incident = installation.incidents.reopen(
            session, PRINCIPAL, incident_id, reason="Phụ huynh khiếu nại"
        )
        assert incident.status == IncidentStatus.OPEN and incident.closed_at is None
    with installation.database.transaction() as session, pytest.raises(Conflict):
        installation.incidents.reopen(session, PRINCIPAL, incident_id, reason="Lần nữa")
    with installation.database.reading() as session:
        history = installation.incidents.history(session, PRINCIPAL, incident_id)
    assert [entry.action for entry in history] == [
        "incident.open",
        "incident.clip_added",
        "incident.close",
        "incident.reopen",
    ]


def test_viewing_and_a_hand_over_are_links_of_the_chain_of_custody_and_audited(
    installation: Installation, cameras: dict[str, int]
) -> None:
    incident_id = open_one(installation)
    clip_id = add_clip(installation, incident_id, cameras["gate"])
    with installation.database.transaction() as session:
        installation.incidents.footage.view(session, PRINCIPAL, incident_id, clip_id)
        installation.incidents.chain.record_handover(
            session,
            PRINCIPAL,
            incident_id,
            Handover(
                recipient="Trung uý Trần Văn Bình",
                organisation="Công an phường Dịch Vọng",
                medium="USB",
                handed_at=NOON - timedelta(minutes=5),
            ),
        )
    with installation.database.reading() as session:
        events = session.scalars(select(CustodyEvent).order_by(CustodyEvent.id)).all()
    assert [event.action for event in events] == ["clip_added", "viewed", "handed_over"]
    assert "Công an phường Dịch Vọng" in events[2].details
    actions = audit_actions(installation)
    assert {"footage.playback", "incident.viewed", "incident.handed_over"} <= set(actions)
    with installation.database.transaction() as session, pytest.raises(InvalidInput) as refused:
        installation.incidents.chain.record_handover(
            session,
            PRINCIPAL,
            incident_id,
            Handover(recipient="", organisation="", medium="USB", handed_at=NOON),
        )
    assert "Received by" in str(refused.value)


def test_the_list_shows_open_incidents_first(
    installation: Installation, clock: ManualClock
) -> None:
    older = open_one(installation, title="Cũ")
    clock.advance(300)
    closed = open_one(installation, title="Đã đóng")
    with installation.database.transaction() as session:
        installation.incidents.close(session, PRINCIPAL, closed, reason="Xong")
    with installation.database.reading() as session:
        listed = [i.id for i in installation.incidents.list(session, PRINCIPAL)]
    assert listed == [older, closed]
