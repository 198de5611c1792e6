"""One camera's recording loop: connect, copy packets into segments, survive outages.

End of stream on a live camera is an outage, not the end: PyAV reports a dead RTSP source as
a normal end of file. The loop reconnects with a short backoff (so recording resumes within
seconds of the camera's return) and opens a video-loss event once no data has come for
`video_loss_seconds`; the event closes when packets flow again, so each gap is recorded once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import av
import av.container

from camwarden.analysis.live import LiveAnalyzer
from camwarden.capture.live import LiveFeed
from camwarden.capture.segments import SegmentSink, SegmentWriter
from camwarden.capture.status import StreamMeter
from camwarden.clock import Clock
from camwarden.storage.models import CameraEvent
from camwarden.storage.recordings import EventKind

log = logging.getLogger(__name__)

# A camera that restarts (a reboot, a changed setting) is back within a second or two: the
# first retries come quickly so its picture, and any tampering in it, is seen at once; a camera
# that stays away is tried every 2 s.
BACKOFF_SECONDS = (0.2, 0.3, 0.5, 1.0, 2.0)
# Camera clocks drift and streams stall; beyond this the wall clock wins and timing rebases.
MAX_DRIFT = timedelta(seconds=5)

StreamOpener = Callable[[str], av.container.InputContainer]


def open_rtsp(
    url: str, *, open_timeout: float = 5.0, read_timeout: float = 5.0
) -> av.container.InputContainer:
    """An RTSP source over TCP (UDP loses packets on busy school networks).

    Probing is kept short: the camera's SDP already names the codec and size, and every
    packet read while probing is handed over later in one burst, which would make the
    wall-clock times given to the first packets late by the probing time (1.9 s by default,
    0.1 s with these limits, measured on the test camera).
    """
    return av.open(
        url,
        options={"rtsp_transport": "tcp", "analyzeduration": "100000", "probesize": "32768"},
        timeout=(open_timeout, read_timeout),
    )


class HealthSink(Protocol):
    def open_event(
        self,
        camera_id: int,
        kind: str,
        started_at: datetime,
        details: str = "",
        *,
        score: float | None = None,
        snapshot_before: str | None = None,
        snapshot_after: str | None = None,
    ) -> int: ...

    def close_event(self, event_id: int, ended_at: datetime) -> None: ...

    def open_events(self, camera_id: int) -> Sequence[CameraEvent]: ...


class RecordingIndexSink(SegmentSink, HealthSink, Protocol):
    """What a recorder needs of the recording index."""


class CameraRecorder:
    def __init__(
        self,
        *,
        camera_id: int,
        url: str,
        recordings_dir: Path,
        index: RecordingIndexSink,
        clock: Clock,
        opener: StreamOpener = open_rtsp,
        segment_seconds: float = 60.0,
        video_loss_seconds: float = 10.0,
        live: LiveFeed | None = None,
        analysis: LiveAnalyzer | None = None,
    ) -> None:
        self.camera_id = camera_id
        self._live = live
        self._analysis = analysis
        self._url = url
        self._dir = recordings_dir
        self._index = index
        self._clock = clock
        self._opener = opener
        self._segment_seconds = segment_seconds
        self._video_loss = timedelta(seconds=video_loss_seconds)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_data: datetime = clock.now()
        self._loss_event: int | None = None
        self._storage_event: int | None = None
        # What the health page shows of this recorder (capture/status.py).
        self.meter = StreamMeter(camera_id)

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._run, name=f"recorder-{self.camera_id}", daemon=True
        )
        self._thread.start()

    def request_stop(self) -> None:
        """Ask the loop to end, without waiting (to stop many recorders at once)."""
        self._stop.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def is_alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- the loop --------------------------------------------------------------------------

    def _run(self) -> None:
        for event in self._index.open_events(self.camera_id):
            if event.kind == EventKind.VIDEO_LOSS:
                # A video loss still open from before a restart goes on: one gap, one event.
                self._loss_event, self._last_data = event.id, event.started_at
            elif event.kind == EventKind.RECORDING_STOPPED:
                self._index.close_event(event.id, self._clock.now())  # recording again
        try:
            self._loop()
        except Exception as exc:  # a bug must not pass silently: the supervisor restarts us
            log.exception("camera %s: the recorder stopped", self.camera_id)
            self._index.open_event(
                self.camera_id, EventKind.RECORDING_STOPPED, self._clock.now(), repr(exc)[:500]
            )

    def _loop(self) -> None:
        failures = 0
        while not self._stop.is_set():
            if self._record_once():
                failures = 0
            else:
                failures += 1
            self._check_video_loss()
            delay = BACKOFF_SECONDS[min(failures, len(BACKOFF_SECONDS) - 1)]
            self._stop.wait(delay)

    def _record_once(self) -> bool:
        """One connection, until it ends; True when packets came through it."""
        try:
            container = self._opener(self._url)
        except (av.FFmpegError, OSError) as exc:
            log.info("camera %s: cannot connect: %s", self.camera_id, exc)
            return False
        got_data = False
        writer: SegmentWriter | None = None
        try:
            stream = container.streams.video[0]
            writer = SegmentWriter(
                camera_id=self.camera_id,
                recordings_dir=self._dir,
                template=stream,
                sink=self._index,
                segment_seconds=self._segment_seconds,
            )
            time_base = stream.time_base
            if self._live is not None:
                self._live.connected(stream)
            self.meter.connected()
            extradata = stream.codec_context.extradata
            codec = stream.codec_context.name
            base: tuple[datetime, int] | None = None
            for packet in container.demux(stream):
                if self._stop.is_set():
                    break
                if packet.pts is None or time_base is None:
                    if packet.is_keyframe:
                        self.meter.keyframe(self._clock.now())
                    if self._analysis is not None and packet.is_keyframe and packet.size:
                        # RTSP's first keyframe often comes without a timestamp: not
                        # recordable, but the current view, and the start of the next GOP's
                        # decoding (a tampering is seen now, not one GOP later).
                        self._analysis.offer_packet(
                            bytes(packet),
                            self._clock.now(),
                            keyframe=True,
                            extradata=extradata,
                            codec=codec,
                        )
                    continue
                now = self._clock.now()
                if base is not None:
                    at = base[0] + timedelta(seconds=float((packet.pts - base[1]) * time_base))
                    if abs(at - now) > MAX_DRIFT:
                        base = None
                if base is None:
                    base, at = (now, packet.pts), now
                self.meter.packet(now, at, packet.size, packet.is_keyframe)
                if self._live is not None:
                    self._live.publish(packet)  # before the writer re-times the packet
                if self._analysis is not None:
                    # Every packet (a copy of bytes, never blocking): the analysis decides
                    # which it decodes (analysis/sampling.py).
                    self._analysis.offer_packet(
                        bytes(packet),
                        at,
                        keyframe=packet.is_keyframe,
                        extradata=extradata,
                        codec=codec,
                    )
                if not self._write(writer, packet, at):
                    break
                got_data = True
                self.meter.written(now)
                self._data_arrived(now)
        except (av.FFmpegError, OSError) as exc:
            log.info("camera %s: stream ended: %s", self.camera_id, exc)
        finally:
            self.meter.disconnected()
            if self._live is not None:
                self._live.disconnected()
            if writer is not None:
                self._close_writer(writer)
            container.close()
        return got_data

    def _write(self, writer: SegmentWriter, packet: av.Packet[Any], at: datetime) -> bool:
        """Write a packet; a storage failure is an event, and the connection starts over."""
        try:
            writer.write(packet, at)
        except OSError as exc:
            if self._storage_event is None:
                self._storage_event = self._index.open_event(
                    self.camera_id, EventKind.STORAGE_ERROR, self._clock.now(), str(exc)
                )
            return False
        if self._storage_event is not None:
            self._index.close_event(self._storage_event, self._clock.now())
            self._storage_event = None
        return True

    def _close_writer(self, writer: SegmentWriter) -> None:
        try:
            writer.close()
        except (av.FFmpegError, OSError) as exc:
            log.warning("camera %s: closing a segment failed: %s", self.camera_id, exc)

    # -- video loss ------------------------------------------------------------------------

    def _data_arrived(self, now: datetime) -> None:
        self._last_data = now
        if self._loss_event is not None:
            self._index.close_event(self._loss_event, now)
            self._loss_event = None

    def _check_video_loss(self) -> None:
        if self._loss_event is None and self._clock.now() - self._last_data >= self._video_loss:
            # The loss began when the last data came, not when it was noticed.
            self._loss_event = self._index.open_event(
                self.camera_id, EventKind.VIDEO_LOSS, self._last_data
            )
