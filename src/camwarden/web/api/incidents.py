"""Incidents (R-4.3): open one (by hand, from an alert or a bookmark), read and edit it, gather
clips, notes, people and decisions, watch the clips, close and reopen. Its evidence (hand-overs,
the biên bản, packages and their check) is in incident_evidence.py, the models and presentation
in _incident_schemas.py. The pages in web/views/incidents.py give the same answers."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field
from sqlalchemy.orm import Session
from starlette.responses import Response, StreamingResponse

from camwarden.capture.playback import probe_start, stream_recording
from camwarden.errors import InvalidInput, NotFound
from camwarden.governance.authorization import Actor
from camwarden.i18n import gettext
from camwarden.installation import Installation
from camwarden.storage.models import Incident
from camwarden.web.api._incident_schemas import (
    CHANGE_ERRORS,
    ClipId,
    ClipNew,
    ClipOut,
    EntryNew,
    EntryOut,
    IncidentDetail,
    IncidentEdit,
    IncidentId,
    IncidentList,
    IncidentNew,
    IncidentOut,
    Instant,
    Reason,
    clip_out,
    entry_out,
    incident_out,
    read_detail,
)
from camwarden.web.api._routing import NOT_FOUND, resource_router
from camwarden.web.api.schemas import RequestBody
from camwarden.web.security import ApiCaller, Inst

router = resource_router("/incidents", "incidents")

VIDEO = {"content": {"video/mp4": {}}, "description": "Fragmented MP4, H.264 copied as recorded."}
# The player plays at most this much of a clip; a longer clip is added as several.
MAX_VIEW = timedelta(hours=1)


# The hand-over's body (for incident_evidence.py) is defined here, not in _incident_schemas.py:
# the roster has a HandoverNew too, so the OpenAPI document names both by their module
# (camwarden__web__api__incidents__HandoverNew), and moving it would rename it for clients.
class HandoverNew(RequestBody):
    recipient: str = Field(max_length=200, examples=["Trung uý Trần Văn Bình"])
    organisation: str = Field("", max_length=200, examples=["Công an phường Dịch Vọng"])
    medium: str = Field(max_length=200, examples=["USB"])
    handed_at: Instant
    note: str = Field("", max_length=10000)


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
        clip = inst.incidents.footage.view(session, actor, incident_id, clip_id)
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
        clip = inst.incidents.footage.add(
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
        clip = inst.incidents.footage.remove(
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
