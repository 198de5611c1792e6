"""All of one camera's detectors behind one call, as live and `camwarden analyze` run them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from camwarden.analysis.detectors import DetectorSettings, TamperDetector
from camwarden.analysis.events import Event
from camwarden.analysis.frames import AnalysisFrame, read_frames
from camwarden.analysis.motion import MotionDetector


class CameraAnalyzer:
    """Tamper detection and motion activity for one camera."""

    def __init__(self, settings: DetectorSettings | None = None) -> None:
        self.tamper = TamperDetector(settings)
        self.motion = MotionDetector()

    def feed(self, frame: AnalysisFrame) -> list[Event]:
        events = self.tamper.feed(frame) + self.motion.feed(frame)
        return sorted(events, key=lambda event: event.t)


def analyze_frames(
    frames: Iterable[AnalysisFrame], settings: DetectorSettings | None = None
) -> Iterator[Event]:
    """The events of a sequence of frames, in time order."""
    analyzer = CameraAnalyzer(settings)
    for frame in frames:
        yield from analyzer.feed(frame)


def analyze_file(path: Path, settings: DetectorSettings | None = None) -> Iterator[Event]:
    """The events of a video file, as the live analysis would raise them, in time order."""
    return analyze_frames(read_frames(path), settings)
