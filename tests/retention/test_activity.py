"""Motion activity is deleted with the footage: older than the camera's retention, never
before a closed review covers it, in the same pass, with its own audit entry."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from camwarden.clock import ManualClock
from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.installation import Installation
from camwarden.retention import RetentionService
from camwarden.retention._activity import AUDIT_ACTION
from camwarden.storage.activity import hour_of
from camwarden.storage.models import AuditEntry, MotionActivity
from tests.retention.test_service import add_cameras, close_review


def stored_hours(inst: Installation, camera_id: int) -> list[int]:
    """Hours of stored activity, as whole days before now (rounded down)."""
    now = inst.clock.now()
    with inst.database.reading() as session:
        starts = session.scalars(
            select(MotionActivity.hour_start)
            .where(MotionActivity.camera_id == camera_id)
            .order_by(MotionActivity.hour_start)
        ).all()
    return [(now - start) // timedelta(days=1) for start in starts]


def test_activity_older_than_each_cameras_retention_goes_and_newer_stays(
    installation: Installation, clock: ManualClock
) -> None:
    short, long = add_cameras(installation, "Cổng 1", "Cổng 2")
    close_review(installation, installation.clock.now() - timedelta(days=15))
    with installation.database.transaction() as session:
        installation.cameras.update(session, SYSTEM_ACTOR, short, retention_days=20)
        installation.cameras.update(session, SYSTEM_ACTOR, long, retention_days=60)
    now = clock.now()
    for camera_id in (short, long):
        for days in (5, 19, 21, 45, 61):
            installation.activity.record(camera_id, now - timedelta(days=days), 0.4)
    installation.activity.flush()

    RetentionService.for_installation(installation).apply_age_limits()

    assert stored_hours(installation, short) == [19, 5]
    assert stored_hours(installation, long) == [45, 21, 19, 5]
    with installation.database.reading() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == AUDIT_ACTION)).one()
    assert json.loads(entry.details)["hours"] == {str(short): 3, str(long): 1}


def test_the_hour_that_straddles_the_limit_is_kept_whole(
    installation: Installation, clock: ManualClock
) -> None:
    (camera_id,) = add_cameras(installation, "Cổng 1")
    close_review(installation, installation.clock.now() - timedelta(days=15))
    limit = clock.now() - timedelta(days=30)
    installation.activity.record(camera_id, hour_of(limit) + timedelta(minutes=59), 0.4)
    installation.activity.record(camera_id, hour_of(limit) - timedelta(minutes=1), 0.4)
    installation.activity.flush()

    RetentionService.for_installation(installation).apply_age_limits()

    with installation.database.reading() as session:
        kept = session.scalars(select(MotionActivity.hour_start)).all()
    assert kept == [hour_of(limit)]


def test_nothing_to_forget_writes_no_audit_entry(installation: Installation) -> None:
    (camera_id,) = add_cameras(installation, "Cổng 1")
    close_review(installation, installation.clock.now() - timedelta(days=15))
    installation.activity.record(camera_id, installation.clock.now(), 0.4)
    installation.activity.flush()

    RetentionService.for_installation(installation).apply_age_limits()

    with installation.database.reading() as session:
        assert (
            session.scalars(select(AuditEntry).where(AuditEntry.action == AUDIT_ACTION)).all() == []
        )
    assert stored_hours(installation, camera_id) == [0]
