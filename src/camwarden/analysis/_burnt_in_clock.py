"""The clock a camera burns into its picture, learnt, so that `frozen` can leave it out.

The clock is drawn after the sensor, so it ticks on through a freeze, and frames analysed 0.6 s
apart can span a tick in every pair: a frozen picture with a clock, away from the learnt light
where only frames prove a freeze, was never raised while a frame pair had to be still in every
block (`_stillness.REPEAT_LARGEST_BLOCK`).
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from camwarden.analysis._comparisons import BlockDifference

# A block of a keyframe pair ticked when it changed by this much more than the pair's typical
# block: a digit of a clock changes a fifth of a block's pixels by a hundred grey levels, while
# a sensor's noise averaged over a block's 100 pixels strays from the typical block by a tenth
# of its spread per pixel (and a block that strayed by chance does not in the next pair).
CLOCK_TICK = 5.0
# The clock's blocks ticked in at least this share of the learnt keyframe pairs (keyframes 1-2
# s apart: its seconds change in every pair), of at least CLOCK_LEARNT_PAIRS. A person at the
# table moves in some pairs, not in nearly all; if one did, their blocks are left out too,
# which only spares those blocks the check.
CLOCK_TICKING_SHARE = 0.8
CLOCK_LEARNT_PAIRS = 5

BlockMap = npt.NDArray[np.bool_]


class BurntInClock:
    """The blocks where the camera burns its clock into the picture, learnt: its seconds change
    in every pair of keyframes learnt, and those blocks and their neighbours (a digit astride
    two rows of blocks, the minutes beside) are left out of a frame pair's largest block. With
    keyframes a whole multiple of 10 s apart only the tens would be learnt; IT masking the
    clock (docs/operations.md) leaves it out of every measure."""

    def __init__(self) -> None:
        self._ticks: npt.NDArray[np.int32] | None = None
        self._pairs = 0
        self.blocks: BlockMap | None = None
        """The clock's blocks, once learnt; None if none ticked (or too few pairs)."""

    def learn(self, keyframes: BlockDifference) -> None:
        ticked = keyframes.blocks > keyframes.typical + CLOCK_TICK  # NaN (left out): False
        if self._ticks is None:
            self._ticks = np.zeros(ticked.shape, np.int32)
        self._ticks += ticked
        self._pairs += 1

    def finish_learning(self) -> None:
        if self._ticks is None or self._pairs < CLOCK_LEARNT_PAIRS:
            return
        ticking = self._ticks >= CLOCK_TICKING_SHARE * self._pairs
        if ticking.any():
            grown = cv2.dilate(ticking.astype(np.uint8), np.ones((3, 3), np.uint8))
            self.blocks = grown.astype(bool)
