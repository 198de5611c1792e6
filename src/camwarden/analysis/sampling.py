"""Which frames of a stream are decoded and analysed: one policy for live and for files.

Cameras send a keyframe every 1-4 s and P-frames between. Decoding only keyframes is cheap
(a P-frame needs every frame since its keyframe decoded first, a keyframe needs nothing), but
with keyframes 2 s apart a persistence of 2.5 s needs three of them: a tampering would be
raised 4-8 s after its onset. So:

- every keyframe is decoded and analysed;
- while a detector is *attentive* (a condition, or the end of an active one, is seen but not
  yet decided, or the frames' noise is being measured at a new light) the P-frames after
  the keyframe are decoded too and analysed `ATTENTIVE_FPS` a second, so the persistence
  is confirmed on real frames within ~2.5 s of the first sign; with keyframes closer than
  that allows, faster: every GOP then still holds two analysed frames besides its keyframe,
  the pair that tells a frozen picture from a live one (`_stillness.py`; the first frames
  after a keyframe only refine its rounding);
- while the detector learns how much the frames of a GOP differ (*dense*), the frames are
  analysed `DENSE_FPS` a second, so the frames of the first GOP, which are decoded anyway
  until the keyframe interval is known, are enough to learn it;
- with keyframes further apart than `SPARSE_KEYFRAME_GAP_S` (or before the gap is known) the
  P-frames are decoded always and analysed `SPARSE_FPS` a second, so the view is never
  unseen for long; except while the normal view is being learnt and the gap is not known yet:
  nothing is judged then, so once the dense frames are learnt the rest of the first GOP is
  not decoded (with 2-s GOPs none of it would be analysed before the next keyframe anyway;
  a camera whose gap turns out long is filled from its second keyframe on);
- once a P-frame is skipped, none is decoded until the next keyframe (it would be garbage).

Most of the time a camera costs one keyframe decode per GOP; a camera being tampered with
costs a few decodes a second, for a few seconds.
"""

from __future__ import annotations

ATTENTIVE_FPS = 2.0
# Analysed frames besides the keyframe in each GOP while attentive (see above).
ATTENTIVE_FRAMES_PER_GOP = 2
DENSE_FPS = 4.0
SPARSE_KEYFRAME_GAP_S = 2.5
SPARSE_FPS = 1.0
# Frame times jitter (15 fps is not a divisor of 0.5 s): a frame this close to due is due.
TOLERANCE_S = 0.02


class SamplingPolicy:
    """Feed it each packet's time and keyframe flag in stream order; it says what to do."""

    def __init__(self) -> None:
        self._last_keyframe_t: float | None = None
        self.keyframe_gap_s: float | None = None
        """The last interval between keyframes; None until two were seen."""
        self._chain = False
        self._attentive = False
        self._dense = False
        self._learning = False
        self._last_analysed_t: float | None = None

    @property
    def sparse(self) -> bool:
        return self.keyframe_gap_s is None or self.keyframe_gap_s > SPARSE_KEYFRAME_GAP_S

    @property
    def attentive(self) -> bool:
        return self._attentive

    def decode(self, t: float, keyframe: bool) -> bool:
        """Whether to decode this packet (the decoder then has every packet it needs)."""
        if keyframe:
            if self._last_keyframe_t is not None and t > self._last_keyframe_t:
                self.keyframe_gap_s = t - self._last_keyframe_t
            self._last_keyframe_t = t
            self._chain = True
            return True
        if self._chain and (self._attentive or self._fills_between_keyframes):
            return True
        self._chain = False
        return False

    @property
    def waiting_for_keyframe(self) -> bool:
        """A P-frame was skipped (or the stream broke): until the next keyframe nothing is
        decoded, whatever the detectors say (nothing is analysed to change their minds)."""
        return not self._chain

    @property
    def _fills_between_keyframes(self) -> bool:
        """P-frames are decoded to see the view between sparse keyframes; while learning, only
        once the keyframes are known to be sparse (see the module's docstring)."""
        if self.keyframe_gap_s is None:
            return not self._learning
        return self.sparse

    def analyse(self, t: float, keyframe: bool) -> bool:
        """Whether to analyse the picture decoded from this packet."""
        if not keyframe:
            interval = 1.0 / self._analysed_fps()
            if self._last_analysed_t is not None and t - self._last_analysed_t < (
                interval - TOLERANCE_S
            ):
                return False
        self._last_analysed_t = t
        return True

    def _analysed_fps(self) -> float:
        if self._dense:
            return DENSE_FPS
        if not self._attentive:
            return SPARSE_FPS
        if self.keyframe_gap_s is None:
            return ATTENTIVE_FPS
        # Two frames strictly between keyframes: one more interval than frames.
        return max(ATTENTIVE_FPS, (ATTENTIVE_FRAMES_PER_GOP + 1) / self.keyframe_gap_s)

    def attend(self, attentive: bool, *, dense: bool = False, learning: bool = False) -> None:
        """After each analysed picture: whether some detector is deciding, whether it is
        learning from the frames of a GOP (`dense`, which implies attentive), and whether the
        normal view is still being learnt (nothing judged yet)."""
        self._attentive = attentive or dense
        self._dense = dense
        self._learning = learning

    def broken(self) -> None:
        """Packets were lost or failed to decode: wait for the next keyframe."""
        self._chain = False
