"""The evidence behind `frozen`: keyframe pairs, and the frames of a GOP where they tell."""

from __future__ import annotations

import subprocess
from pathlib import Path

import av
import numpy as np
import pytest

from camwarden.analysis._frozen import FrozenWatch, NoiseAtLight
from camwarden.analysis._limits import Thresholds
from camwarden.analysis._measures import measure
from camwarden.analysis._stillness import CHAIN_NOISE_MIN, LEARN_CHAIN_PAIRS, Stillness
from camwarden.analysis.analyzer import analyze_file
from camwarden.analysis.pipeline import PacketAnalyzer
from camwarden.simulator.cameras import FFMPEG, make_test_video
from tests.analysis.conftest import (
    BACK_S,
    CORRIDOR,
    FPS,
    ONSET_S,
    Grey,
    corridor_wall,
    normal,
    standing_in_front_of_the_table,
    textured_view,
    with_clock,
    write_clip,
)

STRICT, SUSPECT, FRAME_LIMIT = 0.3, 1.6, 0.5
HOLD = 2 * STRICT


def learnt(key_noise: float, frame_noise: float) -> Stillness:
    stillness = Stillness()
    for _ in range(LEARN_CHAIN_PAIRS):
        stillness.learn(key_noise, frame_noise)
    stillness.finish_learning(10)
    return stillness


def assert_frozen_within_5_s(clip: Path, onset: float) -> None:
    """The clip raises one frozen event, within 5 s of `onset`, and ends it; nothing else."""
    events = [e for e in analyze_file(clip) if e.event != "motion"]
    assert [(e.event, e.state) for e in events] == [("frozen", "start"), ("frozen", "end")]
    assert onset < events[0].t <= onset + 5.0


def test_a_keyframe_pair_merely_quieter_than_usual_asks_for_the_frames_between() -> None:
    stillness = learnt(key_noise=2.0, frame_noise=1.0)
    stillness.keyframes(30.0, 1.2, STRICT, SUSPECT, HOLD)
    assert stillness.wants_frames and not stillness.still
    stillness.frames(32.5, 0.1, FRAME_LIMIT, largest=0.4)  # a frozen picture's hardly differ
    assert stillness.still and stillness.since == 30.0


def test_frames_carrying_live_noise_end_a_suspected_freeze() -> None:
    stillness = learnt(key_noise=2.0, frame_noise=1.0)
    stillness.keyframes(30.0, 1.2, STRICT, SUSPECT, HOLD)
    stillness.frames(32.5, 0.9, FRAME_LIMIT, largest=3.5)
    assert not stillness.still and stillness.since is None and not stillness.wants_frames


CLOCK = (slice(4, 16), slice(4, 130))
"""Where `with_clock` writes the time."""
PERSON = (slice(60, 120), slice(140, 170))


