"""Requests for footage (R-4.2): filed by a signed-in person, listed and decided by the Board.

The public form without an account is a page (/request), not an API operation: it carries its
own CSRF cookie and a per-address limit.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field
from sqlalchemy.orm import Session

from camwarden.governance._requests_checks import MAX_CAMERAS, MAX_VALID_DAYS, MIN_VALID_DAYS
from camwarden.governance._requests_copy import prepare_copy
from camwarden.installation import Installation
from camwarden.storage.models import FootageRequest
from camwarden.web.api._routing import CONFLICT, NOT_FOUND, _id_parameter, resource_router
from camwarden.web.api._types import Id, UtcInput, UtcOutput
from camwarden.web.api.schemas import RequestBody, ResponseBody
from camwarden.web.security import ApiCaller, Inst

router = resource_router("/requests", "requests")

RequestId = Annotated[int, _id_parameter("The footage request's id.")]
# An instant as text is bounded like any text a client sends.
Instant = Annotated[UtcInput, Field(json_schema_extra={"maxLength": 40})]


class Access(StrEnum):
    WATCH = "watch"
    COPY = "copy"


class FootageRequestFile(RequestBody):
    purpose: str = Field(min_length=1, max_length=4000, examples=["Xem lại vụ ngã ở cổng"])
    access: Access = Access.WATCH
    camera_ids: list[Id] = Field(min_length=1, max_length=MAX_CAMERAS)
    footage_start: Instant
    footage_end: Instant
    contact: str = Field(min_length=1, max_length=200, examples=["0912 345 678"])
    organisation: str = Field("", max_length=200)


class FootageRequestApprove(RequestBody):
    reason: str = Field("", max_length=2000)
    valid_days: int = Field(7, ge=MIN_VALID_DAYS, le=MAX_VALID_DAYS)


class FootageRequestRefuse(RequestBody):
    reason: str = Field(min_length=1, max_length=2000)


class GrantOut(ResponseBody):
    id: int
    access: str
    footage_start: UtcOutput
    footage_end: UtcOutput
    expires_at: UtcOutput
    revoked_at: UtcOutput | None
    valid: bool


class FootageRequestOut(ResponseBody):
    id: int
    reference: str
    status: str
    waiting_for_second_approval: bool
    requester_name: str
    requester_contact: str
    requester_organisation: str
    purpose: str
    access: str
    camera_ids: list[int]
    footage_start: UtcOutput
    footage_end: UtcOutput
    submitted_at: UtcOutput
    first_approval_by: str | None
    second_approval_by: str | None
    decided_by: str | None
    decided_at: UtcOutput | None
    decision_reason: str
    grant: GrantOut | None


class FiledOut(ResponseBody):
    id: int
    reference: str
    tracking_code: str = Field(description="Shown once: only its hash is kept.")


class DecisionOut(FootageRequestOut):
    link: str | None = Field(
        None, description="For a grantee without an account: the grant page, shown once."
    )


class FootageRequestList(ResponseBody):
    items: list[FootageRequestOut]


def _out(inst: Installation, session: Session, request: FootageRequest) -> FootageRequestOut:
    grant = inst.requests.current_grant(session, request.id)
    return FootageRequestOut(
        id=request.id,
        reference=request.reference,
        status=request.status,
        waiting_for_second_approval=inst.requests.waiting_for_second(request),
        requester_name=request.requester_name,
        requester_contact=request.requester_contact,
        requester_organisation=request.requester_organisation,
        purpose=request.purpose,
        access=request.access,
        camera_ids=[c.id for c in request.cameras],
        footage_start=request.footage_start,
        footage_end=request.footage_end,
        submitted_at=request.submitted_at,
        first_approval_by=request.first_approval_by,
        second_approval_by=request.second_approval_by,
        decided_by=request.decided_by,
        decided_at=request.decided_at,
        decision_reason=request.decision_reason,
        grant=GrantOut(
            id=grant.id,
            access=grant.access,
            footage_start=grant.footage_start,
            footage_end=grant.footage_end,
            expires_at=grant.expires_at,
            revoked_at=grant.revoked_at,
            valid=inst.requests.grant_is_valid(grant),
        )
        if grant is not None
        else None,
    )


@router.get("", response_model=FootageRequestList, name="list_footage_requests")
def list_requests(inst: Inst, caller: ApiCaller) -> FootageRequestList:
    """Pending requests first (oldest first), then the decided ones, newest first."""
    with inst.database.reading() as session:
        listed = inst.requests.list(session, caller.actor)
        return FootageRequestList(items=[_out(inst, session, r) for r in listed])


@router.post("", response_model=FiledOut, status_code=201, name="file_footage_request")
def file_request(body: FootageRequestFile, inst: Inst, caller: ApiCaller) -> FiledOut:
    """Ask for footage in one's own name; the footage is held while the Board decides."""
    with inst.database.transaction() as session:
        filed = inst.requests.file(
            session,
            actor=caller.actor,
            name=caller.user.full_name,
            contact=body.contact,
            organisation=body.organisation,
            purpose=body.purpose,
            access=body.access.value,
            camera_ids=body.camera_ids,
            footage_start=body.footage_start,
            footage_end=body.footage_end,
        )
        return FiledOut(
            id=filed.request.id,
            reference=filed.request.reference,
            tracking_code=filed.tracking_code,
        )


