"""Masks and sensitivities: validated with a clear message, turned into pixels and thresholds."""

from __future__ import annotations

import pytest

from camwarden.analysis.detectors import Thresholds
from camwarden.analysis.mask import MASK_CELLS, keep_pixels, mask_cells, parse_mask
from camwarden.analysis.sensitivity import parse_sensitivity
from camwarden.errors import InvalidInput

TOP_LEFT = "1" + "0" * (MASK_CELLS - 1)


def test_an_empty_mask_and_a_mask_ignoring_nothing_are_both_stored_empty() -> None:
    assert parse_mask("") == ""
    assert parse_mask("0" * MASK_CELLS) == ""


def test_a_mask_may_be_typed_as_rows_separated_by_slashes_or_lines() -> None:
    rows = ["1100000000000000"] + ["0" * 16] * 8
    assert parse_mask("/".join(rows)) == "".join(rows)
    assert parse_mask("\n".join(rows)) == "".join(rows)


@pytest.mark.parametrize("bad", ["1", "2" * MASK_CELLS, "1" * (MASK_CELLS + 1), "abc"])
def test_a_mask_of_the_wrong_size_or_characters_is_refused_naming_it(bad: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_mask(bad)
    assert refused.value.field == "analysis_mask"
    assert bad[:10] in str(refused.value)


def test_a_mask_ignoring_the_whole_picture_is_refused() -> None:
    with pytest.raises(InvalidInput, match="whole picture"):
        parse_mask("1" * MASK_CELLS)


def test_a_masked_cell_is_ignored_over_its_twentieth_of_the_picture() -> None:
    keep = keep_pixels(TOP_LEFT, 320, 180)
    assert keep is not None and keep.shape == (180, 320)
    assert not keep[:20, :20].any()
    assert keep[20:, :].all() and keep[:, 20:].all()
    assert keep_pixels("", 320, 180) is None
    assert mask_cells(TOP_LEFT)[0][:2] == [True, False]


def test_a_higher_tamper_sensitivity_raises_on_weaker_evidence_for_every_kind() -> None:
    low, normal, high = (Thresholds.at(level) for level in ("low", "normal", "high"))
    for name in ("covered", "defocus", "moved", "frozen_noise_fraction"):
        assert getattr(low, name) < getattr(normal, name) < getattr(high, name), name
    for name in ("dark_fraction", "bright_fraction"):
        assert getattr(low, name) > getattr(normal, name) > getattr(high, name), name
    for limits in (low, normal, high):  # the same hysteresis at every level
        assert limits.covered_end - limits.covered == pytest.approx(0.2)
        assert limits.moved_end - limits.moved == pytest.approx(0.2)


def test_an_unknown_sensitivity_is_refused_listing_the_levels() -> None:
    with pytest.raises(InvalidInput, match="low, normal, high"):
        parse_sensitivity("medium", field="tamper_sensitivity")
