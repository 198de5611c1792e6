"""Where the people are in each frame of a clip: rectangles to hide, from three sources.

1. Motion, from an adaptive background model (OpenCV's MOG2) with a long memory: it does most
   of the work, and a person who stops stays "foreground" for tens of seconds.
2. Difference from the empty scene (off by default, see `Sources`): the per-pixel median of
   frames sampled a minute either side of each moment. It sees people who never move, but
   where people stand at one spot most of the time the median holds them instead.
3. Detectors for people standing still where the median cannot help: OpenCV's HOG people
   detector and Haar face cascades (frontal and profile), run on every few frames.

Each rectangle is padded (a head sticking out above a moving body, a shoulder) and held for a
short while after it was last seen, so one frame where a source misses it does not reveal a
face. All analysis runs on a grey copy scaled to ANALYSIS_WIDTH; boxes are returned in the
frame's own pixels.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

Grey = npt.NDArray[Any]  # 8-bit grey; OpenCV and PyAV type their arrays loosely
Box = tuple[int, int, int, int]  # x0, y0, x1, y1 (exclusive), in frame pixels

ANALYSIS_WIDTH = 320
# Grey levels (0..255, after a 5x5 blur) a pixel must differ from the empty scene to count.
DIFFERENCE_THRESHOLD = 22
# A region smaller than this share of the analysed frame is noise, not a person.
MIN_REGION_SHARE = 0.0012
# Padding of a region's box: a share of its height on each side, more above (the head).
PAD_SIDE = 0.25
PAD_ABOVE = 0.35
PAD_BELOW = 0.3  # thin legs, dark on a dark floor, often fall out of the mask
# The empty scene: one sample a second, the median of those within this many seconds.
BACKGROUND_WINDOW_SECONDS = 60.0
# Detectors are slower than the rest together: twice a second (the hold bridges the frames
# between).
DETECT_SECONDS = 0.5
# How long the motion model takes to learn a person standing still as scene.
MOTION_MEMORY_SECONDS = 30.0
# A box stays hidden this long after its source last saw it.
HOLD_SECONDS = 1.0
# Faces are enlarged by this factor around their centre (hair, ears, a chin the box missed).
FACE_GROWTH = 1.8


@dataclass(frozen=True)
class Sources:
    """Which sources find people; the evaluation turns them off one by one."""

    # Off by default: where people stand at one spot for most of the clip (a desk, a gate)
    # the median holds them, and the empty spot is then hidden whenever they leave.
    scene_difference: bool = False
    motion: bool = True
    people_detector: bool = True
    face_detector: bool = True


@dataclass
class _Held:
    box: Box
    until: float  # seconds


@dataclass
class BackgroundSamples:
    """Analysis-size grey frames sampled about once a second, with their times (seconds)."""

    times: list[float] = field(default_factory=list)
    frames: list[Grey] = field(default_factory=list)

    def add(self, at: float, grey: Grey) -> None:
        if self.times and at - self.times[-1] < 1.0:
            return
        self.times.append(at)
        self.frames.append(grey)

    def empty_scene(self, at: float) -> Grey | None:
        if not self.frames:
            return None
        chosen = [
            frame
            for when, frame in zip(self.times, self.frames, strict=True)
            if abs(when - at) <= BACKGROUND_WINDOW_SECONDS
        ]
        stack = np.stack(chosen or self.frames)
        scene: Grey = np.median(stack, axis=0).astype(np.uint8)
        return scene


def analysis_grey(luma: Grey) -> Grey:
    """The frame's luma scaled to ANALYSIS_WIDTH and smoothed, as every source reads it."""
    height, width = luma.shape
    scaled = cv2.resize(
        luma,
        (ANALYSIS_WIDTH, max(1, round(height * ANALYSIS_WIDTH / width))),
        interpolation=cv2.INTER_AREA,
    )
    return cv2.GaussianBlur(scaled, (5, 5), 0)


