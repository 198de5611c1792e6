"""`frozen` from one analysed picture to the next: which pictures are compared, the limits at
the picture's light, and the verdict the detector's persistence is given.

Keyframes are compared with the keyframe before, the frames between with the frame analysed
before them in the same GOP, unless that was the keyframe: the first frames after a keyframe
refine its rounding, frozen or not. What the differences prove is `_stillness.py`'s; the
noise they are held to is the learnt one near the reference's light, and away from it the
noise measured at the picture's light (`NoiseAtLight`), and the camera's clock is left out of
a frame pair's largest block (`_burnt_in_clock.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

from camwarden.analysis._burnt_in_clock import BurntInClock
from camwarden.analysis._comparisons import BlockDifference, block_difference
from camwarden.analysis._limits import Thresholds
from camwarden.analysis._stillness import CHAIN_NOISE_MIN, Stillness
from camwarden.analysis._thresholds import (
    FROZEN_HOLD_RATIO,
    FROZEN_LEARNT_LIGHT_RATIO,
    FROZEN_MAX_DIFFERENCE,
    FROZEN_MEASURED_FRAME_PAIRS,
    FROZEN_MEASURED_PAIRS,
    FROZEN_NOISE_PERCENTILE,
    FROZEN_STEADY_LIGHT,
    FROZEN_SUSPECT_FRACTION,
)
from camwarden.analysis.frames import GreyImage
from camwarden.analysis.mask import KeepImage

Seen = tuple[float, GreyImage, GreyImage]
"""An analysed picture kept for comparing with the next: its time, picture and block means."""


@dataclass(frozen=True)
class Differences:
    """A picture compared with the one before, and the limits it was held to."""

    key: float | None
    """A keyframe's typical difference with the keyframe before."""
    key_limit: float
    """Under it two keyframes are still."""
    key_apart: float
    """At or over it two keyframes are clearly apart: the picture moves."""
    frame: float | None
    """A frame's with the frame analysed before it in the same GOP."""
    frame_limit: float
    frames_tell: bool
    """The frames carry enough noise at this light to tell (`Stillness.frames_tell`)."""


@dataclass(frozen=True)
class Verdict:
    still: bool
    moving: bool
    """The picture clearly moves again (ends a frozen event)."""
    score: float
    since: float | None


@dataclass(frozen=True)
class _Pair:
    key: BlockDifference | None
    key_earlier_t: float
    frame: BlockDifference | None
    frame_earlier_t: float

    @property
    def key_typical(self) -> float | None:
        return None if self.key is None else self.key.typical

    @property
    def frame_typical(self) -> float | None:
        return None if self.frame is None else self.frame.typical


class NoiseAtLight:
    """The noise measured at the light the picture has now, away from the reference's.

    Lights switched off leave a sensor's noise as it was, a gain scales it, and the encoder
    rounds the faint noise of a dark picture's frames away (a corridor at half its light kept
    two thirds of its keyframes' noise and a quarter of its frames'): away from the
    reference's light the learnt noise says little, and what is taken there says it. The
    keyframes' noise is the quietest of the last FROZEN_MEASURED_PAIRS keyframe pairs, the
    frames' the quietest share of the learnt noise of the last FROZEN_MEASURED_FRAME_PAIRS
    pairs of frames, when all of them were taken near the present light (a person passing
    makes a pair louder, never quieter). A pair counts when both its pictures are at one light
    (a pair across a switch differs by the switch) and it raised no suspicion (a freeze
    measured as noise would hide itself).
    """

    def __init__(self) -> None:
        self._keyframes = _Taken(FROZEN_MEASURED_PAIRS)
        self._frames = _Taken(FROZEN_MEASURED_FRAME_PAIRS)
        self._previous_keyframe_light: float | None = None
        self._previous_light: float | None = None

    def keyframe(self, light: float, difference: float | None, counts: bool) -> None:
        """A keyframe at `light` that differed by `difference` from the keyframe before."""
        previous, self._previous_keyframe_light = self._previous_keyframe_light, light
        self._previous_light = light
        if counts and difference is not None and previous is not None and _near(light, previous):
            self._keyframes.add(light, difference)

    def frame(self, light: float, share: float | None, counts: bool) -> None:
        """A frame at `light` that differed from the frame before by `share` of the learnt
        noise of two frames that far apart."""
        previous, self._previous_light = self._previous_light, light
        if counts and share is not None and previous is not None and _near(light, previous):
            self._frames.add(light, share)

    def keyframes_at(self, light: float) -> float | None:
        """The keyframes' noise measured at `light`; None until enough pairs were taken."""
        return self._keyframes.quietest_at(light)

    def frames_at(self, light: float) -> float | None:
        """The frames' noise at `light` as a share of the learnt; None until measured."""
        return self._frames.quietest_at(light)


