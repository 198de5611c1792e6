"""What the detectors measure on one grey frame, each gain-invariant where it can be.

Gain invariance is how a lighting change (lights switched, a cloud, slow daylight) is told
apart from a scene that is gone: scaling every pixel by the same factor leaves contrast
(std / mean), sharpness (|Laplacian| / std) and the correlation of edge maps unchanged. How
these measures compare with the reference view's, or the frame before's, is
`_comparisons.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from camwarden.analysis.frames import GreyImage
from camwarden.analysis.mask import KeepImage

# Below this level a pixel is crushed to black; above BRIGHT_LEVEL it is clipped white.
DARK_LEVEL = 32.0
BRIGHT_LEVEL = 235.0
# The layout is compared on blocks of this many analysis pixels (40 px of a 720p picture: a
# defocus of up to 12 px leaves it), which tile a mask cell (20 px) exactly.
COARSE_BLOCK = 10


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
    fine: GreyImage
    """Laplacian at the analysis size (masked pixels 0): the finest detail, noise included."""
    coarse: GreyImage
    """Means of COARSE_BLOCK-pixel blocks less their mean (masked blocks 0): the layout."""
    blocks: GreyImage
    """Means of COARSE_BLOCK-pixel blocks, kept for `block_difference` with the next frame
    (made once per frame rather than once per pair it is in)."""
    half: GreyImage
    """The picture at half size (`half_size`), for its lines (`_texture.line_length`) and
    the steepness of its edges (`_texture.steepness`), asked only of a frame that would
    be moved, covered or blurred."""


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
    fine: KeepImage
    """At full size, inner pixels only (the full-size Laplacian's output)."""
    coarse: KeepImage
    """Blocks of COARSE_BLOCK pixels wholly analysed."""

    @classmethod
    def of(cls, keep: KeepImage) -> Regions:
        height, width = keep.shape[0] // 2 * 2, keep.shape[1] // 2 * 2
        k = keep[:height, :width]
        half = k[0::2, 0::2] & k[1::2, 0::2] & k[0::2, 1::2] & k[1::2, 1::2]
        coarse = block_means(keep.astype(np.float32), COARSE_BLOCK) >= 1.0
        return cls(
            full=keep,
            half=half,
            laplacian=_or_whole(eroded(half, 1), half)[1:-1, 1:-1],
            edges=_or_whole(eroded(half, 3), half),
            fine=_or_whole(eroded(keep, 1), keep)[1:-1, 1:-1],
            coarse=coarse if coarse.any() else np.ones_like(coarse),
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


def laplacian(image: GreyImage) -> GreyImage:
    """4-neighbour Laplacian of the inner pixels (one smaller on every side)."""
    centre = image[1:-1, 1:-1]
    return 4.0 * centre - image[:-2, 1:-1] - image[2:, 1:-1] - image[1:-1, :-2] - image[1:-1, 2:]


def laplacian_abs_mean(image: GreyImage, keep: KeepImage | None = None) -> float:
    lap = laplacian(image)
    return float(np.abs(lap if keep is None else lap[keep]).mean())


def block_means(image: GreyImage, size: int) -> GreyImage:
    """Means of `size` x `size` blocks (a partial last row or column of blocks left out)."""
    height, width = image.shape[0] // size * size, image.shape[1] // size * size
    blocks = image[:height, :width].reshape(height // size, size, width // size, size)
    means: GreyImage = blocks.mean(axis=(1, 3), dtype=np.float32)
    return means


def layout(
    image: GreyImage, keep: KeepImage | None = None, blocks: GreyImage | None = None
) -> GreyImage:
    """Block means less their mean over the analysed blocks, 0 elsewhere (`blocks`: the
    image's COARSE_BLOCK means when already made)."""
    if blocks is None:
        blocks = block_means(image, COARSE_BLOCK)
    if keep is None:
        centred: GreyImage = blocks - blocks.mean()
        return centred
    return np.where(keep, blocks - blocks[keep].mean(), 0.0).astype(np.float32)


def edge_map(image: GreyImage, small: GreyImage | None = None) -> GreyImage:
    """`small`: the image's `half_size` when already made."""
    if small is None:
        small = half_size(image)
    gx = np.zeros_like(small)
    gy = np.zeros_like(small)
    gx[:, 1:-1] = small[:, 2:] - small[:, :-2]
    gy[1:-1, :] = small[2:, :] - small[:-2, :]
    return box3(np.hypot(gx, gy).astype(np.float32))


def measure(grey: GreyImage, regions: Regions | None = None) -> FrameMeasures:
    """The measures of `grey`, over the unmasked `regions` only when given."""
    values = grey if regions is None else grey[regions.full]
    mean = float(values.mean())
    std = float(values.std())
    laplacian_keep = None if regions is None else regions.laplacian
    fine = laplacian(grey)
    if regions is not None:
        fine = np.where(regions.fine, fine, 0.0).astype(np.float32)
    # Each made once: the half-size picture serves sharpness and edges, the block means the
    # layout and the next frame's `block_difference`.
    small = half_size(grey)
    blocks = block_means(grey, COARSE_BLOCK)
    return FrameMeasures(
        mean=mean,
        contrast=std / (mean + 1.0),
        sharpness=laplacian_abs_mean(small, laplacian_keep) / (std + 1.0),
        dark_fraction=float((values < DARK_LEVEL).mean()),
        bright_fraction=float((values > BRIGHT_LEVEL).mean()),
        edges=edge_map(grey, small),
        fine=fine,
        coarse=layout(grey, None if regions is None else regions.coarse, blocks),
        blocks=blocks,
        half=small,
    )
