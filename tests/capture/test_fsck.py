"""fsck: after a crash, the index is made to match what the disk really holds."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

from camwarden.capture.fsck import repair_index
from camwarden.installation import Installation
from camwarden.storage.recordings import RecordingIndex
from tests.capture.test_segments import START, record_file


def test_a_segment_left_open_by_a_killed_recorder_is_recovered_up_to_its_last_fragment(
    test_video: Path,
    tmp_path: Path,
    recording_installation: tuple[Installation, int],
    index: RecordingIndex,
) -> None:
    inst, camera_id = recording_installation
    record_file(test_video, tmp_path, index, camera_id, segment_seconds=60.0, stop_after=70)
    report = repair_index(inst.database, tmp_path)
    (segment,) = index.segments(camera_id)
    assert report.recovered == [segment.path]
    assert segment.status == "recovered"
    assert segment.frames == 60
    assert segment.end_at - START == timedelta(seconds=4)
    assert segment.bytes == (tmp_path / segment.path).stat().st_size


def test_a_file_the_index_does_not_know_is_indexed(
    test_video: Path,
    tmp_path: Path,
    recording_installation: tuple[Installation, int],
    index: RecordingIndex,
) -> None:
    inst, camera_id = recording_installation
    record_file(test_video, tmp_path, index, camera_id, segment_seconds=60.0)
    (segment,) = index.segments(camera_id)
    orphan = f"{camera_id}/2026-11-26/013000.000000.mp4"
    shutil.copy(tmp_path / segment.path, tmp_path / orphan)
    report = repair_index(inst.database, tmp_path)
    assert report.indexed == [orphan]
    found = [s for s in index.segments(camera_id) if s.path == orphan]
    assert found and found[0].end_at - found[0].start_at == timedelta(seconds=8)
    assert not repair_index(inst.database, tmp_path).changed, "a second run finds nothing"


def test_an_indexed_segment_whose_file_is_gone_is_dropped_from_the_index(
    test_video: Path,
    tmp_path: Path,
    recording_installation: tuple[Installation, int],
    index: RecordingIndex,
) -> None:
    inst, camera_id = recording_installation
    record_file(test_video, tmp_path, index, camera_id, segment_seconds=3.0)
    first, second = index.segments(camera_id)
    (tmp_path / first.path).unlink()
    report = repair_index(inst.database, tmp_path)
    assert report.missing == [first.path]
    assert [s.path for s in index.segments(camera_id)] == [second.path]


def test_an_unreadable_file_is_moved_aside_not_deleted(
    tmp_path: Path, recording_installation: tuple[Installation, int], index: RecordingIndex
) -> None:
    inst, camera_id = recording_installation
    junk = tmp_path / f"{camera_id}/2026-11-26/020000.000000.mp4"
    junk.parent.mkdir(parents=True)
    junk.write_bytes(b"\x00" * 100)
    report = repair_index(inst.database, tmp_path)
    assert report.damaged == [junk.relative_to(tmp_path).as_posix()]
    assert not junk.exists()
    assert (tmp_path / "damaged" / junk.relative_to(tmp_path)).read_bytes() == b"\x00" * 100
    assert index.segments(camera_id) == []
