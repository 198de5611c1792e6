"""The time ranges of an export request, checked before anything is read or written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from camwarden.errors import InvalidInput

# One day per range keeps a package small enough to hand over on a USB stick (2 Mbit/s for
# 24 h is about 21 GB) and an export short enough to run while the recorder keeps recording.
MAX_RANGE = timedelta(hours=24)
# An incident involves a handful of cameras; more ranges than this is a mistake or an abuse.
MAX_RANGES = 16


@dataclass(frozen=True)
class RequestedRange:
    camera_id: int
    start: datetime  # UTC
    end: datetime  # UTC


def _instant(value: datetime, which: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(
            "The time {value} has no time zone; give it with an offset, e.g. "
            "2026-11-26T08:00:00+07:00.",
            field=which,
            value=value.isoformat() if isinstance(value, datetime) else str(value),
        )
    return value.astimezone(UTC)


def check_ranges(
    ranges: Sequence[tuple[int, datetime, datetime]], *, now: datetime
) -> list[RequestedRange]:
    """The ranges in UTC; refused when empty, too many, reversed, too long, in the future or
    overlapping another range of the same camera."""
    if not ranges:
        raise InvalidInput("Give at least one camera and time range to export.", field="ranges")
    if len(ranges) > MAX_RANGES:
        raise InvalidInput(
            "{count} ranges asked; at most {max_count} may go in one package.",
            field="ranges",
            count=len(ranges),
            max_count=MAX_RANGES,
        )
    checked: list[RequestedRange] = []
    for camera_id, raw_start, raw_end in ranges:
        start, end = _instant(raw_start, "since"), _instant(raw_end, "until")
        shown = {"camera_id": camera_id, "start": start.isoformat(), "end": end.isoformat()}
        if start >= end:
            raise InvalidInput(
                "Camera {camera_id}: the range must end after it starts ({start} to {end}).",
                field="until",
                **shown,
            )
        if end - start > MAX_RANGE:
            raise InvalidInput(
                "Camera {camera_id}: the range {start} to {end} is longer than {max_hours} "
                "hours; split it into several ranges.",
                field="until",
                max_hours=int(MAX_RANGE.total_seconds() // 3600),
                **shown,
            )
        if start >= now:
            raise InvalidInput(
                "Camera {camera_id}: the range starts at {start}, which is in the future.",
                field="since",
                **shown,
            )
        for other in checked:
            if other.camera_id == camera_id and other.start < end and start < other.end:
                raise InvalidInput(
                    "Camera {camera_id}: the range {start} to {end} overlaps another range of "
                    "the same camera; merge them into one.",
                    field="ranges",
                    **shown,
                )
        checked.append(RequestedRange(camera_id, start, end))
    return checked
