"""IT's "learn the normal view again" (R-2.3): a camera re-aimed on purpose raises `moved`,
which would never end; once IT says the new view is the normal one, the moved event ends
then, the analysis learns the new view, raises nothing more for it, and still catches a cover
of the new view, its end, and a turn back to the old view."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from camwarden.analysis.live import LiveAnalyzer
from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.installation import Installation
from camwarden.storage.models import CameraEvent
from camwarden.storage.recordings import RecordingIndex
from tests.analysis.conftest import FPS, Grey, textured_view, write_clip
from tests.analysis.test_live import packets_of
from tests.capture.test_live_analysis import wait_for
from tests.governance.test_cameras import it_staff

STARTED = datetime(2026, 11, 27, 7, tzinfo=UTC)
RE_AIMED_S = 25.0  # after the 20 s of learning
IT_ACTS_S = 32.0  # the moved event is raised by then
COVERED_S = 70.0  # the new view learnt from 32 s to 52 s, then seen normal for 18 s
UNCOVERED_S = 78.0
TURNED_BACK_S = 90.0  # to the view it had before IT's word: a move now
CLIP_S = 100.0

NEW_VIEW = textured_view(5)


def re_aimed_covered_and_turned_back(t: float, view: Grey, rng: np.random.Generator) -> Grey:
    if t < RE_AIMED_S or t >= TURNED_BACK_S:
        return view
    if COVERED_S <= t < UNCOVERED_S:
        return np.full_like(view, 120.0)  # a grey cloth over the lens
    return NEW_VIEW


def events_of(index: RecordingIndex, camera_id: int) -> list[CameraEvent]:
    return list(index.events(camera_id, STARTED - timedelta(hours=1), datetime.now(UTC)))


def test_learning_the_view_again_ends_the_moved_event_of_a_re_aimed_camera_and_keeps_watching(
    tmp_path: Path, recording_installation: tuple[Installation, int], index: RecordingIndex
) -> None:
    inst, camera_id = recording_installation
    with inst.database.transaction() as session:
        inst.cameras.set_state(session, SYSTEM_ACTOR, camera_id, "in_service", reason="thử")
    clip = write_clip(tmp_path / "re-aimed.mp4", re_aimed_covered_and_turned_back, seconds=CLIP_S)
    packets, extradata = packets_of(clip)
    analyzer = LiveAnalyzer(camera_id, index, snapshots_dir=tmp_path / "snapshots")

    def feed(first: int, last: int) -> None:
        for number in range(first, last):
            data, keyframe = packets[number]
            at = STARTED + timedelta(seconds=number / FPS)
            analyzer.offer_packet(data, at, keyframe=keyframe, extradata=extradata)
            time.sleep(0.01)  # faster than the camera, slow enough for the analysis

    try:
        feed(0, int(IT_ACTS_S * FPS))
        wait_for(lambda: bool(events_of(index, camera_id)), 10, "the moved event")
        (moved,) = events_of(index, camera_id)
        assert moved.kind == "moved" and moved.ended_at is None

        asked_at = datetime.now(UTC)
        with inst.database.transaction() as session:
            ended = inst.cameras.learn_view_again(
                session, it_staff(), camera_id, reason="Quay lại camera cho thấy cả cổng phụ"
            )
            assert [event.id for event in ended] == [moved.id]
        analyzer.learn_view_again()  # what the supervisor's next sync does
        feed(int(IT_ACTS_S * FPS), len(packets))
    finally:
        analyzer.stop()  # after the packets already queued
    assert analyzer.dropped == 0

    first, *later = events_of(index, camera_id)
    assert first.id == moved.id
    # Ended by IT when asked (wall-clock time), not by the analysis at the clip's time.
    assert first.ended_at is not None and first.ended_at >= asked_at
    assert "ended by cntt" in first.details
    # The new view raised nothing more; the cloth over it did, within 5 s, and the new view
    # seen again ended it. Turning the camera back to its old view is a move now.
    covered, moved_back = later
    assert (covered.kind, moved_back.kind) == ("covered", "moved")
    assert covered.ended_at is not None
    assert timedelta(seconds=COVERED_S) <= covered.started_at - STARTED
    assert covered.started_at - STARTED <= timedelta(seconds=COVERED_S + 5)
    assert timedelta(seconds=UNCOVERED_S) <= covered.ended_at - STARTED
    assert covered.ended_at - STARTED <= timedelta(seconds=UNCOVERED_S + 5)
    assert timedelta(seconds=TURNED_BACK_S) <= moved_back.started_at - STARTED
    assert moved_back.started_at - STARTED <= timedelta(seconds=TURNED_BACK_S + 5)
