"""Complaint pages: the public form and tracking page (no account), the handlers' list and
file (R-3.1).

The public forms carry a CSRF token in a cookie of their own, like the login form. The
tracking code never goes into a URL (it would be kept in logs and histories): it travels in
the posted form and the page that opens with it is never cached.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import File, Form, Request, UploadFile
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import FileResponse, Response

from camwarden.errors import CamwardenError, InvalidInput
from camwarden.governance._complaint_files import (
    ALLOWED_KINDS_LABEL,
    MAX_ATTACHMENT_BYTES,
    MAX_FILES_PER_SUBMISSION,
)
from camwarden.governance.authorization import can
from camwarden.governance.cameras import CameraState
from camwarden.governance.complaints import (
    KIND_LABELS,
    STATUS_LABELS,
    ComplaintStatus,
    FootageRange,
    Upload,
    is_open,
    is_overdue,
)
from camwarden.governance.roles import Permission
from camwarden.i18n import N_, gettext
from camwarden.installation import Installation
from camwarden.storage.models import Camera
from camwarden.web.security import (
    Caller,
    FormCaller,
    Inst,
    PageCaller,
    client_ip,
    new_login_csrf,
)
from camwarden.web.views import page_router
from camwarden.web.views._common import page, redirect
from camwarden.web.views._public_forms import FilingLimit, PublicForm, optional_caller

COMPLAINT_FORM = PublicForm(cookie="cw_complaint_csrf", path="/complaint")
# As for requests for footage: enough for a family behind one router, too few to flood.
ANONYMOUS_FILINGS = FilingLimit("complaint", per_hour=5)
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
FOOTAGE_ROWS = 3

Files = Annotated[list[UploadFile], File()]


def _labels() -> dict[str, object]:
    return {
        "kind_labels": {k: gettext(v) for k, v in KIND_LABELS.items()},
        "status_labels": {k: gettext(v) for k, v in STATUS_LABELS.items()},
    }


def _public(
    request: Request,
    template: str,
    context: dict[str, object],
    *,
    error: CamwardenError | None = None,
) -> Response:
    token = new_login_csrf()
    caller = optional_caller(request)
    response = page(
        request, caller, template, {"public_csrf": token, **_labels(), **context}, error=error
    )
    return COMPLAINT_FORM.hand_out(response, token)


def _cameras_by_zone(inst: Installation) -> list[tuple[str, list[tuple[int, str]]]]:
    """The cameras in service, under the name of the place they film: a parent knows "Cổng
    trường", not a camera's number. Cameras not yet accepted or out of service record
    nothing a complaint could name."""
    by_zone: dict[str, list[tuple[int, str]]] = {}
    with inst.database.reading() as session:
        for camera in session.scalars(
            select(Camera).where(Camera.state == CameraState.IN_SERVICE).order_by(Camera.name)
        ):
            by_zone.setdefault(camera.zone.name, []).append((camera.id, camera.name))
    return sorted(by_zone.items())


def _uploads(files: list[UploadFile]) -> list[Upload]:
    """The files chosen; an empty file input sends one nameless empty part, ignored."""
    uploads = []
    for upload in files:
        # One byte more than allowed is enough to tell the file is too big.
        content = upload.file.read(MAX_ATTACHMENT_BYTES + 1)
        if upload.filename or content:
            uploads.append(Upload(upload.filename or "", content))
    return uploads


def _local(day: str, clock_time: str, timezone: ZoneInfo) -> datetime:
    try:
        return datetime.combine(
            date.fromisoformat(day), time.fromisoformat(clock_time), tzinfo=timezone
        )
    except ValueError:
        raise InvalidInput(
            "'{value}' is not a day and time.", field="footage", value=f"{day} {clock_time}"
        ) from None


def _footage(
    cameras: list[str], days: list[str], starts: list[str], ends: list[str], timezone: ZoneInfo
) -> list[FootageRange]:
    named = []
    for index, camera in enumerate(cameras[:10]):
        if not camera.strip():
            continue
        if not camera.isdigit() or not 0 < int(camera) < 2**31:
            raise InvalidInput("Camera {id} does not exist.", field="footage", id=camera)
        day = days[index].strip() if index < len(days) else ""
        start = starts[index].strip() if index < len(starts) else ""
        end = ends[index].strip() if index < len(ends) else ""
        if not (day and start and end):
            raise InvalidInput(
                "Footage {number}: choose the day, and the times from and to.",
                field="footage",
                number=index + 1,
            )
        named.append(
            FootageRange(int(camera), _local(day, start, timezone), _local(day, end, timezone))
        )
    return named


def _form_page(
    request: Request,
    inst: Installation,
    values: dict[str, object] | None = None,
    error: CamwardenError | None = None,
) -> Response:
    context = {
        "values": values or {"kind": "complaint"},
        "zones": _cameras_by_zone(inst),
        "footage_rows": FOOTAGE_ROWS,
        "max_files": MAX_FILES_PER_SUBMISSION,
        "max_mb": MAX_ATTACHMENT_BYTES // (1024 * 1024),
        "allowed_kinds": gettext(ALLOWED_KINDS_LABEL),
    }
    return _public(request, "complaints/new.html", context, error=error)


@page_router.get("/complaint")
def complaint_form(request: Request, inst: Inst) -> Response:
    caller = optional_caller(request)
    values: dict[str, object] = {"kind": "complaint"}
    if caller is not None:
        values.update(name=caller.user.full_name, contact=caller.user.email or "")
    return _form_page(request, inst, values)


@page_router.post("/complaint")
def file_complaint(
    request: Request,
    inst: Inst,
    public_csrf: Annotated[str, Form(max_length=200)] = "",
    kind: Annotated[str, Form(max_length=50)] = "complaint",
    name: Annotated[str, Form(max_length=1000)] = "",
    contact: Annotated[str, Form(max_length=1000)] = "",
    subject: Annotated[str, Form(max_length=1000)] = "",
    description: Annotated[str, Form(max_length=20000)] = "",
    camera: Annotated[list[str], Form(max_length=10)] = [],  # noqa: B006  (FastAPI copies it)
    day: Annotated[list[str], Form(max_length=10)] = [],  # noqa: B006
    start: Annotated[list[str], Form(max_length=10)] = [],  # noqa: B006
    end: Annotated[list[str], Form(max_length=10)] = [],  # noqa: B006
    attachments: Files = [],  # noqa: B006
) -> Response:
    values: dict[str, object] = {"kind": kind, "name": name, "contact": contact}
    values["subject"] = subject
    values["description"] = description
    caller = optional_caller(request)
    try:
        COMPLAINT_FORM.check(request, public_csrf)
        footage = _footage(camera, day, start, end, ZoneInfo(inst.settings.timezone))
        uploads = _uploads(attachments)
        filer = caller.actor if caller and can(caller.actor, Permission.FILE_COMPLAINT) else None
        if filer is None:
            ANONYMOUS_FILINGS.allow(request, inst.clock.now())
        with inst.database.transaction() as session:
            filed = inst.complaints.file(
                session,
                filer,
                kind=kind,
                name=name,
                contact=contact,
                subject=subject,
                description=description,
                footage=footage,
                uploads=uploads,
                ip=client_ip(request),
            )
            shown = {
                "reference": filed.complaint.reference,
                "deadline_at": filed.complaint.deadline_at,
                "tracking_code": filed.tracking_code,
                "contact": filed.complaint.complainant_contact,
            }
    except CamwardenError as error:
        return _form_page(request, inst, values, error)
    if filer is None:
        ANONYMOUS_FILINGS.count(request, inst.clock.now())
    return _public(request, "complaints/filed.html", shown)


@page_router.get("/complaint/status")
def status_lookup(request: Request) -> Response:
    return _public(request, "complaints/lookup.html", {})


def _status_page(
    request: Request,
    inst: Installation,
    code: str,
    *,
    notice: str = "",
    error: CamwardenError | None = None,
) -> Response:
    try:
        with inst.database.reading() as session:
            complaint = inst.complaints.follow(session, code)
            shown = inst.complaints.details(session, complaint)
    except CamwardenError as not_found:
        return _public(request, "complaints/lookup.html", {}, error=not_found)
    context = {
        "file": shown,
        "code": code,
        "is_open": is_open(complaint),
        "overdue": is_overdue(complaint, inst.clock.now()),
        "max_files": MAX_FILES_PER_SUBMISSION,
        "max_mb": MAX_ATTACHMENT_BYTES // (1024 * 1024),
        "done": notice,
    }
    return _public(request, "complaints/status.html", context, error=error)


@page_router.post("/complaint/status")
def status_page(
    request: Request,
    inst: Inst,
    public_csrf: Annotated[str, Form(max_length=200)] = "",
    code: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    try:
        COMPLAINT_FORM.check(request, public_csrf)
    except CamwardenError as error:
        return _public(request, "complaints/lookup.html", {}, error=error)
    return _status_page(request, inst, code)


@page_router.post("/complaint/status/reply")
def reply(
    request: Request,
    inst: Inst,
    public_csrf: Annotated[str, Form(max_length=200)] = "",
    code: Annotated[str, Form(max_length=100)] = "",
    body: Annotated[str, Form(max_length=20000)] = "",
    attachments: Files = [],  # noqa: B006
) -> Response:
    try:
        COMPLAINT_FORM.check(request, public_csrf)
        uploads = _uploads(attachments)
        with inst.database.transaction() as session:
            inst.complaints.reply(session, code, body, uploads, ip=client_ip(request))
    except CamwardenError as error:
        return _status_page(request, inst, code, error=error)
    return _status_page(request, inst, code, notice=gettext("Your reply has been sent."))


@page_router.post("/complaint/status/withdraw")
def withdraw(
    request: Request,
    inst: Inst,
    public_csrf: Annotated[str, Form(max_length=200)] = "",
    code: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    try:
        COMPLAINT_FORM.check(request, public_csrf)
        with inst.database.transaction() as session:
            inst.complaints.withdraw(session, code, ip=client_ip(request))
    except CamwardenError as error:
        return _status_page(request, inst, code, error=error)
    return _status_page(request, inst, code, notice=gettext("Your complaint has been withdrawn."))


# -- the handlers --------------------------------------------------------------------------


@page_router.get("/complaints")
def complaints_list(request: Request, caller: PageCaller, inst: Inst) -> Response:
    with inst.database.reading() as session:
        listed = inst.complaints.listed(session, caller.actor)
    now = inst.clock.now()
    rows = [(c, is_overdue(c, now)) for c in listed]
    return page(request, caller, "complaints/list.html", {"rows": rows, **_labels()})


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
        **_labels(),
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
