"""too_dark and too_bright: a picture crushed or clipped, or a lens taped or blinded, told from
lights switched off or on (`_looks.py`; the bars' reasons in `_thresholds.py`)."""

from __future__ import annotations

from camwarden.analysis._comparisons import darkest_lift
from camwarden.analysis._thresholds import (
    BRIGHT_MEAN,
    DARK_MEAN,
    DIM_MEAN,
    FLARE_LIFT,
    GLARE_MEAN,
    LIGHT_BACK_RATIO,
    LIGHT_LOST_RATIO,
    WASHED_OUT_FRACTION,
)
from camwarden.analysis._view_comparison import ViewComparison


def too_dark(c: ViewComparison) -> bool:
    """Most of the picture crushed; or a dim picture that lost four fifths of the view's light,
    or two thirds of it and four fifths of its amplitude with the view still there by its
    edges (a black level lifted by the sensor adds light, not amplitude)."""
    m = c.frame
    return (m.mean < DARK_MEAN and m.dark_fraction >= c.limits.dark_fraction) or (
        m.mean < DIM_MEAN
        and (
            c.light < LIGHT_LOST_RATIO
            or (
                c.light < LIGHT_BACK_RATIO
                and c.amplitude < LIGHT_LOST_RATIO
                and c.similarity >= c.limits.moved
            )
        )
    )


def headroom_of(c: ViewComparison, normal_mean: float | None) -> float:
    """The picture's distance from white over the most it had lately: the reference's, or the
    last normal picture's (`normal_mean`; None before the first) where that was darker
    (lights switched off)."""
    darkest = c.reference.mean if normal_mean is None else min(c.reference.mean, normal_mean)
    return (256.0 - c.frame.mean) / (256.0 - darkest)


def too_bright(c: ViewComparison, headroom: float) -> bool:
    """Most of the picture clipped; or a bright picture that lost four fifths of its `headroom`
    (`headroom_of`) and two thirds of the reference's; or, at that loss of the reference's, a
    light shone at the lens: most of it clipped, the view's edges gone and its darkest blocks
    lifted by the flare."""
    m = c.frame
    reference_headroom = (256.0 - m.mean) / (256.0 - c.reference.mean)
    return (m.mean > BRIGHT_MEAN and m.bright_fraction >= c.limits.bright_fraction) or (
        m.mean > GLARE_MEAN
        and reference_headroom < LIGHT_BACK_RATIO
        and (
            headroom < LIGHT_LOST_RATIO
            or (
                m.bright_fraction >= WASHED_OUT_FRACTION
                and c.similarity < c.limits.moved
                and darkest_lift(m.blocks, c.reference.blocks, c.keep_coarse) >= FLARE_LIFT
            )
        )
    )
