"""One's own account: profile, API tokens for scripts, how one is told of alerts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import Form, Request
from starlette.responses import Response

from camwarden.errors import CamwardenError
from camwarden.governance.alerts import Severity
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


def _notifications_page(
    request: Request,
    caller: PageCaller,
    inst: Inst,
    *,
    values: dict[str, object] | None = None,
    error: CamwardenError | None = None,
) -> Response:
    with inst.database.reading() as session:
        preference = inst.notifications.of(session, caller.user.id)
    shown = values or {
        "email_enabled": preference.email_enabled,
        "min_severity": preference.min_severity.value,
        "quiet_hours": str(preference.quiet_hours) if preference.quiet_hours else "",
    }
    context = {
        "values": shown,
        "targets": inst.notifications.shown(preference),
        "severities": list(Severity),
        "mail_configured": bool(inst.settings.mail_url),
    }
    return page(request, caller, "account_notifications.html", context, error=error)


@page_router.get("/account/notifications")
def notifications(request: Request, caller: PageCaller, inst: Inst) -> Response:
    return _notifications_page(request, caller, inst)


@page_router.post("/account/notifications")
def set_notifications(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    email_enabled: Annotated[str, Form(max_length=10)] = "",
    min_severity: Annotated[str, Form(max_length=20)] = "high",
    quiet_hours: Annotated[str, Form(max_length=100)] = "",
    new_targets: Annotated[str, Form(max_length=10000)] = "",
    remove_targets: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    values: dict[str, object] = {
        "email_enabled": email_enabled == "on",
        "min_severity": min_severity,
        "quiet_hours": quiet_hours,
    }
    try:
        with inst.database.transaction() as session:
            # Stored addresses are never sent back to the browser: they stay unless new ones
            # are written out in full, or all are removed.
            if new_targets.strip():
                targets: Sequence[str] = new_targets.splitlines()
            elif remove_targets == "on":
                targets = []
            else:
                targets = inst.notifications.of(session, caller.user.id).extra_targets
            inst.notifications.set_own(
                session,
                caller.actor,
                email_enabled=email_enabled == "on",
                extra_targets=targets,
                min_severity=min_severity,
                quiet_hours=quiet_hours,
            )
    except CamwardenError as error:
        return _notifications_page(request, caller, inst, values=values, error=error)
    return redirect("/account/notifications", "saved")
