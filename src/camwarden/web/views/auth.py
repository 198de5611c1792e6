"""Log in, log out, change password (forced on first login)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Form, Request
from starlette.responses import Response

from camwarden.errors import CamwardenError, InvalidInput, NotAuthenticated
from camwarden.governance.authentication import LOGIN_FAILED, wrong_current_password
from camwarden.web.security import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    Caller,
    FormCaller,
    Inst,
    client_ip,
    csrf_matches,
    new_login_csrf,
    page_caller_changing_password,
)
from camwarden.web.views import page_router
from camwarden.web.views._common import page, redirect, safe_next


def _login_page(request: Request, *, error: CamwardenError | None = None) -> Response:
    token = new_login_csrf()
    response = page(
        request,
        None,
        "login.html",
        {"login_csrf": token, "next": safe_next(request.query_params.get("next"))},
        error=error,
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path="/login")
    return response


@page_router.get("/login")
def login_form(request: Request) -> Response:
    return _login_page(request)


@page_router.post("/login")
def login(
    request: Request,
    inst: Inst,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    login_csrf: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    if not csrf_matches(request.cookies.get(LOGIN_CSRF_COOKIE), login_csrf):
        return _login_page(
            request,
            error=NotAuthenticated("The form has expired; reload the page and try again."),
        )
    with inst.database.transaction() as session:
        logged_in = inst.authentication.login(session, username, password, ip=client_ip(request))
    if logged_in is None:
        return _login_page(request, error=NotAuthenticated(LOGIN_FAILED))
    target = "/account/password" if logged_in.user.must_change_password else safe_next(next)
    response = redirect(target)
    response.set_cookie(
        SESSION_COOKIE,
        logged_in.session_token,
        httponly=True,
        samesite="lax",
        secure=inst.settings.secure_cookies,
        max_age=inst.settings.login.session_hours * 3600,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@page_router.post("/logout")
def logout(caller: FormCaller, inst: Inst) -> Response:
    if caller.session_token:
        with inst.database.transaction() as session:
            inst.authentication.logout(session, caller.session_token, caller.actor)
    response = redirect("/login")
    response.delete_cookie(SESSION_COOKIE)
    return response


ChangingCaller = Annotated[Caller, Depends(page_caller_changing_password)]


@page_router.get("/account/password")
def password_form(request: Request, caller: ChangingCaller) -> Response:
    return page(request, caller, "password.html")


@page_router.post("/account/password")
def change_password(
    request: Request,
    caller: ChangingCaller,
    inst: Inst,
    csrf_token: Annotated[str, Form()] = "",
    current_password: Annotated[str, Form(max_length=1000)] = "",
    new_password: Annotated[str, Form(max_length=1000)] = "",
    confirm_password: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    try:
        if not csrf_matches(caller.csrf_token, csrf_token):
            raise NotAuthenticated("The form has expired; reload the page and try again.")
        if new_password != confirm_password:
            raise InvalidInput("The two new passwords are not the same.", field="confirm_password")
        with inst.database.transaction() as session:
            changed = inst.authentication.change_own_password(
                session,
                caller.actor,
                current_password=current_password,
                new_password=new_password,
            )
            if changed and caller.session_token:
                inst.authentication.end_other_sessions(
                    session, caller.user.id, caller.session_token
                )
        if not changed:
            raise wrong_current_password()
    except CamwardenError as error:
        return page(request, caller, "password.html", error=error)
    return redirect("/", "password_changed")
