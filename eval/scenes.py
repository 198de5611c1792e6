"""The base scenes a scenario is filmed on: real footage, and generated still views.

Every scene is a *canvas* larger than what the camera shows; the camera's view is a window
`zoom` times smaller, so a "moved" camera can be shown by moving the window over the canvas
(what a camera pushed or turned sees: the same place from elsewhere, not a new picture).

Real footage comes from ../shared/samples (see its README): `corridor-people.mp4` is
"one-by-one-person-detection.mp4" from intel-iot-devkit/sample-videos, CC BY 4.0; the
attribution is printed with every evaluation and kept in docs/analysis-evaluation.md.
Generated scenes are drawn here with numpy (walls, desks, a fence, stairs, windows), each a
different kind of picture: busy or plain, dim or bright, fine or coarse detail.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = Path(os.environ.get("CAMWARDEN_SAMPLES", ROOT.parent / "shared" / "samples"))
SAMPLE_ATTRIBUTION = (
    'corridor-people.mp4: "one-by-one-person-detection.mp4" from '
    "github.com/intel-iot-devkit/sample-videos, CC BY 4.0"
)

# What the camera sends: 720p at 15 frames a second.
WIDTH, HEIGHT = 1280, 720
FPS = 15
# Generated canvases: the view (1280x720) plus 45 % on each axis to move it over.
STILL_ZOOM = 1.45
STILL_WIDTH, STILL_HEIGHT = 1856, 1044

Picture = npt.NDArray[np.float32]


@dataclass(frozen=True)
class BaseScene:
    name: str
    real: str | None
    """File name in SAMPLES for real footage, None for a generated still."""
    painter: str | None
    """Name of the painter for a generated still."""
    zoom: float
    """Canvas size / view size."""
    mirrored: bool = False
    canvas: tuple[int, int] = (STILL_WIDTH, STILL_HEIGHT)
    """Canvas width and height in pixels."""


CORRIDOR = "corridor-people.mp4"
CORRIDOR_SIZE = (768, 432)

SCENES: tuple[BaseScene, ...] = (
    BaseScene("corridor", CORRIDOR, None, 1.45, canvas=CORRIDOR_SIZE),
    BaseScene("corridor-mirrored", CORRIDOR, None, 1.45, mirrored=True, canvas=CORRIDOR_SIZE),
    BaseScene("corridor-close", CORRIDOR, None, 2.2, canvas=CORRIDOR_SIZE),
    BaseScene("classroom", None, "classroom", STILL_ZOOM),
    BaseScene("yard", None, "yard", STILL_ZOOM),
    BaseScene("hall", None, "hall", STILL_ZOOM),
    BaseScene("stairs", None, "stairs", STILL_ZOOM),
    BaseScene("office", None, "office", STILL_ZOOM),
)


def available_scenes() -> tuple[BaseScene, ...]:
    """The scenes whose footage is here (real footage is skipped when the samples are not)."""
    return tuple(s for s in SCENES if s.real is None or (SAMPLES / s.real).is_file())


def view_size(scene: BaseScene) -> tuple[int, int]:
    """The camera's window on the canvas, in canvas pixels (even, for the crop filter)."""
    width, height = scene.canvas
    return int(width / scene.zoom) // 2 * 2, int(height / scene.zoom) // 2 * 2


# -- Painting generated stills -----------------------------------------------------------------


def box_blur(image: Picture, radius: int, passes: int = 2) -> Picture:
    """Repeated box blur (close to a Gaussian), by cumulative sums: fast at any radius."""
    out = image.astype(np.float32)
    window = 2 * radius + 1
    for _ in range(passes):
        for axis in (0, 1):
            pad = [(radius + 1, radius) if a == axis else (0, 0) for a in (0, 1)]
            cumulative = np.cumsum(np.pad(out, pad, mode="edge"), axis=axis, dtype=np.float64)
            size = out.shape[axis]
            upper = np.take(cumulative, range(window, window + size), axis=axis)
            lower = np.take(cumulative, range(size), axis=axis)
            out = ((upper - lower) / window).astype(np.float32)
    return out


def texture(rng: np.random.Generator, shape: tuple[int, int], radii: tuple[int, ...]) -> Picture:
    """Mottling at several scales, zero mean, unit standard deviation."""
    total = np.zeros(shape, np.float32)
    for index, radius in enumerate(radii):
        layer = box_blur(rng.uniform(0, 1, shape).astype(np.float32), radius)
        total += (index + 1) * (layer - layer.mean()) / (layer.std() + 1e-6)
    normalised: Picture = (total - total.mean()) / (total.std() + 1e-6)
    return normalised


