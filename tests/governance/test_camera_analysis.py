"""IT's analysis settings per camera (R-2.3): validated, audited with before and after, only
for the zones a person manages; bad input changes nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from camwarden.analysis.mask import MASK_CELLS
from camwarden.errors import Forbidden, InvalidInput, NotFound
from camwarden.governance.authorization import Actor
from camwarden.governance.roles import Role
from camwarden.installation import Installation
from camwarden.storage.models import AuditEntry
from tests.governance.test_cameras import create_camera, it_staff, last_audit, stored_row

FLAG_CORNER = "1" * 2 + "0" * (MASK_CELLS - 2)


def yard_camera(installation: Installation, admin: Actor) -> int:
    """The yard zone with one camera, a draft."""
    with installation.database.transaction() as session:
        zone = installation.zones.create(
            session,
            admin,
            name="Sân trường",
            kind="yard",
            purposes=["security"],
            responsible_unit="Tổ bảo vệ",
        )
    return create_camera(installation, admin, zone.id).id


@pytest.fixture
def camera_id(installation: Installation, admin: Actor) -> int:
    return yard_camera(installation, admin)


def audit_count(installation: Installation) -> int:
    with installation.database.reading() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_it_sets_a_mask_and_sensitivities_and_the_change_is_audited_with_before_and_after(
    installation: Installation, camera_id: int
) -> None:
    with installation.database.transaction() as session:
        installation.cameras.set_analysis(
            session,
            it_staff(),
            camera_id,
            analysis_mask=FLAG_CORNER,
            tamper_sensitivity="high",
            motion_sensitivity="low",
        )
    row = stored_row(installation, camera_id)
    assert (row["analysis_mask"], row["tamper_sensitivity"], row["motion_sensitivity"]) == (
        FLAG_CORNER,
        "high",
        "low",
    )
    entry = last_audit(installation)
    assert (entry.action, entry.actor, entry.target_id) == (
        "camera.analysis_settings",
        "cntt",
        str(camera_id),
    )
    changes = json.loads(entry.details)["changes"]
    assert changes == {
        "analysis_mask": ["", FLAG_CORNER],
        "tamper_sensitivity": ["normal", "high"],
        "motion_sensitivity": ["normal", "low"],
    }


def test_only_what_is_given_changes_and_no_change_writes_no_audit_entry(
    installation: Installation, camera_id: int
) -> None:
    with installation.database.transaction() as session:
        installation.cameras.set_analysis(session, it_staff(), camera_id, analysis_mask=FLAG_CORNER)
    before = audit_count(installation)
    with installation.database.transaction() as session:
        installation.cameras.set_analysis(
            session, it_staff(), camera_id, tamper_sensitivity="normal"
        )
    assert audit_count(installation) == before
    assert stored_row(installation, camera_id)["analysis_mask"] == FLAG_CORNER


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("analysis_mask", "101", "101"),
        ("analysis_mask", "1" * MASK_CELLS, "whole picture"),
        ("tamper_sensitivity", "extreme", "extreme"),
        ("motion_sensitivity", "", "low, normal, high"),
    ],
)
def test_bad_input_is_refused_naming_it_and_nothing_changes(
    installation: Installation, camera_id: int, field: str, value: str, words: str
) -> None:
    before, audits = stored_row(installation, camera_id), audit_count(installation)
    good = {"analysis_mask": FLAG_CORNER, "tamper_sensitivity": "high"}
    with pytest.raises(InvalidInput) as refused, installation.database.transaction() as session:
        installation.cameras.set_analysis(session, it_staff(), camera_id, **{**good, field: value})
    assert refused.value.field == field
    assert words in str(refused.value)
    assert stored_row(installation, camera_id) == before
    assert audit_count(installation) == audits


def test_only_people_managing_the_cameras_zone_may_change_its_analysis(
    installation: Installation, camera_id: int
) -> None:
    with installation.database.reading() as session:
        zone_id = installation.cameras.get(session, it_staff(), camera_id).zone_id
    guard = Actor(
        user_id=None, username="bao.ve", role=Role.SECURITY, all_zones=True, zone_ids=frozenset()
    )
    with pytest.raises(Forbidden), installation.database.transaction() as session:
        installation.cameras.set_analysis(session, guard, camera_id, tamper_sensitivity="low")
    other_zone_it = it_staff({zone_id + 1000})
    with pytest.raises(NotFound), installation.database.transaction() as session:
        installation.cameras.set_analysis(
            session, other_zone_it, camera_id, tamper_sensitivity="low"
        )
    assert stored_row(installation, camera_id)["tamper_sensitivity"] == "normal"
