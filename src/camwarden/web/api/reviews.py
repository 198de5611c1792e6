"""The 15-day review (R-5.1): cycles, their summary per unit and camera, bookmarks, the units'
check-offs, the Board's sign-off and the signed report. The pages in web/views/reviews.py
show the same answers."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field
from starlette.responses import Response

from camwarden.governance.reviews import CycleView, is_overdue
from camwarden.installation import Installation
from camwarden.storage.models import ReviewBookmark, ReviewCycle, ReviewUnitCheck
from camwarden.web.api._routing import CONFLICT, NOT_FOUND, _id_parameter, resource_router
from camwarden.web.api._types import Id, UtcOutput
from camwarden.web.api.roster import RosterInstant
from camwarden.web.api.schemas import RequestBody, ResponseBody
from camwarden.web.security import ApiCaller, Inst

router = resource_router("/reviews", "reviews")

CycleId = Annotated[int, _id_parameter("The review cycle's id.")]
BookmarkId = Annotated[int, _id_parameter("The bookmark's id.")]
Note = Annotated[str, Field(max_length=4000)]


class CycleOut(ResponseBody):
    id: int
    period_start: UtcOutput = Field(description="School midnight the period starts at.")
    period_end: UtcOutput = Field(description="School midnight it ends at (excluded).")
    status: str = Field(description="open or closed.")
    opened_at: UtcOutput
    due_at: UtcOutput
    overdue: bool
    escalated_at: UtcOutput | None
    signed_off_by: str | None
    signed_off_at: UtcOutput | None
    sign_off_note: str
    report_sha256: str | None


class CycleList(ResponseBody):
    items: list[CycleOut] = Field(description="Newest period first.")


class CameraSummaryOut(ResponseBody):
    camera_id: int
    camera_name: str
    zone_id: int
    zone_name: str
    alerts: dict[str, int] = Field(description="Alerts raised in the period, by kind.")
    incidents: list[str] = Field(description="References of incidents with clips of it.")
    outages: int
    outage_minutes: float
    active_hours: int
    busiest_hour: int | None = Field(description="Hour of the day (school time), 0-23.")
    recorded_hours: float


class UnitOut(ResponseBody):
    unit: str
    checked_by: str | None
    checked_at: UtcOutput | None
    cameras: list[CameraSummaryOut]


class BookmarkOut(ResponseBody):
    id: int
    cycle_id: int
    camera_id: int
    start_at: UtcOutput
    end_at: UtcOutput
    note: str
    created_by: str
    created_at: UtcOutput
    removed_at: UtcOutput | None
    removed_by: str | None


class CycleDetail(CycleOut):
    units: list[UnitOut]
    bookmarks: list[BookmarkOut]


class BookmarkNew(RequestBody):
    camera_id: Id
    start_at: RosterInstant
    end_at: RosterInstant
    note: Note = Field(description="Why it matters (required).")


class UnitCheckNew(RequestBody):
    unit: str = Field(max_length=200, description="A zone's responsible unit.")
    note: Note = ""


class UnitCheckOut(ResponseBody):
    cycle_id: int
    unit: str
    reviewed_by: str
    reviewed_at: UtcOutput
    note: str


class SignOff(RequestBody):
    note: Note = Field("", description="Required when a unit has not checked off.")


def cycle_out(inst: Installation, cycle: ReviewCycle) -> CycleOut:
    return CycleOut(
        id=cycle.id,
        period_start=cycle.period_start,
        period_end=cycle.period_end,
        status=cycle.status,
        opened_at=cycle.opened_at,
        due_at=cycle.due_at,
        overdue=is_overdue(cycle, inst.clock.now()),
        escalated_at=cycle.escalated_at,
        signed_off_by=cycle.signed_off_by,
        signed_off_at=cycle.signed_off_at,
        sign_off_note=cycle.sign_off_note,
        report_sha256=cycle.report_sha256,
    )


def bookmark_out(bookmark: ReviewBookmark) -> BookmarkOut:
    return BookmarkOut(
        id=bookmark.id,
        cycle_id=bookmark.cycle_id,
        camera_id=bookmark.camera_id,
        start_at=bookmark.start_at,
        end_at=bookmark.end_at,
        note=bookmark.note,
        created_by=bookmark.created_by,
        created_at=bookmark.created_at,
        removed_at=bookmark.removed_at,
        removed_by=bookmark.removed_by,
    )


def detail_out(inst: Installation, view: CycleView) -> CycleDetail:
    units = []
    for unit in view.units:
        check = view.checks.get(unit.unit)
        units.append(
            UnitOut(
                unit=unit.unit,
                checked_by=check.reviewed_by if check else None,
                checked_at=check.reviewed_at if check else None,
                cameras=[
                    CameraSummaryOut(
                        camera_id=c.camera_id,
                        camera_name=c.camera_name,
                        zone_id=c.zone_id,
                        zone_name=c.zone_name,
                        alerts=c.alerts,
                        incidents=c.incidents,
                        outages=c.outages,
                        outage_minutes=c.outage_minutes,
                        active_hours=c.active_hours,
                        busiest_hour=c.busiest_hour,
                        recorded_hours=round(c.recorded_hours, 3),
                    )
                    for c in unit.cameras
                ],
            )
        )
    return CycleDetail(
        **cycle_out(inst, view.cycle).model_dump(),
        units=units,
        bookmarks=[bookmark_out(b) for b in view.bookmarks],
    )


def check_out(check: ReviewUnitCheck) -> UnitCheckOut:
    return UnitCheckOut(
        cycle_id=check.cycle_id,
        unit=check.unit,
        reviewed_by=check.reviewed_by,
        reviewed_at=check.reviewed_at,
        note=check.note,
    )


@router.get("", response_model=CycleList, name="list_reviews")
def list_reviews(inst: Inst, caller: ApiCaller) -> CycleList:
    """Every review cycle, newest first; open ones past `due_at` are `overdue`."""
    with inst.database.reading() as session:
        cycles = inst.reviews.cycles(session, caller.actor)
        return CycleList(items=[cycle_out(inst, c) for c in cycles])


@router.get("/{cycle_id}", response_model=CycleDetail, responses=NOT_FOUND, name="get_review")
def get_review(cycle_id: CycleId, inst: Inst, caller: ApiCaller) -> CycleDetail:
    """The cycle with each unit's cameras summarised and the bookmarks (removed ones too)."""
    with inst.database.reading() as session:
        return detail_out(inst, inst.reviews.view(session, caller.actor, cycle_id))


