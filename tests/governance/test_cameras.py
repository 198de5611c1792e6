import json
from typing import Any

import pytest
from sqlalchemy import func, select, text

from camwarden.errors import Conflict, Forbidden, InvalidInput, NotFound
from camwarden.governance.accounts import actor_for
from camwarden.governance.authorization import Actor
from camwarden.governance.roles import Role
from camwarden.governance.stream_urls import parse_stream_url
from camwarden.installation import Installation
from camwarden.storage.models import AuditEntry, Camera


def counts(installation: Installation) -> tuple[int, int]:
    with installation.database.reading() as session:
        cameras = session.scalar(select(func.count()).select_from(Camera))
        audit = session.scalar(select(func.count()).select_from(AuditEntry))
        return int(cameras or 0), int(audit or 0)


def last_audit(installation: Installation) -> AuditEntry:
    with installation.database.reading() as session:
        entry = session.scalar(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1))
        assert entry is not None
        return entry


@pytest.fixture
def zones(installation: Installation, admin: Actor) -> dict[str, int]:
    made = {}
    with installation.database.transaction() as session:
        for name, kind in (("Cổng trường", "gate"), ("Phòng tài chính", "finance_room")):
            zone = installation.zones.create(
                session,
                admin,
                name=name,
                kind=kind,
                purposes=["security"],
                responsible_unit="Tổ bảo vệ",
            )
            made[kind] = zone.id
    return made


def create_camera(installation: Installation, actor: Actor, zone_id: int, **fields: Any) -> Camera:
    values: dict[str, Any] = {
        "name": "Cổng 1",
        "main_url": "rtsp://10.0.0.5:554/Streaming/Channels/101",
        **fields,
    }
    with installation.database.transaction() as session:
        return installation.cameras.create(session, actor, zone_id=zone_id, **values)


def it_staff(zone_ids: set[int] | None = None) -> Actor:
    return Actor(
        user_id=None,
        username="cntt",
        role=Role.IT,
        all_zones=zone_ids is None,
        zone_ids=frozenset(zone_ids or ()),
    )


def stored_row(installation: Installation, camera_id: int) -> dict[str, Any]:
    with installation.database.reading() as session:
        row = session.execute(text("SELECT * FROM cameras WHERE id = :id"), {"id": camera_id})
        return dict(row.mappings().one())


def test_a_camera_starts_as_a_draft_and_its_creation_is_audited(
    installation: Installation, admin: Actor, zones: dict[str, int]
) -> None:
    camera = create_camera(installation, admin, zones["gate"], sub_url="rtsp://10.0.0.5/102")
    assert camera.state == "draft"
    assert not camera.in_service_by_override
    assert camera.credentials_encrypted is None
    assert camera.sub_url == "rtsp://10.0.0.5/102"
    entry = last_audit(installation)
    assert (entry.action, entry.target_id) == ("camera.create", str(camera.id))
    assert json.loads(entry.details)["zone"] == "Cổng trường"


def test_credentials_in_the_address_are_sealed_and_stripped_from_it(
    installation: Installation, admin: Actor, zones: dict[str, int]
) -> None:
    camera = create_camera(
        installation, admin, zones["gate"], main_url="rtsp://admin:12345@10.0.0.5/ch1"
    )
    assert camera.main_url == "rtsp://10.0.0.5/ch1"
    assert installation.cameras.credentials(camera) == ("admin", "12345")
    row = stored_row(installation, camera.id)
    assert row["main_url"] == "rtsp://10.0.0.5/ch1"
    assert "12345" not in row["credentials_encrypted"]
    assert "admin" not in row["credentials_encrypted"]
    with installation.database.reading() as session:
        every_detail = session.scalars(select(AuditEntry.details)).all()
    assert all("12345" not in details for details in every_detail)


def test_percent_encoded_credentials_are_decoded_before_sealing(
    installation: Installation, admin: Actor, zones: dict[str, int]
) -> None:
    camera = create_camera(
        installation, admin, zones["gate"], main_url="rtsp://bao%20ve:p%40ss%3Aw0rd@cam.local/s"
    )
    assert camera.main_url == "rtsp://cam.local/s"
    assert installation.cameras.credentials(camera) == ("bao ve", "p@ss:w0rd")


def test_credentials_given_apart_win_over_those_in_the_address(
    installation: Installation, admin: Actor, zones: dict[str, int]
) -> None:
    camera = create_camera(
        installation,
        admin,
        zones["gate"],
        main_url="rtsp://admin:12345@10.0.0.5/ch1",
        username="camwarden",
        password="Mật-khẩu-mới-9",
    )
    assert installation.cameras.credentials(camera) == ("camwarden", "Mật-khẩu-mới-9")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("RTSP://10.0.0.5:554/a?channel=1", "rtsp://10.0.0.5:554/a?channel=1"),
        ("rtsps://cam.example/live#frag", "rtsps://cam.example/live"),
        ("rtsp://[fe80::1]:8554/s", "rtsp://[fe80::1]:8554/s"),
        ("  rtsp://10.0.0.5/ch1  ", "rtsp://10.0.0.5/ch1"),
    ],
)
def test_stream_addresses_are_normalised(url: str, expected: str) -> None:
    assert parse_stream_url(url, field="main_url").url == expected


