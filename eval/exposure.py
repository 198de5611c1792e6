"""The light on the camera's picture: daylight, clouds, lights switched, the IR switch, and the
camera's auto-exposure holding the picture's level within bounds.

Every IP camera adjusts its exposure to the light: a room brightened by the sun or by the IR
switch's illuminator is not left blown out white, and a hall at night is not left black while
the camera can still open its shutter, raise its gain or light its IR. Without it the generator
made "normal" footage that was not normal: an office brightened by an IR switch on top of a
sunny day was 81-87 % clipped white for a minute, a dim hall after the IR switch had 80 % of
its pixels crushed black, and `too_bright` / `too_dark` were right to say so.

So the drawn light moves the picture's mean level freely within [EXPOSURE_LOW, EXPOSURE_HIGH]
(or the view's own level, when that is already outside), and is held at the bound beyond it.
The hold is immediate: a real exposure settles within a second, shorter than any detector's
persistence. The IR switch's dark blink is too short for any exposure and stays as it is.

Each factor of the light is one `_Factor`: the same description gives the ffmpeg expression
(the `eq` filter's gain and gamma, evaluated per frame) and its value in Python (to know
whether the bounds ever hold the light, and so whether the clip differs from one rendered
before the bounds existed: those keep their cache key).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

import av
import numpy as np
import numpy.typing as npt

from eval.scenarios import Happening, Scenario
from eval.scenes import SAMPLES, SCENES, paint, view_size

# The mean grey level (0-255) the exposure keeps the picture within under ordinary light.
EXPOSURE_LOW = 40.0
EXPOSURE_HIGH = 215.0
# The IR switch's dark moment: what is left of the light.
IR_BLINK_LIGHT = 0.04
BLINK_DIP = 1.0 - IR_BLINK_LIGHT
# Step of the Python evaluation of the light over a clip (the shortest change, a cloud's
# sine or the IR blink, lasts 0.3 s and more).
CHECK_STEP_S = 0.05


@dataclass(frozen=True)
class _Factor:
    expression: str
    """ffmpeg expression of t."""
    value: Callable[[float], float]


def _span(h: Happening) -> str:
    return f"between(t,{h.at:.3f},{h.at + h.seconds:.3f})"


def _inside(h: Happening, t: float) -> float:
    return 1.0 if h.at <= t <= h.at + h.seconds else 0.0


def _daylight(end: float, seconds: float) -> _Factor:
    """The light changing steadily over the clip, to `end` times the start's."""
    return _Factor(f"(1+{end - 1:.4f}*t/{seconds:.1f})", lambda t: 1 + (end - 1) * t / seconds)


def _lights_off(h: Happening) -> _Factor:
    return _Factor(
        f"(1-{1 - h.amount:.4f}*{_span(h)})", lambda t: 1 - (1 - h.amount) * _inside(h, t)
    )


def _cloud(h: Happening) -> _Factor:
    """The light dips by `h.amount` and comes back, smoothly."""
    shape = f"pow(sin(PI*(t-{h.at:.3f})/{h.seconds:.3f}),2)"
    return _Factor(
        f"(1-{h.amount:.4f}*{_span(h)}*{shape})",
        lambda t: 1 - h.amount * _inside(h, t) * math.sin(math.pi * (t - h.at) / h.seconds) ** 2,
    )


def _ir_blink(h: Happening) -> _Factor:
    return _Factor(f"(1-{BLINK_DIP:.3f}*{_span(h)})", lambda t: 1 - BLINK_DIP * _inside(h, t))


def _after_ir_switch(h: Happening, factor: float) -> _Factor:
    """`factor` from the end of the switch's blink on."""
    switched = h.at + h.seconds
    return _Factor(
        f"(1+{factor - 1:.4f}*gte(t,{switched:.3f}))", lambda t: 1 + (factor - 1) * (t >= switched)
    )


@dataclass(frozen=True)
class _Light:
    """The light's factors in the order the filter has always multiplied them (a clip the
    bounds leave alone is rendered from the very same expression as before them)."""

    factors: list[_Factor]
    blinks: frozenset[int]
    """Indexes of the IR blink's factors, too fast for the exposure."""
    gamma: list[_Factor]
    """The IR switch's tonal rendering."""

    @property
    def slow(self) -> list[_Factor]:
        return [f for i, f in enumerate(self.factors) if i not in self.blinks]

    @property
    def blink(self) -> list[_Factor]:
        return [f for i, f in enumerate(self.factors) if i in self.blinks]


