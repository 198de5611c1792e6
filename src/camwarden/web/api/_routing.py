"""What every resource router shares: malformed requests answered as domain errors in the
caller's language, the error answers each operation documents, and the path id parameter."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from camwarden.errors import InvalidInput
from camwarden.web.api._invalid import UNREADABLE_BODY, invalid_input
from camwarden.web.api._types import MAX_ID
from camwarden.web.api.schemas import ErrorBody


class ApiRoute(APIRoute):
    """A route whose malformed requests become `InvalidInput`, mapped like every domain error."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                raise invalid_input(exc.errors()) from None
            except HTTPException as exc:
                # FastAPI's answer to a body it cannot decode (e.g. not UTF-8).
                if exc.status_code != 400:
                    raise
                raise InvalidInput(UNREADABLE_BODY) from None

        return handle


Responses = dict[int | str, dict[str, Any]]


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


# Every operation needs a caller with a usable account and may meet a malformed request
# (an unreadable body, a bad parameter or field: all 422).
COMMON_ERRORS: Responses = {
    401: _error("No valid API token or session, or a session request without X-CSRF-Token."),
    403: _error("The role or zone scope does not allow this, or the password must be changed."),
    422: _error("The input is malformed or breaks a rule; nothing was changed."),
}
NOT_FOUND: Responses = {404: _error("No such item, or it lies outside the caller's zones.")}
CONFLICT: Responses = {
    409: _error("The change clashes with the current state (duplicate, transition).")
}


def resource_router(prefix: str, tag: str) -> APIRouter:
    """A router for one resource; its routes use `ApiRoute` and document the common errors."""
    return APIRouter(prefix=prefix, tags=[tag], route_class=ApiRoute, responses=COMMON_ERRORS)


def _id_parameter(description: str) -> Any:
    return Path(ge=1, le=MAX_ID, description=description, examples=[1])


UserId = Annotated[int, _id_parameter("The account's id.")]
TokenId = Annotated[int, _id_parameter("The token's id.")]
ZoneId = Annotated[int, _id_parameter("The zone's id.")]
CameraId = Annotated[int, _id_parameter("The camera's id.")]
ExportId = Annotated[int, _id_parameter("The evidence export's id.")]
