"""The evaluation's scorer on hand-made events: matching, delays, false alarms per hour."""

from __future__ import annotations

import pytest
from eval.scenarios import Label
from eval.scoring import score_scenario, summarize

from camwarden.analysis.events import Event

LEARN_S = 20.0
COVERED = Label("covered", onset=40.0, end=60.0, strength=1.0)


def start(kind: str, t: float) -> Event:
    return Event(t, kind, "start", 0.9, t - 2.5)  # type: ignore[arg-type]


def end(kind: str, t: float) -> Event:
    return Event(t, kind, "end", 0.1, t - 2.0)  # type: ignore[arg-type]


def test_a_start_of_the_right_kind_within_five_seconds_detects_the_label_with_its_delay() -> None:
    score = score_scenario(
        "c", [COVERED], [start("covered", 43.5), end("covered", 62.0)], 90.0, LEARN_S
    )
    [detection] = score.detections
    assert detection.delay == pytest.approx(3.5)
    assert detection.ended
    assert score.false_alarms == ()


def test_a_start_just_after_five_seconds_is_a_miss_and_a_false_alarm_during_the_tampering() -> None:
    score = score_scenario("c", [COVERED], [start("covered", 45.1)], 90.0, LEARN_S)
    assert score.detections[0].delay is None
    [alarm] = score.false_alarms
    assert alarm.during_tampering
    assert alarm.event.t == 45.1


def test_a_start_before_the_onset_does_not_detect_it() -> None:
    score = score_scenario("c", [COVERED], [start("covered", 39.9)], 90.0, LEARN_S)
    assert score.detections[0].delay is None
    assert len(score.false_alarms) == 1


def test_the_wrong_kind_at_the_right_moment_is_a_false_alarm_not_a_detection() -> None:
    score = score_scenario("c", [COVERED], [start("too_dark", 42.0)], 90.0, LEARN_S)
    assert score.detections[0].delay is None
    assert [a.event.event for a in score.false_alarms] == ["too_dark"]


def test_a_second_start_of_the_same_kind_is_a_false_alarm() -> None:
    events = [start("covered", 42.0), end("covered", 47.0), start("covered", 52.0)]
    score = score_scenario("c", [COVERED], events, 90.0, LEARN_S)
    assert score.detections[0].delay == pytest.approx(2.0)
    assert not score.detections[0].ended  # it ended while the lens was still covered
    assert [a.event.t for a in score.false_alarms] == [52.0]


def test_an_event_that_ends_long_after_the_view_is_back_did_not_end() -> None:
    events = [start("covered", 42.0), end("covered", 60.0 + 10.5)]
    assert not score_scenario("c", [COVERED], events, 90.0, LEARN_S).detections[0].ended


def test_motion_and_end_events_are_never_false_alarms() -> None:
    events = [start("motion", 30.0), end("motion", 35.0), end("frozen", 70.0)]
    assert score_scenario("n", [], events, 90.0, LEARN_S).false_alarms == ()


def test_normal_footage_leaves_out_learning_and_each_tampering_with_its_recovery() -> None:
    assert score_scenario("n", [], [], 380.0, LEARN_S).normal_s == pytest.approx(360.0)
    # 90 s - 20 s learning - (40..60 s + 10 s recovery) = 40 s
    assert score_scenario("c", [COVERED], [], 90.0, LEARN_S).normal_s == pytest.approx(40.0)


def test_false_alarms_per_hour_are_counted_over_normal_footage_of_every_scenario() -> None:
    normal = score_scenario(
        "n", [], [start("frozen", 100.0), start("moved", 900.0)], 1800.0 + LEARN_S, LEARN_S
    )
    quiet = score_scenario("q", [], [], 1800.0 + LEARN_S, LEARN_S)
    summary = summarize([normal, quiet])
    assert summary.normal_hours == pytest.approx(1.0)
    assert summary.false_alarms == 2
    assert summary.false_alarms_per_hour == pytest.approx(2.0)
    assert summary.false_alarms_in_normal_footage == 2
    assert {row.kind: row.false_alarms for row in summary.kinds} == {"frozen": 1, "moved": 1}
    assert summary.missed_goals() == ["2 false alarms in 1.00 h (2.00 per hour)"]


def test_the_summary_gives_detected_of_total_and_the_median_and_worst_delay_per_kind() -> None:
    scores = [
        score_scenario(f"c{i}", [COVERED], [start("covered", 40.0 + delay)], 90.0, LEARN_S)
        for i, delay in enumerate([1.0, 2.0, 4.0])
    ]
    scores.append(score_scenario("c-missed", [COVERED], [], 90.0, LEARN_S))
    [row] = summarize(scores).kinds
    assert (row.kind, row.detected, row.total) == ("covered", 3, 4)
    assert row.median_delay == pytest.approx(2.0)
    assert row.worst_delay == pytest.approx(4.0)
    assert summarize(scores).missed_goals() == ["covered: 1 of 4 not detected within 5 s"]


def test_every_label_detected_and_no_false_alarm_meets_the_goals() -> None:
    score = score_scenario("c", [COVERED], [start("covered", 44.9)], 90.0, LEARN_S)
    assert summarize([score]).missed_goals() == []


def test_false_alarms_during_a_tampering_are_told_apart_from_those_in_normal_footage() -> None:
    events = [start("moved", 42.0), start("frozen", 80.0)]
    summary = summarize([score_scenario("c", [COVERED], events, 90.0, LEARN_S)])
    assert summary.false_alarms == 2
    assert summary.false_alarms_in_normal_footage == 1
