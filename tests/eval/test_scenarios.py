"""The drawn scenarios are what the evaluation claims: an hour of ordinary life, every kind."""

from __future__ import annotations

from eval.scenarios import (
    DEVELOPMENT_SEED,
    LEARN_S,
    PER_KIND,
    TAMPER_KINDS,
    draw_scenarios,
)


def test_normal_clips_hold_over_an_hour_of_ordinary_life_with_every_false_alarm_cause() -> None:
    normal = [s for s in draw_scenarios(DEVELOPMENT_SEED) if s.label is None]
    assert sum(s.seconds - LEARN_S for s in normal) >= 3600
    causes = {h.cause for s in normal for h in s.happenings}
    assert causes == {"person", "lights", "ir_switch", "cloud"}
    assert any(s.daylight_end != 1.0 for s in normal)
    assert len({s.encoding.noise for s in normal}) == len(normal)


def test_each_tamper_kind_has_its_scenarios_on_different_scenes_onsets_and_strengths() -> None:
    scenarios = draw_scenarios(DEVELOPMENT_SEED)
    for kind in TAMPER_KINDS:
        of_kind = [s for s in scenarios if s.label is not None and s.label.kind == kind]
        assert len(of_kind) == PER_KIND
        assert len({s.scene.name for s in of_kind}) > PER_KIND // 2
        onsets = [s.label.onset - LEARN_S for s in of_kind if s.label]
        assert max(onsets) - min(onsets) > 10.0
        assert len({s.label.strength for s in of_kind if s.label}) == PER_KIND
        assert all(s.label and LEARN_S < s.label.onset < s.label.end < s.seconds for s in of_kind)


def test_another_seed_draws_other_scenarios_and_the_same_seed_the_same() -> None:
    development = draw_scenarios(DEVELOPMENT_SEED)
    assert draw_scenarios(DEVELOPMENT_SEED) == development
    assert draw_scenarios(DEVELOPMENT_SEED + 1) != development
