"""Tamper snapshots are footage: past the camera's retention and unheld, the pictures go and
the event stays; held or recent ones stay."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from camwarden.analysis.snapshots import SnapshotStore, snapshots_dir
from camwarden.clock import ManualClock
from camwarden.installation import Installation
from camwarden.retention import RetentionService
from camwarden.retention._snapshots import AUDIT_ACTION
from camwarden.storage.holds import HoldKind, place_hold
from camwarden.storage.models import AuditEntry, CameraEvent
from tests.retention.test_service import add_cameras, close_review


def covered_event(inst: Installation, camera_id: int, days_ago: float) -> int:
    """A tamper event that lasted a minute, with its two pictures on disk."""
    store = SnapshotStore(snapshots_dir(inst.settings.data_dir))
    start = inst.clock.now() - timedelta(days=days_ago)
    before = store.save(camera_id, start, "covered", "before", b"\xff\xd8 before \xff\xd9")
    after = store.save(camera_id, start, "covered", "after", b"\xff\xd8 after \xff\xd9")
    event_id = inst.recordings.open_event(
        camera_id, "covered", start, score=0.9, snapshot_before=before, snapshot_after=after
    )
    inst.recordings.close_event(event_id, start + timedelta(minutes=1))
    return event_id


def test_old_tamper_pictures_go_with_the_footage_and_the_event_stays(
    installation: Installation, clock: ManualClock
) -> None:
    (camera_id,) = add_cameras(installation, "Cổng 1")
    close_review(installation, installation.clock.now() - timedelta(days=15))
    old = covered_event(installation, camera_id, days_ago=40)
    store = SnapshotStore(snapshots_dir(installation.settings.data_dir))
    with installation.database.reading() as session:
        event = session.get(CameraEvent, old)
        assert event is not None and event.snapshot_before is not None
        old_file = store.resolve(event.snapshot_before)
    assert old_file is not None and old_file.exists()

    RetentionService.for_installation(installation).apply_age_limits()

    with installation.database.reading() as session:
        event = session.get(CameraEvent, old)
        assert event is not None
        assert (event.kind, event.score) == ("covered", 0.9)
        assert (event.snapshot_before, event.snapshot_after) == (None, None)
        assert session.scalars(select(AuditEntry).where(AuditEntry.action == AUDIT_ACTION)).one()
    assert not old_file.exists()


def test_held_and_recent_tamper_pictures_stay(
    installation: Installation, clock: ManualClock
) -> None:
    (camera_id,) = add_cameras(installation, "Cổng 1")
    close_review(installation, installation.clock.now() - timedelta(days=15))
    held = covered_event(installation, camera_id, days_ago=40)
    recent = covered_event(installation, camera_id, days_ago=10)
    with installation.database.transaction() as session:
        event = session.get(CameraEvent, held)
        assert event is not None and event.ended_at is not None
        place_hold(
            session,
            camera_id=camera_id,
            start_at=event.started_at,
            end_at=event.ended_at,
            kind=HoldKind.EVIDENCE,
            reference="SV-2026-004",
            created_by="hieutruong",
            now=clock.now(),
        )

    RetentionService.for_installation(installation).apply_age_limits()

    with installation.database.reading() as session:
        for event_id in (held, recent):
            event = session.get(CameraEvent, event_id)
            assert event is not None and event.snapshot_before and event.snapshot_after
        assert not session.scalars(
            select(AuditEntry).where(AuditEntry.action == AUDIT_ACTION)
        ).all()
    assert len(list(snapshots_dir(installation.settings.data_dir).rglob("*.jpg"))) == 4
