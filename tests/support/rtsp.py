"""Real RTSP cameras for tests and the demo: test video, a camera process, a pytest fixture.

A camera is `tools/rtsp_camera.py` run by Debian's `/usr/bin/python3` (which has the GStreamer
bindings; the virtualenv does not), serving one H.264 file looped forever at real-time pace.
Readers connect as to an IP camera: `ffmpeg -rtsp_transport tcp -i camera.url ...`.

In a conftest.py:

    from tests.support.rtsp import rtsp_cameras  # noqa: F401  (registers the fixture)

In a test:

    def test_recording_survives_an_outage(rtsp_cameras: StartCamera) -> None:
        gate = rtsp_cameras("gate")  # started; gate.url == "rtsp://127.0.0.1:PORT/gate"
        gate.stop()  # outage: readers get "connection refused"
        gate.start()  # back on the same URL
        gate.switch_file(make_test_video(None, pattern="color=c=black"))  # lens covered

Needs Debian's ffmpeg, python3-gi and gst-rtsp-server: `make system-deps`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Protocol

import pytest

from camwarden.simulator.cameras import (
    _CAMERA_NAME,
    AuthMethod,
    RtspCamera,
    RtspCameraError,
    make_test_video,
)

__all__ = ["RtspCamera", "RtspCameraError", "StartCamera", "make_test_video", "rtsp_cameras"]


class StartCamera(Protocol):
    """What the `rtsp_cameras` fixture gives a test."""

    def __call__(
        self,
        name: str,
        video: str | os.PathLike[str] | None = None,
        *,
        user: str | None = None,
        password: str | None = None,
        auth: AuthMethod = "digest",
        port: int = 0,
    ) -> RtspCamera: ...


@pytest.fixture
def rtsp_cameras() -> Iterator[StartCamera]:
    """Starts cameras on demand: `rtsp_cameras("gate")` serves the default test video on
    rtsp://127.0.0.1:PORT/gate. Every camera is stopped when the test ends."""
    started: list[RtspCamera] = []

    def start_camera(
        name: str,
        video: str | os.PathLike[str] | None = None,
        *,
        user: str | None = None,
        password: str | None = None,
        auth: AuthMethod = "digest",
        port: int = 0,
    ) -> RtspCamera:
        if not _CAMERA_NAME.fullmatch(name):
            raise ValueError(f"camera name {name!r} must match {_CAMERA_NAME.pattern}")
        camera = RtspCamera(
            make_test_video() if video is None else video,
            path=f"/{name}",
            port=port,
            user=user,
            password=password,
            auth=auth,
        )
        started.append(camera)
        camera.start()
        return camera

    yield start_camera
    for camera in started:
        camera.stop()
