"""Retention waits for the review (R-5.2): footage goes only once a signed-off cycle covers it,
and what the cycle bookmarked stays, archived, past the camera's retention."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.governance.roles import Role
from camwarden.installation import Installation
from camwarden.retention import RetentionService
from camwarden.storage.models import ReviewCycle
from tests.retention.test_service import (  # noqa: F401 (clip is a fixture)
    NOW,
    SimulatedDisk,
    add_cameras,
    clip,
    days_ago,
    open_disk_full_events,
    pressure_service,
    record_at,
    starts,
)

BOARD = replace(SYSTEM_ACTOR, username="bgh.lan", role=Role.BOARD)


def test_only_footage_of_a_signed_off_cycle_goes_and_its_bookmarked_footage_stays(
    installation: Installation,
    clip: Path,  # noqa: F811
) -> None:
    inst = installation
    clock = inst.clock
    assert hasattr(clock, "advance")
    clock.advance((NOW - clock.now()).total_seconds())
    (camera,) = add_cameras(inst, "Cổng 1")
    with inst.database.transaction() as session:
        inst.cameras.update(session, SYSTEM_ACTOR, camera, retention_days=15)
    ages = (50, 45, 44, 20, 5)
    for age in ages:
        record_at(inst, camera, days_ago(age), clip)
    service = RetentionService.for_installation(inst)

    # Cycles are open but none is signed off: everything stays, however old.
    with inst.database.transaction() as session:
        cycles = inst.reviews.open_due_cycles(session)
        assert len(cycles) == 3  # 50 days of footage: three whole 15-day periods
        first_id = cycles[0].id
    assert service.apply_age_limits().segments == 0
    assert starts(inst, camera) == [days_ago(age) for age in ages]

    # The first cycle (10/1 to 24/1) bookmarks the segment of 45 days ago and is signed off:
    # its neighbours go, the bookmarked one stays.
    with inst.database.transaction() as session:
        inst.reviews.add_bookmark(
            session,
            BOARD,
            first_id,
            camera_id=camera,
            start_at=days_ago(45),
            end_at=days_ago(45) + timedelta(seconds=1),
            note="Xe lạ đỗ trước cổng",
        )
        inst.reviews.check_unit(session, BOARD, first_id, unit="Tổ bảo vệ")
        inst.reviews.sign_off(session, BOARD, first_id)
        first = session.get(ReviewCycle, first_id)
        assert first is not None
        first_end = first.period_end
    report = service.apply_age_limits()
    assert report.segments == 2
    # What no closed cycle covers stays, even past the camera's retention (20 days ago).
    assert starts(inst, camera) == [days_ago(45), days_ago(20), days_ago(5)]
    assert days_ago(20) > first_end

    # Later cycles closed too: the bookmarked footage is archived past any retention.
    with inst.database.transaction() as session:
        for cycle in session.scalars(select(ReviewCycle).where(ReviewCycle.id != first_id)):
            inst.reviews.check_unit(session, BOARD, cycle.id, unit="Tổ bảo vệ")
            inst.reviews.sign_off(session, BOARD, cycle.id)
    service.apply_age_limits()
    assert starts(inst, camera) == [days_ago(45), days_ago(5)]


def test_disk_pressure_deletes_nothing_no_review_covers_and_says_so(
    installation: Installation,
    clip: Path,  # noqa: F811
) -> None:
    inst = installation
    clock = inst.clock
    assert hasattr(clock, "advance")
    clock.advance((NOW - clock.now()).total_seconds())
    (camera,) = add_cameras(inst, "Cổng 1")
    for age in (90, 60, 30):
        record_at(inst, camera, days_ago(age), clip)
    disk = SimulatedDisk(inst.settings.recordings_dir)
    disk.total = disk.recordings_bytes() + 1000
    report = pressure_service(inst, disk, margin_bytes=10**6).relieve_disk_pressure()
    assert report.disk_full and report.segments == 0
    assert starts(inst, camera) == [days_ago(age) for age in (90, 60, 30)]
    (event,) = open_disk_full_events(inst)
    assert "not yet covered by a closed review" in event.details