class _Taken:
    """The last `count` values taken, with the light each was taken at."""

    def __init__(self, count: int) -> None:
        self._count = count
        self._values: list[tuple[float, float]] = []

    def add(self, light: float, value: float) -> None:
        self._values = [*self._values[1 - self._count :], (light, value)]

    def quietest_at(self, light: float) -> float | None:
        if len(self._values) < self._count:
            return None
        if not all(_near(light, taken) for taken, _ in self._values):
            return None
        return min(value for _, value in self._values)


class FrozenWatch:
    """The pictures of one camera compared with each other, for `frozen`."""

    def __init__(self) -> None:
        self.stillness = Stillness()
        self.noise_at_light = NoiseAtLight()
        self.clock = BurntInClock()
        self._measuring_frames = False
        self._previous: Seen | None = None
        self._previous_was_key = False
        self._previous_key: Seen | None = None
        # The frames of the current GOP analysed while their noise is learnt.
        self._gop_frames: list[Seen] = []

    @property
    def wants_frames(self) -> bool:
        """The frames between keyframes are needed: to learn or measure their noise, or to
        confirm a suspected freeze."""
        return self.stillness.wants_frames or self._measuring_frames

    def learn(self, seen: Seen, keyframe: bool, keep: KeepImage | None) -> None:
        """A picture while the normal view is learnt."""
        pair = self._pair(seen, keyframe, keep)
        if pair.key is not None:
            self.clock.learn(pair.key)
        self.stillness.learn(
            pair.key_typical, pair.frame_typical, self._spaced(seen, keyframe, keep)
        )

    def finish_learning(self) -> None:
        self.stillness.finish_learning(FROZEN_NOISE_PERCENTILE)
        self.clock.finish_learning()

    def compare(
        self,
        seen: Seen,
        keyframe: bool,
        keep: KeepImage | None,
        light: float,
        limits: Thresholds,
        *,
        as_learnt: bool = True,
    ) -> Differences:
        """A picture once the view is learnt, at `light` (its share of the reference's);
        `as_learnt`: no other kind questions its view (covered, defocused or moved).

        The noise was learnt at the reference's light, and a picture's noise may change with
        its light (a gain applied to the noisy signal scales it; the encoder rounds faint noise
        away): a live room dimmed to a fifth had keyframes, and one dimmed to a third frames,
        quieter than the limits learnt at full light. So a darker picture's keyframes must be
        quieter in proportion to prove stillness, and away from the learnt light suspicion
        and the frames need the noise measured there (`NoiseAtLight`), or cannot tell.
        """
        pair = self._pair(seen, keyframe, keep)
        key = pair.key_typical
        stillness = self.stillness
        learnt = stillness.key_noise
        key_noise: float | None = learnt
        frames_share: float | None = 1.0
        at_learnt_light = 1.0 / FROZEN_LEARNT_LIGHT_RATIO <= light <= FROZEN_LEARNT_LIGHT_RATIO
        if not at_learnt_light:
            measured = self.noise_at_light.keyframes_at(light)
            # Never louder than learnt: louder would only loosen the limits.
            key_noise = None if measured is None else min(learnt, measured)
            frames_share = self.noise_at_light.frames_at(light)
            if frames_share is not None:
                frames_share = min(1.0, frames_share)
        frames_tell = (
            frames_share is not None and stillness.chain_noise * frames_share >= CHAIN_NOISE_MIN
        )
        # Frames are worth decoding to measure their noise where they may tell.
        self._measuring_frames = frames_share is None and stillness.frames_tell
        learnt_limit = self._learnt_limit(limits.frozen_noise_fraction)
        still_limit = min(1.0, light) * learnt_limit
        # Where the frames cannot tell, at the learnt light and view, a looser pair proves
        # stillness (FROZEN_CLEAN_NOISE_FRACTION), and below the learnt light, with the view as
        # learnt (FROZEN_DIM_NOISE_FRACTION); holding and ending it keep the learnt limit.
        proof = still_limit
        if at_learnt_light and as_learnt and not frames_tell:
            clean = self._learnt_limit(limits.frozen_clean_noise_fraction)
            proof = max(still_limit, min(1.0, light) * clean)
        elif light < 1.0 / FROZEN_LEARNT_LIGHT_RATIO and as_learnt:
            proof = light * self._learnt_limit(limits.frozen_dim_noise_fraction)
        suspect = 0.0
        if key_noise is not None and frames_tell:
            suspect = FROZEN_SUSPECT_FRACTION * key_noise
        # Clearly apart by the limit learnt at the reference's light, not the dimmed proof, and
        # not a pair that would be suspected still: a frozen picture's keyframes, re-encoded at
        # quantisers that keep changing, came 0.7-0.8 of the noise apart and ended and raised
        # the event again every second. Anything closer holds a proved stillness: at half
        # light, frozen keyframes alternated between identical and 0.7 of the learnt noise
        # apart, and a hold at the dimmed proof's scale let no freeze last the 2 s it takes to
        # be raised (seed 9's yard, raised 9 s late).
        apart = max(FROZEN_HOLD_RATIO * learnt_limit, suspect)
        if key is not None:
            stillness.keyframes(
                pair.key_earlier_t,
                key,
                strict=proof,
                suspect=suspect,
                hold=apart,
            )
        if keyframe:
            self.noise_at_light.keyframe(light, key, counts=stillness.since is None)
        frame_limit = 0.0
        share: float | None = None
        if (frame := pair.frame) is not None:
            learnt_frames = stillness.chain_noise_at(seen[0] - pair.frame_earlier_t)
            if frames_share is not None:
                frame_limit = limits.frozen_frame_fraction * frames_share * learnt_frames
            if frames_tell:
                largest = frame.largest(leaving_out=self.clock.blocks)
                stillness.frames(pair.frame_earlier_t, frame.typical, frame_limit, largest)
            share = frame.typical / learnt_frames if learnt_frames > 0 else None
        if not keyframe:
            self.noise_at_light.frame(light, share, counts=stillness.since is None)
        frame_told = pair.frame_typical if frames_share is not None else None
        return Differences(key, proof, apart, frame_told, frame_limit, frames_tell)

    def verdict(self, differences: Differences, view_shown: bool) -> Verdict | None:
        """What the differences say of `frozen`; None when the picture was compared with
        none (a keyframe after a gap, the first frames after a keyframe).

        A frozen camera repeats a picture it took: its view. A still picture where the view is
        gone (a cloth, a bag: they do not move either) is not frozen but whatever hides it, so
        stillness counts only while the detector says the view is `view_shown`, and such a
        picture ends the still run: a cloth held still over two keyframes proves nothing of the
        view shown between two covers."""
        key, frame = differences.key, differences.frame
        if key is None and frame is None:
            return None
        stillness = self.stillness
        # The picture moves again: keyframes clearly apart, or (where they tell) GOP frames,
        # unless keyframes proved it still (`Stillness.proved_by_keyframes`).
        moving = (key is not None and key >= differences.key_apart) or (
            frame is not None
            and differences.frames_tell
            and frame >= 2.0 * differences.frame_limit
            and not stillness.proved_by_keyframes
        )
        difference, limit = (
            (key, differences.key_limit) if key is not None else (frame, differences.frame_limit)
        )
        assert difference is not None
        verdict = Verdict(
            still=stillness.still and view_shown,
            moving=moving,
            score=1.0 - difference / max(limit, 1e-6),
            since=stillness.since,
        )
        if not view_shown:
            stillness.end_run()
        return verdict

    def _learnt_limit(self, fraction: float) -> float:
        """Under it two keyframes at the reference's light are still, at `fraction` of the
        learnt keyframe noise."""
        return min(FROZEN_MAX_DIFFERENCE, fraction * self.stillness.key_noise)

    def _pair(self, seen: Seen, keyframe: bool, keep: KeepImage | None) -> _Pair:
        previous, self._previous = self._previous, seen
        previous_was_key, self._previous_was_key = self._previous_was_key, keyframe
        key: BlockDifference | None = None
        frame: BlockDifference | None = None
        key_earlier_t = frame_earlier_t = 0.0
        if keyframe:
            previous_key, self._previous_key = self._previous_key, seen
            self._gop_frames = []
            if previous_key is not None:
                key_earlier_t = previous_key[0]
                key = _difference(seen, previous_key, keep)
        elif previous is not None and not previous_was_key:
            frame_earlier_t = previous[0]
            frame = _difference(seen, previous, keep)
        return _Pair(key, key_earlier_t, frame, frame_earlier_t)

    def _spaced(
        self, seen: Seen, keyframe: bool, keep: KeepImage | None
    ) -> list[tuple[float, float]]:
        """While the frames' noise is learnt: this frame's (spacing, difference) with each
        frame of its GOP analysed before it (not the keyframe: see the module's docstring)."""
        if keyframe or not self.stillness.learning_frames:
            return []
        spaced = [
            (seen[0] - earlier[0], difference.typical)
            for earlier in self._gop_frames
            if (difference := _difference(seen, earlier, keep)) is not None
        ]
        self._gop_frames.append(seen)
        return spaced


def _difference(a: Seen, b: Seen, keep: KeepImage | None) -> BlockDifference | None:
    """`block_difference` of two analysed pictures, with the block means each already has."""
    return block_difference(a[1], b[1], keep, means=(a[2], b[2]))


def _near(light: float, other: float) -> bool:
    return abs(light - other) <= FROZEN_STEADY_LIGHT * other
