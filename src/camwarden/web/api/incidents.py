"""Incidents and their evidence (R-4.3): open one (by hand, from an alert or a bookmark), gather
clips, notes, people and decisions, watch the clips, export the package with the biên bản,
print the biên bản, record hand-overs, check a package, close and reopen. The pages in
web/views/incidents.py give the same answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Annotated, Literal

from fastapi import Path
from pydantic import Field
from sqlalchemy.orm import Session
from starlette.responses import Response, StreamingResponse

from camwarden.capture.playback import probe_start, stream_recording
from camwarden.errors import InvalidInput, NotFound
from camwarden.governance._incident_custody import CUSTODY_ACTION_LABELS
from camwarden.governance._incident_export import (
    export_incident,
    verify_incident_package,
    written_record,
)
from camwarden.governance._incident_reading import custody_details
from camwarden.governance.authorization import Actor
from camwarden.governance.incidents import Handover
from camwarden.i18n import format_datetime, gettext
from camwarden.installation import Installation
from camwarden.storage.lookup import MAX_ID
from camwarden.storage.models import (
    CustodyEvent,
    EvidenceExport,
    Incident,
    IncidentClip,
    IncidentEntry,
)
from camwarden.web.api._routing import CONFLICT, NOT_FOUND, resource_router
from camwarden.web.api._types import Id, UtcInput, UtcOutput
from camwarden.web.api.schemas import RequestBody, ResponseBody
from camwarden.web.security import ApiCaller, Inst

router = resource_router("/incidents", "incidents")

IncidentId = Annotated[int, Path(ge=1, le=MAX_ID, description="The incident's id.")]
ClipId = Annotated[int, Path(ge=1, le=MAX_ID, description="The clip's id in the incident.")]
PackageId = Annotated[int, Path(ge=1, le=MAX_ID, description="The evidence export's id.")]
PDF = {"content": {"application/pdf": {}}, "description": "The biên bản, in Vietnamese."}
VIDEO = {"content": {"video/mp4": {}}, "description": "Fragmented MP4, H.264 copied as recorded."}
# The player plays at most this much of a clip; a longer clip is added as several.
MAX_VIEW = timedelta(hours=1)
# A step on an incident: it may not exist, or may be closed.
CHANGE_ERRORS = {**NOT_FOUND, **CONFLICT}
# ISO 8601 texts are short: the bound documents it, as every text of a request has one.
Instant = Annotated[UtcInput, Field(json_schema_extra={"maxLength": 40})]


# -- bodies ----------------------------------------------------------------------------------


class IncidentNew(RequestBody):
    title: str = Field(max_length=200, examples=["Học sinh bị ngã ở cổng"])
    description: str = Field("", max_length=10000)
    occurred_at: Instant | None = Field(
        None, description="Needed when opened by hand; from an alert or bookmark, theirs."
    )
    location: str = Field("", max_length=200, examples=["Cổng trường"])
    alert_id: Id | None = Field(None, description="Open from this alert (its camera and time).")
    bookmark_id: Id | None = Field(None, description="Open from this review bookmark.")


class IncidentEdit(RequestBody):
    title: str = Field(max_length=200)
    description: str = Field("", max_length=10000)
    occurred_at: Instant
    location: str = Field("", max_length=200)


class ClipNew(RequestBody):
    camera_id: Id
    start_at: Instant
    end_at: Instant
    note: str = Field("", max_length=10000)


class Reason(RequestBody):
    reason: str = Field(max_length=1000, examples=["Nhầm camera"])


class EntryNew(RequestBody):
    kind: Literal["note", "person", "decision"] = Field(json_schema_extra={"maxLength": 8})
    text: str = Field(max_length=10000, examples=["Nguyễn Văn An"])
    capacity: str = Field("", max_length=200, examples=["học sinh lớp 3A"])


class HandoverNew(RequestBody):
    recipient: str = Field(max_length=200, examples=["Trung uý Trần Văn Bình"])
    organisation: str = Field("", max_length=200, examples=["Công an phường Dịch Vọng"])
    medium: str = Field(max_length=200, examples=["USB"])
    handed_at: Instant
    note: str = Field("", max_length=10000)


class ExportNew(RequestBody):
    reason: str = Field(max_length=2000, examples=["Công an phường đề nghị cung cấp"])
    approval_reference: str = Field("", max_length=200)


# -- answers ---------------------------------------------------------------------------------


class IncidentOut(ResponseBody):
    id: int
    reference: str
    title: str
    description: str
    occurred_at: UtcOutput
    occurred_at_local: str
    location: str
    source_kind: str = Field(description="manual, alert or bookmark.")
    source_id: int | None
    status: str = Field(description="open or closed.")
    opened_by: str
    opened_at: UtcOutput
    closed_by: str | None
    closed_at: UtcOutput | None


class IncidentList(ResponseBody):
    items: list[IncidentOut] = Field(description="Open ones first, then the newest.")


class ClipOut(ResponseBody):
    id: int
    camera_id: int
    camera_name: str
    start_at: UtcOutput
    end_at: UtcOutput
    note: str
    added_by: str
    added_at: UtcOutput
    video_url: str


class EntryOut(ResponseBody):
    id: int
    kind: str
    text: str
    capacity: str
    written_by: str
    written_at: UtcOutput


class CustodyOut(ResponseBody):
    id: int
    at: UtcOutput
    actor: str
    action: str
    action_label: str
    details: dict[str, object]


class PackageOut(ResponseBody):
    id: int
    package_name: str
    manifest_sha256: str
    created_at: UtcOutput
    created_by: str
    download_url: str


class IncidentDetail(IncidentOut):
    clips: list[ClipOut]
    entries: list[EntryOut]
    custody: list[CustodyOut] = Field(description="The chain of custody, oldest first.")
    packages: list[PackageOut]


class VerificationOut(ResponseBody):
    intact: bool
    problems: list[str]
    clips_checked: int
    documents_checked: int
    key_id: str | None


# -- presentation ----------------------------------------------------------------------------


def incident_out(incident: Incident) -> IncidentOut:
    return IncidentOut(
        id=incident.id,
        reference=incident.reference,
        title=incident.title,
        description=incident.description,
        occurred_at=incident.occurred_at,
        occurred_at_local=format_datetime(incident.occurred_at, seconds=True),
        location=incident.location,
        source_kind=incident.source_kind,
        source_id=incident.source_id,
        status=incident.status,
        opened_by=incident.opened_by,
        opened_at=incident.opened_at,
        closed_by=incident.closed_by,
        closed_at=incident.closed_at,
    )


def clip_out(incident_id: int, clip: IncidentClip) -> ClipOut:
    return ClipOut(
        id=clip.id,
        camera_id=clip.camera_id,
        camera_name=clip.camera.name,
        start_at=clip.start_at,
        end_at=clip.end_at,
        note=clip.note,
        added_by=clip.added_by,
        added_at=clip.added_at,
        video_url=f"/api/v1/incidents/{incident_id}/clips/{clip.id}/video",
    )


def entry_out(entry: IncidentEntry) -> EntryOut:
    return EntryOut(
        id=entry.id,
        kind=entry.kind,
        text=entry.text,
        capacity=entry.capacity,
        written_by=entry.written_by,
        written_at=entry.written_at,
    )


def custody_out(events: Sequence[CustodyEvent]) -> list[CustodyOut]:
    return [
        CustodyOut(
            id=event.id,
            at=event.at,
            actor=event.actor,
            action=event.action,
            action_label=gettext(CUSTODY_ACTION_LABELS.get(event.action, event.action)),
            details=custody_details(event),
        )
        for event in events
    ]


def package_out(record: EvidenceExport) -> PackageOut:
    return PackageOut(
        id=record.id,
        package_name=record.package_name,
        manifest_sha256=record.manifest_sha256,
        created_at=record.created_at,
        created_by=record.created_by,
        download_url=f"/api/v1/exports/{record.id}/download",
    )


def incident_detail(
    inst: Installation, session: Session, actor: Actor, incident_id: int
) -> IncidentDetail:
    incidents = inst.incidents
    incident = incidents.get(session, actor, incident_id)
    return IncidentDetail(
        **incident_out(incident).model_dump(),
        clips=[clip_out(incident.id, c) for c in incidents.clips(session, actor, incident.id)],
        entries=[entry_out(e) for e in incidents.entries(session, actor, incident.id)],
        custody=custody_out(incidents.custody(session, actor, incident.id)),
        packages=[package_out(r) for r in incidents.exports(session, actor, incident.id)],
    )


def read_detail(inst: Installation, actor: Actor, incident_id: int) -> IncidentDetail:
    """The incident read afresh: after a change, once its transaction has committed."""
    with inst.database.reading() as session:
        return incident_detail(inst, session, actor, incident_id)


def open_incident(
    inst: Installation, session: Session, actor: Actor, body: IncidentNew
) -> Incident:
    """By hand, from an alert or from a bookmark: one of the three."""
    incidents = inst.incidents
    if body.alert_id is not None and body.bookmark_id is not None:
        raise InvalidInput(
            "Open an incident from an alert or from a bookmark, not both.", field="alert_id"
        )
    if body.alert_id is not None:
        return incidents.open_from_alert(
            session,
            actor,
            body.alert_id,
            title=body.title,
            description=body.description,
            location=body.location,
        )
    if body.bookmark_id is not None:
        return incidents.open_from_bookmark(
            session,
            actor,
            body.bookmark_id,
            title=body.title,
            description=body.description,
            location=body.location,
        )
    if body.occurred_at is None:
        raise InvalidInput(
            "Say when it happened: the field '{label}' must not be empty.",
            field="occurred_at",
            label=gettext("When it happened"),
        )
    return incidents.open(
        session,
        actor,
        title=body.title,
        description=body.description,
        occurred_at=body.occurred_at,
        location=body.location,
    )


def clip_video(inst: Installation, actor: Actor, incident_id: int, clip_id: int) -> Response:
    """The clip's footage from the keyframe before its start; the viewing is a custody link."""
    with inst.database.transaction() as session:
        clip = inst.incidents.view_clip(session, actor, incident_id, clip_id)
        camera_id, start, end = clip.camera_id, clip.start_at, clip.end_at
    until = min(end, start + MAX_VIEW)
    segments = inst.recordings.segments(camera_id, start, until)
    if not segments:
        raise NotFound("No recording of this camera from {value} on.", value=start.isoformat())
    first = probe_start(inst.settings.recordings_dir, segments, start)
    headers = {
        "X-Playback-Start": first.start_at.isoformat(),
        "X-Codec": first.codec,
        "Cache-Control": "no-store",
    }
    body = stream_recording(inst.settings.recordings_dir, segments, first, until)
    return StreamingResponse(body, media_type="video/mp4", headers=headers)


