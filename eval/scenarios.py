"""Labelled scenarios, drawn with a fixed seed from the ranges below (never hand-picked).

A scenario is one clip: a base scene, how the camera encodes it, the ordinary life in it
(`Happening`s) and at most one tampering (`Label`: kind, onset, end, strength). Tampering
clips are short (learning, a normal stretch, the tampering, the view back); normal clips are
five to six minutes of ordinary life each, over an hour in all, so false alarms are counted
per hour of footage.

The ranges are what the tampering looks like in a school, decided before looking at any result:
change them only for a reason about cameras, never to make a figure pass.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Literal

from camwarden.analysis.detectors import DetectorSettings
from eval.scenes import BaseScene, available_scenes

TamperKind = Literal[
    "covered", "defocused", "moved", "too_dark", "too_bright", "frozen", "signal_loss"
]
Cause = Literal["person", "lights", "ir_switch", "cloud"]

TAMPER_KINDS: tuple[TamperKind, ...] = (
    "covered",
    "defocused",
    "moved",
    "too_dark",
    "too_bright",
    "frozen",
)
PER_KIND = 8
SIGNAL_LOSS_SCENARIOS = 4
NORMAL_CLIPS = 13
DEVELOPMENT_SEED = 1
LEARN_S = DetectorSettings().learn_s

# -- Ranges (uniform unless said) -------------------------------------------------------------
# Tampering clips: learning, then a normal stretch, the tampering, and the view back.
PRE_ONSET_S = (5.0, 25.0)
TAMPER_S = (8.0, 20.0)
AFTER_S = (12.0, 20.0)
NORMAL_CLIP_S = (300.0, 360.0)
ONE_SECOND_GOP_SHARE = 0.25
# x264 quality and the bitrate cap of a school camera's main stream.
CRF = (20.0, 28.0)
MAX_BITRATE_MBIT = (2.0, 4.0)
# Sensor noise (ffmpeg's noise filter strength on luma); nights are noisier.
NOISE = (1.0, 12.0)
NIGHT_NOISE = (12.0, 24.0)
NIGHT_SHARE = 0.25
# covered: a hand, cloth or bag on the lens, out of focus. A black one is `too_dark` (below).
COVER_FRACTION = (0.85, 1.0)
COVER_LEVEL = (45.0, 200.0)
COVER_SHADING = (0.0, 40.0)
COVER_GRAIN = (0.0, 5.0)
# defocused: Gaussian blur sigma in pixels of the 720p picture (the focus ring turned).
DEFOCUS_SIGMA = (3.0, 12.0)
# moved: the view shifted by this share of its size, or turned by these degrees.
MOVE_SHIFT = (0.12, 0.40)
MOVE_TURN_DEGREES = (10.0, 35.0)
# too_dark: the lens taped or painted black: what is left of the picture, and a black level.
DARK_GAIN = (0.0, 0.1)
DARK_LEVEL = (0.0, 14.0)
# too_bright: a torch or laser into the lens: luma * gain + offset, clipped.
BRIGHT_GAIN = (2.5, 6.0)
BRIGHT_OFFSET = (60.0, 160.0)
# signal_loss: the stream stops for this long (the cable pulled, then put back).
SIGNAL_GAP_S = (6.0, 30.0)
# Ordinary life. People pass close to the lens (height as a share of the picture's, how long
# they take to cross, how dark their clothes are); one every PERSON_EVERY_S on average.
PERSON_EVERY_S = (20.0, 50.0)
PERSON_HEIGHT = (0.6, 1.3)
PERSON_CROSSING_S = (0.5, 2.0)
PERSON_LEVEL = (20.0, 140.0)
# Lights switched off (the room still lit by windows or corridor lights) and on again.
LIGHTS_FACTOR = (0.45, 0.8)
LIGHTS_OFF_S = (20.0, 150.0)
# The day/night infra-red switch: a dark moment, then a different tonal rendering and noise.
IR_BLINK_S = (0.3, 1.5)
IR_GAIN = (0.7, 1.3)
IR_GAMMA = (0.7, 1.4)
IR_EXTRA_NOISE = (3.0, 10.0)
IR_SHARE = 0.5
# Clouds: the light dips smoothly and comes back.
CLOUD_DEPTH = (0.1, 0.35)
CLOUD_S = (5.0, 40.0)
# Daylight over a whole normal clip: the light at the end relative to the start (faster than a
# real day, so it is a harder case).
DAYLIGHT_END = (0.55, 1.45)
# Ordinary lighting never takes the picture below this share of its normal level for long:
# below it, a camera without infra-red really sees too little, and `too_dark` is right.
MIN_LIGHT = 0.35


@dataclass(frozen=True)
class Label:
    kind: TamperKind
    onset: float
    """Seconds from the start of the clip when the tampering is complete."""
    end: float
    """Seconds when the view is back."""
    strength: float
    """The main parameter of the tampering (see `describe`)."""
    params: dict[str, float] = field(default_factory=dict)

    def describe(self) -> str:
        details = ", ".join(f"{key} {value:.2f}" for key, value in self.params.items())
        return f"{self.kind} at {self.onset:.1f}-{self.end:.1f} s ({details})"


@dataclass(frozen=True)
class Happening:
    cause: Cause
    at: float
    seconds: float
    amount: float
    """person: height share; lights: light factor; ir_switch: gain; cloud: depth."""
    params: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Encoding:
    """How the camera sends it."""

    gop_s: float
    crf: float
    max_bitrate_mbit: float
    noise: float
    """Sensor noise (strength of ffmpeg's noise filter on luma)."""


@dataclass(frozen=True)
class Scenario:
    name: str
    scene: BaseScene
    seconds: float
    encoding: Encoding
    view_at: tuple[float, float]
    """Where the view sits on the canvas, as shares of the free margin (0..1 each axis)."""
    source_offset_s: float
    daylight_end: float = 1.0
    happenings: tuple[Happening, ...] = ()
    label: Label | None = None

    @property
    def kind(self) -> str:
        return self.label.kind if self.label else "normal"


def _uniform(rng: random.Random, bounds: tuple[float, float]) -> float:
    return rng.uniform(*bounds)


def _people(
    rng: random.Random, start: float, stop: float, keep_clear: tuple[float, float] | None
) -> list[Happening]:
    """People crossing close to the lens, a Poisson stream, none during `keep_clear`."""
    every = _uniform(rng, PERSON_EVERY_S)
    people = []
    t = start + rng.expovariate(1.0 / every)
    while t < stop - 3.0:
        crossing = _uniform(rng, PERSON_CROSSING_S)
        clear = keep_clear is None or t + crossing < keep_clear[0] or t > keep_clear[1]
        if clear:
            people.append(
                Happening(
                    "person",
                    round(t, 2),
                    round(crossing, 2),
                    _uniform(rng, PERSON_HEIGHT),
                    {
                        "level": _uniform(rng, PERSON_LEVEL),
                        "leftwards": float(rng.random() < 0.5),
                        "low": rng.uniform(0.0, 0.3),
                    },
                )
            )
        t += rng.expovariate(1.0 / every)
    return people


def _lighting(rng: random.Random, start: float, stop: float) -> tuple[list[Happening], float]:
    """Lights, the IR switch and clouds for a normal clip, and its daylight at the end."""
    while True:
        daylight_end = _uniform(rng, DAYLIGHT_END)
        happenings: list[Happening] = []
        for _ in range(rng.randint(0, 2)):
            happenings.append(
                Happening(
                    "lights",
                    round(rng.uniform(start, stop - 10), 2),
                    _uniform(rng, LIGHTS_OFF_S),
                    _uniform(rng, LIGHTS_FACTOR),
                )
            )
        if rng.random() < IR_SHARE:
            happenings.append(
                Happening(
                    "ir_switch",
                    round(rng.uniform(start, stop - 10), 2),
                    _uniform(rng, IR_BLINK_S),
                    _uniform(rng, IR_GAIN),
                    {"gamma": _uniform(rng, IR_GAMMA), "noise": _uniform(rng, IR_EXTRA_NOISE)},
                )
            )
        for _ in range(rng.randint(0, 3)):
            happenings.append(
                Happening(
                    "cloud",
                    round(rng.uniform(start, stop - 10), 2),
                    _uniform(rng, CLOUD_S),
                    _uniform(rng, CLOUD_DEPTH),
                )
            )
        if _lowest_light(happenings, daylight_end) >= MIN_LIGHT:
            return happenings, daylight_end


def _lowest_light(happenings: list[Happening], daylight_end: float) -> float:
    """A bound on the darkest the ordinary lighting makes the picture (IR blink aside)."""
    lowest = min(1.0, daylight_end)
    for happening in happenings:
        if happening.cause in ("lights", "cloud"):
            lowest *= happening.amount if happening.cause == "lights" else 1 - happening.amount
        elif happening.cause == "ir_switch":
            lowest *= min(1.0, happening.amount)
    return lowest


def _tampering(rng: random.Random, kind: TamperKind, onset: float, end: float) -> Label:
    params: dict[str, float]
    if kind == "covered":
        params = {
            "fraction": _uniform(rng, COVER_FRACTION),
            "level": _uniform(rng, COVER_LEVEL),
            "shading": _uniform(rng, COVER_SHADING),
            "grain": _uniform(rng, COVER_GRAIN),
            "side": float(rng.randrange(4)),
        }
        strength = params["fraction"]
    elif kind == "defocused":
        params = {"sigma": _uniform(rng, DEFOCUS_SIGMA)}
        strength = params["sigma"]
    elif kind == "moved":
        if rng.random() < 0.5:
            angle = rng.uniform(0, 2 * math.pi)
            shift = _uniform(rng, MOVE_SHIFT)
            params = {"shift": shift, "dx": math.cos(angle), "dy": math.sin(angle)}
            strength = shift
        else:
            turn = _uniform(rng, MOVE_TURN_DEGREES) * rng.choice((-1.0, 1.0))
            params = {"turn": turn}
            strength = abs(turn)
    elif kind == "too_dark":
        params = {"gain": _uniform(rng, DARK_GAIN), "level": _uniform(rng, DARK_LEVEL)}
        strength = params["gain"]
    elif kind == "too_bright":
        params = {"gain": _uniform(rng, BRIGHT_GAIN), "offset": _uniform(rng, BRIGHT_OFFSET)}
        strength = params["gain"]
    elif kind == "frozen":
        params = {}
        strength = end - onset
    else:  # signal_loss
        params = {}
        strength = end - onset
    return Label(kind, round(onset, 2), round(end, 2), strength, params)


def _encoding(rng: random.Random) -> Encoding:
    night = rng.random() < NIGHT_SHARE
    return Encoding(
        gop_s=1.0 if rng.random() < ONE_SECOND_GOP_SHARE else 2.0,
        crf=round(_uniform(rng, CRF)),
        max_bitrate_mbit=round(_uniform(rng, MAX_BITRATE_MBIT), 1),
        noise=round(_uniform(rng, NIGHT_NOISE if night else NOISE), 1),
    )


def _scene_cycle(rng: random.Random, scenes: tuple[BaseScene, ...]) -> list[BaseScene]:
    """Every scene once in a random order, then again: each kind meets every scene."""
    order: list[BaseScene] = []
    while len(order) < max(PER_KIND, NORMAL_CLIPS):
        batch = list(scenes)
        rng.shuffle(batch)
        order.extend(batch)
    return order


def _tamper_scenario(rng: random.Random, name: str, kind: TamperKind, scene: BaseScene) -> Scenario:
    onset = LEARN_S + _uniform(rng, PRE_ONSET_S)
    duration = _uniform(rng, SIGNAL_GAP_S if kind == "signal_loss" else TAMPER_S)
    end = onset + duration
    seconds = round(end + _uniform(rng, AFTER_S))
    label = _tampering(rng, kind, onset, end)
    view_at = (rng.random(), rng.random())
    if kind == "moved" and "shift" in label.params:
        # Start on the side the view will move away from, so the move stays on the canvas.
        dx, dy = label.params["dx"], label.params["dy"]
        view_at = (0.0 if dx > 0 else 1.0, 0.0 if dy > 0 else 1.0)
    elif kind == "moved":
        view_at = (0.5, 0.5)  # turned about the centre of the canvas
    people = _people(rng, 0.0, seconds, (onset - 3.0, end + 3.0))
    happenings: list[Happening] = list(people)
    if rng.random() < 0.3 and onset - 5.0 > LEARN_S + 2.0:
        happenings.append(
            Happening(
                "lights",
                round(rng.uniform(LEARN_S + 2.0, onset - 5.0), 2),
                1000.0,
                _uniform(rng, LIGHTS_FACTOR),
            )
        )
    return Scenario(
        name=name,
        scene=scene,
        seconds=seconds,
        view_at=view_at,
        source_offset_s=round(rng.uniform(0, 120), 1),
        happenings=tuple(sorted(happenings, key=lambda h: h.at)),
        label=label,
        encoding=_encoding(rng),
    )


def _normal_scenario(rng: random.Random, name: str, scene: BaseScene) -> Scenario:
    seconds = round(_uniform(rng, NORMAL_CLIP_S))
    lighting, daylight_end = _lighting(rng, LEARN_S + 5.0, seconds)
    happenings = _people(rng, 0.0, seconds, None) + lighting
    return Scenario(
        name=name,
        scene=scene,
        seconds=seconds,
        view_at=(rng.random(), rng.random()),
        source_offset_s=round(rng.uniform(0, 120), 1),
        daylight_end=daylight_end,
        happenings=tuple(sorted(happenings, key=lambda h: h.at)),
        encoding=_encoding(rng),
    )


def draw_scenarios(seed: int) -> list[Scenario]:
    """All scenarios of one seed: PER_KIND of each tamper kind, signal losses, normal clips."""
    rng = random.Random(seed)
    scenes = available_scenes()
    scenarios: list[Scenario] = []
    for kind in TAMPER_KINDS:
        for index, scene in enumerate(_scene_cycle(rng, scenes)[:PER_KIND]):
            scenarios.append(_tamper_scenario(rng, f"{kind}-{index + 1}", kind, scene))
    for index, scene in enumerate(_scene_cycle(rng, scenes)[:SIGNAL_LOSS_SCENARIOS]):
        scenarios.append(_tamper_scenario(rng, f"signal_loss-{index + 1}", "signal_loss", scene))
    for index, scene in enumerate(_scene_cycle(rng, scenes)[:NORMAL_CLIPS]):
        scenarios.append(_normal_scenario(rng, f"normal-{index + 1}", scene))
    return scenarios
