"""The reference view a camera's frames are compared with: learnt, then followed slowly; and
the other views the camera showed while it learnt."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from camwarden.analysis._comparisons import correlation
from camwarden.analysis._measures import (
    COARSE_BLOCK,
    FrameMeasures,
    Regions,
    block_means,
    edge_map,
    half_size,
    laplacian,
    layout,
)
from camwarden.analysis._texture import line_length, steepness
from camwarden.analysis._thresholds import LEARNT_VIEW_CORRELATION, LEARNT_VIEW_HELD_PICTURES
from camwarden.analysis.frames import GreyImage
from camwarden.analysis.mask import KeepImage


@dataclass
class Reference:
    edges: GreyImage
    contrast: float
    sharpness: float
    fine: GreyImage
    """The reference view's Laplacian (`FrameMeasures.fine`) and layout, for `kept_detail`."""
    coarse: GreyImage
    blocks: GreyImage
    """The view's COARSE_BLOCK means, for `unchanged_share`."""
    mean: float
    """Mean luminance: the light the view was learnt at."""
    half: GreyImage
    """The view at half size (`FrameMeasures.half`)."""
    detail: float = 1.0
    """Mean edge strength relative to the mean luminance (`detail_of`)."""
    _made: dict[str, tuple[object, float]] = field(default_factory=dict, repr=False)
    """Texture measures (`lines`, `steepness`) made since the view last changed, each with the
    region it was made over."""

    @classmethod
    def learnt(
        cls, pictures: Sequence[tuple[GreyImage, FrameMeasures]], regions: Regions | None
    ) -> Reference:
        """The median picture of the learning and the median of each measure."""
        median = np.median(np.stack([grey for grey, _ in pictures]), axis=0).astype(np.float32)
        fine = laplacian(median)
        if regions is not None:
            fine = np.where(regions.fine, fine, 0.0).astype(np.float32)
        return cls(
            edges=edge_map(median),
            fine=fine,
            coarse=layout(median, None if regions is None else regions.coarse),
            blocks=block_means(median, COARSE_BLOCK),
            half=half_size(median),
            mean=float(np.median([m.mean for _, m in pictures])),
            contrast=float(np.median([m.contrast for _, m in pictures])),
            sharpness=float(np.median([m.sharpness for _, m in pictures])),
            detail=float(np.median([detail_of(m, regions) for _, m in pictures])),
        )

    def follow(self, m: FrameMeasures, alpha: float, regions: Regions | None) -> None:
        """Move `alpha` of the way towards a normal frame's measures."""
        self.edges = (1.0 - alpha) * self.edges + alpha * m.edges
        self.fine = (1.0 - alpha) * self.fine + alpha * m.fine
        self.coarse = (1.0 - alpha) * self.coarse + alpha * m.coarse
        self.blocks = (1.0 - alpha) * self.blocks + alpha * m.blocks
        self.half = (1.0 - alpha) * self.half + alpha * m.half
        self.contrast = (1.0 - alpha) * self.contrast + alpha * m.contrast
        self.mean = (1.0 - alpha) * self.mean + alpha * m.mean
        self.sharpness = (1.0 - alpha) * self.sharpness + alpha * m.sharpness
        self.detail = (1.0 - alpha) * self.detail + alpha * detail_of(m, regions)
        self._made.clear()

    def steepness(self, regions: Regions | None) -> float:
        """The view's `steepness`, asked by a frame that would be blurred."""
        return self._remembered(
            "steepness",
            regions,
            lambda: steepness(
                self.half,
                self.edges,
                None if regions is None else regions.laplacian,
                None if regions is None else regions.edges,
            ),
        )

    def lines(self, keep: KeepImage | None) -> float:
        """The view's `line_length`, asked by a frame away from the view."""
        return self._remembered("lines", keep, lambda: line_length(self.half, keep))

    def _remembered(self, name: str, region: object, make: Callable[[], float]) -> float:
        """`make()`, made once until the view next follows (so once per tampering, when the
        view does not follow) or until it is asked over another region."""
        made = self._made.get(name)
        if made is None or made[0] is not region:
            made = (region, make())
            self._made[name] = made
        return made[1]


