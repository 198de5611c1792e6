"""What one frame looks like next to the reference view: the conditions each tamper kind is
raised on, and the measures its end is judged on.

Pure: the detector keeps what is pending and raised, and the frame before (`detectors.py`).
The thresholds and the reasons for their values are in `_thresholds.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from camwarden.analysis._comparisons import (
    around_the_centre,
    correlation,
    darkest_lift,
    kept_detail,
    middle_found,
    structured_share,
    tile_correlation_grid,
    unchanged_share,
)
from camwarden.analysis._measures import FrameMeasures, Regions
from camwarden.analysis._reference import Reference, detail_of
from camwarden.analysis._texture import edge_tail, line_length, steepness
from camwarden.analysis._thresholds import (
    BRIGHT_MEAN,
    COVERED_DETAIL_RATIO,
    COVERED_SMOOTH_STRUCTURED_SHARE,
    COVERED_STRIP_LINES_SHARE,
    COVERED_STRIP_SHARE,
    COVERED_STRIP_VIEW_CORRELATION,
    DARK_MEAN,
    DEFOCUS_CONTRASTED_STEEPNESS_RATIO,
    DEFOCUS_END_STEEPNESS_RATIO,
    DEFOCUS_INTACT_TILES,
    DEFOCUS_MAX_CONTRAST_RATIO,
    DEFOCUS_MIN_CONTRAST_RATIO,
    DEFOCUS_OWN_SHARPNESS_RATIO,
    DEFOCUS_STEEPNESS_RATIO,
    DEFOCUS_WHOLE_SHARPNESS_RATIO,
    DEFOCUS_WHOLE_VIEW_CORRELATION,
    DIM_MEAN,
    FLARE_LIFT,
    GLARE_MEAN,
    GRAIN_LINES_RATIO,
    GRAIN_LINES_SHARPNESS_RATIO,
    GRAIN_SMOOTH_SHARPNESS_RATIO,
    GRAIN_SMOOTH_TAIL_RATIO,
    GRAIN_TAIL_RATIO,
    LIGHT_BACK_RATIO,
    LIGHT_LOST_RATIO,
    LINES_IN_A_VIEW,
    MOVED_FOUND_CORRELATION,
    MOVED_FOUND_MARGIN,
    MOVED_UNCHANGED_SHARE,
    MOVED_UNCHANGED_TOLERANCE,
    STRIP_LINES_RATIO,
    UNCOVERED_LINES_RATIO,
    UNCOVERED_UNCHANGED_SHARE,
    WASHED_OUT_FRACTION,
    Thresholds,
)
from camwarden.analysis.mask import KeepImage


@dataclass(frozen=True)
class Looks:
    """One frame against the reference: ratios are the frame's over the reference's."""

    contrast: float
    sharpness: float
    """Its own fine detail relative to its contrast (`FrameMeasures.sharpness`)."""
    similarity: float
    """Edge correlation with the reference (masked cells left out)."""
    detail: float
    kept: float
    """The reference's fine detail still in the frame (`KeptDetail.typical`; 1 when the view
    is not there to be asked)."""
    partly_intact: bool
    """Part of the view keeps all its detail: someone hides the rest, the lens is sharp."""
    headroom: float
    """The picture's distance from white, over the most it had lately: the reference's, or
    the last normal picture's where that was darker (lights switched off)."""
    amplitude: float
    """The picture's spread of brightness (its standard deviation) over the reference's
    (`amplitude_of`)."""
    dark: bool
    bright: bool
    in_a_strip: bool
    """Covered but for a strip of the view along one side."""
    smoothed_away: bool
    """Covered: the view's edges, layout and fine detail all gone, whatever contrast the
    cloth's shading keeps."""
    grained: bool
    """Covered: a cloth's grain with a strip of the view beside it, by how alike its edges are
    or how few of the view's lines it has (read as a moved view, or as nothing, otherwise)."""
    flat: bool
    """Covered."""
    uncovered: bool
    """Looks covered, but keeps the view's lines and many of its blocks: it is not (asked only
    of a picture that looks covered; False otherwise)."""
    blurred: bool
    """Defocused."""
    in_focus: bool
    """Something in focus: the picture's strongest edges clearly steeper than the view's
    (asked only while a defocus is decided; False otherwise)."""
    shifted: bool
    """Moved."""
    view_shown: bool
    """The view is shown, not hidden, whatever stands still (for `frozen`)."""

    @property
    def cloth_shaped(self) -> bool:
        """Covered by the picture's shape (a strip of the view, the view smoothed away, a
        grain), which contrast and detail coming back do not undo: a cloth's shading and grain
        give both back."""
        return self.in_a_strip or self.smoothed_away or self.grained


