"""Renders a scenario with ffmpeg as the camera would send it, cached by its description.

One ffmpeg run per clip: the base scene (real footage looped from an offset, or a generated
still), the camera's window on it (moved by `crop`, turned by `rotate`), people crossing close
to the lens and a covering cloth (`overlay` of RGBA pictures that exist only while they are
there), defocus (`gblur`), the light (`eq`: daylight, clouds, lights switched, the IR switch,
the camera's exposure holding them within bounds: `exposure.py`),
a lens taped black (`lutyuv`), sensor noise (`noise`), blinding (`lutyuv` after the noise:
the sensor clips), a frozen picture (`freezeframes`) and a cut stream (`select`). Encoded
with x264 like a camera's main stream: 720p, 15 fps, no B-frames, fixed GOP, and x264's
veryfast preset (as the simulated cameras and the benchmark): the deblocking filter and CABAC
on, as in cameras' encoders. Until version 2 it was ultrafast, which turns both off.

Order follows the light's path: what is in front of the lens, the optics, the sensor.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import subprocess
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

from eval.exposure import exposure_bounds, lighting_filter
from eval.scenarios import Happening, Label, Scenario
from eval.scenes import (
    FPS,
    HEIGHT,
    SAMPLES,
    WIDTH,
    cloth,
    paint,
    person,
    view_size,
    write_pam,
    write_pgm,
)

FFMPEG = "/usr/bin/ffmpeg"
CACHE = Path(__file__).resolve().parent / ".cache"
# Bump when the rendering changes, so cached clips are made again.
GENERATOR_VERSION = 2
# Mirrored border added to the canvas of a turned camera, as a share of the canvas height:
# enough for a 35-degree turn of the view about the canvas centre.
TURN_PAD = 0.25


def clip_key(scenario: Scenario) -> str:
    described: dict[str, object] = {
        "version": GENERATOR_VERSION,
        "scenario": dataclasses.asdict(scenario),
    }
    # Only where the exposure holds the light is the clip not the one rendered before it; its
    # filter is then part of the description, so a change to the exposure makes it again.
    if exposure_bounds(scenario) is not None:
        described["exposure"] = lighting_filter(scenario)
    description = json.dumps(described, sort_keys=True)
    return hashlib.sha256(description.encode()).hexdigest()[:16]


def render(scenario: Scenario, cache: Path = CACHE) -> Path:
    """The clip of `scenario`, made unless the cache has it as the scenario says."""
    path = cache / "clips" / f"{scenario.name}-{clip_key(scenario)}.mp4"
    if path.is_file() and is_rendered(path, scenario):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part.mp4")
    command = _command(scenario, cache, partial)
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise RuntimeError(f"ffmpeg failed on {scenario.name}: {result.stderr[-2000:]}")
    partial.rename(path)
    return path


def is_rendered(path: Path, scenario: Scenario) -> bool:
    """Whether `path` is the whole clip at the camera's rate: a cached file made by an older
    generator under the same key (one was found 52 s long at 25 fps instead of 324 s at 15)
    would otherwise be scored as the scenario. Reads the container's header only."""
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            if stream.duration is None or stream.time_base is None:
                return False
            seconds = float(stream.duration * stream.time_base)
            frames = stream.frames
    except av.FFmpegError:
        return False
    # A cut stream (signal_loss) has fewer frames, never more.
    return abs(seconds - scenario.seconds) <= 1.0 and 0 < frames <= scenario.seconds * FPS + 1


