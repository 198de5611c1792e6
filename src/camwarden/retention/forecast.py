"""How long the recordings disk holds footage at the current rate (R-8.1): pure arithmetic.

The rule, in one place:

- the *rate* is what the cameras wrote over the last 24 h, in bytes a day. A younger index
  (a new installation) is scaled from the time it covers, once that is at least
  `MIN_RATE_WINDOW`; before that there is no rate, and no forecast, rather than a wild one.
- *room* is what footage may still fill: free space less the free margin that disk pressure
  keeps (retention/), never below zero.
- *days until pressure* = room / rate: when the oldest footage starts to go by disk pressure
  instead of by age, if nothing else changes.
- *capacity* = (the footage already kept + room) / rate: how many days of footage the disk
  holds in all at this rate.
- the cameras' *retention* is the longest any camera keeps (never less than the review period,
  which retention never deletes inside); it needs rate × days. It *fits* when that is within
  the capacity.

At a constant rate, disk pressure only ever deletes anything when the retention does not fit:
otherwise the age pass frees each day what the day writes. So "the disk cannot hold the
retention" is the one warning (the `disk_forecast` alert); a short `days_until_pressure` while
the retention fits is the normal, full-but-steady state of a disk sized just right.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

DAY_SECONDS = 86_400.0
RATE_WINDOW = timedelta(hours=24)
# Less than this of recording says little about a day (a camera's bitrate moves with the
# picture, night to day): no forecast until then.
MIN_RATE_WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class DiskForecast:
    total: int
    used: int
    free: int
    margin: int
    footage: int
    # None: not enough recording yet to know a rate.
    bytes_per_day: float | None
    # Free space footage may still take before disk pressure starts deleting.
    room: int
    # None without a rate, or at a zero rate (the disk never fills).
    days_until_pressure: float | None
    capacity_days: float | None
    retention_days: int | None
    retention_bytes: float | None
    # None when unknown (no rate or no camera).
    retention_fits: bool | None

    @property
    def used_fraction(self) -> float:
        return self.used / self.total if self.total > 0 else 0.0

    @property
    def footage_fraction(self) -> float:
        return min(self.footage / self.total, 1.0) if self.total > 0 else 0.0

    @property
    def too_small(self) -> bool:
        """The disk forecast alert's condition: the retention is known not to fit."""
        return self.retention_fits is False


def bytes_per_day(written: int, covered: timedelta) -> float | None:
    """The rate from `written` bytes over the `covered` time (at most the last 24 h)."""
    if covered < MIN_RATE_WINDOW or written < 0:
        return None
    return written * DAY_SECONDS / covered.total_seconds()


def forecast_disk(
    *,
    total: int,
    used: int,
    free: int,
    margin: int,
    footage: int,
    rate: float | None,
    retention_days: int | None,
) -> DiskForecast:
    # A disk already under its margin (negative room) has no room: pressure is now.
    room = max(free - margin, 0)
    days_until_pressure: float | None = None
    capacity_days: float | None = None
    retention_bytes: float | None = None
    fits: bool | None = None
    if rate is not None and rate > 0:
        days_until_pressure = room / rate
        capacity_days = (max(footage, 0) + room) / rate
        if retention_days is not None:
            retention_bytes = rate * retention_days
            fits = capacity_days >= retention_days
    elif rate == 0 and retention_days is not None:
        # Nothing is being written: whatever is kept stays, and any retention fits.
        retention_bytes, fits = 0.0, True
    return DiskForecast(
        total=total,
        used=used,
        free=free,
        margin=margin,
        footage=footage,
        bytes_per_day=rate,
        room=room,
        days_until_pressure=days_until_pressure,
        capacity_days=capacity_days,
        retention_days=retention_days,
        retention_bytes=retention_bytes,
        retention_fits=fits,
    )
