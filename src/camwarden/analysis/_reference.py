"""The reference view a camera's frames are compared with: learnt, then followed slowly."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from camwarden.analysis._measures import FrameMeasures, Regions, edge_map, laplacian, layout
from camwarden.analysis.frames import GreyImage


@dataclass
class Reference:
    edges: GreyImage
    contrast: float
    sharpness: float
    fine: GreyImage
    """The reference view's Laplacian (`FrameMeasures.fine`) and layout, for `kept_detail`."""
    coarse: GreyImage
    mean: float
    """Mean luminance: the light the view was learnt at."""
    detail: float = 1.0
    """Mean edge strength relative to the mean luminance (`detail_of`)."""

    @classmethod
    def learnt(
        cls, pictures: Sequence[tuple[GreyImage, FrameMeasures]], regions: Regions | None
    ) -> Reference:
        """The median picture of the learning and the median of each measure."""
        median = np.median(np.stack([grey for grey, _ in pictures]), axis=0).astype(np.float32)
        fine = laplacian(median)
        if regions is not None:
            fine = np.where(regions.fine, fine, 0.0).astype(np.float32)
        return cls(
            edges=edge_map(median),
            fine=fine,
            coarse=layout(median, None if regions is None else regions.coarse),
            mean=float(np.median([m.mean for _, m in pictures])),
            contrast=float(np.median([m.contrast for _, m in pictures])),
            sharpness=float(np.median([m.sharpness for _, m in pictures])),
            detail=float(np.median([detail_of(m, regions) for _, m in pictures])),
        )

    def follow(self, m: FrameMeasures, alpha: float, regions: Regions | None) -> None:
        """Move `alpha` of the way towards a normal frame's measures."""
        self.edges = (1.0 - alpha) * self.edges + alpha * m.edges
        self.fine = (1.0 - alpha) * self.fine + alpha * m.fine
        self.coarse = (1.0 - alpha) * self.coarse + alpha * m.coarse
        self.contrast = (1.0 - alpha) * self.contrast + alpha * m.contrast
        self.mean = (1.0 - alpha) * self.mean + alpha * m.mean
        self.sharpness = (1.0 - alpha) * self.sharpness + alpha * m.sharpness
        self.detail = (1.0 - alpha) * self.detail + alpha * detail_of(m, regions)


def detail_of(m: FrameMeasures, regions: Regions | None) -> float:
    """Mean edge strength over the mean luminance: unchanged by a global gain, near 0 when
    nothing in the picture has an edge."""
    edges = m.edges if regions is None else m.edges[regions.edges]
    return float(edges.mean()) / (m.mean + 1.0)
