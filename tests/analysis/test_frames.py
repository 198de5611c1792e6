"""Frames for analysis: keyframes only when they come often enough, else two a second."""

from __future__ import annotations

from pathlib import Path

from camwarden.analysis.frames import ANALYSIS_HEIGHT, ANALYSIS_WIDTH, read_frames
from tests.analysis.conftest import normal, write_clip


def test_keyframes_every_second_are_the_only_frames_decoded(tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "k.mp4", normal, seconds=6.0, fps=10, gop=10)
    frames = list(read_frames(clip))
    assert [round(frame.t, 3) for frame in frames] == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert frames[0].grey.shape == (ANALYSIS_HEIGHT, ANALYSIS_WIDTH)
    assert float(frames[0].grey.min()) >= 0.0
    assert float(frames[0].grey.max()) <= 255.0


def test_sparse_keyframes_fall_back_to_two_frames_a_second(tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "s.mp4", normal, seconds=6.0, fps=10, gop=40)
    times = [round(frame.t, 3) for frame in read_frames(clip)]
    assert times == [0.5 * index for index in range(12)]


def test_frames_are_scaled_to_the_asked_size(tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "z.mp4", normal, seconds=2.0)
    frame = next(iter(read_frames(clip, width=160, height=90)))
    assert frame.grey.shape == (90, 160)
