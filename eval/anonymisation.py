"""`make eval-anonymisation`: how well anonymised copies hide people, on real footage.

The measuring detector is OpenCV's frontal-face Haar cascade, run on every second frame of
the original and of the anonymised copy (equalised, at the frame's own size, as in the test).
A find in the original counts as "on a person" unless the cascade also finds it on the empty
scene (the clip's median frame). A find in the copy counts as "still there" when it overlaps
a find on a person in the same original frame. The anonymiser runs once with all its sources
and once with motion alone, so the figures show that motion, not the measuring detector, does
the hiding. Also: the share of the frame left clear (the scene still readable).

A second scenario (`faces_main`) composes real faces (a public-domain portrait from
scikit-image's wheel) walking and pausing in the corridor at 720p, and counts the finds of an
LBP face cascade (not the anonymiser's Haar) on those faces in the original and in the copy.
`--faces-only` runs only that one; `--lbp-only` skips the slow Haar measure.

Prints the figures; docs/anonymisation.md records them. Needs ../shared/samples and the test
extra (scikit-image).
"""

from __future__ import annotations

import importlib.resources
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import av
import av.video
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
    if "--faces-only" not in sys.argv:
        corridor_main()
    faces_main()
    return 0


def corridor_main() -> None:
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


# --- Scenario 2: real faces composed into the corridor --------------------------------------
#
# No footage in a package registry shows people with faces a detector finds (see
# docs/anonymisation.md), so this scenario composes one: the real corridor behind, and a real
# photograph of a face with its head and shoulders (NASA's portrait of Eileen Collins, public
# domain, shipped inside scikit-image's wheel as skimage/data/astronaut.png) walking across it
# at the sizes a school camera gives. The measuring detector is OpenCV's LBP frontal-face
# cascade, shipped in the same wheel: other features and another model than the Haar cascades
# the anonymiser uses, so the anonymiser cannot hide exactly what its own detector sees and
# nothing else.

FACES_SIZE = (1280, 720)  # a school camera's 720p
FACES_FPS = 10
# Where the face is in astronaut.png (512x512): x, y, w, h, found by the LBP cascade.
PORTRAIT_FACE = (171, 64, 104, 104)
# The cut-out around it: the head, hair, and the shoulders down to the chest.
PORTRAIT_CROP = (50, 20, 390, 380)  # x0, y0, x1, y1


@dataclass(frozen=True)
class Walker:
    """One person crossing the frame: where their face is when (seconds), how big."""

    face_height: int  # pixels at 720p
    start: float  # seconds: enters
    end: float  # seconds: gone
    x_from: float  # face centre, pixels
    x_to: float
    face_top: int  # pixels from the top
    pause_at: float | None = None  # seconds: stops here ...
    pause_for: float = 0.0  # ... for this long, at x_pause
    x_pause: float = 0.0
    mirrored: bool = False

    def face_x(self, at: float) -> float | None:
        if not self.start <= at < self.end:
            return None
        if self.pause_at is None:
            return self.x_from + (self.x_to - self.x_from) * (at - self.start) / (
                self.end - self.start
            )
        pause_end = self.pause_at + self.pause_for
        if at < self.pause_at:
            share = (at - self.start) / (self.pause_at - self.start)
            return self.x_from + (self.x_pause - self.x_from) * share
        if at < pause_end:
            return self.x_pause
        share = (at - pause_end) / (self.end - pause_end)
        return self.x_pause + (self.x_to - self.x_pause) * share


def faces_scene(seconds: float) -> list[Walker]:
    """One walks straight across; a second, larger (nearer), stops for a third of the clip."""
    width = FACES_SIZE[0]
    return [
        Walker(face_height=56, start=1.0, end=seconds - 0.5, x_from=-80, x_to=width + 80,
               face_top=250),
        Walker(face_height=104, start=1.5, end=seconds, x_from=width + 120, x_to=-120,
               face_top=300, pause_at=seconds * 0.3, pause_for=seconds * 0.35,
               x_pause=width * 0.55, mirrored=True),
    ]  # fmt: skip


