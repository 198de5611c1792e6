"""Recording real RTSP cameras: continuous, through outages, one camera never stops another."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import av
import av.container
import pytest

from camwarden.analysis.detectors import DetectorSettings
from camwarden.capture.live import LiveHub
from camwarden.capture.recorder import open_rtsp
from camwarden.capture.service import CameraSource, RecordingService
from camwarden.clock import SystemClock
from camwarden.installation import Installation
from camwarden.storage.models import CameraEvent, Segment
from camwarden.storage.recordings import RecordingIndex
from tests.support.rtsp import StartCamera, make_test_video, rtsp_cameras  # noqa: F401

SEGMENT_SECONDS = 4.0
VIDEO_LOSS_SECONDS = 3.0


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> float:
    """Seconds it took; fails the test naming `what` when it does not happen in time."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            pytest.fail(f"{what} did not happen within {timeout} s")
        time.sleep(0.1)
    return time.monotonic() - started


MakeService = Callable[..., RecordingService]


@pytest.fixture
def make_service(
    recording_installation: tuple[Installation, int], index: RecordingIndex
) -> Iterator[MakeService]:
    """`make_service(**options)`: a recording service with short segments; all stopped after."""
    inst, _ = recording_installation
    made: list[RecordingService] = []

    def make(**options: Any) -> RecordingService:
        recording = RecordingService(
            recordings_dir=inst.settings.recordings_dir,
            index=index,
            clock=SystemClock(),
            segment_seconds=SEGMENT_SECONDS,
            video_loss_seconds=VIDEO_LOSS_SECONDS,
            live=LiveHub(),
            **options,
        )
        made.append(recording)
        return recording

    yield make
    for recording in made:
        recording.stop()


@pytest.fixture
def service(make_service: MakeService) -> RecordingService:
    return make_service()


def frames_in(path: Path) -> tuple[int, int, int]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        count = sum(1 for p in container.demux(stream) if p.pts is not None)
        return count, stream.codec_context.width, stream.codec_context.height


def complete(index: RecordingIndex, camera_id: int) -> list[Segment]:
    return [s for s in index.segments(camera_id) if s.status == "complete"]


def loss_events(index: RecordingIndex, camera_id: int) -> list[CameraEvent]:
    return [e for e in index.events(camera_id, *_all_time()) if e.kind == "video_loss"]


def _all_time() -> tuple[datetime, datetime]:
    return datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


def test_a_camera_is_recorded_by_stream_copy_into_playable_segments(
    rtsp_cameras: StartCamera,  # noqa: F811
    service: RecordingService,
    recording_installation: tuple[Installation, int],
    index: RecordingIndex,
) -> None:
    inst, camera_id = recording_installation
    gate = rtsp_cameras("gate")
    service.sync([CameraSource(camera_id=camera_id, url=gate.url)])
    wait_for(lambda: len(complete(index, camera_id)) >= 2, 20, "two complete segments")
    for segment in complete(index, camera_id):
        frames, width, height = frames_in(inst.settings.recordings_dir / segment.path)
        assert (width, height) == (1280, 720)
        assert frames == segment.frames
        seconds = (segment.end_at - segment.start_at).total_seconds()
        # Cut at the first keyframe after 4 s: 4 s, at 15 fps.
        assert 3.9 <= seconds <= 4.2 and abs(frames - 15 * seconds) <= 2
    first, second = complete(index, camera_id)[:2]
    assert abs((second.start_at - first.end_at).total_seconds()) < 0.2, "no hole between files"


def test_an_outage_opens_one_video_loss_event_and_recording_resumes_when_the_camera_returns(
    rtsp_cameras: StartCamera,  # noqa: F811
    service: RecordingService,
    recording_installation: tuple[Installation, int],
    index: RecordingIndex,
) -> None:
    _, camera_id = recording_installation
    gate = rtsp_cameras("gate")
    service.sync([CameraSource(camera_id=camera_id, url=gate.url)])
    wait_for(lambda: bool(index.segments(camera_id)), 10, "recording to start")
    time.sleep(2)
    gate.stop()
    stopped = time.monotonic()
    wait_for(lambda: bool(loss_events(index, camera_id)), 10, "a video-loss event")
    assert time.monotonic() - stopped <= 10
    time.sleep(3)  # the outage goes on: still one event
    assert len(loss_events(index, camera_id)) == 1
    segments_before = len(index.segments(camera_id))
    gate.start()
    restarted = time.monotonic()
    wait_for(lambda: len(index.segments(camera_id)) > segments_before, 5, "recording to resume")
    wait_for(lambda: loss_events(index, camera_id)[0].ended_at is not None, 5, "the event to end")
    assert time.monotonic() - restarted <= 5
    (event,) = loss_events(index, camera_id)
    assert event.ended_at is not None
    outage = event.ended_at - event.started_at
    assert timedelta(seconds=3) <= outage <= timedelta(seconds=15)
    # The timeline shows the outage as one gap between two recorded stretches.
    wait_for(
        lambda: (
            (index.segments(camera_id)[-1].end_at - index.segments(camera_id)[-1].start_at)
            > timedelta(seconds=1)
        ),
        5,
        "the new segment to grow",
    )
    day = index.timeline(camera_id, *_bounds(index, camera_id))
    assert len(day.recorded) == 2 and len(day.gaps) == 1
    assert abs(day.gaps[0].start - event.started_at) < timedelta(seconds=1)


