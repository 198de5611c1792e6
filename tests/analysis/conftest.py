"""Generated scenes for the detector tests: a textured view that something happens to."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import av
import cv2
import numpy as np
import numpy.typing as npt
import pytest
from eval.scenes import SAMPLES, SCENES, STILL_ZOOM, cloth, paint

Grey = npt.NDArray[np.float32]
# What the camera sees at time t, given the normal view and a random generator.
Scene = Callable[[float, Grey, np.random.Generator], Grey]

WIDTH, HEIGHT = 320, 180
FPS = 5
ONSET_S = 30.0
BACK_S = 38.0
CLIP_S = 45.0
SENSOR_NOISE = 3.0
CORRIDOR = SAMPLES / "corridor-people.mp4"


def blur(image: Grey, passes: int = 4, radius: int = 4) -> Grey:
    """Repeated box blur: close to a Gaussian of sigma ~ radius * sqrt(passes / 3)."""
    out = image.astype(np.float32)
    for _ in range(passes):
        for axis in (0, 1):
            padded = np.pad(
                out, [(radius, radius) if a == axis else (0, 0) for a in (0, 1)], mode="edge"
            )
            cumulative = np.cumsum(padded, axis=axis, dtype=np.float64)
            cumulative = np.insert(cumulative, 0, 0.0, axis=axis)
            size = out.shape[axis]
            window = 2 * radius + 1
            upper = np.take(cumulative, range(window, window + size), axis=axis)
            lower = np.take(cumulative, range(size), axis=axis)
            out = ((upper - lower) / window).astype(np.float32)
    return out


def textured_view(seed: int = 1, width: int = WIDTH, height: int = HEIGHT) -> Grey:
    """Mottled walls (noise at several scales) with a few shapes: a plausible still view."""
    rng = np.random.default_rng(seed)
    view = np.zeros((height, width), np.float32)
    for radius, weight in ((1, 0.5), (3, 1.0), (8, 1.5)):
        layer = blur(rng.uniform(0, 255, (height, width)).astype(np.float32), 1, radius)
        view += weight * (layer - layer.mean()) / (layer.std() + 1e-6)
    view = 128 + 25 * view
    for _ in range(8):
        top, left = rng.integers(0, height - 30), rng.integers(0, width - 40)
        view[top : top + rng.integers(15, 60), left : left + rng.integers(20, 80)] = rng.uniform(
            30, 220
        )
    return np.clip(view, 0, 255).astype(np.float32)


def normal(t: float, view: Grey, rng: np.random.Generator) -> Grey:
    return view


def during(tampered: Scene, start: float = ONSET_S, end: float = BACK_S) -> Scene:
    """`tampered` from `start` to `end`, the normal view otherwise."""

    def scene(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return tampered(t, view, rng) if start <= t < end else view

    return scene


def write_clip(
    path: Path,
    scene: Scene,
    *,
    seconds: float = CLIP_S,
    fps: int = FPS,
    gop: int = FPS,
    view: Grey | None = None,
    sensor_noise: float = SENSOR_NOISE,
    freeze: tuple[float, float] | None = None,
    clock: bool = False,
) -> Path:
    """H.264 (PyAV's libx264, veryfast: deblocking on, as cameras encode) of `scene`, with
    fresh sensor noise on every frame.

    During `freeze` (start, end) the camera repeats its last picture exactly, noise included.
    `clock`: the camera burns its time into the top left corner, from 07:59:30 at the clip's
    start, after the sensor: it keeps ticking through a freeze.
    """
    rng = np.random.default_rng(7)
    view = textured_view() if view is None else view
    height, width = view.shape
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {
            "g": str(gop),
            "keyint_min": str(gop),
            "sc_threshold": "0",
            "bf": "0",
            "preset": "veryfast",
            "crf": "20",
        }
        grey = np.zeros((height, width), np.uint8)
        for index in range(int(seconds * fps)):
            t = index / fps
            if freeze is None or not freeze[0] <= t < freeze[1] or index == 0:
                picture = scene(t, view, rng)
                noisy = picture + rng.normal(0, sensor_noise, picture.shape)
                grey = np.clip(noisy, 0, 255).astype(np.uint8)
            shown = with_clock(grey, t) if clock else grey
            rgb = np.repeat(shown[:, :, None], 3, axis=2)
            for packet in stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def with_clock(picture: npt.NDArray[Any], t: float) -> npt.NDArray[Any]:
    """`picture` with the camera's date and time burnt into its top left corner, as at `t`
    seconds after 07:59:30 (a tick of the seconds changes a few 10-px blocks)."""
    minutes, second = divmod(7 * 3600 + 59 * 60 + 30 + int(t), 60)
    hour, minute = divmod(minutes, 60)
    shown = picture.copy()
    text = f"28-11-2026 {hour:02d}:{minute:02d}:{second:02d}"
    cv2.putText(shown, text, (4, 14), cv2.FONT_HERSHEY_SIMPLEX, 0.4, 255, 1, cv2.LINE_AA)
    return shown


def rotated(view: Grey, degrees: float) -> Grey:
    """`view` turned about its centre (nearest neighbour; corners filled from the edges)."""
    height, width = view.shape
    angle = np.deg2rad(degrees)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    cy, cx = (height - 1) / 2, (width - 1) / 2
    source_x = np.cos(angle) * (xx - cx) + np.sin(angle) * (yy - cy) + cx
    source_y = -np.sin(angle) * (xx - cx) + np.cos(angle) * (yy - cy) + cy
    rows = np.clip(np.rint(source_y), 0, height - 1).astype(int)
    columns = np.clip(np.rint(source_x), 0, width - 1).astype(int)
    return view[rows, columns]


_yy, _xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
# Dark clothes with folds.
_CLOTHES = (35.0 + 10.0 * np.sin(_yy / 9.0) + 8.0 * np.cos(_xx / 13.0)).astype(np.float32)


def corridor_wall() -> Grey:
    """The close corridor: a plain white wall, lit from one side, and a small round table."""
    wall = 190.0 + 25.0 * _xx / WIDTH
    top = ((_xx - 200) / 60.0) ** 2 + ((_yy - 70) / 18.0) ** 2
    wall = np.where(top < 1.0, 240.0, np.where(top < 1.15, 120.0, wall))
    wall[88:180, 197:203] = 110.0
    return np.clip(wall, 0, 255).astype(np.float32)


def corridor_wall_over_a_wooden_floor() -> Grey:
    """`corridor_wall` with a wooden floor along its bottom: faint planks, the only detail of
    the view beside the table (a twentieth of a knitted jumper's, or less)."""
    wall = corridor_wall()
    planks = 120.0 + 8.0 * np.sin(_xx / 3.0 + 0.2 * np.sin(_yy / 5.0))
    wall[140:] = planks[140:]
    return wall


def standing_in_front_of_the_table(
    t: float, view: Grey, clothes: Literal["knitted", "dark"] = "dark"
) -> Grey:
    """Someone in "dark" or "knitted" clothes hiding the table of `corridor_wall`, swaying a
    little; the wall around them is as it was."""
    centre = 200.0 + 4.0 * np.sin(t)
    body = (((_xx - centre) / 115.0) ** 2 + ((_yy - 230) / 200.0) ** 2 < 1) | (
        ((_xx - centre) / 28.0) ** 2 + ((_yy - 30) / 34.0) ** 2 < 1
    )
    return np.where(body, _CLOTHES if clothes == "dark" else _KNIT, view).astype(np.float32)


# A knitted jumper: a fine, regular stitch over broad darker stripes.
_KNIT = (
    110.0 + 15.0 * np.sign(np.sin(_xx * 1.7)) * np.sign(np.sin(_yy * 1.3)) + 15.0 * np.sin(_yy / 6)
).astype(np.float32)
_AT_THE_RIGHT = (np.abs(_xx - 250) < 50) | (((_xx - 250) / 30.0) ** 2 + (_yy - 10) ** 2 / 900 < 1)


def standing_at_the_right(t: float, view: Grey, clothes: Literal["knitted", "dark"]) -> Grey:
    """Someone standing in the right third of `view`, in a "knitted" jumper (still) or in
    "dark" smooth clothes (swaying a little); the rest of the view is as it was."""
    if clothes == "knitted":
        return np.where(_AT_THE_RIGHT, _KNIT, view).astype(np.float32)
    swaying = _AT_THE_RIGHT & (np.abs(_xx - 250 - 3.0 * np.sin(t)) < 50)
    return np.where(swaying, _CLOTHES, view).astype(np.float32)


def painted_view(painter: str, light: float = 1.0, at: tuple[float, float] = (0.5, 0.5)) -> Grey:
    """One of the evaluation's painted scenes (`eval.scenes.paint`: "hall", "office", …) as
    its clips frame it (at their zoom; `at`, a scenario's `view_at`: where in the room left
    around the view, the middle by default), at test size and `light`."""
    canvas = paint(painter).astype(np.float32)
    height, width = canvas.shape
    seen_height, seen_width = round(height / STILL_ZOOM), round(width / STILL_ZOOM)
    top = int(at[1] * (height - seen_height))
    left = int(at[0] * (width - seen_width))
    seen = canvas[top : top + seen_height, left : left + seen_width]
    return light * cv2.resize(seen, (WIDTH, HEIGHT), interpolation=cv2.INTER_AREA)


def real_view(scene_name: str, at_s: float, at: tuple[float, float] = (0.5, 0.5)) -> Grey:
    """The picture of the real footage's scene `scene_name` ("corridor-mirrored", …) at
    `at_s` seconds, framed as its clips frame it (at their zoom; `at` is where, as a
    scenario's `view_at`: (0, 0) the top left, (0.5, 0.5) the middle), at test size.
    Skips the test when the samples are not here."""
    scene = next(s for s in SCENES if s.name == scene_name)
    assert scene.real is not None
    path = SAMPLES / scene.real
    if not path.is_file():
        pytest.skip(f"the sample footage is not at {path}")
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frame = next(
            (f for f in container.decode(stream) if f.time is not None and f.time >= at_s), None
        )
        assert frame is not None, f"{path} ends before {at_s} s"
        grey = frame.to_ndarray(format="gray").astype(np.float32)
    if scene.mirrored:
        grey = grey[:, ::-1]
    height, width = grey.shape
    seen_height, seen_width = round(height / scene.zoom), round(width / scene.zoom)
    left = round(at[0] * (width - seen_width))
    top = round(at[1] * (height - seen_height))
    seen = grey[top : top + seen_height, left : left + seen_width]
    return cv2.resize(seen, (WIDTH, HEIGHT), interpolation=cv2.INTER_AREA)


def evaluation_cloth(
    fraction: float, level: float, shading: float, grain: float, side: int
) -> Scene:
    """The evaluation's cloth on the lens (`eval.scenes.cloth`, out of focus, covering
    `fraction` of the view from `side`: 0 left, 1 right, 2 top, 3 bottom) at test size."""
    rgba = cv2.resize(
        cloth(fraction, level, shading, grain, side, seed=7).astype(np.float32),
        (WIDTH, HEIGHT),
        interpolation=cv2.INTER_AREA,
    )
    covering, picture = rgba[..., 3] / 255.0, rgba[..., 0]

    def scene(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return (covering * picture + (1.0 - covering) * view).astype(np.float32)

    return scene
