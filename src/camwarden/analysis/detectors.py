"""Tamper detection per camera: a state machine fed timed grey frames.

It learns the normal view for `learn_s` seconds (the median picture, and the median contrast,
sharpness and frame-to-frame noise), then compares every frame with that reference, which
keeps adapting slowly while the view is normal (daylight drifts over hours, the reference
follows in minutes). Each kind has a condition with two thresholds (start strict, end lenient)
and a persistence in seconds, so a person walking past the lens (1-2 s) or a light switched
on or off (a short dark or bright transition, then the same structure) raises nothing, while a
real tampering is raised about `START_S` after its onset, plus the gap between frames.

Kinds exclude each other from the top down, so one cause raises one kind: a black picture is
`too_dark` (we cannot tell a black cloth from darkness; both need someone to look), a flat
grey one `covered`, a picture with contrast but no fine detail `defocused`, a sharp picture
whose edges are elsewhere `moved`. `frozen` is an identical picture while frames keep coming;
`signal_loss` is frames not coming at all.

Masked cells (`DetectorSettings.mask`) are left out of every measure. The camera's tamper
sensitivity scales the start thresholds (see `sensitivity.py`); the end thresholds keep their
distance from the start ones, so the hysteresis is the same at every sensitivity.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from camwarden.analysis._measures import (
    FrameMeasures,
    Regions,
    around_the_centre,
    correlation,
    edge_map,
    kept_detail,
    kept_still,
    laplacian,
    layout,
    measure,
    structured_share,
    tile_correlation_grid,
    typical_difference,
)
from camwarden.analysis._stillness import Stillness
from camwarden.analysis.events import Event, EventKind, Persistence
from camwarden.analysis.frames import AnalysisFrame, GreyImage
from camwarden.analysis.mask import KeepImage, keep_pixels
from camwarden.analysis.sensitivity import TAMPER_FACTORS, Sensitivity

# -- Thresholds -------------------------------------------------------------------------------
# Persistence: longer than a person passing close to the lens or a light/IR switch (1-2 s),
# short enough that onset + START_S + one keyframe interval (1 s) stays within 5 s.
START_S = 2.5
# The view must be back for this long before an event ends; a covering hand that lifts for
# a moment does not end and restart the event.
END_S = 2.0
# too_dark / too_bright: most of the picture crushed or clipped, not merely dim or bright.
# Lights dimmed to 60 % keep their structure and never reach 90 % crushed pixels.
DARK_MEAN = 28.0
DARK_FRACTION = 0.9
BRIGHT_MEAN = 220.0
BRIGHT_FRACTION = 0.8
CLIPPED_END_FRACTION = 0.6
# Also too_dark: a dark picture (bottom quarter of the range) that lost four fifths of its
# reference's light, the weak end of a taped lens (a tenth of the light on a lifted black level
# leaves a bright office's windows above the crushed level). Ordinary life never takes that
# much within the reference's time constant: a room's lights switched off leave its windows or
# the corridor's lights (a third and more), daylight changes over hours and the reference
# follows it. It ends at a third of the light.
DIM_MEAN = 64.0
LIGHT_LOST_RATIO = 0.2
LIGHT_BACK_RATIO = 1.0 / 3.0
# covered: contrast (std/mean, gain-invariant, so a lighting change does not count) fallen
# to a third of the reference; a hand or cloth on the lens leaves a nearly flat picture.
COVERED_CONTRAST_RATIO = 0.35
COVERED_END_CONTRAST_RATIO = 0.55
# A lens covered in a plain scene (a grey corridor), or covered but for a strip, keeps some
# contrast from the cloth's shading or the strip. So covered is also: the edges (relative to
# the mean, gain-invariant) fallen to a third of the reference's. Either way the reference
# view must be gone (edge correlation under MOVED_CORRELATION): a view that still matches its
# reference is not covered, however its contrast compares with a reference learnt while
# people filled the picture. A strip of the view left beside the cloth keeps the correlation
# near 0.35; with the edges fallen to a third, under MOVED_END_CORRELATION is enough (as for
# moved: a picture that lost most of its edges and most of its view is not the view).
COVERED_DETAIL_RATIO = 0.35
# A covered lens ends when the view is back (edge correlation over MOVED_END_CORRELATION), or
# when both its contrast and its edges are back; contrast alone comes back with the shading of
# a cloth held a little further off, while the view's edges stay gone.
COVERED_END_DETAIL_RATIO = 0.55
# A cloth near the lens is out of focus: it leaves no structure at the layout's scale (40-px
# blocks) but its smooth shading, except in a strip of the view left beside it along one side.
# Its boundary with that strip, a strong step across the picture, keeps the contrast and edges
# over a third (seed 1's covered-8: 0.39 and 0.37, raised as moved), and a dark cloth's grain
# brings edges and contrast back relative to its mean, not structure spread over the picture.
# A view keeps structure in most of the picture, moved or blurred. So covered is also: the
# view gone (similarity under MOVED_CORRELATION) and its structure left in at most one row or
# column of the 4x4 grid (`structured_share`): the strip. Seed 1's cloths: 0-0.25; moved
# views 0.44-1, defocused 0.5-1, normal footage with the view gone (people close) 0.44 at
# least. Such a picture does not end a covered lens by its contrast and edges either.
COVERED_STRIP_SHARE = 0.25
# defocused: fine detail under 40 % of the reference while the contrast is still there (else
# it is covered). Fine detail is the frame's own (|Laplacian| at half size relative to
# contrast: only a strong blur takes it that low, sensor noise keeps it up) or, while the
# reference view is still there (edge correlation above MOVED_END_CORRELATION, the same bar
# as "the view is back"), the reference's fine detail still found in the frame
# (`kept_detail`: noise adds nothing to it, a 3-px defocus at 720p takes it under a half).
# A moved camera loses the reference's detail too, but not its own, and not at that
# similarity. Once a defocus is being decided the lenient MOVED_CORRELATION is enough.
# People standing in the real corridor hide the reference's detail too, but bring their own:
# the frame's own sharpness must also have fallen (below DEFOCUS_OWN_SHARPNESS_RATIO), which a
# blur always does, however much noise keeps it up.
DEFOCUS_SHARPNESS_RATIO = 0.4
DEFOCUS_OWN_SHARPNESS_RATIO = 0.8
DEFOCUS_END_SHARPNESS_RATIO = 0.6
DEFOCUS_MIN_CONTRAST_RATIO = 0.5
# moved: the edge map correlates poorly with the reference view. People in the corridor
# sample keep it above 0.6; a 20 % shift or a turn takes it near 0.
MOVED_CORRELATION = 0.3
MOVED_END_CORRELATION = 0.5
# A moved camera sees a steady new view; a person walking close to the lens changes the view
# from one analysed frame to the next. Moved is decided only on a frame whose edges correlate
# with the frame before at least this much, as a whole or in MOVED_STEADY_RING_SHARE of the
# outer ring's tiles (`kept_still`), so a camera still moving waits until it stopped. An
# unsteady frame (a person crossing the new view) only puts the decision off: it is no sign
# of the view coming back. On seed 1's corridor clips, frames 0.47 s apart, people took the
# whole correlation under the bar in 5 % of pairs, 2.7 % with the ring's half, while a camera
# turning 3 degrees or shifting 1 % of the width per step was taken as steady hardly more
# often (78 -> 80 %, 89 -> 95 %): a slow turn or push already passed the whole bar.
MOVED_STEADY_CORRELATION = 0.5
MOVED_STEADY_RING_SHARE = 0.5
# A moved camera sees none of its reference view where the move takes it; a person standing
# close to the lens (the real corridor seen closer) hides much of the view, steadily, but not
# all. So moved needs the reference lost (correlation under MOVED_END_CORRELATION) in every
# tile of the outer ring of a 4x4 grid: a shift moves every tile, a turn about the centre
# moves the ring most (by the radius times the angle) and may leave the central tiles near
# their reference, and one body never hides a ring while leaving its middle. With the ring
# lost, the whole picture's correlation need only be under MOVED_END_CORRELATION: long edges
# along a shift (an office's shelves) keep it near 0.4 when every tile has lost its own.
# frozen: successive frames differing by less than a third of the camera's own quietest
# differences (10th percentile while learning): a live sensor is never that still (the corridor
# sample's quietest keyframe pairs differ by 0.7 grey levels at 320x180). A frozen camera
# repeats the same picture; re-encoding it still moves keyframes by up to ~1 level. The cap
# keeps a learning period full of motion from making the limit loose.
FROZEN_NOISE_FRACTION = 0.35
FROZEN_MAX_DIFFERENCE = 1.5
FROZEN_NOISE_PERCENTILE = 10
# Where the stream carries sensor noise (`_stillness.py`), a keyframe pair quieter than this
# share of the learnt keyframe differences is worth checking on the frames of the GOP, and a
# frame differing from the one before by less than FROZEN_FRAME_FRACTION of the quietest learnt
# such difference is still: a live sensor's frames never get twice as quiet as its quietest.
FROZEN_SUSPECT_FRACTION = 0.8
FROZEN_FRAME_FRACTION = 0.5
# Two identical pictures 2 s apart already mean 2 s of a picture no live sensor gives, and
# nothing ordinary (a person, a light) makes pictures identical, so 2 s is enough; START_S
# would need a third keyframe and 6 s with 2-s GOPs.
FROZEN_START_S = 2.0
# Within this factor of the reference's light the learnt noise is the picture's (see `feed`):
# at half the light a gain leaves half the noise, which the frames' rule takes for still.
FROZEN_LIGHT_RATIO = 2.0
# signal_loss: no frame for this long (the recorder's own reconnect takes longer).
SIGNAL_LOSS_GAP_S = 5.0
# The reference follows the view with this time constant while nothing is pending.
REFERENCE_TIME_CONSTANT_S = 300.0
# Frames kept to compute the learnt median picture (evenly spread).
LEARN_MAX_FRAMES = 60
# Frames learnt from at most this often: the first GOP is analysed densely to learn the noise
# of its frames (`sampling.py`), and must not weigh more in the normal view than the rest.
LEARN_MIN_SPACING_S = 0.5


# An analysed frame kept for comparing with the next: its time, picture and block means.
_Seen = tuple[float, GreyImage, GreyImage]


@dataclass(frozen=True)
class DetectorSettings:
    learn_s: float = 20.0
    """Seconds at the start used to learn the normal view; no tamper events before."""
    mask: str = ""
    """Cells ignored by every detector (`mask.py`): "" or 144 '0'/'1', '1' = ignored."""
    tamper_sensitivity: Sensitivity = "normal"
    motion_sensitivity: Sensitivity = "normal"


@dataclass(frozen=True)
class Thresholds:
    """The start/end thresholds at one tamper sensitivity (see the block above)."""

    dark_fraction: float
    bright_fraction: float
    covered: float
    covered_end: float
    defocus: float
    defocus_end: float
    moved: float
    moved_end: float
    frozen_noise_fraction: float
    frozen_frame_fraction: float

    @classmethod
    def at(cls, sensitivity: Sensitivity) -> Thresholds:
        factor = TAMPER_FACTORS[sensitivity]
        covered = COVERED_CONTRAST_RATIO * factor
        defocus = DEFOCUS_SHARPNESS_RATIO * factor
        moved = MOVED_CORRELATION * factor
        return cls(
            dark_fraction=1.0 - (1.0 - DARK_FRACTION) * factor,
            bright_fraction=1.0 - (1.0 - BRIGHT_FRACTION) * factor,
            covered=covered,
            covered_end=covered + COVERED_END_CONTRAST_RATIO - COVERED_CONTRAST_RATIO,
            defocus=defocus,
            defocus_end=defocus + DEFOCUS_END_SHARPNESS_RATIO - DEFOCUS_SHARPNESS_RATIO,
            moved=moved,
            moved_end=moved + MOVED_END_CORRELATION - MOVED_CORRELATION,
            frozen_noise_fraction=FROZEN_NOISE_FRACTION * factor,
            frozen_frame_fraction=FROZEN_FRAME_FRACTION * factor,
        )


@dataclass
class _Reference:
    edges: GreyImage
    contrast: float
    sharpness: float
    fine: GreyImage
    """The reference view's Laplacian (`FrameMeasures.fine`) and layout, for `kept_detail`."""
    coarse: GreyImage
    mean: float
    """Mean luminance: the light the view was learnt at."""
    detail: float = 1.0
    """Mean edge strength relative to the mean luminance (`_detail`)."""


