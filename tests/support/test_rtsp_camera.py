"""The simulated RTSP camera, read by Debian's ffprobe as a recorder would read a real one."""

from __future__ import annotations

import itertools
import json
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support import rtsp
from tests.support.rtsp import RtspCamera, StartCamera, make_test_video

# Registers the fixture in this module (a conftest would import it the same way).
rtsp_cameras = rtsp.rtsp_cameras

FFPROBE = "/usr/bin/ffprobe"
SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "samples" / "corridor-people.mp4"
FRAME_S = 1 / 15


@dataclass(frozen=True)
class Packet:
    pts_s: float | None
    keyframe: bool


def ffprobe(url: str, *options: str) -> subprocess.CompletedProcess[str]:
    """ffprobe over RTSP interleaved in TCP, as camwarden's recorder connects."""
    return subprocess.run(
        [FFPROBE, "-v", "error", "-rtsp_transport", "tcp", "-timeout", "5000000", *options, url],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def stream_info(url: str) -> dict[str, Any]:
    result = ffprobe(
        url, "-show_entries", "stream=codec_name,width,height,r_frame_rate", "-of", "json"
    )
    assert result.returncode == 0, result.stderr
    streams: list[dict[str, Any]] = json.loads(result.stdout)["streams"]
    assert len(streams) == 1, streams
    return streams[0]


def packets(url: str, seconds: float) -> list[Packet]:
    """The video packets of the first `seconds` of the stream (read at the camera's pace)."""
    result = ffprobe(
        url,
        "-read_intervals",
        f"%+{seconds}",
        "-show_entries",
        "packet=pts_time,flags",
        "-of",
        "json",
    )
    assert result.returncode == 0, result.stderr
    return parse_packets(result.stdout)


def parse_packets(ffprobe_json: str) -> list[Packet]:
    return [
        Packet(float(p["pts_time"]) if "pts_time" in p else None, p["flags"].startswith("K"))
        for p in json.loads(ffprobe_json)["packets"]
    ]


def timestamps(read: list[Packet]) -> list[float]:
    # ffmpeg's RTSP demuxer gives the very first packet no timestamp, whatever the server.
    return [packet.pts_s for packet in read if packet.pts_s is not None]


def test_a_test_video_is_annex_b_h264_with_an_aud_and_an_idr_every_two_seconds() -> None:
    video = make_test_video(seconds=4)
    assert video.read_bytes()[:5] == b"\x00\x00\x00\x01\x09"  # starts with an AUD
    result = subprocess.run(
        [FFPROBE, "-v", "error", "-show_entries", "packet=flags:stream=codec_name,width,height",
         "-of", "json", str(video)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    probed = json.loads(result.stdout)
    assert probed["streams"] == [{"codec_name": "h264", "width": 1280, "height": 720}]
    keyframes = [i for i, p in enumerate(probed["packets"]) if p["flags"].startswith("K")]
    assert len(probed["packets"]) == 60
    assert keyframes == [0, 30]


def test_a_test_video_can_be_made_from_real_footage_scaled_to_720p_at_15_fps(
    tmp_path: Path,
) -> None:
    if not SAMPLE.exists():
        pytest.skip(f"sample footage {SAMPLE} is not on this machine")
    video = make_test_video(tmp_path / "corridor.h264", seconds=2, source=SAMPLE)
    assert video == tmp_path / "corridor.h264"
    result = subprocess.run(
        [FFPROBE, "-v", "error", "-count_packets", "-show_entries",
         "stream=width,height,nb_read_packets", "-of", "json", str(video)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    stream = json.loads(result.stdout)["streams"][0]
    assert (stream["width"], stream["height"], stream["nb_read_packets"]) == (1280, 720, "30")


def test_a_started_camera_serves_h264_1280x720_at_15_fps_over_rtsp_tcp(
    rtsp_cameras: StartCamera,
) -> None:
    camera = rtsp_cameras("cam1")
    assert camera.url == f"rtsp://127.0.0.1:{camera.port}/cam1"
    info = stream_info(camera.url)
    assert info == {"codec_name": "h264", "width": 1280, "height": 720, "r_frame_rate": "15/1"}


def test_the_stream_runs_in_real_time_with_rising_timestamps_and_an_idr_every_two_seconds(
    rtsp_cameras: StartCamera,
) -> None:
    camera = rtsp_cameras("cam1")
    started = time.monotonic()
    read = packets(camera.url, 4.3)
    elapsed_s = time.monotonic() - started

    pts = timestamps(read)
    assert len(pts) >= 60, read
    steps = [later - earlier for earlier, later in itertools.pairwise(pts)]
    assert all(step == pytest.approx(FRAME_S, abs=0.002) for step in steps), steps
    assert pts[-1] - pts[0] >= 4.0
    keyframe_pts = [p.pts_s for p in read if p.keyframe and p.pts_s is not None]
    assert len(keyframe_pts) >= 2, read
    gaps_s = [later - earlier for earlier, later in itertools.pairwise(keyframe_pts)]
    assert gaps_s == pytest.approx([2.0] * len(gaps_s), abs=0.002)
    # Paced like a camera, not dumped as fast as the socket goes.
    assert elapsed_s >= 3.5


def test_two_readers_at_once_both_get_frames(rtsp_cameras: StartCamera) -> None:
    camera = rtsp_cameras("cam1")
    command = [
        FFPROBE, "-v", "error", "-rtsp_transport", "tcp", "-timeout", "5000000",
        "-read_intervals", "%+2", "-show_entries", "packet=pts_time,flags", "-of", "json",
        camera.url,
    ]  # fmt: skip
    readers = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [reader.communicate(timeout=30) for reader in readers]

    for reader, (stdout, stderr) in zip(readers, outputs, strict=True):
        assert reader.returncode == 0, stderr
        pts = timestamps(parse_packets(stdout))
        assert len(pts) >= 25
        assert pts == sorted(set(pts))


def test_a_stopped_camera_refuses_readers_and_a_restarted_one_serves_the_same_url(
    rtsp_cameras: StartCamera,
) -> None:
    camera = rtsp_cameras("gate")
    url = camera.url

    assert camera.stop() == 0  # SIGTERM ends it cleanly
    assert not camera.is_running
    refused = ffprobe(url, "-show_entries", "stream=codec_name")
    assert refused.returncode != 0
    assert "Connection refused" in refused.stderr

    camera.start()
    assert camera.url == url
    assert stream_info(url)["codec_name"] == "h264"


def test_a_killed_camera_can_be_started_again_on_the_same_url(rtsp_cameras: StartCamera) -> None:
    camera = rtsp_cameras("gate")
    url = camera.url
    camera.kill()
    assert not camera.is_running
    camera.start()
    assert camera.url == url
    assert len(timestamps(packets(url, 1))) >= 10


@pytest.mark.parametrize("auth", ["digest", "basic"])
def test_a_camera_with_credentials_refuses_a_reader_without_them_and_serves_one_with_them(
    rtsp_cameras: StartCamera, auth: rtsp.AuthMethod
) -> None:
    camera = rtsp_cameras("office", user="admin", password="Mat khau 12:@/", auth=auth)

    for wrong in (camera.url, camera.url_with_credentials("admin", "wrong")):
        refused = ffprobe(wrong, "-show_entries", "stream=codec_name")
        assert refused.returncode != 0
        assert "401 Unauthorized" in refused.stderr

    assert len(timestamps(packets(camera.url_with_credentials(), 1))) >= 10


def test_switching_the_file_serves_the_new_video_on_the_same_url(
    rtsp_cameras: StartCamera,
) -> None:
    camera = rtsp_cameras("yard")
    url = camera.url
    smaller = make_test_video(seconds=2, width=640, height=360, pattern="smptebars")

    camera.switch_file(smaller)

    assert camera.url == url
    info = stream_info(url)
    assert (info["width"], info["height"]) == (640, 360)


def test_a_camera_used_as_a_context_manager_stops_at_the_end() -> None:
    with RtspCamera(make_test_video(seconds=4), path="/lobby") as camera:
        assert camera.is_running
        assert stream_info(camera.url)["width"] == 1280
    assert not camera.is_running
