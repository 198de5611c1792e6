import json
from typing import Any

import pytest
from sqlalchemy import func, select

from camwarden.errors import Conflict, Forbidden, InvalidInput, NotFound
from camwarden.governance.accounts import actor_for
from camwarden.governance.authorization import Actor
from camwarden.governance.passwords import check_password_policy, verify_password
from camwarden.installation import Installation
from camwarden.storage.models import AuditEntry, User, Zone

PASSWORD = "Bao-ve-2026!"


def counts(installation: Installation) -> tuple[int, int]:
    """Users and audit entries: what a refused change must leave as it was."""
    with installation.database.reading() as session:
        users = session.scalar(select(func.count()).select_from(User))
        audit = session.scalar(select(func.count()).select_from(AuditEntry))
        return int(users or 0), int(audit or 0)


def last_audit(installation: Installation) -> AuditEntry:
    with installation.database.reading() as session:
        entry = session.scalar(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1))
        assert entry is not None
        return entry


def create(installation: Installation, actor: Actor, **fields: Any) -> User:
    values: dict[str, Any] = {
        "username": "baove1",
        "full_name": "Trần Văn Bảo",
        "role": "security",
        "password": PASSWORD,
        "must_change_password": False,
        **fields,
    }
    with installation.database.transaction() as session:
        return installation.accounts.create(session, actor, **values).user


def make_zone(installation: Installation, name: str) -> int:
    with installation.database.transaction() as session:
        zone = Zone(
            name=name,
            kind="gate",
            purposes="security",
            responsible_unit="Tổ bảo vệ",
            description="",
            created_at=installation.clock.now(),
        )
        session.add(zone)
        session.flush()
        return zone.id


def test_a_new_account_gets_a_random_password_that_meets_the_policy(
    installation: Installation, admin: Actor
) -> None:
    with installation.database.transaction() as session:
        new = installation.accounts.create(
            session, admin, username="HieuTruong", full_name="Lê Thị Hoa", role="principal"
        )
    assert new.user.username == "hieutruong"
    assert new.user.must_change_password
    check_password_policy(new.initial_password, username="hieutruong", min_length=8)
    assert new.user.password_hash.startswith("$argon2id$")
    assert new.initial_password not in new.user.password_hash
    assert verify_password(new.user.password_hash, new.initial_password)


def test_creating_an_account_is_audited_without_the_password(
    installation: Installation, admin: Actor
) -> None:
    zone_id = make_zone(installation, "Cổng trường")
    user = create(installation, admin, all_zones=False, zone_ids=[zone_id])
    entry = last_audit(installation)
    assert (entry.action, entry.actor, entry.target_id) == ("user.create", "quantri", str(user.id))
    assert json.loads(entry.details) == {
        "username": "baove1",
        "role": "security",
        "all_zones": False,
        "zone_ids": [zone_id],
    }
    assert PASSWORD not in entry.details


def test_a_taken_username_is_a_conflict_whatever_its_case(
    installation: Installation, admin: Actor
) -> None:
    create(installation, admin)
    before = counts(installation)
    with pytest.raises(Conflict) as caught:
        create(installation, admin, username="BaoVe1")
    assert "baove1" in str(caught.value)
    assert counts(installation) == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"username": "ab"}, "username"),
        ({"username": "bao ve"}, "username"),
        ({"username": "-baove"}, "username"),
        ({"username": "bảo.vệ"}, "username"),
        ({"username": "x" * 65}, "username"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "a@b"}, "email"),
        ({"role": "janitor"}, "role"),
        ({"full_name": "   "}, "full_name"),
        ({"full_name": "x" * 201}, "full_name"),
        ({"password": "short1!"}, "password"),
        ({"password": "onlylowercaseletters"}, "password"),
        ({"password": "Baove1-2026!"}, "password"),
        ({"all_zones": False, "zone_ids": [999]}, "zone_ids"),
    ],
)
def test_bad_account_input_names_the_field_and_writes_nothing(
    installation: Installation, admin: Actor, fields: dict[str, Any], field: str
) -> None:
    before = counts(installation)
    with pytest.raises(InvalidInput) as caught:
        create(installation, admin, **fields)
    assert caught.value.field == field
    assert counts(installation) == before


def test_only_account_managers_create_accounts(installation: Installation, admin: Actor) -> None:
    principal = actor_for(create(installation, admin, username="hieutruong", role="principal"))
    before = counts(installation)
    with pytest.raises(Forbidden):
        create(installation, principal, username="baove2")
    assert counts(installation) == before


def test_role_and_zone_changes_are_audited_as_permission_changes(
    installation: Installation, admin: Actor
) -> None:
    zone_id = make_zone(installation, "Cổng trường")
    user = create(installation, admin)
    with installation.database.transaction() as session:
        installation.accounts.update(
            session, admin, user.id, role="security_lead", all_zones=False, zone_ids=[zone_id]
        )
    entry = last_audit(installation)
    assert entry.action == "user.permissions_change"
    assert json.loads(entry.details)["changes"] == {
        "role": ["security", "security_lead"],
        "all_zones": [True, False],
        "zone_ids": [[], [zone_id]],
    }
    with installation.database.reading() as session:
        assert actor_for(installation.accounts.get(session, admin, user.id)).zone_ids == {zone_id}