def _bounds(index: RecordingIndex, camera_id: int) -> tuple[object, object]:
    segments = index.segments(camera_id)
    return segments[0].start_at, segments[-1].end_at


def test_a_dead_camera_does_not_stop_another_from_being_recorded(
    rtsp_cameras: StartCamera,  # noqa: F811
    service: RecordingService,
    recording_installation: tuple[Installation, int],
    index: RecordingIndex,
) -> None:
    inst, gate_id = recording_installation
    from camwarden.governance.authorization import SYSTEM_ACTOR

    with inst.database.transaction() as session:
        yard_id = inst.cameras.create(
            session, SYSTEM_ACTOR, name="Sân", zone_id=1, main_url="rtsp://127.0.0.1/yard"
        ).id
    gate, yard = rtsp_cameras("gate"), rtsp_cameras("yard")
    service.sync([CameraSource(camera_id=gate_id, url=gate.url), CameraSource(yard_id, yard.url)])
    wait_for(lambda: bool(index.segments(yard_id)), 10, "the yard camera to record")
    gate.kill()
    frames_then = sum(s.frames for s in index.segments(yard_id))
    time.sleep(SEGMENT_SECONDS + 2)
    assert sum(s.frames for s in index.segments(yard_id)) > frames_then + 15 * SEGMENT_SECONDS - 5
    assert service.recording() == sorted([gate_id, yard_id]), "both recorders are still alive"


def test_live_view_and_snapshots_come_from_the_recorders_own_packets(
    rtsp_cameras: StartCamera,  # noqa: F811
    service: RecordingService,
    recording_installation: tuple[Installation, int],
) -> None:
    _, camera_id = recording_installation
    gate = rtsp_cameras("gate")
    service.sync([CameraSource(camera_id=camera_id, url=gate.url)])
    feed = service.live.feed(camera_id)
    wait_for(lambda: feed.is_receiving, 10, "the first keyframe")
    snapshot = feed.snapshot()
    assert snapshot is not None and snapshot.jpeg.startswith(b"\xff\xd8")
    viewer = feed.watch()
    received = bytearray()
    started = time.monotonic()
    for fragment in viewer.stream(timeout=5):
        received += fragment
        if time.monotonic() - started > 3:
            break
    feed.leave(viewer)
    assert received[4:8] == b"ftyp", "the stream begins with an init segment"
    assert b"moof" in received and len(received) > 100_000  # ~2 Mbit/s for a few seconds


def test_a_recorder_that_crashes_is_recorded_as_stopped_and_restarted(
    rtsp_cameras: StartCamera,  # noqa: F811
    make_service: MakeService,
    recording_installation: tuple[Installation, int],
    index: RecordingIndex,
) -> None:
    _, camera_id = recording_installation
    gate = rtsp_cameras("gate")
    calls = {"count": 0}

    def breaking_opener(url: str) -> av.container.InputContainer:
        calls["count"] += 1
        if calls["count"] == 1:
            raise RuntimeError("a bug in the recorder")
        return open_rtsp(url)

    service = make_service(opener=breaking_opener)  # the second recorder gets a working camera
    service.sync([CameraSource(camera_id=camera_id, url=gate.url)])

    def stopped_events() -> list[CameraEvent]:
        return [e for e in index.events(camera_id, *_all_time()) if e.kind == "recording_stopped"]

    wait_for(lambda: bool(stopped_events()), 5, "a recording-stopped event")
    # The event is written just before the thread ends: wait for the end, not a snapshot.
    wait_for(lambda: service.recording() == [], 5, "the crashed recorder's thread to end")
    service.sync([CameraSource(camera_id=camera_id, url=gate.url)])  # the supervisor's tick
    wait_for(lambda: bool(index.segments(camera_id)), 10, "recording to start again")
    assert stopped_events()[0].ended_at is not None


def test_a_real_camera_covered_mid_stream_raises_a_covered_event_that_ends_when_uncovered(
    rtsp_cameras: StartCamera,  # noqa: F811
    make_service: MakeService,
    recording_installation: tuple[Installation, int],
    index: RecordingIndex,
) -> None:
    _, camera_id = recording_installation
    # The normal view is learnt from 3 keyframes.
    recording = make_service(analysis_settings=DetectorSettings(learn_s=6.0))
    normal = make_test_video()
    gate = rtsp_cameras("gate", normal)
    recording.sync([CameraSource(camera_id=camera_id, url=gate.url)])
    time.sleep(10)  # learnt
    gate.switch_file(make_test_video(pattern="color=c=gray"))  # a grey cloth on the lens

    def covered() -> list[CameraEvent]:
        return [e for e in index.events(camera_id, *_all_time()) if e.kind == "covered"]

    took = wait_for(lambda: bool(covered()), 20, "a covered event")
    assert took < 20
    gate.switch_file(normal)
    wait_for(lambda: covered()[0].ended_at is not None, 25, "the covered event to end")
    assert len(covered()) == 1