def record_response(inst: Installation, actor: Actor, incident_id: int) -> Response:
    content, name = written_record(inst, actor, incident_id)
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# -- operations ------------------------------------------------------------------------------


@router.get("", response_model=IncidentList, name="list_incidents")
def list_incidents(inst: Inst, caller: ApiCaller) -> IncidentList:
    """All incidents, open ones first; for who keeps incidents or reads the audit log."""
    with inst.database.reading() as session:
        return IncidentList(
            items=[incident_out(i) for i in inst.incidents.list(session, caller.actor)]
        )


@router.post(
    "",
    status_code=201,
    response_model=IncidentDetail,
    responses=CHANGE_ERRORS,
    name="open_incident",
)
def create_incident(body: IncidentNew, inst: Inst, caller: ApiCaller) -> IncidentDetail:
    """Open an incident; from an alert or a bookmark, their footage is its first clip."""
    with inst.database.transaction() as session:
        incident_id = open_incident(inst, session, caller.actor, body).id
    return read_detail(inst, caller.actor, incident_id)


@router.get(
    "/{incident_id}", response_model=IncidentDetail, responses=NOT_FOUND, name="get_incident"
)
def get_incident(incident_id: IncidentId, inst: Inst, caller: ApiCaller) -> IncidentDetail:
    """The incident with its clips, entries, packages and chain of custody."""
    return read_detail(inst, caller.actor, incident_id)


