"""Benchmark: export 5 minutes of 720p footage as an evidence package (issue goal: under 2 s).

    .venv/bin/python bench/export.py [--runs 5] [--cache DIR]

Synthetic footage (720p, 15 fps, keyframe every 2 s, about 2 Mbit/s) is encoded once and cached,
then recorded into 60 s segments by the real segment writer. `export_package` of the whole
5 minutes (clip by stream copy, SHA-256 of every file, Ed25519 signature, database records)
is timed beside the baseline measured in the same run on the same segment files: Debian's
`ffmpeg -f concat -safe 0 -i list.txt -c copy -movflags +faststart out.mp4`.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import av
import numpy as np

from camwarden.capture.segments import SegmentWriter
from camwarden.clock import ManualClock
from camwarden.config import load_settings
from camwarden.evidence.export import export_package
from camwarden.governance.authorization import SYSTEM_ACTOR, Actor
from camwarden.governance.roles import Role
from camwarden.installation import Installation, open_installation

SECONDS = 300
FPS = 15
GOP = 30
SIZE = (1280, 720)
BIT_RATE = 2_000_000
START = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
FFMPEG = "/usr/bin/ffmpeg"
EXPORTER = Actor(
    user_id=None, username="bench", role=Role.PRINCIPAL, all_zones=True, zone_ids=frozenset()
)


def synthetic_footage(path: Path) -> Path:
    """A moving block over noise: noise so that the encoder really spends ~2 Mbit/s."""
    if path.exists():
        return path
    width, height = SIZE
    rng = np.random.default_rng(724)
    noise = [rng.integers(0, 256, (height, width, 3), dtype=np.uint8) for _ in range(8)]
    partial = path.with_suffix(".partial.mp4")
    with av.open(str(partial), "w") as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.bit_rate = BIT_RATE
        stream.options = {
            "g": str(GOP),
            "keyint_min": str(GOP),
            "sc_threshold": "0",
            "bf": "0",
            "preset": "ultrafast",
            "maxrate": str(BIT_RATE),
            "bufsize": str(2 * BIT_RATE),
        }
        for index in range(SECONDS * FPS):
            image = noise[index % len(noise)].copy()
            left = (index * 9) % (width - 120)
            image[height // 3 : height // 3 + 120, left : left + 120] = 255
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    partial.rename(path)
    return path


def recorded_installation(source: Path, data_dir: Path) -> tuple[Installation, int]:
    """A fresh installation with one camera whose 5 minutes are recorded in 60 s segments."""
    inst = open_installation(
        load_settings(data_dir, {}), clock=ManualClock(START + timedelta(days=1))
    )
    with inst.database.transaction() as session:
        zone = inst.zones.create(
            session,
            SYSTEM_ACTOR,
            name="Cổng trường",
            kind="gate",
            purposes=["security"],
            responsible_unit="Tổ bảo vệ",
        )
        camera_id = inst.cameras.create(
            session, SYSTEM_ACTOR, name="Cổng chính", zone_id=zone.id, main_url="rtsp://x/1"
        ).id
    with av.open(str(source)) as container:
        stream = container.streams.video[0]
        assert stream.time_base is not None
        writer = SegmentWriter(
            camera_id=camera_id,
            recordings_dir=inst.settings.recordings_dir,
            template=stream,
            sink=inst.recordings,
            segment_seconds=60,
        )
        for packet in container.demux(stream):
            if packet.pts is not None:
                at = START + timedelta(seconds=float(packet.pts * stream.time_base))
                writer.write(packet, at)
        writer.close()
    return inst, camera_id


def median_seconds(runs: int, action: Callable[[int], None]) -> float:
    times = []
    for run in range(runs):
        began = time.perf_counter()
        action(run)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "camwarden-bench-export"
    )
    options = parser.parse_args()
    options.cache.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    source = synthetic_footage(options.cache / "footage-720p-5min.mp4")
    print(
        f"footage: {source} ({source.stat().st_size / 1e6:.1f} MB, "
        f"{time.perf_counter() - began:.1f} s to make or find)"
    )
    work = Path(tempfile.mkdtemp(prefix="camwarden-bench-export-"))
    try:
        inst, camera_id = recorded_installation(source, work / "data")
        segments = inst.recordings.segments(camera_id)
        print(f"recorded: {len(segments)} segments")
        window = [(camera_id, START, START + timedelta(seconds=SECONDS))]
        package_sizes: list[int] = []

        def export(run: int) -> None:
            result = export_package(
                inst, EXPORTER, window, reason="benchmark", out_dir=work / f"out-{run}"
            )
            package_sizes.append(sum(f.stat().st_size for f in result.package_path.rglob("*")))

        list_file = work / "list.txt"
        list_file.write_text(
            "".join(f"file '{inst.settings.recordings_dir / s.path}'\n" for s in segments)
        )

        def ffmpeg_concat(run: int) -> None:
            command = [FFMPEG, "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i"]
            command += [str(list_file), "-c", "copy", "-movflags", "+faststart"]
            subprocess.run([*command, str(work / f"ffmpeg-{run}.mp4")], check=True)

        ours = median_seconds(options.runs, export)
        baseline = median_seconds(options.runs, ffmpeg_concat)
        inst.close()
        print(f"package: {package_sizes[0] / 1e6:.1f} MB")
        print(
            f"export 5 min: median {ours:.3f} s; ffmpeg concat copy: median {baseline:.3f} s; "
            f"ratio {ours / baseline:.2f}"
        )
        print(f"goal (issue 3): under 2 s: {'met' if ours < 2 else 'NOT met'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
