"""Requests for footage (R-4.2): the public form and tracking page, the Board's list and
decision. The grant page a secret link opens is grants.py's."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Form, Request
from starlette.responses import Response

from camwarden.errors import (
    CamwardenError,
    Conflict,
    InvalidInput,
)
from camwarden.governance._requests_copy import (
    anonymised_package,
    prepare_copy,
)
from camwarden.governance.requests import (
    ACCESS_LABELS,
    HISTORY_LABELS,
    PUBLIC_ACTOR_LABEL,
    STATUS_LABELS,
    WAITING_FOR_SECOND,
    PublicStatus,
)
from camwarden.i18n import SCHOOL_TIMEZONE, gettext
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
from camwarden.web.views._public_forms import (
    FilingLimit,
    PublicForm,
    never_stored,
    optional_caller,
)

REQUEST_FORM = PublicForm(cookie="cw_request_csrf", path="/request")
# Anonymous filings per address per hour: enough for a family behind one router, too few to
# flood the Board's list or fill the disk with holds.
ANONYMOUS_FILINGS = FilingLimit("request", per_hour=5)


def request_labels() -> dict[str, object]:
    """The labels every request page shows, in the reader's language."""
    return {
        "status_labels": {k: gettext(v) for k, v in STATUS_LABELS.items()},
        "access_labels": {k: gettext(v) for k, v in ACCESS_LABELS.items()},
        "waiting_label": gettext(WAITING_FOR_SECOND),
    }


def _form_page(
    request: Request,
    inst: Installation,
    caller: Caller | None,
    *,
    values: dict[str, object] | None = None,
    error: CamwardenError | None = None,
) -> Response:
    token = new_login_csrf()
    with inst.database.reading() as session:
        cameras = [
            {"id": c.id, "name": c.name, "zone": c.zone.name}
            for c in session.query(Camera).order_by(Camera.name)
            if c.state == "in_service"
        ]
    today = inst.clock.now().astimezone(SCHOOL_TIMEZONE).date().isoformat()
    context = {
        "cameras": cameras,
        "values": values or {"day": today, "from_time": "", "to_time": "", "access": "watch"},
        "form_csrf": caller.csrf_token if caller else token,
        **request_labels(),
    }
    response = page(request, caller, "requests/form.html", context, error=error)
    return REQUEST_FORM.hand_out(response, token) if caller is None else response


@page_router.get("/request")
def request_form(request: Request, inst: Inst) -> Response:
    return _form_page(request, inst, optional_caller(request))


def _school_time(day: str, clock_time: str, field: str) -> datetime:
    try:
        naive = datetime.fromisoformat(f"{day[:10]}T{clock_time[:5]}")
    except ValueError:
        raise InvalidInput(
            "'{value}' is not a date and time.", field=field, value=f"{day} {clock_time}"
        ) from None
    return naive.replace(tzinfo=SCHOOL_TIMEZONE)


