"""Retention by age and under disk pressure: what goes, what never goes, and the record of it.

Real segment files (recorded by the segment writer from an H.264 clip); time moves on a
manual clock; free space comes from a simulated disk here and from a real tmpfs in
test_disk_full.py.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import av
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from camwarden.capture.fsck import repair_index
from camwarden.capture.segments import SegmentWriter
from camwarden.governance.audit import verify_chain
from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.installation import Installation
from camwarden.retention import RetentionService, RetentionWorker
from camwarden.retention import _deletion as deletion_module
from camwarden.retention import service as retention_module
from camwarden.retention._deletion import AUDIT_ACTION
from camwarden.retention.report import DiskUsage
from camwarden.storage.holds import HoldKind, place_hold
from camwarden.storage.models import AuditEntry, Camera, CameraEvent, ReviewCycle, Segment
from camwarden.storage.recordings import EventKind, RecordingIndex
from tests.capture.conftest import encode_test_video
from tests.support.footage import gate_zone

NOW = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two seconds of small H.264: one keyframe, one segment per recording."""
    return encode_test_video(
        tmp_path_factory.mktemp("clip") / "clip.mp4", seconds=2.0, size=(160, 96)
    )


def record_at(
    inst: Installation,
    camera_id: int,
    start: datetime,
    source: Path,
    *,
    leave_open: bool = False,
) -> SegmentWriter:
    """Record `source` as one segment starting at `start` (record_file is pinned to START).

    `leave_open` stops before the end, as a recorder still writing leaves its segment.
    """
    with av.open(str(source)) as container:
        stream = container.streams.video[0]
        assert stream.time_base is not None
        writer = SegmentWriter(
            camera_id=camera_id,
            recordings_dir=inst.settings.recordings_dir,
            template=stream,
            sink=RecordingIndex(inst.database),
            segment_seconds=3600.0,
        )
        packets = [p for p in container.demux(stream) if p.pts is not None]
        for packet in packets[: len(packets) // 2] if leave_open else packets:
            assert packet.pts is not None
            writer.write(packet, start + timedelta(seconds=float(packet.pts * stream.time_base)))
    if not leave_open:
        writer.close()
    return writer


def days_ago(days: float, hours: float = 0) -> datetime:
    return NOW - timedelta(days=days, hours=hours)


def close_review(inst: Installation, period_end: datetime, days: int = 15) -> None:
    """A signed-off review cycle ending at `period_end`: footage ending by then may go."""
    with inst.database.transaction() as session:
        session.add(
            ReviewCycle(
                period_start=period_end - timedelta(days=days),
                period_end=period_end,
                opened_at=period_end,
                due_at=period_end + timedelta(days=5),
                status="closed",
                signed_off_by="hieutruong",
                signed_off_at=period_end,
                report_sha256="0" * 64,
            )
        )


def add_cameras(inst: Installation, *names: str) -> list[int]:
    """Cameras in service in one zone; their ids."""
    with inst.database.transaction() as session:
        zone = gate_zone(inst, session)
        ids = []
        for number, name in enumerate(names):
            camera = inst.cameras.create(
                session,
                SYSTEM_ACTOR,
                name=name,
                zone_id=zone.id,
                main_url=f"rtsp://127.0.0.1/{number}",
            )
            inst.cameras.set_state(
                session, SYSTEM_ACTOR, camera.id, "in_service", reason="thử nghiệm"
            )
            ids.append(camera.id)
    return ids


def segments(inst: Installation, camera_id: int | None = None) -> list[Segment]:
    with inst.database.reading() as session:
        query = select(Segment).order_by(Segment.start_at)
        if camera_id is not None:
            query = query.where(Segment.camera_id == camera_id)
        return list(session.scalars(query))


def starts(inst: Installation, camera_id: int) -> list[datetime]:
    return [s.start_at for s in segments(inst, camera_id)]


def hold(
    inst: Installation,
    camera_id: int,
    start: datetime,
    end: datetime,
    kind: str = HoldKind.EVIDENCE,
    *,
    released: bool = False,
) -> None:
    with inst.database.transaction() as session:
        placed = place_hold(
            session,
            camera_id=camera_id,
            start_at=start,
            end_at=end,
            kind=kind,
            reference="BB-01/2026",
            created_by="hieutruong",
            now=NOW,
        )
        if released:
            placed.released_at = NOW


def retention_entries(inst: Installation) -> list[AuditEntry]:
    with inst.database.reading() as session:
        return list(
            session.scalars(
                select(AuditEntry).where(AuditEntry.action == AUDIT_ACTION).order_by(AuditEntry.seq)
            )
        )


def open_disk_full_events(inst: Installation) -> list[CameraEvent]:
    with inst.database.reading() as session:
        return list(
            session.scalars(
                select(CameraEvent).where(
                    CameraEvent.kind == EventKind.DISK_FULL, CameraEvent.ended_at.is_(None)
                )
            )
        )


class SimulatedDisk:
    """A disk of `total` bytes holding the recordings folder's files and `other` bytes."""

    def __init__(self, recordings_dir: Path, total: int = 0, other: int = 0) -> None:
        self.recordings_dir = recordings_dir
        self.total = total
        self.other = other

    def recordings_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.recordings_dir.rglob("*.mp4"))

    def __call__(self, path: Path) -> DiskUsage:
        used = self.recordings_bytes() + self.other
        return DiskUsage(self.total, used, max(0, self.total - used))


