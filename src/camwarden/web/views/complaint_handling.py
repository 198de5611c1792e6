"""Complaint pages for the handlers (R-3.1): the list, a complaint's file and history, and
each step (assign, write to the person, start, decide with reasons) in its own transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Form, Request
from sqlalchemy.orm import Session
from starlette.responses import FileResponse, Response

from camwarden.errors import CamwardenError
from camwarden.governance.authorization import can
from camwarden.governance.complaints import ComplaintStatus, is_open, is_overdue
from camwarden.governance.roles import Permission
from camwarden.i18n import N_, gettext
from camwarden.installation import Installation
from camwarden.web.security import Caller, FormCaller, Inst, PageCaller
from camwarden.web.views import page_router
from camwarden.web.views._common import page, redirect
from camwarden.web.views.complaints import complaint_labels

# A complaint's history in words, not audit codes.
HISTORY_LABELS = {
    "complaint.filed": N_("Complaint filed"),
    "complaint.replied": N_("The person replied"),
    "complaint.withdrawn": N_("The person withdrew it"),
    "complaint.assigned": N_("Assigned"),
    "complaint.message": N_("Message to the person"),
    "complaint.in_progress": N_("Marked in progress"),
    "complaint.decided": N_("Decided with reasons"),
    "complaint.attachment_opened": N_("Attachment opened"),
    "complaint.due_soon": N_("Reminder: the deadline is near"),
    "complaint.overdue": N_("Reminder: the deadline has passed"),
}


@page_router.get("/complaints")
def complaints_list(request: Request, caller: PageCaller, inst: Inst) -> Response:
    with inst.database.reading() as session:
        listed = inst.complaints.listed(session, caller.actor)
    now = inst.clock.now()
    rows = [(c, is_overdue(c, now)) for c in listed]
    return page(request, caller, "complaints/list.html", {"rows": rows, **complaint_labels()})


def _detail_page(
    request: Request,
    caller: Caller,
    inst: Installation,
    complaint_id: int,
    *,
    error: CamwardenError | None = None,
) -> Response:
    with inst.database.reading() as session:
        complaint = inst.complaints.get(session, caller.actor, complaint_id)
        shown = inst.complaints.details(session, complaint)
        history = inst.complaints.history(session, caller.actor, complaint_id)
        handlers = inst.complaints.handlers(session)
        playable = {
            f.camera_id
            for f in shown.footage
            if can(caller.actor, Permission.PLAY_BACK, f.camera.zone_id)
        }
    context = {
        "file": shown,
        "history": history,
        "handlers": handlers,
        "playable": playable,
        "is_open": is_open(complaint),
        "may_start": complaint.status == ComplaintStatus.RECEIVED,
        "overdue": is_overdue(complaint, inst.clock.now()),
        "action_labels": {k: gettext(v) for k, v in HISTORY_LABELS.items()},
        **complaint_labels(),
    }
    return page(request, caller, "complaints/detail.html", context, error=error)


@page_router.get("/complaints/{complaint_id}")
def complaint_page(request: Request, caller: PageCaller, inst: Inst, complaint_id: int) -> Response:
    return _detail_page(request, caller, inst, complaint_id)


@page_router.get("/complaints/{complaint_id}/attachments/{attachment_id}")
def attachment(caller: PageCaller, inst: Inst, complaint_id: int, attachment_id: int) -> Response:
    with inst.database.transaction() as session:
        found, path = inst.complaints.attachment(session, caller.actor, complaint_id, attachment_id)
        name, content_type = found.filename, found.content_type
    # Always a download, in the type read from its content: never rendered by the browser.
    return FileResponse(
        path, media_type=content_type, filename=name, content_disposition_type="attachment"
    )


def _handle(
    request: Request,
    caller: Caller,
    inst: Installation,
    complaint_id: int,
    step: Callable[[Session], object],
) -> Response:
    """One handler's step in its own transaction: back to the complaint, or its page again
    with the error and nothing changed."""
    try:
        with inst.database.transaction() as session:
            step(session)
    except CamwardenError as error:
        return _detail_page(request, caller, inst, complaint_id, error=error)
    return redirect(f"/complaints/{complaint_id}", "saved")


@page_router.post("/complaints/{complaint_id}/assign")
def assign(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    complaint_id: int,
    assignee_id: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    chosen = int(assignee_id) if assignee_id.isdigit() else 0
    return _handle(
        request,
        caller,
        inst,
        complaint_id,
        lambda session: inst.complaints.assign(session, caller.actor, complaint_id, chosen),
    )


@page_router.post("/complaints/{complaint_id}/messages")
def write(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    complaint_id: int,
    body: Annotated[str, Form(max_length=20000)] = "",
) -> Response:
    return _handle(
        request,
        caller,
        inst,
        complaint_id,
        lambda session: inst.complaints.write(session, caller.actor, complaint_id, body),
    )


@page_router.post("/complaints/{complaint_id}/progress")
def start(request: Request, caller: FormCaller, inst: Inst, complaint_id: int) -> Response:
    return _handle(
        request,
        caller,
        inst,
        complaint_id,
        lambda session: inst.complaints.start(session, caller.actor, complaint_id),
    )


@page_router.post("/complaints/{complaint_id}/decide")
def decide(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    complaint_id: int,
    decision: Annotated[str, Form(max_length=20000)] = "",
) -> Response:
    return _handle(
        request,
        caller,
        inst,
        complaint_id,
        lambda session: inst.complaints.decide(session, caller.actor, complaint_id, decision),
    )
