"""Live view without decoding: the recorder's own packets, fanned out to whoever watches.

Per camera, a `LiveFeed` keeps the newest keyframe (for snapshot tiles, decoded only when a
tile asks, at most once per keyframe) and, while somebody watches, a fragmented-MP4 muxer
with one fragment per frame: the bytes are made once and shared by every viewer. A new
viewer gets the init segment and the fragments since the last keyframe, so the picture
appears at once, then the live fragments as they come.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import av
import av.container
import av.stream

from camwarden.capture._fmp4 import LIVE_MOVFLAGS, ChunkSink, codec_string, open_fmp4

VIEWER_QUEUE_FRAGMENTS = 150  # 10 s at 15 fps: a viewer further behind is dropped
SNAPSHOT_WIDTH = 640


@dataclass(frozen=True)
class Snapshot:
    jpeg: bytes
    taken_at_pts: int


class Viewer:
    def __init__(self, codec: str) -> None:
        self.codec = codec
        self.fragments: queue.Queue[bytes | None] = queue.Queue(VIEWER_QUEUE_FRAGMENTS)

    def stream(self, timeout: float = 10.0) -> Iterator[bytes]:
        """The viewer's bytes; ends when the camera stops or nothing came for `timeout`."""
        while True:
            try:
                fragment = self.fragments.get(timeout=timeout)
            except queue.Empty:
                return
            if fragment is None:
                return
            yield fragment


class LiveFeed:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._viewers: set[Viewer] = set()
        self._template: av.stream.Stream | None = None
        self._codec = "avc1.42e01e"
        self._extradata: bytes | None = None
        self._key: tuple[bytes, int] | None = None
        self._snapshot: Snapshot | None = None
        self._muxer: tuple[ChunkSink, av.container.OutputContainer, Any] | None = None
        self._init = b""
        self._gop: list[bytes] = []

    # -- the recorder's side ---------------------------------------------------------------

    def connected(self, stream: av.stream.Stream) -> None:
        """A (re)connection: the stream's parameters may have changed."""
        with self._lock:
            self._close_muxer()
            self._template = stream
            self._codec = codec_string(stream)
            self._extradata = stream.codec_context.extradata

    def publish(self, packet: av.Packet[Any]) -> None:
        if packet.pts is None:
            return
        with self._lock:
            if packet.is_keyframe:
                self._key = (bytes(packet), packet.pts)
            if not self._viewers:
                return
            if self._muxer is None:
                if not packet.is_keyframe or self._template is None:
                    return  # a viewer's stream starts at a keyframe
                self._muxer = open_fmp4(self._template, LIVE_MOVFLAGS)
                self._gop = []
            sink, output, stream = self._muxer
            copy = av.Packet(bytes(packet))
            copy.pts, copy.dts = packet.pts, packet.dts
            copy.duration, copy.time_base = packet.duration, packet.time_base
            copy.is_keyframe = packet.is_keyframe
            copy.stream = stream
            output.mux(copy)
            data = sink.take()
            if not self._init:
                # The first bytes out are the init segment (ftyp + moov): every viewer, now or
                # later, needs it first.
                self._init = data
            else:
                if packet.is_keyframe:
                    self._gop = []
                if data:
                    self._gop.append(data)
            if data:
                for viewer in list(self._viewers):
                    try:
                        viewer.fragments.put_nowait(data)
                    except queue.Full:
                        self._viewers.discard(viewer)
                        viewer.fragments = queue.Queue(1)
                        viewer.fragments.put_nowait(None)

    def disconnected(self) -> None:
        with self._lock:
            self._close_muxer()
            self._template = None

    # -- the viewers' side -----------------------------------------------------------------

    @property
    def is_receiving(self) -> bool:
        """True while the camera's recorder is connected and has sent a keyframe."""
        with self._lock:
            return self._template is not None and self._key is not None

    def watch(self) -> Viewer:
        with self._lock:
            viewer = Viewer(self._codec)
            if self._muxer is not None and self._init:
                for fragment in (self._init, *self._gop):
                    viewer.fragments.put_nowait(fragment)
            self._viewers.add(viewer)
            return viewer

    def leave(self, viewer: Viewer) -> None:
        with self._lock:
            self._viewers.discard(viewer)
            if not self._viewers:
                self._close_muxer()

    def snapshot(self) -> Snapshot | None:
        """The newest keyframe as a JPEG, decoded once per keyframe, whoever asks."""
        with self._lock:
            key, extradata = self._key, self._extradata
            cached = self._snapshot
        if key is None:
            return None
        if cached is not None and cached.taken_at_pts == key[1]:
            return cached
        snapshot = Snapshot(jpeg=_jpeg(key[0], extradata), taken_at_pts=key[1])
        with self._lock:
            self._snapshot = snapshot
        return snapshot

    def _close_muxer(self) -> None:
        if self._muxer is not None:
            _, output, _ = self._muxer
            with contextlib.suppress(av.FFmpegError, OSError):
                output.close()
        self._muxer = None
        self._init = b""
        self._gop = []
        for viewer in self._viewers:
            with contextlib.suppress(queue.Full):
                viewer.fragments.put_nowait(None)
        self._viewers.clear()


def _jpeg(keyframe: bytes, extradata: bytes | None) -> bytes:
    decoder = av.CodecContext.create("h264", "r")
    if extradata:
        decoder.extradata = extradata
    frames = list(decoder.decode(av.Packet(keyframe))) or list(decoder.decode(None))
    if not frames:
        raise ValueError("the keyframe could not be decoded")
    frame = frames[0]
    height = max(2, round(frame.height * SNAPSHOT_WIDTH / frame.width / 2) * 2)
    small = frame.reformat(width=SNAPSHOT_WIDTH, height=height, format="yuvj420p")
    encoder = av.CodecContext.create("mjpeg", "w")
    encoder.width, encoder.height, encoder.pix_fmt = small.width, small.height, "yuvj420p"
    encoder.time_base = Fraction(1, 25)
    return b"".join(bytes(p) for p in encoder.encode(small))


class LiveHub:
    """One feed per camera, shared by the recorders (publishers) and the web (viewers)."""

    def __init__(self) -> None:
        self._feeds: dict[int, LiveFeed] = {}
        self._lock = threading.Lock()

    def feed(self, camera_id: int) -> LiveFeed:
        with self._lock:
            return self._feeds.setdefault(camera_id, LiveFeed())
