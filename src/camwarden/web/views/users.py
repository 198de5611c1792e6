"""Accounts: list, create (with a one-time password), edit role and zones, reset password."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from starlette.responses import Response

from camwarden.errors import CamwardenError
from camwarden.governance.authorization import require
from camwarden.governance.roles import ROLE_PERMISSIONS, Permission, Role
from camwarden.web.security import FormCaller, Inst, PageCaller
from camwarden.web.views import page_router
from camwarden.web.views._common import page, redirect


def _form_context(inst: Inst, values: dict[str, object] | None = None) -> dict[str, object]:
    with inst.database.reading() as session:
        zones = inst.zones.all_for_choice(session)
    return {
        "roles": list(Role),
        "role_permissions": ROLE_PERMISSIONS,
        "zones": zones,
        "values": values or {},
    }


@page_router.get("/users")
def list_users(request: Request, caller: PageCaller, inst: Inst) -> Response:
    with inst.database.reading() as session:
        users = inst.accounts.list(session, caller.actor)
    return page(request, caller, "users/list.html", {"users": users})


@page_router.get("/users/new")
def new_user_form(request: Request, caller: PageCaller, inst: Inst) -> Response:
    require(caller.actor, Permission.MANAGE_USERS)
    return page(request, caller, "users/form.html", _form_context(inst, {"all_zones": True}))


@page_router.post("/users/new")
def create_user(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    username: Annotated[str, Form(max_length=1000)] = "",
    full_name: Annotated[str, Form(max_length=1000)] = "",
    email: Annotated[str, Form(max_length=1000)] = "",
    role: Annotated[str, Form(max_length=100)] = "",
    zone_scope: Annotated[str, Form(max_length=20)] = "all",
    zone_ids: Annotated[list[int] | None, Form()] = None,
) -> Response:
    values = {
        "username": username,
        "full_name": full_name,
        "email": email,
        "role": role,
        "all_zones": zone_scope == "all",
        "zone_ids": zone_ids or [],
    }
    try:
        with inst.database.transaction() as session:
            created = inst.accounts.create(
                session,
                caller.actor,
                username=username,
                full_name=full_name,
                role=role,
                email=email,
                all_zones=zone_scope == "all",
                zone_ids=zone_ids or [],
            )
    except CamwardenError as error:
        return page(request, caller, "users/form.html", _form_context(inst, values), error=error)
    # The one and only time this password is shown: it is not stored in clear anywhere.
    return page(
        request,
        caller,
        "users/password_once.html",
        {"account": created.user, "password": created.initial_password},
    )


@page_router.get("/users/{user_id}")
def edit_user_form(request: Request, caller: PageCaller, inst: Inst, user_id: int) -> Response:
    with inst.database.reading() as session:
        user = inst.accounts.get(session, caller.actor, user_id)
    values = {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email or "",
        "role": user.role,
        "all_zones": user.all_zones,
        "zone_ids": [z.id for z in user.zones],
        "is_active": user.is_active,
    }
    return page(
        request, caller, "users/form.html", {**_form_context(inst, values), "account": user}
    )


@page_router.post("/users/{user_id}")
def update_user(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    user_id: int,
    full_name: Annotated[str, Form(max_length=1000)] = "",
    email: Annotated[str, Form(max_length=1000)] = "",
    role: Annotated[str, Form(max_length=100)] = "",
    zone_scope: Annotated[str, Form(max_length=20)] = "all",
    zone_ids: Annotated[list[int] | None, Form()] = None,
    is_active: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    try:
        with inst.database.transaction() as session:
            inst.accounts.update(
                session,
                caller.actor,
                user_id,
                full_name=full_name,
                email=email,
                role=role,
                all_zones=zone_scope == "all",
                zone_ids=zone_ids or [],
                is_active=is_active == "on",
            )
    except CamwardenError as error:
        with inst.database.reading() as session:
            user = inst.accounts.get(session, caller.actor, user_id)
        values = {
            "username": user.username,
            "full_name": full_name,
            "email": email,
            "role": role,
            "all_zones": zone_scope == "all",
            "zone_ids": zone_ids or [],
            "is_active": is_active == "on",
        }
        return page(
            request,
            caller,
            "users/form.html",
            {**_form_context(inst, values), "account": user},
            error=error,
        )
    return redirect("/users", "saved")


@page_router.post("/users/{user_id}/reset-password")
def reset_password(request: Request, caller: FormCaller, inst: Inst, user_id: int) -> Response:
    with inst.database.transaction() as session:
        password = inst.accounts.reset_password(session, caller.actor, user_id)
        user = inst.accounts.get(session, caller.actor, user_id)
    return page(
        request, caller, "users/password_once.html", {"account": user, "password": password}
    )
