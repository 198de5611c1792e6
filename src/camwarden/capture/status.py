"""What a recorder is doing now, for the health page (R-8.1): read-only, cheap to keep.

The recorder thread tells a `StreamMeter` of each packet with a few attribute stores and one
append to a bounded deque (atomic under the GIL): no lock on the packet loop. Readers copy
the deque and work out the figures on their own time.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from camwarden.analysis.live import AnalysisState

# Figures are measured over this much of the stream, from the packets' own timestamps.
WINDOW = timedelta(seconds=10)
# 1,024 packets hold 10 s of a stream up to 100 fps.
_KEPT_PACKETS = 1024
# No packet for this long: the camera is not online (a video loss opens later, after
# `video_loss_seconds`, when it becomes an event).
STALE = timedelta(seconds=3)


@dataclass(frozen=True)
class StreamStatus:
    """One camera's recorder as it is now."""

    camera_id: int
    # Connected and packets arriving.
    online: bool
    # Packets are going into a segment.
    recording: bool
    last_packet_at: datetime | None
    last_keyframe_at: datetime | None
    # Measured over the last WINDOW of the stream; None before two packets came.
    fps: float | None
    bitrate_bps: float | None
    # The camera's tamper analysis beside the recorder; None before it is known.
    analysis: AnalysisState | None = None


class StreamMeter:
    """Updated by the recorder thread only; `status` may be called from any thread."""

    def __init__(self, camera_id: int) -> None:
        self.camera_id = camera_id
        self._connected = False
        self._last_packet: datetime | None = None
        self._last_written: datetime | None = None
        self._last_keyframe: datetime | None = None
        # (stream instant as POSIX seconds, bytes)
        self._packets: deque[tuple[float, int]] = deque(maxlen=_KEPT_PACKETS)

    # -- the recorder thread -----------------------------------------------------------------

    def connected(self) -> None:
        self._connected = True
        self._packets.clear()  # a new connection's timestamps start afresh

    def disconnected(self) -> None:
        self._connected = False

    def packet(self, arrived: datetime, at: datetime, size: int, keyframe: bool) -> None:
        self._last_packet = arrived
        if keyframe:
            self._last_keyframe = at
        self._packets.append((at.timestamp(), size))

    def keyframe(self, at: datetime) -> None:
        """A keyframe without a timestamp (RTSP's first often is): seen, but not measured."""
        self._last_keyframe = at

    def written(self, arrived: datetime) -> None:
        self._last_written = arrived

    # -- any thread ----------------------------------------------------------------------------

    def status(self, now: datetime) -> StreamStatus:
        last_packet, last_written = self._last_packet, self._last_written
        online = self._connected and last_packet is not None and now - last_packet < STALE
        recording = online and last_written is not None and now - last_written < STALE
        fps, bitrate = _rates(self._copy()) if online else (None, None)
        return StreamStatus(
            camera_id=self.camera_id,
            online=online,
            recording=recording,
            last_packet_at=last_packet,
            last_keyframe_at=self._last_keyframe,
            fps=fps,
            bitrate_bps=bitrate,
        )

    def _copy(self) -> list[tuple[float, int]]:
        # The recorder may append while we copy; a copy that raced is simply taken again.
        for _ in range(5):
            try:
                return list(self._packets)
            except RuntimeError:
                continue
        return []


def _rates(packets: list[tuple[float, int]]) -> tuple[float | None, float | None]:
    """Frames a second and bits a second over the newest WINDOW of packets.

    n packets span n-1 frame intervals; the first packet's bytes arrived before the span
    began, so they are not counted in it.
    """
    if len(packets) < 2:
        return None, None
    newest = packets[-1][0]
    recent = [(t, size) for t, size in packets if newest - t <= WINDOW.total_seconds()]
    span = newest - recent[0][0]
    if len(recent) < 2 or span <= 0:
        return None, None
    fps = (len(recent) - 1) / span
    bits = sum(size for _, size in recent[1:]) * 8
    return fps, bits / span
