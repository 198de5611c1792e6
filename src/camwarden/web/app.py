"""Builds the ASGI application for one installation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from camwarden import __version__, i18n
from camwarden.capture.live import LiveHub
from camwarden.installation import Installation
from camwarden.monitoring.health import StatusSource
from camwarden.web.api import api_router
from camwarden.web.errors import install_error_handlers
from camwarden.web.security import LANGUAGE_COOKIE
from camwarden.web.views import page_router

STATIC_DIR = Path(__file__).parent / "static"

SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "media-src 'self' blob:; frame-ancestors 'none'; form-action 'self'"
    ),
}


def request_locale(request: Request, default: str) -> str:
    """The language chosen with the switch (cookie); otherwise the school's default.

    A browser's Accept-Language is not followed: many school PCs run an English Windows, and
    their people still read Vietnamese. Scripts with an API token may ask with Accept-Language.
    """
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in i18n.SUPPORTED_LOCALES:
        return chosen
    if request.headers.get("authorization", "").lower().startswith("bearer "):
        accept = request.headers.get("accept-language", "")
        first = accept.split(",")[0].split(";")[0].strip()
        if first:
            return i18n.normalise_locale(first)
    return default


def create_app(
    installation: Installation,
    *,
    live: LiveHub | None = None,
    recording: StatusSource | None = None,
) -> FastAPI:
    """The app; `live` is the recorders' live hub when this process records (else no live view),
    and `recording` their status for the health page (else it reads the recording index)."""
    app = FastAPI(
        title="camwarden",
        version=__version__,
        description="CCTV management for schools, run by the school's own regulation.",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    app.state.installation = installation
    app.state.live = live
    app.state.recording = recording
    default_locale = installation.settings.default_locale

    @app.middleware("http")
    async def locale_and_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        token = i18n.set_current_locale(request_locale(request, default_locale))
        try:
            response = await call_next(request)
        finally:
            i18n.reset_locale(token)
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(api_router)
    app.include_router(page_router)
    return app
