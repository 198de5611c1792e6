"""Accounts: list, create (with a one-time password), read, change, reset the password."""

from __future__ import annotations

from camwarden.governance.roles import Role
from camwarden.storage.models import User
from camwarden.web.api._routing import CONFLICT, NOT_FOUND, UserId, resource_router
from camwarden.web.api.schemas import PasswordReset, UserCreate, UserCreated, UserOut, UserPatch
from camwarden.web.security import ApiCaller, Inst

router = resource_router("/users", "users")


def user_out(user: User) -> UserOut:
    return UserOut(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        email=user.email,
        role=Role(user.role),
        all_zones=user.all_zones,
        zone_ids=sorted(zone.id for zone in user.zones),
        is_active=user.is_active,
        must_change_password=user.must_change_password,
        created_at=user.created_at,
        password_changed_at=user.password_changed_at,
    )


@router.get("", response_model=list[UserOut], name="list_users")
def list_users(inst: Inst, caller: ApiCaller) -> list[UserOut]:
    """Every account, by username."""
    with inst.database.reading() as session:
        return [user_out(user) for user in inst.accounts.list(session, caller.actor)]


@router.post(
    "",
    status_code=201,
    response_model=UserCreated,
    responses=CONFLICT,
    name="create_user",
)
def create_user(body: UserCreate, inst: Inst, caller: ApiCaller) -> UserCreated:
    """A new account with a random password, answered once; it must be changed at first login."""
    with inst.database.transaction() as session:
        created = inst.accounts.create(
            session,
            caller.actor,
            username=body.username,
            full_name=body.full_name,
            role=body.role.value,
            email=body.email,
            all_zones=body.all_zones,
            zone_ids=body.zone_ids,
        )
        account = user_out(created.user)
    return UserCreated(**account.model_dump(), initial_password=created.initial_password)


@router.get("/{user_id}", response_model=UserOut, responses=NOT_FOUND, name="get_user")
def get_user(user_id: UserId, inst: Inst, caller: ApiCaller) -> UserOut:
    """One account."""
    with inst.database.reading() as session:
        return user_out(inst.accounts.get(session, caller.actor, user_id))


@router.patch(
    "/{user_id}",
    response_model=UserOut,
    responses={**NOT_FOUND, **CONFLICT},
    name="update_user",
)
def update_user(user_id: UserId, body: UserPatch, inst: Inst, caller: ApiCaller) -> UserOut:
    """Change name, e-mail, role, zone scope or whether the account is active."""
    with inst.database.transaction() as session:
        user = inst.accounts.update(
            session,
            caller.actor,
            user_id,
            full_name=body.full_name,
            email=body.email,
            role=body.role.value if body.role is not None else None,
            all_zones=body.all_zones,
            zone_ids=body.zone_ids,
            is_active=body.is_active,
        )
        return user_out(user)


@router.post(
    "/{user_id}/reset-password",
    response_model=PasswordReset,
    responses=NOT_FOUND,
    name="reset_user_password",
)
def reset_user_password(user_id: UserId, inst: Inst, caller: ApiCaller) -> PasswordReset:
    """A new random password, answered once; the person must change it at the next login."""
    with inst.database.transaction() as session:
        password = inst.accounts.reset_password(session, caller.actor, user_id)
    return PasswordReset(password=password)
