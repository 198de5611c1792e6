"""The 15-day review pages (R-5.1): the cycles with their state and due date, and one cycle's
summary per unit and camera, its bookmarks, the units' check-offs, the sign-off and report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import Form, Request
from starlette.responses import Response

from camwarden.errors import CamwardenError, InvalidInput
from camwarden.governance.authorization import can
from camwarden.governance.fields import field_label
from camwarden.governance.reviews import CYCLE_STATUS_LABELS, CycleStatus, is_overdue
from camwarden.governance.roles import Permission
from camwarden.i18n import N_, SCHOOL_TIMEZONE
from camwarden.storage.lookup import MAX_ID
from camwarden.storage.models import ReviewCycle
from camwarden.web.security import Caller, FormCaller, Inst, PageCaller
from camwarden.web.views import page_router
from camwarden.web.views._common import page, redirect

Text = Annotated[str, Form(max_length=5000)]
Short = Annotated[str, Form(max_length=200)]

# What each audited step of a cycle is called on its page.
HISTORY_LABELS: dict[str, str] = {
    "review.cycle_opened": N_("Cycle opened"),
    "review.bookmark_added": N_("Bookmark added"),
    "review.bookmark_removed": N_("Bookmark removed"),
    "review.unit_checked": N_("Unit checked off"),
    "review.escalated": N_("Overdue: escalated to the Board"),
    "review.signed_off": N_("Signed off"),
    "review.report_downloaded": N_("Report downloaded"),
}


def period_text(cycle: ReviewCycle) -> str:
    """ "01/11/2026 – 15/11/2026": the period's first and last school days."""
    first = cycle.period_start.astimezone(SCHOOL_TIMEZONE)
    last = (cycle.period_end - timedelta(days=1)).astimezone(SCHOOL_TIMEZONE)
    return f"{first:%d/%m/%Y} – {last:%d/%m/%Y}"


def local_input(text: str, field: str) -> datetime:
    """A `datetime-local` value (YYYY-MM-DDTHH:MM[:SS]) in school time, as UTC."""
    try:
        moment = datetime.fromisoformat(text.strip()[:19])
    except ValueError:
        raise InvalidInput(
            "The field '{label}' needs a date and time (dd/mm/yyyy hh:mm), not '{value}'.",
            field=field,
            label=field_label(field),
            value=text[:40],
        ) from None
    if moment.tzinfo is not None or not 2000 <= moment.year <= 2099:
        raise InvalidInput(
            "The field '{label}' needs a date and time (dd/mm/yyyy hh:mm), not '{value}'.",
            field=field,
            label=field_label(field),
            value=text[:40],
        )
    return moment.replace(tzinfo=SCHOOL_TIMEZONE).astimezone(UTC)


@page_router.get("/reviews")
def review_list(request: Request, caller: PageCaller, inst: Inst) -> Response:
    with inst.database.reading() as session:
        cycles = inst.reviews.cycles(session, caller.actor)
        next_end = inst.reviews.next_period_end(session)
    now = inst.clock.now()
    context = {
        "cycles": [(c, is_overdue(c, now)) for c in cycles],
        "status_labels": CYCLE_STATUS_LABELS,
        "next_end": next_end,
        "period": period_text,
    }
    return page(request, caller, "reviews/list.html", context)


