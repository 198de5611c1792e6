"""Picture arithmetic for the inspection: sharpness, exposure, noise, JPEG, picture shift.

Everything works on luma (grey) as float32 arrays; none of it knows about streams or cameras.
"""

from __future__ import annotations

from fractions import Fraction

import av
import numpy as np
import numpy.typing as npt

Grey = npt.NDArray[np.float32]

# Limited-range video puts black at 16 and white at 235; full-range cameras use 0 and 255.
# A pixel this close to either end carries no detail any more: it is clipped.
SHADOW_CLIP_LEVEL = 20.0
HIGHLIGHT_CLIP_LEVEL = 240.0
# The small picture the drift is measured on: enough for edges, cheap for the FFT.
DRIFT_WIDTH = 320
DRIFT_HEIGHT = 180
REFERENCE_JPEG_WIDTH = 1280


def grey(frame: av.VideoFrame, width: int | None = None, height: int | None = None) -> Grey:
    """Luma of `frame`, at its own size or scaled (area averaging) to `width` x `height`."""
    if width is None or height is None:
        plane = frame.reformat(format="gray")
    else:
        plane = frame.reformat(width=width, height=height, format="gray", interpolation="AREA")
    return plane.to_ndarray().astype(np.float32)


def laplacian(image: Grey) -> Grey:
    """The 4-neighbour Laplacian of the inner pixels."""
    return (
        image[:-2, 1:-1] + image[2:, 1:-1] + image[1:-1, :-2] + image[1:-1, 2:]
        - 4.0 * image[1:-1, 1:-1]
    )  # fmt: skip


def half_size(image: Grey) -> Grey:
    """2x2 area average: sensor noise falls by half, edges stay."""
    height, width = image.shape[0] // 2 * 2, image.shape[1] // 2 * 2
    cropped = image[:height, :width]
    return np.asarray(
        (cropped[0::2, 0::2] + cropped[1::2, 0::2] + cropped[0::2, 1::2] + cropped[1::2, 1::2])
        / 4.0,
        dtype=np.float32,
    )


def sharpness(image: Grey) -> float:
    """Variance of the Laplacian over the variance of the picture, on the full-resolution
    picture averaged 2x2.

    Normalised, so the same scene lit darker or with less contrast keeps its figure; averaged,
    because sensor noise is fine detail too and would let a blurred, noisy picture pass for a
    sharp one (a 720p test picture blurred by 3 px: 0.035 on the raw pixels, 0.011 averaged,
    against 0.117 sharp).
    """
    small = half_size(image)
    spread = float(small.var())
    if spread < 1.0:  # a flat picture has no detail to be sharp with
        return 0.0
    return float(laplacian(small).var()) / spread


def clipped_shares(image: Grey) -> tuple[float, float]:
    """The shares of the picture lost in the shadows and in the highlights."""
    pixels = image.size
    shadows = float(np.count_nonzero(image <= SHADOW_CLIP_LEVEL)) / pixels
    highlights = float(np.count_nonzero(image >= HIGHLIGHT_CLIP_LEVEL)) / pixels
    return shadows, highlights


def temporal_noise(first: Grey, second: Grey) -> float:
    """Sensor noise (grey levels, standard deviation) from two frames a frame apart.

    The median absolute difference ignores what moved (a minority of pixels in a still view)
    and clipped areas carry no noise, so both are left out; 1.4826 turns a median absolute
    deviation into a standard deviation, and sqrt(2) undoes the subtraction of two noisy
    frames.
    """
    usable = (
        (first > SHADOW_CLIP_LEVEL)
        & (first < HIGHLIGHT_CLIP_LEVEL)
        & (second > SHADOW_CLIP_LEVEL)
        & (second < HIGHLIGHT_CLIP_LEVEL)
    )
    if np.count_nonzero(usable) < first.size // 20:
        return 0.0
    difference = np.abs(first[usable] - second[usable])
    return float(np.median(difference)) * 1.4826 / float(np.sqrt(2.0))


def encode_jpeg(frame: av.VideoFrame, width: int = REFERENCE_JPEG_WIDTH) -> bytes:
    """The frame as a JPEG at most `width` wide (the reference view IT keeps)."""
    width = min(width, frame.width)
    height = max(2, round(frame.height * width / frame.width / 2) * 2)
    width -= width % 2
    small = frame.reformat(width=width, height=height, format="yuvj420p")
    encoder = av.CodecContext.create("mjpeg", "w")
    encoder.width, encoder.height, encoder.pix_fmt = small.width, small.height, "yuvj420p"
    encoder.time_base = Fraction(1, 25)
    encoder.options = {"q": "3"}
    return b"".join(bytes(packet) for packet in encoder.encode(small))


def decode_jpeg(jpeg: bytes, width: int = DRIFT_WIDTH, height: int = DRIFT_HEIGHT) -> Grey:
    """A JPEG (a stored reference view) as a small grey picture for the drift."""
    decoder = av.CodecContext.create("mjpeg", "r")
    frames = list(decoder.decode(av.Packet(jpeg))) or list(decoder.decode(None))
    if not frames:
        raise ValueError("the reference view could not be decoded")
    return grey(frames[0], width, height)


def edge_map(image: Grey) -> Grey:
    """Gradient magnitude: what stays of a view when the light changes."""
    gy, gx = np.gradient(image)
    return np.asarray(np.hypot(gx, gy), dtype=np.float32)


def correlation(a: Grey, b: Grey) -> float:
    """Pearson correlation of two pictures of the same size (1: the same, 0: unrelated)."""
    a0, b0 = a - a.mean(), b - b.mean()
    denominator = float(np.sqrt((a0 * a0).sum() * (b0 * b0).sum()))
    return float((a0 * b0).sum()) / denominator if denominator > 0 else 0.0


def shift(reference: Grey, current: Grey) -> tuple[float, float]:
    """How far the picture moved (x, y, in pixels of these pictures), by phase correlation of
    their edges; positive x: the scene moved right in the picture."""
    ref, cur = edge_map(reference), edge_map(current)
    window = np.outer(np.hanning(ref.shape[0]), np.hanning(ref.shape[1])).astype(np.float32)
    cross = np.fft.fft2(cur * window) * np.conj(np.fft.fft2(ref * window))
    cross /= np.maximum(np.abs(cross), 1e-9)
    surface = np.abs(np.fft.ifft2(cross))
    peak_y, peak_x = np.unravel_index(int(np.argmax(surface)), surface.shape)
    height, width = surface.shape
    dy = peak_y - height if peak_y > height // 2 else peak_y
    dx = peak_x - width if peak_x > width // 2 else peak_x
    return float(dx), float(dy)
