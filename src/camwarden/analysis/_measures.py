"""What the detectors measure on one grey frame, each gain-invariant where it can be.

Gain invariance is how a lighting change (lights switched, a cloud, slow daylight) is told
apart from a scene that is gone: scaling every pixel by the same factor leaves contrast
(std / mean), sharpness (|Laplacian| / std) and the correlation of edge maps unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from camwarden.analysis.frames import GreyImage

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


def laplacian_abs_mean(image: GreyImage) -> float:
    centre = image[1:-1, 1:-1]
    lap = 4.0 * centre - image[:-2, 1:-1] - image[2:, 1:-1] - image[1:-1, :-2] - image[1:-1, 2:]
    return float(np.abs(lap).mean())


def edge_map(image: GreyImage) -> GreyImage:
    small = half_size(image)
    gx = np.zeros_like(small)
    gy = np.zeros_like(small)
    gx[:, 1:-1] = small[:, 2:] - small[:, :-2]
    gy[1:-1, :] = small[2:, :] - small[:-2, :]
    return box3(np.hypot(gx, gy).astype(np.float32))


def correlation(a: GreyImage, b: GreyImage) -> float:
    """Normalised cross-correlation, -1..1; 0 when either image is flat."""
    da = a - a.mean()
    db = b - b.mean()
    denominator = float(np.sqrt((da * da).sum() * (db * db).sum()))
    if denominator <= 1e-6:
        return 0.0
    return float((da * db).sum() / denominator)


def mean_abs_difference(a: GreyImage, b: GreyImage) -> float:
    return float(np.abs(a - b).mean())


def measure(grey: GreyImage) -> FrameMeasures:
    mean = float(grey.mean())
    std = float(grey.std())
    return FrameMeasures(
        mean=mean,
        contrast=std / (mean + 1.0),
        sharpness=laplacian_abs_mean(half_size(grey)) / (std + 1.0),
        dark_fraction=float((grey < DARK_LEVEL).mean()),
        bright_fraction=float((grey > BRIGHT_LEVEL).mean()),
        edges=edge_map(grey),
    )
