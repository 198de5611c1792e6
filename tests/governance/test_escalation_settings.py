"""The school's own escalation limits from the settings file's [escalation] section."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from camwarden.config import load_settings
from camwarden.errors import InvalidInput
from camwarden.governance.alerts import Severity
from camwarden.governance.escalation import (
    DEFAULT_POLICY,
    EscalationLimits,
    policy_from_settings,
)


def test_without_an_escalation_section_the_limits_are_the_default_policy(tmp_path: Path) -> None:
    assert policy_from_settings(load_settings(tmp_path, {}).escalation) == DEFAULT_POLICY


def test_the_section_sets_minutes_per_severity_and_zero_means_never(tmp_path: Path) -> None:
    (tmp_path / "camwarden.toml").write_text(
        "[escalation]\n"
        "critical_to_security_lead_minutes = 0.1\n"
        "critical_to_board_minutes = 0.25\n"
        "high_to_board_minutes = 0\n"
        "tamper_to_board_at_once = true\n",
        encoding="utf-8",
    )
    policy = policy_from_settings(load_settings(tmp_path, {}).escalation)
    assert policy.by_severity[Severity.CRITICAL] == EscalationLimits(
        timedelta(seconds=6), timedelta(seconds=15)
    )
    assert policy.by_severity[Severity.HIGH] == EscalationLimits(timedelta(minutes=5), None)
    assert policy.tamper_to_board_at_once


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("high_to_board_minutes = -1", "at least 0"),
        ("high_to_board = 5", "unknown"),
        ("tamper_to_board_at_once = 1", "of type bool"),
    ],
)
def test_a_wrong_escalation_setting_is_refused_with_its_name(
    tmp_path: Path, line: str, words: str
) -> None:
    (tmp_path / "camwarden.toml").write_text(f"[escalation]\n{line}\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        load_settings(tmp_path, {})
    assert words in refused.value.render()
    assert "[escalation]" in refused.value.render()


def test_a_zone_kind_shortens_its_own_limits_and_keeps_the_rest(tmp_path: Path) -> None:
    (tmp_path / "camwarden.toml").write_text(
        "[escalation]\n"
        "high_to_board_minutes = 20\n"
        "[escalation.zones.finance_room]\n"
        "high_to_security_lead_minutes = 1\n",
        encoding="utf-8",
    )
    policy = policy_from_settings(load_settings(tmp_path, {}).escalation)
    finance = policy.by_zone_kind["finance_room"]
    assert finance[Severity.HIGH] == EscalationLimits(timedelta(minutes=1), timedelta(minutes=20))
    assert finance[Severity.CRITICAL] == policy.by_severity[Severity.CRITICAL]
    assert "gate" not in policy.by_zone_kind


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ("[escalation.zones.kitchen]\nhigh_to_board_minutes = 1", "kitchen"),
        ("[escalation.zones.gate]\ntamper_to_board_at_once = true", "unknown"),
        ("[escalation.zones.gate]\nhigh_to_board_minutes = -2", "at least 0"),
    ],
)
def test_a_wrong_zone_escalation_is_refused_with_its_name(
    tmp_path: Path, table: str, words: str
) -> None:
    (tmp_path / "camwarden.toml").write_text(table + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        load_settings(tmp_path, {})
    assert words in refused.value.render()