def _cycle_page(
    request: Request,
    caller: Caller,
    inst: Inst,
    cycle_id: int,
    *,
    values: dict[str, str] | None = None,
    error: CamwardenError | None = None,
) -> Response:
    with inst.database.reading() as session:
        view = inst.reviews.view(session, caller.actor, cycle_id)
        history = inst.reviews.history(session, caller.actor, cycle_id)
        cameras = [
            c
            for c in inst.reviews.visible_cameras(session, caller.actor)
            if can(caller.actor, Permission.REVIEW_FOOTAGE, c.zone_id)
        ]
    cycle = view.cycle
    reviewable_units = sorted(
        {
            camera.unit
            for unit in view.units
            for camera in unit.cameras
            if can(caller.actor, Permission.REVIEW_FOOTAGE, camera.zone_id)
        }
    )
    is_open = cycle.status == CycleStatus.OPEN
    context = {
        "view": view,
        "cycle": cycle,
        "is_open": is_open,
        "overdue": is_overdue(cycle, inst.clock.now()),
        "status_labels": CYCLE_STATUS_LABELS,
        "period": period_text,
        "cameras": cameras,
        "units_to_check": [u for u in reviewable_units if u not in view.checks] if is_open else [],
        "may_sign": is_open and can(caller.actor, Permission.SIGN_OFF_REVIEWS),
        "history": [(entry, HISTORY_LABELS.get(entry.action, entry.action)) for entry in history],
        "period_first": f"{cycle.period_start.astimezone(SCHOOL_TIMEZONE):%Y-%m-%dT%H:%M}",
        "values": values or {},
    }
    return page(request, caller, "reviews/cycle.html", context, error=error)


@page_router.get("/reviews/{cycle_id}")
def review_cycle(request: Request, caller: PageCaller, inst: Inst, cycle_id: int) -> Response:
    return _cycle_page(request, caller, inst, cycle_id)


@page_router.post("/reviews/{cycle_id}/bookmarks")
def add_bookmark(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    cycle_id: int,
    camera_id: Short = "",
    since: Short = "",
    until: Short = "",
    note: Text = "",
) -> Response:
    values = {"camera_id": camera_id, "since": since, "until": until, "note": note}
    try:
        camera = camera_id.strip()
        if not camera.isdigit() or not 0 < int(camera) <= MAX_ID:
            raise InvalidInput("Choose a camera.", field="camera_id")
        with inst.database.transaction() as session:
            inst.reviews.add_bookmark(
                session,
                caller.actor,
                cycle_id,
                camera_id=int(camera),
                start_at=local_input(since, "since"),
                end_at=local_input(until, "until"),
                note=note,
            )
    except CamwardenError as error:
        return _cycle_page(request, caller, inst, cycle_id, values=values, error=error)
    return redirect(f"/reviews/{cycle_id}", "created")


@page_router.post("/reviews/{cycle_id}/bookmarks/{bookmark_id}/remove")
def remove_bookmark(
    request: Request, caller: FormCaller, inst: Inst, cycle_id: int, bookmark_id: int
) -> Response:
    try:
        with inst.database.transaction() as session:
            inst.reviews.remove_bookmark(session, caller.actor, cycle_id, bookmark_id)
    except CamwardenError as error:
        return _cycle_page(request, caller, inst, cycle_id, error=error)
    return redirect(f"/reviews/{cycle_id}", "deleted")


@page_router.post("/reviews/{cycle_id}/units")
def check_unit(
    request: Request,
    caller: FormCaller,
    inst: Inst,
    cycle_id: int,
    unit: Short = "",
    note: Text = "",
) -> Response:
    try:
        with inst.database.transaction() as session:
            inst.reviews.check_unit(session, caller.actor, cycle_id, unit=unit, note=note)
    except CamwardenError as error:
        return _cycle_page(request, caller, inst, cycle_id, error=error)
    return redirect(f"/reviews/{cycle_id}", "saved")


@page_router.post("/reviews/{cycle_id}/sign-off")
def sign_off(
    request: Request, caller: FormCaller, inst: Inst, cycle_id: int, note: Text = ""
) -> Response:
    try:
        with inst.database.transaction() as session:
            inst.reviews.sign_off(session, caller.actor, cycle_id, note=note)
    except CamwardenError as error:
        return _cycle_page(
            request, caller, inst, cycle_id, values={"sign_off_note": note}, error=error
        )
    return redirect(f"/reviews/{cycle_id}", "saved")


@page_router.get("/reviews/{cycle_id}/report.pdf")
def report_pdf(caller: PageCaller, inst: Inst, cycle_id: int) -> Response:
    with inst.database.transaction() as session:
        data = inst.reviews.download_report(session, caller.actor, cycle_id)
    filename = f"bao-cao-ra-soat-{cycle_id}.pdf"
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