def _portrait() -> tuple[np.ndarray, np.ndarray]:
    """The cut-out (BGR) and its soft mask (0..1): head and hair, shoulders and chest."""
    image = cv2.imread(str(_skimage_data() / "astronaut.png"))
    x0, y0, x1, y1 = PORTRAIT_CROP
    cut = image[y0:y1, x0:x1]
    mask = np.zeros(cut.shape[:2], dtype=np.float32)
    fx, fy, fw, fh = PORTRAIT_FACE
    centre_x = fx + fw // 2 - x0
    # The head with its hair: taller than the face box, reaching above it.
    cv2.ellipse(mask, (centre_x, fy + fh // 2 - y0 - 12), (fw * 6 // 10, fh * 8 // 10),
                0, 0, 360, 1.0, -1)  # fmt: skip
    # Shoulders and chest: a wide half-ellipse below the chin.
    cv2.ellipse(mask, (centre_x - 10, y1 - y0), (165, 200), 0, 180, 360, 1.0, -1)
    mask = cv2.GaussianBlur(mask, (9, 9), 0)
    return cut, mask


def _skimage_data() -> Path:
    return Path(str(importlib.resources.files("skimage") / "data"))


def compose_faces_clip(destination: Path, seconds: float, start: float = 0.0) -> list[list[Box]]:
    """Write the composed clip (H.264 720p, FACES_FPS); the face boxes (x, y, w, h) per frame."""
    cut, mask = _portrait()
    walkers = faces_scene(seconds)
    width, height = FACES_SIZE
    truth: list[list[Box]] = []
    with av.open(str(SAMPLE)) as corridor, av.open(str(destination), "w") as output:
        stream = output.add_stream("libx264", rate=FACES_FPS, options={"crf": "18"})
        assert isinstance(stream, av.video.VideoStream)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        backgrounds = corridor.decode(video=0)
        source_rate = float(corridor.streams.video[0].average_rate or FACES_FPS)
        source_index = 0
        for index in range(round(seconds * FACES_FPS)):
            at = index / FACES_FPS
            # The corridor as it plays (10 fps in the sample, so frame for frame).
            while source_index <= (start + at) * source_rate:
                background = next(backgrounds)
                source_index += 1
            frame = cv2.resize(background.to_ndarray(format="bgr24"), FACES_SIZE)
            boxes = []
            for walker in walkers:
                centre = walker.face_x(at)
                if centre is not None:
                    box = _paste(frame, cut, mask, walker, centre)
                    if box is not None:
                        boxes.append(box)
            truth.append(boxes)
            out = av.VideoFrame.from_ndarray(frame, format="bgr24")
            for packet in stream.encode(out):
                output.mux(packet)
        for packet in stream.encode(None):
            output.mux(packet)
    return truth


def _paste(
    frame: np.ndarray, cut: np.ndarray, mask: np.ndarray, walker: Walker, centre: float
) -> Box | None:
    """Blend the scaled cut-out into the frame (in place); the face's box if it is inside."""
    scale = walker.face_height / PORTRAIT_FACE[3]
    person = cv2.resize(cut, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    alpha = cv2.resize(mask, (person.shape[1], person.shape[0]))
    if walker.mirrored:
        person, alpha = person[:, ::-1], alpha[:, ::-1]
    fx, fy, fw, fh = PORTRAIT_FACE
    face_centre_in_cut = (fx + fw / 2 - PORTRAIT_CROP[0]) * scale
    if walker.mirrored:
        face_centre_in_cut = person.shape[1] - face_centre_in_cut
    left = round(centre - face_centre_in_cut)
    top = round(walker.face_top - (fy - PORTRAIT_CROP[1]) * scale)
    height, width = frame.shape[:2]
    x0, y0 = max(0, left), max(0, top)
    x1, y1 = min(width, left + person.shape[1]), min(height, top + person.shape[0])
    if x1 <= x0 or y1 <= y0:
        return None
    region = (slice(y0, y1), slice(x0, x1))
    inner = (slice(y0 - top, y1 - top), slice(x0 - left, x1 - left))
    weight = alpha[inner][..., None]
    frame[region] = (person[inner] * weight + frame[region] * (1 - weight)).astype(np.uint8)
    face = (round(centre - fw * scale / 2), walker.face_top, round(fw * scale), round(fh * scale))
    # A face counts as shown when at least its middle is in the frame.
    if face[0] + face[2] // 2 < 0 or face[0] + face[2] // 2 >= width:
        return None
    return face


def lbp_cascade() -> cv2.CascadeClassifier:
    """OpenCV's LBP frontal-face cascade, from scikit-image's wheel.

    scikit-image's copy has a misspelt tag ("featuhreParams") that OpenCV rejects; the tag is
    mended in memory.
    """
    text = (_skimage_data() / "lbpcascade_frontalface_opencv.xml").read_text(encoding="utf-8")
    storage = cv2.FileStorage(
        text.replace("featuhreParams", "featureParams"),
        cv2.FILE_STORAGE_READ | cv2.FILE_STORAGE_MEMORY,
    )
    cascade = cv2.CascadeClassifier()
    if not cascade.read(storage.getFirstTopLevelNode()):
        raise RuntimeError("scikit-image's LBP face cascade could not be read")
    return cascade


class FaceDetector:
    """The measuring detector: LBP frontal faces, or Haar frontal + profile (both directions)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        if kind == "lbp":
            self.cascades = [lbp_cascade()]
        else:
            folder = cv2.data.haarcascades  # type: ignore[attr-defined]
            self.cascades = [
                cv2.CascadeClassifier(folder + "haarcascade_frontalface_default.xml"),
                cv2.CascadeClassifier(folder + "haarcascade_profileface.xml"),
            ]

    def __call__(self, grey: np.ndarray) -> list[Box]:
        grey = cv2.equalizeHist(grey)
        found: list[Box] = []
        # Profiles: the cascade knows one side; the mirrored frame gives the other.
        passes = [(self.cascades[0], False)] + [
            (c, m) for c in self.cascades[1:] for m in (False, True)
        ]
        for cascade, mirrored in passes:
            image = grey[:, ::-1].copy() if mirrored else grey
            # Faces of 40-120 px at 720p: nothing smaller than 32 or larger than 200 is sought.
            boxes = cascade.detectMultiScale(image, 1.1, 4, minSize=(32, 32), maxSize=(200, 200))
            for x, y, w, h in boxes:
                x = grey.shape[1] - x - w if mirrored else x
                found.append((int(x), int(y), int(w), int(h)))
        return found


@dataclass(frozen=True)
class FaceCount:
    frames_with_face: int  # measured frames where at least one true face was found
    finds_on_faces: int
    finds_elsewhere: int


def count_faces(
    greys: list[np.ndarray], truth: list[list[Box]], detector: FaceDetector
) -> FaceCount:
    """Finds of the detector in each grey frame, on the composed faces and elsewhere."""
    frames = on_faces = elsewhere = 0
    for grey, faces_there in zip(greys, truth, strict=True):
        finds = detector(grey)
        hits = [b for b in finds if any(overlap(b, face) for face in faces_there)]
        on_faces += len(hits)
        elsewhere += len(finds) - len(hits)
        frames += bool(hits)
    return FaceCount(frames, on_faces, elsewhere)


def faces_main(seconds: float = 20.0, every: int = 4) -> None:
    with tempfile.TemporaryDirectory() as folder:
        composed = Path(folder) / "faces.mp4"
        truth = compose_faces_clip(composed, seconds)[::every]
        original = greys(composed, every)
        shown = sum(1 for boxes in truth if boxes)
        print(
            f"composed faces ({seconds:.0f} s of the corridor at 720p, {FACES_FPS} fps): "
            f"{len(original)} frames measured (every {every}), {shown} with a face in sight"
        )
        # Haar frontal + profile (both ways) costs seconds a 720p frame: --lbp-only skips it.
        kinds = ["lbp"] if "--lbp-only" in sys.argv else ["lbp", "haar"]
        detectors = [FaceDetector(kind) for kind in kinds]
        for detector in detectors:
            count = count_faces(original, truth, detector)
            print(f"  original, {detector.kind}: {count}")
        for label, sources in [
            ("all sources", Sources()),
            ("motion only", Sources(people_detector=False, face_detector=False)),
        ]:
            copy_path = Path(folder) / "copy.mp4"
            summary = anonymise_clip(composed, copy_path, sources=sources)
            copy = greys(copy_path, every)
            for detector in detectors:
                print(f"  copy ({label}), {detector.kind}: {count_faces(copy, truth, detector)}")
            print(
                f"  copy ({label}): frames with something hidden "
                f"{summary.frames_masked}/{summary.frames}; frame left clear "
                f"{100 * (1 - summary.masked_share):.1f} % on average"
            )


if __name__ == "__main__":
    sys.exit(main())
