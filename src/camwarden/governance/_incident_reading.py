"""Reading incidents back: one by its id, the list, and what belongs to one (its clips,
chain of custody and packages). No permission is asked here: the service asks first."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from camwarden.errors import NotFound
from camwarden.governance._incident_kinds import IncidentStatus
from camwarden.storage.lookup import get_by_id
from camwarden.storage.models import (
    CustodyEvent,
    EvidenceExport,
    Incident,
    IncidentClip,
)


def find_incident(session: Session, incident_id: int) -> Incident:
    incident = get_by_id(session, Incident, incident_id)
    if incident is None:
        raise NotFound("Incident {value} does not exist.", value=incident_id)
    return incident


def find_clip(session: Session, incident: Incident, clip_id: int) -> IncidentClip:
    """A live clip of this incident."""
    clip = get_by_id(session, IncidentClip, clip_id)
    if clip is None or clip.incident_id != incident.id or clip.removed_at is not None:
        raise NotFound("Clip {value} is not part of this incident.", value=clip_id)
    return clip


def find_export(session: Session, incident: Incident, export_id: int) -> EvidenceExport:
    record = get_by_id(session, EvidenceExport, export_id)
    if record is None or record.incident_id != incident.id:
        raise NotFound("Evidence package {value} does not exist.", value=export_id)
    return record


def incidents_in_order(session: Session, limit: int) -> Sequence[Incident]:
    """Open ones first, then the most recently opened."""
    still_open = case((Incident.status == IncidentStatus.OPEN.value, 0), else_=1)
    return session.scalars(
        select(Incident)
        .order_by(still_open, Incident.opened_at.desc(), Incident.id.desc())
        .limit(limit)
    ).all()


def live_clips(session: Session, incident_id: int) -> list[IncidentClip]:
    """The incident's clips not removed, in the order of their footage; no permission asked."""
    return list(
        session.scalars(
            select(IncidentClip)
            .where(IncidentClip.incident_id == incident_id, IncidentClip.removed_at.is_(None))
            .order_by(IncidentClip.start_at, IncidentClip.id)
        )
    )


def custody_of(session: Session, incident_id: int) -> list[CustodyEvent]:
    return list(
        session.scalars(
            select(CustodyEvent)
            .where(CustodyEvent.incident_id == incident_id)
            .order_by(CustodyEvent.at, CustodyEvent.id)
        )
    )


def exports_of(session: Session, incident_id: int) -> list[EvidenceExport]:
    return list(
        session.scalars(
            select(EvidenceExport)
            .where(EvidenceExport.incident_id == incident_id)
            .order_by(EvidenceExport.created_at, EvidenceExport.id)
        )
    )


def custody_details(event: CustodyEvent) -> dict[str, Any]:
    try:
        details = json.loads(event.details or "{}")
    except json.JSONDecodeError:
        return {}
    return details if isinstance(details, dict) else {}
