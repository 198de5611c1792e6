"""Per-camera analysis masks: a 16x9 grid of cells the detectors ignore.

IT masks what moves on its own (a flag in the wind, a tree, a busy road beyond the fence) so
that it raises neither motion nor tamper events. The mask is stored as text: "" (nothing
masked) or 144 characters, row by row from the top left, "1" where the cell is ignored.
A 16x9 grid matches the 16:9 pictures of school cameras: at the 320x180 analysis size a cell
is 20x20 pixels, so cells align with the 2x2 halving the measures use.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from camwarden.errors import InvalidInput

MASK_COLUMNS = 16
MASK_ROWS = 9
MASK_CELLS = MASK_COLUMNS * MASK_ROWS
# Separators people type between rows (the CLI, a pasted grid) are tolerated and dropped.
_SEPARATORS = str.maketrans("", "", " \t\r\n/|,")

KeepImage = npt.NDArray[np.bool_]


def parse_mask(text: str) -> str:
    """The stored form of a mask: "" or 144 '0'/'1'; a mask with nothing ignored is ""."""
    if not isinstance(text, str):
        raise InvalidInput("The analysis mask must be text of '0' and '1'.", field="analysis_mask")
    cells = text.translate(_SEPARATORS)
    if cells == "":
        return ""
    if len(cells) != MASK_CELLS or set(cells) - {"0", "1"}:
        shown = cells if len(cells) <= 40 else cells[:40] + "…"
        raise InvalidInput(
            "The analysis mask '{value}' is not valid: it must be {cells} characters '0' or "
            "'1' ({columns} columns x {rows} rows, '1' = ignored), or empty.",
            field="analysis_mask",
            value=shown,
            cells=MASK_CELLS,
            columns=MASK_COLUMNS,
            rows=MASK_ROWS,
        )
    if "0" not in cells:
        raise InvalidInput(
            "The analysis mask cannot ignore the whole picture: leave at least one cell "
            "analysed, or take the camera out of service.",
            field="analysis_mask",
        )
    return cells if "1" in cells else ""


def mask_cells(mask: str) -> list[list[bool]]:
    """Rows of cells, True where ignored (for drawing the grid)."""
    cells = mask or "0" * MASK_CELLS
    return [
        [cells[row * MASK_COLUMNS + column] == "1" for column in range(MASK_COLUMNS)]
        for row in range(MASK_ROWS)
    ]


def ignored_share(mask: str) -> float:
    return mask.count("1") / MASK_CELLS if mask else 0.0


def keep_pixels(mask: str, width: int, height: int) -> KeepImage | None:
    """True where a `width` x `height` picture is analysed; None when nothing is masked."""
    if not mask:
        return None
    grid = np.array([c == "0" for c in mask], dtype=np.bool_).reshape(MASK_ROWS, MASK_COLUMNS)
    rows = np.minimum(np.arange(height) * MASK_ROWS // height, MASK_ROWS - 1)
    columns = np.minimum(np.arange(width) * MASK_COLUMNS // width, MASK_COLUMNS - 1)
    return grid[rows[:, None], columns[None, :]]
