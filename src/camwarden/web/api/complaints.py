"""Complaints (R-3.1) for the people who handle them, and filing by a signed-in account.

The public files and follows a complaint on the pages (/complaint), with attachments and the
tracking code; the API files without attachments.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from camwarden.governance.complaints import ComplaintFile, FootageRange, is_overdue
from camwarden.storage.models import Complaint
from camwarden.web.api._routing import CONFLICT, NOT_FOUND, _id_parameter, resource_router
from camwarden.web.api._types import Id, UtcInput, UtcOutput
from camwarden.web.api.schemas import RequestBody, ResponseBody
from camwarden.web.security import ApiCaller, Inst

router = resource_router("/complaints", "complaints")
ComplaintId = Annotated[int, _id_parameter("The complaint's id.")]


class FootageNamed(RequestBody):
    camera_id: Id
    start: UtcInput
    end: UtcInput


class ComplaintCreate(RequestBody):
    kind: Literal["complaint", "see_myself"] = Field(max_length=20)
    name: str = Field(max_length=1000)
    contact: str = Field(max_length=1000)
    subject: str = Field(max_length=1000)
    description: str = Field(max_length=20000)
    footage: list[FootageNamed] = Field(default_factory=list, max_length=20)


class ComplaintFiled(ResponseBody):
    id: int
    reference: str
    tracking_code: str = Field(description="Shown once: only its hash is kept.")
    deadline_at: UtcOutput


class MessageOut(ResponseBody):
    from_complainant: bool
    author: str
    body: str
    written_at: UtcOutput


class FootageOut(ResponseBody):
    camera_id: int
    camera_name: str
    start: UtcOutput
    end: UtcOutput


class AttachmentOut(ResponseBody):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str


class ComplaintOut(ResponseBody):
    id: int
    reference: str
    kind: str
    status: str
    subject: str
    complainant_name: str
    submitted_at: UtcOutput
    deadline_at: UtcOutput
    overdue: bool
    assignee_id: int | None
    decision: str
    decided_at: UtcOutput | None


class ComplaintDetail(ComplaintOut):
    description: str
    complainant_contact: str
    messages: list[MessageOut]
    footage: list[FootageOut]
    attachments: list[AttachmentOut]


class AssignBody(RequestBody):
    assignee_id: Id


class TextBody(RequestBody):
    body: str = Field(max_length=20000)


class DecisionBody(RequestBody):
    decision: str = Field(max_length=20000)


def _out(complaint: Complaint, inst: Inst) -> dict[str, object]:
    return {
        "id": complaint.id,
        "reference": complaint.reference,
        "kind": complaint.kind,
        "status": complaint.status,
        "subject": complaint.subject,
        "complainant_name": complaint.complainant_name,
        "submitted_at": complaint.submitted_at,
        "deadline_at": complaint.deadline_at,
        "overdue": is_overdue(complaint, inst.clock.now()),
        "assignee_id": complaint.assignee_user_id,
        "decision": complaint.decision,
        "decided_at": complaint.decided_at,
    }


def _detail(shown: ComplaintFile, inst: Inst) -> ComplaintDetail:
    complaint = shown.complaint
    return ComplaintDetail(
        **_out(complaint, inst),  # type: ignore[arg-type]
        description=complaint.description,
        complainant_contact=complaint.complainant_contact,
        messages=[
            MessageOut(
                from_complainant=m.from_complainant,
                author=m.author,
                body=m.body,
                written_at=m.written_at,
            )
            for m in shown.messages
        ],
        footage=[
            FootageOut(
                camera_id=f.camera_id, camera_name=f.camera.name, start=f.start_at, end=f.end_at
            )
            for f in shown.footage
        ],
        attachments=[
            AttachmentOut(
                id=a.id,
                filename=a.filename,
                content_type=a.content_type,
                size=a.size,
                sha256=a.sha256,
            )
            for a in shown.attachments
        ],
    )


@router.get("", response_model=list[ComplaintOut], name="list_complaints")
def list_complaints(inst: Inst, caller: ApiCaller) -> list[ComplaintOut]:
    """Open complaints first, nearest deadline first; then the closed ones."""
    with inst.database.reading() as session:
        return [
            ComplaintOut(**_out(c, inst))  # type: ignore[arg-type]
            for c in inst.complaints.listed(session, caller.actor)
        ]


@router.post("", status_code=201, response_model=ComplaintFiled, name="file_complaint")
def file_complaint(body: ComplaintCreate, inst: Inst, caller: ApiCaller) -> ComplaintFiled:
    """File a complaint in the caller's name (attachments: on the /complaint page)."""
    with inst.database.transaction() as session:
        filed = inst.complaints.file(
            session,
            caller.actor,
            kind=body.kind,
            name=body.name,
            contact=body.contact,
            subject=body.subject,
            description=body.description,
            footage=[FootageRange(f.camera_id, f.start, f.end) for f in body.footage],
            ip=caller.actor.ip,
        )
        return ComplaintFiled(
            id=filed.complaint.id,
            reference=filed.complaint.reference,
            tracking_code=filed.tracking_code,
            deadline_at=filed.complaint.deadline_at,
        )


