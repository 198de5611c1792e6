"""What a camera really sends, measured from its stream (R-2.1).

About 12 seconds of the main stream are read over RTSP/TCP, as the recorder reads it. Every
packet counts for the frame rate (from its timestamps, not the rate the camera declares), the
bitrate and the keyframe interval. Only a few keyframes are decoded, at full resolution, 2 s
apart: an IDR keyframe decodes on its own, so nothing else is needed. The temporal noise
compares keyframes with each other, not a keyframe with the next frame: an encoder copies
unchanged blocks into P-frames, so consecutive frames differ by nothing where the noise is.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any, cast

import av
import numpy as np
from av.video.codeccontext import VideoCodecContext

from camwarden.inspection import _images

MEASURE_SECONDS = 12.0
# Decoded keyframes: enough for stable figures, little CPU.
DECODED_KEYFRAMES = 5
OPEN_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 5.0
OPEN_ATTEMPTS = 5
OPEN_PAUSE_S = 1.0


class StreamUnavailable(Exception):
    """The stream could not be opened or stopped sending before anything could be measured."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class StreamMeasurement:
    """The figures of one measurement; `as_json` is what an inspection record keeps."""

    width: int
    height: int
    codec: str
    seconds: float  # stream time measured
    frames: int
    fps: float  # from the timestamps
    declared_fps: float | None  # what the camera announces
    bitrate_kbps: float
    bits_per_pixel: float  # bitrate over pixels a second: how much the encoder may spend
    keyframe_interval_s: float | None  # None: fewer than two keyframes seen
    sharpness: float
    shadows_clipped: float  # share of the picture, 0..1
    highlights_clipped: float
    mean_luma: float
    noise: float  # grey levels (standard deviation)
    reference_jpeg: bytes

    def as_json(self) -> dict[str, Any]:
        values = asdict(self)
        del values["reference_jpeg"]
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in values.items()}


def open_stream(url: str) -> av.container.InputContainer:
    return av.open(
        url,
        options={"rtsp_transport": "tcp", "analyzeduration": "100000", "probesize": "32768"},
        timeout=(OPEN_TIMEOUT_S, READ_TIMEOUT_S),
    )


def measure_stream(url: str, *, seconds: float = MEASURE_SECONDS) -> StreamMeasurement:
    """Reads `seconds` of the stream at `url` (credentials inline) and measures it."""
    container = None
    for attempt in range(OPEN_ATTEMPTS):
        try:
            container = open_stream(url)
            break
        except (av.FFmpegError, OSError) as error:
            # A camera answers 503 while it closes the session of a reader just gone (the
            # security checks' requests, a viewer); it is worth asking again, briefly. A
            # refused login is final.
            refused = isinstance(error, av.error.HTTPUnauthorizedError)
            if refused or attempt == OPEN_ATTEMPTS - 1:
                raise StreamUnavailable(str(error)) from None
            time.sleep(OPEN_PAUSE_S)
    assert container is not None
    try:
        return _measure(container, seconds)
    except av.FFmpegError as error:
        raise StreamUnavailable(str(error)) from None
    finally:
        container.close()


@dataclass
class _Pictures:
    """The decoded pictures' figures, one entry per decoded keyframe."""

    sharpness: list[float]
    shadows: list[float]
    highlights: list[float]
    luma: list[float]
    noise: list[float]
    reference: av.VideoFrame | None = None


def _measure(container: av.container.InputContainer, seconds: float) -> StreamMeasurement:
    if not container.streams.video:
        raise StreamUnavailable("no video stream")
    stream = container.streams.video[0]
    time_base = stream.time_base
    if time_base is None:
        raise StreamUnavailable("the stream has no time base")
    decoder = cast(VideoCodecContext, av.CodecContext.create(stream.codec_context.name, "r"))
    if stream.codec_context.extradata:
        decoder.extradata = stream.codec_context.extradata
    declared = float(stream.average_rate or stream.guessed_rate or 0) or None

    times: list[float] = []
    sizes: list[int] = []
    keyframe_times: list[float] = []
    pictures = _Pictures([], [], [], [], [])
    previous_key: _images.Grey | None = None
    last_decoded_key: float | None = None
    deadline = time.monotonic() + seconds * 2 + READ_TIMEOUT_S
    for packet in container.demux(stream):
        if packet.pts is None or packet.size == 0:
            continue
        t = float(packet.pts * time_base)
        times.append(t)
        sizes.append(packet.size)
        if packet.is_keyframe:
            keyframe_times.append(t)
        # Keyframes spread over the measurement, one every 2 s at most.
        wanted = (
            packet.is_keyframe
            and len(pictures.sharpness) < DECODED_KEYFRAMES
            and (last_decoded_key is None or t - last_decoded_key >= 2.0)
        )
        if wanted:
            for frame in decoder.decode(packet):
                picture = _images.grey(frame)
                _add_keyframe(pictures, picture, frame)
                if previous_key is not None:
                    pictures.noise.append(_images.temporal_noise(previous_key, picture))
                previous_key, last_decoded_key = picture, t
        if times[-1] - times[0] >= seconds or time.monotonic() > deadline:
            break
    if len(times) < 2 or pictures.reference is None:
        raise StreamUnavailable("the stream sent no decodable picture")
    span = times[-1] - times[0]
    if span <= 0:
        raise StreamUnavailable("the stream's timestamps do not advance")
    frames = len(times)
    fps = (frames - 1) / span
    bitrate = sum(sizes[:-1]) * 8 / span
    width, height = pictures.reference.width, pictures.reference.height
    intervals = np.diff(keyframe_times)
    return StreamMeasurement(
        width=width,
        height=height,
        codec=stream.codec_context.name,
        seconds=span,
        frames=frames,
        fps=fps,
        declared_fps=declared,
        bitrate_kbps=bitrate / 1000,
        bits_per_pixel=bitrate / (width * height * fps) if fps > 0 else 0.0,
        keyframe_interval_s=float(intervals.mean()) if len(intervals) else None,
        sharpness=float(np.median(pictures.sharpness)),
        shadows_clipped=float(np.median(pictures.shadows)),
        highlights_clipped=float(np.median(pictures.highlights)),
        mean_luma=float(np.median(pictures.luma)),
        # The quietest pair: whatever moved between two keyframes only adds to the figure.
        noise=min(pictures.noise) if pictures.noise else 0.0,
        reference_jpeg=_images.encode_jpeg(pictures.reference),
    )


def _add_keyframe(pictures: _Pictures, picture: _images.Grey, frame: av.VideoFrame) -> None:
    pictures.sharpness.append(_images.sharpness(picture))
    shadows, highlights = _images.clipped_shares(picture)
    pictures.shadows.append(shadows)
    pictures.highlights.append(highlights)
    pictures.luma.append(float(picture.mean()))
    pictures.reference = frame
