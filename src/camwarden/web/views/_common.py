"""Helpers shared by the page modules: rendering with the caller, redirects with a notice."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from camwarden.errors import CamwardenError
from camwarden.governance.authorization import can
from camwarden.i18n import N_, gettext
from camwarden.web.security import Caller
from camwarden.web.templating import render

# Notices shown once after a redirect; only these keys are accepted, nothing is reflected.
NOTICES: dict[str, str] = {
    "saved": N_("Saved."),
    "created": N_("Created."),
    "deleted": N_("Deleted."),
    "password_changed": N_("Your password has been changed."),
    "token_revoked": N_("The token has been revoked."),
    "state_changed": N_("The camera's state has been changed."),
    "view_learning": N_(
        "The camera learns its normal view again within half a minute; its tamper detections "
        "have ended."
    ),
}


def page(
    request: Request,
    caller: Caller | None,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    error: CamwardenError | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    notice_key = request.query_params.get("notice", "")
    full: dict[str, Any] = {
        "caller": caller,
        "can": (lambda permission, zone_id=None: can(caller.actor, permission, zone_id))
        if caller
        else (lambda *_: False),
        "notice": gettext(NOTICES[notice_key]) if notice_key in NOTICES else "",
        "error": error.render(gettext) if error else "",
        "error_field": getattr(error, "field", None),
        **(context or {}),
    }
    if error is not None and status_code == 200:
        status_code = error.http_status
    return render(request, template, full, status_code=status_code)


def redirect(path: str, notice: str | None = None) -> RedirectResponse:
    target = f"{path}?notice={notice}" if notice else path
    return RedirectResponse(target, status_code=303)


def safe_next(candidate: str | None, default: str = "/") -> str:
    """Only a path on this site: never an open redirect to somewhere else."""
    if not candidate:
        return default
    parts = urlsplit(candidate)
    if parts.scheme or parts.netloc or not candidate.startswith("/") or candidate.startswith("//"):
        return default
    return candidate
