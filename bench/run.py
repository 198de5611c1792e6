"""`make bench`: every benchmark, each printing its figures beside its baseline from the same run.

The machine is shared and noisy: each benchmark reports medians of several runs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    "recording.py",
    "index.py",
    "playback.py",
    "export.py",
    "scale.py",
    "analysis.py",
    "anonymisation.py",
]


def main() -> int:
    failed = 0
    for name in BENCHMARKS:
        print(f"== {name}", flush=True)
        result = subprocess.run([sys.executable, str(HERE / name)], check=False)
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