class PeopleFinder:
    """Fed every frame of a clip in order; answers the boxes to hide in each."""

    def __init__(
        self,
        width: int,
        height: int,
        fps: float,
        background: BackgroundSamples,
        sources: Sources,
    ) -> None:
        self.width = width
        self.height = height
        self.scale = width / ANALYSIS_WIDTH
        self.sources = sources
        self.background = background
        self._scene: Grey | None = None
        self._scene_for = -1e9
        # The scene's own component stays "background" alone while its weight is above the
        # ratio; it decays by (1 - 1/history) a frame, so with a ratio of 1/2 a person
        # standing still joins the background after history * ln 2 frames. (OpenCV's default
        # ratio, 0.9, takes a standing child in after a tenth of that: about 3 s.)
        self._motion = cv2.createBackgroundSubtractorMOG2(
            history=max(50, round(fps * MOTION_MEMORY_SECONDS / math.log(2))),
            varThreshold=50,
            detectShadows=False,
        )
        self._motion.setBackgroundRatio(0.5)
        self._hog = cv2.HOGDescriptor()
        detector = np.array(cv2.HOGDescriptor.getDefaultPeopleDetector(), dtype=np.float32)
        self._hog.setSVMDetector(detector)
        cascades = cv2.data.haarcascades  # type: ignore[attr-defined]
        self._faces = [
            cv2.CascadeClassifier(cascades + "haarcascade_frontalface_default.xml"),
            cv2.CascadeClassifier(cascades + "haarcascade_profileface.xml"),
        ]
        self._held: list[_Held] = []
        self._detected_at = -1e9
        min_side = max(2, round(ANALYSIS_WIDTH * 0.01))
        self._speck = cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))
        self._kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (min_side * 2 + 1,) * 2)

    def warm(self, greys: Iterable[Grey]) -> None:
        """Teach the motion model the scene on the clip's first seconds before the first frame."""
        for grey in greys:
            self._motion.apply(grey, learningRate=-1)

    def boxes(self, at: float, luma: Grey) -> list[Box]:
        """Boxes to hide in the frame at `at` seconds whose full-size luma is `luma`."""
        grey = analysis_grey(luma)
        found: list[Box] = []
        masks: list[Grey] = []
        if self.sources.scene_difference:
            scene = self._empty_scene(at)
            if scene is not None:
                difference = cv2.absdiff(grey, scene)
                masks.append((difference > DIFFERENCE_THRESHOLD).astype(np.uint8) * 255)
        if self.sources.motion:
            masks.append(self._motion.apply(grey, learningRate=-1))
        if masks:
            found += self._regions(masks)
        if at - self._detected_at >= DETECT_SECONDS:
            self._detected_at = at
            if self.sources.people_detector:
                found += self._people(grey)
            if self.sources.face_detector:
                found += self._faces_in(luma)
        self._held = [held for held in self._held if held.until >= at]
        self._held += [_Held(box, at + HOLD_SECONDS) for box in found]
        return [held.box for held in self._held]

    def _empty_scene(self, at: float) -> Grey | None:
        # Recomputed every 5 s: the median of up to 121 frames is the costly part.
        if self._scene is None or abs(at - self._scene_for) >= 5.0:
            self._scene = self.background.empty_scene(at)
            self._scene_for = at
        return self._scene

    def _regions(self, masks: list[Grey]) -> list[Box]:
        mask = masks[0]
        for other in masks[1:]:
            mask = cv2.bitwise_or(mask, other)
        # Specks go, thin limbs stay (a larger opening erased legs).
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, self._speck)
        # Generous: the parts of a person that match the wall behind them join the rest.
        mask = cv2.dilate(mask, self._kernel, iterations=3)
        count, _, stats, _ = cv2.connectedComponentsWithStats(mask)
        min_area = MIN_REGION_SHARE * mask.shape[0] * mask.shape[1]
        boxes = []
        for label in range(1, count):
            x, y, w, h, area = (int(v) for v in stats[label])
            if area >= min_area:
                boxes.append(self._padded(x, y, w, h, self.scale))
        return boxes

    def _people(self, grey: Grey) -> list[Box]:
        # The detector's window is 64x128: people shorter than ~128 analysis pixels need a
        # larger picture.
        upscale = 2.0
        bigger = cv2.resize(grey, None, fx=upscale, fy=upscale, interpolation=cv2.INTER_LINEAR)
        rects, _ = self._hog.detectMultiScale(bigger, winStride=(8, 8), scale=1.1)
        factor = self.scale / upscale
        return [self._padded(x, y, w, h, factor) for (x, y, w, h) in rects]

    def _faces_in(self, luma: Grey) -> list[Box]:
        # Faces are small: look at twice the analysis size, not the blurred copy.
        height, width = luma.shape
        target = min(width, ANALYSIS_WIDTH * 2)
        factor = width / target
        picture = cv2.resize(
            luma, (target, max(1, round(height / factor))), interpolation=cv2.INTER_AREA
        )
        picture = cv2.equalizeHist(picture)
        boxes = []
        for cascade in self._faces:
            # Coarse steps and no faces under 20 pixels: the cascades cost more than all the
            # rest together, and they only back up the other sources.
            for x, y, w, h in cascade.detectMultiScale(picture, 1.2, 4, minSize=(20, 20)):
                boxes.append(self._grown(int(x), int(y), int(w), int(h), factor))
        return boxes

    def _padded(self, x: int, y: int, w: int, h: int, factor: float) -> Box:
        x0 = (x - PAD_SIDE * h) * factor
        x1 = (x + w + PAD_SIDE * h) * factor
        y0 = (y - PAD_ABOVE * h) * factor
        y1 = (y + h + PAD_BELOW * h) * factor
        return self._clipped(x0, y0, x1, y1)

    def _grown(self, x: int, y: int, w: int, h: int, factor: float) -> Box:
        cx, cy = (x + w / 2) * factor, (y + h / 2) * factor
        half_w, half_h = w * factor * FACE_GROWTH / 2, h * factor * FACE_GROWTH / 2
        return self._clipped(cx - half_w, cy - half_h, cx + half_w, cy + half_h)

    def _clipped(self, x0: float, y0: float, x1: float, y1: float) -> Box:
        return (
            max(0, int(x0)),
            max(0, int(y0)),
            min(self.width, int(np.ceil(x1))),
            min(self.height, int(np.ceil(y1))),
        )
