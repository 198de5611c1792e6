"""`make eval-anonymisation`: how well anonymised copies hide people, on real footage.

The measuring detector is OpenCV's frontal-face Haar cascade, run on every second frame of
the original and of the anonymised copy (equalised, at the frame's own size, as in the test).
A find in the original counts as "on a person" unless the cascade also finds it on the empty
scene (the clip's median frame). A find in the copy counts as "still there" when it overlaps
a find on a person in the same original frame. The anonymiser runs once with all its sources
and once with motion alone, so the figures show that motion, not the measuring detector, does
the hiding. Also: the share of the frame left clear (the scene still readable).

Prints the figures; docs/anonymisation.md records them. Needs ../shared/samples.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import av
import cv2
import numpy as np

from camwarden.evidence._people import Sources
from camwarden.evidence.anonymise import anonymise_clip

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "samples" / "corridor-people.mp4"
CASCADE = cv2.CascadeClassifier(
    cv2.data.haarcascades + "haarcascade_frontalface_default.xml"  # type: ignore[attr-defined]
)
Box = tuple[int, int, int, int]


def faces(grey: np.ndarray) -> list[Box]:
    found = CASCADE.detectMultiScale(cv2.equalizeHist(grey), 1.1, 5, minSize=(20, 20))
    return [(int(x), int(y), int(w), int(h)) for x, y, w, h in found]


def overlap(a: Box, b: Box) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def greys(path: Path, every: int) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        frames = container.decode(video=0)
        return [f.to_ndarray(format="gray") for i, f in enumerate(frames) if i % every == 0]


def measure(original: list[np.ndarray], copy: list[np.ndarray]) -> tuple[int, int, int]:
    scene = faces(np.median(np.stack(original[::10]), axis=0).astype(np.uint8))
    on_people = still_there = anywhere = 0
    for before, after in zip(original, copy, strict=True):
        people = [b for b in faces(before) if not any(overlap(b, s) for s in scene)]
        on_people += len(people)
        found = faces(after)
        anywhere += len(found)
        still_there += sum(1 for b in found if any(overlap(b, p) for p in people))
    return on_people, still_there, anywhere


def main() -> int:
    if not SAMPLE.is_file():
        print(f"missing {SAMPLE}")
        return 1
    original = greys(SAMPLE, 2)
    print(f"{SAMPLE.name}: {len(original)} frames measured (every second frame)")
    with tempfile.TemporaryDirectory() as folder:
        for label, sources in [
            ("all sources", Sources()),
            ("motion only", Sources(people_detector=False, face_detector=False)),
        ]:
            copy_path = Path(folder) / "copy.mp4"
            started = time.process_time()
            summary = anonymise_clip(SAMPLE, copy_path, sources=sources)
            cpu = time.process_time() - started
            on_people, still_there, anywhere = measure(original, greys(copy_path, 2))
            print(
                f"{label}: finds on people in the original {on_people}, still there in the "
                f"copy {still_there} (finds anywhere in the copy: {anywhere}); frames with "
                f"something hidden {summary.frames_masked}/{summary.frames}; frame left clear "
                f"{100 * (1 - summary.masked_share):.1f} % on average; {cpu:.0f} s of CPU"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
