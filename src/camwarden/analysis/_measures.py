"""What the detectors measure on one grey frame, each gain-invariant where it can be.

Gain invariance is how a lighting change (lights switched, a cloud, slow daylight) is told
apart from a scene that is gone: scaling every pixel by the same factor leaves contrast
(std / mean), sharpness (|Laplacian| / std) and the correlation of edge maps unchanged.

Sensor noise comes after the optics, so a defocused lens does not remove it: a frame's own
fine detail (`sharpness`) is partly noise and falls little for a small defocus. What a blur
does remove is the reference view's fine detail, and noise (independent of the view) adds
nothing to a projection on it: `kept_detail` measures that, per block, against the layout's
own gain.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from camwarden.analysis.frames import GreyImage
from camwarden.analysis.mask import KeepImage

# Below this level a pixel is crushed to black; above BRIGHT_LEVEL it is clipped white.
DARK_LEVEL = 32.0
BRIGHT_LEVEL = 235.0
# The layout is compared on blocks of this many analysis pixels (40 px of a 720p picture: a
# defocus of up to 12 px leaves it), which tile a mask cell (20 px) exactly.
COARSE_BLOCK = 10
# Fine detail is compared per tile of a FINE_TILES grid, so a person standing in part of the
# view (their body hides the reference's detail there) does not look like a blur everywhere.
FINE_TILES = (4, 4)
# A tile keeps the view's structure when its layout varies at least this share of the
# reference view's typical (median) tile. Out of focus, a cloth's shading and grain vary a
# tile's 40-px blocks by 0.02-0.3 of a view's typical tile (seed 1's cloths, plain hall to
# textured cloth); a view's tiles, moved or blurred, by 0.5-3, but for its plain walls.
STRUCTURED_TILE_SHARE = 0.5


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
    """Means of COARSE_BLOCK-pixel blocks, kept for `typical_difference` with the next frame
    (made once per frame rather than once per pair it is in)."""


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


def projection(image: GreyImage, on: GreyImage) -> float:
    """How much of `on` is in `image`: the least-squares gain of `on` (noise adds nothing)."""
    energy = float((on * on).sum())
    return float((image * on).sum()) / energy if energy > 1e-6 else 0.0


def kept_detail(m: FrameMeasures, reference_fine: GreyImage, reference_coarse: GreyImage) -> float:
    """The share of the reference's fine detail still in `m`, against its layout's gain.

    1 for the reference view under any lighting, near 0 for a blurred one. Per tile of the
    more detailed half (the plain ones say little), the upper quartile: a person hiding part
    of the view lowers a few tiles, a defocus every one. Above 1 or meaningless when the
    layout itself is gone (covered, moved): the callers judge that first.
    """
    gain = projection(m.coarse, reference_coarse)
    if gain <= 0.05:
        return 1.0
    kept: list[float] = []
    energies: list[float] = []
    for _, tile in tiles_of(reference_fine.shape, FINE_TILES):
        on = reference_fine[tile]
        energies.append(float((on * on).sum()))
        kept.append(projection(m.fine[tile], on))
    energy = np.asarray(energies)
    if not (energy > 1e-6).any():
        return 1.0
    detailed = energy >= np.median(energy[energy > 1e-6])  # masked tiles have none
    return float(np.percentile(np.asarray(kept)[detailed], 75)) / gain


def structure_grid(
    coarse: GreyImage,
    mean: float,
    keep: KeepImage | None = None,
    tiles: tuple[int, int] = FINE_TILES,
) -> npt.NDArray[np.float64]:
    """How much the layout varies per tile of a `tiles` grid: the mean difference between
    neighbouring blocks (40 px at 720p, so sensor noise and a cloth's grain average out) over
    the mean luminance, unchanged by a global gain. NaN where no pair of blocks is analysed."""
    across = np.abs(coarse[:-1, 1:] - coarse[:-1, :-1])
    down = np.abs(coarse[1:, :-1] - coarse[:-1, :-1])
    variation = (across + down) / (mean + 1.0)
    analysed = np.ones(variation.shape, bool)
    if keep is not None:
        analysed = keep[:-1, :-1] & keep[:-1, 1:] & keep[1:, :-1]
    grid = np.full(tiles, np.nan)
    for place, tile in tiles_of(variation.shape, tiles):
        if analysed[tile].any():
            grid[place] = float(variation[tile][analysed[tile]].mean())
    return grid


def structured_share(
    coarse: GreyImage,
    mean: float,
    reference_coarse: GreyImage,
    reference_mean: float,
    keep: KeepImage | None = None,
) -> float:
    """The share of tiles whose layout still varies like the reference view's: at least
    STRUCTURED_TILE_SHARE of its median tile. Near 1 for a view (the reference, moved or
    blurred: a blur of up to 12 px at 720p leaves 40-px blocks), near 0 for a cloth on the
    lens, the strip of the view left beside it aside."""
    reference = structure_grid(reference_coarse, reference_mean, keep)
    typical = float(np.nanmedian(reference)) if not np.isnan(reference).all() else 0.0
    if typical <= 1e-6:
        return 1.0  # a reference with no layout at all: nothing to tell a cloth by
    frame = structure_grid(coarse, mean, keep)
    analysed = ~np.isnan(frame)
    return float((frame[analysed] >= STRUCTURED_TILE_SHARE * typical).mean())


def unchanged_share(
    blocks: GreyImage,
    reference_blocks: GreyImage,
    keep: KeepImage | None = None,
    *,
    tolerance: float,
) -> float:
    """The share of blocks as bright as in the reference, within `tolerance` of their
    brightness, after the picture's typical gain (the median ratio, which a person hiding
    less than half the view does not move). Blocks darker than 8 grey levels are held to the
    tolerance of one of 8: their noise is larger than a share of their brightness."""
    if keep is not None:
        blocks, reference_blocks = blocks[keep], reference_blocks[keep]
    floor = np.maximum(reference_blocks, 8.0)
    gain = float(np.median(blocks / floor))
    expected = gain * floor
    return float((np.abs(blocks - gain * reference_blocks) <= tolerance * expected).mean())


def edge_map(image: GreyImage, small: GreyImage | None = None) -> GreyImage:
    """`small`: the image's `half_size` when already made."""
    if small is None:
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


