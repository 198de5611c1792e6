"""The evidence behind `frozen`: keyframe pairs, and the frames of a GOP where they tell."""

from __future__ import annotations

from pathlib import Path

import pytest

from camwarden.analysis._stillness import CHAIN_NOISE_MIN, LEARN_CHAIN_PAIRS, Stillness
from camwarden.analysis.analyzer import analyze_file
from tests.analysis.conftest import BACK_S, FPS, ONSET_S, normal, write_clip

STRICT, SUSPECT, FRAME_LIMIT = 0.3, 1.6, 0.5


def learnt(key_noise: float, frame_noise: float) -> Stillness:
    stillness = Stillness()
    for _ in range(LEARN_CHAIN_PAIRS):
        stillness.learn(key_noise, frame_noise)
    stillness.finish_learning(10)
    return stillness


def test_a_keyframe_pair_merely_quieter_than_usual_asks_for_the_frames_between() -> None:
    stillness = learnt(key_noise=2.0, frame_noise=1.0)
    stillness.keyframes(30.0, 1.2, STRICT, SUSPECT)
    assert stillness.wants_frames and not stillness.still
    stillness.frames(32.5, 0.1, FRAME_LIMIT)  # the frames of a frozen picture hardly differ
    assert stillness.still and stillness.since == 30.0


def test_frames_carrying_live_noise_end_a_suspected_freeze() -> None:
    stillness = learnt(key_noise=2.0, frame_noise=1.0)
    stillness.keyframes(30.0, 1.2, STRICT, SUSPECT)
    stillness.frames(32.5, 0.9, FRAME_LIMIT)
    assert not stillness.still and stillness.since is None and not stillness.wants_frames


def test_on_a_stream_without_noise_only_keyframes_quieter_than_the_strict_limit_count() -> None:
    stillness = learnt(key_noise=0.4, frame_noise=CHAIN_NOISE_MIN / 10)
    assert not stillness.frames_tell
    stillness.keyframes(30.0, 0.35, STRICT, SUSPECT)
    assert stillness.since is None  # merely quiet: not a suspicion where frames cannot tell
    stillness.keyframes(32.0, 0.1, STRICT, SUSPECT)
    stillness.frames(32.5, 0.9, FRAME_LIMIT)  # says nothing here
    assert stillness.still and stillness.since == 32.0


@pytest.mark.parametrize("after_keyframe_s", [0.2, 1.0, 1.8])
def test_a_noisy_picture_frozen_between_keyframes_two_seconds_apart_is_frozen_within_5_s(
    tmp_path: Path, after_keyframe_s: float
) -> None:
    onset = ONSET_S + after_keyframe_s
    clip = write_clip(
        tmp_path / "f.mp4", normal, gop=2 * FPS, freeze=(onset, BACK_S), sensor_noise=10.0
    )
    events = [e for e in analyze_file(clip) if e.event != "motion"]
    assert [(e.event, e.state) for e in events] == [("frozen", "start"), ("frozen", "end")]
    assert onset < events[0].t <= onset + 5.0


def test_a_static_scene_with_a_noisy_sensor_is_not_frozen(tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "s.mp4", normal, gop=2 * FPS, sensor_noise=10.0, seconds=90.0)
    assert [e for e in analyze_file(clip) if e.event != "motion"] == []
