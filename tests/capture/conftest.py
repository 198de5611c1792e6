"""Real H.264 video made with PyAV's own FFmpeg, for the capture tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
import pytest

from camwarden.config import load_settings
from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.installation import Installation, open_installation
from camwarden.storage.recordings import RecordingIndex


def encode_test_video(
    path: Path,
    *,
    seconds: float = 8.0,
    fps: int = 15,
    gop: int = 30,
    size: tuple[int, int] = (640, 360),
) -> Path:
    """A moving bar over a slowly changing background: H.264, keyframe every `gop` frames."""
    width, height = size
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {
            "g": str(gop),
            "keyint_min": str(gop),
            "sc_threshold": "0",
            "bf": "0",
            "preset": "ultrafast",
        }
        for index in range(int(seconds * fps)):
            image = np.full((height, width, 3), (index * 3) % 255, dtype=np.uint8)
            left = (index * 7) % (width - 40)
            image[height // 3 : height // 3 + 40, left : left + 40] = 255
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


@pytest.fixture(scope="session")
def test_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return encode_test_video(tmp_path_factory.mktemp("video") / "bar.mp4")


@pytest.fixture
def recording_installation(tmp_path: Path) -> Iterator[tuple[Installation, int]]:
    """An installation with one camera in service; its id."""
    inst = open_installation(load_settings(tmp_path / "data", {}))
    with inst.database.transaction() as session:
        zone = inst.zones.create(
            session,
            SYSTEM_ACTOR,
            name="Cổng trường",
            kind="gate",
            purposes=["security"],
            responsible_unit="Tổ bảo vệ",
        )
        camera = inst.cameras.create(
            session, SYSTEM_ACTOR, name="Cổng 1", zone_id=zone.id, main_url="rtsp://127.0.0.1/x"
        )
        camera_id = camera.id
    yield inst, camera_id
    inst.close()


@pytest.fixture
def index(recording_installation: tuple[Installation, int]) -> RecordingIndex:
    return RecordingIndex(recording_installation[0].database)
