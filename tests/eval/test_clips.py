"""A cached clip is used only when it is the whole scenario at the camera's rate."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import av
import numpy as np
from eval.clips import is_rendered
from eval.scenarios import DEVELOPMENT_SEED, draw_scenarios
from eval.scenes import FPS


def write_grey_clip(path: Path, seconds: float, fps: int) -> Path:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 64, 36, "yuv420p"
        picture = np.full((36, 64, 3), 128, np.uint8)
        for _ in range(round(seconds * fps)):
            for packet in stream.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def test_a_cached_clip_shorter_or_faster_than_its_scenario_is_made_again(tmp_path: Path) -> None:
    scenario = dataclasses.replace(draw_scenarios(DEVELOPMENT_SEED)[0], seconds=4)
    assert is_rendered(write_grey_clip(tmp_path / "whole.mp4", 4, FPS), scenario)
    assert not is_rendered(write_grey_clip(tmp_path / "short.mp4", 2, FPS), scenario)
    assert not is_rendered(write_grey_clip(tmp_path / "fast.mp4", 4, 25), scenario)
    (tmp_path / "broken.mp4").write_bytes(b"not a video")
    assert not is_rendered(tmp_path / "broken.mp4", scenario)
