"""Persistence and hysteresis: events start after the condition held, and do not flap."""

from __future__ import annotations

import numpy as np
import pytest

from camwarden.analysis._covered import CoverLook
from camwarden.analysis._defocused import BlurLook
from camwarden.analysis._looks import Looks
from camwarden.analysis.detectors import DetectorSettings, TamperDetector
from camwarden.analysis.events import EventKind, Persistence
from camwarden.analysis.frames import AnalysisFrame
from tests.analysis.conftest import textured_view


def test_a_condition_starts_only_after_it_held_for_the_start_time() -> None:
    state = Persistence("covered", start_s=2.5, end_s=2.0)
    assert state.update(0.0, on=True, off=False, score=0.9) is None
    assert state.update(2.0, on=True, off=False, score=0.9) is None
    event = state.update(3.0, on=True, off=False, score=0.9)
    assert event is not None and (event.state, event.since, event.t) == ("start", 0.0, 3.0)


def test_a_condition_not_ready_to_be_decided_waits_without_starting_over() -> None:
    state = Persistence("moved", start_s=2.5, end_s=2.0)
    assert state.update(0.0, on=True, off=False, score=0.9) is None
    assert state.update(2.5, on=True, off=False, score=0.9, ready=False) is None
    assert state.update(3.0, on=True, off=False, score=0.9, ready=False) is None
    event = state.update(3.5, on=True, off=False, score=0.9)
    assert event is not None and (event.state, event.since, event.t) == ("start", 0.0, 3.5)


def test_a_condition_that_comes_and_goes_each_second_raises_nothing() -> None:
    state = Persistence("covered", start_s=2.5, end_s=2.0)
    events = [state.update(float(t), on=t % 2 == 0, off=t % 2 == 1, score=1.0) for t in range(30)]
    assert events == [None] * 30


def test_an_active_event_ends_only_when_the_view_is_clearly_back() -> None:
    state = Persistence("covered", start_s=0.0, end_s=2.0)
    assert state.update(0.0, on=True, off=False, score=1.0) is not None
    # Between the two thresholds: neither on nor clearly off, so it stays active.
    assert [state.update(float(t), on=False, off=False, score=0.5) for t in range(1, 10)] == [
        None
    ] * 9
    assert state.update(10.0, on=False, off=True, score=0.0) is None
    event = state.update(12.0, on=False, off=True, score=0.0)
    assert event is not None and event.state == "end"


def test_a_condition_is_seen_while_decided_and_while_raised_until_its_end_is_seen() -> None:
    state = Persistence("covered", start_s=1.0, end_s=1.0)
    assert not state.condition_seen
    state.update(0.0, on=True, off=False, score=1.0)
    assert state.condition_seen  # being decided
    state.update(1.0, on=True, off=False, score=1.0)
    assert state.active and state.condition_seen  # raised
    state.update(2.0, on=False, off=True, score=0.0)
    assert not state.condition_seen  # its end being decided


_NOTHING = Looks(
    contrast=1.0,
    sharpness=1.0,
    similarity=1.0,
    detail=1.0,
    headroom=1.0,
    amplitude=1.0,
    dark=False,
    bright=False,
    cover=CoverLook(in_a_strip=False, smoothed_away=False, looks_covered=False, uncovered=False),
    grained=False,
    flat=False,
    blur=BlurLook(kept=1.0, partly_intact=False, blurred=False, in_focus=False),
    shifted=False,
    view_shown=True,
)


@pytest.mark.parametrize(
    ("seen", "flips_to"),
    [
        ("covered", "moved"),  # a grainy cloth at the bar between the two
        ("moved", "covered"),
        ("too_bright", "covered"),  # a blinded plain wall, its edges washed out
        ("covered", "too_dark"),
    ],
)
def test_the_same_picture_keeps_the_verdict_it_was_first_given(
    seen: EventKind, flips_to: EventKind
) -> None:
    # Each flip across the bar between two kinds reset the other's wait.
    detector = TamperDetector()
    detector._kinds[seen].update(0.0, on=True, off=False, score=1.0)  # being decided
    edges = textured_view(seed=2)
    flipped = _NOTHING.judged_as(flips_to)

    assert detector._held_verdict(flipped, edges + 1.0, edges, None) == _NOTHING.judged_as(seen)
    # Another picture is judged afresh, and so is any picture when nothing is being decided.
    assert detector._held_verdict(flipped, textured_view(seed=3), edges, None) == flipped
    assert TamperDetector()._held_verdict(flipped, edges + 1.0, edges, None) == flipped


def test_the_same_picture_stays_the_raised_kind_while_another_is_being_decided() -> None:
    # Seed 29's moved close corridor: raised as moved, then a new picture judged covered; held
    # still, it must not be raised as covered too.
    detector = TamperDetector()
    moved, covered = detector._kinds["moved"], detector._kinds["covered"]
    moved.update(0.0, on=True, off=False, score=1.0)
    moved.update(5.0, on=True, off=False, score=1.0)  # raised
    covered.update(6.0, on=True, off=False, score=1.0)  # being decided
    edges = textured_view(seed=2)

    assert detector._held_verdict(_NOTHING.judged_as("covered"), edges + 1.0, edges, None) == (
        _NOTHING.judged_as("moved")
    )


def test_frames_that_stop_coming_are_a_signal_loss_from_five_seconds_on() -> None:
    rng = np.random.default_rng(1)
    view = textured_view()
    detector = TamperDetector(DetectorSettings(learn_s=5.0))
    times = [*range(0, 20), *range(32, 40)]
    events = []
    for t in times:
        grey = (view + rng.normal(0, 3.0, view.shape)).astype(np.float32)
        events += detector.feed(AnalysisFrame(t=float(t), grey=grey))
    assert [(e.event, e.state, e.t) for e in events] == [
        ("signal_loss", "start", 24.0),
        ("signal_loss", "end", 32.0),
    ]
    assert events[0].score == 13.0
