"""Benchmark: recording cost per camera, beside plain `ffmpeg -c copy -f segment` (the baseline).

    .venv/bin/python bench/recording.py [--cameras 12] [--seconds 60] [--runs 3]

N simulated cameras (tools/rtsp_camera.py: 720p, 15 fps, 2 Mbit/s, GOP 2 s) are served over
RTSP; each run records all of them for `--seconds`, first with camwarden's recorder (one
process, a thread per camera), then with one `ffmpeg -rtsp_transport tcp -i URL -c copy -f
segment -segment_time 60` per camera, as Frigate does. CPU time and peak RSS are those of the
recording processes only: for ffmpeg from wait4's rusage (its start-up is a few ms), for
camwarden the recorder's own CPU while recording (interpreter start-up and database migration
excluded), peak RSS from wait4 for both. Medians of the runs are printed with their
ratio. Issue goal: CPU ratio <= 1.0, <= 25 MB per camera.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.rtsp import RtspCamera, make_test_video  # noqa: E402


def _run_ffmpeg(commands: list[list[str]], seconds: float) -> tuple[float, float]:
    """Start the commands, let them run `seconds`, stop them; (CPU seconds, peak RSS MB sum)."""
    processes = [
        subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for c in commands
    ]
    time.sleep(seconds)
    cpu = rss = 0.0
    for process in processes:
        process.terminate()
    for process in processes:
        _, _, usage = os.wait4(process.pid, 0)
        cpu += usage.ru_utime + usage.ru_stime
        rss += usage.ru_maxrss / 1024  # kB on Linux
    return cpu, rss


def _run_camwarden(urls: list[str], seconds: float) -> tuple[float, float]:
    """The worker's own CPU while recording (it prints it), and its peak RSS in MB."""
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "bench" / "_record_worker.py"),
            "--seconds",
            str(seconds),
            *urls,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, _, usage = os.wait4(process.pid, 0)
    cpu = float(output.split("cpu=")[1].split()[0])
    return cpu, usage.ru_maxrss / 1024


def one_run(urls: list[str], seconds: float, out: Path) -> dict[str, float]:
    camwarden_cpu, camwarden_rss = _run_camwarden(urls, seconds)
    ffmpeg = [
        [
            "/usr/bin/ffmpeg",
            "-nostdin",
            "-loglevel",
            "error",
            "-rtsp_transport",
            "tcp",
            "-i",
            url,
            "-c",
            "copy",
            "-f",
            "segment",
            "-segment_time",
            "60",
            "-reset_timestamps",
            "1",
            str(out / f"ffmpeg-{index}-%03d.mp4"),
        ]
        for index, url in enumerate(urls)
    ]
    ffmpeg_cpu, ffmpeg_rss = _run_ffmpeg(ffmpeg, seconds)
    minutes = len(urls) * seconds / 60
    return {
        "camwarden_cpu": camwarden_cpu / minutes,
        "ffmpeg_cpu": ffmpeg_cpu / minutes,
        "camwarden_rss": camwarden_rss / len(urls),
        "ffmpeg_rss": ffmpeg_rss / len(urls),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cameras", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    video = make_test_video(seconds=20)
    cameras = [RtspCamera(video, path=f"/cam{i}", port=0) for i in range(args.cameras)]
    for camera in cameras:
        camera.start()
    try:
        results = []
        with tempfile.TemporaryDirectory() as out:
            for _ in range(args.runs):
                results.append(one_run([c.url for c in cameras], args.seconds, Path(out)))
    finally:
        for camera in cameras:
            camera.stop()
    median = {key: statistics.median(r[key] for r in results) for key in results[0]}
    print(
        f"recording, {args.cameras} cameras x {args.seconds:.0f} s, median of {args.runs} runs:\n"
        f"  CPU-s per camera-minute: camwarden {median['camwarden_cpu']:.3f}, "
        f"ffmpeg copy {median['ffmpeg_cpu']:.3f}, "
        f"ratio {median['camwarden_cpu'] / median['ffmpeg_cpu']:.2f}\n"
        f"  peak RSS per camera: camwarden {median['camwarden_rss']:.1f} MB, "
        f"ffmpeg copy {median['ffmpeg_rss']:.1f} MB, "
        f"ratio {median['camwarden_rss'] / median['ffmpeg_rss']:.2f}"
    )


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
