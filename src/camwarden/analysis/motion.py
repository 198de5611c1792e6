"""Motion activity per camera: frame difference with a threshold, as start/end events.

Modelled on Frigate's detector, scaled to our rate: gain removed (the previous frame scaled
by the median pixel ratio between the two, so a light switched is not motion, while a person
filling half the picture does not shift the estimate as a mean would), a 3x3 blur at half
size against sensor noise, a per-pixel threshold, and a minimum changed area. When most of
the picture changes at once it is a lighting or exposure change, not activity
(Frigate recalibrates there too).
"""

from __future__ import annotations

import numpy as np

from camwarden.analysis._measures import box3, half_size
from camwarden.analysis.events import Event, Persistence
from camwarden.analysis.frames import AnalysisFrame, GreyImage

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

    def __init__(self) -> None:
        self._previous: GreyImage | None = None
        self._state = Persistence("motion", start_s=0.0, end_s=MOTION_END_S)

    def feed(self, frame: AnalysisFrame) -> list[Event]:
        small = box3(half_size(frame.grey))
        previous, self._previous = self._previous, small
        if previous is None:
            return []
        gain = float(np.median((small + 1.0) / (previous + 1.0)))
        changed = float((np.abs(small - gain * previous) > MOTION_PIXEL_DIFFERENCE).mean())
        if changed > GLOBAL_CHANGE_FRACTION:
            return []
        moving = changed >= MOTION_AREA_FRACTION
        event = self._state.update(frame.t, on=moving, off=not moving, score=changed)
        return [event] if event is not None else []
