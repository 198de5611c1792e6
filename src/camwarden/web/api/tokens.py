"""The caller's own API tokens: list, create (the plain token answered once), revoke."""

from __future__ import annotations

from fastapi import Response

from camwarden.storage.models import ApiToken
from camwarden.web.api._routing import CONFLICT, NOT_FOUND, TokenId, resource_router
from camwarden.web.api.schemas import TokenCreate, TokenCreated, TokenOut
from camwarden.web.security import ApiCaller, Inst

router = resource_router("/tokens", "tokens")


def token_out(token: ApiToken) -> TokenOut:
    return TokenOut(id=token.id, name=token.name, created_at=token.created_at)


@router.get("", response_model=list[TokenOut], name="list_tokens")
def list_tokens(inst: Inst, caller: ApiCaller) -> list[TokenOut]:
    """The caller's tokens that are not revoked, oldest first."""
    with inst.database.reading() as session:
        return [token_out(t) for t in inst.authentication.list_api_tokens(session, caller.actor)]


@router.post(
    "",
    status_code=201,
    response_model=TokenCreated,
    responses=CONFLICT,
    name="create_token",
)
def create_token(body: TokenCreate, inst: Inst, caller: ApiCaller) -> TokenCreated:
    """A bearer token acting as the caller; the plain value is answered this once only."""
    with inst.database.transaction() as session:
        token, plain = inst.authentication.create_api_token(session, caller.actor, body.name)
        return TokenCreated(**token_out(token).model_dump(), token=plain)


@router.delete(
    "/{token_id}",
    status_code=204,
    response_class=Response,
    responses=NOT_FOUND,
    name="revoke_token",
)
def revoke_token(token_id: TokenId, inst: Inst, caller: ApiCaller) -> None:
    """Revoke one of the caller's tokens; it stops working at once."""
    with inst.database.transaction() as session:
        inst.authentication.revoke_api_token(session, caller.actor, token_id)