def _rectangles(
    rng: np.random.Generator,
    picture: Picture,
    count: int,
    size: tuple[int, int, int, int],
    levels: tuple[float, float],
    area: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0),
) -> None:
    """`count` flat rectangles, sizes in [min_w, max_w) x [min_h, max_h), in `area` (fractions)."""
    height, width = picture.shape
    min_w, max_w, min_h, max_h = size
    top0, left0, bottom, right = area
    for _ in range(count):
        w, h = int(rng.integers(min_w, max_w)), int(rng.integers(min_h, max_h))
        top = int(rng.uniform(top0 * height, max(top0 * height + 1, bottom * height - h)))
        left = int(rng.uniform(left0 * width, max(left0 * width + 1, right * width - w)))
        picture[top : top + h, left : left + w] = rng.uniform(*levels)


def _classroom(rng: np.random.Generator, shape: tuple[int, int]) -> Picture:
    height, width = shape
    picture = 125 + 22 * texture(rng, shape, (2, 6, 24))
    picture[int(0.12 * height) : int(0.4 * height), int(0.25 * width) : int(0.75 * width)] = 45
    _rectangles(rng, picture, 6, (80, 200, 60, 140), (150, 230), (0.05, 0.0, 0.45, 1.0))
    for row in range(4):
        top = int((0.55 + 0.1 * row) * height)
        for column in range(7):
            left = int((0.04 + 0.14 * column + rng.uniform(-0.01, 0.01)) * width)
            picture[top : top + 40, left : left + 150] = rng.uniform(150, 200)
            picture[top + 40 : top + 90, left + 10 : left + 20] = 60
            picture[top + 40 : top + 90, left + 130 : left + 140] = 60
    return picture


def _yard(rng: np.random.Generator, shape: tuple[int, int]) -> Picture:
    height, width = shape
    picture = 105 + 28 * texture(rng, shape, (1, 4, 16))
    sky = int(0.3 * height)
    picture[:sky] = 205 + 10 * texture(rng, (sky, width), (30,))
    picture[sky : sky + int(0.15 * height)] = 150 + 12 * texture(
        rng, (int(0.15 * height), width), (3, 10)
    )
    period = int(rng.integers(40, 80))
    fence_top, fence_bottom = int(0.5 * height), int(0.75 * height)
    for left in range(0, width, period):
        picture[fence_top:fence_bottom, left : left + 8] = 35
    picture[fence_top : fence_top + 10] = 35
    yy, xx = np.mgrid[0:height, 0:width]
    for _ in range(4):
        cy, cx = rng.uniform(0.3, 0.5) * height, rng.uniform(0, 1) * width
        ry, rx = rng.uniform(0.08, 0.15) * height, rng.uniform(0.05, 0.1) * width
        inside = ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 < 1
        picture[inside] = 60 + 25 * texture(rng, shape, (2, 5))[inside]
    return picture


def _hall(rng: np.random.Generator, shape: tuple[int, int]) -> Picture:
    height, width = shape
    picture = 85 + 9 * texture(rng, shape, (2, 12, 40))
    floor = int(0.62 * height)
    picture[floor:] = 70 + 6 * texture(rng, (height - floor, width), (3,))
    for left in range(0, width, 90):
        picture[floor:, left : left + 3] -= 12
    for top in range(floor, height, 60):
        picture[top : top + 3] -= 12
    for _ in range(4):
        left, w = int(rng.uniform(0, width - 220)), int(rng.integers(140, 220))
        top = int(0.2 * height)
        picture[top:floor, left : left + w] = rng.uniform(65, 110)
        picture[top:floor, left : left + 6] = 50
        picture[top:floor, left + w - 6 : left + w] = 50
        picture[top : top + 6, left : left + w] = 50
    return picture


def _stairs(rng: np.random.Generator, shape: tuple[int, int]) -> Picture:
    height, width = shape
    picture = 150 + 8 * texture(rng, shape, (4, 30))
    first = int(0.4 * height)
    step = int(rng.integers(45, 70))
    for index, top in enumerate(range(first, height, step)):
        shade = np.linspace(95, 135, width, dtype=np.float32) + 20 * (index % 2)
        picture[top : top + step] = shade[None, :]
        picture[top : top + 4] = 70
    yy, xx = np.mgrid[0:height, 0:width]
    rail = np.abs(yy - (0.25 * height + 0.45 * xx)) < 7
    picture[rail] = 50
    return picture


