"""How a frame's measures compare with the reference view's, or with the frame before's.

Sensor noise comes after the optics, so a defocused lens does not remove it: a frame's own
fine detail (`sharpness`) is partly noise and falls little for a small defocus. What a blur
does remove is the reference view's fine detail, and noise (independent of the view) adds
nothing to a projection on it: `kept_detail` measures that, per block, against the layout's
own gain.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from camwarden.analysis._measures import (
    BRIGHT_LEVEL,
    COARSE_BLOCK,
    DARK_LEVEL,
    FrameMeasures,
    block_means,
)
from camwarden.analysis.frames import GreyImage
from camwarden.analysis.mask import KeepImage

# Fine detail is compared per tile of a FINE_TILES grid, so a person standing in part of the
# view (their body hides the reference's detail there) does not look like a blur everywhere.
FINE_TILES = (4, 4)
# A tile keeps the view's structure when its layout bends at least this share of the
# reference view's typical (median) tile (`structure_grid`). Out of focus, a cloth's grain
# bends a tile's 40-px blocks by a small share of a view's typical tile, and its shading not
# at all; a view's tiles, moved or blurred, by 0.5-3, but for its plain walls.
STRUCTURED_TILE_SHARE = 0.5


def projection(image: GreyImage, on: GreyImage) -> float:
    """How much of `on` is in `image`: the least-squares gain of `on` (noise adds nothing)."""
    energy = float((on * on).sum())
    return float((image * on).sum()) / energy if energy > 1e-6 else 0.0


@dataclass(frozen=True)
class KeptDetail:
    """How much of the reference view's fine detail a frame keeps (`kept_detail`)."""

    typical: float
    """Per tile of the more detailed half (the plain ones say little), the upper quartile:
    a person hiding part of the view lowers a few tiles, a defocus every one. 1 for the
    reference view under any lighting, near 0 for a blurred one."""
    intact_tiles: int
    """Tiles with a real share of the view's detail (INTACT_TILE_ENERGY of the most detailed
    tile's) that keep nearly all of it (INTACT_TILE_KEPT): a blur leaves none."""


# A tile counts for `intact_tiles` when its reference detail is at least this share of the
# most detailed tile's, and it keeps at least INTACT_TILE_KEPT of it. In the first 5 s of their
# defocus, seeds 1-9's defocused clips kept at most 0.68 in their second best such tile; people
# in the close corridor who hid a view learnt with someone else there left two at 0.90-0.99.
# The most detailed tile can be a person learnt in the view (hair, a knitted jumper: 10-20
# times the floor's detail beside them), so the share is low: seeds 1-18's blurred frames
# kept at most 0.75 in their second best tile from 0.25 down to 0.02 of the most detailed,
# while the close corridor's floor and table, beside a man standing where a woman stood while
# the view was learnt, kept 0.8-1.6 at 0.05-0.1 (four false defocuses in normal footage).
INTACT_TILE_ENERGY = 0.05
INTACT_TILE_KEPT = 0.8


def kept_detail(
    m: FrameMeasures, reference_fine: GreyImage, reference_coarse: GreyImage
) -> KeptDetail:
    """The share of the reference's fine detail still in `m`, per tile, against its layout's
    gain. Above 1 or meaningless when the layout itself is gone (covered, moved): the callers
    judge that first."""
    gain = projection(m.coarse, reference_coarse)
    if gain <= 0.05:
        return KeptDetail(1.0, 0)
    kept: list[float] = []
    energies: list[float] = []
    for _, tile in tiles_of(reference_fine.shape, FINE_TILES):
        on = reference_fine[tile]
        energies.append(float((on * on).sum()))
        kept.append(projection(m.fine[tile], on))
    energy = np.asarray(energies)
    if not (energy > 1e-6).any():
        return KeptDetail(1.0, 0)
    shares = np.asarray(kept) / gain
    detailed = energy >= np.median(energy[energy > 1e-6])  # masked tiles have none
    significant = energy >= INTACT_TILE_ENERGY * energy.max()
    # Intact is judged at the view's own gain, never above it: a dark body in front of a white
    # wall raises the layout's gain (1.2-1.4 in the close corridor), which no blur does.
    whole = np.asarray(kept) / min(gain, 1.0)
    return KeptDetail(
        typical=float(np.percentile(shares[detailed], 75)),
        intact_tiles=int((whole[significant] >= INTACT_TILE_KEPT).sum()),
    )


