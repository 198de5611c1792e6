"""covered: a hand, cloth, bag or spray on the lens, told from a dim view, people standing close
and a view learnt with someone in it (`_looks.py`; the bars' reasons in `_thresholds.py`)."""

from __future__ import annotations

from dataclasses import dataclass

from camwarden.analysis._comparisons import structured_share
from camwarden.analysis._thresholds import (
    COVERED_DETAIL_RATIO,
    COVERED_SMOOTH_STRUCTURED_SHARE,
    COVERED_STRIP_LINES_SHARE,
    COVERED_STRIP_SHARE,
    COVERED_STRIP_VIEW_CORRELATION,
    DEFOCUS_OWN_SHARPNESS_RATIO,
    GRAIN_LINES_RATIO,
    GRAIN_LINES_SHARPNESS_RATIO,
    GRAIN_SMOOTH_SHARPNESS_RATIO,
    GRAIN_SMOOTH_TAIL_RATIO,
    GRAIN_TAIL_RATIO,
    STRIP_LINES_RATIO,
    UNCOVERED_LINES_RATIO,
    UNCOVERED_UNCHANGED_SHARE,
)
from camwarden.analysis._view_comparison import ViewComparison


@dataclass(frozen=True)
class CoverLook:
    """Whether the picture looks covered, and in which way."""

    in_a_strip: bool
    """Covered but for a strip of the view along one side."""
    smoothed_away: bool
    """Covered: the view's edges, layout and fine detail all gone, whatever contrast the
    cloth's shading keeps."""
    looks_covered: bool
    """In a strip, smoothed away, or flat: contrast or edges fallen with the view gone."""
    uncovered: bool
    """Looks covered, but keeps the view's lines and many of its blocks: it is not (asked only
    of a picture that looks covered; False otherwise)."""

    @property
    def flat(self) -> bool:
        """Covered, before a cloth's grain is asked about (`grained`)."""
        return self.looks_covered and not self.uncovered


def look_for_cover(c: ViewComparison, clipped: bool) -> CoverLook:
    """The frame `c` as a cover by its contrast, edges and shape; nothing for a `clipped` one
    (too dark or too bright is said first)."""
    # Asked only where a cloth is in question (the view not all there by its edges: a strip
    # left beside a cloth can hold its strongest); elsewhere the picture counts as structured
    # all over.
    m, ref = c.frame, c.reference
    structured = (
        structured_share(m.coarse, m.mean, ref.coarse, ref.mean, c.keep_coarse)
        if not clipped and c.similarity < COVERED_STRIP_VIEW_CORRELATION
        else 1.0
    )
    # With the view's edges partly there, the rest must be a cloth's too: edges all alike, where
    # a person standing close brings outlines. Or a wider strip (a cloth's edge or grain bending
    # the tiles beside it) with no more than a strip's share of the view's lines.
    in_a_strip = (
        structured <= COVERED_STRIP_SHARE
        and (c.similarity < c.limits.moved or c.edge_tail < GRAIN_TAIL_RATIO)
    ) or (structured <= COVERED_STRIP_LINES_SHARE and _lines_kept(c) < STRIP_LINES_RATIO)
    smoothed_away = (
        c.similarity < c.limits.moved
        and structured <= COVERED_SMOOTH_STRUCTURED_SHARE
        and c.sharpness < DEFOCUS_OWN_SHARPNESS_RATIO
        and c.layout < c.limits.moved
    )
    looks_covered = (
        in_a_strip
        or smoothed_away
        or (
            not clipped
            and (c.contrast < c.limits.covered or c.detail < COVERED_DETAIL_RATIO)
            and (
                c.similarity < c.limits.moved
                or (c.similarity < c.limits.moved_end and c.detail < COVERED_DETAIL_RATIO)
            )
        )
    )
    return CoverLook(
        in_a_strip=in_a_strip,
        smoothed_away=smoothed_away,
        looks_covered=looks_covered,
        uncovered=looks_covered and _uncovered(c),
    )


def grained(c: ViewComparison, view_elsewhere: bool) -> bool:
    """A cloth's grain, for a frame away from the view and not blurred: if it would be moved
    (`view_elsewhere`), by its edges all alike or few of the view's lines; whatever else, by no
    more than a strip's share of them. A frame that would be moved is asked two edge maps'
    percentiles per tile, then its lines; any other, its lines."""
    return (
        view_elsewhere
        and (_edges_all_alike(c.edge_tail, c.sharpness) or _lines_kept(c) < GRAIN_LINES_RATIO)
    ) or _lines_kept(c) < STRIP_LINES_RATIO


def _lines_kept(c: ViewComparison) -> float:
    """The view's lines kept, where they can tell a cloth: the frame's own fine detail no more
    than the view's (out of focus, where a camera pushed onto a plain wall shows the sensor's
    noise); 1 otherwise."""
    share = None if c.sharpness >= GRAIN_LINES_SHARPNESS_RATIO else c.lines
    return 1.0 if share is None else share


def _uncovered(c: ViewComparison) -> bool:
    """Most of the view's lines, and many of its blocks as bright as they were: nothing covers
    the lens, whatever contrast it lost; whoever stood in front of the view while it was learnt
    has left (asked only of a picture that looks covered)."""
    share = c.lines
    return (
        share is not None
        and share >= UNCOVERED_LINES_RATIO
        and c.unchanged >= UNCOVERED_UNCHANGED_SHARE
    )


def _edges_all_alike(tail: float, sharpness: float) -> bool:
    """A cloth's grain, not another view, by its edges: far less heavy-tailed than the
    reference's (`edge_tail`; `tail` is the frame's over the reference's), or less so and its
    own fine detail gone too (out of focus)."""
    return tail < GRAIN_TAIL_RATIO or (
        tail < GRAIN_SMOOTH_TAIL_RATIO and sharpness < GRAIN_SMOOTH_SHARPNESS_RATIO
    )