@pytest.fixture
def inst(installation: Installation) -> Installation:
    """The shared installation (SQLite and PostgreSQL), its clock set to NOW, its reviews
    signed off up to 15 days ago (the newest 15 days are not reviewed yet)."""
    clock = installation.clock
    assert hasattr(clock, "advance")
    clock.advance((NOW - clock.now()).total_seconds())
    close_review(installation, days_ago(15))
    return installation


@pytest.fixture
def service(inst: Installation) -> RetentionService:
    return RetentionService.for_installation(inst)


@pytest.fixture
def disk(inst: Installation) -> SimulatedDisk:
    return SimulatedDisk(inst.settings.recordings_dir)


def pressure_service(
    inst: Installation, disk: SimulatedDisk, margin_bytes: int
) -> RetentionService:
    return RetentionService(
        inst.database,
        inst.settings.recordings_dir,
        inst.clock,
        inst.audit,
        free_margin_gb=margin_bytes / 1e9,
        disk_usage=disk,
    )


# -- by age --------------------------------------------------------------------------------


def test_segments_older_than_the_cameras_retention_go_and_recent_ones_stay(
    inst: Installation, service: RetentionService, clip: Path
) -> None:
    (camera,) = add_cameras(inst, "Cổng 1")
    for age in (40, 31, 29, 20, 10, 1):
        record_at(inst, camera, days_ago(age), clip)
    old = [s for s in segments(inst, camera) if s.start_at < days_ago(30)]
    report = service.apply_age_limits()
    assert report.error is None
    assert starts(inst, camera) == [days_ago(age) for age in (29, 20, 10, 1)]
    assert report.segments == 2
    assert report.bytes_freed == sum(s.bytes for s in old)
    recordings = inst.settings.recordings_dir
    for segment in old:
        assert not (recordings / segment.path).exists()
        assert not (recordings / segment.path).parent.exists(), "the emptied day folder goes"
    for segment in segments(inst, camera):
        assert (recordings / segment.path).exists()
    assert not service.apply_age_limits().segments, "a second run finds nothing more"


def test_each_camera_keeps_its_own_retention(
    inst: Installation, service: RetentionService, clip: Path
) -> None:
    short, long = add_cameras(inst, "Cổng 1", "Phòng tài chính")
    with inst.database.transaction() as session:
        inst.cameras.update(session, SYSTEM_ACTOR, short, retention_days=20)
        inst.cameras.update(session, SYSTEM_ACTOR, long, retention_days=90)
    for camera in (short, long):
        for age in (60, 25, 10):
            record_at(inst, camera, days_ago(age), clip)
    service.apply_age_limits()
    assert starts(inst, short) == [days_ago(10)]
    assert starts(inst, long) == [days_ago(age) for age in (60, 25, 10)]