def _light_of(scenario: Scenario) -> _Light:
    factors: list[_Factor] = []
    blinks: set[int] = set()
    gamma: list[_Factor] = []
    if scenario.daylight_end != 1.0:
        factors.append(_daylight(scenario.daylight_end, scenario.seconds))
    for h in scenario.happenings:
        if h.cause == "lights":
            factors.append(_lights_off(h))
        elif h.cause == "cloud":
            factors.append(_cloud(h))
        elif h.cause == "ir_switch":
            blinks.add(len(factors))
            factors.append(_ir_blink(h))
            factors.append(_after_ir_switch(h, h.amount))
            gamma.append(_after_ir_switch(h, h.params["gamma"]))
    return _Light(factors, frozenset(blinks), gamma)


def _product(factors: list[_Factor]) -> str:
    return "*".join(f.expression for f in factors) or "1"


def _value(factors: list[_Factor], t: float) -> float:
    return math.prod(f.value(t) for f in factors)


# The pictures are carried as limited-range luma (16-235), which `eq` scales as it is: a
# level's gain and gamma apply to 16 + level * 219/255, not to the level itself.
def _carried(level: float) -> float:
    return 16.0 + level * 219.0 / 255.0


def _shown(carried: float) -> float:
    return (carried - 16.0) * 255.0 / 219.0


def _level_after(level: float, gain: float, gamma: float) -> float:
    """The mean level of a picture at `level` after the `eq` filter's gain and gamma."""
    return _shown(255.0 * min(1.0, _carried(level) * gain / 255.0) ** (1.0 / gamma))


def _gain_for(level: float, target: float, gamma: str) -> str:
    """The gain (an ffmpeg expression of the gamma's) that brings a picture at `level` to
    `target`: `_level_after`'s inverse."""
    return f"({255.0 / _carried(level):.5f}*pow({_carried(target) / 255.0:.5f},{gamma}))"


@functools.cache
def _painted(painter: str) -> npt.NDArray[np.uint8]:
    return paint(painter)


@functools.lru_cache(maxsize=256)
def _view_level(scenario_key: tuple[str, float, float, float]) -> float:
    """Mean grey level of the camera's view of its scene before any light change."""
    scene_name, x_share, y_share, source_offset_s = scenario_key
    scene = next(s for s in SCENES if s.name == scene_name)
    width, height = view_size(scene)
    canvas_width, canvas_height = scene.canvas
    x = round(x_share * (canvas_width - width))
    y = round(y_share * (canvas_height - height))
    if scene.painter is not None:
        still = _painted(scene.painter)
        return float(still[y : y + height, x : x + width].mean())
    assert scene.real is not None
    levels = []
    with av.open(str(SAMPLES / scene.real)) as container:
        stream = container.streams.video[0]
        for index, frame in enumerate(container.decode(stream)):
            if frame.time is not None and frame.time >= source_offset_s and index % 15 == 0:
                grey = frame.to_ndarray(format="gray")
                levels.append(float(grey[y : y + height, x : x + width].mean()))
            if len(levels) >= 20:
                break
    return float(np.mean(levels)) if levels else 128.0


def view_level(scenario: Scenario) -> float:
    x_share, y_share = scenario.view_at
    return _view_level((scenario.scene.name, x_share, y_share, scenario.source_offset_s))


def exposure_bounds(scenario: Scenario) -> tuple[float, float] | None:
    """The levels the exposure holds this clip's picture within, or None when the drawn light
    never takes it beyond them (the clip is then rendered as before the bounds existed)."""
    light = _light_of(scenario)
    slow = light.slow
    if not slow:
        return None
    level = view_level(scenario)
    low, high = min(level, EXPOSURE_LOW), max(level, EXPOSURE_HIGH)
    steps = int(scenario.seconds / CHECK_STEP_S) + 1
    for step in range(steps):
        t = step * CHECK_STEP_S
        after = _level_after(level, _value(slow, t), _value(light.gamma, t))
        if after < low - 0.5 or after > high + 0.5:
            return low, high
    return None


def lighting_filter(scenario: Scenario) -> list[str]:
    """One `eq` whose gain and gamma follow daylight, clouds, lights and the IR switch, the
    slow part of the gain held within the exposure's bounds where the light would take the
    picture beyond them."""
    light = _light_of(scenario)
    if not light.factors and not light.gamma:
        return []
    gamma = _product(light.gamma)
    bounds = exposure_bounds(scenario)
    if bounds is None:
        g = _product(light.factors)
    else:
        level = view_level(scenario)
        lowest = _gain_for(level, bounds[0], gamma)
        highest = _gain_for(level, bounds[1], gamma)
        held = f"clip({_product(light.slow)},{lowest},{highest})"
        g = "*".join([held, *(f.expression for f in light.blink)])
    parts = [f"contrast='{g}'", f"brightness='0.5*{g}-0.5'"]
    if light.gamma:
        parts.append(f"gamma='{gamma}'")
    return ["eq=" + ":".join(parts) + ":eval=frame"]