def _second_largest(values: list[float]) -> float:
    """The largest but one (the only one, if it is alone; 0 for none)."""
    ranked = sorted(values)
    return ranked[-2] if len(ranked) > 1 else (ranked[0] if ranked else 0.0)


def _edges_all_alike(tail: float, sharpness: float) -> bool:
    """A cloth's grain, not another view, by its edges: far less heavy-tailed than the
    reference's (`edge_tail`; `tail` is the frame's over the reference's), or less so and its
    own fine detail gone too (out of focus)."""
    return tail < GRAIN_TAIL_RATIO or (
        tail < GRAIN_SMOOTH_TAIL_RATIO and sharpness < GRAIN_SMOOTH_SHARPNESS_RATIO
    )


def _share_of_the_views_lines(
    m: FrameMeasures, ref: Reference, keep: KeepImage | None
) -> float | None:
    """The frame's `line_length` over the view's; None when the view has too few lines to
    tell anything by (LINES_IN_A_VIEW)."""
    reference_lines = ref.lines(keep)
    if reference_lines < LINES_IN_A_VIEW:
        return None
    return line_length(m.half, keep) / reference_lines


def _middle_shifted(
    m: FrameMeasures, ref: Reference, limits: Thresholds, keep: KeepImage | None
) -> bool:
    """The view's middle gone from its place and found shifted: the camera was pushed,
    whatever still looks alike (a plain wall as bright as it was, long lines along the push
    keeping a tile of the ring). Asked last: it costs a search over every shift."""
    middle = middle_found(m.edges, ref.edges, keep, margin=MOVED_FOUND_MARGIN)
    return middle.in_place < limits.moved_end and middle.shifted >= MOVED_FOUND_CORRELATION


def light_of(m: FrameMeasures, ref: Reference) -> float:
    """The picture's light as a share of the reference's."""
    return (m.mean + 1.0) / (ref.mean + 1.0)


def amplitude_of(m: FrameMeasures, ref: Reference) -> float:
    """The picture's spread of brightness (standard deviation) as a share of the
    reference's: a gain scales it as it scales the light, but a lifted black level, which
    adds light, adds none."""
    return (m.contrast * (m.mean + 1.0)) / max(ref.contrast * (ref.mean + 1.0), 1e-3)


