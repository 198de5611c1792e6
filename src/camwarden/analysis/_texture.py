"""Measures of one picture's own texture, which tell a view from a cloth on the lens or from
a blur: how heavy-tailed its edges are, how long its straight lines, how steep its strongest
edges. Each is compared with the reference view's by the caller (`_view_comparison.py`).
"""

from __future__ import annotations

import cv2
import numpy as np

from camwarden.analysis._comparisons import FINE_TILES, tiles_of
from camwarden.analysis._measures import laplacian
from camwarden.analysis.frames import GreyImage
from camwarden.analysis.mask import KeepImage

# A line counts from this many half-size pixels (32 px of a 720p picture): a grain's mottles and
# the sensor's noise make shorter ones by chance.
LINE_MIN_LENGTH = 8.0
# A picture's strongest edges are its top half percent of pixels (`steepness`): a person's
# outline or a door frame fills that much of a close view.
STEEPEST_PERCENTILE = 99.5


def edge_tail(edges: GreyImage, keep: KeepImage | None = None) -> float:
    """How far a picture's strongest edges stand out of its typical ones: per tile of a
    FINE_TILES grid, the 99th percentile of the edge map over its median (and half a grey
    level, so a flat tile is not infinite), the median over the analysed tiles.

    A scene's outlines stand far out of its plain surfaces; a cloth's grain, or the sensor's
    noise over it, makes edges all alike."""
    ratios = []
    for _, tile in tiles_of(edges.shape, FINE_TILES):
        values = edges[tile] if keep is None else edges[tile][keep[tile]]
        if values.size:
            typical, strongest = np.percentile(values, [50, 99])
            ratios.append(float(strongest) / (float(typical) + 0.5))
    return float(np.median(ratios)) if ratios else 0.0


def line_length(half: GreyImage, keep: KeepImage | None = None) -> float:
    """The total length, in half-size pixels, of the straight edges (OpenCV's line segment
    detector) at least LINE_MIN_LENGTH long, their middles in `keep`.

    A scene has lines (door frames, shelves, floor boards and tiles, books); a cloth's grain,
    or the sensor's noise over it, has none that long."""
    picture = np.clip(half, 0.0, 255.0).astype(np.uint8)
    found = cv2.createLineSegmentDetector(cv2.LSD_REFINE_NONE).detect(picture)[0]
    if found is None:
        return 0.0
    x0, y0, x1, y1 = found.reshape(-1, 4).T
    lengths = np.hypot(x1 - x0, y1 - y0)
    long_enough = lengths >= LINE_MIN_LENGTH
    if keep is not None:
        rows = np.clip(((y0 + y1) / 2).astype(int), 0, keep.shape[0] - 1)
        columns = np.clip(((x0 + x1) / 2).astype(int), 0, keep.shape[1] - 1)
        long_enough &= keep[rows, columns]
    return float(lengths[long_enough].sum())


def steepness(
    half: GreyImage,
    edges: GreyImage,
    keep_laplacian: KeepImage | None = None,
    keep_edges: KeepImage | None = None,
) -> float:
    """How steep the picture's strongest edges are: the STEEPEST_PERCENTILE of the half-size
    picture's |Laplacian| over that of its edge map (`FrameMeasures.edges`), each over its
    analysed pixels. A blur spreads a step over more pixels, which lowers its second difference
    more than its first; a gain scales both alike."""
    second = np.abs(laplacian(half))
    if keep_laplacian is not None:
        second = second[keep_laplacian]
    first = edges if keep_edges is None else edges[keep_edges]
    if second.size == 0 or first.size == 0:
        return 0.0
    strongest = float(np.percentile(first, STEEPEST_PERCENTILE))
    return float(np.percentile(second, STEEPEST_PERCENTILE)) / max(strongest, 1e-3)
