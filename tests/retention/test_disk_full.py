"""Disk full, on a real filesystem: an 8 MB tmpfs mounted as the recordings folder.

Filled with real 720p segments until the next one would hardly fit, then relieved: the oldest
unprotected footage goes, locked footage, the review period and the segment being written
stay, and new segments can be written again. Needs root (tests and CI run as root).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from camwarden.capture.fsck import probe
from camwarden.clock import ManualClock
from camwarden.config import DATABASE_URL_ENV, load_settings
from camwarden.installation import Installation, open_installation
from camwarden.retention import RetentionService
from camwarden.storage.models import FootageHold
from tests.capture.conftest import encode_test_video
from tests.retention.test_service import (
    NOW,
    add_cameras,
    close_review,
    days_ago,
    hold,
    open_disk_full_events,
    record_at,
    retention_entries,
    segments,
)

DISK_SIZE = 8 * 1024 * 1024
MARGIN = 2_000_000


@pytest.fixture(scope="module")
def clip_720p(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four seconds of 720p: about 250 KB a segment, so 8 MB holds about thirty."""
    return encode_test_video(
        tmp_path_factory.mktemp("clip") / "clip.mp4", seconds=4.0, size=(1280, 720)
    )


@pytest.fixture
def small_disk(tmp_path: Path, sqlite_url: str) -> Iterator[Installation]:
    """An installation whose recordings folder is a tmpfs of DISK_SIZE (the database is not
    on it: the index must survive the disk it describes filling up)."""
    data_dir = tmp_path / "data"
    recordings = data_dir / "recordings"
    recordings.mkdir(parents=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK_SIZE}", "tmpfs", str(recordings)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(
            "the disk-full test mounts a tmpfs and may not here (it needs root with "
            f"CAP_SYS_ADMIN): {mounted.stderr.strip()}"
        )
    inst = open_installation(
        load_settings(data_dir, {DATABASE_URL_ENV: sqlite_url}), clock=ManualClock(NOW)
    )
    try:
        yield inst
    finally:
        inst.close()
        if subprocess.run(["umount", str(recordings)], check=False).returncode != 0:
            subprocess.run(["umount", "-l", str(recordings)], check=False)


def free_bytes(inst: Installation) -> int:
    return shutil.disk_usage(inst.settings.recordings_dir).free


def guard(inst: Installation) -> RetentionService:
    return RetentionService(
        inst.database,
        inst.settings.recordings_dir,
        inst.clock,
        inst.audit,
        free_margin_gb=MARGIN / 1e9,
    )


def fill(inst: Installation, cameras: list[int], clip: Path, first: datetime) -> int:
    """Segments an hour apart, cameras taking turns, until one more would hardly fit."""
    size = clip.stat().st_size
    count = 0
    while free_bytes(inst) > size * 3 // 2:
        record_at(inst, cameras[count % len(cameras)], first + timedelta(hours=count), clip)
        count += 1
    return count


def test_a_full_disk_loses_its_oldest_unprotected_footage_and_recording_goes_on(
    small_disk: Installation, clip_720p: Path
) -> None:
    inst = small_disk
    gate, yard = add_cameras(inst, "Cổng 1", "Sân trường")
    close_review(inst, days_ago(15))
    recordings = inst.settings.recordings_dir
    # The newest day of each camera is not reviewed yet (reviews closed up to 15 days ago);
    # one yard segment is still being written (its recorder is alive); the rest is reviewed
    # but younger than the 30 days of retention, so only disk pressure may take it.
    record_at(inst, gate, days_ago(1), clip_720p)
    record_at(inst, yard, days_ago(1), clip_720p)
    writing = record_at(inst, yard, days_ago(25, 1), clip_720p, leave_open=True)
    count = fill(inst, [gate, yard], clip_720p, days_ago(25))
    assert count > 20
    old = [s for s in segments(inst) if s.start_at < days_ago(15) and s.status == "complete"]
    locked = [s for s in old if s.camera_id == gate][:2]  # the gate's two oldest: evidence
    for segment in locked:
        hold(inst, gate, segment.start_at, segment.end_at)
    assert free_bytes(inst) < MARGIN
    try:
        report = guard(inst).relieve_disk_pressure()
        assert report.error is None and not report.disk_full
        assert free_bytes(inst) >= MARGIN
        assert report.free_bytes_after is not None and report.free_bytes_after >= MARGIN
        gone = {s.path for s in old} - {s.path for s in segments(inst)}
        unprotected = [s for s in old if s not in locked]
        # The oldest unprotected, in order, across both cameras; nothing else.
        assert gone == {s.path for s in unprotected[: len(gone)]}
        assert report.segments == len(gone) >= 2
        assert {s.camera_id for s in unprotected[: len(gone)]} == {gate, yard}
        for path in gone:
            assert not (recordings / path).exists()
        left = {s.path: s for s in segments(inst)}
        for segment in locked:
            assert segment.path in left and (recordings / segment.path).exists()
        assert sum(1 for s in left.values() if s.start_at > days_ago(15)) == 2
        assert [s.status for s in left.values() if s.start_at == days_ago(25, 1)] == ["recording"]
        (entry,) = retention_entries(inst)
        assert json.loads(entry.details)["reason"] == "disk_pressure"
        # Recording goes on: the recorder finishes its segment and a new one is written.
    finally:
        writing.close()
    record_at(inst, gate, NOW, clip_720p)
    newest = segments(inst, gate)[-1]
    assert newest.start_at == NOW and newest.status == "complete"
    found = probe(recordings / newest.path)
    assert found is not None and found.frames == 60


def test_a_disk_full_of_protected_footage_keeps_it_all_and_raises_a_storage_event(
    small_disk: Installation, clip_720p: Path
) -> None:
    inst = small_disk
    gate, yard = add_cameras(inst, "Cổng 1", "Sân trường")
    close_review(inst, days_ago(14))
    fill(inst, [gate, yard], clip_720p, days_ago(20))
    # An incident under investigation covers all of the gate's old footage; the yard's
    # is an open complaint.
    hold(inst, gate, days_ago(21), days_ago(14))
    hold(inst, yard, days_ago(21), days_ago(14), "complaint")
    before = segments(inst)
    guard_ = guard(inst)
    report = guard_.relieve_disk_pressure()
    assert report.error is None
    assert report.disk_full and report.segments == 0
    assert [s.path for s in segments(inst)] == [s.path for s in before]
    assert sorted(e.camera_id for e in open_disk_full_events(inst)) == [gate, yard]
    # What still fits is still recorded.
    record_at(inst, gate, NOW, clip_720p)
    assert segments(inst, gate)[-1].start_at == NOW
    # The complaint is decided: its hold is released, and the next run frees the margin.
    with inst.database.transaction() as session:
        session.execute(
            update(FootageHold).where(FootageHold.camera_id == yard).values(released_at=NOW)
        )
    report = guard_.relieve_disk_pressure()
    assert report.segments > 0 and {*report.deleted} == {yard}
    assert free_bytes(inst) >= MARGIN
    assert open_disk_full_events(inst) == []
