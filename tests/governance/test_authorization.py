import pytest

from camwarden.errors import Forbidden, InvalidInput
from camwarden.governance.authorization import SYSTEM_ACTOR, Actor, can, require, zones_allowed
from camwarden.governance.roles import (
    PERMISSION_LABELS,
    ROLE_LABELS,
    ROLE_PERMISSIONS,
    Permission,
    Role,
    parse_role,
)

P = Permission


def actor(role: Role, zone_ids: set[int] | None = None) -> Actor:
    return Actor(
        user_id=1,
        username="someone",
        role=role,
        all_zones=zone_ids is None,
        zone_ids=frozenset(zone_ids or ()),
    )


@pytest.mark.parametrize(
    ("role", "permission", "allowed"),
    [
        (Role.PRINCIPAL, P.PLAY_BACK, True),
        (Role.PRINCIPAL, P.DELETE_FOOTAGE, True),
        (Role.PRINCIPAL, P.MANAGE_USERS, False),
        (Role.BOARD, P.APPROVE_REQUESTS, True),
        (Role.BOARD, P.DELETE_FOOTAGE, False),
        # The administrator manages accounts and devices but watches no footage.
        (Role.ADMIN, P.MANAGE_USERS, True),
        (Role.ADMIN, P.OVERRIDE_CAMERA_SERVICE, True),
        (Role.ADMIN, P.WATCH_LIVE, False),
        (Role.ADMIN, P.PLAY_BACK, False),
        (Role.SECURITY_LEAD, P.MANAGE_ROSTER, True),
        (Role.SECURITY, P.WATCH_LIVE, True),
        (Role.SECURITY, P.EXPORT_FOOTAGE, False),
        (Role.IT, P.WATCH_LIVE, True),
        (Role.IT, P.MANAGE_CAMERAS, True),
        (Role.IT, P.PLAY_BACK, False),
        (Role.IT, P.OVERRIDE_CAMERA_SERVICE, False),
        (Role.FINANCE, P.MANAGE_BUDGET, True),
        (Role.FINANCE, P.WATCH_LIVE, False),
        (Role.STAFF, P.FILE_COMPLAINT, True),
        (Role.STAFF, P.VIEW_CAMERAS, False),
        (Role.EXTERNAL, P.REQUEST_FOOTAGE, True),
        (Role.EXTERNAL, P.FILE_COMPLAINT, False),
    ],
)
def test_each_role_holds_what_the_regulation_gives_it(
    role: Role, permission: Permission, allowed: bool
) -> None:
    assert can(actor(role), permission) is allowed
    assert can(actor(role), permission, zone_id=3) is allowed


def test_require_refuses_with_the_missing_permission_named() -> None:
    require(actor(Role.SECURITY), P.WATCH_LIVE)
    with pytest.raises(Forbidden) as caught:
        require(actor(Role.SECURITY), P.EXPORT_FOOTAGE)
    assert caught.value.params["permission"] == "export_footage"
    assert "export_footage" in str(caught.value)
    assert caught.value.http_status == 403


def test_zone_scoped_permissions_hold_only_in_the_given_zones() -> None:
    guard = actor(Role.SECURITY, {1, 2})
    assert can(guard, P.WATCH_LIVE, 1)
    assert can(guard, P.WATCH_LIVE, 2)
    assert not can(guard, P.WATCH_LIVE, 3)
    # Without a zone the question is "in at least one zone": it opens a filtered list.
    assert can(guard, P.WATCH_LIVE)
    with pytest.raises(Forbidden):
        require(guard, P.PLAY_BACK, 3)
    assert zones_allowed(guard, P.PLAY_BACK, [1, 2, 3, 4]) == {1, 2}
    assert zones_allowed(guard, P.EXPORT_FOOTAGE, [1, 2, 3]) == set()


def test_a_zone_scoped_account_without_zones_sees_no_footage() -> None:
    guard = actor(Role.SECURITY, set())
    assert not can(guard, P.WATCH_LIVE)
    assert not can(guard, P.WATCH_LIVE, 1)
    assert can(guard, P.FILE_COMPLAINT)


def test_global_permissions_do_not_depend_on_zones() -> None:
    principal = actor(Role.PRINCIPAL, set())
    assert can(principal, P.APPROVE_REQUESTS)
    assert can(principal, P.APPROVE_REQUESTS, zone_id=9)
    assert not can(principal, P.PLAY_BACK, zone_id=9)


def test_the_server_command_line_acts_as_an_administrator_in_every_zone() -> None:
    assert can(SYSTEM_ACTOR, P.MANAGE_CAMERAS, zone_id=42)
    assert not can(SYSTEM_ACTOR, P.PLAY_BACK, zone_id=42)


def test_every_role_and_permission_has_a_label() -> None:
    assert set(ROLE_LABELS) == set(Role)
    assert set(ROLE_PERMISSIONS) == set(Role)
    assert set(PERMISSION_LABELS) == set(Permission)


def test_an_unknown_role_is_refused_with_the_known_ones_listed() -> None:
    assert parse_role("it") is Role.IT
    with pytest.raises(InvalidInput) as caught:
        parse_role("janitor")
    assert caught.value.field == "role"
    assert "janitor" in str(caught.value)
    assert "security_lead" in str(caught.value)
