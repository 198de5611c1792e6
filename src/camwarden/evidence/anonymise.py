"""An anonymised copy of a clip: the people in it unrecognisable, the scene still readable.

Footage given to someone outside the school shows pupils, and children's images are personal
data (Decree 13/2023, Law 91/2025; R-4.2). The copy hides every person, not only faces: a
child is recognised by clothes, hair and build as much as by the face, and a face detector
misses small, turned or blurred faces far more often than a person's movement goes unseen.

Where the people are comes from `_people` (motion against a slowly learning background
model, and the HOG people and Haar face detectors for people standing still). Inside those
boxes the picture becomes a coarse mosaic (blocks of 1/24 of the frame's height: a face is
one or two blocks); everything else is left as it was. The copy is re-encoded (H.264,
yuv420p, same size, same timestamps) into a fast-start MP4, so it no longer holds the
camera's own packets: the original, stream-copied clip is what proves what was recorded; the
copy is what may be shown.

docs/anonymisation.md has how well this works on real footage and where it fails.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.container
import av.video
import cv2
import numpy as np

from camwarden.evidence._people import (
    BackgroundSamples,
    Box,
    Grey,
    PeopleFinder,
    Sources,
    analysis_grey,
)
from camwarden.evidence.clips import ClipResult

# The mosaic's block: this fraction of the frame's height, at least MIN_BLOCK pixels.
BLOCKS_PER_HEIGHT = 24
MIN_BLOCK = 8
# The motion model learns the scene from this many seconds at the start of the clip.
WARM_SECONDS = 5.0
ENCODER = "libx264"
# Quality of the copy: near-transparent outside the mosaic (the scene must stay readable).
ENCODER_OPTIONS = {"crf": "20", "preset": "veryfast"}
OUTPUT_OPTIONS = {"movflags": "+faststart"}


@dataclass(frozen=True)
class AnonymisationSummary:
    frames: int
    frames_masked: int  # frames in which something was hidden
    masked_share: float  # mean share of the frame's area hidden, 0..1


def anonymise_clip(
    source: Path, destination: Path, *, sources: Sources | None = None
) -> AnonymisationSummary:
    """Write an anonymised re-encode of the video in `source` to `destination` (MP4)."""
    sources = sources or Sources()
    background, warm = _survey(source)
    frames = masked_frames = 0
    masked_area = 0.0
    with (
        av.open(str(source)) as input_container,
        av.open(str(destination), "w", format="mp4", options=OUTPUT_OPTIONS) as output,
    ):
        decoded = input_container.streams.video[0]
        decoded.thread_type = "AUTO"
        width, height = decoded.codec_context.width, decoded.codec_context.height
        rate = float(decoded.average_rate or decoded.guessed_rate or 25)
        finder = PeopleFinder(width, height, rate, background, sources)
        finder.warm(warm)
        encoded = _output_stream(output, decoded)
        block = max(MIN_BLOCK, round(height / BLOCKS_PER_HEIGHT))
        for frame, at in _frames(input_container, decoded):
            planes = frame.to_ndarray(format="yuv420p")
            luma = planes[:height]
            boxes = finder.boxes(at, luma)
            if boxes:
                share = _mosaic(planes, width, height, boxes, block)
                masked_frames += 1
                masked_area += share
            out = av.VideoFrame.from_ndarray(planes, format="yuv420p")
            out.pts = frame.pts
            out.time_base = frame.time_base
            for packet in encoded.encode(out):
                output.mux(packet)
            frames += 1
        for packet in encoded.encode(None):
            output.mux(packet)
    return AnonymisationSummary(
        frames=frames,
        frames_masked=masked_frames,
        masked_share=masked_area / frames if frames else 0.0,
    )


def _survey(source: Path) -> tuple[BackgroundSamples, list[Grey]]:
    """First pass: the empty-scene samples, and the first seconds for the motion model."""
    samples = BackgroundSamples()
    warm: list[Grey] = []
    with av.open(str(source)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        first: float | None = None
        for frame, at in _frames(container, stream):
            first = at if first is None else first
            sampled = not samples.times or at - samples.times[-1] >= 1.0
            if not sampled and at - first > WARM_SECONDS:
                continue  # decoding is cheap; converting and scaling every frame is not
            # The luma plane as the second pass reads it: PyAV's "gray" stretches video range
            # (16-235) to 0-255, and a model warmed on that would see every pixel as changed.
            grey = analysis_grey(_luma(frame))
            if at - first <= WARM_SECONDS:
                warm.append(grey)
            samples.add(at, grey)
    return samples, warm


def _frames(
    container: av.container.InputContainer, stream: av.video.VideoStream
) -> Iterator[tuple[av.VideoFrame, float]]:
    """Each frame with its time in seconds (counted on from the last when it has none)."""
    rate = float(stream.average_rate or stream.guessed_rate or 25)
    last = -1.0 / rate
    for frame in container.decode(stream):
        at = float(frame.time) if frame.time is not None else last + 1.0 / rate
        last = at
        yield frame, at


def _luma(frame: av.VideoFrame) -> Grey:
    return frame.to_ndarray(format="yuv420p")[: frame.height]


def _output_stream(
    output: av.container.OutputContainer, decoded: av.video.VideoStream
) -> av.video.VideoStream:
    rate = decoded.average_rate or decoded.guessed_rate or Fraction(25)
    stream = output.add_stream(ENCODER, rate=rate, options=ENCODER_OPTIONS)
    assert isinstance(stream, av.video.VideoStream)
    stream.width = decoded.codec_context.width
    stream.height = decoded.codec_context.height
    stream.pix_fmt = "yuv420p"
    # The source's time base, so each frame keeps its exact timestamp (gaps stay gaps).
    time_base = decoded.time_base or Fraction(1, 90000)
    stream.codec_context.time_base = time_base
    stream.time_base = time_base
    return stream


def _mosaic(planes: np.ndarray, width: int, height: int, boxes: list[Box], block: int) -> float:
    """Replace the boxes in a yuv420p frame (in place) by a coarse mosaic; the share hidden."""
    mask = np.zeros((height, width), dtype=bool)
    for x0, y0, x1, y1 in boxes:
        # Whole blocks, so the mosaic's edges do not leave slivers of the original.
        x0, y0 = x0 // block * block, y0 // block * block
        x1, y1 = min(width, -(-x1 // block) * block), min(height, -(-y1 // block) * block)
        mask[y0:y1, x0:x1] = True
    luma = planes[:height]
    luma[mask] = _blocky(luma, block)[mask]
    chroma_height, chroma_width = height // 2, width // 2
    chroma_mask = mask[::2, ::2][:chroma_height, :chroma_width]
    # yuv420p as one array: U then V, each (height/2, width/2), laid out as rows of width.
    chroma = planes[height:].reshape(2, chroma_height, chroma_width)
    for plane in chroma:
        plane[chroma_mask] = _blocky(plane, max(1, block // 2))[chroma_mask]
    return float(mask.mean())


def _blocky(plane: np.ndarray, block: int) -> np.ndarray:
    height, width = plane.shape
    small = cv2.resize(
        plane,
        (max(1, -(-width // block)), max(1, -(-height // block))),
        interpolation=cv2.INTER_AREA,
    )
    big = cv2.resize(
        small, (small.shape[1] * block, small.shape[0] * block), interpolation=cv2.INTER_NEAREST
    )
    return big[:height, :width]


def anonymise_clips(result: ClipResult) -> ClipResult:
    """Replace each cut clip's file by its anonymised copy (the export's option)."""
    clips = []
    for clip in result.clips:
        copy = clip.path.with_name(f".{clip.path.stem}.anonymising.mp4")
        try:
            summary = anonymise_clip(clip.path, copy)
            copy.replace(clip.path)
        finally:
            copy.unlink(missing_ok=True)
        clips.append(dataclasses.replace(clip, frames=summary.frames, codec="h264"))
    return ClipResult(clips, result.gaps)
