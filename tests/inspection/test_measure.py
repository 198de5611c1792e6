"""Measuring a real camera's stream over RTSP."""

from __future__ import annotations

import pytest

from camwarden.inspection.measure import StreamUnavailable, measure_stream
from tests.inspection.conftest import TEST_MEASURE_SECONDS
from tests.support.rtsp import StartCamera, make_test_video


def test_a_1280x720_camera_at_15_fps_with_2_s_keyframes_measures_so(
    rtsp_cameras: StartCamera,
) -> None:
    camera = rtsp_cameras("cong", make_test_video(seconds=10, bitrate_kbps=2000))

    measured = measure_stream(camera.url, seconds=TEST_MEASURE_SECONDS)

    assert (measured.width, measured.height) == (1280, 720)
    assert measured.fps == pytest.approx(15.0, abs=0.3)
    assert measured.keyframe_interval_s == pytest.approx(2.0, abs=0.1)
    assert measured.bitrate_kbps == pytest.approx(2000, rel=0.25)
    assert measured.reference_jpeg.startswith(b"\xff\xd8")


def test_the_frame_rate_is_the_real_one_not_the_declared_one(rtsp_cameras: StartCamera) -> None:
    # The file's frames are 25 a second, the camera serves them at 10: only the timestamps tell.
    camera = rtsp_cameras("cham", make_test_video(seconds=10, fps=25, gop=50))
    camera.stop()
    camera.fps = 10
    camera.start()

    measured = measure_stream(camera.url, seconds=TEST_MEASURE_SECONDS)

    assert measured.fps == pytest.approx(10.0, abs=0.3)


def test_a_blurred_picture_is_less_sharp_and_a_dark_one_clipped_in_the_shadows(
    rtsp_cameras: StartCamera,
) -> None:
    sharp = rtsp_cameras("net", make_test_video(seconds=10))
    blurred = rtsp_cameras("mo", make_test_video(seconds=10, picture_filter="gblur=sigma=4"))
    dark = rtsp_cameras("toi", make_test_video(seconds=10, picture_filter="eq=brightness=-0.45"))

    figures = {
        name: measure_stream(camera.url, seconds=TEST_MEASURE_SECONDS)
        for name, camera in (("sharp", sharp), ("blurred", blurred), ("dark", dark))
    }

    assert figures["blurred"].sharpness < figures["sharp"].sharpness / 4
    assert figures["dark"].shadows_clipped > 0.5
    assert figures["sharp"].shadows_clipped < 0.05


def test_a_camera_refusing_the_login_cannot_be_measured(rtsp_cameras: StartCamera) -> None:
    camera = rtsp_cameras("khoa", user="admin", password="Khac-hẳn-9")

    with pytest.raises(StreamUnavailable):
        measure_stream(camera.url, seconds=TEST_MEASURE_SECONDS)
