"""One frame's measures over the reference view's, the ground every tamper kind's condition
stands on (`_looks.py`).

The cheap ratios are taken at once; the dear ones (the layout, the edges' tail, the lines, the
blocks, the steepness) only when a condition asks, and at most once per frame.
"""

from __future__ import annotations

from functools import cached_property

from camwarden.analysis._comparisons import correlation, unchanged_share
from camwarden.analysis._limits import Thresholds
from camwarden.analysis._measures import FrameMeasures, Regions
from camwarden.analysis._reference import Reference, detail_of
from camwarden.analysis._texture import edge_tail, line_length, steepness
from camwarden.analysis._thresholds import (
    LINES_IN_A_VIEW,
    MOVED_UNCHANGED_SHARE,
    MOVED_UNCHANGED_TOLERANCE,
)


def light_of(m: FrameMeasures, ref: Reference) -> float:
    """The picture's light as a share of the reference's."""
    return (m.mean + 1.0) / (ref.mean + 1.0)


def amplitude_of(m: FrameMeasures, ref: Reference) -> float:
    """The picture's spread of brightness (standard deviation) as a share of the
    reference's: a gain scales it as it scales the light, but a lifted black level, which
    adds light, adds none."""
    return (m.contrast * (m.mean + 1.0)) / max(ref.contrast * (ref.mean + 1.0), 1e-3)


class ViewComparison:
    """The frame `m` at `light` (its share of the reference's light) against `ref`, at the
    camera's `limits`, measured within `regions` (None: unmasked); `normal_sharpness` is the
    last normal picture's (None before the first). Ratios are the frame's over the
    reference's."""

    def __init__(
        self,
        m: FrameMeasures,
        ref: Reference,
        light: float,
        limits: Thresholds,
        regions: Regions | None,
        normal_sharpness: float | None = None,
    ) -> None:
        self.frame = m
        self.reference = ref
        self.light = light
        self.limits = limits
        self.regions = regions
        self.keep_edges = None if regions is None else regions.edges
        self.keep_coarse = None if regions is None else regions.coarse
        self.contrast = m.contrast / max(ref.contrast, 1e-3)
        # Its own fine detail relative to its contrast (`FrameMeasures.sharpness`).
        self.sharpness = m.sharpness / max(ref.sharpness, 1e-3)
        # The lesser of that and the sharpness over the last normal picture's: a dimmed view's
        # noise raises its own fine detail over the reference's, and a blur then takes it down
        # from there.
        self.sharpness_lately = (
            self.sharpness
            if normal_sharpness is None
            else min(self.sharpness, m.sharpness / max(normal_sharpness, 1e-3))
        )
        # Edge correlation with the reference (masked cells left out).
        self.similarity = correlation(m.edges, ref.edges, self.keep_edges)
        self.detail = detail_of(m, regions) / max(ref.detail, 1e-3)
        self.amplitude = amplitude_of(m, ref)

    @cached_property
    def layout(self) -> float:
        """The layout's correlation with the reference's (40-px blocks at 720p): it costs as
        much as a measure of the frame."""
        return correlation(self.frame.coarse, self.reference.coarse, self.keep_coarse)

    @cached_property
    def edge_tail(self) -> float:
        """How heavy-tailed the frame's edges are (`edge_tail`) over the reference's."""
        return edge_tail(self.frame.edges, self.keep_edges) / max(
            edge_tail(self.reference.edges, self.keep_edges), 1e-3
        )

    @cached_property
    def lines(self) -> float | None:
        """The frame's `line_length` over the view's; None when the view has too few lines to
        tell anything by (LINES_IN_A_VIEW). The reference's are made once per tampering, or
        after the view followed a normal frame."""
        reference_lines = self.reference.lines(self.keep_edges)
        if reference_lines < LINES_IN_A_VIEW:
            return None
        return line_length(self.frame.half, self.keep_edges) / reference_lines

    @cached_property
    def unchanged(self) -> float:
        """Block by block, the share of the picture as bright as the reference
        (`unchanged_share`)."""
        return unchanged_share(
            self.frame.blocks,
            self.reference.blocks,
            self.keep_coarse,
            tolerance=MOVED_UNCHANGED_TOLERANCE,
        )

    @property
    def mostly_unchanged(self) -> bool:
        """Most of the picture as bright as the reference, block by block: the camera has not
        moved, whatever stands in front of the rest of it."""
        return self.unchanged >= MOVED_UNCHANGED_SHARE

    @cached_property
    def steepness(self) -> float:
        """How steep the picture's strongest edges are (`steepness`) over the view's (the
        view's made once per tampering)."""
        keep_laplacian = None if self.regions is None else self.regions.laplacian
        return steepness(self.frame.half, self.frame.edges, keep_laplacian, self.keep_edges) / max(
            self.reference.steepness(self.regions), 1e-6
        )
