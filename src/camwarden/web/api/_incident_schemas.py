"""The incidents API's models and presentation: request bodies (but the hand-over's, kept in
incidents.py for its OpenAPI name), answers, the path parameters the incident and evidence
routes share, and how an incident and its parts become answers. The pages in
web/views/incidents.py answer with the same presentation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

from fastapi import Path
from pydantic import Field
from sqlalchemy.orm import Session

from camwarden.governance._incident_custody import CUSTODY_ACTION_LABELS
from camwarden.governance._incident_reading import custody_details
from camwarden.governance.authorization import Actor
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
from camwarden.web.api._routing import CONFLICT, NOT_FOUND
from camwarden.web.api._types import Id, UtcInput, UtcOutput
from camwarden.web.api.schemas import RequestBody, ResponseBody

IncidentId = Annotated[int, Path(ge=1, le=MAX_ID, description="The incident's id.")]
ClipId = Annotated[int, Path(ge=1, le=MAX_ID, description="The clip's id in the incident.")]
PackageId = Annotated[int, Path(ge=1, le=MAX_ID, description="The evidence export's id.")]
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
        clips=[
            clip_out(incident.id, c) for c in incidents.footage.live(session, actor, incident.id)
        ],
        entries=[entry_out(e) for e in incidents.entries(session, actor, incident.id)],
        custody=custody_out(incidents.chain.read(session, actor, incident.id)),
        packages=[package_out(r) for r in incidents.exports(session, actor, incident.id)],
    )


def read_detail(inst: Installation, actor: Actor, incident_id: int) -> IncidentDetail:
    """The incident read afresh: after a change, once its transaction has committed."""
    with inst.database.reading() as session:
        return incident_detail(inst, session, actor, incident_id)