def _office(rng: np.random.Generator, shape: tuple[int, int]) -> Picture:
    height, width = shape
    picture = 165 + 14 * texture(rng, shape, (2, 8, 30))
    for index in range(3):
        left = int((0.08 + 0.3 * index) * width)
        picture[int(0.08 * height) : int(0.38 * height), left : left + int(0.2 * width)] = 248
        picture[int(0.08 * height) : int(0.38 * height), left + int(0.1 * width)] = 120
    shelf_top = int(0.5 * height)
    for row in range(3):
        top = shelf_top + row * 110
        picture[top + 95 : top + 105, int(0.05 * width) : int(0.6 * width)] = 90
        left = int(0.05 * width)
        while left < int(0.6 * width):
            w = int(rng.integers(12, 30))
            picture[top + int(rng.integers(10, 40)) : top + 95, left : left + w - 2] = rng.uniform(
                40, 230
            )
            left += w
    _rectangles(rng, picture, 3, (150, 300, 80, 160), (100, 140), (0.55, 0.65, 1.0, 1.0))
    return picture


PAINTERS: dict[str, Callable[[np.random.Generator, tuple[int, int]], Picture]] = {
    "classroom": _classroom,
    "yard": _yard,
    "hall": _hall,
    "stairs": _stairs,
    "office": _office,
}


def paint(painter: str, seed: int = 1) -> npt.NDArray[np.uint8]:
    """A generated still view, STILL_WIDTH x STILL_HEIGHT, slightly out of perfect focus."""
    rng = np.random.default_rng(seed)
    picture = PAINTERS[painter](rng, (STILL_HEIGHT, STILL_WIDTH))
    return np.clip(box_blur(picture, 1, 1), 0, 255).astype(np.uint8)


def write_pgm(path: Path, grey: npt.NDArray[np.uint8]) -> Path:
    height, width = grey.shape
    path.write_bytes(f"P5\n{width} {height}\n255\n".encode() + grey.tobytes())
    return path


def write_pam(path: Path, rgba: npt.NDArray[np.uint8]) -> Path:
    """RGBA picture (for ffmpeg's overlay: people and cloths with transparent parts)."""
    height, width, _ = rgba.shape
    header = (
        f"P7\nWIDTH {width}\nHEIGHT {height}\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n"
    )
    path.write_bytes(header.encode() + rgba.tobytes())
    return path


def person(height: int, level: float, seed: int) -> npt.NDArray[np.uint8]:
    """A person seen close to the lens: a dark, soft-edged body and head, RGBA."""
    rng = np.random.default_rng(seed)
    width = max(8, int(height * 0.5)) // 2 * 2
    height = height // 2 * 2
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    body = ((xx - width / 2) / (width / 2)) ** 2 + ((yy - 0.65 * height) / (0.42 * height)) ** 2
    head = ((xx - width / 2) / (0.2 * width)) ** 2 + ((yy - 0.14 * height) / (0.12 * height)) ** 2
    alpha = box_blur(((body < 1) | (head < 1)).astype(np.float32) * 255, 2, 1)
    shade = level + 15 * texture(rng, (height, width), (3, 12))
    rgba = np.zeros((height, width, 4), np.uint8)
    rgba[..., :3] = np.clip(shade, 0, 255)[..., None]
    rgba[..., 3] = np.clip(alpha, 0, 255)
    return rgba


def cloth(
    fraction: float, level: float, shading: float, grain: float, side: int, seed: int
) -> npt.NDArray[np.uint8]:
    """A hand, cloth or bag on the lens (out of focus, so smooth), covering `fraction` of the
    view from `side` (0 left, 1 right, 2 top, 3 bottom), RGBA at WIDTH x HEIGHT."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    along = [xx / WIDTH, 1 - xx / WIDTH, yy / HEIGHT, 1 - yy / HEIGHT][side]
    shade = level + shading * (along - 0.5) + grain * texture(rng, (HEIGHT, WIDTH), (6, 20))
    edge = along + 0.03 * texture(rng, (HEIGHT, WIDTH), (40,))
    alpha = box_blur((edge < fraction).astype(np.float32) * 255, 12, 2)
    rgba = np.zeros((HEIGHT, WIDTH, 4), np.uint8)
    rgba[..., :3] = np.clip(shade, 0, 255)[..., None]
    rgba[..., 3] = np.clip(alpha, 0, 255)
    return rgba
