"""Whether a camera's picture stands still: the evidence behind `frozen`.

Two kinds of pairs of decoded pictures tell it, and they differ in what a frozen camera does to
them. Two keyframes are each encoded afresh, so two keyframes of a frozen picture still differ
by the encoder's rounding (up to ~1.5 grey levels at 320x180 on a noisy picture): only
keyframes quieter than any a live sensor gives are proof, and proof needs two of them after
the onset (up to 6 s with keyframes 2 s apart). The frames of one GOP are predicted from each
other: a frozen picture's differ by almost nothing while a live sensor's carry its noise, when
the stream shows noise at all (on a clean, still view the encoder skips it and they are
identical either way). So:

- while learning, both kinds of differences are learnt (the quietest of each); the frames' at
  each spacing the GOP gives, because two frames further apart differ more (a noisy stairway:
  1.0 grey level 0.27 s apart, 1.5 at 0.53 s) and the frames learnt 4 a second are compared 2
  or 3 a second later (`sampling.py`);
- a keyframe pair quieter than `strict` proves stillness by itself, and once proved, a pair not
  clearly apart (under `hold`) keeps it: a frozen picture's keyframes, encoded afresh at a
  quantiser that keeps changing, are not all identical;
- where the stream carries noise, a keyframe pair merely quieter than usual (`suspect`) makes
  the detector look at the frames of the GOP (attentive), and one of them much quieter than
  the learnt noise, and still in every block, confirms it; frames with live noise or motion
  end a suspicion, but not what a pair under `strict` proved: a frozen noisy picture's
  frames, predicted from a keyframe the encoder rounded coarsely, keep refining it (seed 12's
  noisy yard: frames 1.1-1.2 times the learnt noise apart between keyframes identical to the
  last grey level), and only keyframes end that proof.

Stillness is dated from the earlier picture of the first still pair.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# Pairs of frames of one GOP learnt before the frames' noise is trusted: the first GOP, analysed 4
# times a second while they are learnt (`sampling.py`), gives them with 2-s GOPs, two GOPs with 1-s.
LEARN_CHAIN_PAIRS = 4
# The quietest learnt GOP-frame difference (grey levels at 320x180) that shows the stream
# carries sensor noise: under it, frames of one GOP are copies whether live or frozen.
CHAIN_NOISE_MIN = 0.3
# A frozen camera repeats its picture everywhere: no COARSE_BLOCK block of two frames of a
# repeat differs by this much on average (seeds 1-19's 97 frozen frame pairs: at most 1.83 grey
# levels, on streams of every noise). A person shifting at a table does, in a few blocks, while
# the median block stays as quiet as a repeat's where the encoder rounds the noise away (seed
# 19's close corridor: 3.6-113, five false freezes). Everywhere but the clock most cameras burn
# into the picture after the sensor, which ticks through a freeze (`_burnt_in_clock.py`).
REPEAT_LARGEST_BLOCK = 2.5
# Pairs of frames whose spacings differ by less than this are learnt as one spacing (frame times
# jitter by a frame, 1/15 s, around the analysed rate's period).
SPACING_TOLERANCE_S = 0.04


class Stillness:
    def __init__(self) -> None:
        self._key_learnt: list[float] = []
        self._chain_learnt: list[float] = []
        self._spaced_learnt: list[tuple[float, float]] = []
        self._noise_by_spacing: tuple[list[float], list[float]] = ([], [])
        self.key_noise = 0.0
        """The learnt keyframe-to-keyframe difference (`noise_percentile` of the learnt)."""
        self.chain_noise = 0.0
        """The quietest learnt difference between consecutive analysed frames of one GOP."""
        self.since: float | None = None
        """Start of the current still run, confirmed or not."""
        self._confirmed = False
        self._proved_by_keyframes = False
        self._learnt_chain = False

    @property
    def wants_frames(self) -> bool:
        """The frames between keyframes are needed: to learn their noise, or to confirm a
        suspected freeze."""
        if not self._learnt_chain:
            return len(self._chain_learnt) < LEARN_CHAIN_PAIRS
        return self.since is not None and not self._confirmed

    @property
    def learning_frames(self) -> bool:
        """The noise of the frames of a GOP is being learnt: they are wanted densely, so that
        the first GOP (decoded anyway until the keyframe interval is known) is enough."""
        return not self._learnt_chain and len(self._chain_learnt) < LEARN_CHAIN_PAIRS

    @property
    def still(self) -> bool:
        return self.since is not None and self._confirmed

    @property
    def proved_by_keyframes(self) -> bool:
        """Still by a keyframe pair under `strict`: no frame of a GOP ends it."""
        return self.still and self._proved_by_keyframes

    @property
    def frames_tell(self) -> bool:
        """The stream's frames carry enough noise for the frames of a GOP to tell."""
        return self.chain_noise >= CHAIN_NOISE_MIN

    def learn(
        self,
        key_difference: float | None,
        chain_difference: float | None,
        spaced: Sequence[tuple[float, float]] = (),
    ) -> None:
        """One analysed picture while learning: its difference with the previous keyframe (a
        keyframe's), or with the frame analysed before it in the GOP (`chain_difference`), and
        `spaced`, its (spacing in s, difference) with each frame of the GOP before it."""
        if key_difference is not None:
            self._key_learnt.append(key_difference)
        if chain_difference is not None and len(self._chain_learnt) < LEARN_CHAIN_PAIRS:
            self._chain_learnt.append(chain_difference)
            self._spaced_learnt.extend(spaced)

    def finish_learning(self, noise_percentile: float) -> None:
        if self._key_learnt:
            self.key_noise = float(np.percentile(self._key_learnt, noise_percentile))
        self.chain_noise = min(self._chain_learnt) if self._chain_learnt else 0.0
        self._noise_by_spacing = _quietest_by_spacing(self._spaced_learnt)
        self._learnt_chain = True

    def chain_noise_at(self, spacing: float) -> float:
        """The frames' learnt noise for two frames `spacing` seconds apart: the quietest pair
        learnt at that spacing, interpolated between the spacings learnt (and the nearest
        beyond them); `chain_noise` if only consecutive frames were learnt.

        A live sensor's noise is fresh in every frame; what grows with the distance between two
        frames of a GOP is the encoder's rounding, accumulated along the chain of predictions,
        which grows as a random walk does: as the square root of the distance. More than that
        is motion learnt by mistake (people walking through a corridor's whole first GOP
        doubled the quietest pair 0.53 s apart, and a live corridor then passed for frozen),
        so the growth is capped there."""
        spacings, quietest = self._noise_by_spacing
        if not spacings:
            return self.chain_noise
        learnt = float(np.interp(spacing, spacings, quietest))
        growth = np.sqrt(max(spacing, spacings[0]) / spacings[0])
        return min(learnt, float(quietest[0] * growth))

    def keyframes(
        self, earlier_t: float, difference: float, strict: float, suspect: float, hold: float
    ) -> None:
        """A keyframe compared with the previous one (taken at `earlier_t`). Once proved, a
        pair under `hold` keeps the stillness: only a pair clearly apart ends it."""
        if difference < strict or (self.frames_tell and difference < suspect):
            if self.since is None:
                self.since, self._confirmed, self._proved_by_keyframes = earlier_t, False, False
            self._confirmed = self._confirmed or difference < strict
            self._proved_by_keyframes = self._proved_by_keyframes or difference < strict
        elif not (self._confirmed and difference < hold):
            self.end_run()

    def frames(self, earlier_t: float, difference: float, limit: float, largest: float) -> None:
        """A frame compared with the one analysed before it in the same GOP: it differs by
        `difference` in its typical block, still under `limit`, and by `largest` in its most
        changed block (but the clock's), still under REPEAT_LARGEST_BLOCK."""
        if not self.frames_tell:
            return
        if difference < limit and largest < REPEAT_LARGEST_BLOCK:
            if self.since is None:
                self.since = earlier_t
            self._confirmed = True
        elif not self.proved_by_keyframes:
            self.end_run()

    def end_run(self) -> None:
        """No still run now: the next still pair starts one."""
        self.since, self._confirmed, self._proved_by_keyframes = None, False, False


def _quietest_by_spacing(
    pairs: Sequence[tuple[float, float]],
) -> tuple[list[float], list[float]]:
    """The learnt pairs grouped by spacing: each group's mean spacing and quietest difference."""
    groups: list[list[tuple[float, float]]] = []
    for pair in sorted(pairs):
        if groups and pair[0] - groups[-1][0][0] <= SPACING_TOLERANCE_S:
            groups[-1].append(pair)
        else:
            groups.append([pair])
    spacings = [float(np.mean([spacing for spacing, _ in group])) for group in groups]
    quietest = [min(difference for _, difference in group) for group in groups]
    return spacings, quietest
