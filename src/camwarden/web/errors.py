"""The one place where errors become HTTP answers: JSON for the API, pages for people."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from camwarden import i18n
from camwarden.errors import CamwardenError, InvalidInput, PasswordChangeRequired
from camwarden.web.security import LoginRequired
from camwarden.web.templating import render

API_PREFIX = "/api/"


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def error_body(error: CamwardenError) -> dict[str, object]:
    body: dict[str, object] = {
        "kind": type(error).__name__,
        "message": error.render(i18n.gettext),
    }
    if isinstance(error, InvalidInput) and error.field:
        body["field"] = error.field
    return {"error": body}


def _page_error(request: Request, status: int, message: str) -> Response:
    return render(request, "error.html", {"status": status, "message": message}, status_code=status)


async def _camwarden_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CamwardenError)
    if _wants_json(request):
        return JSONResponse(error_body(exc), status_code=exc.http_status)
    if isinstance(exc, PasswordChangeRequired):
        return RedirectResponse("/account/password", status_code=303)
    return _page_error(request, exc.http_status, exc.render(i18n.gettext))


async def _login_required(request: Request, exc: Exception) -> Response:
    return RedirectResponse(f"/login?next={request.url.path}", status_code=303)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for item in exc.errors():
        location = ".".join(str(part) for part in item.get("loc", ()) if part != "body")
        problems.append(f"{location}: {item.get('msg', '')}")
    message = i18n.gettext("The request is not valid: {problems}").format(
        problems="; ".join(problems)
    )
    if _wants_json(request):
        return JSONResponse(
            {"error": {"kind": "InvalidInput", "message": message}}, status_code=422
        )
    return _page_error(request, 422, message)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    messages = {
        404: i18n.gettext("This page does not exist."),
        405: i18n.gettext("This method is not allowed here."),
    }
    message = messages.get(exc.status_code, str(exc.detail))
    if _wants_json(request):
        return JSONResponse(
            {"error": {"kind": "HTTPError", "message": message}},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )
    return _page_error(request, exc.status_code, message)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(CamwardenError, _camwarden_error)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
