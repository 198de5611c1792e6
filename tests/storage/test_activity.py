"""The activity log: buffered writes merged by max per slice, strips, and the period search.

Runs on SQLite and PostgreSQL; time moves on a manual clock; threads are real.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from camwarden.clock import ManualClock
from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.installation import Installation
from camwarden.storage.activity import (
    SLICE,
    SLICES_PER_HOUR,
    ActivityLog,
    PeriodSearch,
    TimeOfDayWindow,
    level_to_byte,
)
from camwarden.storage.models import MotionActivity

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
HOUR = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # 22:00 in the school's timezone


def add_camera(inst: Installation, name: str = "Phòng tài vụ") -> int:
    with inst.database.transaction() as session:
        zone = inst.zones.create(
            session,
            SYSTEM_ACTOR,
            name=f"Khu {name}",
            kind="finance_room",
            purposes=["security"],
            responsible_unit="Tổ bảo vệ",
        )
        return inst.cameras.create(
            session, SYSTEM_ACTOR, name=name, zone_id=zone.id, main_url="rtsp://10.0.0.9/1"
        ).id


def stored_levels(inst: Installation, camera_id: int, hour_start: datetime) -> bytes | None:
    with inst.database.reading() as session:
        return session.scalar(
            select(MotionActivity.levels).where(
                MotionActivity.camera_id == camera_id, MotionActivity.hour_start == hour_start
            )
        )


def record_span(
    log: ActivityLog, camera_id: int, start: datetime, seconds: int, level: float
) -> None:
    """One frame every 2 s from `start` for `seconds`, as the live analyzer sends them."""
    for offset in range(0, seconds, 2):
        log.record(camera_id, start + timedelta(seconds=offset), level)


def test_record_keeps_the_highest_level_of_each_ten_second_slice(
    installation: Installation,
) -> None:
    camera_id = add_camera(installation)
    log = installation.activity
    log.record(camera_id, HOUR + timedelta(seconds=21), 0.2)
    log.record(camera_id, HOUR + timedelta(seconds=25), 0.9)
    log.record(camera_id, HOUR + timedelta(seconds=29), 0.1)
    log.record(camera_id, HOUR + timedelta(seconds=30), 0.5)

    log.flush()

    levels = stored_levels(installation, camera_id, HOUR)
    assert levels is not None and len(levels) == SLICES_PER_HOUR
    assert levels[2] == level_to_byte(0.9)
    assert levels[3] == level_to_byte(0.5)
    assert levels.count(0) == SLICES_PER_HOUR - 2


def test_nothing_reaches_the_database_before_a_flush(installation: Installation) -> None:
    camera_id = add_camera(installation)
    installation.activity.record(camera_id, HOUR, 0.4)

    assert stored_levels(installation, camera_id, HOUR) is None
    # ...but reads already see the buffered minute.
    strip = installation.activity.strip(camera_id, HOUR, HOUR + timedelta(minutes=1))
    assert strip.levels[0] == level_to_byte(0.4)


def test_a_flush_merges_with_the_stored_row_so_a_restart_keeps_earlier_slices(
    installation: Installation,
) -> None:
    camera_id = add_camera(installation)
    before_restart = ActivityLog(installation.database, installation.clock)
    before_restart.record(camera_id, HOUR + timedelta(minutes=5), 0.8)
    before_restart.record(camera_id, HOUR + timedelta(minutes=10), 0.3)
    before_restart.close()

    after_restart = ActivityLog(installation.database, installation.clock)
    after_restart.record(camera_id, HOUR + timedelta(minutes=10), 0.6)
    after_restart.record(camera_id, HOUR + timedelta(minutes=5), 0.1)
    after_restart.record(camera_id, HOUR + timedelta(minutes=20), 0.2)
    after_restart.close()

    levels = stored_levels(installation, camera_id, HOUR)
    assert levels is not None
    assert levels[30] == level_to_byte(0.8)  # a lower level later does not erase it
    assert levels[60] == level_to_byte(0.6)
    assert levels[120] == level_to_byte(0.2)


def test_any_motion_at_all_is_stored_above_zero_and_levels_are_clamped() -> None:
    assert level_to_byte(0.0) == 0
    assert level_to_byte(0.0001) == 1
    assert level_to_byte(1.7) == 255
    assert level_to_byte(-0.5) == 0
    assert level_to_byte(float("nan")) == 0


def test_a_naive_moment_is_refused(installation: Installation) -> None:
    with pytest.raises(ValueError, match="naive"):
        installation.activity.record(1, datetime(2026, 3, 2, 15, 0), 0.5)


def test_recording_from_many_threads_at_once_loses_no_slice(installation: Installation) -> None:
    cameras = [add_camera(installation, f"Lớp {number}") for number in range(4)]
    log = installation.activity

    def analysis_thread(camera_id: int, first_slice: int) -> None:
        barrier.wait()
        for index in range(first_slice, SLICES_PER_HOUR, 2):
            log.record(camera_id, HOUR + SLICE * index, (index % 200 + 1) / 255)

    def flushing_thread() -> None:
        barrier.wait()
        for _ in range(20):
            log.flush()

    threads = [
        threading.Thread(target=analysis_thread, args=(camera_id, first))
        for camera_id in cameras
        for first in (0, 1)
    ]
    barrier = threading.Barrier(len(threads) + 1)
    threads.append(threading.Thread(target=flushing_thread))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    log.flush()

    expected = bytes(index % 200 + 1 for index in range(SLICES_PER_HOUR))
    for camera_id in cameras:
        assert stored_levels(installation, camera_id, HOUR) == expected


def test_a_flush_is_due_after_a_minute_and_the_flusher_thread_writes_it(
    installation: Installation, clock: ManualClock
) -> None:
    camera_id = add_camera(installation)
    log = ActivityLog(installation.database, clock)
    log.record(camera_id, HOUR, 0.5)
    clock.advance(61)
    log.record(camera_id, HOUR + timedelta(seconds=61), 0.7)

    # Nobody calls flush(): the flusher thread, woken by the second record, writes both.
    levels = None
    for _ in range(600):
        levels = stored_levels(installation, camera_id, HOUR)
        if levels is not None and levels[6]:
            break
        threading.Event().wait(0.05)
    assert levels is not None
    assert (levels[0], levels[6]) == (level_to_byte(0.5), level_to_byte(0.7))
    log.close()


def test_closing_the_installation_writes_what_is_buffered(
    installation: Installation,
) -> None:
    camera_id = add_camera(installation)
    installation.activity.record(camera_id, HOUR + timedelta(minutes=59, seconds=55), 1.0)
    installation.activity.close()

    levels = stored_levels(installation, camera_id, HOUR)
    assert levels is not None and levels[-1] == 255


def test_a_strip_spans_hours_and_keeps_the_highest_level_of_each_step(
    installation: Installation,
) -> None:
    camera_id = add_camera(installation)
    log = installation.activity
    log.record(camera_id, HOUR + timedelta(minutes=59, seconds=45), 0.2)
    log.record(camera_id, HOUR + timedelta(minutes=60, seconds=5), 0.6)
    log.flush()
    log.record(camera_id, HOUR + timedelta(minutes=60, seconds=15), 0.4)

    fine = log.strip(camera_id, HOUR + timedelta(minutes=59), HOUR + timedelta(minutes=61))
    coarse = log.strip(
        camera_id,
        HOUR + timedelta(minutes=59),
        HOUR + timedelta(minutes=61),
        step=timedelta(minutes=1),
    )

    assert fine.start == HOUR + timedelta(minutes=59)
    moved, more, less = level_to_byte(0.2), level_to_byte(0.6), level_to_byte(0.4)
    assert list(fine.levels) == [0, 0, 0, 0, moved, 0, more, less, 0, 0, 0, 0]
    assert coarse.step == timedelta(minutes=1)
    assert list(coarse.levels) == [level_to_byte(0.2), level_to_byte(0.6)]


def test_search_joins_slices_with_short_quiet_gaps_into_one_period(
    installation: Installation,
) -> None:
    camera_id = add_camera(installation)
    log = installation.activity
    record_span(log, camera_id, HOUR + timedelta(minutes=10), 40, 0.3)
    # 20 s of quiet, then more: the same person still in the room.
    record_span(log, camera_id, HOUR + timedelta(minutes=11), 30, 0.9)
    # Five minutes later, someone else.
    record_span(log, camera_id, HOUR + timedelta(minutes=20), 20, 0.5)
    log.flush()

    results = log.periods(
        PeriodSearch(camera_ids=[camera_id], start=HOUR, end=HOUR + timedelta(hours=1))
    )

    assert not results.truncated
    assert [(p.start, p.end, p.peak) for p in results.periods] == [
        (
            HOUR + timedelta(minutes=20),
            HOUR + timedelta(minutes=20, seconds=20),
            level_to_byte(0.5),
        ),
        (
            HOUR + timedelta(minutes=10),
            HOUR + timedelta(minutes=11, seconds=30),
            level_to_byte(0.9),
        ),
    ]


def test_search_drops_periods_shorter_than_the_minimum_and_below_the_level(
    installation: Installation,
) -> None:
    camera_id = add_camera(installation)
    log = installation.activity
    record_span(log, camera_id, HOUR + timedelta(minutes=5), 10, 0.9)  # brief
    record_span(log, camera_id, HOUR + timedelta(minutes=15), 120, 0.9)  # long and strong
    record_span(log, camera_id, HOUR + timedelta(minutes=30), 120, 0.05)  # long but faint
    log.flush()

    results = log.periods(
        PeriodSearch(
            camera_ids=[camera_id],
            start=HOUR,
            end=HOUR + timedelta(hours=1),
            min_level=level_to_byte(0.2),
            min_duration=timedelta(seconds=60),
        )
    )

    assert [(p.start, p.duration) for p in results.periods] == [
        (HOUR + timedelta(minutes=15), timedelta(seconds=120))
    ]


def test_a_time_of_day_window_crosses_midnight_in_the_schools_timezone(
    installation: Installation,
) -> None:
    camera_id = add_camera(installation)
    log = installation.activity
    evening = datetime(2026, 3, 2, 21, 59, tzinfo=HANOI)
    # 21:59:00-22:01:00 local: only the part from 22:00 counts.
    record_span(log, camera_id, evening, 120, 0.5)
    # 02:00 local the next night: inside; 05:00-05:01 local: outside; 12:00: outside.
    record_span(log, camera_id, datetime(2026, 3, 3, 2, 0, tzinfo=HANOI), 60, 0.5)
    record_span(log, camera_id, datetime(2026, 3, 3, 5, 0, tzinfo=HANOI), 60, 0.5)
    record_span(log, camera_id, datetime(2026, 3, 3, 12, 0, tzinfo=HANOI), 60, 0.5)
    log.flush()

    results = log.periods(
        PeriodSearch(
            camera_ids=[camera_id],
            start=datetime(2026, 3, 2, 0, 0, tzinfo=HANOI),
            end=datetime(2026, 3, 4, 0, 0, tzinfo=HANOI),
            window=TimeOfDayWindow(time(22, 0), time(5, 0)),
            timezone=HANOI,
            newest_first=False,
        )
    )

    assert [(p.start.astimezone(HANOI), p.end.astimezone(HANOI)) for p in results.periods] == [
        (datetime(2026, 3, 2, 22, 0, tzinfo=HANOI), datetime(2026, 3, 2, 22, 1, tzinfo=HANOI)),
        (datetime(2026, 3, 3, 2, 0, tzinfo=HANOI), datetime(2026, 3, 3, 2, 1, tzinfo=HANOI)),
    ]


def test_search_stays_inside_the_range_and_its_size_is_bounded(
    installation: Installation,
) -> None:
    cameras = [add_camera(installation, f"Lớp {number}") for number in range(2)]
    log = installation.activity
    for camera_id in cameras:
        for minute in range(0, 60, 2):
            record_span(log, camera_id, HOUR + timedelta(minutes=minute), 20, 0.5)
    log.flush()

    results = log.periods(
        PeriodSearch(
            camera_ids=cameras,
            start=HOUR + timedelta(minutes=10, seconds=10),
            end=HOUR + timedelta(minutes=30),
            limit=5,
        )
    )

    assert results.truncated
    assert len(results.periods) == 5
    newest = results.periods[0]
    assert newest.start == HOUR + timedelta(minutes=28)
    every = log.periods(
        PeriodSearch(
            camera_ids=cameras,
            start=HOUR + timedelta(minutes=10, seconds=10),
            end=HOUR + timedelta(minutes=30),
            newest_first=False,
        )
    )
    assert not every.truncated
    # The period at 10:00-10:20 is cut at the start of the range.
    assert every.periods[0].start == HOUR + timedelta(minutes=10, seconds=10)
    assert {p.camera_id for p in every.periods} == set(cameras)
    assert len(every.periods) == 2 * 10


def test_searching_cameras_without_activity_finds_nothing(installation: Installation) -> None:
    camera_id = add_camera(installation)
    results = installation.activity.periods(
        PeriodSearch(camera_ids=[camera_id], start=HOUR, end=HOUR + timedelta(days=31))
    )
    assert results.periods == [] and not results.truncated
