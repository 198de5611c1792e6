"""Motion activity per camera: frame difference with a threshold, as start/end events.

Modelled on Frigate's detector, scaled to our rate: gain removed (the previous frame scaled
by the median pixel ratio between the two, so a light switched is not motion, while a person
filling half the picture does not shift the estimate as a mean would), a 3x3 blur at half
size against sensor noise, a per-pixel threshold, and a minimum changed area. When most of
the picture changes at once it is a lighting or exposure change, not activity
(Frigate recalibrates there too).

Masked cells are left out: the level is the share of the *unmasked* picture that moved. The
camera's motion sensitivity divides the per-pixel threshold by its factor and the minimum
area by the factor squared (`sensitivity.MOTION_FACTORS`).
"""

from __future__ import annotations

import numpy as np

from camwarden.analysis._measures import Regions, box3, eroded, half_size
from camwarden.analysis.events import Event, Persistence
from camwarden.analysis.frames import AnalysisFrame, GreyImage
from camwarden.analysis.mask import KeepImage, keep_pixels
from camwarden.analysis.sensitivity import MOTION_FACTORS, Sensitivity

# A pixel changed when it moved more than this (0..255 scale, gain removed): well above the
# sensor noise after the blur (about 2 levels), under a person against a wall (40+).
MOTION_PIXEL_DIFFERENCE = 25.0
# Activity when at least this share of the picture changed: 0.2 % of 160x90 is ~30 pixels,
# a person far down a corridor.
MOTION_AREA_FRACTION = 0.002
# More than this share changed at once: a global change (light, exposure), not activity.
GLOBAL_CHANGE_FRACTION = 0.8
# Activity ends after this long without motion, so one walk is one event.
MOTION_END_S = 4.0


class MotionDetector:
    """One camera's motion activity: feed frames in time order, get start/end events."""

    def __init__(self, mask: str = "", sensitivity: Sensitivity = "normal") -> None:
        self._previous: GreyImage | None = None
        self._state = Persistence("motion", start_s=0.0, end_s=MOTION_END_S)
        self.level = 0.0
        """The share of the unmasked picture that moved at the last frame, 0..1 (0 below the
        minimum area, and for a global change)."""
        self.configure(mask, sensitivity)

    def configure(self, mask: str, sensitivity: Sensitivity) -> None:
        """Takes effect at the next frame."""
        self._mask = mask
        self._keep_for: tuple[int, ...] | None = None
        self._keep: KeepImage | None = None
        factor = MOTION_FACTORS[sensitivity]
        self._pixel_difference = MOTION_PIXEL_DIFFERENCE / factor
        self._area_fraction = MOTION_AREA_FRACTION / (factor * factor)

    def feed(self, frame: AnalysisFrame) -> list[Event]:
        keep = self._keep_at(frame.grey.shape)
        small = box3(half_size(frame.grey))
        previous, self._previous = self._previous, small
        self.level = 0.0
        if previous is None:
            return []
        if keep is not None:
            small, previous = small[keep], previous[keep]
        gain = float(np.median((small + 1.0) / (previous + 1.0)))
        changed = float((np.abs(small - gain * previous) > self._pixel_difference).mean())
        if changed > GLOBAL_CHANGE_FRACTION:
            return []
        moving = changed >= self._area_fraction
        self.level = changed if moving else 0.0
        event = self._state.update(frame.t, on=moving, off=not moving, score=changed)
        return [event] if event is not None else []

    def _keep_at(self, shape: tuple[int, ...]) -> KeepImage | None:
        """Half-size pixels whose 3x3 blur sees no masked pixel."""
        if self._keep_for != shape:
            keep = keep_pixels(self._mask, shape[1], shape[0])
            self._keep = None if keep is None else eroded(Regions.of(keep).half, 1)
            if self._keep is not None and not self._keep.any():
                self._keep = Regions.of(keep).half if keep is not None else None
            self._keep_for = shape
        return self._keep