def test_disabling_an_account_is_a_permission_change(
    installation: Installation, admin: Actor
) -> None:
    user = create(installation, admin)
    with installation.database.transaction() as session:
        installation.accounts.update(session, admin, user.id, is_active=False)
    entry = last_audit(installation)
    assert entry.action == "user.permissions_change"
    assert json.loads(entry.details)["changes"] == {"is_active": [True, False]}


def test_a_name_change_is_an_ordinary_update_and_no_change_is_not_audited(
    installation: Installation, admin: Actor
) -> None:
    user = create(installation, admin)
    with installation.database.transaction() as session:
        installation.accounts.update(session, admin, user.id, full_name="Trần Văn Bảo Vệ")
    assert last_audit(installation).action == "user.update"
    before = counts(installation)
    with installation.database.transaction() as session:
        installation.accounts.update(
            session, admin, user.id, full_name="Trần Văn Bảo Vệ", role="security"
        )
    assert counts(installation) == before


@pytest.mark.parametrize("change", [{"role": "principal"}, {"is_active": False}])
def test_an_administrator_cannot_change_their_own_role_or_disable_themselves(
    installation: Installation, admin: Actor, change: dict[str, Any]
) -> None:
    assert admin.user_id is not None
    before = counts(installation)
    with pytest.raises(Conflict), installation.database.transaction() as session:
        installation.accounts.update(session, admin, admin.user_id, **change)
    assert counts(installation) == before
    with installation.database.reading() as session:
        me = installation.accounts.get(session, admin, admin.user_id)
        assert (me.role, me.is_active) == ("admin", True)


def test_an_unknown_account_is_not_found(installation: Installation, admin: Actor) -> None:
    with pytest.raises(NotFound), installation.database.transaction() as session:
        installation.accounts.update(session, admin, 999, full_name="Ai đó")


@pytest.mark.parametrize(
    "new_password",
    [
        "Ng4n!",  # too short
        "chilaschuthuong",  # one class of characters
        "CHUHOA1234",  # two classes
        "Mk-baove1-2026",  # contains the username
        PASSWORD,  # the current one
    ],
)
def test_a_new_password_must_follow_the_policy(
    installation: Installation, admin: Actor, new_password: str
) -> None:
    user = create(installation, admin)
    before = counts(installation)
    with pytest.raises(InvalidInput) as caught, installation.database.transaction() as session:
        installation.authentication.change_own_password(
            session, actor_for(user), current_password=PASSWORD, new_password=new_password
        )
    assert caught.value.field in ("password", "new_password")
    assert counts(installation) == before


def test_changing_a_password_needs_the_current_one(
    installation: Installation, admin: Actor
) -> None:
    user = create(installation, admin)
    before = counts(installation)
    with installation.database.transaction() as session:
        changed = installation.authentication.change_own_password(
            session, actor_for(user), current_password="Sai-mat-khau-1", new_password="Moi-2026-ok"
        )
    assert changed is False
    with installation.database.reading() as session:
        stored = installation.accounts.get(session, admin, user.id)
        assert verify_password(stored.password_hash, PASSWORD)
    entry = last_audit(installation)
    assert entry.action == "auth.password_change_failed"
    assert counts(installation) != before  # the failure itself is on record


def test_five_wrong_current_passwords_lock_the_account_like_failed_logins(
    installation: Installation, admin: Actor
) -> None:
    user = create(installation, admin)
    for _ in range(5):
        with installation.database.transaction() as session:
            installation.authentication.change_own_password(
                session, actor_for(user), current_password="Sai-1234-x", new_password="Moi-2026-ok"
            )
    with installation.database.transaction() as session:
        assert not installation.authentication.change_own_password(
            session, actor_for(user), current_password=PASSWORD, new_password="Moi-2026-ok"
        )
        assert installation.authentication.login(session, user.username, PASSWORD, ip="") is None


def test_a_password_change_clears_the_must_change_flag_and_is_audited(
    installation: Installation, admin: Actor
) -> None:
    user = create(installation, admin, must_change_password=True)
    with installation.database.transaction() as session:
        assert installation.authentication.change_own_password(
            session, actor_for(user), current_password=PASSWORD, new_password="Mat-khau-moi-26"
        )
    with installation.database.reading() as session:
        stored = installation.accounts.get(session, admin, user.id)
        assert not stored.must_change_password
        assert stored.password_changed_at == installation.clock.now()
        assert verify_password(stored.password_hash, "Mat-khau-moi-26")
    entry = last_audit(installation)
    assert (entry.action, entry.actor) == ("user.password_change", "baove1")
    assert "Mat-khau-moi-26" not in entry.details


def test_a_password_reset_gives_a_working_password_that_must_be_changed(
    installation: Installation, admin: Actor
) -> None:
    user = create(installation, admin)
    with installation.database.transaction() as session:
        password = installation.accounts.reset_password(session, admin, user.id)
    with installation.database.transaction() as session:
        logged_in = installation.authentication.login(session, "baove1", password, ip="192.0.2.5")
    assert logged_in is not None
    assert logged_in.user.must_change_password
    with installation.database.reading() as session:
        log = installation.audit.query(session)[0]
    assert "user.password_reset" in [entry.action for entry in log]
    assert all(password not in entry.details for entry in log)
