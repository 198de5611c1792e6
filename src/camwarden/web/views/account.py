"""One's own account: profile, API tokens for scripts."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from starlette.responses import Response

from camwarden.errors import CamwardenError
from camwarden.web.security import FormCaller, Inst, PageCaller
from camwarden.web.views import page_router
from camwarden.web.views._common import page, redirect


def _account_page(
    request: Request,
    caller: PageCaller,
    inst: Inst,
    *,
    new_token: str | None = None,
    error: CamwardenError | None = None,
) -> Response:
    with inst.database.reading() as session:
        tokens = inst.authentication.list_api_tokens(session, caller.actor)
    return page(
        request, caller, "account.html", {"tokens": tokens, "new_token": new_token}, error=error
    )


@page_router.get("/account")
def account(request: Request, caller: PageCaller, inst: Inst) -> Response:
    return _account_page(request, caller, inst)


@page_router.post("/account/tokens")
def create_token(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    name: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    try:
        with inst.database.transaction() as session:
            _token, plain = inst.authentication.create_api_token(session, caller.actor, name)
    except CamwardenError as error:
        return _account_page(request, caller, inst, error=error)
    return _account_page(request, caller, inst, new_token=plain)


@page_router.post("/account/tokens/{token_id}/revoke")
def revoke_token(request: Request, caller: FormCaller, inst: Inst, token_id: int) -> Response:
    with inst.database.transaction() as session:
        inst.authentication.revoke_api_token(session, caller.actor, token_id)
    return redirect("/account", "token_revoked")
