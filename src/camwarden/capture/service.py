"""Recording every camera in service: one supervised recorder per camera.

Each recorder is a thread of its own: a camera that misbehaves only ever stalls its own
thread (PyAV releases the GIL while it waits on the network), and the supervisor restarts a
recorder whose thread died. The web UI runs beside it in the same process.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from camwarden.analysis.detectors import DetectorSettings
from camwarden.analysis.live import ActivitySink, LiveAnalyzer
from camwarden.analysis.sensitivity import Sensitivity
from camwarden.capture.live import LiveHub
from camwarden.capture.recorder import CameraRecorder, RecordingIndexSink, StreamOpener, open_rtsp
from camwarden.capture.status import StreamMeter, StreamStatus
from camwarden.clock import Clock

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CameraSource:
    """What the recorder needs to know of a camera; credentials only in memory."""

    camera_id: int
    url: str
    username: str | None = None
    password: str | None = None
    # What IT set for the analysis; a change reaches the analyzer without a reconnection.
    analysis_mask: str = ""
    tamper_sensitivity: Sensitivity = "normal"
    motion_sensitivity: Sensitivity = "normal"
    # IT's requests to learn the normal view again: a new number makes the analyzer learn.
    view_learning_requests: int = 0

    @property
    def stream(self) -> tuple[str, str | None, str | None]:
        """What the recorder connects with: a change here restarts the recording."""
        return (self.url, self.username, self.password)

    def authenticated_url(self) -> str:
        if not self.username and not self.password:
            return self.url
        parts = urlsplit(self.url)
        userinfo = quote(self.username or "", safe="") + ":" + quote(self.password or "", safe="")
        return urlunsplit((parts.scheme, f"{userinfo}@{parts.netloc}", parts.path, parts.query, ""))


class RecordingService:
    def __init__(
        self,
        *,
        recordings_dir: Path,
        index: RecordingIndexSink,
        clock: Clock,
        opener: StreamOpener = open_rtsp,
        segment_seconds: float = 60.0,
        video_loss_seconds: float = 10.0,
        live: LiveHub | None = None,
        analysis_settings: DetectorSettings | None = None,
        snapshots_dir: Path | None = None,
        activity: ActivitySink | None = None,
    ) -> None:
        self.live = live or LiveHub()
        self._analysis_settings = analysis_settings or DetectorSettings()
        self._snapshots_dir = snapshots_dir
        self._activity = activity
        self._analyzers: dict[int, LiveAnalyzer] = {}
        self._dir = recordings_dir
        self._index = index
        self._clock = clock
        self._opener = opener
        self._segment_seconds = segment_seconds
        self._video_loss_seconds = video_loss_seconds
        self._recorders: dict[int, tuple[CameraSource, CameraRecorder]] = {}
        self._lock = threading.Lock()

    def sync(self, sources: list[CameraSource]) -> None:
        """Record exactly these cameras: start the new, stop the removed, restart those whose
        stream changed or whose recorder died. A change of analysis settings, or a request to
        learn the view again, only reaches the camera's analyzer: recording goes on untouched
        (a new analyzer, of a camera started or restarted, learns its view anyway)."""
        wanted = {source.camera_id: source for source in sources}
        with self._lock:
            for camera_id in list(self._recorders):
                source, recorder = self._recorders[camera_id]
                new = wanted.get(camera_id)
                if new is not None and new.stream == source.stream and recorder.is_alive:
                    running = self._analyzers[camera_id]
                    running.configure(self._detector_settings(new))
                    if new.view_learning_requests != source.view_learning_requests:
                        running.learn_view_again()
                    self._recorders[camera_id] = (new, recorder)
                    continue
                if not recorder.is_alive:
                    log.warning("camera %s: recorder died; restarting it", camera_id)
                recorder.stop()
                del self._recorders[camera_id]
                analyzer = self._analyzers.pop(camera_id, None)
                if analyzer is not None:
                    analyzer.stop()
            for camera_id, source in wanted.items():
                if camera_id not in self._recorders:
                    analyzer = LiveAnalyzer(
                        camera_id,
                        self._index,
                        self._detector_settings(source),
                        snapshots_dir=self._snapshots_dir,
                        activity=self._activity,
                    )
                    self._analyzers[camera_id] = analyzer
                    recorder = CameraRecorder(
                        camera_id=camera_id,
                        url=source.authenticated_url(),
                        recordings_dir=self._dir,
                        index=self._index,
                        clock=self._clock,
                        opener=self._opener,
                        segment_seconds=self._segment_seconds,
                        video_loss_seconds=self._video_loss_seconds,
                        live=self.live.feed(camera_id),
                        analysis=analyzer,
                    )
                    recorder.start()
                    self._recorders[camera_id] = (source, recorder)

    def recorder(self, camera_id: int) -> CameraRecorder | None:
        with self._lock:
            entry = self._recorders.get(camera_id)
            return entry[1] if entry is not None else None

    def analyzer(self, camera_id: int) -> LiveAnalyzer | None:
        with self._lock:
            return self._analyzers.get(camera_id)

    def _detector_settings(self, source: CameraSource) -> DetectorSettings:
        return replace(
            self._analysis_settings,
            mask=source.analysis_mask,
            tamper_sensitivity=source.tamper_sensitivity,
            motion_sensitivity=source.motion_sensitivity,
        )

    def status(self) -> dict[int, StreamStatus]:
        """Each recorded camera as it is now: online, recording, last keyframe, fps, bitrate,
        and its analysis (learning, or behind)."""
        with self._lock:
            watched = [
                (recorder.meter, self._analyzers.get(camera_id))
                for camera_id, (_, recorder) in self._recorders.items()
            ]
        now = self._clock.now()
        return {meter.camera_id: _status(meter, analyzer, now) for meter, analyzer in watched}

    def status_of(self, camera_id: int) -> StreamStatus | None:
        """One camera's `status`; None if it is not recorded here."""
        with self._lock:
            recorded = self._recorders.get(camera_id)
            analyzer = self._analyzers.get(camera_id)
        if recorded is None:
            return None
        return _status(recorded[1].meter, analyzer, self._clock.now())

    def recording(self) -> list[int]:
        with self._lock:
            return sorted(cid for cid, (_, rec) in self._recorders.items() if rec.is_alive)

    def stop(self) -> None:
        with self._lock:
            recorders = [recorder for _, recorder in self._recorders.values()]
            self._recorders.clear()
        for recorder in recorders:
            recorder.request_stop()
        for recorder in recorders:
            recorder.stop()
        with self._lock:
            analyzers = list(self._analyzers.values())
            self._analyzers.clear()
        for analyzer in analyzers:
            analyzer.stop()


def _status(meter: StreamMeter, analyzer: LiveAnalyzer | None, now: datetime) -> StreamStatus:
    """A recorded camera's stream as measured at `now`, with its analysis (if it has one)."""
    analysis = analyzer.state() if analyzer is not None else None
    return replace(meter.status(now), analysis=analysis)
