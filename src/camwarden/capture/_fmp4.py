"""Fragmented MP4 written into memory chunk by chunk, for streaming to a browser."""

from __future__ import annotations

from typing import Any

import av
import av.container
import av.stream

# One fragment per keyframe for playback (2 s); per frame for live view, where waiting for
# the next keyframe would add a whole GOP of latency.
PLAYBACK_MOVFLAGS = "frag_keyframe+empty_moov+default_base_moof"
LIVE_MOVFLAGS = "frag_every_frame+empty_moov+default_base_moof"


class ChunkSink:
    """A write-only file for FFmpeg's muxer; `take()` hands over what was written so far."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._written = 0

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._chunks.append(chunk)
        self._written += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self._written

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self._chunks = b"".join(self._chunks), []
        return data


def open_fmp4(
    template: av.stream.Stream, movflags: str
) -> tuple[ChunkSink, av.container.OutputContainer, av.stream.Stream]:
    sink = ChunkSink()
    container = av.open(sink, "w", format="mp4", options={"movflags": movflags})
    stream = container.add_stream_from_template(template)
    return sink, container, stream


def codec_string(stream: av.stream.Stream) -> str:
    """The RFC 6381 codec name a browser's MediaSource wants, e.g. avc1.64001f."""
    extradata = stream.codec_context.extradata
    if extradata and len(extradata) >= 4 and extradata[0] == 1:
        return "avc1." + extradata[1:4].hex()
    return "avc1.42e01e"  # Baseline 3.0: what most cameras' sub streams are
