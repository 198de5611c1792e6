"""Live analysis on real RTSP cameras with keyframes 2 s apart: a covered lens is raised within
5 s with its score and snapshots; IT's settings reach the analyzer without touching recording;
motion levels reach the activity log."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from camwarden.analysis.detectors import DetectorSettings
from camwarden.analysis.mask import MASK_CELLS
from camwarden.analysis.snapshots import snapshots_dir
from camwarden.capture.live import LiveHub
from camwarden.capture.service import CameraSource, RecordingService
from camwarden.capture.supervisor import RecordingSupervisor
from camwarden.clock import SystemClock
from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.installation import Installation
from camwarden.storage.models import CameraEvent
from camwarden.storage.recordings import RecordingIndex
from tests.support.rtsp import StartCamera, make_test_video, rtsp_cameras  # noqa: F401

FPS = 15
GOP_FRAMES = 2 * FPS  # a keyframe every 2 s, as many school cameras are set
LEARN_S = 6.0
DETECTION_LIMIT_S = 5.0
ALL_TIME = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            pytest.fail(f"{what} did not happen within {timeout} s")
        time.sleep(0.05)


@pytest.fixture
def service(
    recording_installation: tuple[Installation, int], index: RecordingIndex
) -> Iterator[Callable[..., RecordingService]]:
    inst, _ = recording_installation
    made: list[RecordingService] = []

    def make(**options: Any) -> RecordingService:
        recording = RecordingService(
            recordings_dir=inst.settings.recordings_dir,
            index=index,
            clock=SystemClock(),
            segment_seconds=4.0,
            video_loss_seconds=3.0,
            live=LiveHub(),
            analysis_settings=DetectorSettings(learn_s=LEARN_S),
            snapshots_dir=snapshots_dir(inst.settings.data_dir),
            **options,
        )
        made.append(recording)
        return recording

    yield make
    for recording in made:
        recording.stop()


def grey_of(jpeg: Path) -> np.ndarray[Any, np.dtype[np.float32]]:
    with av.open(str(jpeg)) as container:
        frame = next(container.decode(video=0))
        assert container.format.name in {"image2", "jpeg_pipe", "mjpeg"}
    return frame.to_ndarray(format="gray").astype(np.float32)


def covered_events(index: RecordingIndex, camera_id: int) -> list[CameraEvent]:
    return [e for e in index.events(camera_id, *ALL_TIME) if e.kind == "covered"]


def test_a_camera_with_keyframes_two_seconds_apart_covered_mid_stream_is_raised_within_five_seconds_with_score_and_snapshots(  # noqa: E501
    rtsp_cameras: StartCamera,  # noqa: F811
    service: Callable[..., RecordingService],
    recording_installation: tuple[Installation, int],
    index: RecordingIndex,
) -> None:
    inst, camera_id = recording_installation
    normal = make_test_video(seconds=20, fps=FPS, gop=GOP_FRAMES)
    cloth = make_test_video(seconds=20, fps=FPS, gop=GOP_FRAMES, pattern="color=c=gray")
    gate = rtsp_cameras("gate", normal)
    recording = service()
    recording.sync([CameraSource(camera_id=camera_id, url=gate.url)])
    analyzer = recording.analyzer(camera_id)
    assert analyzer is not None
    wait_for(lambda: analyzer.learnt, 20, "the normal view to be learnt")
    offered, decoded = analyzer.offered, analyzer.decoded
    time.sleep(4.0)
    # A normal view costs one decode per keyframe (2 in 4 s), not one per frame (60).
    assert 0 < analyzer.decoded - decoded <= (analyzer.offered - offered) / 10

    gate.switch_file(cloth)  # a grey cloth over the lens, from now on
    covered_at = datetime.now(UTC)
    wait_for(lambda: bool(covered_events(index, camera_id)), DETECTION_LIMIT_S, "a covered event")

    (event,) = covered_events(index, camera_id)
    assert event.ended_at is None
    assert event.score is not None and 0.5 < event.score <= 1.0
    assert covered_at <= event.started_at.astimezone(UTC)
    assert event.snapshot_before and event.snapshot_after
    folder = snapshots_dir(inst.settings.data_dir)
    before, after = grey_of(folder / event.snapshot_before), grey_of(folder / event.snapshot_after)
    assert before.std() > 30.0  # the test pattern: colour bars, text, gradients
    assert after.std() < 8.0  # the cloth: flat grey, sensor noise only
    assert 100.0 < float(after.mean()) < 160.0
    assert (folder / event.snapshot_before).read_bytes()[:3] == b"\xff\xd8\xff"


def test_analysis_settings_and_view_learning_reach_the_analyzer_without_restarting_recording(
    rtsp_cameras: StartCamera,  # noqa: F811
    recording_installation: tuple[Installation, int],
    index: RecordingIndex,
) -> None:
    inst, camera_id = recording_installation
    gate = rtsp_cameras("gate", make_test_video(seconds=20, fps=FPS, gop=GOP_FRAMES))
    with inst.database.transaction() as session:
        inst.cameras.update(session, SYSTEM_ACTOR, camera_id, main_url=gate.url)
        inst.cameras.set_state(session, SYSTEM_ACTOR, camera_id, "in_service", reason="thử")
    supervisor = RecordingSupervisor(inst, sync_seconds=3600.0)  # synced by hand below
    supervisor.start()
    try:
        wait_for(lambda: bool(index.segments(camera_id)), 15, "recording to start")
        recorder = supervisor.service.recorder(camera_id)
        analyzer = supervisor.service.analyzer(camera_id)
        assert recorder is not None and analyzer is not None
        flag_corner = "1" * 3 + "0" * (MASK_CELLS - 3)
        with inst.database.transaction() as session:
            inst.cameras.set_analysis(
                session,
                SYSTEM_ACTOR,
                camera_id,
                analysis_mask=flag_corner,
                tamper_sensitivity="low",
                motion_sensitivity="high",
            )
        supervisor.sync()  # what the supervisor does every few seconds

        assert analyzer.settings.mask == flag_corner
        assert (analyzer.settings.tamper_sensitivity, analyzer.settings.motion_sensitivity) == (
            "low",
            "high",
        )
        assert supervisor.service.recorder(camera_id) is recorder and recorder.is_alive
        assert supervisor.service.analyzer(camera_id) is analyzer

        with inst.database.transaction() as session:
            inst.cameras.learn_view_again(session, SYSTEM_ACTOR, camera_id, reason="quay lại")
        supervisor.sync()
        supervisor.sync()  # the same request is passed on once
        assert analyzer.view_learnings_asked == 1
        assert supervisor.service.analyzer(camera_id) is analyzer
        changed_at = datetime.now(UTC)
        wait_for(
            lambda: index.segments(camera_id)[-1].end_at > changed_at + timedelta(seconds=3),
            20,
            "recording to go on",
        )
        # Still the one segment the recorder opened at its start: no reconnection, no gap.
        (segment,) = index.segments(camera_id)
        since = segment.start_at
        # The test pattern moves: its motion levels reached the installation's activity log.
        inst.activity.flush()
        strip = inst.activity.strip(camera_id, since, datetime.now(UTC))
        assert max(strip.levels) > 0
    finally:
        supervisor.stop()
