"""Shift handovers between guards (R-7.1): the outgoing guard writes what happened and what is
pending, the incoming guard signs it. The page is web/views/roster.py's; the daily report
(web/api/reports.py) lists the day's handovers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Annotated

from fastapi import Query
from pydantic import Field
from sqlalchemy.orm import Session

from camwarden import i18n
from camwarden.governance.authorization import Actor
from camwarden.governance.roster import MAX_TEXT
from camwarden.installation import Installation
from camwarden.storage.models import ShiftHandover
from camwarden.web.api._routing import CONFLICT, NOT_FOUND, _id_parameter, resource_router
from camwarden.web.api._types import Id, UtcOutput
from camwarden.web.api.schemas import RequestBody, ResponseBody
from camwarden.web.security import ApiCaller, Inst

router = resource_router("/handovers", "roster")

HandoverId = Annotated[int, _id_parameter("The handover's id.")]

HANDOVER_DAYS = 7
MAX_HANDOVER_DAYS = 31


class HandoverOut(ResponseBody):
    id: int
    from_user_id: int
    from_name: str
    to_user_id: int
    to_name: str
    written_at: UtcOutput
    written_at_local: str
    happened: str
    pending: str
    signed_at: UtcOutput | None = Field(description="None until the incoming guard signs.")
    signed_at_local: str
    signed_note: str


class HandoverList(ResponseBody):
    waiting_for_me: list[HandoverOut] = Field(
        description="Handovers to the caller that the caller has not signed yet."
    )
    items: list[HandoverOut] = Field(description="Written in the last days, newest first.")


class HandoverNew(RequestBody):
    to_user_id: Id = Field(description="The guard taking over (not the caller).")
    happened: str = Field(min_length=1, max_length=MAX_TEXT, examples=["Đêm yên tĩnh"])
    pending: str = Field("", max_length=MAX_TEXT, examples=["Camera sân sau còn mờ"])


class HandoverSign(RequestBody):
    note: str = Field("", max_length=MAX_TEXT, examples=["Đã nhận, sẽ gọi kỹ thuật"])


def handover_out(handover: ShiftHandover) -> HandoverOut:
    return HandoverOut(
        id=handover.id,
        from_user_id=handover.from_user_id,
        from_name=handover.from_user.full_name,
        to_user_id=handover.to_user_id,
        to_name=handover.to_user.full_name,
        written_at=handover.written_at,
        written_at_local=i18n.format_datetime(handover.written_at),
        happened=handover.happened,
        pending=handover.pending,
        signed_at=handover.signed_at,
        signed_at_local=i18n.format_datetime(handover.signed_at),
        signed_note=handover.signed_note,
    )


def recent_handovers(
    inst: Installation, session: Session, actor: Actor, days: int = HANDOVER_DAYS
) -> Sequence[ShiftHandover]:
    now = inst.clock.now()
    # The range's end is excluded: a second ahead keeps a handover written this instant.
    return inst.roster.handovers(
        session, actor, now - timedelta(days=days), now + timedelta(seconds=1)
    )


@router.get("", response_model=HandoverList, name="list_handovers")
def list_handovers(
    inst: Inst,
    caller: ApiCaller,
    days: Annotated[
        int, Query(ge=1, le=MAX_HANDOVER_DAYS, description="Handovers of this many last days.")
    ] = HANDOVER_DAYS,
) -> HandoverList:
    """The recent handovers, and those waiting for the caller's signature."""
    with inst.database.reading() as session:
        recent = recent_handovers(inst, session, caller.actor, days)
        waiting = inst.roster.waiting_for(session, caller.actor)
        return HandoverList(
            waiting_for_me=[handover_out(h) for h in waiting],
            items=[handover_out(h) for h in recent],
        )


@router.post(
    "", response_model=HandoverOut, status_code=201, responses=NOT_FOUND, name="write_handover"
)
def write_handover(body: HandoverNew, inst: Inst, caller: ApiCaller) -> HandoverOut:
    """The outgoing guard's note: what happened, what is pending, and who takes over."""
    with inst.database.transaction() as session:
        handover = inst.roster.write_handover(
            session,
            caller.actor,
            to_user_id=body.to_user_id,
            happened=body.happened,
            pending=body.pending,
        )
        return handover_out(handover)


@router.post(
    "/{handover_id}/sign",
    response_model=HandoverOut,
    responses={**NOT_FOUND, **CONFLICT},
    name="sign_handover",
)
def sign_handover(
    handover_id: HandoverId, body: HandoverSign, inst: Inst, caller: ApiCaller
) -> HandoverOut:
    """The incoming guard named in the handover signs it, once, with an optional note."""
    with inst.database.transaction() as session:
        return handover_out(
            inst.roster.sign_handover(session, caller.actor, handover_id, body.note)
        )
