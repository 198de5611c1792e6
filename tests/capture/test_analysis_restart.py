"""A tamper event left open when the analysis stopped (the server or the recorder restarted
during it) is not forgotten: it ends once the view learnt again is the view before it, and
stays open otherwise."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import av
import pytest

from camwarden.analysis.live import LiveAnalyzer
from camwarden.analysis.snapshots import SnapshotStore, jpeg_of
from camwarden.installation import Installation
from camwarden.storage.models import CameraEvent
from camwarden.storage.recordings import RecordingIndex
from tests.analysis.conftest import BACK_S, ONSET_S, during, normal, textured_view, write_clip
from tests.analysis.test_live import packets_of

RESTARTED = datetime(2026, 11, 27, 8, tzinfo=UTC)


def first_picture_jpeg(clip: Path) -> bytes:
    with av.open(str(clip)) as container:
        return jpeg_of(next(container.decode(video=0)))


def analyse_after_a_restart(
    clip: Path, camera_id: int, index: RecordingIndex, snapshots: Path
) -> None:
    """A new analysis of the camera, fed `clip` at about a camera's pace, as after a restart."""
    packets, extradata = packets_of(clip)
    analyzer = LiveAnalyzer(camera_id, index, snapshots_dir=snapshots)
    try:
        for number, (data, keyframe) in enumerate(packets):
            at = RESTARTED + timedelta(seconds=number / 5)
            analyzer.offer_packet(data, at, keyframe=keyframe, extradata=extradata)
            time.sleep(0.01)  # faster than the camera, slow enough for the analysis
    finally:
        analyzer.stop()  # after the packets already queued
    assert analyzer.dropped == 0


# The event left open: raised ten minutes before the restart.
OPENED = RESTARTED - timedelta(minutes=10)


def covered_event_left_open(
    index: RecordingIndex, camera_id: int, snapshots: Path, view_before: Path
) -> int:
    """A covered event open since OPENED, its "before" picture the first of `view_before`."""
    before = SnapshotStore(snapshots).save(
        camera_id, OPENED, "covered", "before", first_picture_jpeg(view_before)
    )
    return index.open_event(camera_id, "covered", OPENED, "score 0.9", snapshot_before=before)


def events_around_the_restart(index: RecordingIndex, camera_id: int) -> list[CameraEvent]:
    return list(
        index.events(camera_id, OPENED - timedelta(hours=1), RESTARTED + timedelta(hours=1))
    )


@pytest.mark.parametrize("view_before", ["its-own", "another"])
def test_a_covered_event_open_before_a_restart_ends_only_if_the_view_before_it_is_back(
    tmp_path: Path,
    recording_installation: tuple[Installation, int],
    index: RecordingIndex,
    view_before: str,
) -> None:
    _, camera_id = recording_installation
    clip = write_clip(tmp_path / "view.mp4", normal, seconds=30.0)
    before_clip = clip
    if view_before == "another":
        before_clip = write_clip(tmp_path / "other.mp4", normal, seconds=1.0, view=textured_view(5))
    snapshots = tmp_path / "snapshots"
    event_id = covered_event_left_open(index, camera_id, snapshots, before_clip)

    analyse_after_a_restart(clip, camera_id, index, snapshots)

    events = events_around_the_restart(index, camera_id)
    assert [event.id for event in events] == [event_id]  # the same kind is not opened twice
    (event,) = events
    if view_before == "its-own":
        # Closed when the view was learnt again (20 s of it), not at an earlier moment.
        assert event.ended_at is not None
        assert event.ended_at >= RESTARTED + timedelta(seconds=19)
    else:
        # The camera shows something else than before the event: it stays raised.
        assert event.ended_at is None


def test_a_later_tampering_of_the_same_kind_is_an_event_of_its_own_beside_the_one_left_open(
    tmp_path: Path, recording_installation: tuple[Installation, int], index: RecordingIndex
) -> None:
    # The event carried over stays open (the camera shows another view than before it), and
    # the analysis learnt the view shown now: a cloth over that view later is a new event,
    # which ends with the cloth; the carried-over one is not ended by it.
    _, camera_id = recording_installation
    clip = write_clip(tmp_path / "view.mp4", during(lambda t, view, rng: view * 0 + 70.0))
    other = write_clip(tmp_path / "other.mp4", normal, seconds=1.0, view=textured_view(5))
    snapshots = tmp_path / "snapshots"
    carried_id = covered_event_left_open(index, camera_id, snapshots, other)

    analyse_after_a_restart(clip, camera_id, index, snapshots)

    carried, later = sorted(
        events_around_the_restart(index, camera_id), key=lambda event: event.started_at
    )
    assert carried.id == carried_id and carried.ended_at is None
    assert later.kind == "covered"
    assert RESTARTED + timedelta(seconds=ONSET_S) <= later.started_at
    assert later.ended_at is not None
    assert later.ended_at >= RESTARTED + timedelta(seconds=BACK_S)
