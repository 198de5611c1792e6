"""Tamper detection per camera: a state machine fed timed grey frames.

It learns the normal view for `learn_s` seconds (the median picture, and the median contrast,
sharpness and frame-to-frame noise; and the views at the learning's start and end, for someone
who stood through it: `_reference.LearntViews`), then compares every frame with that
reference, which keeps adapting slowly while the view is normal (daylight drifts over hours,
the reference follows in minutes). Each kind has a condition with two thresholds (start
strict, end lenient) and a persistence in seconds, so a person walking past the lens (1-2 s)
or a light switched on or off (a short dark or bright transition, then the same structure)
raises nothing, while a real tampering is raised about `START_S` after its onset, plus the
gap between frames.

Kinds exclude each other from the top down, so one cause raises one kind: a black picture is
`too_dark` (we cannot tell a black cloth from darkness; both need someone to look), a flat
grey one `covered`, a picture with contrast but no fine detail `defocused`, a sharp picture
whose edges are elsewhere `moved`. `frozen` is an identical picture while frames keep coming;
`signal_loss` is frames not coming at all.

Masked cells (`DetectorSettings.mask`) are left out of every measure. The camera's tamper
sensitivity scales the start thresholds (see `sensitivity.py`); the end thresholds keep their
distance from the start ones, so the hysteresis is the same at every sensitivity. The
thresholds and the reasons for their values are in `_thresholds.py`, the reference view in
`_reference.py`, the pictures compared for `frozen` in `_frozen.py` and what their
differences prove in `_stillness.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

from camwarden.analysis._comparisons import (
    around_the_centre,
    correlation,
    kept_detail,
    kept_still,
    structured_share,
    tile_correlation_grid,
    unchanged_share,
)
from camwarden.analysis._frozen import Differences, FrozenWatch
from camwarden.analysis._measures import FrameMeasures, Regions, measure
from camwarden.analysis._reference import LearntViews, Reference, detail_of
from camwarden.analysis._thresholds import (
    BRIGHT_MEAN,
    CLIPPED_END_FRACTION,
    COVERED_DETAIL_RATIO,
    COVERED_END_DETAIL_RATIO,
    COVERED_STRIP_SHARE,
    DARK_MEAN,
    DEFOCUS_INTACT_TILES,
    DEFOCUS_MAX_CONTRAST_RATIO,
    DEFOCUS_MIN_CONTRAST_RATIO,
    DEFOCUS_OWN_SHARPNESS_RATIO,
    DIM_MEAN,
    END_S,
    FROZEN_START_S,
    GLARE_MEAN,
    LEARN_MAX_FRAMES,
    LEARN_MIN_SPACING_S,
    LIGHT_BACK_RATIO,
    LIGHT_LOST_RATIO,
    MOVED_STEADY_CORRELATION,
    MOVED_STEADY_RING_SHARE,
    MOVED_UNCHANGED_SHARE,
    MOVED_UNCHANGED_TOLERANCE,
    REFERENCE_TIME_CONSTANT_S,
    SIGNAL_LOSS_GAP_S,
    START_S,
    Thresholds,
)
from camwarden.analysis.events import Event, EventKind, Persistence
from camwarden.analysis.frames import AnalysisFrame, GreyImage
from camwarden.analysis.mask import keep_pixels
from camwarden.analysis.sensitivity import Sensitivity


@dataclass(frozen=True)
class DetectorSettings:
    learn_s: float = 20.0
    """Seconds at the start used to learn the normal view; no tamper events before."""
    mask: str = ""
    """Cells ignored by every detector (`mask.py`): "" or 144 '0'/'1', '1' = ignored."""
    tamper_sensitivity: Sensitivity = "normal"
    motion_sensitivity: Sensitivity = "normal"


class TamperDetector:
    """One camera's tamper state: feed frames in time order, get start/end events."""

    def __init__(self, settings: DetectorSettings | None = None) -> None:
        self.settings = settings or DetectorSettings()
        self._thresholds = Thresholds.at(self.settings.tamper_sensitivity)
        self._regions: Regions | None = None
        self._regions_for: tuple[str, tuple[int, ...]] | None = None
        self._frozen = FrozenWatch()
        self._learning: list[tuple[GreyImage, FrameMeasures]] = []
        self._learnt_t: float | None = None
        self._views: LearntViews | None = None
        self._previous_t: float | None = None
        self._previous_edges: GreyImage | None = None
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
        return self._views is None

    @property
    def _reference(self) -> Reference | None:
        return None if self._views is None else self._views.reference

    @property
    def attentive(self) -> bool:
        """Some condition (or the end of an active one) is seen but not yet decided: the
        frames between keyframes are worth analysing now (also to learn how much they differ
        from each other, to measure it again at a new light, and to check a suspected
        freeze)."""
        return any(p.pending for p in self._kinds.values()) or self._frozen.wants_frames

    @property
    def dense(self) -> bool:
        """Learning how much the frames of a GOP differ: as many of them as the first GOP
        gives are worth analysing (`sampling.py`)."""
        return self._frozen.stillness.learning_frames

    @property
    def active(self) -> bool:
        return any(p.active for p in self._kinds.values())

    @property
    def _view_in_doubt(self) -> bool:
        """The view looks covered, defocused or moved (raised or not): time to ask whether it
        is another view the camera showed while learning. That view back also ends a raised
        one: it is the camera's own."""
        kinds = self._kinds
        return any(kinds[k].pending or kinds[k].active for k in ("covered", "defocused", "moved"))

    def shows_its_view(self, grey: GreyImage) -> bool:
        """`grey` shows a view this detector learnt (its edges correlate with it over the bar a
        view is back at); False while learning."""
        if self._views is None:
            return False
        regions = self.regions(grey.shape)
        keep = None if regions is None else regions.edges
        return self._views.shown_in(measure(grey, regions), keep, self._thresholds.moved_end)

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
        previous_t, self._previous_t = self._previous_t, frame.t
        if previous_t is not None and frame.t - previous_t >= SIGNAL_LOSS_GAP_S:
            gap = frame.t - previous_t
            events.append(
                Event(previous_t + SIGNAL_LOSS_GAP_S, "signal_loss", "start", gap, previous_t)
            )
            events.append(Event(frame.t, "signal_loss", "end", gap, frame.t))
        seen = (frame.t, frame.grey, measures.blocks)
        keep = None if regions is None else regions.full
        if self._views is None:
            self._frozen.learn(seen, frame.keyframe, keep)
            self._learn(frame, measures)
            return events
        if self._view_in_doubt:
            self._views.choose(
                measures, None if regions is None else regions.edges, self._thresholds.moved_end
            )
        light = _light(measures, self._views.reference)
        differences = self._frozen.compare(seen, frame.keyframe, keep, light, self._thresholds)
        events.extend(self._judge(frame.t, measures, light, differences, regions))
        return events

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
        self._views = LearntViews(self._learning, self.regions(frame.grey.shape))
        self._learning = []
        self._frozen.finish_learning()

    def _judge(
        self,
        t: float,
        m: FrameMeasures,
        light: float,
        differences: Differences,
        regions: Regions | None,
    ) -> list[Event]:
        """The frame's measures `m` at `light` (its share of the reference's) judged."""
        ref = self._reference
        assert ref is not None
        limits = self._thresholds
        contrast = m.contrast / max(ref.contrast, 1e-3)
        sharpness = m.sharpness / max(ref.sharpness, 1e-3)
        keep_edges = None if regions is None else regions.edges
        similarity = correlation(m.edges, ref.edges, keep_edges)
        detail = detail_of(m, regions) / max(ref.detail, 1e-3)
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
        dark = (m.mean < DARK_MEAN and m.dark_fraction >= limits.dark_fraction) or (
            m.mean < DIM_MEAN and light < LIGHT_LOST_RATIO
        )
        headroom = _headroom(m, ref)
        bright = (m.mean > BRIGHT_MEAN and m.bright_fraction >= limits.bright_fraction) or (
            m.mean > GLARE_MEAN and headroom < LIGHT_LOST_RATIO
        )
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
        detail_kept = kept_detail(m, ref.fine, ref.coarse) if view_there else None
        kept = 1.0 if detail_kept is None else detail_kept.typical
        # Part of the view keeps all its detail: someone hides the rest, the lens is sharp.
        partly_intact = detail_kept is not None and (
            detail_kept.intact_tiles >= DEFOCUS_INTACT_TILES
        )
        blurred = (
            not clipped
            and not flat
            and contrast >= DEFOCUS_MIN_CONTRAST_RATIO
            and contrast <= DEFOCUS_MAX_CONTRAST_RATIO * max(1.0, light)
            and (
                sharpness < limits.defocus
                or (
                    kept < limits.defocus
                    and sharpness < DEFOCUS_OWN_SHARPNESS_RATIO
                    and not partly_intact
                )
            )
        )
        # Most of the picture as bright as the reference, block by block: the camera has not
        # moved, whatever stands in front of the rest of it. Asked only where it can decide
        # (the view not there by its edges), not on every normal frame.
        mostly_unchanged = (
            not clipped
            and not flat
            and similarity < limits.moved_end
            and unchanged_share(
                m.blocks,
                ref.blocks,
                None if regions is None else regions.coarse,
                tolerance=MOVED_UNCHANGED_TOLERANCE,
            )
            >= MOVED_UNCHANGED_SHARE
        )
        shifted = (
            not clipped
            and not flat
            and not blurred
            and similarity < limits.moved_end
            and max(around_the_centre(tile_correlation_grid(m.edges, ref.edges, keep_edges)))
            < limits.moved_end
            and not mostly_unchanged
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
                "too_bright",
                t,
                bright,
                m.bright_fraction < CLIPPED_END_FRACTION and headroom > LIGHT_BACK_RATIO,
                max(m.bright_fraction, 1.0 - headroom),
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
                (sharpness > limits.defocus_end and kept > limits.defocus_end)
                or (partly_intact and sharpness >= limits.defocus),
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
        # The view is shown (not hidden, whatever stands still) down to the bar `moved` starts
        # at: people filling the real corridor, or the heavy noise of a night, keep a live (or
        # frozen) view under "back" (MOVED_END_CORRELATION). Or where most of it is unchanged:
        # someone standing in front of the close corridor's table hides all its edges.
        view_shown = not clipped and not flat and (similarity >= limits.moved or mostly_unchanged)
        frozen = self._frozen.verdict(differences, view_shown, limits)
        if frozen is not None:
            events.append(
                self._update(
                    "frozen", t, frozen.still, frozen.moving, frozen.score, since=frozen.since
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
        ref.follow(m, alpha, self._regions)


def _light(m: FrameMeasures, ref: Reference) -> float:
    """The picture's light as a share of the reference's."""
    return (m.mean + 1.0) / (ref.mean + 1.0)


def _headroom(m: FrameMeasures, ref: Reference) -> float:
    """The picture's distance from white as a share of the reference's."""
    return (256.0 - m.mean) / (256.0 - ref.mean)
