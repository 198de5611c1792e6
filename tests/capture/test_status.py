"""What the health page reads of a recorder (R-8.1): online, recording, last keyframe, fps and
bitrate, measured from the stream itself."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from camwarden.capture.service import CameraSource, RecordingService
from camwarden.capture.status import STALE, StreamMeter
from camwarden.installation import Installation
from camwarden.storage.recordings import RecordingIndex
from tests.capture.test_recording import complete, make_service, service, wait_for  # noqa: F401
from tests.support.rtsp import StartCamera, rtsp_cameras  # noqa: F401

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _feed(meter: StreamMeter, *, fps: int, seconds: int, size: int, gop: int) -> datetime:
    """Packets of `size` bytes at `fps`, a keyframe every `gop`; the instant of the last."""
    at = START
    for index in range(fps * seconds):
        at = START + timedelta(seconds=index / fps)
        meter.packet(at, at, size, keyframe=index % gop == 0)
        meter.written(at)
    return at


def test_the_meter_measures_fps_and_bitrate_over_the_last_ten_seconds() -> None:
    meter = StreamMeter(7)
    meter.connected()
    # 30 s at 25 fps, 10 kB a frame: 2 Mbit/s; only the last 10 s are measured.
    last = _feed(meter, fps=25, seconds=30, size=10_000, gop=50)
    status = meter.status(last + timedelta(seconds=1))
    assert status.camera_id == 7
    assert status.online and status.recording
    assert status.fps is not None and abs(status.fps - 25) < 0.01
    assert status.bitrate_bps is not None and abs(status.bitrate_bps - 2_000_000) < 1
    # The last keyframe: frame 700 of 750 (every 50th).
    assert status.last_keyframe_at == START + timedelta(seconds=700 / 25)


def test_a_silent_or_disconnected_stream_is_offline_without_figures() -> None:
    meter = StreamMeter(1)
    assert not meter.status(START).online
    meter.connected()
    last = _feed(meter, fps=10, seconds=2, size=1000, gop=10)
    assert meter.status(last + STALE - timedelta(milliseconds=1)).online
    silent = meter.status(last + STALE)
    assert not silent.online and not silent.recording and silent.fps is None
    meter.disconnected()
    gone = meter.status(last)
    assert not gone.online
    assert gone.last_keyframe_at is not None, "the last keyframe is still known"


def test_packets_that_reach_no_segment_are_online_but_not_recording() -> None:
    meter = StreamMeter(1)
    meter.connected()
    meter.packet(START, START, 1000, keyframe=True)
    meter.packet(START + timedelta(seconds=0.1), START + timedelta(seconds=0.1), 1000, False)
    status = meter.status(START + timedelta(seconds=0.2))
    assert status.online and not status.recording


def test_a_recorded_rtsp_camera_shows_online_recording_at_its_frame_rate_and_bitrate(
    rtsp_cameras: StartCamera,  # noqa: F811
    service: RecordingService,  # noqa: F811
    recording_installation: tuple[Installation, int],
    index: RecordingIndex,
) -> None:
    _, camera_id = recording_installation
    # The simulator's default: 1280x720 at 15 fps, 2 Mbit/s constant bitrate.
    gate = rtsp_cameras("gate")
    assert service.status() == {}
    service.sync([CameraSource(camera_id=camera_id, url=gate.url)])

    def measured() -> bool:
        status = service.status()[camera_id]
        return status.recording and status.fps is not None and status.last_keyframe_at is not None

    wait_for(measured, 20, "the recorder's figures")
    # A complete segment: at least 4 s of stream went through the meter.
    wait_for(lambda: bool(complete(index, camera_id)), 20, "a complete segment")
    status = service.status()[camera_id]
    assert status.online and status.recording
    assert status.fps is not None and 12 <= status.fps <= 18
    assert status.bitrate_bps is not None and 0.5e6 <= status.bitrate_bps <= 4e6
    assert status.last_keyframe_at is not None and status.last_packet_at is not None
    assert status.last_keyframe_at <= status.last_packet_at + timedelta(seconds=1)

    gate.stop()
    wait_for(lambda: not service.status()[camera_id].online, 15, "the camera to go offline")
    gone = service.status()[camera_id]
    assert not gone.recording and gone.fps is None
