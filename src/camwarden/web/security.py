"""Who is asking: web sessions (cookie + CSRF token) and API bearer tokens.

Every page and endpoint takes one of these dependencies; the permission itself is then
decided by `governance.authorization`, never here.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Form, Request
from sqlalchemy.orm import Session

from camwarden.errors import NotAuthenticated, PasswordChangeRequired
from camwarden.governance.accounts import actor_for
from camwarden.governance.authentication import Authenticated
from camwarden.governance.authorization import Actor
from camwarden.installation import Installation
from camwarden.storage.models import User

SESSION_COOKIE = "cw_session"
LOGIN_CSRF_COOKIE = "cw_login_csrf"
LANGUAGE_COOKIE = "cw_lang"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class LoginRequired(Exception):
    """A page was asked for without a valid session: the browser goes to the login page."""


def installation(request: Request) -> Installation:
    inst: Installation = request.app.state.installation
    return inst


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


@dataclass(frozen=True)
class Caller:
    user: User
    actor: Actor
    csrf_token: str | None  # None when the caller came with an API token
    session_token: str | None


def _resolve(request: Request, inst: Installation, session: Session) -> Caller | None:
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        found = inst.authentication.resolve_api_token(session, authorization[7:].strip())
        return _caller(request, found, None) if found else None
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        found = inst.authentication.resolve_session(session, cookie)
        return _caller(request, found, cookie) if found else None
    return None


def _caller(request: Request, found: Authenticated, session_token: str | None) -> Caller:
    return Caller(
        user=found.user,
        actor=actor_for(found.user, client_ip(request)),
        csrf_token=found.csrf_token,
        session_token=session_token,
    )


def csrf_matches(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


def _identify(request: Request, *, allow_password_change: bool) -> Caller | None:
    inst = installation(request)
    with inst.database.reading() as session:
        caller = _resolve(request, inst, session)
    if caller is not None and caller.user.must_change_password and not allow_password_change:
        raise PasswordChangeRequired("You must change your password before doing anything else.")
    return caller


def page_caller(request: Request) -> Caller:
    """A logged-in person for a page; otherwise the browser is sent to log in."""
    caller = _identify(request, allow_password_change=False)
    if caller is None or caller.csrf_token is None:
        raise LoginRequired()
    return caller


def page_caller_changing_password(request: Request) -> Caller:
    caller = _identify(request, allow_password_change=True)
    if caller is None or caller.csrf_token is None:
        raise LoginRequired()
    return caller


def checked_form_caller(
    caller: Annotated[Caller, Depends(page_caller)],
    csrf_token: Annotated[str, Form()] = "",
) -> Caller:
    """For form posts: the session's CSRF token must come back with the form."""
    if not csrf_matches(caller.csrf_token, csrf_token):
        raise NotAuthenticated("The form has expired; reload the page and try again.")
    return caller


def _api_caller(request: Request, *, allow_password_change: bool) -> Caller:
    caller = _identify(request, allow_password_change=allow_password_change)
    if caller is None:
        raise NotAuthenticated("Log in or send an API token (Authorization: Bearer …).")
    if (
        caller.csrf_token is not None
        and request.method in UNSAFE_METHODS
        and not csrf_matches(caller.csrf_token, request.headers.get(CSRF_HEADER))
    ):
        raise NotAuthenticated("The request lacks a valid X-CSRF-Token header.")
    return caller


def api_caller(request: Request) -> Caller:
    """A token or a session; a session's unsafe requests must carry the CSRF header."""
    return _api_caller(request, allow_password_change=False)


def api_caller_changing_password(request: Request) -> Caller:
    """Like `api_caller`, but also for an account that must change its password first."""
    return _api_caller(request, allow_password_change=True)


def new_login_csrf() -> str:
    return secrets.token_urlsafe(24)


PageCaller = Annotated[Caller, Depends(page_caller)]
FormCaller = Annotated[Caller, Depends(checked_form_caller)]
ApiCaller = Annotated[Caller, Depends(api_caller)]
ApiCallerChangingPassword = Annotated[Caller, Depends(api_caller_changing_password)]
Inst = Annotated[Installation, Depends(installation)]
