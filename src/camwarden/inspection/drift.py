"""Re-inspection (R-8.1): what moved or changed since the acceptance (R-2.2).

The picture is compared with the reference view kept at acceptance (edge correlation and
shift, on small grey pictures, so that light alone does not count as a change), and the
figures with those measured at acceptance.
"""

from __future__ import annotations

from typing import Any

from camwarden.i18n import N_
from camwarden.inspection import _images
from camwarden.inspection.checks import Check, Result, Text

# Edge correlation with the reference view: the same view measures 0.8-1.0 in any light.
VIEW_CHANGED_CORRELATION = 0.5
# Shift, as a share of the picture's width: a few percent is a knock, a tenth is re-aimed.
SHIFT_WARN = 0.03
SHIFT_FAIL = 0.10
# Sharpness lost since acceptance: a dome getting dirty, focus drifting.
SHARPNESS_LOSS_WARN = 0.3
SHARPNESS_LOSS_FAIL = 0.6

COMPARED = (
    "width", "height", "fps", "bitrate_kbps", "keyframe_interval_s", "sharpness",
    "shadows_clipped", "highlights_clipped", "mean_luma", "noise",
)  # fmt: skip
BASIS = N_("R-2.2: the position fixed at acceptance")


def compare_views(reference_jpeg: bytes, current_jpeg: bytes) -> dict[str, float]:
    reference = _images.decode_jpeg(reference_jpeg)
    current = _images.decode_jpeg(current_jpeg)
    dx, dy = _images.shift(reference, current)
    return {
        "edge_correlation": round(
            _images.correlation(_images.edge_map(reference), _images.edge_map(current)), 3
        ),
        "shift_x": round(dx / reference.shape[1], 3),
        "shift_y": round(dy / reference.shape[0], 3),
    }


def drift(
    reference_jpeg: bytes,
    current_jpeg: bytes,
    accepted: dict[str, Any] | None,
    current: dict[str, Any] | None,
) -> dict[str, Any]:
    """The drift a re-inspection records: the view, and each figure then and now."""
    figures = {}
    if accepted and current:
        figures = {
            name: {"accepted": accepted.get(name), "now": current.get(name)}
            for name in COMPARED
            if name in accepted or name in current
        }
    return {"view": compare_views(reference_jpeg, current_jpeg), "figures": figures}


def check_drift(found: dict[str, Any]) -> list[Check]:
    view = found["view"]
    shift = max(abs(view["shift_x"]), abs(view["shift_y"]))
    correlation = view["edge_correlation"]
    if correlation < VIEW_CHANGED_CORRELATION or shift >= SHIFT_FAIL:
        result = Result.FAIL
    elif shift >= SHIFT_WARN:
        result = Result.WARN
    else:
        result = Result.PASS
    checks = [
        Check(
            "drift.view",
            N_("View against the reference"),
            result,
            Text(
                N_("Edges match at {correlation}; the picture moved {x} % across, {y} % up/down."),
                {
                    "correlation": f"{correlation:.2f}",
                    "x": f"{view['shift_x'] * 100:+.1f}",
                    "y": f"{view['shift_y'] * 100:+.1f}",
                },
            ),
            Text(
                N_("Edges match at {correlation} or more; moved under {shift} %."),
                {
                    "correlation": f"{VIEW_CHANGED_CORRELATION:.2f}",
                    "shift": f"{SHIFT_WARN * 100:g}",
                },
            ),
            BASIS,
        )
    ]
    sharpness = found["figures"].get("sharpness")
    if sharpness and sharpness["accepted"] and sharpness["now"] is not None:
        loss = 1 - sharpness["now"] / sharpness["accepted"]
        checks.append(
            Check(
                "drift.sharpness",
                N_("Sharpness since acceptance"),
                Result.FAIL
                if loss >= SHARPNESS_LOSS_FAIL
                else Result.WARN
                if loss >= SHARPNESS_LOSS_WARN
                else Result.PASS,
                Text(
                    N_("{now} now, {then} at acceptance."),
                    {"now": f"{sharpness['now']:.3f}", "then": f"{sharpness['accepted']:.3f}"},
                ),
                Text(N_("Less than {loss} % lost."), {"loss": f"{SHARPNESS_LOSS_WARN * 100:g}"}),
                BASIS,
            )
        )
    return checks
