"""A camera's tamper thresholds at its sensitivity: the start bars scaled by its factor, the
end bars kept at their distance from them (the bars and their reasons: `_thresholds.py`)."""

from __future__ import annotations

from dataclasses import dataclass

from camwarden.analysis._thresholds import (
    BRIGHT_FRACTION,
    COVERED_CONTRAST_RATIO,
    COVERED_END_CONTRAST_RATIO,
    DARK_FRACTION,
    DEFOCUS_END_KEPT_RATIO,
    DEFOCUS_END_SHARPNESS_RATIO,
    DEFOCUS_SHARPNESS_RATIO,
    DEFOCUS_WHOLE_KEPT_RATIO,
    FROZEN_CLEAN_NOISE_FRACTION,
    FROZEN_DIM_NOISE_FRACTION,
    FROZEN_FRAME_FRACTION,
    FROZEN_NOISE_FRACTION,
    MOVED_CORRELATION,
    MOVED_END_CORRELATION,
)
from camwarden.analysis.sensitivity import TAMPER_FACTORS, Sensitivity


@dataclass(frozen=True)
class Thresholds:
    """The start/end thresholds at one tamper sensitivity (each bar's reasons: `_thresholds.py`)."""

    dark_fraction: float
    bright_fraction: float
    covered: float
    covered_end: float
    defocus: float
    defocus_end: float
    defocus_whole: float
    defocus_end_kept: float
    moved: float
    moved_end: float
    frozen_noise_fraction: float
    frozen_clean_noise_fraction: float
    frozen_dim_noise_fraction: float
    frozen_frame_fraction: float

    @classmethod
    def at(cls, sensitivity: Sensitivity) -> Thresholds:
        factor = TAMPER_FACTORS[sensitivity]
        covered = COVERED_CONTRAST_RATIO * factor
        defocus = DEFOCUS_SHARPNESS_RATIO * factor
        defocus_whole = DEFOCUS_WHOLE_KEPT_RATIO * factor
        moved = MOVED_CORRELATION * factor
        return cls(
            dark_fraction=1.0 - (1.0 - DARK_FRACTION) * factor,
            bright_fraction=1.0 - (1.0 - BRIGHT_FRACTION) * factor,
            covered=covered,
            covered_end=covered + COVERED_END_CONTRAST_RATIO - COVERED_CONTRAST_RATIO,
            defocus=defocus,
            defocus_end=defocus + DEFOCUS_END_SHARPNESS_RATIO - DEFOCUS_SHARPNESS_RATIO,
            defocus_whole=defocus_whole,
            defocus_end_kept=defocus_whole + DEFOCUS_END_KEPT_RATIO - DEFOCUS_WHOLE_KEPT_RATIO,
            moved=moved,
            moved_end=moved + MOVED_END_CORRELATION - MOVED_CORRELATION,
            frozen_noise_fraction=FROZEN_NOISE_FRACTION * factor,
            frozen_clean_noise_fraction=FROZEN_CLEAN_NOISE_FRACTION * factor,
            frozen_dim_noise_fraction=FROZEN_DIM_NOISE_FRACTION * factor,
            frozen_frame_fraction=FROZEN_FRAME_FRACTION * factor,
        )
