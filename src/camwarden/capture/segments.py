"""Writing one camera's packets into fragmented-MP4 segment files, indexed as they grow.

Fragmented MP4 with an empty `moov` up front and a fragment per keyframe: a file cut off by a
crash or a power loss stays playable up to its last complete fragment, so at most one GOP
(2 s at the usual camera settings) is lost, never the segment. `flush_packets` makes FFmpeg
hand every packet to the OS at once instead of holding 32 KB in its own buffer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol

import av
import av.container
import av.stream

SEGMENT_OPTIONS = {
    "movflags": "frag_keyframe+empty_moov+default_base_moof",
    "flush_packets": "1",
}


class SegmentSink(Protocol):
    """Where segment bookkeeping goes (the recording index)."""

    def begin_segment(self, camera_id: int, path: str, start_at: datetime) -> int: ...

    def extend_segment(
        self, segment_id: int, *, end_at: datetime, size: int, frames: int, final: bool = False
    ) -> None: ...


def segment_path(camera_id: int, start_at: datetime) -> str:
    """recordings-relative path: <camera>/<UTC day>/<UTC time>.mp4 (sortable, one folder a day)."""
    return f"{camera_id}/{start_at:%Y-%m-%d}/{start_at:%H%M%S.%f}.mp4"


@dataclass
class _OpenSegment:
    segment_id: int
    path: Path
    container: av.container.OutputContainer
    stream: av.stream.Stream
    start_at: datetime
    first_dts: int
    frames: int = 0
    end_at: datetime | None = None


class SegmentWriter:
    """Remuxes one input video stream into consecutive segments, cut at keyframes.

    `write(packet, at)` takes each packet with the wall-clock instant it stands for; a new
    segment starts at the first keyframe after `segment_seconds`. The index is updated at
    every new fragment (keyframe), so it is never more than one GOP behind the disk.
    """

    def __init__(
        self,
        *,
        camera_id: int,
        recordings_dir: Path,
        template: av.stream.Stream,
        sink: SegmentSink,
        segment_seconds: float = 60.0,
    ) -> None:
        self._camera_id = camera_id
        self._dir = recordings_dir
        self._template = template
        self._sink = sink
        self._segment_span = timedelta(seconds=segment_seconds)
        self._current: _OpenSegment | None = None
        self._time_base: Fraction = template.time_base or Fraction(1, 90000)

    def write(self, packet: av.Packet[Any], at: datetime) -> None:
        if packet.dts is None or packet.pts is None:
            return  # nothing to place in time: FFmpeg's demuxers emit these on flush
        if self._current is None:
            if not packet.is_keyframe:
                return  # a segment must start with a keyframe to be playable on its own
            self._open(packet, at)
        elif packet.is_keyframe:
            if at - self._current.start_at >= self._segment_span:
                self.close()
                self._open(packet, at)
            else:
                self._report(final=False)
        current = self._current
        assert current is not None
        packet.dts -= current.first_dts
        packet.pts -= current.first_dts
        packet.stream = current.stream
        current.container.mux(packet)
        current.frames += 1
        duration = packet.duration or 0
        current.end_at = at + timedelta(seconds=float(duration * self._time_base))

    def close(self) -> None:
        """Finish the current segment, if any (its index row becomes complete)."""
        current = self._current
        if current is None:
            return
        self._current = None
        try:
            current.container.close()
        finally:
            self._sink.extend_segment(
                current.segment_id,
                end_at=current.end_at or current.start_at,
                size=_size(current.path),
                frames=current.frames,
                final=True,
            )

    def _open(self, packet: av.Packet[Any], at: datetime) -> None:
        relative = segment_path(self._camera_id, at)
        path = self._dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        container = av.open(str(path), "w", format="mp4", options=SEGMENT_OPTIONS)
        stream = container.add_stream_from_template(self._template)
        segment_id = self._sink.begin_segment(self._camera_id, relative, at)
        assert packet.dts is not None
        self._current = _OpenSegment(
            segment_id=segment_id,
            path=path,
            container=container,
            stream=stream,
            start_at=at,
            first_dts=packet.dts,
        )

    def _report(self, *, final: bool) -> None:
        current = self._current
        if current is None or current.end_at is None:
            return
        self._sink.extend_segment(
            current.segment_id,
            end_at=current.end_at,
            size=_size(current.path),
            frames=current.frames,
            final=final,
        )


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
