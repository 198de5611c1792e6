"""The camera's exposure in the generator: ordinary light never leaves a normal clip blown out
or black, the model of the filter matches what ffmpeg renders, and a clip whose light stays
within the bounds is not held (its filter has no bound in it)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import av
import numpy as np
from eval.clips import render
from eval.exposure import EXPOSURE_HIGH, EXPOSURE_LOW, exposure_bounds, lighting_filter, view_level
from eval.scenarios import DEVELOPMENT_SEED, Happening, Scenario, draw_scenarios
from eval.scenes import SCENES

SWITCHED_AT = 1.0
SECONDS = 5.0


def short_clip(scene_name: str, happenings: tuple[Happening, ...], daylight_end: float) -> Scenario:
    """A normal scenario on `scene_name`, SECONDS long, clean (little noise, no people)."""
    drawn = next(s for s in draw_scenarios(DEVELOPMENT_SEED) if s.label is None)
    scene = next(s for s in SCENES if s.name == scene_name)
    return dataclasses.replace(
        drawn,
        name=f"exposure-{scene_name}",
        scene=scene,
        seconds=SECONDS,
        encoding=dataclasses.replace(drawn.encoding, noise=1.0, gop_s=1.0),
        view_at=(0.5, 0.5),
        source_offset_s=0.0,
        daylight_end=daylight_end,
        happenings=happenings,
        label=None,
    )


def ir_switch(gain: float, gamma: float) -> Happening:
    params = {"gamma": gamma, "noise": 0.0}
    return Happening("ir_switch", SWITCHED_AT - 0.3, 0.3, gain, params)


def level_at_the_end(path: Path) -> float:
    """Mean grey level (0-255) of the last second's frames."""
    levels = []
    with av.open(str(path)) as container:
        for frame in container.decode(container.streams.video[0]):
            if frame.time is not None and frame.time >= SECONDS - 1.0:
                levels.append(float(frame.to_ndarray(format="gray").mean()))
    return float(np.mean(levels))


def test_a_bright_office_brightened_by_the_ir_switch_is_held_under_the_high_bound(
    tmp_path: Path,
) -> None:
    scenario = short_clip("office", (ir_switch(1.3, 1.3),), daylight_end=1.45)
    assert view_level(scenario) < EXPOSURE_HIGH
    assert exposure_bounds(scenario) == (EXPOSURE_LOW, EXPOSURE_HIGH)
    level = level_at_the_end(render(scenario, cache=tmp_path))
    # Under it; a little more under than the mean says, as the windows clip at white.
    assert EXPOSURE_HIGH - 12.0 < level <= EXPOSURE_HIGH + 3.0, level


def test_a_dim_hall_darkened_by_the_ir_switch_is_held_over_the_low_bound(tmp_path: Path) -> None:
    scenario = short_clip("hall", (ir_switch(0.7, 0.7),), daylight_end=0.6)
    assert exposure_bounds(scenario) is not None
    level = level_at_the_end(render(scenario, cache=tmp_path))
    assert abs(level - EXPOSURE_LOW) < 4.0, level


def test_light_within_the_bounds_is_not_held() -> None:
    cloud = Happening("cloud", 1.0, 3.0, 0.2)
    scenario = short_clip("classroom", (cloud,), daylight_end=1.0)
    assert exposure_bounds(scenario) is None
    (eq,) = lighting_filter(scenario)
    assert "clip(" not in eq
    # The IR blink stays outside the hold: no exposure answers 0.3 s of darkness.
    held = short_clip("office", (ir_switch(1.3, 1.0),), daylight_end=1.45)
    (eq,) = lighting_filter(held)
    contrast = eq.split("contrast='")[1].split("'")[0]
    assert contrast.startswith("clip(") and contrast.endswith(
        f"*(1-0.960*between(t,{0.7:.3f},{1.0:.3f}))"
    )
