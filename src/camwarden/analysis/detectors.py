"""Tamper detection per camera: a state machine fed timed grey frames.

It learns the normal view for `learn_s` seconds (the median picture, and the median contrast,
sharpness and frame-to-frame noise; and the other views it showed, at the learning's start and
end or held for a few pictures, for someone who stood through it: `_reference.LearntViews`),
then compares every frame with that reference, which keeps adapting slowly while the view is
normal (daylight drifts over hours, the reference follows in minutes). Each kind has a
condition with two thresholds (start strict, end lenient) and a persistence in seconds, so a
person walking past the lens (1-2 s) or a light switched on or off (a short dark or bright
transition, then the same structure) raises nothing, while a real tampering is raised about
`START_S` after its onset, plus the gap between frames.

Kinds exclude each other from the top down, so one cause raises one kind: a black picture is
`too_dark` (we cannot tell a black cloth from darkness; both need someone to look), a flat
grey one `covered`, a picture with contrast but no fine detail `defocused`, a sharp picture
whose edges are elsewhere `moved`; a picture held still keeps the first of these four kinds it
was judged (`_held_verdict`). `frozen` is an identical picture while frames keep coming;
`signal_loss` is frames not coming at all.

Masked cells (`DetectorSettings.mask`) are left out of every measure. The camera's tamper
sensitivity scales the start thresholds (see `sensitivity.py`); the end thresholds keep their
distance from the start ones, so the hysteresis is the same at every sensitivity. The
thresholds and the reasons for their values are in `_thresholds.py`, what a frame looks like
against the reference in `_looks.py` (each kind's condition in its own module), the reference
view in `_reference.py`, the pictures compared for `frozen` in `_frozen.py` and what their
differences prove in `_stillness.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

from camwarden.analysis._comparisons import correlation, kept_still
from camwarden.analysis._frozen import Differences, FrozenWatch
from camwarden.analysis._limits import Thresholds
from camwarden.analysis._looks import HIDDEN_VIEW_KINDS, Looks, look
from camwarden.analysis._measures import FrameMeasures, Regions, measure
from camwarden.analysis._reference import LearntViews, Reference
from camwarden.analysis._thresholds import (
    CLIPPED_END_FRACTION,
    COVERED_END_DETAIL_RATIO,
    END_S,
    FROZEN_START_S,
    LEARN_MAX_FRAMES,
    LEARN_MIN_SPACING_S,
    LIGHT_BACK_RATIO,
    MOVED_STEADY_CORRELATION,
    MOVED_STEADY_RING_SHARE,
    REFERENCE_TIME_CONSTANT_S,
    SAME_PICTURE_CORRELATION,
    SIGNAL_LOSS_GAP_S,
    START_S,
)
from camwarden.analysis._view_comparison import light_of
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
        # The last picture looked covered but kept the view's lines and blocks
        # (`CoverLook.uncovered`).
        self._looked_covered = False
        self._start_t: float | None = None
        self._adapted_t: float | None = None
        # The mean and sharpness of the last picture judged normal: the light a tampering took
        # away from, and the fine detail a blur took.
        self._normal_mean: float | None = None
        self._normal_sharpness: float | None = None
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
        """The view looks covered, defocused or moved (raised or not), or looked covered though
        it is not: time to ask whether it is another view the camera showed while learning.
        That view back also ends a raised one: it is the camera's own."""
        kinds = self._kinds
        return self._looked_covered or any(
            kinds[k].pending or kinds[k].active for k in ("covered", "defocused", "moved")
        )

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
        in_doubt = self._view_in_doubt
        if in_doubt:
            self._views.choose(
                measures, None if regions is None else regions.edges, self._thresholds.moved_end
            )
        light = light_of(measures, self._views.reference)
        differences = self._frozen.compare(
            seen, frame.keyframe, keep, light, self._thresholds, as_learnt=not in_doubt
        )
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
        kinds = self._kinds
        looks = look(
            m,
            ref,
            light,
            limits,
            regions,
            defocus_deciding=kinds["defocused"].pending or kinds["defocused"].active,
            normal_mean=self._normal_mean,
            normal_sharpness=self._normal_sharpness,
        )
        previous_edges, self._previous_edges = self._previous_edges, m.edges
        self._looked_covered = looks.cover.uncovered
        looks = self._held_verdict(looks, m.edges, previous_edges, regions)
        steady = (
            previous_edges is None
            or not kinds["moved"].pending
            or kinds["moved"].active
            or kept_still(
                m.edges,
                previous_edges,
                None if regions is None else regions.edges,
                bar=MOVED_STEADY_CORRELATION,
                ring_share=MOVED_STEADY_RING_SHARE,
            )
        )
        # A taped lens lets through as much as the lesser of its light and its amplitude say.
        let_through = min(light, looks.amplitude)
        events = [
            self._update(
                "too_dark",
                t,
                looks.dark,
                m.dark_fraction < CLIPPED_END_FRACTION and let_through > LIGHT_BACK_RATIO,
                max(m.dark_fraction, 1.0 - let_through),
            ),
            self._update(
                "too_bright",
                t,
                looks.bright,
                m.bright_fraction < CLIPPED_END_FRACTION and looks.headroom > LIGHT_BACK_RATIO,
                max(m.bright_fraction, 1.0 - looks.headroom),
            ),
            self._update(
                "covered",
                t,
                looks.flat,
                (looks.similarity > limits.moved_end and not looks.cover.in_a_strip)
                or (
                    looks.contrast > limits.covered_end
                    and looks.detail > COVERED_END_DETAIL_RATIO
                    and not looks.cloth_shaped
                )
                or looks.cover.uncovered,
                1.0 - min(looks.contrast, 1.0),
            ),
            self._update(
                "defocused",
                t,
                looks.blur.blurred,
                (looks.sharpness > limits.defocus_end and looks.blur.kept > limits.defocus_end_kept)
                or (looks.blur.partly_intact and looks.sharpness >= limits.defocus)
                or looks.blur.in_focus,
                1.0 - min(looks.sharpness, looks.blur.kept, 1.0),
            ),
            self._update(
                "moved",
                t,
                looks.shifted,
                looks.similarity > limits.moved_end,
                1.0 - max(looks.similarity, 0.0),
                ready=steady,
            ),
        ]
        frozen = self._frozen.verdict(differences, looks.view_shown)
        if frozen is not None:
            events.append(
                self._update(
                    "frozen", t, frozen.still, frozen.moving, frozen.score, since=frozen.since
                )
            )
        if not any(p.active or p.pending for p in kinds.values()):
            self._adapt(t, m)
        else:
            self._adapted_t = None
        return [event for event in events if event is not None]

    def _held_verdict(
        self,
        looks: Looks,
        edges: GreyImage,
        previous_edges: GreyImage | None,
        regions: Regions | None,
    ) -> Looks:
        """`looks`, but judged as the kind of hidden view already seen (too dark, too bright,
        covered or moved) when it is judged another of them and the picture is the one before
        (`SAME_PICTURE_CORRELATION`).

        A picture at the bar between two kinds went back and forth across it with the sensor's
        noise, and each frame reset the other's wait: a cloth's grain between covered and moved
        (seed 16's covered-2: 60 % covered, 40 % moved, frames 0.99 alike), a blinded close
        corridor between too bright and covered (seed 3's too_bright-6, 0.97-0.98 alike)."""
        given = looks.hidden_as
        if len(given) != 1 or previous_edges is None:
            return looks
        # A kind raised goes on before one being decided (a moved camera's picture judged
        # covered, still, must not be raised as covered too).
        seen = sorted(
            (
                kind
                for kind in HIDDEN_VIEW_KINDS
                if kind != given[0] and self._kinds[kind].condition_seen
            ),
            key=lambda kind: not self._kinds[kind].active,
        )
        if not seen:
            return looks
        keep = None if regions is None else regions.edges
        if correlation(edges, previous_edges, keep) < SAME_PICTURE_CORRELATION:
            return looks
        return looks.judged_as(seen[0])

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
        """Follow slow changes of a normal view (daylight, a moved chair), over minutes, and
        keep its light and sharpness now."""
        self._normal_mean = m.mean
        self._normal_sharpness = m.sharpness
        ref = self._reference
        assert ref is not None
        elapsed = t - (self._adapted_t if self._adapted_t is not None else t)
        self._adapted_t = t
        alpha = min(1.0, max(elapsed, 0.0) / REFERENCE_TIME_CONSTANT_S)
        ref.follow(m, alpha, self._regions)