@pytest.mark.parametrize(
    "url",
    [
        "",
        "http://x",
        "rtsp://",
        "rtsp:///path",
        "rtsp://host:99999/",
        "rtsp://host:port/",
        "rtsp://10.0.0.5/a b",
        " rtsp://10.0.0.5/\tch1",
        "10.0.0.5:554",
        "rtsp://[fe80::1/s",
        "rtsp://10.0.0.5/" + "x" * 500,
    ],
)
def test_unusable_stream_addresses_are_refused_and_nothing_is_written(
    installation: Installation, admin: Actor, zones: dict[str, int], url: str
) -> None:
    before = counts(installation)
    with pytest.raises(InvalidInput) as caught:
        create_camera(installation, admin, zones["gate"], main_url=url)
    assert caught.value.field == "main_url"
    with pytest.raises(InvalidInput) as caught:
        create_camera(installation, admin, zones["gate"], sub_url=url or "http://x")
    assert caught.value.field == "sub_url"
    assert counts(installation) == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"position_notes": "x" * 2001}, "position_notes"),
        ({"username": "x" * 101}, "username"),
        ({"password": "x" * 201}, "password"),
    ],
)
def test_bad_camera_input_names_the_field_and_writes_nothing(
    installation: Installation,
    admin: Actor,
    zones: dict[str, int],
    fields: dict[str, Any],
    field: str,
) -> None:
    before = counts(installation)
    with pytest.raises(InvalidInput) as caught:
        create_camera(installation, admin, zones["gate"], **fields)
    assert caught.value.field == field
    assert counts(installation) == before


def test_a_camera_in_an_unknown_zone_is_refused(installation: Installation, admin: Actor) -> None:
    with pytest.raises(InvalidInput) as caught:
        create_camera(installation, admin, 999)
    assert caught.value.field == "zone_id"
    assert counts(installation)[0] == 0


@pytest.mark.parametrize(("existing", "duplicate"), [("Cổng 1", "CỔNG 1"), ("KÉT SẮT", "két sắt")])
def test_camera_names_are_unique_whatever_their_case(
    installation: Installation, admin: Actor, zones: dict[str, int], existing: str, duplicate: str
) -> None:
    create_camera(installation, admin, zones["gate"], name=existing)
    before = counts(installation)
    with pytest.raises(Conflict):
        create_camera(installation, admin, zones["finance_room"], name=duplicate)
    assert counts(installation) == before


def test_an_administrator_puts_a_draft_in_service_only_with_a_reason(
    installation: Installation, admin: Actor, zones: dict[str, int]
) -> None:
    camera = create_camera(installation, admin, zones["gate"])
    before = counts(installation)
    with pytest.raises(InvalidInput) as caught, installation.database.transaction() as session:
        installation.cameras.set_state(session, admin, camera.id, "in_service", reason="  ")
    assert caught.value.field == "reason"
    assert counts(installation) == before
    with installation.database.transaction() as session:
        changed = installation.cameras.set_state(
            session, admin, camera.id, "in_service", reason="Nhà cung cấp đã kiểm tra"
        )
    assert (changed.state, changed.in_service_by_override) == ("in_service", True)
    entry = last_audit(installation)
    assert entry.action == "camera.override_in_service"
    assert json.loads(entry.details) == {
        "from": "draft",
        "to": "in_service",
        "reason": "Nhà cung cấp đã kiểm tra",
    }


def test_it_staff_cannot_put_a_camera_in_service_without_inspection(
    installation: Installation, admin: Actor, zones: dict[str, int]
) -> None:
    camera = create_camera(installation, admin, zones["gate"])
    before = counts(installation)
    with pytest.raises(Forbidden), installation.database.transaction() as session:
        installation.cameras.set_state(session, it_staff(), camera.id, "in_service", reason="OK")
    assert counts(installation) == before
    with installation.database.transaction() as session:
        installation.cameras.set_state(session, it_staff(), camera.id, "out_of_service")
    assert last_audit(installation).action == "camera.state_change"


@pytest.mark.parametrize(
    ("path", "refused", "error"),
    [
        (["in_service"], "draft", Conflict),
        (["out_of_service"], "draft", Conflict),
        (["out_of_service"], "out_of_service", Conflict),
        ([], "broken", InvalidInput),
    ],
)
def test_a_camera_moves_only_along_the_allowed_states(
    installation: Installation,
    admin: Actor,
    zones: dict[str, int],
    path: list[str],
    refused: str,
    error: type[Exception],
) -> None:
    camera = create_camera(installation, admin, zones["gate"])
    for state in path:
        with installation.database.transaction() as session:
            installation.cameras.set_state(session, admin, camera.id, state, reason="Thử")
    before = counts(installation)
    with pytest.raises(error), installation.database.transaction() as session:
        installation.cameras.set_state(session, admin, camera.id, refused, reason="Thử")
    assert counts(installation) == before


