"""One MP4 clip of a camera's time range, by stream copy from its recorded segments.

Stream copy never decodes, so a 5-minute export costs about what copying the files costs, and
the packets in the clip are byte for byte the ones the camera sent. Its limit: a clip can only
begin at a keyframe. So it begins at the keyframe at or before the requested start (at most one
GOP, usually 2 s, early) and ends with the last packet before the requested end; the actual
range is reported, and goes into the manifest beside the requested one.

Timestamps: each packet's wall-clock instant is its segment's `start_at` plus its time in the
segment, and the clip's timestamps follow the wall clock, so a gap in the recording stays a gap
of the same length in the clip instead of being squeezed out. Timestamps are kept strictly
increasing even where two segments overlap by a few milliseconds (a recorder re-basing its
clock), because the MP4 muxer refuses anything else.

If the camera's stream changes shape in the range (another resolution or codec after someone
reconfigured it), one MP4 cannot hold both: the clip is split into parts at that segment.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import av.container
import av.stream

from camwarden.storage.recordings import CONTIGUITY, TimeRange

# A plain MP4 with its index (moov) at the front: a browser or player starts at once, and it
# is the most widely playable form. The fragmented form used for recording is not needed: a
# clip is written whole or not at all.
CLIP_OPTIONS = {"movflags": "+faststart"}


@dataclass(frozen=True)
class SourceSegment:
    path: Path
    start_at: datetime


@dataclass(frozen=True)
class StreamShape:
    codec: str
    width: int
    height: int
    extradata: bytes


@dataclass(frozen=True)
class Clip:
    path: Path
    start: datetime  # wall clock of the first frame (a keyframe)
    end: datetime  # wall clock of the end of the last frame
    frames: int
    codec: str
    width: int
    height: int


@dataclass(frozen=True)
class ClipResult:
    clips: list[Clip]
    gaps: list[TimeRange]  # parts of the requested range with no footage


@dataclass
class _OpenClip:
    path: Path
    container: av.container.OutputContainer
    stream: av.stream.Stream
    shape: StreamShape
    origin: Fraction  # ticks since the requested start of the first packet
    last_dts: int | None = None
    frames: int = 0
    end: Fraction = Fraction(0)


@dataclass
class _Cutter:
    start: datetime
    end: datetime
    clip_path: Callable[[int], Path]
    time_base: Fraction | None = None
    contiguity: Fraction = Fraction(0)  # in ticks, once the time base is known
    current: _OpenClip | None = None
    clips: list[Clip] = field(default_factory=list)
    covered_until: Fraction = Fraction(0)
    gaps: list[tuple[Fraction, Fraction]] = field(default_factory=list)

    def ticks(self, moment: datetime) -> Fraction:
        assert self.time_base is not None
        return Fraction((moment - self.start) // timedelta(microseconds=1), 1_000_000) / (
            self.time_base
        )

    def moment(self, ticks: Fraction) -> datetime:
        assert self.time_base is not None
        return self.start + timedelta(seconds=float(ticks * self.time_base))

    def write(
        self,
        packet: av.Packet[Any],
        at: Fraction,
        decode_at: Fraction,
        duration: Fraction,
        template: av.stream.Stream,
        shape: StreamShape,
    ) -> None:
        """Mux one packet whose presentation instant is `at` ticks after the requested start."""
        if self.current is not None and self.current.shape != shape:
            self.finish()
        if self.current is None:
            self.current = self._open(template, shape, at)
        current = self.current
        pts = round(at - current.origin)
        dts = round(decode_at - current.origin)
        if current.last_dts is not None and dts <= current.last_dts:
            dts = current.last_dts + 1
        current.last_dts = dts
        packet.pts, packet.dts = max(pts, dts), dts
        packet.duration = round(duration)
        assert self.time_base is not None
        packet.time_base = self.time_base
        packet.stream = current.stream
        current.container.mux(packet)
        current.frames += 1
        current.end = max(current.end, at + duration)
        if at - self.covered_until > self.contiguity:
            self.gaps.append((self.covered_until, at))
        self.covered_until = max(self.covered_until, at + duration)

    def finish(self) -> None:
        current, self.current = self.current, None
        if current is None:
            return
        current.container.close()
        self.clips.append(
            Clip(
                path=current.path,
                start=self.moment(current.origin),
                end=self.moment(current.end),
                frames=current.frames,
                codec=current.shape.codec,
                width=current.shape.width,
                height=current.shape.height,
            )
        )

    def abandon(self) -> None:
        """Close whatever is open after a failure; the caller removes the files."""
        current, self.current = self.current, None
        if current is not None:
            with contextlib.suppress(av.FFmpegError, OSError):
                current.container.close()

    def _open(self, template: av.stream.Stream, shape: StreamShape, at: Fraction) -> _OpenClip:
        path = self.clip_path(len(self.clips))
        path.parent.mkdir(parents=True, exist_ok=True)
        container = av.open(str(path), "w", format="mp4", options=CLIP_OPTIONS)
        stream = container.add_stream_from_template(template)
        return _OpenClip(path=path, container=container, stream=stream, shape=shape, origin=at)

    def gaps_in_range(self) -> list[TimeRange]:
        gaps = list(self.gaps)
        end_ticks = self.ticks(self.end)
        if end_ticks - self.covered_until > self.contiguity:
            gaps.append((self.covered_until, end_ticks))
        return [
            TimeRange(max(self.start, self.moment(a)), min(self.end, self.moment(b)))
            for a, b in gaps
        ]


def _shape(stream: av.stream.Stream) -> StreamShape:
    context: Any = stream.codec_context
    return StreamShape(
        codec=str(context.name),
        width=int(getattr(context, "width", 0) or 0),
        height=int(getattr(context, "height", 0) or 0),
        extradata=bytes(context.extradata or b""),
    )


def cut_clips(
    segments: Iterable[SourceSegment],
    start: datetime,
    end: datetime,
    clip_path: Callable[[int], Path],
) -> ClipResult:
    """Copy the packets of [start, end) from `segments` (oldest first) into MP4 clips.

    `clip_path(n)` names the n-th part (0 unless the stream changed shape). Nothing is written
    when no segment holds a packet in the range: the result has no clip and one gap.
    """
    cutter = _Cutter(start=start, end=end, clip_path=clip_path)
    try:
        for segment in segments:
            _copy_segment(cutter, segment)
        cutter.finish()
    except BaseException:
        cutter.abandon()
        raise
    if cutter.time_base is None:  # no segment at all
        return ClipResult(clips=[], gaps=[TimeRange(start, end)])
    return ClipResult(clips=cutter.clips, gaps=cutter.gaps_in_range())


def _copy_segment(cutter: _Cutter, segment: SourceSegment) -> None:
    with av.open(str(segment.path)) as source:
        stream = source.streams.video[0]
        time_base = stream.time_base
        assert time_base is not None
        if cutter.time_base is None:
            cutter.time_base = time_base
            cutter.contiguity = cutter.ticks(cutter.start + CONTIGUITY)
        shape = _shape(stream)
        scale = time_base / cutter.time_base
        offset = cutter.ticks(segment.start_at)
        end_ticks = cutter.ticks(cutter.end)
        first_pts: int | None = None
        # Packets of the GOP that holds the requested start, kept until that start is reached.
        pending: list[tuple[av.Packet[Any], Fraction, Fraction, Fraction]] = []
        started = cutter.current is not None
        for packet in source.demux(stream):
            if packet.pts is None or packet.dts is None:
                continue
            if first_pts is None:
                first_pts = packet.pts
            at = offset + (packet.pts - first_pts) * scale
            # Packets come in decode order; with B-frames the few that would show just before
            # the end but decode after it are left out (cameras' streams rarely have any).
            if at >= end_ticks:
                break
            entry = (
                packet,
                at,
                offset + (packet.dts - first_pts) * scale,
                (packet.duration or 0) * scale,
            )
            if not started and at < 0:
                if packet.is_keyframe:
                    pending = [entry]
                elif pending:
                    pending.append(entry)
                continue
            if not started:
                if not pending and not packet.is_keyframe:
                    continue  # a clip must begin with a keyframe to be playable on its own
                started = True
            for held, held_at, held_dts, held_duration in pending:
                cutter.write(held, held_at, held_dts, held_duration, stream, shape)
            pending = []
            cutter.write(packet, *entry[1:], stream, shape)
