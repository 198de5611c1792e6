"""An incident's clips as rows: a new clip locked by an evidence hold named by the incident's
reference, and a removed clip's hold released when no other live clip relies on it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.governance._incident_checks import MAX_TEXT, clip_span
from camwarden.governance._validation import bounded_text
from camwarden.storage.holds import HoldKind, place_hold
from camwarden.storage.models import FootageHold, Incident, IncidentClip


def insert_clip(
    session: Session,
    incident: Incident,
    *,
    camera_id: int,
    start_at: datetime,
    end_at: datetime,
    note: str,
    added_by: str,
    now: datetime,
) -> IncidentClip:
    """The clip checked, held and flushed, with its camera loaded."""
    start_at, end_at = clip_span(start_at, end_at, now=now)
    note = bounded_text(note, field="note", max_length=MAX_TEXT)
    hold = place_hold(
        session,
        camera_id=camera_id,
        start_at=start_at,
        end_at=end_at,
        kind=HoldKind.EVIDENCE,
        reference=incident.reference,
        created_by=added_by,
        now=now,
    )
    clip = IncidentClip(
        incident_id=incident.id,
        camera_id=camera_id,
        start_at=start_at,
        end_at=end_at,
        note=note,
        hold_id=hold.id,
        added_by=added_by[:64],
        added_at=now,
        removed_at=None,
    )
    session.add(clip)
    session.flush()
    session.refresh(clip)  # its camera, for the custody details
    return clip


def release_clip_hold(session: Session, clip: IncidentClip, now: datetime) -> bool:
    """Whether the clip's hold was released (it stays while another live clip shares it)."""
    if clip.hold_id is None:
        return False
    others = session.scalar(
        select(IncidentClip.id).where(
            IncidentClip.hold_id == clip.hold_id,
            IncidentClip.id != clip.id,
            IncidentClip.removed_at.is_(None),
        )
    )
    hold = session.get(FootageHold, clip.hold_id)
    if others is None and hold is not None and hold.released_at is None:
        hold.released_at = now
        return True
    return False
