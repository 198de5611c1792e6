"""What one frame looks like next to the reference view: the conditions each tamper kind is
raised on, and the measures its end is judged on.

Pure: the detector keeps what is pending and raised, and the frame before (`detectors.py`).
Each kind's condition is in its own module (`_exposure.py`, `_covered.py`, `_defocused.py`,
`_moved.py`), on the frame's measures over the reference's (`_view_comparison.py`); the
thresholds and the reasons for their values are in `_thresholds.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from camwarden.analysis._covered import CoverLook, grained, look_for_cover
from camwarden.analysis._defocused import BlurLook, look_for_blur
from camwarden.analysis._exposure import headroom_of, too_bright, too_dark
from camwarden.analysis._limits import Thresholds
from camwarden.analysis._measures import FrameMeasures, Regions
from camwarden.analysis._moved import view_elsewhere
from camwarden.analysis._reference import Reference
from camwarden.analysis._view_comparison import ViewComparison
from camwarden.analysis.events import EventKind

# The kinds whose pictures hide the view, each said by one of `Looks`' verdicts.
HIDDEN_VIEW_KINDS: tuple[EventKind, ...] = ("too_dark", "too_bright", "covered", "moved")


@dataclass(frozen=True)
class Looks:
    """One frame against the reference: ratios are the frame's over the reference's."""

    contrast: float
    sharpness: float
    """Its own fine detail relative to its contrast (`FrameMeasures.sharpness`)."""
    similarity: float
    """Edge correlation with the reference (masked cells left out)."""
    detail: float
    headroom: float
    """The picture's distance from white, over the most it had lately: the reference's, or
    the last normal picture's where that was darker (lights switched off)."""
    amplitude: float
    """The picture's spread of brightness (its standard deviation) over the reference's
    (`amplitude_of`)."""
    dark: bool
    bright: bool
    cover: CoverLook
    """How it looks covered, before a cloth's grain is asked about (`flat` says covered)."""
    grained: bool
    """Covered: a cloth's grain with a strip of the view beside it, by how alike its edges are
    or how few of the view's lines it has (read as a moved view, or as nothing, otherwise)."""
    flat: bool
    """Covered."""
    blur: BlurLook
    """Whether it is blurred (defocused), and what a defocus's end is judged on."""
    shifted: bool
    """Moved."""
    view_shown: bool
    """The view is shown, not hidden, whatever stands still (for `frozen`)."""

    @property
    def cloth_shaped(self) -> bool:
        """Covered by the picture's shape (a strip of the view, the view smoothed away, a
        grain), which contrast and detail coming back do not undo: a cloth's shading and grain
        give both back."""
        return self.cover.in_a_strip or self.cover.smoothed_away or self.grained

    @property
    def hidden_as(self) -> list[EventKind]:
        """The kinds of hidden view it is judged as (`HIDDEN_VIEW_KINDS`; one at most, but for
        a rare tie)."""
        verdicts = (self.dark, self.bright, self.flat, self.shifted)
        return [kind for kind, on in zip(HIDDEN_VIEW_KINDS, verdicts, strict=True) if on]

    def judged_as(self, kind: EventKind) -> Looks:
        """These looks with `kind` the only kind of hidden view they are judged as."""
        return replace(
            self,
            dark=kind == "too_dark",
            bright=kind == "too_bright",
            flat=kind == "covered",
            shifted=kind == "moved",
        )


def look(
    m: FrameMeasures,
    ref: Reference,
    light: float,
    limits: Thresholds,
    regions: Regions | None,
    *,
    defocus_deciding: bool,
    normal_mean: float | None = None,
    normal_sharpness: float | None = None,
) -> Looks:
    """The frame's measures `m` at `light` (its share of the reference's), against `ref`;
    `normal_mean` and `normal_sharpness` are the last normal picture's (None before the
    first).

    Kinds exclude each other from the top down: clipped (dark or bright), then flat, then
    blurred, then shifted; but a frame away from the view that is not blurred (shifted, or
    nothing) is flat when it is a cloth's grain (`grained`).
    """
    c = ViewComparison(m, ref, light, limits, regions, normal_sharpness)
    dark = too_dark(c)
    headroom = headroom_of(c, normal_mean)
    bright = too_bright(c, headroom)
    clipped = dark or bright
    cover = look_for_cover(c, clipped)
    blur = look_for_blur(c, clipped=clipped, flat=cover.flat, defocus_deciding=defocus_deciding)
    away = not clipped and not cover.flat and not blur.blurred and c.similarity < limits.moved_end
    elsewhere = away and view_elsewhere(c)
    cloth_grain = away and grained(c, elsewhere)
    flat = cover.flat or cloth_grain
    # The view is shown down to the bar `moved` starts at: people filling the real corridor,
    # or the heavy noise of a night, keep a live (or frozen) view under "back"
    # (MOVED_END_CORRELATION). Or where most of it is unchanged: someone standing in front of
    # the close corridor's table hides all its edges.
    view_shown = not clipped and not flat and (c.similarity >= limits.moved or c.mostly_unchanged)
    return Looks(
        contrast=c.contrast,
        sharpness=c.sharpness,
        similarity=c.similarity,
        detail=c.detail,
        headroom=headroom,
        amplitude=c.amplitude,
        dark=dark,
        bright=bright,
        cover=cover,
        grained=cloth_grain,
        flat=flat,
        blur=blur,
        shifted=elsewhere and not cloth_grain,
        view_shown=view_shown,
    )
