"""What a retention run deleted, and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple


class Reason(StrEnum):
    AGE = "age"
    DISK_PRESSURE = "disk_pressure"


class DiskUsage(NamedTuple):
    total: int
    used: int
    free: int


@dataclass
class CameraDeletions:
    """What one camera lost in one run."""

    segments: int = 0
    bytes: int = 0
    first_start: datetime | None = None
    last_end: datetime | None = None

    def add(self, start_at: datetime, end_at: datetime, size: int) -> None:
        self.segments += 1
        self.bytes += size
        self.first_start = start_at if self.first_start is None else min(self.first_start, start_at)
        self.last_end = end_at if self.last_end is None else max(self.last_end, end_at)


@dataclass
class RetentionReport:
    """What one pass did and why; the CLI prints it, the audit entry summarises it."""

    reason: Reason
    deleted: dict[int, CameraDeletions] = field(default_factory=dict)
    # Files that could not be removed (other than already gone): their segments were kept.
    failed: list[str] = field(default_factory=list)
    # Disk pressure only: free space before and after, and the margin wanted, in bytes.
    free_bytes_before: int | None = None
    free_bytes_after: int | None = None
    margin_bytes: int | None = None
    # Under the margin with nothing left that may be deleted: a disk_full event is open.
    disk_full: bool = False
    # An unexpected failure, logged; the pass stopped there (and never raised).
    error: str | None = None

    @property
    def segments(self) -> int:
        return sum(d.segments for d in self.deleted.values())

    @property
    def bytes_freed(self) -> int:
        return sum(d.bytes for d in self.deleted.values())
