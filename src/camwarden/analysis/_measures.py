"""What the detectors measure on one grey frame, each gain-invariant where it can be.

Gain invariance is how a lighting change (lights switched, a cloud, slow daylight) is told
apart from a scene that is gone: scaling every pixel by the same factor leaves contrast
(std / mean), sharpness (|Laplacian| / std) and the correlation of edge maps unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from camwarden.analysis.frames import GreyImage
from camwarden.analysis.mask import KeepImage

# Below this level a pixel is crushed to black; above BRIGHT_LEVEL it is clipped white.
DARK_LEVEL = 32.0
BRIGHT_LEVEL = 235.0


@dataclass(frozen=True)
class FrameMeasures:
    mean: float
    """Mean luminance, 0..255."""
    contrast: float
    """std / mean: unchanged by a global gain; near 0 for a flat (covered) picture."""
    sharpness: float
    """mean |Laplacian| at half size / std: fine detail relative to contrast; collapses when
    defocused. At full size the Laplacian mostly measures sensor noise, which a defocused
    lens does not remove (the noise comes after the optics); halving the size halves it."""
    dark_fraction: float
    bright_fraction: float
    edges: GreyImage
    """Smoothed gradient magnitude at half size, for comparing the view with the reference."""


@dataclass(frozen=True)
class Regions:
    """Where a masked picture is measured, at each size the measures work at.

    Filters reach across a mask's border (the Laplacian 1 pixel, the edge map 2 at half size),
    so each region is shrunk by that reach: a flag moving in a masked cell does not leak into
    the measures of its neighbours.
    """

    full: KeepImage
    half: KeepImage
    laplacian: KeepImage
    """At half size, inner pixels only (the Laplacian's output)."""
    edges: KeepImage

    @classmethod
    def of(cls, keep: KeepImage) -> Regions:
        height, width = keep.shape[0] // 2 * 2, keep.shape[1] // 2 * 2
        k = keep[:height, :width]
        half = k[0::2, 0::2] & k[1::2, 0::2] & k[0::2, 1::2] & k[1::2, 1::2]
        return cls(
            full=keep,
            half=half,
            laplacian=_or_whole(eroded(half, 1), half)[1:-1, 1:-1],
            edges=_or_whole(eroded(half, 3), half),
        )


def _or_whole(shrunk: KeepImage, whole: KeepImage) -> KeepImage:
    """A region shrunk to nothing (a mask leaving one sliver) falls back to the unshrunk one."""
    return shrunk if shrunk.any() else whole


def eroded(keep: KeepImage, pixels: int) -> KeepImage:
    out = keep
    for _ in range(pixels):
        padded = np.pad(out, 1, mode="edge")
        out = (
            padded[1:-1, 1:-1]
            & padded[:-2, 1:-1]
            & padded[2:, 1:-1]
            & padded[1:-1, :-2]
            & padded[1:-1, 2:]
        )
    return out


def half_size(image: GreyImage) -> GreyImage:
    """2x2 average: halves the size and the sensor noise."""
    height, width = image.shape[0] // 2 * 2, image.shape[1] // 2 * 2
    cropped = image[:height, :width]
    return (
        cropped[0::2, 0::2] + cropped[1::2, 0::2] + cropped[0::2, 1::2] + cropped[1::2, 1::2]
    ) / 4.0


def box3(image: GreyImage) -> GreyImage:
    """3x3 mean (edges replicated)."""
    padded = np.pad(image, 1, mode="edge")
    total = np.zeros_like(image)
    for dy in range(3):
        for dx in range(3):
            total += padded[dy : dy + image.shape[0], dx : dx + image.shape[1]]
    return total / 9.0


def laplacian_abs_mean(image: GreyImage, keep: KeepImage | None = None) -> float:
    centre = image[1:-1, 1:-1]
    lap = 4.0 * centre - image[:-2, 1:-1] - image[2:, 1:-1] - image[1:-1, :-2] - image[1:-1, 2:]
    return float(np.abs(lap if keep is None else lap[keep]).mean())


def edge_map(image: GreyImage) -> GreyImage:
    small = half_size(image)
    gx = np.zeros_like(small)
    gy = np.zeros_like(small)
    gx[:, 1:-1] = small[:, 2:] - small[:, :-2]
    gy[1:-1, :] = small[2:, :] - small[:-2, :]
    return box3(np.hypot(gx, gy).astype(np.float32))


def correlation(a: GreyImage, b: GreyImage, keep: KeepImage | None = None) -> float:
    """Normalised cross-correlation, -1..1; 0 when either image is flat."""
    if keep is not None:
        a, b = a[keep], b[keep]
    da = a - a.mean()
    db = b - b.mean()
    denominator = float(np.sqrt((da * da).sum() * (db * db).sum()))
    if denominator <= 1e-6:
        return 0.0
    return float((da * db).sum() / denominator)


def mean_abs_difference(a: GreyImage, b: GreyImage, keep: KeepImage | None = None) -> float:
    difference = np.abs(a - b)
    return float((difference if keep is None else difference[keep]).mean())


def measure(grey: GreyImage, regions: Regions | None = None) -> FrameMeasures:
    """The measures of `grey`, over the unmasked `regions` only when given."""
    values = grey if regions is None else grey[regions.full]
    mean = float(values.mean())
    std = float(values.std())
    laplacian_keep = None if regions is None else regions.laplacian
    return FrameMeasures(
        mean=mean,
        contrast=std / (mean + 1.0),
        sharpness=laplacian_abs_mean(half_size(grey), laplacian_keep) / (std + 1.0),
        dark_fraction=float((values < DARK_LEVEL).mean()),
        bright_fraction=float((values > BRIGHT_LEVEL).mean()),
        edges=edge_map(grey),
    )
