"""The detectors on one clip, exactly as the live analysis runs them.

`analyze_file` feeds the file's packets through the live path (`analysis/pipeline.py`): every
keyframe decoded, the frames between only while a detector is deciding, the default settings,
the file's own timestamps. This is the one place the evaluation calls the analysis.
"""

from __future__ import annotations

from pathlib import Path

from camwarden.analysis.analyzer import analyze_file
from camwarden.analysis.events import Event


def detect(path: Path) -> list[Event]:
    """Every start and end event the live analysis raises on `path`, motion included."""
    return list(analyze_file(path))
