"""Benchmark: the recording index at school scale (64 cameras x 30 days of 60 s segments).

    .venv/bin/python bench/index.py [--cameras 64] [--days 30] [--runs 50]

Fills a SQLite database (made by the real migrations) with one row per camera-minute, then
times `RecordingIndex.timeline` for one camera and one day (what the playback page asks for)
at random days, beside the baseline measured in the same run: the bare SQL select of the same
rows with Python's sqlite3 and no merging. Issue goal: a day's timeline in <= 20 ms.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from camwarden.config import load_settings
from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.installation import open_installation

START = datetime(2026, 10, 1, tzinfo=UTC)


def fill(db_path: Path, cameras: int, days: int) -> None:
    rows = []
    with sqlite3.connect(db_path) as connection:
        for camera_id in range(1, cameras + 1):
            for minute in range(days * 1440):
                start = START + timedelta(minutes=minute)
                rows.append(
                    (
                        camera_id,
                        f"{camera_id}/{start:%Y-%m-%d}/{start:%H%M%S}.000000.mp4",
                        start.replace(tzinfo=None).isoformat(sep=" "),
                        (start + timedelta(seconds=60)).replace(tzinfo=None).isoformat(sep=" "),
                        15_000_000,
                        900,
                        "complete",
                    )
                )
            connection.executemany(
                "INSERT INTO segments (camera_id, path, start_at, end_at, bytes, frames, status)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            rows.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cameras", type=int, default=64)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        inst = open_installation(load_settings(Path(folder), {}))
        with inst.database.transaction() as session:
            zone = inst.zones.create(
                session,
                SYSTEM_ACTOR,
                name="Bench",
                kind="other",
                purposes=["security"],
                responsible_unit="IT",
            )
            for index in range(args.cameras):
                inst.cameras.create(
                    session,
                    SYSTEM_ACTOR,
                    name=f"cam{index}",
                    zone_id=zone.id,
                    main_url=f"rtsp://10.0.0.{index % 250 + 1}/ch{index}",
                )
        db_path = Path(folder) / "camwarden.db"
        began = time.perf_counter()
        fill(db_path, args.cameras, args.days)
        filled = time.perf_counter() - began
        rng = random.Random(724)
        ours, bare = [], []
        raw = sqlite3.connect(db_path)
        for _ in range(args.runs):
            camera_id = rng.randint(1, args.cameras)
            day = START + timedelta(days=rng.randrange(args.days))
            began = time.perf_counter()
            timeline = inst.recordings.timeline(camera_id, day, day + timedelta(days=1))
            ours.append(time.perf_counter() - began)
            assert len(timeline.recorded) == 1
            began = time.perf_counter()
            raw.execute(
                "SELECT start_at, end_at FROM segments WHERE camera_id = ? AND end_at > ? "
                "AND start_at < ? ORDER BY start_at",
                (
                    camera_id,
                    day.replace(tzinfo=None).isoformat(sep=" "),
                    (day + timedelta(days=1)).replace(tzinfo=None).isoformat(sep=" "),
                ),
            ).fetchall()
            bare.append(time.perf_counter() - began)
        inst.close()
    rows = args.cameras * args.days * 1440
    print(
        f"index, {rows:,} segment rows ({args.cameras} cameras x {args.days} days), "
        f"filled in {filled:.0f} s; median of {args.runs} random camera-days:\n"
        f"  day timeline: camwarden {statistics.median(ours) * 1000:.1f} ms, "
        f"bare sqlite3 select {statistics.median(bare) * 1000:.1f} ms, "
        f"ratio {statistics.median(ours) / statistics.median(bare):.1f}"
    )


if __name__ == "__main__":
    main()