def _command(scenario: Scenario, cache: Path, output: Path) -> list[str]:
    inputs: list[str] = []
    scene = scenario.scene
    if scene.real is not None:
        inputs += ["-ss", str(scenario.source_offset_s), "-stream_loop", "-1"]
        inputs += ["-i", str(SAMPLES / scene.real)]
    else:
        assert scene.painter is not None
        still = cache / "scenes" / f"{scene.painter}.pgm"
        if not still.is_file():
            still.parent.mkdir(parents=True, exist_ok=True)
            write_pgm(still, paint(scene.painter))
        inputs += ["-i", str(still)]
    graph = _Graph()
    label = scenario.label
    turned = label is not None and label.kind == "moved" and "turn" in label.params
    # A turned camera sees past the canvas: extend it by a mirror image of its borders.
    pad = round(TURN_PAD * scene.canvas[1]) if turned else 0
    canvas = ["format=yuv420p"]
    if scene.mirrored:
        canvas.append("hflip")
    if pad:
        canvas.append(f"pad=w=iw+{2 * pad}:h=ih+{2 * pad}:x={pad}:y={pad}")
        canvas.append(f"fillborders=left={pad}:right={pad}:top={pad}:bottom={pad}:mode=mirror")
    if scene.real is not None:
        steps = [f"fps={FPS}", *canvas]
    else:
        # One picture repeated by the `loop` filter: decoding the still for every frame
        # (image2's -loop) costs twenty times more than the rest of the graph.
        steps = [*canvas, "loop=loop=-1:size=1:start=0", f"setpts=N/{FPS}/TB"]
    if turned:
        assert label is not None
        angle = math.radians(label.params["turn"])
        steps.append(f"rotate=a={angle:.4f}:bilinear=0:enable='{_during(label)}'")
    steps.append(_crop(scenario, pad))
    view_width, view_height = view_size(scene)
    if (view_width, view_height) != (WIDTH, HEIGHT):
        steps.append(f"scale={WIDTH}:{HEIGHT}:flags=bicubic")
    steps.append("setsar=1")
    graph.chain("0:v", steps)
    for happening in scenario.happenings:
        if happening.cause == "person":
            picture = _person_picture(happening, cache)
            inputs += _timed_picture(picture, happening.at, happening.seconds)
            graph.overlay(_input_index(inputs), _person_path(happening))
    if label is not None and label.kind == "covered":
        inputs += _timed_picture(_cloth_picture(label, cache), label.onset, label.end - label.onset)
        graph.overlay(_input_index(inputs), "x=0:y=0")
    optics: list[str] = []
    if label is not None and label.kind == "defocused":
        optics.append(f"gblur=sigma={label.params['sigma']:.2f}:enable='{_during(label)}'")
    optics += lighting_filter(scenario)
    if label is not None and label.kind == "too_dark":
        gain, level = label.params["gain"], label.params["level"]
        optics.append(
            f"lutyuv=y='clip(16+(val-16)*{gain:.3f}+{level:.2f},minval,maxval)'"
            f":enable='{_during(label)}'"
        )
    optics.append(f"noise=c0s={scenario.encoding.noise:.1f}:c0f=t")
    for happening in scenario.happenings:
        if happening.cause == "ir_switch":
            optics.append(
                f"noise=c0s={happening.params['noise']:.1f}:c0f=t"
                f":enable='gte(t,{happening.at + happening.seconds:.3f})'"
            )
    if label is not None and label.kind == "too_bright":
        gain, offset = label.params["gain"], label.params["offset"]
        optics.append(
            f"lutyuv=y='clip(16+(val-16)*{gain:.3f}+{offset:.2f},minval,maxval)'"
            f":enable='{_during(label)}'"
        )
    if label is not None and label.kind == "signal_loss":
        optics.append(f"select='not({_during(label)})'")
    graph.chain(graph.last, optics)
    if label is not None and label.kind == "frozen":
        first, last = round(label.onset * FPS), round(label.end * FPS) - 1
        graph.raw(f"[{graph.last}]split[live][still]")
        graph.raw(f"[live][still]freezeframes=first={first}:last={last}:replace={first}[frozen]")
        graph.last = "frozen"
    script = output.with_suffix(".filters.txt")
    script.write_text(graph.text())
    gop = str(round(scenario.encoding.gop_s * FPS))
    bitrate = f"{scenario.encoding.max_bitrate_mbit:.1f}M"
    return [
        FFMPEG,
        "-nostdin",
        "-v",
        "error",
        "-y",
        "-filter_threads",
        "1",
        "-filter_complex_threads",
        "1",
        *inputs,
        "-filter_complex_script",
        str(script),
        "-map",
        f"[{graph.last}]",
        "-t",
        str(scenario.seconds),
        "-fps_mode",
        "passthrough",
        "-an",
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-threads",
        "1",
        "-crf",
        str(scenario.encoding.crf),
        "-maxrate",
        bitrate,
        "-bufsize",
        bitrate,
        "-g",
        gop,
        "-keyint_min",
        gop,
        "-sc_threshold",
        "0",
        "-bf",
        "0",
        "-pix_fmt",
        "yuv420p",
        str(output),
    ]