@router.post(
    "/{cycle_id}/bookmarks",
    response_model=BookmarkOut,
    status_code=201,
    responses={**NOT_FOUND, **CONFLICT},
    name="add_review_bookmark",
)
def add_bookmark(
    cycle_id: CycleId, body: BookmarkNew, inst: Inst, caller: ApiCaller
) -> BookmarkOut:
    """Bookmark footage inside the period: it is held until the sign-off archives it."""
    with inst.database.transaction() as session:
        bookmark = inst.reviews.add_bookmark(
            session,
            caller.actor,
            cycle_id,
            camera_id=body.camera_id,
            start_at=body.start_at,
            end_at=body.end_at,
            note=body.note,
        )
        return bookmark_out(bookmark)


@router.post(
    "/{cycle_id}/bookmarks/{bookmark_id}/remove",
    response_model=BookmarkOut,
    responses={**NOT_FOUND, **CONFLICT},
    name="remove_review_bookmark",
)
def remove_bookmark(
    cycle_id: CycleId, bookmark_id: BookmarkId, inst: Inst, caller: ApiCaller
) -> BookmarkOut:
    """Take a bookmark back while the cycle is open; it is kept, marked removed."""
    with inst.database.transaction() as session:
        bookmark = inst.reviews.remove_bookmark(session, caller.actor, cycle_id, bookmark_id)
        return bookmark_out(bookmark)


@router.post(
    "/{cycle_id}/units",
    response_model=UnitCheckOut,
    status_code=201,
    responses={**NOT_FOUND, **CONFLICT},
    name="check_review_unit",
)
def check_unit(
    cycle_id: CycleId, body: UnitCheckNew, inst: Inst, caller: ApiCaller
) -> UnitCheckOut:
    """A unit's reviewer says its cameras of the period are reviewed."""
    with inst.database.transaction() as session:
        check = inst.reviews.check_unit(
            session, caller.actor, cycle_id, unit=body.unit, note=body.note
        )
        return check_out(check)


@router.post(
    "/{cycle_id}/sign-off",
    response_model=CycleOut,
    responses={**NOT_FOUND, **CONFLICT},
    name="sign_off_review",
)
def sign_off(cycle_id: CycleId, body: SignOff, inst: Inst, caller: ApiCaller) -> CycleOut:
    """Close the cycle: its bookmarked footage is archived and its report written."""
    with inst.database.transaction() as session:
        return cycle_out(
            inst, inst.reviews.sign_off(session, caller.actor, cycle_id, note=body.note)
        )


@router.get(
    "/{cycle_id}/report",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "The signed report."},
        **NOT_FOUND,
        **CONFLICT,
    },
    name="download_review_report",
)
def download_report(cycle_id: CycleId, inst: Inst, caller: ApiCaller) -> Response:
    """The report PDF as signed off (checked against its SHA-256); each download is audited."""
    with inst.database.transaction() as session:
        data = inst.reviews.download_report(session, caller.actor, cycle_id)
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="review-{cycle_id}.pdf"'},
    )