@router.put(
    "/{incident_id}",
    response_model=IncidentDetail,
    responses=CHANGE_ERRORS,
    name="edit_incident",
)
def edit_incident(
    incident_id: IncidentId, body: IncidentEdit, inst: Inst, caller: ApiCaller
) -> IncidentDetail:
    """Change the title, description, time or place of an open incident."""
    with inst.database.transaction() as session:
        inst.incidents.edit(
            session,
            caller.actor,
            incident_id,
            title=body.title,
            description=body.description,
            occurred_at=body.occurred_at,
            location=body.location,
        )
    return read_detail(inst, caller.actor, incident_id)


@router.post(
    "/{incident_id}/clips",
    status_code=201,
    response_model=ClipOut,
    responses=CHANGE_ERRORS,
    name="add_incident_clip",
)
def add_clip(incident_id: IncidentId, body: ClipNew, inst: Inst, caller: ApiCaller) -> ClipOut:
    """Footage of a camera the caller may play back; it is locked as evidence."""
    with inst.database.transaction() as session:
        clip = inst.incidents.add_clip(
            session,
            caller.actor,
            incident_id,
            camera_id=body.camera_id,
            start_at=body.start_at,
            end_at=body.end_at,
            note=body.note,
        )
        return clip_out(incident_id, clip)


@router.post(
    "/{incident_id}/clips/{clip_id}/remove",
    response_model=ClipOut,
    responses=CHANGE_ERRORS,
    name="remove_incident_clip",
)
def remove_clip(
    incident_id: IncidentId, clip_id: ClipId, body: Reason, inst: Inst, caller: ApiCaller
) -> ClipOut:
    """Take a clip out (the row stays); its hold is released, the others stay."""
    with inst.database.transaction() as session:
        clip = inst.incidents.remove_clip(
            session, caller.actor, incident_id, clip_id, reason=body.reason
        )
        return clip_out(incident_id, clip)