def test_a_camera_in_service_cannot_be_deleted_until_taken_out(
    installation: Installation, admin: Actor, zones: dict[str, int]
) -> None:
    camera = create_camera(installation, admin, zones["gate"])
    with installation.database.transaction() as session:
        installation.cameras.set_state(session, admin, camera.id, "in_service", reason="Thử")
    with pytest.raises(Conflict), installation.database.transaction() as session:
        installation.cameras.delete(session, admin, camera.id)
    with installation.database.transaction() as session:
        installation.cameras.set_state(session, admin, camera.id, "out_of_service")
        installation.cameras.delete(session, admin, camera.id)
    assert counts(installation)[0] == 0
    assert last_audit(installation).action == "camera.delete"


def test_zone_scoped_staff_see_and_manage_only_their_zones_cameras(
    installation: Installation, admin: Actor, zones: dict[str, int]
) -> None:
    gate = create_camera(installation, admin, zones["gate"], name="Cổng 1")
    money = create_camera(installation, admin, zones["finance_room"], name="Két sắt")
    scoped = it_staff({zones["gate"]})
    with installation.database.reading() as session:
        assert [c.name for c in installation.cameras.list(session, scoped)] == ["Cổng 1"]
        assert installation.cameras.get(session, scoped, gate.id).id == gate.id
        # A camera outside one's zones is reported as absent, not as forbidden.
        with pytest.raises(NotFound):
            installation.cameras.get(session, scoped, money.id)
    before = counts(installation)
    with pytest.raises(NotFound), installation.database.transaction() as session:
        installation.cameras.update(session, scoped, money.id, name="Két")
    with pytest.raises(NotFound), installation.database.transaction() as session:
        installation.cameras.delete(session, scoped, money.id)
    with pytest.raises(Forbidden):
        create_camera(installation, scoped, zones["finance_room"], name="Két 2")
    with pytest.raises(Forbidden), installation.database.transaction() as session:
        installation.cameras.update(session, scoped, gate.id, zone_id=zones["finance_room"])
    assert counts(installation) == before


def test_people_without_camera_rights_cannot_list_cameras(
    installation: Installation, admin: Actor
) -> None:
    teacher = Actor(
        user_id=None, username="gv", role=Role.STAFF, all_zones=True, zone_ids=frozenset()
    )
    with installation.database.reading() as session, pytest.raises(Forbidden):
        installation.cameras.list(session, teacher)


def test_an_update_audits_changed_credentials_without_their_values(
    installation: Installation, admin: Actor, zones: dict[str, int]
) -> None:
    camera = create_camera(installation, admin, zones["gate"])
    with installation.database.transaction() as session:
        updated = installation.cameras.update(
            session,
            admin,
            camera.id,
            main_url="rtsp://admin:Bi-mat-77@10.0.0.6/ch1",
            sub_url="",
            position_notes="Cột đèn bên trái cổng",
        )
    assert updated.main_url == "rtsp://10.0.0.6/ch1"
    assert installation.cameras.credentials(updated) == ("admin", "Bi-mat-77")
    entry = last_audit(installation)
    assert entry.action == "camera.update"
    changes = json.loads(entry.details)["changes"]
    assert changes["credentials"] == "changed"
    assert changes["main_url"] == [
        "rtsp://10.0.0.5:554/Streaming/Channels/101",
        "rtsp://10.0.0.6/ch1",
    ]
    assert "Bi-mat-77" not in entry.details


def test_an_update_without_changes_is_not_audited(
    installation: Installation, admin: Actor, zones: dict[str, int]
) -> None:
    camera = create_camera(installation, admin, zones["gate"])
    before = counts(installation)
    with installation.database.transaction() as session:
        installation.cameras.update(session, admin, camera.id, name="Cổng 1")
    assert counts(installation) == before


def test_the_camera_register_works_for_a_real_it_account(
    installation: Installation, admin: Actor, zones: dict[str, int]
) -> None:
    with installation.database.transaction() as session:
        user = installation.accounts.create(
            session,
            admin,
            username="cntt",
            full_name="Phạm Minh Tin",
            role="it",
            all_zones=False,
            zone_ids=[zones["gate"]],
        ).user
    camera = create_camera(installation, actor_for(user), zones["gate"])
    assert last_audit(installation).actor == "cntt"
    with installation.database.reading() as session:
        assert installation.cameras.get(session, actor_for(user), camera.id).name == "Cổng 1"


@pytest.mark.parametrize(
    "address",
    [
        "rtsp://root:Secret99@10.0.0.5:99999/ch1",
        "http://root:Secret99@10.0.0.5/ch1",
        "rtsp://root:Sec ret99@10.0.0.5/ch1",
    ],
)
def test_an_invalid_address_is_refused_without_repeating_the_password_in_it(
    address: str,
) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_stream_url(address, field="main_url")
    assert "Secret99" not in refused.value.render() and "Sec ret99" not in refused.value.render()
    assert "***@" in refused.value.render()