@pytest.mark.parametrize(
    ("where", "moved_by", "clock_learnt", "still"),
    [
        (PERSON, 0.0, False, True),
        (PERSON, 1.8, False, True),  # a repeat's rounding
        (PERSON, 3.6, False, False),  # a person shifting at the table
        (PERSON, 14.0, False, False),
        (PERSON, 3.6, True, False),  # the clock's blocks are left out, no others
        (CLOCK, 0.0, True, True),  # the clock ticking through the freeze
        (CLOCK, 0.0, False, False),  # the same change, where no clock was learnt
    ],
)
def test_frames_quiet_but_where_someone_moved_do_not_confirm_a_suspected_freeze(
    where: tuple[slice, slice], moved_by: float, clock_learnt: bool, still: bool
) -> None:
    # Seed 19's close corridor: the encoder rounded its noise away wherever nobody moved, so
    # the frames' typical block was as quiet as a repeat's while a person shifted at the
    # table (3.6-14 grey levels); five false freezes. A repeat's blocks never moved by more
    # than 1.83, but for the clock the camera burns in after the sensor.
    limits = Thresholds.at("normal")
    view = textured_view()

    def shown(picture: Grey, t: float) -> Grey:
        return with_clock(picture, t) if clock_learnt else picture

    learning = FrozenWatch()
    for t in range(0, 20, 2):
        learning.learn(seen_at(t, shown(view, t + t // 2)), True, None)  # a tick every pair
    learning.finish_learning()
    assert (learning.clock.blocks is not None) is clock_learnt
    watch = FrozenWatch()
    watch.clock = learning.clock
    watch.stillness = learnt(key_noise=2.0, frame_noise=1.0)
    watch.compare(seen_at(20.0, shown(view, 20)), True, None, 1.0, limits)
    watch.compare(seen_at(22.0, shown(view + 1.2, 22)), True, None, 1.0, limits)  # quiet
    assert watch.stillness.wants_frames and not watch.stillness.still
    watch.compare(seen_at(22.5, shown(view + 1.2, 22)), False, None, 1.0, limits)
    changed = view + 1.2
    changed[where] += moved_by
    if where is CLOCK:
        changed = with_clock(changed, 23)  # ticked since the frame before
    watch.compare(seen_at(23.0, shown(changed, 23)), False, None, 1.0, limits)
    assert watch.stillness.still is still


def test_frames_refining_a_frozen_keyframe_do_not_end_what_the_keyframes_proved() -> None:
    # A frozen noisy picture's frames keep refining a keyframe the encoder rounded coarsely
    # (seed 12's yard: 1.1-1.2 times the learnt noise apart between identical keyframes); each
    # such frame ended the freeze, and it was never raised.
    stillness = learnt(key_noise=2.0, frame_noise=1.0)
    stillness.keyframes(44.0, 0.0, STRICT, SUSPECT, HOLD)
    stillness.frames(45.6, 1.2, FRAME_LIMIT, largest=1.8)
    assert stillness.still and stillness.since == 44.0
    stillness.keyframes(45.0, 2.0, STRICT, SUSPECT, HOLD)  # keyframes clearly apart end it
    assert not stillness.still and stillness.since is None
    stillness.keyframes(46.0, 1.2, STRICT, SUSPECT, HOLD)  # a suspicion is still the frames'
    stillness.frames(46.6, 1.2, FRAME_LIMIT, largest=1.8)
    assert stillness.since is None


def test_on_a_stream_without_noise_only_keyframes_quieter_than_the_strict_limit_count() -> None:
    stillness = learnt(key_noise=0.4, frame_noise=CHAIN_NOISE_MIN / 10)
    assert not stillness.frames_tell
    stillness.keyframes(30.0, 0.35, STRICT, SUSPECT, HOLD)
    assert stillness.since is None  # merely quiet: not a suspicion where frames cannot tell
    stillness.keyframes(32.0, 0.1, STRICT, SUSPECT, HOLD)
    stillness.frames(32.5, 0.9, FRAME_LIMIT, largest=3.5)  # says nothing here
    assert stillness.still and stillness.since == 32.0


def test_once_proved_still_a_keyframe_pair_not_clearly_apart_keeps_the_picture_still() -> None:
    # A frozen picture's keyframes, each encoded afresh at a quantiser that keeps changing,
    # are not all identical: seed 10's clean office gave one identical pair in four, the others
    # about half the live noise apart.
    stillness = learnt(key_noise=0.65, frame_noise=CHAIN_NOISE_MIN / 10)
    stillness.keyframes(38.0, 0.45, STRICT, SUSPECT, HOLD)
    assert stillness.since is None  # under the hold, but nothing proved yet
    stillness.keyframes(39.0, 0.0, STRICT, SUSPECT, HOLD)
    stillness.keyframes(40.0, 0.45, STRICT, SUSPECT, HOLD)
    assert stillness.still and stillness.since == 39.0
    stillness.keyframes(41.0, 0.65, STRICT, SUSPECT, HOLD)  # clearly apart: the picture moves
    assert not stillness.still and stillness.since is None


def keyframes_every_2_s_on_a_clean_stream(noise: float) -> tuple[FrozenWatch, Grey]:
    """A watch that learnt 20 s of `noise`-grey live keyframes, every 2 s, whose frames between
    are copies of them (a clean stream: the frames cannot tell); and the view."""
    rng = np.random.default_rng(3)
    view = textured_view()
    watch = FrozenWatch()
    for t in range(0, 20, 2):
        key = view + rng.normal(0, noise, view.shape).astype(np.float32)
        for offset, keyframe in ((0.0, True), (0.5, False), (1.0, False)):
            watch.learn(seen_at(t + offset, key), keyframe, None)
    watch.finish_learning()
    assert not watch.stillness.frames_tell
    return watch, view


def seen_at(t: float, picture: Grey) -> tuple[float, Grey, Grey]:
    return (t, picture, measure(picture, None).blocks)


@pytest.mark.parametrize(
    ("apart", "light", "as_learnt", "still"),
    [
        (0.7, 1.0, True, True),
        (0.7, 1.1, True, True),
        (1.0, 1.0, True, False),
        (0.7, 0.6, True, False),
        (0.7, 1.0, False, False),
    ],
)
def test_on_a_clean_stream_a_keyframe_pair_half_the_learnt_noise_apart_proves_stillness(
    apart: float, light: float, as_learnt: bool, still: bool
) -> None:
    # A freeze's first keyframe is re-encoded at another quantiser than the next: seed 13's
    # clean hall gave a pair half its live noise apart, and the freeze waited 2 s more for the
    # next pair. Live keyframes at the learnt light never came that close. `apart`: the noise
    # between the two pictures as a share of the sensor's (0.7: half the learnt difference; 1.0:
    # 0.7 of it, as close as the quietest live pairs of seeds 1-15). Away from the learnt light
    # (`light`) the encoder may round the noise away, and where another kind questions the view
    # (`as_learnt`, a blur) its noise is not the learnt: such a pair proves nothing.
    noise = 2.0
    watch, view = keyframes_every_2_s_on_a_clean_stream(noise)
    rng = np.random.default_rng(4)
    limits = Thresholds.at("normal")
    frozen = view + rng.normal(0, noise, view.shape).astype(np.float32)
    watch.compare(seen_at(20.0, frozen), True, None, light, limits, as_learnt=as_learnt)
    again = frozen + rng.normal(0, apart * noise, view.shape).astype(np.float32)
    differences = watch.compare(
        seen_at(22.0, again), True, None, light, limits, as_learnt=as_learnt
    )
    assert differences.key is not None
    verdict = watch.verdict(differences, view_shown=True)
    assert verdict is not None and verdict.still is still
    assert verdict.since == (20.0 if still else None)


@pytest.mark.parametrize("after_keyframe_s", [0.2, 1.0, 1.8])
def test_a_noisy_picture_frozen_between_keyframes_two_seconds_apart_is_frozen_within_5_s(
    tmp_path: Path, after_keyframe_s: float
) -> None:
    onset = ONSET_S + after_keyframe_s
    clip = write_clip(
        tmp_path / "f.mp4", normal, gop=2 * FPS, freeze=(onset, BACK_S), sensor_noise=10.0
    )
    assert_frozen_within_5_s(clip, onset)


@pytest.mark.parametrize("after_keyframe_s", [0.2, 0.6])
def test_a_noisy_picture_frozen_between_keyframes_a_second_apart_is_frozen_within_5_s(
    tmp_path: Path, after_keyframe_s: float
) -> None:
    # With 1-s GOPs a pair of frames between keyframes exists only if the GOP is analysed
    # more than twice a second; keyframes alone would need the encoder's rounding to settle.
    onset = ONSET_S + after_keyframe_s
    clip = write_clip(
        tmp_path / "f.mp4", normal, gop=FPS, freeze=(onset, BACK_S), sensor_noise=10.0
    )
    assert_frozen_within_5_s(clip, onset)


@pytest.mark.parametrize("gop_s", [1, 2])
def test_a_static_scene_with_a_noisy_sensor_is_not_frozen(tmp_path: Path, gop_s: int) -> None:
    clip = write_clip(tmp_path / "s.mp4", normal, gop=gop_s * FPS, sensor_noise=10.0, seconds=90.0)
    assert [e for e in analyze_file(clip) if e.event != "motion"] == []


@pytest.mark.parametrize("gop_s", [1, 2])
def test_the_noise_of_a_gops_frames_is_learnt_from_the_first_gops_decoded_anyway(
    tmp_path: Path, gop_s: int
) -> None:
    # Until the keyframe interval is known every frame is decoded; the frames' noise is learnt
    # from at most two seconds of frames besides the keyframes (with 1-s GOPs it used to cost
    # every frame of the learning, and learnt nothing; with 2-s GOPs a second GOP).
    fps, seconds = 15, 25
    clip = write_clip(
        tmp_path / "l.mp4", normal, fps=fps, gop=gop_s * fps, sensor_noise=10.0, seconds=seconds
    )
    packets = PacketAnalyzer()
    with av.open(str(clip)) as container:
        stream = container.streams.video[0]
        for index, packet in enumerate(container.demux(stream)):
            if packet.size:
                packets.feed(
                    bytes(packet),
                    index / fps,
                    keyframe=packet.is_keyframe,
                    extradata=stream.codec_context.extradata,
                )
    assert not packets.analyzer.dense
    assert packets.decoded <= seconds // gop_s + 2 * fps


def test_the_frames_noise_is_learnt_at_each_spacing_it_is_compared_at() -> None:
    # Frames further apart differ more; frames learnt 4 a second are compared 2 a second later.
    stillness = Stillness()
    for _ in range(LEARN_CHAIN_PAIRS):
        stillness.learn(None, 1.0, [(0.27, 1.0), (0.53, 1.3), (0.80, 1.6)])
    stillness.learn(None, None, [(0.53, 1.6)])  # learning is over: no longer counted
    stillness.finish_learning(10)
    assert stillness.chain_noise == 1.0
    assert stillness.chain_noise_at(0.27) == pytest.approx(1.0)
    assert stillness.chain_noise_at(0.53) == pytest.approx(1.3)
    assert stillness.chain_noise_at(0.40) == pytest.approx(1.15, abs=0.01)
    assert stillness.chain_noise_at(2.0) == pytest.approx(1.6)  # the widest learnt, beyond it


def test_frames_noise_growing_faster_than_the_encoders_rounding_is_taken_for_motion() -> None:
    # People walking through the whole first GOP make the wider pairs noisy; the encoder's
    # rounding alone grows as the square root of the distance.
    stillness = Stillness()
    for _ in range(LEARN_CHAIN_PAIRS):
        stillness.learn(None, 1.0, [(0.27, 1.0), (0.53, 2.0), (1.07, 3.0)])
    stillness.finish_learning(10)
    assert stillness.chain_noise_at(0.53) == pytest.approx(np.sqrt(0.53 / 0.27))
    assert stillness.chain_noise_at(1.07) == pytest.approx(np.sqrt(1.07 / 0.27))


@pytest.mark.parametrize(("gain", "gop_s"), [(0.3, 2), (0.2, 2), (0.2, 1)])
def test_a_live_picture_dimmed_to_a_fraction_of_its_light_is_not_frozen(
    tmp_path: Path, gain: float, gop_s: int
) -> None:
    # The light falls before the noise is rounded away, so the dim picture's noise falls with
    # it: quieter than the limits learnt at full light (frames at a third, keyframes at a
    # fifth), though live.
    def dimmed(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        noisy = view + rng.normal(0, 5.0, view.shape)
        return noisy * gain + 12.0 if ONSET_S <= t < BACK_S else noisy

    clip = write_clip(tmp_path / "d.mp4", dimmed, gop=gop_s * FPS, sensor_noise=0.0, seconds=60.0)
    assert [e for e in analyze_file(clip) if e.event == "frozen"] == []


LIGHTS_OFF_S = 21.0


def lights_off(t: float, view: Grey, rng: np.random.Generator) -> Grey:
    """The room's lights switched off after the learning: the view at under half its light,
    the sensor's noise (added after, like a sensor's read noise) as it was."""
    return view * 0.4 if t >= LIGHTS_OFF_S else view


@pytest.mark.parametrize("clock", [False, True])
@pytest.mark.parametrize("after_keyframe_s", [0.2, 1.0])
def test_a_picture_frozen_soon_after_its_lights_were_switched_off_is_frozen_within_5_s(
    tmp_path: Path, after_keyframe_s: float, clock: bool
) -> None:
    # Its keyframes keep the noise they had, so with the learnt noise scaled down by the light
    # only identical keyframes were proof, and this encoder never gave two (nothing was
    # raised); the noise measured at the new light lets a merely quiet pair ask the frames.
    # `clock`: burnt in after the sensor, it ticks through the freeze, and every frame pair
    # analysed 0.6 s apart spanned a tick; with every block held to a repeat's rounding nothing
    # was raised. The clock's blocks, which ticked in every keyframe pair learnt, are left out.
    onset = ONSET_S + after_keyframe_s
    clip = write_clip(
        tmp_path / "f.mp4",
        lights_off,
        gop=2 * FPS,
        freeze=(onset, BACK_S),
        sensor_noise=10.0,
        clock=clock,
    )
    assert_frozen_within_5_s(clip, onset)


def test_a_picture_frozen_while_someone_stands_in_front_of_the_table_is_frozen_within_5_s(
    tmp_path: Path,
) -> None:
    # Every edge of the view is hidden, so the view did not count as shown and its stillness
    # was never raised; most of the picture is the wall as it was, so it is shown.
    def scene(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return standing_in_front_of_the_table(t, view) if t >= ONSET_S - 8 else view

    clip = write_clip(tmp_path / "f.mp4", scene, view=corridor_wall(), freeze=(ONSET_S, BACK_S))
    assert_frozen_within_5_s(clip, ONSET_S)


def test_a_cloth_held_still_over_keyframes_between_glimpses_of_the_live_view_is_not_frozen(
    tmp_path: Path,
) -> None:
    # The benchmark's hand coming back: an even grey over the real corridor 2 s of every
    # 2.5 s, keyframes every 2 s. Its noise averaged away at the analysis size, four keyframes
    # in a row landed on identical covers, and the view glimpsed between them was raised as
    # frozen: stillness counted from the covers, the view shown only by the frame judged.
    start = 22.0
    cloth = (
        f"drawbox=x=0:y=0:w=iw:h=ih:color=0x707070:t=fill:"
        f"enable='gte(t,{start})*lt(mod(t-{start},2.5),2.0)'"
    )
    stream = make_test_video(
        tmp_path / "c.h264",
        seconds=36.0,
        width=960,
        height=540,
        gop=30,
        source=CORRIDOR,
        noise=4,
        picture_filter=cloth,
    )
    clip = tmp_path / "c.mp4"  # timed, as a recording is
    remux = [str(FFMPEG), "-loglevel", "error", "-r", "15", "-i", str(stream), "-c", "copy"]
    subprocess.run([*remux, str(clip)], check=True)
    assert "frozen" not in {event.event for event in analyze_file(clip)}


@pytest.mark.parametrize("gop_s", [1, 2])
def test_a_live_picture_whose_lights_were_switched_off_is_not_frozen(
    tmp_path: Path, gop_s: int
) -> None:
    clip = write_clip(
        tmp_path / "l.mp4", lights_off, gop=gop_s * FPS, sensor_noise=10.0, seconds=90.0
    )
    assert [e for e in analyze_file(clip) if e.event != "motion"] == []


def test_the_noise_at_a_light_is_the_quietest_of_the_last_pairs_taken_there() -> None:
    noise = NoiseAtLight()
    noise.keyframe(0.4, None, counts=True)
    for difference in (2.0, 1.8, 2.4):
        assert noise.keyframes_at(0.4) is None  # not enough pairs yet
        noise.keyframe(0.4, difference, counts=True)
    assert noise.keyframes_at(0.4) == 1.8
    assert noise.keyframes_at(0.41) == 1.8  # daylight drifting a little
    assert noise.keyframes_at(0.8) is None  # measured at another light
    noise.keyframe(0.4, 0.3, counts=False)  # a suspected freeze is not noise
    assert noise.keyframes_at(0.4) == 1.8
    noise.keyframe(0.9, 5.0, counts=True)  # a pair across a switch differs by the switch
    noise.keyframe(0.9, 1.0, counts=True)
    assert noise.keyframes_at(0.9) is None  # one pair at the new light


def test_the_frames_noise_at_a_light_is_measured_as_a_share_of_the_learnt() -> None:
    noise = NoiseAtLight()
    noise.keyframe(0.4, None, counts=True)
    noise.frame(0.4, None, counts=False)  # the first frame after a keyframe: no pair
    noise.frame(0.4, 0.3, counts=True)
    assert noise.frames_at(0.4) is None  # one pair is not a measure
    noise.frame(0.4, 0.25, counts=True)
    assert noise.frames_at(0.4) == 0.25
    noise.frame(0.9, 1.0, counts=True)  # across a switch
    noise.frame(0.9, 0.9, counts=True)
    assert noise.frames_at(0.9) is None and noise.frames_at(0.4) is None


@pytest.mark.parametrize(("frame_noise", "apart"), [(1.0, 1.8), (CHAIN_NOISE_MIN / 10, 1.68)])
def test_a_keyframe_pair_that_would_be_suspected_still_does_not_end_a_freeze(
    frame_noise: float, apart: float
) -> None:
    # A frozen picture's keyframes re-encoded at changing quantisers come most of the noise
    # apart; taking them for motion ended and raised the event again every second. Apart is 2.4
    # times the strict limit (0.35 of the learnt 2.0): 0.84 of the noise, over the 0.75 frozen
    # pictures' pairs came to (seeds 3 and 24); or the suspicion (0.9 of it) where the frames
    # can check one.
    limits = Thresholds.at("normal")
    view = textured_view()

    def moving(key: float) -> bool:
        watch = FrozenWatch()
        watch.stillness = learnt(key_noise=2.0, frame_noise=frame_noise)
        watch.compare(seen_at(20.0, view), True, None, 1.0, limits)
        differences = watch.compare(seen_at(21.0, view + key), True, None, 1.0, limits)
        assert differences.key == pytest.approx(key, abs=1e-3)
        verdict = watch.verdict(differences, view_shown=True)
        assert verdict is not None
        return verdict.moving

    assert not moving(apart - 0.1)
    assert moving(apart + 0.1)


@pytest.mark.parametrize(
    ("apart", "as_learnt", "still"),
    [(0.36, True, True), (0.69, True, False), (0.36, False, False)],
)
def test_below_the_learnt_light_a_keyframe_pair_well_under_live_noise_proves_stillness(
    apart: float, as_learnt: bool, still: bool
) -> None:
    # Seed 17's close corridor froze just after its lights were dimmed to 0.65: its keyframes,
    # re-encoded, came 0.35-0.36 of the learnt noise times the light apart, just over the proof
    # (0.35), and the freeze waited 10.5 s for an identical pair. Live pairs below the learnt
    # light came no closer than 0.69 (`apart`, in those units); where another kind questions
    # the view its noise is not the learnt one.
    limits = Thresholds.at("normal")
    light, noise = 0.65, 2.0
    view = light * textured_view()
    watch = FrozenWatch()
    watch.stillness = learnt(key_noise=noise, frame_noise=1.0)
    watch.compare(seen_at(40.0, view), True, None, light, limits, as_learnt=as_learnt)
    again = view + apart * noise * light
    differences = watch.compare(
        seen_at(42.0, again), True, None, light, limits, as_learnt=as_learnt
    )
    assert differences.key == pytest.approx(apart * noise * light, abs=1e-3)
    assert watch.stillness.still is still


def test_once_proved_still_a_keyframe_pair_short_of_clearly_apart_keeps_it_at_any_light() -> None:
    # At half light a frozen yard's keyframes alternated between identical and 0.7 of the
    # learnt noise apart (seed 9, 1-s GOPs): held only under the dimmed proof's scale, the
    # stillness never lasted the 2 s it takes to be raised.
    limits = Thresholds.at("normal")
    view = 0.5 * textured_view()
    watch = FrozenWatch()
    watch.stillness = learnt(key_noise=1.0, frame_noise=CHAIN_NOISE_MIN / 10)
    for t, offset in ((40.0, 0.0), (41.0, 0.0), (42.0, 0.6), (43.0, 0.0), (44.0, 0.6)):
        differences = watch.compare(seen_at(t, view + offset), True, None, 0.5, limits)
    assert watch.stillness.still and watch.stillness.since == 40.0
    verdict = watch.verdict(differences, view_shown=True)
    assert verdict is not None and not verdict.moving
