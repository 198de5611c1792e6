"""Motion activity per camera: written compactly by the live analysis, read for strips and search.

One row per camera-hour (`MotionActivity`): 360 bytes, one per 10-second slice, the highest
motion level seen in that slice scaled to 0-255 (0 is no motion or no data).

Writing never waits on the database: `record` only updates an in-memory buffer of the
camera-hours touched since the last flush. A flusher thread writes them at most every
`FLUSH_INTERVAL` (and `flush()`/`close()` write them at once), merging with what is already
stored by taking the highest level per slice, so a restart in the middle of an hour keeps the
slices written before it. What a crash (power cut, kill -9) loses is therefore the unflushed
part: at most the last minute of activity per camera. A flush that fails (database down) keeps
the levels in memory and tries again at the next flush.

Reads merge the stored rows with the buffer, so the last minute shows before it is flushed.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from camwarden.clock import Clock
from camwarden.errors import Conflict
from camwarden.storage.database import Database
from camwarden.storage.models import MotionActivity

log = logging.getLogger(__name__)

SLICE = timedelta(seconds=10)
SLICES_PER_HOUR = 360
HOUR = timedelta(hours=1)
FLUSH_INTERVAL = timedelta(seconds=60)
# Quiet this short between two moving slices does not split a period (someone pausing).
MERGE_GAP = timedelta(seconds=30)
MAX_LEVEL = 255


def level_to_byte(level: float) -> int:
    """0..1 to 0..255; any motion at all stays above 0 so that it is never read as "none"."""
    if not level > 0:  # also catches NaN
        return 0
    return max(1, min(MAX_LEVEL, round(level * MAX_LEVEL)))


def hour_of(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _slice_index(at: datetime, hour_start: datetime) -> int:
    return int((at.astimezone(UTC) - hour_start).total_seconds() // SLICE.total_seconds())


@dataclass(frozen=True)
class ActivityStrip:
    """Levels (0..255) of one camera from `start`, one per `step` (the highest in each step)."""

    camera_id: int
    start: datetime
    step: timedelta
    levels: bytes

    @property
    def end(self) -> datetime:
        return self.start + self.step * len(self.levels)


@dataclass(frozen=True)
class ActivityPeriod:
    camera_id: int
    start: datetime
    end: datetime
    peak: int  # 0..255

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True)
class TimeOfDayWindow:
    """Hours of the day in a timezone, e.g. 22:00-05:00; `start > end` crosses midnight."""

    start: time
    end: time

    def contains(self, local: time) -> bool:
        if self.start == self.end:
            return True
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end


@dataclass(frozen=True)
class PeriodSearch:
    camera_ids: Sequence[int]
    start: datetime
    end: datetime
    min_level: int = 1  # 0..255
    min_duration: timedelta = timedelta(0)
    window: TimeOfDayWindow | None = None
    timezone: tzinfo = UTC
    newest_first: bool = True
    limit: int = 200


@dataclass(frozen=True)
class PeriodResults:
    periods: list[ActivityPeriod]
    truncated: bool  # more periods matched than `limit`


class ActivityLog:
    """The one writer and reader of motion activity; `record` is safe from any thread."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock
        self._lock = threading.Lock()
        self._pending: dict[tuple[int, datetime], bytearray] = {}
        self._last_flush = clock.now()
        self._flushing = threading.Lock()  # one flush at a time, whoever calls it
        self._wake = threading.Event()
        self._closed = threading.Event()
        self._flusher: threading.Thread | None = None

    # -- writing ---------------------------------------------------------------------------

    def record(self, camera_id: int, at: datetime, level: float) -> None:
        """Note `level` (0..1) seen on `camera_id` at `at`; never touches the database."""
        if at.tzinfo is None:
            raise ValueError("naive datetime given to the activity log")
        value = level_to_byte(level)
        hour_start = hour_of(at)
        index = _slice_index(at, hour_start)
        with self._lock:
            levels = self._pending.get((camera_id, hour_start))
            if levels is None:
                levels = self._pending[(camera_id, hour_start)] = bytearray(SLICES_PER_HOUR)
            if value > levels[index]:
                levels[index] = value
            due = self._clock.now() - self._last_flush >= FLUSH_INTERVAL
            if self._flusher is None and not self._closed.is_set():
                self._flusher = threading.Thread(
                    target=self._flush_periodically, name="activity-flush", daemon=True
                )
                self._flusher.start()
        if due:
            self._wake.set()

    def flush(self) -> None:
        """Write every buffered camera-hour now, merged with what is stored (max per slice)."""
        with self._flushing:
            with self._lock:
                pending, self._pending = self._pending, {}
                self._last_flush = self._clock.now()
            failed: Exception | None = None
            for (camera_id, hour_start), levels in pending.items():
                try:
                    self._merge_row(camera_id, hour_start, bytes(levels))
                except Conflict:
                    # The camera is gone (or a row clashed twice): nothing sensible to keep.
                    log.warning("activity of camera %s dropped: no longer stored", camera_id)
                except Exception as error:  # kept and retried, never lost here
                    failed = failed or error
                    self._keep(camera_id, hour_start, levels)
            if failed is not None:
                raise failed

    def close(self) -> None:
        """Stop the flusher and write what is left."""
        self._closed.set()
        self._wake.set()
        flusher = self._flusher
        if flusher is not None:
            flusher.join()
        self.flush()

    def _keep(self, camera_id: int, hour_start: datetime, levels: bytearray) -> None:
        with self._lock:
            current = self._pending.setdefault((camera_id, hour_start), bytearray(SLICES_PER_HOUR))
            _raise_to(current, levels)

    def _flush_periodically(self) -> None:
        while not self._closed.is_set():
            # Wakes when `record` sees a flush is due, or on its own so that a camera that
            # stopped sending frames still gets its last minute written.
            self._wake.wait(FLUSH_INTERVAL.total_seconds())
            self._wake.clear()
            if self._closed.is_set():
                return
            try:
                self.flush()
            except Exception:  # the levels stay buffered for the next flush
                log.exception("activity flush failed; will try again")

    def _merge_row(self, camera_id: int, hour_start: datetime, levels: bytes) -> None:
        with self._database.transaction() as session:
            dialect = session.get_bind().dialect.name
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            # Create the row if missing, then lock it and raise each slice to the max: two
            # writers (a restarted process, a manual flush) can never lower a stored level.
            session.execute(
                insert(MotionActivity)
                .values(camera_id=camera_id, hour_start=hour_start, levels=levels)
                .on_conflict_do_nothing(index_elements=["camera_id", "hour_start"])
            )
            row = session.scalars(
                select(MotionActivity)
                .where(
                    MotionActivity.camera_id == camera_id,
                    MotionActivity.hour_start == hour_start,
                )
                .with_for_update()
            ).one()
            merged = bytearray(row.levels)
            _raise_to(merged, levels)
            if bytes(merged) != row.levels:
                row.levels = bytes(merged)

    # -- reading ---------------------------------------------------------------------------

    def strip(
        self, camera_id: int, start: datetime, end: datetime, step: timedelta = SLICE
    ) -> ActivityStrip:
        """Levels of one camera over [start, end), one byte per `step` (a multiple of 10 s)."""
        slices_per_step = max(1, int(step.total_seconds() // SLICE.total_seconds()))
        step = SLICE * slices_per_step
        start = _floor_to_slice(start)
        fine = bytearray()
        for _hour_start, levels in self._hours(camera_id, start, end):
            fine.extend(levels)
        offset = _slice_index(start, hour_of(start))
        count = _slices_between(start, end)
        fine = fine[offset : offset + count]
        coarse = bytes(
            max(fine[i : i + slices_per_step]) for i in range(0, len(fine), slices_per_step)
        )
        return ActivityStrip(camera_id=camera_id, start=start, step=step, levels=coarse)

    def periods(self, search: PeriodSearch) -> PeriodResults:
        """Periods of activity at or above `min_level`, quiet gaps up to MERGE_GAP joined."""
        found: list[ActivityPeriod] = []
        threshold = bytes(0 if value < max(1, search.min_level) else 1 for value in range(256))
        window_masks: dict[datetime, bytes] = {}
        for camera_id in search.camera_ids:
            runs: list[ActivityPeriod] = []
            for hour_start, levels in self._hours(camera_id, search.start, search.end):
                if max(levels) < search.min_level or not any(levels):
                    continue
                moving = levels.translate(threshold)
                allowed = _allowed_mask(hour_start, search, window_masks)
                qualifying = (int.from_bytes(moving) & allowed).to_bytes(SLICES_PER_HOUR)
                for run in re.finditer(b"\x01+", qualifying):
                    runs.append(
                        ActivityPeriod(
                            camera_id=camera_id,
                            start=hour_start + SLICE * run.start(),
                            end=hour_start + SLICE * run.end(),
                            peak=max(levels[run.start() : run.end()]),
                        )
                    )
            found.extend(
                period for period in _joined(runs) if period.duration >= search.min_duration
            )
        found.sort(key=lambda period: (period.start, period.camera_id), reverse=search.newest_first)
        return PeriodResults(periods=found[: search.limit], truncated=len(found) > search.limit)

    def _hours(
        self, camera_id: int, start: datetime, end: datetime
    ) -> Iterator[tuple[datetime, bytes]]:
        """Every hour touching [start, end) in order, stored merged with buffered, zeros if none."""
        first, last = hour_of(start), hour_of(end - timedelta(microseconds=1))
        if end <= start:
            return
        with self._database.reading() as session:
            stored = {
                row.hour_start: row.levels
                for row in session.scalars(
                    select(MotionActivity).where(
                        MotionActivity.camera_id == camera_id,
                        MotionActivity.hour_start >= first,
                        MotionActivity.hour_start <= last,
                    )
                )
            }
        with self._lock:
            buffered = {
                hour_start: bytes(levels)
                for (camera, hour_start), levels in self._pending.items()
                if camera == camera_id and first <= hour_start <= last
            }
        hour_start = first
        empty = bytes(SLICES_PER_HOUR)
        while True:
            levels = bytearray(stored.get(hour_start, empty).ljust(SLICES_PER_HOUR, b"\0"))
            if hour_start in buffered:
                _raise_to(levels, buffered[hour_start])
            yield hour_start, bytes(levels[:SLICES_PER_HOUR])
            if hour_start >= last:
                return
            hour_start += HOUR


def _raise_to(target: bytearray, levels: Iterable[int]) -> None:
    for index, value in enumerate(levels):
        if value > target[index]:
            target[index] = value


def _floor_to_slice(at: datetime) -> datetime:
    hour_start = hour_of(at)
    return hour_start + SLICE * _slice_index(at, hour_start)


def _slices_between(start: datetime, end: datetime) -> int:
    seconds = (end - start).total_seconds()
    whole = SLICE.total_seconds()
    return max(0, int(-(-seconds // whole)))


def _allowed_mask(hour_start: datetime, search: PeriodSearch, cache: dict[datetime, bytes]) -> int:
    """One byte per slice, 1 where the slice is inside the range and the time window."""
    allowed = bytearray(_window_mask(hour_start, search.window, search.timezone, cache))
    first = max(0, _slices_between(hour_start, search.start))
    last = max(0, min(SLICES_PER_HOUR, _slices_between(hour_start, search.end)))
    allowed[:first] = bytes(min(first, SLICES_PER_HOUR))
    allowed[last:] = bytes(SLICES_PER_HOUR - last)
    return int.from_bytes(allowed)


def _window_mask(
    hour_start: datetime,
    window: TimeOfDayWindow | None,
    timezone: tzinfo,
    cache: dict[datetime, bytes],
) -> bytes:
    if window is None:
        return b"\x01" * SLICES_PER_HOUR
    local_start = hour_start.astimezone(timezone)
    # The same local hour-and-minute always gives the same mask, so 24-48 masks cover any
    # range however long.
    key = datetime(2000, 1, 1, local_start.hour, local_start.minute, tzinfo=UTC)
    cached = cache.get(key)
    if cached is not None:
        return cached
    mask = bytes(
        window.contains((local_start + SLICE * index).time()) for index in range(SLICES_PER_HOUR)
    )
    cache[key] = mask
    return mask


def _joined(runs: list[ActivityPeriod]) -> list[ActivityPeriod]:
    joined: list[ActivityPeriod] = []
    for run in runs:
        if joined and run.start - joined[-1].end <= MERGE_GAP:
            last = joined[-1]
            joined[-1] = ActivityPeriod(
                camera_id=last.camera_id,
                start=last.start,
                end=max(last.end, run.end),
                peak=max(last.peak, run.peak),
            )
        else:
            joined.append(run)
    return joined
