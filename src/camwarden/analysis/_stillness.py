"""Whether a camera's picture stands still: the evidence behind `frozen`.

Two kinds of pairs of decoded pictures tell it, and they differ in what a frozen camera does to
them. Two keyframes are each encoded afresh, so two keyframes of a frozen picture still differ
by the encoder's rounding (up to ~1.5 grey levels at 320x180 on a noisy picture): only
keyframes quieter than any a live sensor gives are proof, and proof needs two of them after
the onset (up to 6 s with keyframes 2 s apart). The frames of one GOP are predicted from each
other: a frozen picture's differ by almost nothing while a live sensor's carry its noise, when
the stream shows noise at all (on a clean, still view the encoder skips it and they are
identical either way). So:

- while learning, both kinds of differences are learnt (the quietest of each);
- a keyframe pair quieter than `strict` proves stillness by itself;
- where the stream carries noise, a keyframe pair merely quieter than usual (`suspect`) makes
  the detector look at the frames of the GOP (attentive), and one of them much quieter than
  the learnt noise confirms it; frames with live noise end it, whatever the keyframes said.

Stillness is dated from the earlier picture of the first still pair.
"""

from __future__ import annotations

import numpy as np

# Pairs of frames of one GOP learnt before the frames' noise is trusted: the first GOP, analysed 4
# times a second while they are learnt (`sampling.py`), gives them with 2-s GOPs, two GOPs with 1-s.
LEARN_CHAIN_PAIRS = 4
# The quietest learnt GOP-frame difference (grey levels at 320x180) that shows the stream
# carries sensor noise: under it, frames of one GOP are copies whether live or frozen.
CHAIN_NOISE_MIN = 0.3


class Stillness:
    def __init__(self) -> None:
        self._key_learnt: list[float] = []
        self._chain_learnt: list[float] = []
        self.key_noise = 0.0
        """The learnt keyframe-to-keyframe difference (`noise_percentile` of the learnt)."""
        self.chain_noise = 0.0
        """The quietest learnt difference between frames of one GOP."""
        self.since: float | None = None
        """Start of the current still run, confirmed or not."""
        self._confirmed = False
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
    def frames_tell(self) -> bool:
        """The stream's frames carry enough noise for the frames of a GOP to tell."""
        return self.chain_noise >= CHAIN_NOISE_MIN

    def learn(self, key_difference: float | None, chain_difference: float | None) -> None:
        if key_difference is not None:
            self._key_learnt.append(key_difference)
        if chain_difference is not None and len(self._chain_learnt) < LEARN_CHAIN_PAIRS:
            self._chain_learnt.append(chain_difference)

    def finish_learning(self, noise_percentile: float) -> None:
        if self._key_learnt:
            self.key_noise = float(np.percentile(self._key_learnt, noise_percentile))
        self.chain_noise = min(self._chain_learnt) if self._chain_learnt else 0.0
        self._learnt_chain = True

    def keyframes(self, earlier_t: float, difference: float, strict: float, suspect: float) -> None:
        """A keyframe compared with the previous one (taken at `earlier_t`)."""
        if difference < strict or (self.frames_tell and difference < suspect):
            if self.since is None:
                self.since, self._confirmed = earlier_t, False
            self._confirmed = self._confirmed or difference < strict
        else:
            self.since, self._confirmed = None, False

    def frames(self, earlier_t: float, difference: float, limit: float) -> None:
        """A frame compared with the one analysed before it in the same GOP."""
        if not self.frames_tell:
            return
        if difference < limit:
            if self.since is None:
                self.since = earlier_t
            self._confirmed = True
        else:
            self.since, self._confirmed = None, False
