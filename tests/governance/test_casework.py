"""The home page's "waiting for you": counted for who may act on it, and only for them."""

from __future__ import annotations

from datetime import timedelta

from camwarden.clock import ManualClock
from camwarden.governance.casework import waiting_for
from camwarden.governance.complaints import FootageRange
from camwarden.installation import Installation
from tests.governance.test_requests import make_actor


def test_the_board_sees_its_pending_requests_and_complaints_and_a_guard_sees_none(
    installation: Installation, clock: ManualClock, cameras: dict[str, int]
) -> None:
    board = make_actor(installation, "board", "hd.lan")
    guard = make_actor(installation, "security", "bao.ve")
    lead = make_actor(installation, "security_lead", "to.truong")
    now = clock.now()
    with installation.database.transaction() as session:
        for purpose in ("Xem lại việc con bị ngã", "Nghiên cứu giao thông trước cổng"):
            installation.requests.file(
                session,
                actor=None,
                name="Phụ huynh",
                contact="ph@example.com",
                organisation="",
                purpose=purpose,
                access="watch",
                camera_ids=[cameras["gate"]],
                footage_start=now - timedelta(hours=2),
                footage_end=now - timedelta(hours=1),
            )
        installation.complaints.file(
            session,
            None,
            kind="complaint",
            name="Trần Văn Minh",
            contact="minh@example.com",
            subject="Con bị xô ngã",
            description="Ở hành lang giờ ra chơi.",
            footage=[FootageRange(cameras["gate"], now - timedelta(hours=2), now)],
        )

    clock.advance(timedelta(days=installation.settings.complaint_deadline_days + 1).total_seconds())
    with installation.database.reading() as session:
        seen_by_board = waiting_for(session, board, installation.reviews, clock.now())
        seen_by_guard = waiting_for(session, guard, installation.reviews, clock.now())
        seen_by_lead = waiting_for(session, lead, installation.reviews, clock.now())

    assert seen_by_board.requests_pending == 2
    assert seen_by_board.requests_awaiting_second == 0
    assert (seen_by_board.complaints_open, seen_by_board.complaints_overdue) == (1, 1)
    assert seen_by_board.incidents_open == 0
    assert seen_by_board.reviews_open == 0 and seen_by_board.next_review_opens is not None
    assert not seen_by_guard.shown
    # The head of security keeps incidents and reviews, not the Board's requests or complaints.
    assert seen_by_lead.requests_pending is None and seen_by_lead.complaints_open is None
    assert seen_by_lead.incidents_open == 0 and seen_by_lead.reviews_open == 0