def structure_grid(
    coarse: GreyImage,
    mean: float,
    keep: KeepImage | None = None,
    tiles: tuple[int, int] = FINE_TILES,
) -> npt.NDArray[np.float64]:
    """How much the layout bends per tile of a `tiles` grid: the mean second difference along
    runs of three blocks (40 px at 720p, so sensor noise and a cloth's grain average out),
    across and down, over the mean luminance, unchanged by a global gain. A cloth's shading
    changes evenly over the lens, a slope that second differences do not see; a view bends
    wherever its things begin and end. NaN where no such run is analysed."""
    across = np.abs(coarse[:, 2:] - 2 * coarse[:, 1:-1] + coarse[:, :-2])[:-2, :]
    down = np.abs(coarse[2:, :] - 2 * coarse[1:-1, :] + coarse[:-2, :])[:, :-2]
    variation = (across + down) / (mean + 1.0)
    analysed = np.ones(variation.shape, bool)
    if keep is not None:
        analysed = (
            keep[:-2, :-2] & keep[:-2, 1:-1] & keep[:-2, 2:] & keep[1:-1, :-2] & keep[2:, :-2]
        )
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


def darkest_lift(
    blocks: GreyImage, reference_blocks: GreyImage, keep: KeepImage | None = None
) -> float:
    """How many times brighter the darkest blocks (the 5th percentile) are than the
    reference's, floored at 8 grey levels (a black block's own noise)."""
    if keep is not None:
        blocks, reference_blocks = blocks[keep], reference_blocks[keep]
    darkest = float(np.percentile(reference_blocks, 5))
    return float(np.percentile(blocks, 5)) / max(darkest, 8.0)


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


@dataclass(frozen=True)
class MiddleFound:
    """Where the middle of the reference view's edges is in a frame's (`middle_found`)."""

    in_place: float
    """Its correlation where it was."""
    shifted: float
    """The best correlation at a shift of more than a pixel; 0 when the best is in place."""


def middle_found(
    edges: GreyImage, reference_edges: GreyImage, keep: KeepImage | None, *, margin: float
) -> MiddleFound:
    """The middle of the reference's edges (all but `margin` of each side) looked for in
    `edges` at every shift `margin` leaves room for (normalised correlation).

    A camera pushed or panned shows the view's things elsewhere in the picture; a person
    standing in front of them hides them."""
    if keep is not None:
        edges = np.where(keep, edges, 0.0).astype(np.float32)
        reference_edges = np.where(keep, reference_edges, 0.0).astype(np.float32)
    height, width = reference_edges.shape
    top, left = round(height * margin), round(width * margin)
    middle = np.ascontiguousarray(reference_edges[top : height - top, left : width - left])
    if float(middle.std()) < 1e-3:  # a plain middle is found everywhere, and nowhere
        return MiddleFound(0.0, 0.0)
    scores = cv2.matchTemplate(np.ascontiguousarray(edges), middle, cv2.TM_CCOEFF_NORMED)
    _, best, _, (x, y) = cv2.minMaxLoc(scores)
    in_place = float(scores[top, left])
    if abs(x - left) <= 1 and abs(y - top) <= 1:
        return MiddleFound(in_place, 0.0)
    return MiddleFound(in_place, float(best))


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


@dataclass(frozen=True)
class BlockDifference:
    """How two pictures differ over COARSE_BLOCK-pixel blocks (`block_difference`)."""

    typical: float
    """The median block's mean |a - b|: what every part of the picture changed by (sensor
    noise), not what a person walking through changed."""
    blocks: GreyImage
    """Each block's mean |a - b|; NaN where it is left out (crushed, clipped or masked)."""

    def largest(self, leaving_out: npt.NDArray[np.bool_] | None = None) -> float:
        """The most changed block's, but those of `leaving_out`: where someone moved, however
        small; 0 when nothing is left."""
        blocks = self.blocks if leaving_out is None else self.blocks[~leaving_out]
        return float(np.nanmax(blocks, initial=0.0))


def block_difference(
    a: GreyImage,
    b: GreyImage,
    keep: KeepImage | None = None,
    means: tuple[GreyImage, GreyImage] | None = None,
) -> BlockDifference | None:
    """The mean |a - b| over COARSE_BLOCK-pixel blocks.

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
    differences = block_means(np.abs(a - b), COARSE_BLOCK)
    typical = float(np.median(differences[exposed]))
    return BlockDifference(typical, np.where(exposed, differences, np.nan).astype(np.float32))


def mean_abs_difference(a: GreyImage, b: GreyImage, keep: KeepImage | None = None) -> float:
    difference = np.abs(a - b)
    return float((difference if keep is None else difference[keep]).mean())
