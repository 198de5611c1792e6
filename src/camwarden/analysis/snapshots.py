"""JPEG snapshots of tamper events: the view before and the view that raised the event.

They live under `<data folder>/snapshots/<camera id>/`, named by the moment and the kind, and
the event row keeps their paths relative to that folder. `resolve` is the only way back from
a stored path to a file: it refuses anything that would lead outside the folder.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path
from typing import Literal

import av

SNAPSHOTS_FOLDER = "snapshots"
SNAPSHOT_WIDTH = 640
JPEG_QUALITY_SCALE = 4  # mjpeg qscale: 2 best .. 31 worst; 4 keeps faces readable at 640 px

Which = Literal["before", "after"]


def snapshots_dir(data_dir: Path) -> Path:
    return data_dir / SNAPSHOTS_FOLDER


def jpeg_of(picture: av.VideoFrame, width: int = SNAPSHOT_WIDTH) -> bytes:
    """A decoded picture as a JPEG `width` pixels wide (never enlarged)."""
    width = min(width, picture.width) // 2 * 2
    height = max(2, round(picture.height * width / picture.width / 2) * 2)
    small = picture.reformat(width=width, height=height, format="yuvj420p")
    encoder = av.CodecContext.create("mjpeg", "w")
    encoder.width, encoder.height, encoder.pix_fmt = width, height, "yuvj420p"
    encoder.time_base = Fraction(1, 25)
    encoder.qmin = encoder.qmax = JPEG_QUALITY_SCALE
    return b"".join(bytes(p) for p in [*encoder.encode(small), *encoder.encode(None)])


class SnapshotStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def save(self, camera_id: int, at: datetime, kind: str, which: Which, jpeg: bytes) -> str:
        """Writes the JPEG (atomically) and returns its path relative to the folder."""
        moment = at.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        relative = f"{camera_id}/{moment}-{kind}-{which}.jpg"
        path = self.folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_bytes(jpeg)
        os.replace(partial, path)
        return relative

    def resolve(self, relative: str | None) -> Path | None:
        """The file a stored path names, if it is a JPEG inside the folder; else None."""
        if not relative or "\0" in relative or not relative.endswith(".jpg"):
            return None
        root = self.folder.resolve()
        path = (root / relative).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            return None
        return path
