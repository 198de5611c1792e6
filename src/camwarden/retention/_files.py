"""File-system steps of a deletion: free space, syncing folders, tidying empty days."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from camwarden.retention.report import DiskUsage


def shutil_disk_usage(path: Path) -> DiskUsage:
    usage = shutil.disk_usage(path)
    return DiskUsage(usage.total, usage.used, usage.free)


def fsync_dir(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some filesystems refuse fsync on a directory; the unlink itself stands
    finally:
        os.close(descriptor)


def remove_if_empty(folder: Path, root: Path) -> None:
    """Drop an emptied day folder. Camera folders stay: a recorder starting that camera may
    be creating today's folder inside it at this very moment."""
    if folder == root or root not in folder.parents:
        return
    with contextlib.suppress(OSError):  # not empty, or already gone
        folder.rmdir()
