"""`frozen` from one analysed picture to the next: which pictures are compared, the limits at
the picture's light, and the verdict the detector's persistence is given.

Keyframes are compared with the keyframe before, the frames between with the frame analysed
before them in the same GOP, unless that was the keyframe: the first frames after a keyframe
refine its rounding, frozen or not. What the differences prove is `_stillness.py`'s.
"""

from __future__ import annotations

from dataclasses import dataclass

from camwarden.analysis._measures import typical_difference
from camwarden.analysis._stillness import Stillness
from camwarden.analysis._thresholds import (
    FROZEN_LIGHT_RATIO,
    FROZEN_MAX_DIFFERENCE,
    FROZEN_NOISE_PERCENTILE,
    FROZEN_SUSPECT_FRACTION,
    Thresholds,
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
    frame: float | None
    """A frame's with the frame analysed before it in the same GOP."""
    frame_limit: float


@dataclass(frozen=True)
class Verdict:
    still: bool
    moving: bool
    """The picture clearly moves again (ends a frozen event)."""
    score: float
    since: float | None


@dataclass(frozen=True)
class _Pair:
    key: float | None
    key_earlier_t: float
    frame: float | None
    frame_earlier_t: float


class FrozenWatch:
    """The pictures of one camera compared with each other, for `frozen`."""

    def __init__(self) -> None:
        self.stillness = Stillness()
        self._previous: Seen | None = None
        self._previous_was_key = False
        self._previous_key: Seen | None = None
        # The frames of the current GOP analysed while their noise is learnt.
        self._gop_frames: list[Seen] = []

    def learn(self, seen: Seen, keyframe: bool, keep: KeepImage | None) -> None:
        """A picture while the normal view is learnt."""
        pair = self._pair(seen, keyframe, keep)
        self.stillness.learn(pair.key, pair.frame, self._spaced(seen, keyframe, keep))

    def finish_learning(self) -> None:
        self.stillness.finish_learning(FROZEN_NOISE_PERCENTILE)

    def compare(
        self,
        seen: Seen,
        keyframe: bool,
        keep: KeepImage | None,
        light: float,
        limits: Thresholds,
    ) -> Differences:
        """A picture once the view is learnt, at `light` (its share of the reference's).

        The noise was learnt at the reference's light, and a picture's noise changes with its
        light (a gain applied to the noisy signal scales it; the encoder rounds faint noise
        away): a live room dimmed to a fifth had keyframes, and one dimmed to a third frames,
        quieter than the limits learnt at full light. So a darker picture's keyframes must be
        quieter in proportion, and away from the learnt light only keyframes prove stillness.
        """
        pair = self._pair(seen, keyframe, keep)
        stillness = self.stillness
        noise_known = 1.0 / FROZEN_LIGHT_RATIO <= light <= FROZEN_LIGHT_RATIO
        noise = stillness.key_noise
        still_limit = min(1.0, light) * min(
            FROZEN_MAX_DIFFERENCE, limits.frozen_noise_fraction * noise
        )
        if pair.key is not None:
            stillness.keyframes(
                pair.key_earlier_t,
                pair.key,
                strict=still_limit,
                suspect=FROZEN_SUSPECT_FRACTION * noise if noise_known else 0.0,
            )
        frame_limit = 0.0
        if pair.frame is not None and noise_known:
            spacing = seen[0] - pair.frame_earlier_t
            frame_limit = limits.frozen_frame_fraction * stillness.chain_noise_at(spacing)
            stillness.frames(pair.frame_earlier_t, pair.frame, frame_limit)
        frame_told = pair.frame if noise_known else None
        return Differences(pair.key, still_limit, frame_told, frame_limit)

    def verdict(
        self, differences: Differences, view_shown: bool, limits: Thresholds
    ) -> Verdict | None:
        """What the differences say of `frozen`; None when the picture was compared with
        none (a keyframe after a gap, the first frames after a keyframe).

        A frozen camera repeats a picture it took: its view. A still picture where the view is
        gone (a cloth, a bag: they do not move either) is not frozen but whatever hides it, so
        stillness counts only while the detector says the view is `view_shown`."""
        key, frame = differences.key, differences.frame
        if key is None and frame is None:
            return None
        stillness = self.stillness
        # The picture moves again: keyframes clearly apart, or (where they tell) GOP frames.
        # (Clearly apart by the limit learnt at the reference's light, not the dimmed proof.)
        learnt_limit = min(
            FROZEN_MAX_DIFFERENCE, limits.frozen_noise_fraction * stillness.key_noise
        )
        moving = (key is not None and key >= 2.0 * learnt_limit) or (
            frame is not None and stillness.frames_tell and frame >= 2.0 * differences.frame_limit
        )
        difference, limit = (
            (key, differences.key_limit) if key is not None else (frame, differences.frame_limit)
        )
        assert difference is not None
        return Verdict(
            still=stillness.still and view_shown,
            moving=moving,
            score=1.0 - difference / max(limit, 1e-6),
            since=stillness.since,
        )

    def _pair(self, seen: Seen, keyframe: bool, keep: KeepImage | None) -> _Pair:
        previous, self._previous = self._previous, seen
        previous_was_key, self._previous_was_key = self._previous_was_key, keyframe
        key: float | None = None
        frame: float | None = None
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
            (seen[0] - earlier[0], difference)
            for earlier in self._gop_frames
            if (difference := _difference(seen, earlier, keep)) is not None
        ]
        self._gop_frames.append(seen)
        return spaced


def _difference(a: Seen, b: Seen, keep: KeepImage | None) -> float | None:
    """`typical_difference` of two analysed pictures, with the block means each already has."""
    return typical_difference(a[1], b[1], keep, means=(a[2], b[2]))
