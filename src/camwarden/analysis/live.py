"""Tamper detection on a live camera: the recorder's keyframes, analysed in a thread of its own.

Recording never waits for analysis: keyframes go into a small queue, and when the analysis
falls behind the oldest waiting keyframes are dropped and counted (logged every 50). Tamper
events become camera events (the health page, the timeline) with the wall-clock moment the
condition was first seen. Motion is not stored yet (activity storage is still to come), and
`signal_loss` is the recorder's own `video_loss` event.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from datetime import datetime, timedelta
from typing import Any, Protocol

import av

from camwarden.analysis.analyzer import CameraAnalyzer
from camwarden.analysis.detectors import DetectorSettings
from camwarden.analysis.frames import ANALYSIS_HEIGHT, ANALYSIS_WIDTH, AnalysisFrame, to_grey

log = logging.getLogger(__name__)

QUEUE_KEYFRAMES = 8
TAMPER_KINDS = frozenset({"covered", "defocused", "moved", "too_dark", "too_bright", "frozen"})


class EventSink(Protocol):
    def open_event(
        self, camera_id: int, kind: str, started_at: datetime, details: str = ""
    ) -> int: ...

    def close_event(self, event_id: int, ended_at: datetime) -> None: ...


class LiveAnalyzer:
    def __init__(
        self, camera_id: int, sink: EventSink, settings: DetectorSettings | None = None
    ) -> None:
        self.camera_id = camera_id
        self.dropped = 0
        self._sink = sink
        self._settings = settings
        self._queue: queue.Queue[tuple[bytes, datetime, bytes | None] | None] = queue.Queue(
            QUEUE_KEYFRAMES
        )
        self._thread = threading.Thread(target=self._run, name=f"analysis-{camera_id}", daemon=True)
        self._thread.start()

    def offer(self, keyframe: bytes, at: datetime, extradata: bytes | None) -> None:
        """Called by the recorder for each keyframe; never blocks."""
        try:
            self._queue.put_nowait((keyframe, at, extradata))
        except queue.Full:
            self.dropped += 1
            if self.dropped % 50 == 1:
                log.warning(
                    "camera %s: analysis is behind, %d keyframes skipped so far",
                    self.camera_id,
                    self.dropped,
                )

    def stop(self) -> None:
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait(None)
        self._thread.join(5)

    def _run(self) -> None:
        analyzer = CameraAnalyzer(self._settings)
        origin: datetime | None = None
        open_events: dict[str, int] = {}
        decoder: Any = None  # an h264 VideoCodecContext, made again if the stream changes
        decoder_extradata: bytes | None = None
        while True:
            item = self._queue.get()
            if item is None:
                return
            keyframe, at, extradata = item
            if decoder is None or extradata != decoder_extradata:
                decoder = av.CodecContext.create("h264", "r")
                if extradata:
                    decoder.extradata = extradata
                decoder_extradata = extradata
            try:
                frames = list(decoder.decode(av.Packet(keyframe)))
            except av.FFmpegError:
                continue
            if not frames:
                continue
            origin = origin or at
            grey = to_grey(frames[0], ANALYSIS_WIDTH, ANALYSIS_HEIGHT)
            events = analyzer.feed(AnalysisFrame(t=(at - origin).total_seconds(), grey=grey))
            for event in events:
                kind = str(event.event)
                if kind not in TAMPER_KINDS:
                    continue
                moment = origin + timedelta(seconds=event.since)
                if event.state == "start" and kind not in open_events:
                    open_events[kind] = self._sink.open_event(
                        self.camera_id, kind, moment, f"score {event.score:.2f}"
                    )
                elif event.state == "end" and kind in open_events:
                    self._sink.close_event(open_events.pop(kind), moment)