@router.get(
    "/{incident_id}/clips/{clip_id}/video",
    response_class=StreamingResponse,
    responses={200: VIDEO, **NOT_FOUND},
    name="watch_incident_clip",
)
def watch_clip(incident_id: IncidentId, clip_id: ClipId, inst: Inst, caller: ApiCaller) -> Response:
    """The clip's footage (up to an hour); each viewing is in the chain of custody."""
    return clip_video(inst, caller.actor, incident_id, clip_id)


@router.post(
    "/{incident_id}/entries",
    status_code=201,
    response_model=EntryOut,
    responses=CHANGE_ERRORS,
    name="add_incident_entry",
)
def add_entry(incident_id: IncidentId, body: EntryNew, inst: Inst, caller: ApiCaller) -> EntryOut:
    """A note, a person involved (name and capacity) or a decision."""
    with inst.database.transaction() as session:
        entry = inst.incidents.add_entry(
            session,
            caller.actor,
            incident_id,
            kind=body.kind,
            text=body.text,
            capacity=body.capacity,
        )
        return entry_out(entry)


@router.post(
    "/{incident_id}/close",
    response_model=IncidentOut,
    responses=CHANGE_ERRORS,
    name="close_incident",
)
def close_incident(
    incident_id: IncidentId, body: Reason, inst: Inst, caller: ApiCaller
) -> IncidentOut:
    """Closed; its footage stays locked until the Board decides."""
    with inst.database.transaction() as session:
        return incident_out(
            inst.incidents.close(session, caller.actor, incident_id, reason=body.reason)
        )


@router.post(
    "/{incident_id}/reopen",
    response_model=IncidentOut,
    responses=CHANGE_ERRORS,
    name="reopen_incident",
)
def reopen_incident(
    incident_id: IncidentId, body: Reason, inst: Inst, caller: ApiCaller
) -> IncidentOut:
    """Reopen a closed incident, with the reason."""
    with inst.database.transaction() as session:
        return incident_out(
            inst.incidents.reopen(session, caller.actor, incident_id, reason=body.reason)
        )


@router.post(
    "/{incident_id}/handovers",
    status_code=201,
    response_model=CustodyOut,
    responses=NOT_FOUND,
    name="record_incident_handover",
)
def record_handover(
    incident_id: IncidentId, body: HandoverNew, inst: Inst, caller: ApiCaller
) -> CustodyOut:
    """A copy handed over outside camwarden ("on USB to Officer X, police ward Y")."""
    with inst.database.transaction() as session:
        event = inst.incidents.record_handover(
            session,
            caller.actor,
            incident_id,
            Handover(
                recipient=body.recipient,
                organisation=body.organisation,
                medium=body.medium,
                handed_at=body.handed_at,
                note=body.note,
            ),
        )
        (out,) = custody_out([event])
        return out


@router.get(
    "/{incident_id}/record",
    response_class=Response,
    responses={200: PDF, **NOT_FOUND},
    name="get_incident_record",
)
def get_record(incident_id: IncidentId, inst: Inst, caller: ApiCaller) -> Response:
    """The biên bản as it stands (with the hashes of the latest package); printing is logged."""
    return record_response(inst, caller.actor, incident_id)


@router.post(
    "/{incident_id}/exports",
    status_code=201,
    response_model=PackageOut,
    responses=CHANGE_ERRORS,
    name="export_incident",
)
def export_package(
    incident_id: IncidentId, body: ExportNew, inst: Inst, caller: ApiCaller
) -> PackageOut:
    """A signed package of the incident's clips with its biên bản."""
    result = export_incident(
        inst,
        caller.actor,
        incident_id,
        reason=body.reason,
        approval_reference=body.approval_reference,
    )
    with inst.database.reading() as session:
        return package_out(
            inst.incidents.export(session, caller.actor, incident_id, result.record_id)
        )


@router.post(
    "/{incident_id}/exports/{export_id}/verify",
    response_model=VerificationOut,
    responses=NOT_FOUND,
    name="verify_incident_package",
)
def verify_package(
    incident_id: IncidentId, export_id: PackageId, inst: Inst, caller: ApiCaller
) -> VerificationOut:
    """Check the package as it lies on the server; the check is in the chain of custody."""
    report = verify_incident_package(inst, caller.actor, incident_id, export_id)
    return VerificationOut(
        intact=report.ok,
        problems=[problem.render(gettext) for problem in report.problems],
        clips_checked=report.clips_checked,
        documents_checked=report.documents_checked,
        key_id=report.key_id,
    )
