"""Accounts: list, create (with a one-time password), edit role and zones, reset password."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from starlette.responses import Response

from camwarden.errors import CamwardenError
from camwarden.governance.authorization import require
from camwarden.governance.roles import Permission, Role
from camwarden.web.security import FormCaller, Inst, PageCaller
from camwarden.web.views import page_router
from camwarden.web.views._common import page, redirect
from camwarden.web.views.forms import AccountForm

AccountFields = Annotated[AccountForm, Form()]


def _form_page(
    request: Request,
    caller: PageCaller,
    inst: Inst,
    values: dict[str, object],
    *,
    user_id: int | None = None,
    error: CamwardenError | None = None,
) -> Response:
    with inst.database.reading() as session:
        zones = inst.zones.all_for_choice(session)
        account = inst.accounts.get(session, caller.actor, user_id) if user_id else None
    context = {"roles": list(Role), "zones": zones, "values": values, "account": account}
    return page(request, caller, "users/form.html", context, error=error)


def _password_once(
    request: Request, caller: PageCaller, inst: Inst, user_id: int, password: str
) -> Response:
    """The one and only time a password is shown: it is not stored in clear anywhere."""
    with inst.database.reading() as session:
        account = inst.accounts.get(session, caller.actor, user_id)
    context = {"account": account, "password": password}
    return page(request, caller, "users/password_once.html", context)


@page_router.get("/users")
def list_users(request: Request, caller: PageCaller, inst: Inst) -> Response:
    with inst.database.reading() as session:
        users = inst.accounts.list(session, caller.actor)
    return page(request, caller, "users/list.html", {"users": users})


@page_router.get("/users/new")
def new_user_form(request: Request, caller: PageCaller, inst: Inst) -> Response:
    require(caller.actor, Permission.MANAGE_USERS)
    return _form_page(request, caller, inst, AccountForm().shown_back())


@page_router.post("/users/new")
def create_user(request: Request, caller: FormCaller, inst: Inst, form: AccountFields) -> Response:
    try:
        with inst.database.transaction() as session:
            created = inst.accounts.create(
                session,
                caller.actor,
                username=form.username,
                full_name=form.full_name,
                role=form.role,
                email=form.email,
                all_zones=form.all_zones,
                zone_ids=form.zone_ids,
            )
    except CamwardenError as error:
        return _form_page(request, caller, inst, form.shown_back(), error=error)
    return _password_once(request, caller, inst, created.user.id, created.initial_password)


@page_router.get("/users/{user_id}")
def edit_user_form(request: Request, caller: PageCaller, inst: Inst, user_id: int) -> Response:
    with inst.database.reading() as session:
        user = inst.accounts.get(session, caller.actor, user_id)
    stored = AccountForm(
        username=user.username,
        full_name=user.full_name,
        email=user.email or "",
        role=user.role,
        zone_scope="all" if user.all_zones else "some",
        zone_ids=[z.id for z in user.zones],
        is_active="on" if user.is_active else "",
    )
    return _form_page(request, caller, inst, stored.shown_back(), user_id=user_id)


@page_router.post("/users/{user_id}")
def update_user(
    request: Request, caller: FormCaller, inst: Inst, user_id: int, form: AccountFields
) -> Response:
    try:
        with inst.database.transaction() as session:
            inst.accounts.update(
                session,
                caller.actor,
                user_id,
                full_name=form.full_name,
                email=form.email,
                role=form.role,
                all_zones=form.all_zones,
                zone_ids=form.zone_ids,
                is_active=form.is_active == "on",
            )
    except CamwardenError as error:
        return _form_page(request, caller, inst, form.shown_back(), user_id=user_id, error=error)
    return redirect("/users", "saved")


@page_router.post("/users/{user_id}/reset-password")
def reset_password(request: Request, caller: FormCaller, inst: Inst, user_id: int) -> Response:
    with inst.database.transaction() as session:
        password = inst.accounts.reset_password(session, caller.actor, user_id)
    return _password_once(request, caller, inst, user_id, password)
