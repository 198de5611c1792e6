"""The lines that tell a view from a cloth's grain (`_texture.line_length`)."""

from __future__ import annotations

import numpy as np

from camwarden.analysis._measures import half_size
from camwarden.analysis._texture import line_length
from tests.analysis.conftest import SENSOR_NOISE, blur, painted_view


def test_a_door_frame_is_a_line_and_a_grain_as_mottled_has_none() -> None:
    rng = np.random.default_rng(4)
    wall = 90.0 + 12.0 * blur(rng.normal(0, 1, (90, 160)).astype(np.float32), 2, 3)
    noise = rng.normal(0, SENSOR_NOISE, wall.shape).astype(np.float32)
    with_a_door = wall.copy()
    with_a_door[20:, 60:64] = 40.0  # a frame 70 px tall
    assert line_length(wall + noise) == 0.0
    assert line_length(with_a_door + noise) >= 2 * 65.0  # both sides of the frame


def test_the_lines_of_a_masked_part_are_left_out() -> None:
    hall = half_size(painted_view("hall"))
    keep = np.ones(hall.shape, bool)
    everywhere = line_length(hall, keep)
    keep[:, : hall.shape[1] // 2] = False
    assert 0.0 < line_length(hall, keep) < everywhere
    assert line_length(hall, np.zeros(hall.shape, bool)) == 0.0
