from __future__ import annotations

from datetime import UTC, datetime

from camwarden.governance.tracking import (
    new_tracking_code,
    next_reference,
    normalise_tracking_code,
    tracking_hash,
)
from camwarden.installation import Installation
from camwarden.storage.models import Incident


def test_a_tracking_code_is_three_groups_of_four_unambiguous_characters() -> None:
    code = new_tracking_code()
    groups = code.split("-")
    assert [len(g) for g in groups] == [4, 4, 4]
    assert not set(code) & set("01OIL")


def test_fresh_codes_differ() -> None:
    assert len({new_tracking_code() for _ in range(200)}) == 200


def test_a_code_typed_in_lower_case_with_spaces_hashes_like_the_original() -> None:
    code = new_tracking_code()
    typed = " " + code.lower().replace("-", " ") + " "
    assert normalise_tracking_code(typed) == code.replace("-", "")
    assert tracking_hash(typed) == tracking_hash(code)
    assert tracking_hash(code) != tracking_hash(new_tracking_code())


def test_references_count_up_within_a_year_and_start_again_the_next(
    installation: Installation,
) -> None:
    at = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
    with installation.database.transaction() as session:
        first = next_reference(session, Incident.reference, "SV", at)
        assert first == "SV-2026-0001"
        session.add(
            Incident(
                reference=first,
                title="t",
                description="",
                occurred_at=at,
                location="",
                source_kind="manual",
                status="open",
                opened_by="x",
                opened_at=at,
            )
        )
        session.flush()
        assert next_reference(session, Incident.reference, "SV", at) == "SV-2026-0002"
        next_year = at.replace(year=2027)
        assert next_reference(session, Incident.reference, "SV", next_year) == "SV-2027-0001"