def detail_of(m: FrameMeasures, regions: Regions | None) -> float:
    """Mean edge strength over the mean luminance: unchanged by a global gain, near 0 when
    nothing in the picture has an edge."""
    edges = m.edges if regions is None else m.edges[regions.edges]
    return float(edges.mean()) / (m.mean + 1.0)


class LearntViews:
    """The reference in use, and the views the camera showed while it learnt.

    The learnt reference is the median of the learning's pictures. Someone standing close to
    the lens for most of the learning (the close corridor: 10-20 s in front of the table) is
    in that median; when they leave, the camera's real view looked covered or defocused next
    to it, and was raised. A view the camera showed during the learning, before anything can
    be judged, is one of its normal views: when a frame looks tampered with, and clearly is
    one of them (edge correlation LEARNT_VIEW_CORRELATION) while the reference in use is not
    there, it is judged against that view instead. Only then: the first or last picture of a
    busy corridor's learning is a moment of people walking, and a view that merely matched
    it served worse than the median. Most cameras learn one view, and then nothing is
    compared.
    """

    def __init__(
        self, pictures: Sequence[tuple[GreyImage, FrameMeasures]], regions: Regions | None
    ) -> None:
        self.reference = Reference.learnt(pictures, regions)
        self.views = [self.reference, *_other_views(pictures, self.reference, regions)]

    def shown_in(self, m: FrameMeasures, keep_edges: KeepImage | None, there: float) -> bool:
        """`m` shows one of the views (edge correlation over `there`)."""
        return any(correlation(m.edges, view.edges, keep_edges) > there for view in self.views)

    def choose(self, m: FrameMeasures, keep_edges: KeepImage | None, there: float) -> None:
        """Makes the learnt view that `m` clearly shows the reference, when the reference in
        use is not there (edge correlation under `there`)."""
        if len(self.views) < 2:
            return
        if correlation(m.edges, self.reference.edges, keep_edges) >= there:
            return
        others = [view for view in self.views if view is not self.reference]
        scores = [correlation(m.edges, view.edges, keep_edges) for view in others]
        best = max(range(len(scores)), key=scores.__getitem__)
        if scores[best] >= LEARNT_VIEW_CORRELATION:
            self.reference = others[best]


def _other_views(
    pictures: Sequence[tuple[GreyImage, FrameMeasures]],
    reference: Reference,
    regions: Regions | None,
) -> list[Reference]:
    """The views at the start and at the end of the learning, and those held in between for
    LEARNT_VIEW_HELD_PICTURES pictures in a row, where unlike `reference`: each learnt from
    the learning's pictures alike it.

    Someone who stood through most of the learning came after its start or left before its
    end, so the camera's own view, if the learning saw it at all, is there; or they stepped
    away for a moment, and it is held in between, where otherwise only their moves are."""
    keep = None if regions is None else regions.edges

    def alike(a: FrameMeasures, b: FrameMeasures) -> bool:
        return correlation(a.edges, b.edges, keep) >= LEARNT_VIEW_CORRELATION

    measures = [m for _, m in pictures]
    views: list[Reference] = []
    for seen in (measures[0], measures[-1], *_held(measures, alike)):
        if correlation(seen.edges, reference.edges, keep) >= LEARNT_VIEW_CORRELATION:
            continue
        if any(
            correlation(seen.edges, view.edges, keep) >= LEARNT_VIEW_CORRELATION for view in views
        ):
            continue
        views.append(
            Reference.learnt([(g, m) for g, m in pictures if m is seen or alike(m, seen)], regions)
        )
    return views


def _held(
    measures: Sequence[FrameMeasures], alike: Callable[[FrameMeasures, FrameMeasures], bool]
) -> list[FrameMeasures]:
    """The middle picture of each run of LEARNT_VIEW_HELD_PICTURES or more pictures, each alike
    the one before."""
    middles: list[FrameMeasures] = []
    start = 0
    for end in range(1, len(measures) + 1):
        if end < len(measures) and alike(measures[end - 1], measures[end]):
            continue
        if end - start >= LEARNT_VIEW_HELD_PICTURES:
            middles.append(measures[(start + end - 1) // 2])
        start = end
    return middles
