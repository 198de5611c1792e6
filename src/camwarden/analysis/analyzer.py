"""All of one camera's detectors behind one call, as live and `camwarden analyze` run them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from camwarden.analysis.detectors import DetectorSettings, TamperDetector
from camwarden.analysis.events import Event
from camwarden.analysis.frames import AnalysisFrame
from camwarden.analysis.motion import MotionDetector


class CameraAnalyzer:
    """Tamper detection and motion activity for one camera."""

    def __init__(self, settings: DetectorSettings | None = None) -> None:
        self.settings = settings or DetectorSettings()
        self.tamper = TamperDetector(self.settings)
        self.motion = MotionDetector(self.settings.mask, self.settings.motion_sensitivity)
        self._waiting: DetectorSettings | None = None

    @property
    def attentive(self) -> bool:
        """A tamper condition (or the end of one) is seen and not yet decided."""
        return self.tamper.attentive

    @property
    def dense(self) -> bool:
        """The frames between keyframes are being learnt from (`TamperDetector.dense`)."""
        return self.tamper.dense

    def configure(self, settings: DetectorSettings) -> None:
        """IT's new settings, live. Sensitivities apply at the next frame. A new mask changes
        what the normal view is measured on, so that view is learnt again; while a tamper
        event is active or being decided the new mask waits for it to end, so that a covered
        lens is never learnt as the normal view."""
        self.motion.configure(settings.mask, settings.motion_sensitivity)
        self.tamper.set_sensitivity(settings.tamper_sensitivity)
        if settings.mask != self.tamper.settings.mask or settings.learn_s != (
            self.tamper.settings.learn_s
        ):
            self._waiting = settings
            self._relearn_when_quiet()
        else:
            self._waiting = None
        self.settings = settings

    def learn_again(self) -> None:
        """IT's word that the camera shows its normal view now: it is learnt again at once,
        whatever is raised or being decided (those conditions are dropped, not ended: the
        caller ends its events)."""
        self.tamper = TamperDetector(self._waiting or self.settings)
        self._waiting = None

    def feed(self, frame: AnalysisFrame) -> list[Event]:
        events = self.tamper.feed(frame) + self.motion.feed(frame)
        self._relearn_when_quiet()
        return sorted(events, key=lambda event: event.t)

    def _relearn_when_quiet(self) -> None:
        if self._waiting is not None and not self.tamper.active and not self.tamper.attentive:
            self.learn_again()


def analyze_frames(
    frames: Iterable[AnalysisFrame], settings: DetectorSettings | None = None
) -> Iterator[Event]:
    """The events of a sequence of frames, in time order."""
    analyzer = CameraAnalyzer(settings)
    for frame in frames:
        yield from analyzer.feed(frame)


def analyze_file(path: Path, settings: DetectorSettings | None = None) -> Iterator[Event]:
    """The events of a video file, exactly as the live analysis would raise them: the same
    sampling of its packets (`sampling.py`), the same decoding and detectors, at the file's
    own timestamps (seconds from its first frame). Raises av.FFmpegError on an unreadable file.
    """
    from camwarden.analysis.pipeline import analyze_packets_of  # pipeline builds on this module

    for analysed in analyze_packets_of(path, settings):
        yield from analysed.events
