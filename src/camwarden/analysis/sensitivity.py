"""Per-camera sensitivity: 'low', 'normal' or 'high', one factor that scales thresholds.

A factor above 1 makes a detector raise on weaker evidence, below 1 only on stronger. Each
detector documents which thresholds the factor scales; every one moves monotonically with it,
and the persistence times never change (so a tampering is still raised within 5 s, and a
person passing the lens still raises nothing at any sensitivity).
"""

from __future__ import annotations

from typing import Literal

from camwarden.errors import InvalidInput
from camwarden.i18n import N_

Sensitivity = Literal["low", "normal", "high"]
SENSITIVITIES: tuple[Sensitivity, ...] = ("low", "normal", "high")
SENSITIVITY_LABELS: dict[Sensitivity, str] = {
    "low": N_("Low: only clear cases (fewer false alarms)"),
    "normal": N_("Normal"),
    "high": N_("High: also weaker signs (more alarms)"),
}

# Tamper: start ratios (covered contrast, defocus sharpness, moved correlation, frozen noise
# share) are multiplied by this; the clipped-picture fractions move their distance to 100 %.
TAMPER_FACTORS: dict[Sensitivity, float] = {"low": 0.7, "normal": 1.0, "high": 1.3}
# Motion: the per-pixel difference is divided by this and the minimum area by its square.
MOTION_FACTORS: dict[Sensitivity, float] = {"low": 0.7, "normal": 1.0, "high": 1.4}


def parse_sensitivity(value: object, *, field: str) -> Sensitivity:
    for sensitivity in SENSITIVITIES:
        if value == sensitivity:
            return sensitivity
    raise InvalidInput(
        "Sensitivity '{value}' does not exist; expected one of: {expected}.",
        field=field,
        value=value,
        expected=", ".join(SENSITIVITIES),
    )