def look(
    m: FrameMeasures,
    ref: Reference,
    light: float,
    limits: Thresholds,
    regions: Regions | None,
    *,
    defocus_deciding: bool,
    normal_mean: float | None = None,
) -> Looks:
    """The frame's measures `m` at `light` (its share of the reference's), against `ref`;
    `normal_mean` is the last normal picture's mean (None before the first).

    Kinds exclude each other from the top down: clipped (dark or bright), then flat, then
    blurred, then shifted; but a frame away from the view that is not blurred (shifted, or
    nothing) is flat when it is a cloth's grain (`grained`).
    """
    keep_edges = None if regions is None else regions.edges
    keep_coarse = None if regions is None else regions.coarse
    keep_laplacian = None if regions is None else regions.laplacian
    contrast = m.contrast / max(ref.contrast, 1e-3)
    sharpness = m.sharpness / max(ref.sharpness, 1e-3)
    similarity = correlation(m.edges, ref.edges, keep_edges)
    detail = detail_of(m, regions) / max(ref.detail, 1e-3)
    amplitude = amplitude_of(m, ref)
    dark = (m.mean < DARK_MEAN and m.dark_fraction >= limits.dark_fraction) or (
        m.mean < DIM_MEAN
        and (
            light < LIGHT_LOST_RATIO
            or (
                light < LIGHT_BACK_RATIO
                and amplitude < LIGHT_LOST_RATIO
                and similarity >= limits.moved
            )
        )
    )
    reference_headroom = (256.0 - m.mean) / (256.0 - ref.mean)
    darkest = ref.mean if normal_mean is None else min(ref.mean, normal_mean)
    headroom = (256.0 - m.mean) / (256.0 - darkest)
    bright = (m.mean > BRIGHT_MEAN and m.bright_fraction >= limits.bright_fraction) or (
        m.mean > GLARE_MEAN
        and reference_headroom < LIGHT_BACK_RATIO
        and (
            headroom < LIGHT_LOST_RATIO
            or (
                m.bright_fraction >= WASHED_OUT_FRACTION
                and similarity < limits.moved
                and darkest_lift(m.blocks, ref.blocks, keep_coarse) >= FLARE_LIFT
            )
        )
    )
    clipped = dark or bright
    # The layout's correlation with the reference costs as much as a measure of the frame:
    # asked only when needed, at most once.
    layout_correlation = cache(lambda: correlation(m.coarse, ref.coarse, keep_coarse))
    # How heavy-tailed the frame's edges are over the reference's: asked by the strip and the
    # grain, at most once.
    tail_ratio = cache(
        lambda: edge_tail(m.edges, keep_edges) / max(edge_tail(ref.edges, keep_edges), 1e-3)
    )
    # Asked only where a cloth is in question (the view not all there by its edges: a strip
    # left beside a cloth can hold its strongest); elsewhere the picture counts as structured
    # all over.
    structured = (
        structured_share(m.coarse, m.mean, ref.coarse, ref.mean, keep_coarse)
        if not clipped and similarity < COVERED_STRIP_VIEW_CORRELATION
        else 1.0
    )
    # The frame's lines over the view's: asked by the strip, the grain and the view uncovered,
    # at most once (the reference's are made once per tampering, or after the view followed a
    # normal frame).
    lines_share = cache(lambda: _share_of_the_views_lines(m, ref, keep_edges))

    def lines_kept() -> float:
        """The lines, where they can tell a cloth: the frame's own fine detail no more than the
        view's (out of focus, where a camera pushed onto a plain wall shows the sensor's
        noise); 1 otherwise."""
        share = None if sharpness >= GRAIN_LINES_SHARPNESS_RATIO else lines_share()
        return 1.0 if share is None else share

    # With the view's edges partly there, the rest must be a cloth's too: edges all alike, where
    # a person standing close brings outlines. Or a wider strip (a cloth's edge or grain bending
    # the tiles beside it) with no more than a strip's share of the view's lines.
    in_a_strip = (
        structured <= COVERED_STRIP_SHARE
        and (similarity < limits.moved or tail_ratio() < GRAIN_TAIL_RATIO)
    ) or (structured <= COVERED_STRIP_LINES_SHARE and lines_kept() < STRIP_LINES_RATIO)
    smoothed_away = (
        similarity < limits.moved
        and structured <= COVERED_SMOOTH_STRUCTURED_SHARE
        and sharpness < DEFOCUS_OWN_SHARPNESS_RATIO
        and layout_correlation() < limits.moved
    )
    # Block by block, the share of the picture as bright as the reference: asked where it
    # decides, at most once.
    unchanged = cache(
        lambda: unchanged_share(
            m.blocks, ref.blocks, keep_coarse, tolerance=MOVED_UNCHANGED_TOLERANCE
        )
    )

    def uncovered() -> bool:
        """Most of the view's lines, and many of its blocks as bright as they were: nothing
        covers the lens, whatever contrast it lost; whoever stood in front of the view while it
        was learnt has left (asked only of a picture that looks covered)."""
        share = lines_share()
        return (
            share is not None
            and share >= UNCOVERED_LINES_RATIO
            and unchanged() >= UNCOVERED_UNCHANGED_SHARE
        )

    looks_covered = (
        in_a_strip
        or smoothed_away
        or (
            not clipped
            and (contrast < limits.covered or detail < COVERED_DETAIL_RATIO)
            and (
                similarity < limits.moved
                or (similarity < limits.moved_end and detail < COVERED_DETAIL_RATIO)
            )
        )
    )
    view_uncovered = looks_covered and uncovered()
    flat = looks_covered and not view_uncovered
    # The reference must be clearly there to start judging its detail; once a defocus is
    # being decided, a person walking through (a dip in similarity) does not stop it.
    # There by its edges, or by its layout (40-px blocks at 720p, larger than any blur): a
    # strong defocus smooths the edges the edge correlation compares, so on a view whose
    # edges already matched only loosely (people filling the close corridor) it took the
    # similarity under the bar and the defocus was never judged. A moved camera changes
    # the layout, and its own sharpness does not fall.
    there_bar = limits.moved if defocus_deciding else limits.moved_end
    # The whole view there, nobody in front of it: a slight defocus is told by its detail.
    whole_view = similarity >= DEFOCUS_WHOLE_VIEW_CORRELATION
    # Only needed when the frame's own detail fell too, or to end a defocus (it costs as
    # much as every other measure of the frame together).
    needed = (
        defocus_deciding
        or sharpness < DEFOCUS_OWN_SHARPNESS_RATIO
        or (whole_view and sharpness < DEFOCUS_WHOLE_SHARPNESS_RATIO)
    )
    view_there = needed and (similarity >= there_bar or layout_correlation() >= there_bar)
    detail_kept = kept_detail(m, ref.fine, ref.coarse) if view_there else None
    kept = 1.0 if detail_kept is None else detail_kept.typical
    partly_intact = detail_kept is not None and detail_kept.intact_tiles >= DEFOCUS_INTACT_TILES
    lost_everywhere = (
        whole_view
        and detail_kept is not None
        and detail_kept.intact_tiles == 0
        and kept < limits.defocus_whole
        and sharpness < DEFOCUS_WHOLE_SHARPNESS_RATIO
    )
    # A blur spares no part of the view: with part of it keeping all its detail, a smooth
    # body in front of the rest lowers the frame's sharpness, not the lens. Nor does it leave
    # the picture's strongest edges as steep as the view's: someone sharp in front of it does
    # (asked last, of a frame that would be blurred: the view's once per tampering). More
    # contrast than a blur gives is someone dark in front of the view, or a cloth's shading:
    # blurred too if the view is there behind them, and far less steep.
    steepness_ratio = cache(
        lambda: (
            steepness(m.half, m.edges, keep_laplacian, keep_edges)
            / max(ref.steepness(regions), 1e-6)
        )
    )
    mostly_unchanged_blocks = cache(lambda: unchanged() >= MOVED_UNCHANGED_SHARE)
    contrasted = contrast > DEFOCUS_MAX_CONTRAST_RATIO * max(1.0, light)
    steepness_bar = DEFOCUS_CONTRASTED_STEEPNESS_RATIO if contrasted else DEFOCUS_STEEPNESS_RATIO
    blurred = (
        not clipped
        and not flat
        and not partly_intact
        and contrast >= DEFOCUS_MIN_CONTRAST_RATIO
        and (
            sharpness < limits.defocus
            or (kept < limits.defocus and sharpness < DEFOCUS_OWN_SHARPNESS_RATIO)
            or lost_everywhere
        )
        and (not contrasted or view_there or mostly_unchanged_blocks())
        and steepness_ratio() < steepness_bar
    )
    # Whoever stands in front of a lens focused again hides the view's detail, but not their
    # own steep outline.
    in_focus = defocus_deciding and steepness_ratio() >= DEFOCUS_END_STEEPNESS_RATIO
    # Most of the picture as bright as the reference, block by block: the camera has not
    # moved, whatever stands in front of the rest of it. Asked only where it can decide
    # (the view not there by its edges), not on every normal frame.
    mostly_unchanged = (
        not clipped and not flat and similarity < limits.moved_end and mostly_unchanged_blocks()
    )
    away = not clipped and not flat and not blurred and similarity < limits.moved_end
    view_elsewhere = away and (
        (
            _second_largest(
                around_the_centre(tile_correlation_grid(m.edges, ref.edges, keep_edges))
            )
            < limits.moved_end
            and not mostly_unchanged
        )
        or _middle_shifted(m, ref, limits, keep_edges)
    )
    # A frame that would be moved is asked two edge maps' percentiles per tile, then its lines;
    # any other frame away from the view, not blurred, its lines.
    grained = away and (
        (
            view_elsewhere
            and (_edges_all_alike(tail_ratio(), sharpness) or lines_kept() < GRAIN_LINES_RATIO)
        )
        or lines_kept() < STRIP_LINES_RATIO
    )
    flat = flat or grained
    shifted = view_elsewhere and not grained
    # The view is shown down to the bar `moved` starts at: people filling the real corridor,
    # or the heavy noise of a night, keep a live (or frozen) view under "back"
    # (MOVED_END_CORRELATION). Or where most of it is unchanged: someone standing in front of
    # the close corridor's table hides all its edges.
    view_shown = not clipped and not flat and (similarity >= limits.moved or mostly_unchanged)
    return Looks(
        contrast=contrast,
        sharpness=sharpness,
        similarity=similarity,
        detail=detail,
        kept=kept,
        partly_intact=partly_intact,
        headroom=headroom,
        amplitude=amplitude,
        dark=dark,
        bright=bright,
        in_a_strip=in_a_strip,
        smoothed_away=smoothed_away,
        grained=grained,
        flat=flat,
        uncovered=view_uncovered,
        blurred=blurred,
        in_focus=in_focus,
        shifted=shifted,
        view_shown=view_shown,
    )