@router.get(
    "/{request_id}",
    response_model=FootageRequestOut,
    responses=NOT_FOUND,
    name="get_footage_request",
)
def get_request(request_id: RequestId, inst: Inst, caller: ApiCaller) -> FootageRequestOut:
    """One request with its approvals, decision and current grant."""
    with inst.database.reading() as session:
        return _out(inst, session, inst.requests.get(session, caller.actor, request_id))


@router.post(
    "/{request_id}/approve",
    response_model=DecisionOut,
    responses={**NOT_FOUND, **CONFLICT},
    name="approve_footage_request",
)
def approve_request(
    request_id: RequestId, body: FootageRequestApprove, inst: Inst, caller: ApiCaller
) -> DecisionOut:
    """Approve; a copy may wait for a second board member before its grant exists."""
    with inst.database.transaction() as session:
        decision = inst.requests.approve(
            session, caller.actor, request_id, reason=body.reason, valid_days=body.valid_days
        )
    prepare_copy(inst, caller.actor, decision)
    base = inst.settings.public_url.rstrip("/")
    with inst.database.reading() as session:
        out = _out(inst, session, inst.requests.get(session, caller.actor, request_id))
    link = f"{base}/grants/{decision.link_token}" if decision.link_token else None
    return DecisionOut(**out.model_dump(), link=link)


@router.post(
    "/{request_id}/refuse",
    response_model=FootageRequestOut,
    responses={**NOT_FOUND, **CONFLICT},
    name="refuse_footage_request",
)
def refuse_request(
    request_id: RequestId, body: FootageRequestRefuse, inst: Inst, caller: ApiCaller
) -> FootageRequestOut:
    """Refuse with a reason, which the requester reads; the footage is no longer held."""
    with inst.database.transaction() as session:
        decision = inst.requests.refuse(session, caller.actor, request_id, reason=body.reason)
        return _out(inst, session, decision.request)


@router.post(
    "/{request_id}/revoke",
    response_model=FootageRequestOut,
    responses={**NOT_FOUND, **CONFLICT},
    name="revoke_footage_grant",
)
def revoke_grant(
    request_id: RequestId, body: FootageRequestRefuse, inst: Inst, caller: ApiCaller
) -> FootageRequestOut:
    """End the request's grant before it expires; its footage is no longer held."""
    with inst.database.transaction() as session:
        inst.requests.revoke(session, caller.actor, request_id, reason=body.reason)
        return _out(inst, session, inst.requests.get(session, caller.actor, request_id))
