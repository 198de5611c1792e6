"""Requests for footage, the Board's decision and the grants it makes (R-4.2)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from camwarden.clock import ManualClock
from camwarden.errors import Conflict, Forbidden, InvalidInput, NotFound
from camwarden.governance.accounts import actor_for
from camwarden.governance.authorization import SYSTEM_ACTOR, Actor
from camwarden.governance.requests import Filed, RequestStatus
from camwarden.installation import Installation
from camwarden.storage.holds import active_holds
from camwarden.storage.models import AuditEntry, FootageGrant, FootageRequest


def make_actor(installation: Installation, role: str, username: str) -> Actor:
    with installation.database.transaction() as session:
        created = installation.accounts.create(
            session,
            SYSTEM_ACTOR,
            username=username,
            full_name=username.replace(".", " ").title(),
            role=role,
            password="Mat-khau-2026!",
            must_change_password=False,
        )
        return actor_for(created.user, ip="192.0.2.30")


@pytest.fixture
def board(installation: Installation) -> Actor:
    return make_actor(installation, "board", "hd.lan")


@pytest.fixture
def second_board(installation: Installation) -> Actor:
    return make_actor(installation, "principal", "ht.minh")


def file_request(
    installation: Installation,
    cameras: dict[str, int],
    clock: ManualClock,
    *,
    actor: Actor | None = None,
    access: str = "watch",
    hours_ago: float = 3,
    hours: float = 1,
    **overrides: object,
) -> Filed:
    end = clock.now() - timedelta(hours=hours_ago) + timedelta(hours=hours)
    values: dict[str, object] = {
        "name": "Trần Thị Hoa",
        "contact": "0912 345 678",
        "organisation": "",
        "purpose": "Con tôi bị ngã ở cổng trường chiều qua; tôi muốn xem lại.",
        "access": access,
        "camera_ids": [cameras["gate"]],
        "footage_start": end - timedelta(hours=hours),
        "footage_end": end,
        **overrides,
    }
    with installation.database.transaction() as session:
        return installation.requests.file(session, actor=actor, **values)  # type: ignore[arg-type]


def request_holds(installation: Installation, camera_id: int) -> list[str]:
    with installation.database.reading() as session:
        return [h.reference for h in active_holds(session, camera_id) if h.kind == "request"]


def test_a_request_filed_without_an_account_gets_a_reference_a_code_and_holds_its_footage(
    installation: Installation, cameras: dict[str, int], clock: ManualClock
) -> None:
    filed = file_request(installation, cameras, clock)

    assert filed.request.reference == f"YC-{clock.now().year}-0001"
    assert len(filed.tracking_code) == 14
    assert filed.request.tracking_hash != filed.tracking_code
    assert request_holds(installation, cameras["gate"]) == [filed.request.reference]
    with installation.database.reading() as session:
        status = installation.requests.status_by_code(session, filed.tracking_code.lower())
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "footage_request.filed")
        ).one()
    assert status.status == RequestStatus.PENDING
    assert status.cameras == ["Camera Cổng trường"]
    assert (entry.actor, entry.target_type) == ("public", "footage_request")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"purpose": "  "}, "purpose"),
        ({"contact": ""}, "contact"),
        ({"name": ""}, "requester_name"),
        ({"access": "delete"}, "access"),
        ({"camera_ids": []}, "camera_ids"),
        ({"camera_ids": [987654]}, "camera_ids"),
        ({"hours_ago": -2}, "footage_end"),
        ({"hours": 30, "hours_ago": 1}, "footage_end"),
    ],
)
def test_a_bad_request_is_refused_naming_the_field_and_nothing_is_stored(
    installation: Installation,
    cameras: dict[str, int],
    clock: ManualClock,
    overrides: dict[str, object],
    field: str,
) -> None:
    with pytest.raises(InvalidInput) as refused:
        file_request(installation, cameras, clock, **overrides)  # type: ignore[arg-type]

    assert refused.value.field == field
    with installation.database.reading() as session:
        assert session.scalar(select(func.count()).select_from(FootageRequest)) == 0
    assert request_holds(installation, cameras["gate"]) == []


def test_a_wrong_tracking_code_reads_the_same_as_an_unknown_one(
    installation: Installation, cameras: dict[str, int], clock: ManualClock
) -> None:
    file_request(installation, cameras, clock)
    with installation.database.reading() as session:
        with pytest.raises(NotFound) as wrong:
            installation.requests.status_by_code(session, "AAAA-BBBB-CCCC")
        with pytest.raises(NotFound) as empty:
            installation.requests.status_by_code(session, "")
    assert wrong.value.message == empty.value.message


def test_only_the_board_decides_and_a_refusal_needs_a_reason_and_releases_the_footage(
    installation: Installation, cameras: dict[str, int], clock: ManualClock, board: Actor
) -> None:
    filed = file_request(installation, cameras, clock)
    guard = make_actor(installation, "security", "bv.nam")
    with installation.database.transaction() as session:
        with pytest.raises(Forbidden):
            installation.requests.refuse(session, guard, filed.request.id, reason="Không")
        with pytest.raises(InvalidInput) as no_reason:
            installation.requests.refuse(session, board, filed.request.id, reason=" ")
    assert no_reason.value.field == "reason"

    with installation.database.transaction() as session:
        installation.requests.refuse(
            session, board, filed.request.id, reason="Mục đích chưa rõ, xin gửi lại."
        )
    assert request_holds(installation, cameras["gate"]) == []
    with installation.database.reading() as session:
        status = installation.requests.status_by_code(session, filed.tracking_code)
        with pytest.raises(Conflict):
            installation.requests.approve(session, board, filed.request.id, reason="", valid_days=3)
    assert (status.status, status.decision_reason) == ("refused", "Mục đích chưa rõ, xin gửi lại.")


def test_a_copy_needs_a_second_different_board_member_before_the_grant_exists(
    installation: Installation,
    cameras: dict[str, int],
    clock: ManualClock,
    board: Actor,
    second_board: Actor,
) -> None:
    filed = file_request(installation, cameras, clock, access="copy")
    with installation.database.transaction() as session:
        first = installation.requests.approve(
            session, board, filed.request.id, reason="Phụ huynh có lý do chính đáng", valid_days=7
        )
    assert first.grant is None
    with installation.database.reading() as session:
        status = installation.requests.status_by_code(session, filed.tracking_code)
    assert (status.status, status.waiting_for_second) == ("pending", True)

    with installation.database.transaction() as session:
        with pytest.raises(Conflict):
            installation.requests.approve(session, board, filed.request.id, reason="", valid_days=7)
        second = installation.requests.approve(
            session, second_board, filed.request.id, reason="Đồng ý", valid_days=7
        )
        assert second.grant is not None
        assert second.grant.expires_at == clock.now() + timedelta(days=7)
        assert second.request.second_approval_by == "ht.minh"
    # An outsider's grant opens by a secret link, shown to the approver and on the tracking page.
    assert second.link_token
    with installation.database.reading() as session:
        status = installation.requests.status_by_code(session, filed.tracking_code)
        grant = installation.requests.grant_by_token(session, second.link_token)
    assert status.status == "approved"
    assert status.link_token == second.link_token
    assert grant.token_hash != second.link_token


@pytest.mark.parametrize("days", [0, 31])
def test_a_grant_lasts_between_one_and_thirty_days(
    installation: Installation, cameras: dict[str, int], clock: ManualClock, board: Actor, days: int
) -> None:
    filed = file_request(installation, cameras, clock)
    with installation.database.transaction() as session, pytest.raises(InvalidInput) as refused:
        installation.requests.approve(session, board, filed.request.id, reason="", valid_days=days)
    assert refused.value.field == "valid_days"


def test_a_grant_stops_by_itself_and_the_sweep_records_it_once_and_releases_the_footage(
    installation: Installation, cameras: dict[str, int], clock: ManualClock, board: Actor
) -> None:
    filed = file_request(installation, cameras, clock)
    with installation.database.transaction() as session:
        decision = installation.requests.approve(
            session, board, filed.request.id, reason="", valid_days=2
        )
    assert decision.link_token is not None
    assert request_holds(installation, cameras["gate"]) == [filed.request.reference]

    clock.advance(2 * 86400)
    with installation.database.reading() as session:
        with pytest.raises(Forbidden):
            installation.requests.grant_by_token(session, decision.link_token)
        assert installation.requests.status_by_code(session, filed.tracking_code).link_token is None
    for _ in range(2):
        with installation.database.transaction() as session:
            installation.requests.expire_grants(session, clock.now())
    with installation.database.reading() as session:
        expiries = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "grant.expired")
        ).all()
        history = installation.requests.history(session, board, filed.request.id)
    assert len(expiries) == 1
    assert request_holds(installation, cameras["gate"]) == []
    assert [e.action for e in history] == [
        "footage_request.filed",
        "footage_request.approved",
        "grant.expired",
    ]


def test_a_staff_member_watches_under_a_grant_only_that_camera_and_that_range(
    installation: Installation, cameras: dict[str, int], clock: ManualClock, board: Actor
) -> None:
    teacher = make_actor(installation, "staff", "gv.thu")
    filed = file_request(installation, cameras, clock, actor=teacher)
    start, end = filed.request.footage_start, filed.request.footage_end
    with installation.database.transaction() as session:
        with pytest.raises(NotFound):
            installation.footage.may_read_timeline(session, teacher, cameras["gate"])
        decision = installation.requests.approve(
            session, board, filed.request.id, reason="Giáo viên chủ nhiệm", valid_days=3
        )
    assert decision.link_token is None  # an account holder of the school uses the player

    with installation.database.transaction() as session:
        installation.footage.start_playback(
            session, teacher, cameras["gate"], start + timedelta(minutes=5), "Xem lại vụ ngã"
        )
        assert installation.footage.granted_range(session, teacher, cameras["gate"]) == (
            start,
            end,
        )
        with pytest.raises(InvalidInput):
            installation.footage.start_playback(
                session, teacher, cameras["gate"], end + timedelta(minutes=1), "Xem thêm"
            )
        with pytest.raises(NotFound):
            installation.footage.may_read_timeline(session, teacher, cameras["finance_room"])
        # The Board plays by its role: no limit.
        assert installation.footage.granted_range(session, board, cameras["gate"]) is None
    with installation.database.reading() as session:
        views = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "footage.playback")
        ).all()
    assert [(v.actor, '"grant": ' in v.details) for v in views] == [("gv.thu", True)]

    clock.advance(3 * 86400)
    with installation.database.transaction() as session, pytest.raises(NotFound):
        installation.footage.start_playback(session, teacher, cameras["gate"], start, "Xem lại")


def test_the_board_revokes_a_grant_and_its_link_stops_at_once(
    installation: Installation, cameras: dict[str, int], clock: ManualClock, board: Actor
) -> None:
    filed = file_request(installation, cameras, clock)
    with installation.database.transaction() as session:
        decision = installation.requests.approve(
            session, board, filed.request.id, reason="", valid_days=5
        )
    assert decision.link_token is not None
    with installation.database.transaction() as session:
        installation.requests.revoke(
            session, board, filed.request.id, reason="Người xin đã chia sẻ đường dẫn"
        )
    with installation.database.reading() as session:
        with pytest.raises(Forbidden):
            installation.requests.grant_by_token(session, decision.link_token)
        grant = session.scalars(select(FootageGrant)).one()
        with pytest.raises(Conflict):
            installation.requests.revoke(session, board, filed.request.id, reason="Lần nữa")
    assert grant.revoked_by == "hd.lan"
    assert request_holds(installation, cameras["gate"]) == []


def test_the_requester_withdraws_a_pending_request_with_the_code(
    installation: Installation, cameras: dict[str, int], clock: ManualClock
) -> None:
    filed = file_request(installation, cameras, clock)
    with installation.database.transaction() as session:
        installation.requests.withdraw(session, filed.tracking_code)
    with installation.database.reading() as session:
        status = installation.requests.status_by_code(session, filed.tracking_code)
    assert status.status == "withdrawn"
    assert request_holds(installation, cameras["gate"]) == []


def test_the_board_list_puts_pending_requests_first(
    installation: Installation, cameras: dict[str, int], clock: ManualClock, board: Actor
) -> None:
    first = file_request(installation, cameras, clock)
    clock.advance(60)
    second = file_request(installation, cameras, clock)
    with installation.database.transaction() as session:
        installation.requests.refuse(session, board, second.request.id, reason="Không rõ")
    clock.advance(60)
    third = file_request(installation, cameras, clock)
    with installation.database.reading() as session:
        listed = installation.requests.list(session, board)
    assert [r.reference for r in listed] == [
        first.request.reference,
        third.request.reference,
        second.request.reference,
    ]
