"""Anonymised copies: seconds of CPU per minute of 720p footage, beside a plain re-encode.

The baseline is ffmpeg re-encoding the same clip with the same encoder settings (libx264,
veryfast, crf 20) in the same run: the anonymiser's own cost is what it adds to that.
Medians of three runs on a 20-s 720p 10-fps clip with a figure crossing a detailed scene.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from camwarden.evidence.anonymise import anonymise_clip

SECONDS = 20
RUNS = 3


def make_clip(path: Path) -> None:
    subprocess.run(
        [
            "ffmpeg", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", f"smptehdbars=s=1280x720:r=10:d={SECONDS}",
            "-f", "lavfi", "-i", f"testsrc=s=80x200:r=10:d={SECONDS}",
            "-filter_complex", "[0][1]overlay=x='100+t*50':y=300:shortest=1",
            "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-g", "20",
            str(path),
        ],
        check=True,
    )  # fmt: skip


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        clip = Path(folder) / "clip.mp4"
        make_clip(clip)
        ours, baseline = [], []
        for _ in range(RUNS):
            started = time.process_time()
            anonymise_clip(clip, Path(folder) / "copy.mp4")
            ours.append(time.process_time() - started)
            before = children_cpu()
            subprocess.run(
                ["ffmpeg", "-loglevel", "error", "-y", "-threads", "1", "-i", str(clip),
                 "-c:v", "libx264", "-preset", "veryfast", "-crf", "20",
                 str(Path(folder) / "plain.mp4")],
                check=True,
            )  # fmt: skip
            baseline.append(children_cpu() - before)
    per_minute = 60 / SECONDS
    print(
        f"anonymised copy: {statistics.median(ours) * per_minute:.1f} s of CPU per minute of "
        f"720p footage; plain ffmpeg re-encode (baseline): "
        f"{statistics.median(baseline) * per_minute:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
