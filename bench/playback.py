"""Benchmark: how soon playback of a random moment starts sending video (issue goal: 300 ms).

    .venv/bin/python bench/playback.py [--runs 20]

Five minutes of 720p footage in 60 s segments (bench/export.py's synthetic footage, cached) are
played from random moments through a real `camwarden serve` (the API call the playback page
makes: permission, audit entry, keyframe search, remux). The time to the first video byte is
printed beside the baseline measured in the same run on the same segment file: Debian's
`ffmpeg -ss T -i segment.mp4 -c copy -f mp4 -movflags frag_keyframe+empty_moov pipe:1`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from export import START, recorded_installation, synthetic_footage  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402

from camwarden.governance.accounts import actor_for  # noqa: E402
from camwarden.governance.authorization import SYSTEM_ACTOR  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / "camwarden-bench-export"


def first_byte_ffmpeg(segment: Path, offset: float) -> float:
    began = time.perf_counter()
    process = subprocess.Popen(
        [
            "/usr/bin/ffmpeg",
            "-nostdin",
            "-loglevel",
            "error",
            "-ss",
            f"{offset:.2f}",
            "-i",
            str(segment),
            "-c",
            "copy",
            "-f",
            "mp4",
            "-movflags",
            "frag_keyframe+empty_moov",
            "pipe:1",
        ],
        stdout=subprocess.PIPE,
    )
    assert process.stdout is not None
    process.stdout.read(1)
    elapsed = time.perf_counter() - began
    process.kill()
    process.wait()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    CACHE.mkdir(exist_ok=True)
    source = synthetic_footage(CACHE / "footage-720p-5min.mp4")
    with tempfile.TemporaryDirectory() as folder:
        inst, camera_id = recorded_installation(source, Path(folder))
        with inst.database.transaction() as session:
            user = inst.accounts.create(
                session,
                SYSTEM_ACTOR,
                username="hieutruong",
                full_name="Bench",
                role="principal",
                password="Bench-2026-pass",
                must_change_password=False,
            ).user
            _, token = inst.authentication.create_api_token(session, actor_for(user), "bench")
        segments = list(inst.recordings.segments(camera_id))
        inst.close()
        server = ServerProcess(Path(folder), record=False)
        base = server.start()
        rng = random.Random(724)
        ours, baseline = [], []
        try:
            with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=10) as client:
                for _ in range(args.runs):
                    offset = rng.uniform(0, 295)
                    at = START + timedelta(seconds=offset)
                    began = time.perf_counter()
                    with client.stream(
                        "GET",
                        f"{base}/api/v1/cameras/{camera_id}/playback",
                        params={"at": at.isoformat(), "reason": "benchmark"},
                    ) as answer:
                        answer.raise_for_status()
                        next(answer.iter_raw())
                    ours.append(time.perf_counter() - began)
                    segment = next(s for s in segments if s.start_at <= at < s.end_at)
                    within = (at - segment.start_at).total_seconds()
                    recordings = Path(folder) / "recordings"
                    baseline.append(first_byte_ffmpeg(recordings / segment.path, within))
        finally:
            server.stop()
    mine, theirs = statistics.median(ours) * 1000, statistics.median(baseline) * 1000
    print(
        f"playback, first video byte from a random moment, median of {args.runs}:\n"
        f"  camwarden API {mine:.0f} ms, ffmpeg -ss copy {theirs:.0f} ms, "
        f"ratio {mine / theirs:.2f}"
    )


if __name__ == "__main__":
    main()