@page_router.post("/request")
def file_request(
    request: Request,
    inst: Inst,
    name: Annotated[str, Form(max_length=500)] = "",
    contact: Annotated[str, Form(max_length=500)] = "",
    organisation: Annotated[str, Form(max_length=500)] = "",
    purpose: Annotated[str, Form(max_length=5000)] = "",
    access: Annotated[str, Form(max_length=20)] = "watch",
    cameras: Annotated[list[str] | None, Form()] = None,
    day: Annotated[str, Form(max_length=20)] = "",
    from_time: Annotated[str, Form(max_length=10)] = "",
    to_time: Annotated[str, Form(max_length=10)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    caller = optional_caller(request)
    camera_ids = [int(c) for c in cameras or [] if c.isdigit() and len(c) < 19]
    values: dict[str, object] = {
        "name": name,
        "contact": contact,
        "organisation": organisation,
        "purpose": purpose,
        "access": access,
        "camera_ids": camera_ids,
        "day": day,
        "from_time": from_time,
        "to_time": to_time,
    }
    try:
        REQUEST_FORM.check(request, csrf_token, caller)
        start = _school_time(day, from_time, "footage_start")
        end = _school_time(day, to_time, "footage_end")
        if caller is None:
            ANONYMOUS_FILINGS.allow(request, inst.clock.now())
        with inst.database.transaction() as session:
            filed = inst.requests.file(
                session,
                actor=caller.actor if caller else None,
                name=name,
                contact=contact,
                organisation=organisation,
                purpose=purpose,
                access=access,
                camera_ids=camera_ids,
                footage_start=start,
                footage_end=end,
                ip=client_ip(request),
            )
            reference = filed.request.reference
    except CamwardenError as error:
        return _form_page(request, inst, caller, values=values, error=error)
    if caller is None:
        ANONYMOUS_FILINGS.count(request, inst.clock.now())
    context = {"reference": reference, "code": filed.tracking_code}
    return never_stored(page(request, caller, "requests/filed.html", context))


def _status_form(
    request: Request, caller: Caller | None, *, error: CamwardenError | None = None
) -> Response:
    token = new_login_csrf()
    response = page(
        request,
        caller,
        "requests/status.html",
        {"status": None, "form_csrf": caller.csrf_token if caller else token, **request_labels()},
        error=error,
    )
    return REQUEST_FORM.hand_out(response, token) if caller is None else response


@page_router.get("/request/status")
def status_form(request: Request) -> Response:
    return _status_form(request, optional_caller(request))


@page_router.post("/request/status")
def show_status(
    request: Request,
    inst: Inst,
    code: Annotated[str, Form(max_length=100)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    # The code travels in the form body, never in a URL that logs and histories keep.
    caller = optional_caller(request)
    try:
        REQUEST_FORM.check(request, csrf_token, caller)
        with inst.database.reading() as session:
            status = inst.requests.status_by_code(session, code)
    except CamwardenError as error:
        return _status_form(request, caller, error=error)
    return _status_page(request, inst, caller, status, code)


def _status_page(
    request: Request,
    inst: Installation,
    caller: Caller | None,
    status: PublicStatus,
    code: str,
    *,
    notice: str = "",
    error: CamwardenError | None = None,
) -> Response:
    base = _public_base(request, inst)
    context: dict[str, object] = {
        "status": status,
        "grant_link": f"{base}/grants/{status.link_token}" if status.link_token else "",
        # The withdrawal form carries the code in its body, as the look-up did.
        "code": code,
        "form_csrf": caller.csrf_token if caller else REQUEST_FORM.token_in(request),
        **request_labels(),
    }
    if notice:
        context["notice"] = notice
    return never_stored(page(request, caller, "requests/status.html", context, error=error))


@page_router.post("/request/withdraw")
def withdraw_request(
    request: Request,
    inst: Inst,
    code: Annotated[str, Form(max_length=100)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """The requester takes a pending request back with its code; the footage is released."""
    caller = optional_caller(request)
    try:
        REQUEST_FORM.check(request, csrf_token, caller)
        with inst.database.transaction() as session:
            inst.requests.withdraw(session, code, ip=client_ip(request))
    except Conflict as error:
        # Decided meanwhile: the page shows what the Board decided, and why not withdrawn.
        with inst.database.reading() as session:
            status = inst.requests.status_by_code(session, code)
        return _status_page(request, inst, caller, status, code, error=error)
    except CamwardenError as error:
        return _status_form(request, caller, error=error)
    with inst.database.reading() as session:
        status = inst.requests.status_by_code(session, code)
    notice = gettext("Your request has been withdrawn.")
    return _status_page(request, inst, caller, status, code, notice=notice)


# -- the Board ---------------------------------------------------------------------------


@page_router.get("/requests")
def requests_list(request: Request, caller: PageCaller, inst: Inst) -> Response:
    with inst.database.reading() as session:
        listed = inst.requests.list(session, caller.actor)
        rows = [
            {
                "request": r,
                "waiting_for_second": inst.requests.waiting_for_second(r),
                "cameras": ", ".join(c.name for c in r.cameras),
            }
            for r in listed
        ]
    return page(request, caller, "requests/list.html", {"rows": rows, **request_labels()})


def _detail(
    request: Request,
    caller: Caller,
    inst: Installation,
    request_id: int,
    *,
    link: str = "",
    error: CamwardenError | None = None,
) -> Response:
    with inst.database.reading() as session:
        found = inst.requests.get(session, caller.actor, request_id)
        grant = inst.requests.current_grant(session, found.id)
        history = inst.requests.history(session, caller.actor, found.id)
        package = anonymised_package(session, inst.settings.data_dir, found)
        context = {
            "item": found,
            "cameras": [f"{c.name} · {c.zone.name}" for c in found.cameras],
            "grant": grant,
            "grant_valid": grant is not None and inst.requests.grant_is_valid(grant),
            "waiting_for_second": inst.requests.waiting_for_second(found),
            "history": [
                {
                    "at": entry.at,
                    "actor": _history_actor(entry.actor),
                    "what": gettext(HISTORY_LABELS[entry.action])
                    if entry.action in HISTORY_LABELS
                    else entry.action,
                }
                for entry in history
            ],
            "first_approver": found.first_approval_by == caller.actor.username,
            "link": link,
            "copy_ready": package is not None,
            **request_labels(),
        }
    return page(request, caller, "requests/detail.html", context, error=error)


def _public_base(request: Request, inst: Installation) -> str:
    """Where the school's pages are reached from outside; this server's address if unset."""
    return inst.settings.public_url.rstrip("/") or str(request.base_url).rstrip("/")


def _history_actor(actor: str) -> str:
    """Who acted, for the Board: a user name, or the requester without an account."""
    if actor == "public" or actor.startswith("link:"):
        return gettext(PUBLIC_ACTOR_LABEL)
    return actor


@page_router.get("/requests/{request_id}")
def request_detail(request: Request, caller: PageCaller, inst: Inst, request_id: int) -> Response:
    return _detail(request, caller, inst, request_id)


@page_router.post("/requests/{request_id}/approve")
def approve_request(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    request_id: int,
    reason: Annotated[str, Form(max_length=5000)] = "",
    valid_days: Annotated[int, Form(ge=-1000, le=1000)] = 7,
) -> Response:
    try:
        with inst.database.transaction() as session:
            decision = inst.requests.approve(
                session, caller.actor, request_id, reason=reason, valid_days=valid_days
            )
    except (InvalidInput, Conflict) as error:
        return _detail(request, caller, inst, request_id, error=error)
    prepare_copy(inst, caller.actor, decision)
    base = _public_base(request, inst)
    link = f"{base}/grants/{decision.link_token}" if decision.link_token else ""
    # The link is shown once, here; the requester sees it on the tracking page.
    response = _detail(request, caller, inst, request_id, link=link)
    response.headers["Cache-Control"] = "no-store"
    return response


@page_router.post("/requests/{request_id}/refuse")
def refuse_request(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    request_id: int,
    reason: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    try:
        with inst.database.transaction() as session:
            inst.requests.refuse(session, caller.actor, request_id, reason=reason)
    except (InvalidInput, Conflict) as error:
        return _detail(request, caller, inst, request_id, error=error)
    return redirect(f"/requests/{request_id}", "saved")


@page_router.post("/requests/{request_id}/revoke")
def revoke_grant(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    request_id: int,
    reason: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    try:
        with inst.database.transaction() as session:
            inst.requests.revoke(session, caller.actor, request_id, reason=reason)
    except (InvalidInput, Conflict) as error:
        return _detail(request, caller, inst, request_id, error=error)
    return redirect(f"/requests/{request_id}", "saved")
