"""The caller's own account: who am I, and changing one's own password."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response

from camwarden.errors import NotAuthenticated
from camwarden.web.api._routing import resource_router
from camwarden.web.api.schemas import Me, PasswordChange
from camwarden.web.security import (
    CSRF_HEADER,
    UNSAFE_METHODS,
    ApiCaller,
    Caller,
    Inst,
    _identify,
    csrf_matches,
)

router = resource_router("/me", "me")


def caller_changing_password(request: Request) -> Caller:
    """Like `ApiCaller`, but also for an account that must change its password first."""
    # Mirrors `security.api_caller` with `allow_password_change=True`; it belongs next to it
    # there (which would also make `_identify` private again).
    caller = _identify(request, allow_password_change=True)
    if caller is None:
        raise NotAuthenticated("Log in or send an API token (Authorization: Bearer …).")
    if (
        caller.csrf_token is not None
        and request.method in UNSAFE_METHODS
        and not csrf_matches(caller.csrf_token, request.headers.get(CSRF_HEADER))
    ):
        raise NotAuthenticated("The request lacks a valid X-CSRF-Token header.")
    return caller


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
    caller: Annotated[Caller, Depends(caller_changing_password)],
) -> None:
    """Set a new password; the only call open to an account that must change its password.

    Web sessions opened elsewhere are closed; the caller's own session stays open.
    """
    with inst.database.transaction() as session:
        inst.accounts.change_own_password(
            session,
            caller.actor,
            current_password=body.current_password,
            new_password=body.new_password,
        )
        inst.authentication.end_other_sessions(
            session, caller.user.id, keep_token=caller.session_token or ""
        )
