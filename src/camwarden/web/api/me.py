"""The caller's own account: who am I, and changing one's own password."""

from __future__ import annotations

from fastapi import Response

from camwarden.governance.authentication import wrong_current_password
from camwarden.web.api._routing import resource_router
from camwarden.web.api.schemas import Me, PasswordChange
from camwarden.web.security import ApiCaller, ApiCallerChangingPassword, Inst

router = resource_router("/me", "me")


@router.get("", response_model=Me, name="get_me")
def get_me(caller: ApiCaller) -> Me:
    """The calling account, its role's permissions and its zone scope."""
    user, actor = caller.user, caller.actor
    return Me(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=actor.role,
        permissions=sorted(actor.permissions),
        all_zones=actor.all_zones,
        zone_ids=sorted(actor.zone_ids),
    )


@router.put(
    "/password",
    status_code=204,
    response_class=Response,
    name="change_own_password",
)
def change_own_password(
    body: PasswordChange,
    inst: Inst,
    caller: ApiCallerChangingPassword,
) -> None:
    """Set a new password; the only call open to an account that must change its password.

    Web sessions opened elsewhere are closed; the caller's own session stays open.
    """
    with inst.database.transaction() as session:
        changed = inst.authentication.change_own_password(
            session,
            caller.actor,
            current_password=body.current_password,
            new_password=body.new_password,
        )
        if changed:
            inst.authentication.end_other_sessions(
                session, caller.user.id, keep_token=caller.session_token or ""
            )
    if not changed:
        raise wrong_current_password()
