"""moved: a camera turned or pushed away from its view, told from people standing close to the
lens (`_looks.py`; the bars' reasons in `_thresholds.py`)."""

from __future__ import annotations

from camwarden.analysis._comparisons import around_the_centre, middle_found, tile_correlation_grid
from camwarden.analysis._thresholds import (
    MOVED_FAR_FOUND_CORRELATION,
    MOVED_FAR_FOUND_MARGIN,
    MOVED_FOUND_CORRELATION,
    MOVED_FOUND_MARGIN,
)
from camwarden.analysis._view_comparison import ViewComparison


def view_elsewhere(c: ViewComparison) -> bool:
    """The view gone from the outer ring of tiles but one, and the picture not mostly as bright
    as it was (someone close to the lens hides a view's only structure, the wall around stays);
    or its middle found shifted. Asked of a frame away from the view by its edges, not clipped,
    covered nor blurred."""
    ring = around_the_centre(tile_correlation_grid(c.frame.edges, c.reference.edges, c.keep_edges))
    return (_second_largest(ring) < c.limits.moved_end and not c.mostly_unchanged) or (
        _middle_shifted(c)
    )


def _second_largest(values: list[float]) -> float:
    """The largest but one (the only one, if it is alone; 0 for none)."""
    ranked = sorted(values)
    return ranked[-2] if len(ranked) > 1 else (ranked[0] if ranked else 0.0)


def _middle_shifted(c: ViewComparison) -> bool:
    """The view's middle gone from its place and found shifted: the camera was pushed,
    whatever still looks alike (a plain wall as bright as it was, long lines along the push
    keeping a tile of the ring). Or a smaller middle, found further away and matching closely.
    Asked last: each costs a search over every shift."""
    searches = (
        (MOVED_FOUND_MARGIN, MOVED_FOUND_CORRELATION),
        (MOVED_FAR_FOUND_MARGIN, MOVED_FAR_FOUND_CORRELATION),
    )
    for margin, bar in searches:
        middle = middle_found(c.frame.edges, c.reference.edges, c.keep_edges, margin=margin)
        if middle.in_place < c.limits.moved_end and middle.shifted >= bar:
            return True
    return False