@dataclass(frozen=True)
class _Differences:
    """A picture compared with the one before (`TamperDetector.feed`), for `frozen`."""

    key: float | None
    """A keyframe's typical difference with the keyframe before."""
    key_limit: float
    """Under it two keyframes are still."""
    frame: float | None
    """A frame's with the frame analysed before it in the same GOP."""
    frame_limit: float


class TamperDetector:
    """One camera's tamper state: feed frames in time order, get start/end events."""

    def __init__(self, settings: DetectorSettings | None = None) -> None:
        self.settings = settings or DetectorSettings()
        self._thresholds = Thresholds.at(self.settings.tamper_sensitivity)
        self._regions: Regions | None = None
        self._regions_for: tuple[str, tuple[int, ...]] | None = None
        self._previous_key: _Seen | None = None
        self._stillness = Stillness()
        self._learning: list[tuple[GreyImage, FrameMeasures]] = []
        self._learnt_t: float | None = None
        self._reference: _Reference | None = None
        self._previous: _Seen | None = None
        self._previous_was_key = False
        self._previous_edges: GreyImage | None = None
        # The frames of the current GOP analysed while their noise is learnt (`_stillness.py`).
        self._gop_frames: list[_Seen] = []
        self._start_t: float | None = None
        self._adapted_t: float | None = None
        self._kinds: dict[EventKind, Persistence] = {
            kind: Persistence(kind, start_s=START_S, end_s=END_S)
            for kind in ("too_dark", "too_bright", "covered", "defocused", "moved", "frozen")
        }
        self._kinds["frozen"].start_s = FROZEN_START_S
        self._kinds["frozen"].end_s = 0.0

    @property
    def learning(self) -> bool:
        return self._reference is None

    @property
    def attentive(self) -> bool:
        """Some condition (or the end of an active one) is seen but not yet decided: the
        frames between keyframes are worth analysing now (also to learn how much they differ
        from each other, and to check a suspected freeze)."""
        return any(p.pending for p in self._kinds.values()) or self._stillness.wants_frames

    @property
    def dense(self) -> bool:
        """Learning how much the frames of a GOP differ: as many of them as the first GOP
        gives are worth analysing (`sampling.py`)."""
        return self._stillness.learning_frames

    @property
    def active(self) -> bool:
        return any(p.active for p in self._kinds.values())

    def set_sensitivity(self, sensitivity: Sensitivity) -> None:
        """Takes effect at the next frame; what was learnt stays."""
        self.settings = DetectorSettings(
            learn_s=self.settings.learn_s,
            mask=self.settings.mask,
            tamper_sensitivity=sensitivity,
            motion_sensitivity=self.settings.motion_sensitivity,
        )
        self._thresholds = Thresholds.at(sensitivity)

    def regions(self, shape: tuple[int, ...]) -> Regions | None:
        """The unmasked regions for pictures of `shape`, made once per mask and size."""
        key = (self.settings.mask, shape)
        if self._regions_for != key:
            keep = keep_pixels(self.settings.mask, shape[1], shape[0])
            self._regions = None if keep is None else Regions.of(keep)
            self._regions_for = key
        return self._regions

    def feed(self, frame: AnalysisFrame) -> list[Event]:
        events: list[Event] = []
        if self._start_t is None:
            self._start_t = frame.t
        regions = self.regions(frame.grey.shape)
        measures = measure(frame.grey, regions)
        seen = (frame.t, frame.grey, measures.blocks)
        previous, self._previous = self._previous, seen
        previous_was_key, self._previous_was_key = self._previous_was_key, frame.keyframe
        if previous is not None and frame.t - previous[0] >= SIGNAL_LOSS_GAP_S:
            lost_at = previous[0] + SIGNAL_LOSS_GAP_S
            gap = frame.t - previous[0]
            events.append(Event(lost_at, "signal_loss", "start", gap, previous[0]))
            events.append(Event(frame.t, "signal_loss", "end", gap, frame.t))
        # Keyframes are compared with the keyframe before, the frames between with the frame
        # analysed before them in the same GOP (`_stillness.py`), unless that was the keyframe:
        # the first frames after a keyframe refine its rounding, frozen or not.
        keep = None if regions is None else regions.full
        key_difference: float | None = None
        frame_difference: float | None = None
        previous_key_t = 0.0
        if frame.keyframe:
            previous_key, self._previous_key = self._previous_key, seen
            self._gop_frames = []
            if previous_key is not None:
                previous_key_t = previous_key[0]
                key_difference = _difference(seen, previous_key, keep)
        elif previous is not None and not previous_was_key:
            frame_difference = _difference(seen, previous, keep)
        if self._reference is None:
            self._stillness.learn(
                key_difference, frame_difference, self._spaced(seen, frame.keyframe, keep)
            )
            self._learn(frame, measures)
            return events
        # The noise was learnt at the reference's light, and a picture's noise changes with its
        # light (a gain applied to the noisy signal scales it; the encoder rounds faint noise
        # away): a live room dimmed to a fifth had keyframes, and one dimmed to a third frames,
        # quieter than the limits learnt at full light. So a darker picture's keyframes must be
        # quieter in proportion, and away from the learnt light only keyframes prove stillness.
        light = (measures.mean + 1.0) / (self._reference.mean + 1.0)
        noise_known = 1.0 / FROZEN_LIGHT_RATIO <= light <= FROZEN_LIGHT_RATIO
        limits = self._thresholds
        noise = self._stillness.key_noise
        still_limit = min(1.0, light) * min(
            FROZEN_MAX_DIFFERENCE, limits.frozen_noise_fraction * noise
        )
        if key_difference is not None:
            self._stillness.keyframes(
                previous_key_t,
                key_difference,
                strict=still_limit,
                suspect=FROZEN_SUSPECT_FRACTION * noise if noise_known else 0.0,
            )
        frame_limit = 0.0
        if frame_difference is not None and previous is not None and noise_known:
            spacing = frame.t - previous[0]
            frame_limit = limits.frozen_frame_fraction * self._stillness.chain_noise_at(spacing)
            self._stillness.frames(previous[0], frame_difference, frame_limit)
        frame_told = frame_difference if noise_known else None
        judged = _Differences(key_difference, still_limit, frame_told, frame_limit)
        events.extend(self._judge(frame.t, measures, judged, regions))
        return events

    def _spaced(
        self, seen: _Seen, keyframe: bool, keep: KeepImage | None
    ) -> list[tuple[float, float]]:
        """While the frames' noise is learnt: this frame's (spacing, difference) with each
        frame of its GOP analysed before it (not the keyframe: see `feed`)."""
        if keyframe or not self._stillness.learning_frames:
            return []
        spaced = [
            (seen[0] - earlier[0], difference)
            for earlier in self._gop_frames
            if (difference := _difference(seen, earlier, keep)) is not None
        ]
        self._gop_frames.append(seen)
        return spaced

    def _learn(self, frame: AnalysisFrame, measures: FrameMeasures) -> None:
        assert self._start_t is not None
        if self._learnt_t is None or frame.t - self._learnt_t >= LEARN_MIN_SPACING_S - 0.02:
            self._learning.append((frame.grey, measures))
            self._learnt_t = frame.t
        if len(self._learning) > LEARN_MAX_FRAMES:
            self._learning = self._learning[::2]
        if frame.t - self._start_t < self.settings.learn_s:
            return
        # A crushed or clipped picture (lens taped, lights out, the IR switch's blink) shows no
        # view: the view is learnt from the others, if any.
        limits = self._thresholds
        exposed = [
            (grey, m)
            for grey, m in self._learning
            if m.dark_fraction < limits.dark_fraction and m.bright_fraction < limits.bright_fraction
        ]
        self._learning = exposed or self._learning
        median = np.median(np.stack([grey for grey, _ in self._learning]), axis=0).astype(
            np.float32
        )
        regions = self.regions(frame.grey.shape)
        fine = laplacian(median)
        if regions is not None:
            fine = np.where(regions.fine, fine, 0.0).astype(np.float32)
        self._reference = _Reference(
            edges=edge_map(median),
            fine=fine,
            coarse=layout(median, None if regions is None else regions.coarse),
            mean=float(np.median([m.mean for _, m in self._learning])),
            contrast=float(np.median([m.contrast for _, m in self._learning])),
            sharpness=float(np.median([m.sharpness for _, m in self._learning])),
            detail=float(np.median([_detail(m, regions) for _, m in self._learning])),
        )
        self._learning = []
        self._stillness.finish_learning(FROZEN_NOISE_PERCENTILE)

    def _judge(
        self,
        t: float,
        m: FrameMeasures,
        differences: _Differences,
        regions: Regions | None,
    ) -> list[Event]:
        ref = self._reference
        assert ref is not None
        limits = self._thresholds
        contrast = m.contrast / max(ref.contrast, 1e-3)
        sharpness = m.sharpness / max(ref.sharpness, 1e-3)
        keep_edges = None if regions is None else regions.edges
        similarity = correlation(m.edges, ref.edges, keep_edges)
        detail = _detail(m, regions) / max(ref.detail, 1e-3)
        previous_edges, self._previous_edges = self._previous_edges, m.edges
        steady = (
            previous_edges is None
            or not self._kinds["moved"].pending
            or self._kinds["moved"].active
            or kept_still(
                m.edges,
                previous_edges,
                keep_edges,
                bar=MOVED_STEADY_CORRELATION,
                ring_share=MOVED_STEADY_RING_SHARE,
            )
        )
        light = (m.mean + 1.0) / (ref.mean + 1.0)
        dark = (m.mean < DARK_MEAN and m.dark_fraction >= limits.dark_fraction) or (
            m.mean < DIM_MEAN and light < LIGHT_LOST_RATIO
        )
        bright = m.mean > BRIGHT_MEAN and m.bright_fraction >= limits.bright_fraction
        clipped = dark or bright
        in_a_strip = (
            not clipped
            and similarity < limits.moved
            and structured_share(
                m.coarse, m.mean, ref.coarse, ref.mean, None if regions is None else regions.coarse
            )
            <= COVERED_STRIP_SHARE
        )
        flat = in_a_strip or (
            not clipped
            and (contrast < limits.covered or detail < COVERED_DETAIL_RATIO)
            and (
                similarity < limits.moved
                or (similarity < limits.moved_end and detail < COVERED_DETAIL_RATIO)
            )
        )
        # The reference must be clearly there to start judging its detail; once a defocus is
        # being decided, a person walking through (a dip in similarity) does not stop it.
        # There by its edges, or by its layout (40-px blocks at 720p, larger than any blur): a
        # strong defocus smooths the edges the edge correlation compares, so on a view whose
        # edges already matched only loosely (people filling the close corridor) it took the
        # similarity under the bar and the defocus was never judged. A moved camera changes
        # the layout, and its own sharpness does not fall.
        deciding = self._kinds["defocused"].pending or self._kinds["defocused"].active
        there_bar = limits.moved if deciding else limits.moved_end
        # Only needed when the frame's own detail fell too, or to end a defocus (it costs as
        # much as every other measure of the frame together).
        needed = deciding or sharpness < DEFOCUS_OWN_SHARPNESS_RATIO
        view_there = needed and (
            similarity >= there_bar
            or correlation(m.coarse, ref.coarse, None if regions is None else regions.coarse)
            >= there_bar
        )
        kept = kept_detail(m, ref.fine, ref.coarse) if view_there else 1.0
        blurred = (
            not clipped
            and not flat
            and contrast >= DEFOCUS_MIN_CONTRAST_RATIO
            and (
                sharpness < limits.defocus
                or (kept < limits.defocus and sharpness < DEFOCUS_OWN_SHARPNESS_RATIO)
            )
        )
        shifted = (
            not clipped
            and not flat
            and not blurred
            and similarity < limits.moved_end
            and max(around_the_centre(tile_correlation_grid(m.edges, ref.edges, keep_edges)))
            < limits.moved_end
        )
        stillness = self._stillness
        key_difference, still_limit = differences.key, differences.key_limit
        frame_difference, frame_limit = differences.frame, differences.frame_limit
        # A frozen camera repeats a picture it took: its view. A still picture where the view is
        # gone (a cloth, a bag: they do not move either) is not frozen but whatever hides it.
        # Gone is the bar `moved` starts at: people filling the real corridor, or the heavy
        # noise of a night, keep a live (or frozen) view under "back" (MOVED_END_CORRELATION).
        still = stillness.still and not clipped and not flat and similarity >= limits.moved
        # The picture moves again: keyframes clearly apart, or (where they tell) GOP frames.
        # (Clearly apart by the limit learnt at the reference's light, not the dimmed proof.)
        learnt_limit = min(
            FROZEN_MAX_DIFFERENCE, limits.frozen_noise_fraction * stillness.key_noise
        )
        moving = (key_difference is not None and key_difference >= 2.0 * learnt_limit) or (
            frame_difference is not None
            and stillness.frames_tell
            and frame_difference >= 2.0 * frame_limit
        )
        events = [
            self._update(
                "too_dark",
                t,
                dark,
                m.dark_fraction < CLIPPED_END_FRACTION and light > LIGHT_BACK_RATIO,
                max(m.dark_fraction, 1.0 - light),
            ),
            self._update(
                "too_bright", t, bright, m.bright_fraction < CLIPPED_END_FRACTION, m.bright_fraction
            ),
            self._update(
                "covered",
                t,
                flat,
                similarity > limits.moved_end
                or (
                    contrast > limits.covered_end
                    and detail > COVERED_END_DETAIL_RATIO
                    and not in_a_strip
                ),
                1.0 - min(contrast, 1.0),
            ),
            self._update(
                "defocused",
                t,
                blurred,
                sharpness > limits.defocus_end and kept > limits.defocus_end,
                1.0 - min(sharpness, kept, 1.0),
            ),
            self._update(
                "moved",
                t,
                shifted,
                similarity > limits.moved_end,
                1.0 - max(similarity, 0.0),
                ready=steady,
            ),
        ]
        if key_difference is not None or frame_difference is not None:
            difference, limit = (
                (key_difference, still_limit)
                if key_difference is not None
                else (frame_difference, frame_limit)
            )
            assert difference is not None
            events.append(
                self._update(
                    "frozen",
                    t,
                    still,
                    moving,
                    1.0 - difference / max(limit, 1e-6),
                    since=stillness.since,
                )
            )
        if not any(p.active or p.pending for p in self._kinds.values()):
            self._adapt(t, m)
        else:
            self._adapted_t = None
        return [event for event in events if event is not None]

    def _update(
        self,
        kind: EventKind,
        t: float,
        on: bool,
        off: bool,
        score: float,
        since: float | None = None,
        ready: bool = True,
    ) -> Event | None:
        return self._kinds[kind].update(
            t, on=on, off=off, score=max(0.0, min(score, 1.0)), since=since, ready=ready
        )

    def _adapt(self, t: float, m: FrameMeasures) -> None:
        """Follow slow changes of a normal view (daylight, a moved chair), over minutes."""
        ref = self._reference
        assert ref is not None
        elapsed = t - (self._adapted_t if self._adapted_t is not None else t)
        self._adapted_t = t
        alpha = min(1.0, max(elapsed, 0.0) / REFERENCE_TIME_CONSTANT_S)
        ref.edges = (1.0 - alpha) * ref.edges + alpha * m.edges
        ref.fine = (1.0 - alpha) * ref.fine + alpha * m.fine
        ref.coarse = (1.0 - alpha) * ref.coarse + alpha * m.coarse
        ref.contrast = (1.0 - alpha) * ref.contrast + alpha * m.contrast
        ref.mean = (1.0 - alpha) * ref.mean + alpha * m.mean
        ref.sharpness = (1.0 - alpha) * ref.sharpness + alpha * m.sharpness
        ref.detail = (1.0 - alpha) * ref.detail + alpha * _detail(m, self._regions)


def _difference(a: _Seen, b: _Seen, keep: KeepImage | None) -> float | None:
    """`typical_difference` of two analysed frames, with the block means each already has."""
    return typical_difference(a[1], b[1], keep, means=(a[2], b[2]))


def _detail(m: FrameMeasures, regions: Regions | None) -> float:
    """Mean edge strength over the mean luminance: unchanged by a global gain, near 0 when
    nothing in the picture has an edge."""
    edges = m.edges if regions is None else m.edges[regions.edges]
    return float(edges.mean()) / (m.mean + 1.0)
