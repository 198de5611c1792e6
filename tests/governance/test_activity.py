"""Who may read motion activity, and what a search answers (issue 4, R-4.1, R-4.4).

Activity is seeded through the real writer (`record`), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from camwarden.errors import Forbidden, InvalidInput, NotFound
from camwarden.governance.activity import (
    ActivityLevel,
    ActivityQuery,
    hours_text,
    parse_hours,
    parse_level,
)
from camwarden.governance.authorization import SYSTEM_ACTOR, Actor
from camwarden.governance.roles import Role
from camwarden.installation import Installation
from camwarden.storage.activity import TimeOfDayWindow
from camwarden.storage.models import AuditEntry

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NIGHT = datetime(2026, 3, 2, 23, 0, tzinfo=HANOI)


def add_zone_with_camera(inst: Installation, zone_name: str, kind: str, camera: str) -> int:
    with inst.database.transaction() as session:
        zone = inst.zones.create(
            session,
            SYSTEM_ACTOR,
            name=zone_name,
            kind=kind,
            purposes=["security"],
            responsible_unit="Tổ bảo vệ",
        )
        return inst.cameras.create(
            session, SYSTEM_ACTOR, name=camera, zone_id=zone.id, main_url="rtsp://10.0.0.7/1"
        ).id


def zone_of(inst: Installation, camera_id: int) -> int:
    with inst.database.reading() as session:
        return inst.cameras.get(session, SYSTEM_ACTOR, camera_id).zone_id


def person(role: Role, zone_ids: set[int] | None = None) -> Actor:
    return Actor(
        user_id=None,
        username=role.value,
        role=role,
        all_zones=zone_ids is None,
        zone_ids=frozenset(zone_ids or ()),
    )


def walk(inst: Installation, camera_id: int, start: datetime, seconds: int, level: float) -> None:
    for offset in range(0, seconds, 2):
        inst.activity.record(camera_id, start + timedelta(seconds=offset), level)
    inst.activity.flush()


@pytest.fixture
def school(installation: Installation) -> dict[str, int]:
    """Two cameras in two zones, each with a walk through at 23:00 on 2 March."""
    cameras = {
        "finance": add_zone_with_camera(installation, "Phòng tài vụ", "finance_room", "Két sắt"),
        "gate": add_zone_with_camera(installation, "Cổng trường", "gate", "Cổng 1"),
    }
    for camera_id in cameras.values():
        walk(installation, camera_id, NIGHT, 120, 0.3)
    return cameras


def search(inst: Installation, actor: Actor, **fields: object) -> list[tuple[int, datetime]]:
    query = ActivityQuery(
        start=fields.pop("start", datetime(2026, 3, 1, tzinfo=HANOI)),  # type: ignore[arg-type]
        end=fields.pop("end", datetime(2026, 3, 8, tzinfo=HANOI)),  # type: ignore[arg-type]
        **fields,  # type: ignore[arg-type]
    )
    with inst.database.transaction() as session:
        answer = inst.activity_access.search(session, actor, query)
    return [(period.camera_id, period.start) for period in answer.results.periods]


def test_the_principal_finds_activity_in_every_zone(
    installation: Installation, school: dict[str, int]
) -> None:
    found = search(installation, person(Role.PRINCIPAL))
    assert sorted(found) == sorted((camera_id, NIGHT) for camera_id in school.values())


def test_a_person_scoped_to_one_zone_sees_nothing_of_another_zones_cameras(
    installation: Installation, school: dict[str, int]
) -> None:
    guard = person(Role.SECURITY, {zone_of(installation, school["gate"])})

    assert search(installation, guard) == [(school["gate"], NIGHT)]
    # Asking for the other zone's camera or zone by number: absent, not forbidden.
    with pytest.raises(NotFound):
        search(installation, guard, camera_id=school["finance"])
    with pytest.raises(NotFound):
        search(installation, guard, zone_id=zone_of(installation, school["finance"]))
    with pytest.raises(NotFound):
        search(installation, guard, zone_id=9999)
    with installation.database.reading() as session:
        with pytest.raises(NotFound):
            installation.activity_access.strip(
                session, guard, school["finance"], NIGHT, NIGHT + timedelta(hours=1)
            )
        names = [c.name for c in installation.activity_access.readable_cameras(session, guard)]
    assert names == ["Cổng 1"]


def test_a_zone_search_covers_that_zones_cameras_only(
    installation: Installation, school: dict[str, int]
) -> None:
    found = search(
        installation,
        person(Role.PRINCIPAL),
        zone_id=zone_of(installation, school["finance"]),
    )
    assert found == [(school["finance"], NIGHT)]


def test_roles_that_may_not_play_back_may_not_read_activity(
    installation: Installation, school: dict[str, int]
) -> None:
    # The administrator sees cameras in the register but watches no footage (724/QĐ-BTTTT).
    administrator = person(Role.ADMIN)
    with pytest.raises(Forbidden):
        search(installation, administrator)
    with pytest.raises(Forbidden):
        search(installation, administrator, camera_id=school["gate"])
    with installation.database.reading() as session, pytest.raises(Forbidden):
        installation.activity_access.strip(
            session, administrator, school["gate"], NIGHT, NIGHT + timedelta(hours=1)
        )
    with pytest.raises(Forbidden):
        search(installation, person(Role.STAFF))


def test_a_search_is_written_to_the_audit_log(
    installation: Installation, school: dict[str, int]
) -> None:
    search(
        installation,
        person(Role.PRINCIPAL),
        camera_id=school["finance"],
        hours=TimeOfDayWindow(time(22), time(5)),
        level=ActivityLevel.NOTICEABLE,
    )

    with installation.database.reading() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert entry is not None
    assert (entry.action, entry.target_type, entry.target_id) == (
        "activity.search",
        "camera",
        str(school["finance"]),
    )
    details = json.loads(entry.details)
    assert details["hours"] == "22:00-05:00"
    assert details["level"] == "noticeable"
    assert details["found"] == 1


def test_the_minimum_level_in_words_filters_faint_movement(
    installation: Installation, school: dict[str, int]
) -> None:
    faint = NIGHT + timedelta(hours=2)
    walk(installation, school["gate"], faint, 60, 0.01)
    principal = person(Role.PRINCIPAL)

    anything = search(installation, principal, camera_id=school["gate"])
    noticeable = search(
        installation, principal, camera_id=school["gate"], level=ActivityLevel.NOTICEABLE
    )
    strong = search(installation, principal, camera_id=school["gate"], level=ActivityLevel.STRONG)

    assert anything == [(school["gate"], faint), (school["gate"], NIGHT)]
    assert noticeable == [(school["gate"], NIGHT)]
    assert strong == [(school["gate"], NIGHT)]


def test_night_hours_in_the_schools_timezone_leave_out_the_day(
    installation: Installation, school: dict[str, int]
) -> None:
    midday = datetime(2026, 3, 3, 12, 0, tzinfo=HANOI)
    walk(installation, school["finance"], midday, 60, 0.5)

    found = search(
        installation,
        person(Role.PRINCIPAL),
        camera_id=school["finance"],
        hours=parse_hours("22:00-05:00"),
    )

    assert found == [(school["finance"], NIGHT)]
    assert NIGHT.astimezone(UTC).hour == 16  # 23:00 in Hanoi, not in UTC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22:00-05:00", (time(22), time(5))),
        ("22-5", (time(22), time(5))),
        (" 08:30 - 17:45 ", (time(8, 30), time(17, 45))),
        ("18:00-24:00", (time(18), time(0))),
    ],
)
def test_hours_are_read_as_a_window_of_the_day(text: str, expected: tuple[time, time]) -> None:
    window = parse_hours(text)
    assert window is not None and (window.start, window.end) == expected
    assert parse_hours("") is None
    assert hours_text(window) == f"{expected[0]:%H:%M}-{expected[1]:%H:%M}"


@pytest.mark.parametrize("text", ["22:00", "25:00-05:00", "22:61-05:00", "10:00-10:00", "đêm"])
def test_unreadable_hours_are_refused_naming_the_value(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_hours(text)
    assert refused.value.field == "hours"
    assert text in str(refused.value)


def test_a_level_must_be_one_of_the_words() -> None:
    assert parse_level("Strong") is ActivityLevel.STRONG
    assert parse_level(None) is ActivityLevel.ANY
    with pytest.raises(InvalidInput) as refused:
        parse_level("loud")
    assert refused.value.field == "level"


def test_ranges_backwards_or_longer_than_a_month_are_refused(
    installation: Installation, school: dict[str, int]
) -> None:
    principal = person(Role.PRINCIPAL)
    start = datetime(2026, 3, 1, tzinfo=HANOI)
    with pytest.raises(InvalidInput, match="after its start"):
        search(installation, principal, start=start, end=start)
    with pytest.raises(InvalidInput, match="31 days"):
        search(installation, principal, start=start, end=start + timedelta(days=32))
    with installation.database.reading() as session, pytest.raises(InvalidInput):
        installation.activity_access.strip(
            session, principal, school["gate"], start, start - timedelta(hours=1)
        )


def test_a_strip_of_a_day_has_one_point_a_minute(
    installation: Installation, school: dict[str, int]
) -> None:
    day = datetime(2026, 3, 2, tzinfo=HANOI)
    with installation.database.reading() as session:
        camera, strip = installation.activity_access.strip(
            session, person(Role.PRINCIPAL), school["gate"], day, day + timedelta(days=1)
        )
    assert camera.name == "Cổng 1"
    assert strip.step == timedelta(minutes=1)
    assert len(strip.levels) == 1440
    moving = [index for index, level in enumerate(strip.levels) if level]
    assert moving == [23 * 60, 23 * 60 + 1]
