import json
from typing import Any

import pytest
from sqlalchemy import func, select

from camwarden.errors import Conflict, Forbidden, InvalidInput, NotFound
from camwarden.governance.authorization import Actor
from camwarden.governance.roles import Role
from camwarden.governance.zones import Purpose, purposes_of
from camwarden.installation import Installation
from camwarden.storage.models import AuditEntry, Zone


def counts(installation: Installation) -> tuple[int, int]:
    with installation.database.reading() as session:
        zones = session.scalar(select(func.count()).select_from(Zone))
        audit = session.scalar(select(func.count()).select_from(AuditEntry))
        return int(zones or 0), int(audit or 0)


def last_audit(installation: Installation) -> AuditEntry:
    with installation.database.reading() as session:
        entry = session.scalar(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1))
        assert entry is not None
        return entry


def create_zone(installation: Installation, actor: Actor, **fields: Any) -> Zone:
    values: dict[str, Any] = {
        "name": "Cổng trường",
        "kind": "gate",
        "purposes": ["security"],
        "responsible_unit": "Tổ bảo vệ",
        **fields,
    }
    with installation.database.transaction() as session:
        return installation.zones.create(session, actor, **values)


def guard_of(zone_ids: set[int]) -> Actor:
    return Actor(
        user_id=None,
        username="baove1",
        role=Role.SECURITY,
        all_zones=False,
        zone_ids=frozenset(zone_ids),
    )


def test_a_zone_is_created_with_its_kind_purposes_and_assignees(
    installation: Installation, admin: Actor
) -> None:
    zone = create_zone(
        installation,
        admin,
        kind="classroom",
        purposes=["teaching", "security", "teaching"],
        description="Lớp 5A, tầng 2",
        assignee_ids=[admin.user_id],
    )
    with installation.database.reading() as session:
        stored = installation.zones.get(session, admin, zone.id)
        assert stored.name == "Cổng trường"
        assert purposes_of(stored) == [Purpose.TEACHING, Purpose.SECURITY]
        assert [user.id for user in stored.assignees] == [admin.user_id]
    entry = last_audit(installation)
    assert (entry.action, entry.target_id) == ("zone.create", str(zone.id))
    assert json.loads(entry.details)["name"] == "Cổng trường"


def test_a_name_of_exactly_120_characters_is_accepted(
    installation: Installation, admin: Actor
) -> None:
    assert create_zone(installation, admin, name="Đ" * 120).name == "Đ" * 120


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"name": "Cổng\x00trường"}, "name"),
        ({"kind": "kitchen"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"purposes": []}, "purposes"),
        ({"purposes": ["spying"]}, "purposes"),
        ({"responsible_unit": ""}, "responsible_unit"),
        ({"responsible_unit": "x" * 201}, "responsible_unit"),
        ({"description": "x" * 2001}, "description"),
        ({"assignee_ids": [999]}, "assignee_ids"),
    ],
)
def test_bad_zone_input_names_the_field_and_writes_nothing(
    installation: Installation, admin: Actor, fields: dict[str, Any], field: str
) -> None:
    before = counts(installation)
    with pytest.raises(InvalidInput) as caught:
        create_zone(installation, admin, **fields)
    assert caught.value.field == field
    assert counts(installation) == before


@pytest.mark.parametrize(
    ("existing", "duplicate"),
    [("Sân trường", "SÂN TRƯỜNG"), ("ĐIỂM ĐỖ XE", "điểm đỗ xe")],
)
def test_zone_names_are_unique_whatever_their_case(
    installation: Installation, admin: Actor, existing: str, duplicate: str
) -> None:
    create_zone(installation, admin, name=existing)
    before = counts(installation)
    with pytest.raises(Conflict):
        create_zone(installation, admin, name=duplicate)
    assert counts(installation) == before


def test_only_zone_managers_create_zones(installation: Installation) -> None:
    with pytest.raises(Forbidden):
        create_zone(installation, guard_of(set()))
    assert counts(installation) == (0, 0)


def test_an_update_records_what_changed_and_a_no_op_records_nothing(
    installation: Installation, admin: Actor
) -> None:
    zone = create_zone(installation, admin)
    with installation.database.transaction() as session:
        installation.zones.update(session, admin, zone.id, name="Cổng chính", kind="gate")
    entry = last_audit(installation)
    assert entry.action == "zone.update"
    assert json.loads(entry.details) == {"changes": {"name": ["Cổng trường", "Cổng chính"]}}
    before = counts(installation)
    with installation.database.transaction() as session:
        installation.zones.update(session, admin, zone.id, name="Cổng chính")
    assert counts(installation) == before


def test_renaming_a_zone_onto_another_is_a_conflict(
    installation: Installation, admin: Actor
) -> None:
    create_zone(installation, admin, name="Sân trường")
    zone = create_zone(installation, admin)
    with pytest.raises(Conflict), installation.database.transaction() as session:
        installation.zones.update(session, admin, zone.id, name="sân trường")


def test_an_empty_zone_can_be_deleted_and_the_deletion_is_audited(
    installation: Installation, admin: Actor
) -> None:
    zone = create_zone(installation, admin)
    with installation.database.transaction() as session:
        installation.zones.delete(session, admin, zone.id)
    assert counts(installation)[0] == 0
    entry = last_audit(installation)
    assert (entry.action, json.loads(entry.details)["name"]) == ("zone.delete", "Cổng trường")


def test_a_zone_with_cameras_cannot_be_deleted(installation: Installation, admin: Actor) -> None:
    zone = create_zone(installation, admin)
    with installation.database.transaction() as session:
        installation.cameras.create(
            session, admin, name="Cổng 1", zone_id=zone.id, main_url="rtsp://10.0.0.5/ch1"
        )
    before = counts(installation)
    with pytest.raises(Conflict) as caught, installation.database.transaction() as session:
        installation.zones.delete(session, admin, zone.id)
    assert caught.value.params["count"] == 1
    assert counts(installation) == before


def test_zone_scoped_people_see_only_their_zones(installation: Installation, admin: Actor) -> None:
    gate = create_zone(installation, admin, name="Cổng trường")
    yard = create_zone(installation, admin, name="Sân trường", kind="yard")
    guard = guard_of({gate.id})
    with installation.database.reading() as session:
        assert [zone.name for zone in installation.zones.list(session, guard)] == ["Cổng trường"]
        assert installation.zones.get(session, guard, gate.id).id == gate.id
        with pytest.raises(NotFound):
            installation.zones.get(session, guard, yard.id)
        assert len(installation.zones.list(session, admin)) == 2


def test_an_unknown_zone_is_not_found(installation: Installation, admin: Actor) -> None:
    with installation.database.reading() as session, pytest.raises(NotFound):
        installation.zones.get(session, admin, 999)