def tile_correlations(
    a: GreyImage, b: GreyImage, keep: KeepImage | None = None, tiles: tuple[int, int] = FINE_TILES
) -> list[float]:
    """`correlation` of each tile of a `tiles` grid (tiles with nothing analysed left out)."""
    grid = tile_correlation_grid(a, b, keep, tiles)
    return [float(value) for value in grid[~np.isnan(grid)]]


def tiles_of(
    shape: tuple[int, ...], tiles: tuple[int, int]
) -> Iterator[tuple[tuple[int, int], tuple[slice, slice]]]:
    """Each tile of a `tiles` grid over a picture of `shape`, row by row: its (row, column)
    and the slices that cut it out (tiles differ by at most a pixel in size)."""
    rows, columns = tiles
    height, width = shape[0], shape[1]
    for row in range(rows):
        for column in range(columns):
            yield (
                (row, column),
                (
                    slice(row * height // rows, (row + 1) * height // rows),
                    slice(column * width // columns, (column + 1) * width // columns),
                ),
            )


def tile_correlation_grid(
    a: GreyImage, b: GreyImage, keep: KeepImage | None = None, tiles: tuple[int, int] = FINE_TILES
) -> npt.NDArray[np.float64]:
    """`correlation` of each tile of a `tiles` grid, in place; NaN where nothing is analysed."""
    grid = np.full(tiles, np.nan)
    for place, tile in tiles_of(a.shape, tiles):
        tile_keep = None if keep is None else keep[tile]
        if tile_keep is None or tile_keep.any():
            grid[place] = correlation(a[tile], b[tile], tile_keep)
    return grid


def around_the_centre(grid: npt.NDArray[np.float64]) -> list[float]:
    """The analysed values of a grid's outer ring (all of them when the ring has none)."""
    ring = np.ones(grid.shape, bool)
    ring[1:-1, 1:-1] = False
    values = grid[ring & ~np.isnan(grid)]
    if values.size == 0:
        values = grid[~np.isnan(grid)]
    return [float(value) for value in values]


def kept_still(
    edges: GreyImage,
    previous: GreyImage,
    keep: KeepImage | None,
    *,
    bar: float,
    ring_share: float,
) -> bool:
    """Whether the camera kept still between two frames: their edge maps correlate at least
    `bar` as a whole, or in at least `ring_share` of the outer ring's tiles.

    A camera still moving shifts every tile of the ring (a turn about the centre moves the ring
    most); a person walking through changes the tiles they are in, and their own edges can
    outweigh the rest of the picture's in the whole correlation.
    """
    if correlation(edges, previous, keep) >= bar:
        return True
    ring = np.asarray(around_the_centre(tile_correlation_grid(edges, previous, keep)))
    return bool((ring >= bar).mean() >= ring_share)


def typical_difference(
    a: GreyImage,
    b: GreyImage,
    keep: KeepImage | None = None,
    means: tuple[GreyImage, GreyImage] | None = None,
) -> float | None:
    """The median over COARSE_BLOCK-pixel blocks of their mean |a - b|: what every part of
    the picture changed by (sensor noise), not what a person walking through changed.

    Blocks crushed or clipped in either picture are left out (they carry no noise, live or
    not); None when under a quarter of the picture is left. `means`: the COARSE_BLOCK means
    of a and b when already made (`FrameMeasures.blocks`).
    """
    means_a, means_b = means or (block_means(a, COARSE_BLOCK), block_means(b, COARSE_BLOCK))
    exposed = (
        (means_a > DARK_LEVEL)
        & (means_a < BRIGHT_LEVEL)
        & (means_b > DARK_LEVEL)
        & (means_b < BRIGHT_LEVEL)
    )
    if keep is not None:
        exposed &= block_means(keep.astype(np.float32), COARSE_BLOCK) >= 1.0
    if exposed.mean() < 0.25:
        return None
    return float(np.median(block_means(np.abs(a - b), COARSE_BLOCK)[exposed]))


def mean_abs_difference(a: GreyImage, b: GreyImage, keep: KeepImage | None = None) -> float:
    difference = np.abs(a - b)
    return float((difference if keep is None else difference[keep]).mean())


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
    # layout and the next frame's `typical_difference`.
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
    )
