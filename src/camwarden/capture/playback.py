"""Recorded footage from any moment, as one fragmented-MP4 stream made by stream copy.

The stream starts at the keyframe at or before the asked moment (stream copy cannot start
between keyframes) and runs on across segment files; a gap between files stays a gap in the
timestamps, so the player's clock is the wall clock minus the stream's start. Nothing is
decoded: the cost is reading the files.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import av

from camwarden.capture._fmp4 import PLAYBACK_MOVFLAGS, codec_string, open_fmp4
from camwarden.errors import NotFound
from camwarden.storage.models import Segment


@dataclass(frozen=True)
class PlaybackStart:
    """Where a stream really begins, and the codec the browser must be told."""

    start_at: datetime
    codec: str


def safe_segment_path(recordings_dir: Path, relative: str) -> Path:
    """The file of an indexed segment; refuses anything that would leave the recordings folder
    (the index is trusted, but not blindly: a path is never built from a request)."""
    root = recordings_dir.resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise NotFound("The recording file {value} is not available.", value=Path(relative).name)
    return path


def probe_start(recordings_dir: Path, segments: Sequence[Segment], at: datetime) -> PlaybackStart:
    """The instant the stream for `at` will start at (its keyframe), and the codec."""
    first = segments[0]
    with av.open(str(safe_segment_path(recordings_dir, first.path))) as container:
        stream = container.streams.video[0]
        codec = codec_string(stream)
        time_base = stream.time_base
        start_at = first.start_at
        assert time_base is not None
        for packet in container.demux(stream):
            if packet.pts is None:
                continue
            moment = first.start_at + timedelta(seconds=float(packet.pts * time_base))
            if moment > at:
                break
            if packet.is_keyframe:
                start_at = moment
    return PlaybackStart(start_at=start_at, codec=codec)


def stream_recording(
    recordings_dir: Path, segments: Sequence[Segment], start: PlaybackStart, until: datetime
) -> Iterator[bytes]:
    """fMP4 bytes from `start.start_at` to `until`, a chunk per fragment."""
    if not segments:
        return
    with av.open(str(safe_segment_path(recordings_dir, segments[0].path))) as first:
        sink, output, out_stream = open_fmp4(first.streams.video[0], PLAYBACK_MOVFLAGS)
    target: Any = out_stream
    try:
        for packet in _packets_from(recordings_dir, segments, start.start_at, until):
            packet.stream = target
            output.mux(packet)
            chunk = sink.take()
            if chunk:
                yield chunk
        output.close()
        yield sink.take()
    finally:
        # Also when the browser went away mid-stream (GeneratorExit): release the muxer.
        with contextlib.suppress(av.FFmpegError, OSError, ValueError):
            output.close()


def _packets_from(
    recordings_dir: Path, segments: Sequence[Segment], start_at: datetime, until: datetime
) -> Iterator[av.Packet[Any]]:
    """The packets from the keyframe at `start_at` to `until`, timed from `start_at`."""
    started = False
    for segment in segments:
        path = safe_segment_path(recordings_dir, segment.path)
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            time_base = stream.time_base
            assert time_base is not None
            # Where this file sits on the wall clock, in the stream's time base: gaps between
            # files stay gaps.
            offset = round((segment.start_at - start_at).total_seconds() / time_base)
            for packet in container.demux(stream):
                if packet.pts is None or packet.dts is None:
                    continue
                moment = segment.start_at + timedelta(seconds=float(packet.pts * time_base))
                if moment < start_at:
                    continue
                if moment >= until:
                    return
                if not started:
                    if not packet.is_keyframe:
                        continue
                    started = True
                packet.pts += offset
                packet.dts += offset
                yield packet
