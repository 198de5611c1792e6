"""defocused: a lens turned out of focus (or smeared), told from people smoother than what they
hide, someone in dark clothes and a lens focused again (`_looks.py`; the bars' reasons in
`_thresholds.py`)."""

from __future__ import annotations

from dataclasses import dataclass

from camwarden.analysis._comparisons import kept_detail
from camwarden.analysis._thresholds import (
    DEFOCUS_CONTRASTED_STEEPNESS_RATIO,
    DEFOCUS_END_STEEPNESS_RATIO,
    DEFOCUS_INTACT_TILES,
    DEFOCUS_MAX_CONTRAST_RATIO,
    DEFOCUS_MIN_CONTRAST_RATIO,
    DEFOCUS_OWN_SHARPNESS_RATIO,
    DEFOCUS_STEEPNESS_RATIO,
    DEFOCUS_WHOLE_SHARPNESS_RATIO,
    DEFOCUS_WHOLE_VIEW_CORRELATION,
)
from camwarden.analysis._view_comparison import ViewComparison


@dataclass(frozen=True)
class BlurLook:
    """Whether the picture is blurred, and what a defocus's end is judged on."""

    kept: float
    """The reference's fine detail still in the frame (`KeptDetail.typical`; 1 when the view
    is not there to be asked)."""
    partly_intact: bool
    """Part of the view keeps all its detail: someone hides the rest, the lens is sharp."""
    blurred: bool
    """Defocused."""
    in_focus: bool
    """Something in focus: the picture's strongest edges clearly steeper than the view's
    (asked only while a defocus is decided; False otherwise)."""


def look_for_blur(
    c: ViewComparison, *, clipped: bool, flat: bool, defocus_deciding: bool
) -> BlurLook:
    """The frame `c` as a blur, unless it is `clipped` or `flat` (said first);
    `defocus_deciding` while a defocus is pending or raised."""
    # The reference must be clearly there to start judging its detail; once a defocus is
    # being decided, a person walking through (a dip in similarity) does not stop it.
    # There by its edges, or by its layout (40-px blocks at 720p, larger than any blur): a
    # strong defocus smooths the edges the edge correlation compares, so on a view whose
    # edges already matched only loosely (people filling the close corridor) it took the
    # similarity under the bar and the defocus was never judged. A moved camera changes
    # the layout, and its own sharpness does not fall.
    limits = c.limits
    there_bar = limits.moved if defocus_deciding else limits.moved_end
    # The whole view there, nobody in front of it: a slight defocus is told by its detail.
    whole_view = c.similarity >= DEFOCUS_WHOLE_VIEW_CORRELATION
    # Only needed when the frame's own detail fell too, or to end a defocus (it costs as
    # much as every other measure of the frame together).
    needed = (
        defocus_deciding
        or c.sharpness < DEFOCUS_OWN_SHARPNESS_RATIO
        or (whole_view and c.sharpness_lately < DEFOCUS_WHOLE_SHARPNESS_RATIO)
    )
    view_there = needed and (c.similarity >= there_bar or c.layout >= there_bar)
    ref = c.reference
    detail_kept = kept_detail(c.frame, ref.fine, ref.coarse) if view_there else None
    kept = 1.0 if detail_kept is None else detail_kept.typical
    partly_intact = detail_kept is not None and detail_kept.intact_tiles >= DEFOCUS_INTACT_TILES
    lost_everywhere = (
        whole_view
        and detail_kept is not None
        and detail_kept.intact_tiles == 0
        and kept < limits.defocus_whole
        and c.sharpness_lately < DEFOCUS_WHOLE_SHARPNESS_RATIO
    )
    # A blur spares no part of the view: with part of it keeping all its detail, a smooth
    # body in front of the rest lowers the frame's sharpness, not the lens. Nor does it leave
    # the picture's strongest edges as steep as the view's: someone sharp in front of it does
    # (asked last, of a frame that would be blurred). More contrast than a blur gives is
    # someone dark in front of the view, or a cloth's shading: blurred too if the view is there
    # behind them, and far less steep.
    contrasted = c.contrast > DEFOCUS_MAX_CONTRAST_RATIO * max(1.0, c.light)
    steepness_bar = DEFOCUS_CONTRASTED_STEEPNESS_RATIO if contrasted else DEFOCUS_STEEPNESS_RATIO
    blurred = (
        not clipped
        and not flat
        and not partly_intact
        and c.contrast >= DEFOCUS_MIN_CONTRAST_RATIO
        and (
            c.sharpness < limits.defocus
            or (kept < limits.defocus and c.sharpness < DEFOCUS_OWN_SHARPNESS_RATIO)
            or lost_everywhere
        )
        and (not contrasted or view_there or c.mostly_unchanged)
        and c.steepness < steepness_bar
    )
    # Whoever stands in front of a lens focused again hides the view's detail, but not their
    # own steep outline.
    in_focus = defocus_deciding and c.steepness >= DEFOCUS_END_STEEPNESS_RATIO
    return BlurLook(kept=kept, partly_intact=partly_intact, blurred=blurred, in_focus=in_focus)
