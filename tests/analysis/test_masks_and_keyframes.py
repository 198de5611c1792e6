"""What IT masks is not analysed, and keyframes 2 s apart still raise tampering within 5 s."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import av
import numpy as np
import pytest

from camwarden.analysis.analyzer import analyze_file
from camwarden.analysis.detectors import DetectorSettings
from camwarden.analysis.mask import MASK_COLUMNS, MASK_ROWS
from camwarden.analysis.pipeline import PacketAnalyzer, analyze_packets_of
from tests.analysis.conftest import (
    BACK_S,
    FPS,
    ONSET_S,
    Grey,
    Scene,
    blur,
    during,
    normal,
    rotated,
    write_clip,
)

TWO_SECOND_GOP = 2 * FPS
DETECTION_LIMIT_S = 5.0
MID_GOP_ONSET_S = ONSET_S + 1.0  # the worst case: just after a keyframe


def cells(rows: range, columns: range) -> str:
    return "".join(
        "1" if row in rows and column in columns else "0"
        for row in range(MASK_ROWS)
        for column in range(MASK_COLUMNS)
    )


def flag(t: float, view: Grey, rng: np.random.Generator) -> Grey:
    """Stripes rippling through the top-right corner all the time: a flag in the wind."""
    picture = view.copy()
    shift = 7 * int(t * FPS)
    picture[0:40, 280:320] = 40 + 180 * ((np.arange(40)[None, :] + shift) % 16 < 8)
    return picture


def banner(t: float, view: Grey, rng: np.random.Generator) -> Grey:
    """A plain banner hung over three quarters of the picture."""
    picture = view.copy()
    picture[:, :240] = 150.0
    return picture


FLAG_CORNER = cells(range(0, 2), range(14, 16))
LEFT_THREE_QUARTERS = cells(range(0, 9), range(0, 12))


def test_a_flag_moving_in_a_masked_corner_raises_no_motion(tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "flag.mp4", flag, gop=TWO_SECOND_GOP)
    assert [e.event for e in analyze_file(clip)] == ["motion"]  # unmasked: always moving
    assert list(analyze_file(clip, DetectorSettings(mask=FLAG_CORNER))) == []
    levels = [a.motion_level for a in analyze_packets_of(clip, DetectorSettings(mask=FLAG_CORNER))]
    assert max(levels) == 0.0


def test_a_change_inside_the_mask_raises_no_tamper_event(tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "banner.mp4", during(banner), gop=TWO_SECOND_GOP)
    assert "covered" in {e.event for e in analyze_file(clip)}  # unmasked, it looks covered
    assert list(analyze_file(clip, DetectorSettings(mask=LEFT_THREE_QUARTERS))) == []


def cloth(t: float, view: Grey, rng: np.random.Generator) -> Grey:
    return np.full_like(view, 70.0)


def black(t: float, view: Grey, rng: np.random.Generator) -> Grey:
    return np.full_like(view, 4.0)


def white(t: float, view: Grey, rng: np.random.Generator) -> Grey:
    return np.full_like(view, 252.0)


def out_of_focus(t: float, view: Grey, rng: np.random.Generator) -> Grey:
    return blur(view, 4, 4)


def turned(t: float, view: Grey, rng: np.random.Generator) -> Grey:
    return rotated(view, 25)


@pytest.mark.parametrize(
    ("kind", "scene"),
    [
        ("covered", cloth),
        ("too_dark", black),
        ("too_bright", white),
        ("defocused", out_of_focus),
        ("moved", turned),
    ],
)
def test_with_keyframes_two_seconds_apart_tampering_is_raised_within_five_seconds(
    tmp_path: Path, kind: str, scene: Callable[[float, Grey, np.random.Generator], Grey]
) -> None:
    tampered: Scene = during(scene, MID_GOP_ONSET_S, BACK_S)
    clip = write_clip(tmp_path / f"{kind}.mp4", tampered, gop=TWO_SECOND_GOP)
    events = [e for e in analyze_file(clip) if e.event != "motion"]
    assert [(e.event, e.state) for e in events] == [(kind, "start"), (kind, "end")]
    assert MID_GOP_ONSET_S < events[0].t <= MID_GOP_ONSET_S + DETECTION_LIMIT_S


def test_with_keyframes_two_seconds_apart_a_frozen_picture_is_raised_within_five_seconds(
    tmp_path: Path,
) -> None:
    clip = write_clip(
        tmp_path / "frozen.mp4", normal, gop=TWO_SECOND_GOP, freeze=(MID_GOP_ONSET_S, BACK_S)
    )
    events = [e for e in analyze_file(clip) if e.event != "motion"]
    assert [(e.event, e.state) for e in events] == [("frozen", "start"), ("frozen", "end")]
    assert MID_GOP_ONSET_S < events[0].t <= MID_GOP_ONSET_S + DETECTION_LIMIT_S


def walker(t: float, view: Grey, rng: np.random.Generator) -> Grey:
    """A faint small figure crossing the picture: what sensitivity decides about."""
    picture = view.copy()
    left = int(10 + 14 * t) % 300
    picture[80:96, left : left + 12] += 22.0
    return picture


def test_a_higher_motion_sensitivity_sees_more_of_a_faint_movement(tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "walker.mp4", walker, seconds=20.0)

    def moving_frames(level: str) -> int:
        settings = DetectorSettings(motion_sensitivity=level)  # type: ignore[arg-type]
        return sum(a.motion_level > 0 for a in analyze_packets_of(clip, settings))

    low, normal_, high = (moving_frames(level) for level in ("low", "normal", "high"))
    assert low <= normal_ <= high
    assert low < high


def test_while_learning_only_the_frames_that_teach_something_are_decoded(tmp_path: Path) -> None:
    # 15 fps, keyframes 2 s apart, as the benchmark's camera: the first GOP is decoded while
    # its frames' noise is learnt (four pairs, 4 a second: up to 1.33 s), then keyframes only.
    clip = write_clip(tmp_path / "quiet.mp4", normal, seconds=20.0, fps=15, gop=30)
    packets = PacketAnalyzer()
    decoded_at: list[float] = []
    with av.open(str(clip)) as container:
        stream = container.streams.video[0]
        extradata = stream.codec_context.extradata
        for index, packet in enumerate(container.demux(stream)):
            if packet.size == 0:
                continue
            t = index / 15
            before = packets.decoded
            packets.feed(bytes(packet), t, keyframe=packet.is_keyframe, extradata=extradata)
            if packets.decoded > before:
                decoded_at.append(round(t, 3))
    assert max(t for t in decoded_at if t < 2.0) == pytest.approx(1.333, abs=0.01)
    assert [t for t in decoded_at if t >= 2.0] == [2.0 * n for n in range(1, 10)]
    assert packets.analyzer.tamper.learning  # 20 s of learning not over: nothing judged yet