@router.get(
    "/{complaint_id}", response_model=ComplaintDetail, responses=NOT_FOUND, name="get_complaint"
)
def get_complaint(complaint_id: ComplaintId, inst: Inst, caller: ApiCaller) -> ComplaintDetail:
    """One complaint with the person's contact, the exchanges, the footage it holds and its
    files (download them on the complaint's page, where each opening is audited)."""
    with inst.database.reading() as session:
        complaint = inst.complaints.get(session, caller.actor, complaint_id)
        return _detail(inst.complaints.details(session, complaint), inst)


@router.post(
    "/{complaint_id}/assign",
    response_model=ComplaintOut,
    responses={**NOT_FOUND, **CONFLICT},
    name="assign_complaint",
)
def assign_complaint(
    complaint_id: ComplaintId, body: AssignBody, inst: Inst, caller: ApiCaller
) -> ComplaintOut:
    """Give the complaint to an active account that may handle complaints; it is told by
    e-mail."""
    with inst.database.transaction() as session:
        complaint = inst.complaints.assign(session, caller.actor, complaint_id, body.assignee_id)
        return ComplaintOut(**_out(complaint, inst))  # type: ignore[arg-type]


@router.post(
    "/{complaint_id}/messages",
    status_code=201,
    response_model=MessageOut,
    responses={**NOT_FOUND, **CONFLICT},
    name="write_to_complainant",
)
def write_to_complainant(
    complaint_id: ComplaintId, body: TextBody, inst: Inst, caller: ApiCaller
) -> MessageOut:
    """A message to the person: shown on their tracking page and mailed to an e-mail contact."""
    with inst.database.transaction() as session:
        message = inst.complaints.write(session, caller.actor, complaint_id, body.body)
        return MessageOut(
            from_complainant=False,
            author=message.author,
            body=message.body,
            written_at=message.written_at,
        )


@router.post(
    "/{complaint_id}/progress",
    response_model=ComplaintOut,
    responses={**NOT_FOUND, **CONFLICT},
    name="start_complaint",
)
def start_complaint(complaint_id: ComplaintId, inst: Inst, caller: ApiCaller) -> ComplaintOut:
    """Mark a received complaint in progress, so that the person sees someone is on it."""
    with inst.database.transaction() as session:
        complaint = inst.complaints.start(session, caller.actor, complaint_id)
        return ComplaintOut(**_out(complaint, inst))  # type: ignore[arg-type]


@router.post(
    "/{complaint_id}/decide",
    response_model=ComplaintOut,
    responses={**NOT_FOUND, **CONFLICT},
    name="decide_complaint",
)
def decide_complaint(
    complaint_id: ComplaintId, body: DecisionBody, inst: Inst, caller: ApiCaller
) -> ComplaintOut:
    """Decide with reasons (required): closes the complaint, releases the footage it held and
    tells the person."""
    with inst.database.transaction() as session:
        complaint = inst.complaints.decide(session, caller.actor, complaint_id, body.decision)
        return ComplaintOut(**_out(complaint, inst))  # type: ignore[arg-type]


__all__ = ["router"]
