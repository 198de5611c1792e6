"""Accounts: creation, roles and zone scope, passwords. Every change is audited."""

from __future__ import annotations

import builtins
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from camwarden.clock import Clock
from camwarden.config import LoginPolicy
from camwarden.errors import Conflict, InvalidInput, NotFound
from camwarden.governance._validation import optional_email, required_text
from camwarden.governance.audit import AuditLog
from camwarden.governance.authorization import Actor, require
from camwarden.governance.passwords import (
    check_password_policy,
    generate_password,
    hash_password,
)
from camwarden.governance.roles import Permission, Role, parse_role
from camwarden.storage.lookup import get_by_id, storable_ids
from camwarden.storage.models import User, Zone

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")


def actor_for(user: User, ip: str = "") -> Actor:
    return Actor(
        user_id=user.id,
        username=user.username,
        role=Role(user.role),
        all_zones=user.all_zones,
        zone_ids=frozenset(zone.id for zone in user.zones),
        ip=ip,
    )


@dataclass(frozen=True)
class NewAccount:
    user: User
    initial_password: str


class Accounts:
    def __init__(self, clock: Clock, audit: AuditLog, policy: LoginPolicy) -> None:
        self._clock = clock
        self._audit = audit
        self._policy = policy

    # -- reading ---------------------------------------------------------------------------

    def list(self, session: Session, actor: Actor) -> Sequence[User]:
        require(actor, Permission.MANAGE_USERS)
        return session.scalars(select(User).order_by(User.username)).all()

    def get(self, session: Session, actor: Actor, user_id: int) -> User:
        require(actor, Permission.MANAGE_USERS)
        return self._existing(session, user_id)

    def directory(self, session: Session) -> Sequence[User]:
        """Active people by name, for pickers such as a zone's assignees (names only)."""
        return session.scalars(
            select(User).where(User.is_active.is_(True)).order_by(User.full_name)
        ).all()

    def count(self, session: Session) -> int:
        return int(session.scalar(select(func.count()).select_from(User)) or 0)

    def by_username(self, session: Session, username: str) -> User | None:
        return session.scalar(select(User).where(User.username == username.strip().lower()))

    # -- changing --------------------------------------------------------------------------

    def create(
        self,
        session: Session,
        actor: Actor,
        *,
        username: str,
        full_name: str,
        role: str,
        email: str | None = None,
        all_zones: bool = True,
        zone_ids: Iterable[int] = (),
        password: str | None = None,
        must_change_password: bool = True,
    ) -> NewAccount:
        """A new account; without a password given, a random one is made and returned once."""
        require(actor, Permission.MANAGE_USERS)
        username = username.strip().lower()
        if not _USERNAME.match(username):
            raise InvalidInput(
                "Username '{value}' is not allowed: use 3 to 64 lower-case letters, digits, "
                "dots, dashes or underscores, starting with a letter or digit.",
                field="username",
                value=username,
            )
        if self.by_username(session, username) is not None:
            raise Conflict("Username '{value}' is already taken.", value=username)
        parsed_role = parse_role(role)
        initial = password if password is not None else generate_password()
        check_password_policy(
            initial, username=username, min_length=self._policy.password_min_length
        )
        now = self._clock.now()
        user = User(
            username=username,
            full_name=required_text(full_name, field="full_name", max_length=200),
            email=optional_email(email),
            role=parsed_role.value,
            all_zones=all_zones,
            password_hash=hash_password(initial),
            must_change_password=must_change_password,
            is_active=True,
            created_at=now,
            password_changed_at=None if must_change_password else now,
        )
        user.zones = self._zones(session, zone_ids)
        session.add(user)
        session.flush()
        self._audit.record(
            session,
            actor,
            "user.create",
            target_type="user",
            target_id=user.id,
            details={
                "username": username,
                "role": parsed_role.value,
                "all_zones": all_zones,
                "zone_ids": sorted(z.id for z in user.zones),
            },
        )
        return NewAccount(user=user, initial_password=initial)

    def update(
        self,
        session: Session,
        actor: Actor,
        user_id: int,
        *,
        full_name: str | None = None,
        email: str | None = None,
        role: str | None = None,
        all_zones: bool | None = None,
        zone_ids: Iterable[int] | None = None,
        is_active: bool | None = None,
    ) -> User:
        require(actor, Permission.MANAGE_USERS)
        user = self._existing(session, user_id)
        changes: dict[str, object] = {}
        if full_name is not None:
            new_name = required_text(full_name, field="full_name", max_length=200)
            if new_name != user.full_name:
                changes["full_name"] = [user.full_name, new_name]
                user.full_name = new_name
        if email is not None:
            new_email = optional_email(email)
            if new_email != user.email:
                changes["email"] = [user.email, new_email]
                user.email = new_email
        if role is not None:
            new_role = parse_role(role).value
            if new_role != user.role:
                if user.id == actor.user_id:
                    raise Conflict("You cannot change your own role; ask another administrator.")
                changes["role"] = [user.role, new_role]
                user.role = new_role
        if all_zones is not None and all_zones != user.all_zones:
            changes["all_zones"] = [user.all_zones, all_zones]
            user.all_zones = all_zones
        if zone_ids is not None:
            new_zones = self._zones(session, zone_ids)
            old_ids, new_ids = sorted(z.id for z in user.zones), sorted(z.id for z in new_zones)
            if old_ids != new_ids:
                changes["zone_ids"] = [old_ids, new_ids]
                user.zones = new_zones
        if is_active is not None and is_active != user.is_active:
            if user.id == actor.user_id and not is_active:
                raise Conflict("You cannot disable your own account.")
            changes["is_active"] = [user.is_active, is_active]
            user.is_active = is_active
        if changes:
            # Role and scope changes are permission changes: their own action name.
            grants = {"role", "all_zones", "zone_ids", "is_active"} & changes.keys()
            action = "user.permissions_change" if grants else "user.update"
            self._audit.record(
                session,
                actor,
                action,
                target_type="user",
                target_id=user.id,
                details={"username": user.username, "changes": changes},
            )
        return user

    def reset_password(self, session: Session, actor: Actor, user_id: int) -> str:
        """A new random password the user must change at next login; returned once."""
        require(actor, Permission.MANAGE_USERS)
        user = self._existing(session, user_id)
        password = generate_password()
        user.password_hash = hash_password(password)
        user.must_change_password = True
        self._audit.record(
            session,
            actor,
            "user.password_reset",
            target_type="user",
            target_id=user.id,
            details={"username": user.username},
        )
        return password

    # -- helpers ---------------------------------------------------------------------------

    def _existing(self, session: Session, user_id: int) -> User:
        user = get_by_id(session, User, user_id)
        if user is None:
            raise NotFound("Account {value} does not exist.", value=user_id)
        return user

    def _zones(self, session: Session, zone_ids: Iterable[int]) -> builtins.list[Zone]:
        wanted = set(zone_ids)
        if not wanted:
            return []
        found = session.scalars(select(Zone).where(Zone.id.in_(storable_ids(wanted)))).all()
        missing = set(wanted) - {zone.id for zone in found}
        if missing:
            raise InvalidInput("Zone {value} does not exist.", field="zone_ids", value=min(missing))
        return list(found)
