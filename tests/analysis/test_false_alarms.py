"""Ordinary life raises no tamper event: lights, people near the lens, daylight, real footage."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from camwarden.analysis.analyzer import analyze_file
from camwarden.analysis.events import Event
from tests.analysis.conftest import (
    BACK_S,
    CLIP_S,
    CORRIDOR,
    HEIGHT,
    ONSET_S,
    WIDTH,
    Grey,
    corridor_wall,
    during,
    standing_in_front_of_the_table,
    textured_view,
    write_clip,
)


def events_of(path: Path) -> list[Event]:
    return list(analyze_file(path))


def tamper_only(events: list[Event]) -> list[Event]:
    return [event for event in events if event.event != "motion"]


def test_lights_dimmed_to_sixty_percent_and_back_raise_nothing(tmp_path: Path) -> None:
    def dimmed(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return view * 0.6

    assert tamper_only(events_of(write_clip(tmp_path / "l.mp4", during(dimmed)))) == []


def test_a_bright_room_brightened_by_the_sun_coming_out_raises_nothing(tmp_path: Path) -> None:
    # Brighter, some of it clipped, but the room's structure and most of its headroom stay.
    def sunlit(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return np.clip(view * 1.25, 0, 255)

    bright_room = np.clip(textured_view() * 0.6 + 110.0, 0, 255).astype(np.float32)
    clip = write_clip(tmp_path / "s.mp4", during(sunlit), view=bright_room)
    assert tamper_only(events_of(clip)) == []


def test_lights_switched_back_on_in_a_white_room_raise_nothing(tmp_path: Path) -> None:
    # Lit, the room is nearly white: switched on again, it takes five sixths of the headroom
    # the dark room had, as a torch would, but it is back to its reference.
    def lights_off(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return view * 0.35

    white_room = np.clip(textured_view() * 0.3 + 190.0, 0, 255).astype(np.float32)
    clip = write_clip(tmp_path / "w.mp4", during(lights_off), view=white_room)
    assert tamper_only(events_of(clip)) == []


def test_lights_switched_off_leaving_a_third_of_the_light_raise_nothing(tmp_path: Path) -> None:
    # The windows or the corridor's lights still light the room: dim, not too dark.
    def lights_off(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return view * 0.33

    assert tamper_only(events_of(write_clip(tmp_path / "o.mp4", during(lights_off)))) == []


def test_lights_off_for_a_moment_like_the_infrared_switch_raise_nothing(tmp_path: Path) -> None:
    def dark(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return view * 0.03

    clip = write_clip(tmp_path / "ir.mp4", during(dark, ONSET_S, ONSET_S + 1.5))
    assert tamper_only(events_of(clip)) == []


def test_a_person_passing_close_to_the_lens_is_motion_not_covered(tmp_path: Path) -> None:
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH]

    def person(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        # A dark body, two thirds of the picture high, crossing it in 1.5 s.
        centre = (t - ONSET_S) / 1.5 * (WIDTH + 200) - 100
        out = view.copy()
        out[((xx - centre) / 90.0) ** 2 + ((yy - 120) / 150.0) ** 2 < 1] = 35.0
        return out

    events = events_of(write_clip(tmp_path / "p.mp4", during(person, ONSET_S, ONSET_S + 1.5)))
    assert tamper_only(events) == []
    assert any(event.event == "motion" for event in events)


@pytest.mark.parametrize("side", ["left", "middle"])
def test_a_person_standing_close_to_the_lens_for_a_while_is_not_moved(
    tmp_path: Path, side: str
) -> None:
    # A body taller than the picture hides half of it for 15 s, steadily (breathing, swaying
    # a little): the rest of the view, on one side or both, is still its reference.
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH]
    centre = 70 if side == "left" else WIDTH // 2

    def standing(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        out = view.copy()
        sway = 3.0 * np.sin(t)
        out[((xx - centre - sway) / 85.0) ** 2 + ((yy - 200) / 230.0) ** 2 < 1] = 60.0
        return out

    events = events_of(write_clip(tmp_path / "s.mp4", during(standing, ONSET_S - 5, BACK_S + 2)))
    assert tamper_only(events) == []


def test_a_person_standing_close_hiding_two_thirds_of_the_view_is_not_covered(
    tmp_path: Path,
) -> None:
    # Dark clothes with folds fill the picture but for a third of it on one side, for 15 s:
    # the view's structure is left in more than a strip along one side, so it is not a cloth.
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    clothes = 45.0 + 10.0 * np.sin(yy / 9.0) + 8.0 * np.cos(xx / 13.0)
    body = xx < 0.7 * WIDTH

    def standing(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return np.where(body, clothes, view).astype(np.float32)

    clip = write_clip(tmp_path / "s.mp4", during(standing, ONSET_S - 5, BACK_S + 2), sensor_noise=2)
    assert tamper_only(events_of(clip)) == []


@pytest.mark.parametrize("half_width", [0.25, 0.32])
def test_a_person_in_dark_clothes_filling_a_white_walls_close_view_is_not_defocused(
    tmp_path: Path, half_width: float
) -> None:
    # The wall's faint detail is hidden and the clothes are smooth, as after a blur, but the
    # picture gained contrast: a blur never adds any.
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    texture = textured_view()
    wall = (210.0 + 0.15 * (texture - texture.mean())).astype(np.float32)
    clothes = 30.0 + 6.0 * np.sin(yy / 11.0) + 5.0 * np.cos(xx / 17.0)
    body = ((xx - WIDTH / 2) / (half_width * WIDTH)) ** 2 + ((yy - HEIGHT) / HEIGHT / 1.1) ** 2 < 1

    def standing(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return np.where(body, clothes, view).astype(np.float32)

    scene = during(standing, ONSET_S - 5, BACK_S + 2)
    clip = write_clip(tmp_path / "d.mp4", scene, view=wall, sensor_noise=2)
    assert tamper_only(events_of(clip)) == []


@pytest.mark.parametrize("sensor_noise", [2.0, 8.0])
def test_a_person_standing_in_front_of_a_plain_walls_only_table_is_not_moved(
    tmp_path: Path, sensor_noise: float
) -> None:
    # They hide every edge the view has, and stand still enough to look like a new view, but
    # the wall around them is as bright as it was, block by block: the camera has not moved.
    def scene(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return standing_in_front_of_the_table(t, view)

    during_15_s = during(scene, ONSET_S - 5, BACK_S + 2)
    clip = write_clip(
        tmp_path / "t.mp4", during_15_s, view=corridor_wall(), sensor_noise=sensor_noise
    )
    assert tamper_only(events_of(clip)) == []


def test_slow_daylight_change_over_the_clip_raises_nothing(tmp_path: Path) -> None:
    def dusk(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return view * (1.0 - 0.5 * t / CLIP_S)

    assert tamper_only(events_of(write_clip(tmp_path / "s.mp4", dusk))) == []


def test_real_corridor_footage_with_people_walking_raises_no_tamper_event() -> None:
    if not CORRIDOR.is_file():
        pytest.skip(f"the sample footage is not at {CORRIDOR}")
    events = events_of(CORRIDOR)
    assert tamper_only(events) == []
    assert any(event.event == "motion" for event in events)
