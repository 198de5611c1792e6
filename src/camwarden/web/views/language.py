"""Switching between Vietnamese and English; remembered in a cookie."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from camwarden import i18n
from camwarden.web.security import LANGUAGE_COOKIE
from camwarden.web.views import page_router
from camwarden.web.views._common import redirect, safe_next


@page_router.get("/language/{locale}")
def choose_language(request: Request, locale: str) -> Response:
    response = redirect(safe_next(request.query_params.get("next")))
    response.set_cookie(
        LANGUAGE_COOKIE, i18n.normalise_locale(locale), max_age=365 * 24 * 3600, samesite="lax"
    )
    return response
