"""Complaint pages for the public (R-3.1): the form and the tracking page, no account needed.
The handlers' list and file are complaint_handling.py's.

The public forms carry a CSRF token in a cookie of their own, like the login form. The
tracking code never goes into a URL (it would be kept in logs and histories): it travels in
the posted form and the page that opens with it is never cached.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import File, Form, Request, UploadFile
from sqlalchemy import select
from starlette.responses import Response

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
    FootageRange,
    Upload,
    is_open,
    is_overdue,
)
from camwarden.governance.roles import Permission
from camwarden.i18n import gettext
from camwarden.installation import Installation
from camwarden.storage.models import Camera
from camwarden.web.security import (
    Inst,
    client_ip,
    new_login_csrf,
)
from camwarden.web.views import page_router
from camwarden.web.views._common import page
from camwarden.web.views._public_forms import FilingLimit, PublicForm, optional_caller

COMPLAINT_FORM = PublicForm(cookie="cw_complaint_csrf", path="/complaint")
# As for requests for footage: enough for a family behind one router, too few to flood.
ANONYMOUS_FILINGS = FilingLimit("complaint", per_hour=5)
FOOTAGE_ROWS = 3

Files = Annotated[list[UploadFile], File()]


def complaint_labels() -> dict[str, object]:
    """The labels every complaint page shows, in the reader's language."""
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
        request,
        caller,
        template,
        {"public_csrf": token, **complaint_labels(), **context},
        error=error,
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