def test_held_footage_stays_however_old_and_a_released_hold_protects_nothing(
    inst: Installation, service: RetentionService, clip: Path
) -> None:
    (camera,) = add_cameras(inst, "Cổng 1")
    for age in (300, 90, 60, 45):
        record_at(inst, camera, days_ago(age), clip)
    # Evidence over the oldest; a complaint touching only the last second of another.
    hold(inst, camera, days_ago(300, 1), days_ago(300) + timedelta(seconds=1))
    hold(inst, camera, days_ago(60) + timedelta(seconds=1), days_ago(59), HoldKind.COMPLAINT)
    hold(inst, camera, days_ago(91), days_ago(89), HoldKind.REQUEST, released=True)
    service.apply_age_limits()
    assert starts(inst, camera) == [days_ago(300), days_ago(60)]


def test_a_hold_placed_while_a_run_chooses_still_saves_its_footage(
    inst: Installation, service: RetentionService, clip: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (camera,) = add_cameras(inst, "Cổng 1")
    record_at(inst, camera, days_ago(40), clip)
    record_at(inst, camera, days_ago(35), clip)
    real_active_holds = retention_module.active_holds
    reads: list[int] = []

    def active_holds_then_an_export_locks(session: Session) -> object:
        found = real_active_holds(session)
        if not reads:  # the choice has just read the holds: now evidence is locked
            hold(inst, camera, days_ago(41), days_ago(39))
        reads.append(len(found))
        return found

    # Read by the choice (the service), then by the marking (the deletion).
    monkeypatch.setattr(retention_module, "active_holds", active_holds_then_an_export_locks)
    monkeypatch.setattr(deletion_module, "active_holds", active_holds_then_an_export_locks)
    report = service.apply_age_limits()
    assert reads == [0, 1], "read again when marking, after the hold"
    assert report.segments == 1
    assert starts(inst, camera) == [days_ago(40)]


def test_footage_no_closed_review_covers_stays_even_when_a_cameras_retention_is_shorter(
    inst: Installation, service: RetentionService, clip: Path
) -> None:
    (camera,) = add_cameras(inst, "Cổng 1")
    # Setting it through the register is refused (tests/governance/test_camera_retention.py);
    # a value stored before that rule, or by hand, must still not reach past the reviews.
    with inst.database.transaction() as session:
        session.execute(update(Camera).where(Camera.id == camera).values(retention_days=5))
    for age in (16, 14.9, 6, 1):
        record_at(inst, camera, days_ago(age), clip)
    report = service.apply_age_limits()
    assert report.segments == 1
    assert starts(inst, camera) == [days_ago(age) for age in (14.9, 6, 1)]


def test_a_segment_still_being_written_is_never_deleted(
    inst: Installation, service: RetentionService, clip: Path, disk: SimulatedDisk
) -> None:
    (camera,) = add_cameras(inst, "Cổng 1")
    writer = record_at(inst, camera, days_ago(100), clip, leave_open=True)
    try:
        assert [s.status for s in segments(inst, camera)] == ["recording"]
        service.apply_age_limits()
        disk.total = disk.recordings_bytes() + 100
        pressure_service(inst, disk, margin_bytes=10**9).relieve_disk_pressure()
        assert [s.status for s in segments(inst, camera)] == ["recording"]
    finally:
        writer.close()


# -- under disk pressure ---------------------------------------------------------------------


def test_disk_pressure_deletes_the_oldest_unprotected_first_across_cameras_and_stops_at_the_margin(
    inst: Installation, clip: Path, disk: SimulatedDisk
) -> None:
    gate, yard = add_cameras(inst, "Cổng 1", "Sân trường")
    for camera, ages in ((gate, (28, 26, 24, 22, 5)), (yard, (27, 25, 23, 3))):
        for age in ages:
            record_at(inst, camera, days_ago(age), clip)
    hold(inst, gate, days_ago(29), days_ago(27.5))  # the very oldest is evidence
    size = segments(inst)[0].bytes
    margin = 20 * size
    # Two and a half segments short of the margin: three must go, the oldest unheld.
    disk.total = disk.recordings_bytes() + margin - size * 5 // 2
    service = pressure_service(inst, disk, margin)
    report = service.relieve_disk_pressure()
    assert report.error is None and not report.disk_full
    assert report.free_bytes_before == margin - size * 5 // 2
    assert report.free_bytes_after is not None and report.free_bytes_after >= margin
    assert starts(inst, gate) == [days_ago(age) for age in (28, 24, 22, 5)]
    assert starts(inst, yard) == [days_ago(age) for age in (23, 3)]
    assert {camera: d.segments for camera, d in report.deleted.items()} == {gate: 1, yard: 2}
    again = service.relieve_disk_pressure()
    assert again.segments == 0, "with the margin met, nothing more goes"


def test_when_only_protected_footage_remains_nothing_goes_and_a_disk_full_event_says_so(
    inst: Installation, clip: Path, disk: SimulatedDisk
) -> None:
    gate, yard = add_cameras(inst, "Cổng 1", "Sân trường")
    record_at(inst, gate, days_ago(50), clip)
    record_at(inst, yard, days_ago(2), clip)  # no closed review covers it
    hold(inst, gate, days_ago(51), days_ago(49))
    disk.total = disk.recordings_bytes() + 1000
    service = pressure_service(inst, disk, margin_bytes=10**6)
    report = service.relieve_disk_pressure()
    assert report.disk_full and report.error is None
    assert report.segments == 0
    assert len(segments(inst)) == 2
    assert sorted(e.camera_id for e in open_disk_full_events(inst)) == [gate, yard]
    assert "closed review" in open_disk_full_events(inst)[0].details
    service.relieve_disk_pressure()
    assert len(open_disk_full_events(inst)) == 2, "one event per camera, not one per run"
    assert retention_entries(inst) == [], "nothing deleted: no audit entry"
    disk.total += 10**6  # space comes back (a disk added, files moved by hand)
    assert not service.relieve_disk_pressure().disk_full
    assert open_disk_full_events(inst) == []


def test_a_failing_disk_query_is_reported_never_raised(
    inst: Installation, service: RetentionService
) -> None:
    def broken(path: Path) -> DiskUsage:
        raise OSError(5, "Input/output error")

    service._disk_usage = broken
    report = service.relieve_disk_pressure()
    assert report.error is not None and "Input/output error" in report.error


# -- crash safety ------------------------------------------------------------------------------


class Crash(BaseException):
    """The process dies here (a BaseException, so no `except Exception` stops it)."""


@pytest.mark.parametrize("dies", ["before unlinking", "after unlinking"])
def test_a_crash_in_the_middle_of_a_deletion_is_finished_by_fsck(
    inst: Installation,
    service: RetentionService,
    clip: Path,
    monkeypatch: pytest.MonkeyPatch,
    dies: str,
) -> None:
    (camera,) = add_cameras(inst, "Cổng 1")
    record_at(inst, camera, days_ago(40), clip)
    record_at(inst, camera, days_ago(1), clip)
    doomed, kept = segments(inst, camera)

    def crash(*args: object, **kwargs: object) -> None:
        raise Crash

    if dies == "before unlinking":
        monkeypatch.setattr(Path, "unlink", crash)
    else:
        monkeypatch.setattr(deletion_module, "fsync_dir", crash)
    with pytest.raises(Crash):
        service.apply_age_limits()
    monkeypatch.undo()
    recordings = inst.settings.recordings_dir
    assert [s.status for s in segments(inst, camera)] == ["deleting", "complete"]
    assert (recordings / doomed.path).exists() is (dies == "before unlinking")
    assert len(retention_entries(inst)) == 1, "the decision was audited with the mark"
    report = repair_index(inst.database, recordings)
    assert report.deleted == [doomed.path]
    assert report.missing == [] and report.indexed == []
    assert not (recordings / doomed.path).exists()
    assert [s.path for s in segments(inst, camera)] == [kept.path]
    assert not repair_index(inst.database, recordings).changed


def test_a_file_that_cannot_be_removed_keeps_its_segment(
    inst: Installation, service: RetentionService, clip: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (camera,) = add_cameras(inst, "Cổng 1")
    record_at(inst, camera, days_ago(50), clip)
    record_at(inst, camera, days_ago(40), clip)
    stuck, _gone = segments(inst, camera)
    real_unlink = Path.unlink

    def unlink(path: Path, missing_ok: bool = False) -> None:
        if path.as_posix().endswith(stuck.path):
            raise PermissionError(13, "Permission denied")
        real_unlink(path, missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    report = service.apply_age_limits()
    assert report.failed == [stuck.path]
    assert report.segments == 1
    (left,) = segments(inst, camera)
    assert (left.path, left.status) == (stuck.path, "complete")
    assert (inst.settings.recordings_dir / stuck.path).exists()


# -- the record ----------------------------------------------------------------------------------


def test_each_run_that_deletes_writes_one_audit_entry_saying_what_went_and_why(
    inst: Installation, service: RetentionService, clip: Path
) -> None:
    gate, yard = add_cameras(inst, "Cổng 1", "Sân trường")
    for camera in (gate, yard):
        for age in (45, 40, 35, 1):
            record_at(inst, camera, days_ago(age), clip)
    size = segments(inst)[0].bytes
    report = service.apply_age_limits()
    (entry,) = retention_entries(inst)
    assert (entry.actor, entry.actor_user_id, entry.target_type) == ("system", None, "recordings")
    details = json.loads(entry.details)
    assert details["reason"] == "age"
    assert details["segments"] == report.segments == 6
    assert details["bytes_freed"] == 6 * size
    assert details["cameras"][str(gate)] == {
        "segments": 3,
        "bytes": 3 * size,
        "from": days_ago(45).isoformat(),
        "until": (days_ago(35) + timedelta(seconds=2)).isoformat(),
    }
    assert details["cameras"][str(yard)]["segments"] == 3
    assert details["retention_days"] == {str(gate): 30, str(yard): 30}
    service.apply_age_limits()
    assert len(retention_entries(inst)) == 1, "a run that deletes nothing writes nothing"
    with inst.database.reading() as session:
        assert verify_chain(session).ok


def test_a_pressure_run_records_its_reason_and_the_free_space_it_found(
    inst: Installation, clip: Path, disk: SimulatedDisk
) -> None:
    (camera,) = add_cameras(inst, "Cổng 1")
    record_at(inst, camera, days_ago(20), clip)
    disk.total = disk.recordings_bytes() + 10
    pressure_service(inst, disk, margin_bytes=100).relieve_disk_pressure()
    (entry,) = retention_entries(inst)
    details = json.loads(entry.details)
    assert details["reason"] == "disk_pressure"
    assert (details["free_bytes"], details["margin_bytes"]) == (10, 100)


# -- running it ----------------------------------------------------------------------------------


def test_the_worker_keeps_running_after_an_error(
    inst: Installation, clip: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = RetentionService(
        inst.database,
        inst.settings.recordings_dir,
        inst.clock,
        inst.audit,
        free_margin_gb=0,
        check_seconds=0.01,
    )
    runs: list[str] = []
    third_run = threading.Event()

    def run_once(*, actor_name: str = "system") -> object:
        runs.append(actor_name)
        if len(runs) == 1:
            raise RuntimeError("the database went away")
        if len(runs) == 3:
            third_run.set()
        return None

    monkeypatch.setattr(service, "run_once", run_once)
    worker = RetentionWorker(service)
    worker.start()
    try:
        assert third_run.wait(5), "the loop went on after the error"
        assert worker.running
    finally:
        worker.stop()
    assert not worker.running


def test_the_worker_deletes_old_footage_on_its_first_run(inst: Installation, clip: Path) -> None:
    (camera,) = add_cameras(inst, "Cổng 1")
    record_at(inst, camera, days_ago(40), clip)
    record_at(inst, camera, days_ago(1), clip)
    worker = RetentionWorker(RetentionService.for_installation(inst))
    worker.start()
    worker.stop()  # waits for the run in progress: the first runs at once
    assert starts(inst, camera) == [days_ago(1)]