class _Graph:
    """A filtergraph script built chain by chain; `last` names the latest output pad."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.last = ""
        self._count = 0

    def chain(self, source: str, steps: list[str]) -> None:
        if not steps:
            return
        self._count += 1
        name = f"v{self._count}"
        self.lines.append(f"[{source}]{','.join(steps)}[{name}]")
        self.last = name

    def overlay(self, input_index: int, position: str) -> None:
        self._count += 1
        name = f"v{self._count}"
        self.lines.append(
            f"[{self.last}][{input_index}:v]overlay={position}:eof_action=pass:format=yuv420"
            f"[{name}]"
        )
        self.last = name

    def raw(self, line: str) -> None:
        self.lines.append(line)

    def text(self) -> str:
        return ";\n".join(self.lines) + "\n"


def _input_index(inputs: list[str]) -> int:
    return inputs.count("-i") - 1


def _during(label: Label) -> str:
    return f"between(t,{label.onset:.3f},{label.end:.3f})"


def _crop(scenario: Scenario, pad: int) -> str:
    """The camera's window on the canvas (padded by `pad`), moved by a `moved` shift."""
    canvas_width, canvas_height = scenario.scene.canvas
    view_width, view_height = view_size(scenario.scene)
    x0 = pad + scenario.view_at[0] * (canvas_width - view_width)
    y0 = pad + scenario.view_at[1] * (canvas_height - view_height)
    x, y = f"{x0:.0f}", f"{y0:.0f}"
    label = scenario.label
    if label is not None and label.kind == "moved" and "shift" in label.params:
        shift = label.params["shift"]
        dx = label.params["dx"] * shift * view_width
        dy = label.params["dy"] * shift * view_height
        x = f"'{x0:.0f}+{dx:.0f}*{_during(label)}'"
        y = f"'{y0:.0f}+{dy:.0f}*{_during(label)}'"
    return f"crop=w={view_width}:h={view_height}:x={x}:y={y}:exact=1"


def _timed_picture(picture: Path, at: float, seconds: float) -> list[str]:
    """An overlay input that exists only from `at` for `seconds` (overlay passes otherwise)."""
    return [
        "-itsoffset",
        f"{at:.3f}",
        "-t",
        f"{seconds:.3f}",
        "-loop",
        "1",
        "-framerate",
        str(FPS),
        "-i",
        str(picture),
    ]


def _person_path(h: Happening) -> str:
    """Across the whole picture in `h.seconds`, bottom partly below the frame."""
    progress = f"(t-{h.at:.3f})/{h.seconds:.3f}"
    x = f"W-{progress}*(W+w)" if h.params["leftwards"] else f"{progress}*(W+w)-w"
    return f"x='{x}':y='H-h+{h.params['low']:.3f}*h'"


def _cached_picture(cache: Path, prefix: str, key: object) -> Path:
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]
    path = cache / "pictures" / f"{prefix}-{digest}.pam"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _person_picture(h: Happening, cache: Path) -> Path:
    height = round(h.amount * HEIGHT)
    path = _cached_picture(cache, "person", [height, h.params["level"], h.at])
    if not path.is_file():
        _write_atomically(path, person(height, h.params["level"], seed=round(h.at * 1000)))
    return path


def _cloth_picture(label: Label, cache: Path) -> Path:
    p = label.params
    path = _cached_picture(cache, "cloth", p)
    if not path.is_file():
        picture = cloth(p["fraction"], p["level"], p["shading"], p["grain"], int(p["side"]), seed=7)
        _write_atomically(path, picture)
    return path


def _write_atomically(path: Path, rgba: npt.NDArray[np.uint8]) -> None:
    partial = path.with_suffix(f".{os.getpid()}.part")
    write_pam(partial, rgba)
    partial.rename(path)
