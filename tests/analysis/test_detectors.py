"""Each tamper kind on a generated scene: raised within 5 s of the onset, ended when it is back."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from eval.clips import render
from eval.scenarios import Encoding, Happening, Label, Scenario
from eval.scenes import SCENES

from camwarden.analysis.analyzer import analyze_file
from camwarden.analysis.events import Event
from tests.analysis.conftest import (
    BACK_S,
    HEIGHT,
    ONSET_S,
    WIDTH,
    Grey,
    Scene,
    blur,
    corridor_wall,
    during,
    evaluation_cloth,
    normal,
    painted_view,
    real_view,
    rotated,
    standing_at_the_right,
    standing_in_front_of_the_table,
    textured_view,
    write_clip,
)

DETECTION_LIMIT_S = 5.0


def tamper_events(path: Path) -> list[Event]:
    return [event for event in analyze_file(path) if event.event != "motion"]


def assert_detected_as(events: list[Event], kind: str) -> None:
    """One start of `kind` (and of no other kind) within 5 s of the onset, one end after."""
    assert [(e.event, e.state) for e in events] == [(kind, "start"), (kind, "end")], events
    start, end = events
    assert ONSET_S <= start.t <= ONSET_S + DETECTION_LIMIT_S
    assert BACK_S <= end.t <= BACK_S + DETECTION_LIMIT_S
    assert 0.0 <= start.score <= 1.0


def test_a_lens_covered_by_a_flat_grey_cloth_is_covered(tmp_path: Path) -> None:
    def cloth(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return np.full_like(view, 70.0)

    assert_detected_as(tamper_events(write_clip(tmp_path / "c.mp4", during(cloth))), "covered")


def test_a_hand_over_the_lens_with_some_shading_is_covered(tmp_path: Path) -> None:
    def hand(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        shading = np.linspace(60, 90, view.shape[1], dtype=np.float32)
        return np.broadcast_to(shading, view.shape).copy()

    assert_detected_as(tamper_events(write_clip(tmp_path / "h.mp4", during(hand))), "covered")


def test_a_cloth_with_some_texture_on_a_quiet_sensor_is_covered_not_frozen(tmp_path: Path) -> None:
    # The cloth does not move and the quiet sensor adds almost nothing: the picture stands as
    # still as a frozen one, yet the view is gone but for a quarter of it on one side.
    weave = np.random.default_rng(5).normal(0, 3, (180, 320)).astype(np.float32)

    def cloth(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        shading = np.linspace(120, 150, view.shape[1], dtype=np.float32)
        out = np.broadcast_to(shading, view.shape) + weave
        out[:, :80] = view[:, :80]
        return out

    clip = write_clip(tmp_path / "c.mp4", during(cloth), sensor_noise=0.3)
    assert_detected_as(tamper_events(clip), "covered")


@pytest.mark.parametrize("strip", [0.05, 0.1])
def test_a_shaded_grainy_cloth_leaving_a_strip_of_the_view_is_covered_not_moved(
    tmp_path: Path, strip: float
) -> None:
    # Out of focus, the cloth has smooth shading and a mottled grain but no structure; its
    # soft boundary with the strip of the view left along the top is a strong step across the
    # picture, which keeps its contrast and edges over a third of the view's (it was raised as
    # moved, or as nothing).
    rng = np.random.default_rng(11)
    grain = blur(rng.normal(0, 1, (HEIGHT, WIDTH)).astype(np.float32), 1, 2) + 2 * blur(
        rng.normal(0, 1, (HEIGHT, WIDTH)).astype(np.float32), 1, 5
    )
    rows = np.mgrid[0:HEIGHT, 0:WIDTH][0].astype(np.float32)
    covering = blur((rows >= strip * HEIGHT).astype(np.float32), 2, 3)
    cloth_picture = 60.0 + 30.0 * (rows / HEIGHT - 0.5) + 4.0 * grain / grain.std()

    def cloth(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return covering * cloth_picture + (1.0 - covering) * view

    clip = write_clip(tmp_path / "c.mp4", during(cloth), sensor_noise=2.0)
    assert_detected_as(tamper_events(clip), "covered")


def test_a_dark_grainy_cloth_leaving_a_strip_on_one_side_is_covered(tmp_path: Path) -> None:
    # A dark cloth's grain and shading, relative to its low mean, give back as much contrast
    # and edges as the view had (it raised nothing); the view's structure stays in a strip.
    rng = np.random.default_rng(11)
    grain = blur(rng.normal(0, 1, (HEIGHT, WIDTH)).astype(np.float32), 1, 2) + 2 * blur(
        rng.normal(0, 1, (HEIGHT, WIDTH)).astype(np.float32), 1, 5
    )
    columns = np.mgrid[0:HEIGHT, 0:WIDTH][1].astype(np.float32)
    covering = blur((columns >= 0.1 * WIDTH).astype(np.float32), 2, 3)
    cloth_picture = 50.0 + 30.0 * (columns / WIDTH - 0.5) + 6.0 * grain / grain.std()

    def cloth(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return covering * cloth_picture + (1.0 - covering) * view

    assert_detected_as(tamper_events(write_clip(tmp_path / "c.mp4", during(cloth))), "covered")


@pytest.mark.parametrize(
    ("level", "shading", "grain", "side"), [(55.0, 36.0, 1.2, 3), (40.0, 30.0, 1.0, 1)]
)
def test_a_shaded_cloth_over_a_dim_plain_hall_is_covered(
    tmp_path: Path, level: float, shading: float, grain: float, side: int
) -> None:
    # The hall's walls and floor are nearly as plain as a cloth: the cloth's shading, a slope
    # across the lens, varied its blocks as much as half the hall's tiles do, so it did not
    # read as a strip of the view beside a cloth. It was raised as defocused, or not at all.
    scene = during(evaluation_cloth(0.93, level, shading, grain, side))
    clip = write_clip(tmp_path / "c.mp4", scene, view=painted_view("hall", 0.5), sensor_noise=1.2)
    assert_detected_as(tamper_events(clip), "covered")


def test_a_cloth_with_a_little_grain_over_a_dim_plain_hall_is_covered(tmp_path: Path) -> None:
    # Its grain bends the blocks of most tiles as much as the plain hall does, so it is not a
    # strip of the view beside a cloth, and it keeps more of its own fine detail than a
    # defocus would; but the hall's edges and layout are gone, and its fine detail with them.
    scene = during(evaluation_cloth(0.91, 55.0, 18.0, 1.6, 1))
    clip = write_clip(tmp_path / "c.mp4", scene, view=painted_view("hall", 0.5), sensor_noise=1.2)
    assert_detected_as(tamper_events(clip), "covered")


@pytest.mark.parametrize(
    ("painter", "cloth_over_it", "sensor_noise"),
    [("office", (0.88, 47.7, 36.3, 4.9, 2), 10.0), ("hall", (0.87, 104.3, 11.7, 3.6, 2), 1.8)],
)
def test_a_grained_cloth_whose_edges_are_all_alike_is_covered_not_moved(
    tmp_path: Path,
    painter: str,
    cloth_over_it: tuple[float, float, float, float, int],
    sensor_noise: float,
) -> None:
    # The evaluation's cloths with the heaviest grain, a strip of the view left along the top:
    # each tile as bent as a view's, so they were raised as moved. But the grain's edges are all
    # alike, where another view's outlines stand out of its plain surfaces.
    scene = during(evaluation_cloth(*cloth_over_it))
    view = painted_view(painter)
    clip = write_clip(tmp_path / "c.mp4", scene, view=view, sensor_noise=sensor_noise)
    assert_detected_as(tamper_events(clip), "covered")


def test_an_even_cloth_over_the_real_close_corridors_plain_wall_is_covered(
    tmp_path: Path,
) -> None:
    # Seed 26's: light grey and evenly shaded over a white wall, it leaves 0.7 of the view's
    # blocks as bright as they were, after the picture's gain. But none of the view's lines.
    view = real_view("corridor-close", 122.0, at=(0.14, 0.22))
    scene = during(evaluation_cloth(0.98, 167.0, 39.0, 0.14, 1))
    clip = write_clip(tmp_path / "c.mp4", scene, view=view, sensor_noise=2.0)
    assert_detected_as(tamper_events(clip), "covered")


@pytest.mark.parametrize("sensor_noise", [3.0, 8.0])
def test_a_dark_cloth_shaded_across_the_office_is_covered_not_defocused(
    tmp_path: Path, sensor_noise: float
) -> None:
    # Seed 32's cloth: its shading gives the picture over twice the office's contrast, and it is
    # out of focus, as a blur of someone dark standing in front of a view is. But nothing of
    # the view is behind it: neither its layout nor the brightness of its blocks.
    scene = during(evaluation_cloth(0.91, 58.3, 38.1, 4.0, 0))
    view = painted_view("office", at=(0.28, 0.13))
    clip = write_clip(tmp_path / "c.mp4", scene, view=view, sensor_noise=sensor_noise)
    assert_detected_as(tamper_events(clip), "covered")


def test_a_cloth_leaving_the_offices_bookshelves_along_the_bottom_is_covered(
    tmp_path: Path,
) -> None:
    # The bookshelves hold the office's strongest edges, so the picture's edges still match the
    # view's at 0.57 (over the 0.5 a view counts as back at); but the view's structure is left
    # in one row of tiles only, as beside any cloth. Seed 26 raised nothing.
    scene = during(evaluation_cloth(0.85, 106.6, 12.9, 1.0, 2))
    view = painted_view("office", at=(0.44, 0.22))
    clip = write_clip(tmp_path / "c.mp4", scene, view=view, sensor_noise=3.6)
    assert_detected_as(tamper_events(clip), "covered")


@pytest.mark.parametrize(
    ("cloth_over_it", "sensor_noise"),
    [((0.92, 59.7, 0.5, 4.9, 0), 2.4), ((0.96, 75.6, 38.5, 4.7, 2), 4.3)],
)
def test_a_cloth_as_mottled_as_the_halls_walls_is_covered_not_moved(
    tmp_path: Path, cloth_over_it: tuple[float, float, float, float, int], sensor_noise: float
) -> None:
    # The hall's walls are painted with the cloth's grain, so the cloth's edges are as alike
    # as the hall's and every tile is as bent: seeds 25 and 26 raised these as moved. But the
    # hall's door frames and floor tiles are lines, and the grain has none.
    scene = during(evaluation_cloth(*cloth_over_it))
    clip = write_clip(
        tmp_path / "c.mp4", scene, view=painted_view("hall"), sensor_noise=sensor_noise
    )
    assert_detected_as(tamper_events(clip), "covered")


@pytest.mark.parametrize("at_s", [0.0, 10.0])
def test_a_grained_cloth_leaving_a_strip_of_the_real_corridor_is_covered(
    tmp_path: Path, at_s: float
) -> None:
    # Seed 29's mirrored corridor, covered but for a strip along its right side by a cloth with
    # the heaviest grain: the strip keeps two tiles of the ring, so the view is not elsewhere,
    # and the grain bends the blocks of more than a strip's tiles. It raised nothing, or late.
    # The view's lines are gone: the planks, the skirting, the pillar, the table.
    scene = during(evaluation_cloth(0.89, 76.85, 25.76, 4.98, 0))
    view = real_view("corridor-mirrored", at_s)
    clip = write_clip(tmp_path / "c.mp4", scene, view=view, sensor_noise=3.0)
    assert_detected_as(tamper_events(clip), "covered")


@pytest.mark.parametrize("painter", ["hall", "yard"])
def test_a_view_of_plain_mottled_walls_pushed_aside_is_moved_not_covered(
    tmp_path: Path, painter: str
) -> None:
    # Pushed, the hall and the yard show their mottled walls elsewhere: still lines somewhere.
    canvas = painted_view(painter)
    shift = WIDTH // 5
    wide = cv2.resize(canvas, (WIDTH + shift, HEIGHT), interpolation=cv2.INTER_AREA)

    def pushed(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return wide[:, shift:]

    clip = write_clip(tmp_path / "m.mp4", during(pushed), view=wide[:, :WIDTH].copy())
    assert_detected_as(tamper_events(clip), "moved")


def test_a_strongly_blurred_view_is_defocused(tmp_path: Path) -> None:
    def defocus(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return blur(view, passes=4, radius=4)

    clip = write_clip(tmp_path / "d.mp4", during(defocus))
    assert_detected_as(tamper_events(clip), "defocused")


def test_a_slight_defocus_on_a_noisy_sensor_is_defocused(tmp_path: Path) -> None:
    """About 1 px at 320x180 (4 px of a 720p picture): the frame's own fine detail barely falls,
    since the sensor noise comes after the lens; the reference's detail is gone."""

    def slight(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return blur(view, passes=3, radius=1)

    clip = write_clip(tmp_path / "s.mp4", during(slight), sensor_noise=6.0)
    assert_detected_as(tamper_events(clip), "defocused")


@pytest.mark.parametrize("painter", ["office", "yard", "classroom"])
def test_a_three_pixel_defocus_of_a_still_view_is_defocused(tmp_path: Path, painter: str) -> None:
    """Under a pixel at 320x180 (3 px of a 720p picture): the frame's own fine detail stays
    over 0.8 of the reference's; the reference's detail is lost in every part of the view."""

    def slight(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return cv2.GaussianBlur(view, (0, 0), 0.7)

    clip = write_clip(tmp_path / "s.mp4", during(slight), view=painted_view(painter))
    assert_detected_as(tamper_events(clip), "defocused")


def test_a_noisy_hall_defocused_soon_after_its_lights_were_dimmed_is_defocused_within_5_s(
    tmp_path: Path,
) -> None:
    # Seed 34's hall, rendered as the evaluation renders it (720p, sensor noise 12, a keyframe
    # every 2 s): its lights dimmed to half at 22.8 s, its focus ring turned by 11.5 px at 28.7 s.
    # At half light the noise had raised the picture's own sharpness to 1.13 of the view's, and
    # the first blurred keyframe came to 0.91 of it (0.81 of the dimmed picture's), over the 0.9
    # under which the view's detail is asked: raised from the next keyframe, 5.8 s after.
    hall = next(scene for scene in SCENES if scene.name == "hall")
    onset, sigma = 28.66, 11.486709388908755  # as drawn: a rounded sigma or framing is not late
    scenario = Scenario(
        name="defocused-hall",
        scene=hall,
        seconds=36.0,
        encoding=Encoding(gop_s=2.0, crf=25, max_bitrate_mbit=3.5, noise=12.0),
        view_at=(0.5052593612201403, 0.0016372235874414498),
        source_offset_s=61.7,
        happenings=(Happening("lights", at=22.83, seconds=1000.0, amount=0.5374863592530207),),
        label=Label("defocused", onset, end=37.02, strength=sigma, params={"sigma": sigma}),
    )
    events = tamper_events(render(scenario, cache=tmp_path))
    assert [(e.event, e.state) for e in events] == [("defocused", "start")], events
    assert onset < events[0].t <= onset + DETECTION_LIMIT_S


# Someone in black standing at the real close corridor's table, where the learning saw it alone:
# the sample's seconds of the view learnt and of the person, and where the view is framed (as a
# scenario's `view_at`). The woman fills the wall and the table's top (seed 31's framing); the
# man hides the table, a third of a view whose pillar is left as it was (seed 32's).
SOMEONE_IN_BLACK_AT_THE_TABLE = {
    "a woman, learnt at 20 s": (20.0, 58.0, (0.25, 0.0)),
    "a woman, learnt at 50 s": (50.0, 58.0, (0.25, 0.0)),
    "a man hiding a third": (45.0, 78.0, (0.87, 0.04)),
}
# Who is still there when the lens is focused again. The woman's outline is then clearly steeper
# than the view's (1.2), which ends the defocus; the man's is not (0.95-0.97), and his smooth
# clothes over the table leave half the view's fine detail, so the defocus ends when he leaves.
STAYS_WHEN_FOCUSED_AGAIN = {"a woman, learnt at 20 s", "a woman, learnt at 50 s"}


@pytest.mark.parametrize(
    ("who", "sigma"),
    [
        ("a woman, learnt at 20 s", 1.5),
        ("a woman, learnt at 20 s", 4.0),
        ("a woman, learnt at 50 s", 2.5),
        ("a man hiding a third", 2.5),
    ],
)
def test_a_defocus_while_someone_in_black_stands_at_the_real_close_corridors_table_is_defocused(
    tmp_path: Path, who: str, sigma: float
) -> None:
    """The real close corridor, learnt with its table alone, then someone in black standing
    at it when the lens is turned: their blurred body gives the picture about three times the
    view's contrast, as no blur of the view does. But their outline blurred with it (nobody is
    in focus), and the view is there behind them: its layout, or most of its blocks as bright
    as they were. Both were missed (seeds 31 and 32)."""
    learnt_at_s, standing_at_s, at = SOMEONE_IN_BLACK_AT_THE_TABLE[who]
    view = real_view("corridor-close", learnt_at_s, at=at)
    someone = real_view("corridor-close", standing_at_s, at=at)
    blurred = cv2.GaussianBlur(someone, (0, 0), sigma)

    def scene(t: float, seen: Grey, rng: np.random.Generator) -> Grey:
        if t < ONSET_S - 4.0:
            return seen
        if t < ONSET_S:
            return someone
        if t < BACK_S:
            return blurred
        return someone if who in STAYS_WHEN_FOCUSED_AGAIN else seen

    clip = write_clip(tmp_path / "d.mp4", scene, view=view, sensor_noise=4.0)
    assert_detected_as(tamper_events(clip), "defocused")


@pytest.mark.parametrize("who", list(SOMEONE_IN_BLACK_AT_THE_TABLE))
def test_someone_in_black_standing_at_the_real_close_corridors_table_raises_nothing(
    tmp_path: Path, who: str
) -> None:
    """The same people in focus: as much contrast, and an outline steeper than the view's."""
    learnt_at_s, standing_at_s, at = SOMEONE_IN_BLACK_AT_THE_TABLE[who]
    view = real_view("corridor-close", learnt_at_s, at=at)
    someone = real_view("corridor-close", standing_at_s, at=at)

    def scene(t: float, seen: Grey, rng: np.random.Generator) -> Grey:
        return someone if t >= ONSET_S - 4.0 else seen

    clip = write_clip(tmp_path / "w.mp4", scene, view=view, sensor_noise=4.0)
    assert tamper_events(clip) == []


def test_a_view_shifted_by_a_fifth_of_its_width_is_moved(tmp_path: Path) -> None:
    shift = WIDTH // 5
    wide = textured_view(seed=3, width=WIDTH + shift)

    def pushed(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return wide[:, shift:]

    clip = write_clip(tmp_path / "m.mp4", during(pushed), view=wide[:, :WIDTH].copy())
    assert_detected_as(tamper_events(clip), "moved")


def test_a_view_pushed_along_long_lines_that_keep_one_corner_alike_is_moved(
    tmp_path: Path,
) -> None:
    # Rails along the top of the view run the way the camera was pushed: its top-right corner
    # shows the same lines after the push (its edges still match the view's), while every
    # other part of the view moved. It raised nothing: one tile of the ring kept the view.
    shift = WIDTH // 5
    wide = textured_view(seed=3, width=WIDTH + shift)
    rows = np.arange(HEIGHT // 4)[:, None]
    wide[: HEIGHT // 4, WIDTH - WIDTH // 4 :] = np.where(rows % 9 < 3, 40.0, 200.0)

    def pushed(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return wide[:, shift:]

    clip = write_clip(tmp_path / "m.mp4", during(pushed), view=wide[:, :WIDTH].copy())
    assert_detected_as(tamper_events(clip), "moved")


@pytest.mark.parametrize("push", [WIDTH // 16, WIDTH // 6, WIDTH // 4])
def test_a_plain_wall_pushed_along_itself_is_moved(tmp_path: Path, push: int) -> None:
    # The close corridor: a plain wall and a small table. Pushed along the wall, the camera
    # shows the table elsewhere and the wall around it as bright as it was, block by block,
    # as when someone stands in front of the table: it raised nothing.
    wall = corridor_wall()
    further = 190.0 + 25.0 * (WIDTH + np.arange(push, dtype=np.float32)) / WIDTH
    wide = np.hstack([wall, np.broadcast_to(further, (HEIGHT, push))])

    def pushed(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return wide[:, push:]

    clip = write_clip(tmp_path / "w.mp4", during(pushed), view=corridor_wall())
    assert_detected_as(tamper_events(clip), "moved")


@pytest.mark.parametrize("half_width", [30.0, 100.0])
def test_a_person_walking_through_the_new_view_of_a_moved_camera_does_not_delay_it(
    tmp_path: Path, half_width: float
) -> None:
    # A dark body, two thirds of the picture high and a fifth (or five eighths) of it wide,
    # crosses the new view in 3 s from half a second after the push: the picture changes where
    # the person is from one analysed frame to the next. Each such frame restarted the moved
    # persistence (raised 5.8-6.8 s after the onset); a narrow body leaves most of the ring
    # still, and a wide one now only puts the decision off.
    shift = WIDTH // 5
    wide = textured_view(seed=3, width=WIDTH + shift)
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH]
    crossing_s = 3.0

    def pushed_then_crossed(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        out = wide[:, shift:].copy()
        walked = (t - ONSET_S - 0.5) / crossing_s
        if 0.0 <= walked < 1.0:
            centre = walked * (WIDTH + 2 * half_width) - half_width
            out[((xx - centre) / half_width) ** 2 + ((yy - 120) / 120.0) ** 2 < 1] = 40.0
        return out

    clip = write_clip(tmp_path / "m.mp4", during(pushed_then_crossed), view=wide[:, :WIDTH].copy())
    assert_detected_as(tamper_events(clip), "moved")


def test_a_camera_still_turning_is_decided_once_it_stopped(tmp_path: Path) -> None:
    # Turned by 30 degrees over 2 s: the picture changes everywhere from one analysed frame to
    # the next until the camera stops, then stays.
    turn_s = 2.0

    def turning(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return rotated(view, 30.0 * min(1.0, (t - ONSET_S) / turn_s))

    events = tamper_events(write_clip(tmp_path / "r.mp4", during(turning)))
    assert_detected_as(events, "moved")
    assert events[0].t >= ONSET_S + turn_s + 0.2


def test_a_camera_turned_by_twenty_degrees_is_moved(tmp_path: Path) -> None:
    def turned(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return rotated(view, 20.0)

    assert_detected_as(tamper_events(write_clip(tmp_path / "r.mp4", during(turned))), "moved")


@pytest.mark.parametrize("degrees", [12.0, -12.0])
def test_a_camera_turned_a_little_about_its_centre_is_moved(tmp_path: Path, degrees: float) -> None:
    # The central tiles keep much of their reference (a turn moves them by little); the ring
    # around them loses it.
    def turned(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return rotated(view, degrees)

    assert_detected_as(tamper_events(write_clip(tmp_path / "r.mp4", during(turned))), "moved")


def test_a_black_picture_is_too_dark(tmp_path: Path) -> None:
    def black(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return np.full_like(view, 4.0)

    assert_detected_as(tamper_events(write_clip(tmp_path / "k.mp4", during(black))), "too_dark")


def test_a_lens_taped_leaving_a_tenth_of_the_light_on_a_lifted_black_is_too_dark(
    tmp_path: Path,
) -> None:
    # A bright room's windows stay above the crushed level: not 90 % crushed, yet a tenth of
    # the light, which no switched light or passing cloud leaves.
    def taped(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return view * 0.1 + 14.0

    bright_room = np.clip(textured_view() * 0.8 + 70.0, 0, 255).astype(np.float32)
    clip = write_clip(tmp_path / "t.mp4", during(taped), view=bright_room)
    assert_detected_as(tamper_events(clip), "too_dark")


def test_a_lens_taped_on_a_black_lifted_to_a_fifth_of_the_light_is_too_dark(
    tmp_path: Path,
) -> None:
    # The lifted black keeps over a fifth of the light (0.23) and the sensor's noise a quarter
    # of the pixels above the crushed level: neither the light nor the crushed share says dark
    # (it raised nothing). But the view, still there by its edges, kept under a fifth of its
    # amplitude (0.17).
    def taped(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return view * 0.09 + 16.0

    clip = write_clip(tmp_path / "t.mp4", during(taped), sensor_noise=8.0)
    assert_detected_as(tamper_events(clip), "too_dark")


def test_a_dark_grey_cloth_on_a_bright_rooms_lens_is_covered_not_too_dark(tmp_path: Path) -> None:
    # As little light and amplitude left as a taped lens (under a third and a fifth), but
    # the cloth hides the view's edges: covered.
    def cloth(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return np.full_like(view, 48.0)

    bright_room = np.clip(textured_view() * 0.8 + 70.0, 0, 255).astype(np.float32)
    clip = write_clip(tmp_path / "c.mp4", during(cloth), view=bright_room)
    assert_detected_as(tamper_events(clip), "covered")


def test_a_saturated_white_picture_is_too_bright(tmp_path: Path) -> None:
    def blinded(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return np.full_like(view, 252.0)

    clip = write_clip(tmp_path / "w.mp4", during(blinded))
    assert_detected_as(tamper_events(clip), "too_bright")


def test_a_dark_room_washed_out_by_a_noisy_blinding_is_too_bright(tmp_path: Path) -> None:
    # The sensor's noise keeps most pixels under the clipped level, yet the mean is near white
    # and the room's headroom is gone: a torch or floodlight on the lens of a night camera.
    def washed_out(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        noise = rng.normal(0.0, 14.0, view.shape).astype(np.float32)
        return np.clip(view * 0.1 + 228.0 + noise, 0, 255)

    dark_room = np.clip(textured_view() * 0.5 + 20.0, 0, 255).astype(np.float32)
    clip = write_clip(tmp_path / "b.mp4", during(washed_out), view=dark_room)
    assert_detected_as(tamper_events(clip), "too_bright")


def test_a_torch_on_a_room_whose_lights_were_switched_off_is_too_bright(tmp_path: Path) -> None:
    # The lights went off 8 s before: the reference still holds the lit room, whose headroom
    # the torch leaves a quarter of, but it took five sixths of what the dim room had.
    def lights_off(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        dim = view * 0.4
        return np.clip(dim * 1.5 + 150.0, 0, 255) if t >= ONSET_S else dim

    clip = write_clip(tmp_path / "t.mp4", during(lights_off, ONSET_S - 8.0, BACK_S))
    assert_detected_as(tamper_events(clip), "too_bright")


def _stepping_aside_into(light: Scene) -> Scene:
    """Someone in dark clothes in front of the table of a dim close corridor (as its view was
    learnt) who has stepped to the right when `light` falls on the picture."""

    def scene(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        if not ONSET_S <= t < BACK_S:
            return standing_in_front_of_the_table(t, view)
        return light(t, standing_at_the_right(t, view, "dark"), rng)

    return scene


def test_a_wall_blinded_with_someone_in_dark_clothes_in_front_of_it_is_too_bright(
    tmp_path: Path,
) -> None:
    # The wall clipped, the clothes lifted by the flare: a third of the picture stays under the
    # clipped level and a quarter of the headroom is left; moved was raised.
    def blinded(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        noise = rng.normal(0.0, 15.0, view.shape).astype(np.float32)
        return np.clip((view - 16.0) * 3.0 + 81.0 + noise, 0, 255)

    dim_wall = corridor_wall() * 0.55
    clip = write_clip(tmp_path / "b.mp4", _stepping_aside_into(blinded), view=dim_wall)
    assert_detected_as(tamper_events(clip), "too_bright")


def test_sun_washing_a_wall_out_as_much_is_not_taken_for_a_blinding(tmp_path: Path) -> None:
    # As clipped and as short of headroom, its edges as gone, but light on the view multiplies
    # the dark clothes instead of lifting them. (That the person stepped aside just then may
    # be taken for a moved camera is not this test's matter.)
    def sunlit(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return np.clip(view * 3.0, 0, 255)

    dim_wall = corridor_wall() * 0.55
    clip = write_clip(tmp_path / "s.mp4", _stepping_aside_into(sunlit), view=dim_wall)
    assert "too_bright" not in {event.event for event in tamper_events(clip)}


def test_the_same_picture_repeated_while_frames_keep_coming_is_frozen(tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "f.mp4", normal, freeze=(ONSET_S, BACK_S))
    assert_detected_as(tamper_events(clip), "frozen")


@pytest.mark.parametrize("learn_s", [10.0, 25.0])
def test_no_tamper_event_is_raised_while_the_normal_view_is_learnt(
    tmp_path: Path, learn_s: float
) -> None:
    from camwarden.analysis.detectors import DetectorSettings

    def black(t: float, view: Grey, rng: np.random.Generator) -> Grey:
        return np.full_like(view, 4.0)

    clip = write_clip(tmp_path / "early.mp4", during(black, 0.0, 5.0), seconds=30.0)
    events = list(analyze_file(clip, DetectorSettings(learn_s=learn_s)))
    assert all(event.event == "motion" for event in events), events
