"""Incidents and their evidence (R-4.3): the footage that shows what happened, locked; the notes,
people and decisions; and the chain of custody of every view, copy and hand-over.

An incident opens by hand, from an alert (its camera, from a minute before to a few minutes
after), or from a reviewer's bookmark. Each clip places an evidence hold named by the
incident's reference, so retention leaves the footage alone. Closing an incident does not
release its holds: evidence stays until the Board decides otherwise. Removing a clip keeps its
row (with `removed_at`) and releases only that clip's own hold.

This module is the service: who may take each step, and its audit entry. The steps that only
add a link to the chain of custody (hand-over, printing, download, check) are its mixin in
`_incident_custody_recording.py`; the checks of the inputs, the rows and the reading back live
in the other private `_incident_*` modules.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from camwarden.clock import Clock
from camwarden.errors import Conflict, Forbidden, NotFound
from camwarden.governance._incident_checks import (
    incident_facts,
    reason_text,
    set_facts,
)
from camwarden.governance._incident_custody_recording import CustodyChain
from camwarden.governance._incident_entries import entries_of, insert_entry
from camwarden.governance._incident_footage import IncidentFootage
from camwarden.governance._incident_kinds import EntryKind, Handover, IncidentStatus, SourceKind
from camwarden.governance._incident_opening import alert_clip, insert_incident
from camwarden.governance._incident_reading import (
    custody_details,
    exports_of,
    find_export,
    find_incident,
    incidents_in_order,
    live_clips,
)
from camwarden.governance.alerts import AlertDesk
from camwarden.governance.audit import AuditLog
from camwarden.governance.authorization import Actor, can, require
from camwarden.governance.cameras import Cameras
from camwarden.governance.footage import FootageAccess
from camwarden.governance.roles import Permission
from camwarden.storage.lookup import get_by_id
from camwarden.storage.models import (
    AuditEntry,
    EvidenceExport,
    Incident,
    IncidentEntry,
    ReviewBookmark,
)

# The pages, the API and the evidence export name these from here.
__all__ = [
    "EntryKind",
    "Handover",
    "IncidentStatus",
    "Incidents",
    "SourceKind",
    "custody_details",
    "live_clips",
    "may_read_incidents",
]


def may_read_incidents(actor: Actor) -> bool:
    return can(actor, Permission.MANAGE_INCIDENTS) or can(actor, Permission.READ_AUDIT)


class Incidents:
    def __init__(
        self,
        audit: AuditLog,
        clock: Clock,
        cameras: Cameras,
        alerts: AlertDesk,
        playback: FootageAccess,
        timezone: ZoneInfo,
    ) -> None:
        self._audit = audit
        self._clock = clock
        self._cameras = cameras
        self._alerts = alerts
        self._tz = timezone
        self.chain = CustodyChain(clock, self.get, self._record)
        """The chain of custody's own steps: hand-overs, the biên bản printed, checks."""
        self.footage = IncidentFootage(
            clock,
            cameras,
            playback,
            self.chain,
            incident=self.get,
            incident_for_change=self._open_for_change,
        )
        """The incident's clips: added under a hold, removed, listed, watched."""

    # -- opening -----------------------------------------------------------------------------

    def open(
        self,
        session: Session,
        actor: Actor,
        *,
        title: str,
        description: str = "",
        occurred_at: datetime,
        location: str = "",
    ) -> Incident:
        """An incident opened by hand."""
        return self._open(
            session,
            actor,
            title=title,
            description=description,
            occurred_at=occurred_at,
            location=location,
            source=(SourceKind.MANUAL, None),
        )

    def open_from_alert(
        self,
        session: Session,
        actor: Actor,
        alert_id: int,
        *,
        title: str,
        description: str = "",
        location: str = "",
    ) -> Incident:
        """The alert's camera from a minute before it to a few minutes after is the first clip;
        the alert names the incident."""
        require(actor, Permission.MANAGE_INCIDENTS)
        alert = self._alerts.get(session, actor, alert_id)
        if alert.incident_reference:
            raise Conflict(
                "Alert {id} already belongs to incident {reference}.",
                id=alert.id,
                reference=alert.incident_reference,
            )
        camera = None
        if alert.camera_id is not None:
            camera = self._cameras.get(session, actor, alert.camera_id)
            require(actor, Permission.PLAY_BACK, camera.zone_id)
        incident = self._open(
            session,
            actor,
            title=title,
            description=description or alert.summary,
            occurred_at=alert.raised_at,
            location=location or (camera.name if camera is not None else ""),
            source=(SourceKind.ALERT, alert.id),
        )
        if camera is not None:
            start_at, end_at = alert_clip(alert.raised_at)
            self.footage.add(
                session, actor, incident.id, camera_id=camera.id, start_at=start_at, end_at=end_at
            )
        alert.incident_reference = incident.reference
        self._audit.record(
            session,
            actor,
            "alert.incident",
            target_type="alert",
            target_id=alert.id,
            details={"incident": incident.reference},
        )
        return incident

    def open_from_bookmark(
        self,
        session: Session,
        actor: Actor,
        bookmark_id: int,
        *,
        title: str,
        description: str = "",
        location: str = "",
    ) -> Incident:
        """A reviewer's bookmark: its camera and range become the first clip."""
        require(actor, Permission.MANAGE_INCIDENTS)
        bookmark = self.bookmark(session, actor, bookmark_id)
        incident = self._open(
            session,
            actor,
            title=title,
            description=description or bookmark.note,
            occurred_at=bookmark.start_at,
            location=location or bookmark.camera.name,
            source=(SourceKind.BOOKMARK, bookmark.id),
        )
        self.footage.add(
            session,
            actor,
            incident.id,
            camera_id=bookmark.camera_id,
            start_at=bookmark.start_at,
            end_at=bookmark.end_at,
            note=bookmark.note,
        )
        return incident

    def bookmark(self, session: Session, actor: Actor, bookmark_id: int) -> ReviewBookmark:
        """A live bookmark whose footage the actor may play back."""
        bookmark = get_by_id(session, ReviewBookmark, bookmark_id)
        if bookmark is None or bookmark.removed_at is not None:
            raise NotFound("There is no bookmark {value}, or it was removed.", value=bookmark_id)
        camera = self._cameras.get(session, actor, bookmark.camera_id)
        require(actor, Permission.PLAY_BACK, camera.zone_id)
        return bookmark

    def edit(
        self,
        session: Session,
        actor: Actor,
        incident_id: int,
        *,
        title: str,
        description: str,
        occurred_at: datetime,
        location: str,
    ) -> Incident:
        incident = self._open_for_change(session, actor, incident_id)
        before = incident_facts(incident)
        set_facts(
            incident,
            title=title,
            description=description,
            occurred_at=occurred_at,
            location=location,
            now=self._clock.now(),
        )
        after = incident_facts(incident)
        changed = {key: after[key] for key in after if after[key] != before[key]}
        self._record(session, actor, incident, "incident.edit", {"changed": changed})
        return incident

    # -- entries -----------------------------------------------------------------------------

    def add_entry(
        self,
        session: Session,
        actor: Actor,
        incident_id: int,
        *,
        kind: str,
        text: str,
        capacity: str = "",
    ) -> IncidentEntry:
        """A note, a person involved (name and capacity, e.g. "học sinh lớp 3A"), a decision."""
        incident = self._open_for_change(session, actor, incident_id)
        entry = insert_entry(
            session,
            incident,
            kind=kind,
            text=text,
            capacity=capacity,
            written_by=actor.username,
            now=self._clock.now(),
        )
        details = {"kind": kind, "text": entry.text, "capacity": entry.capacity}
        self._record(session, actor, incident, "incident.entry", details)
        return entry

    def entries(self, session: Session, actor: Actor, incident_id: int) -> list[IncidentEntry]:
        incident = self.get(session, actor, incident_id)
        return entries_of(session, incident.id)

    # -- closing -----------------------------------------------------------------------------

    def close(self, session: Session, actor: Actor, incident_id: int, *, reason: str) -> Incident:
        """Closed, not forgotten: the evidence holds stay until the Board releases them."""
        incident = self._open_for_change(session, actor, incident_id)
        reason = reason_text(reason)
        incident.status = IncidentStatus.CLOSED.value
        incident.closed_at = self._clock.now()
        incident.closed_by = actor.username[:64]
        self._record(session, actor, incident, "incident.close", {"reason": reason})
        return incident

    def reopen(self, session: Session, actor: Actor, incident_id: int, *, reason: str) -> Incident:
        require(actor, Permission.MANAGE_INCIDENTS)
        incident = self.get(session, actor, incident_id)
        if incident.status != IncidentStatus.CLOSED.value:
            raise Conflict("Incident {reference} is already open.", reference=incident.reference)
        reason = reason_text(reason)
        incident.status = IncidentStatus.OPEN.value
        incident.closed_at = None
        incident.closed_by = None
        self._record(session, actor, incident, "incident.reopen", {"reason": reason})
        return incident

    # -- packages and history ----------------------------------------------------------------

    def exports(self, session: Session, actor: Actor, incident_id: int) -> list[EvidenceExport]:
        incident = self.get(session, actor, incident_id)
        return exports_of(session, incident.id)

    def export(
        self, session: Session, actor: Actor, incident_id: int, export_id: int
    ) -> EvidenceExport:
        incident = self.get(session, actor, incident_id)
        return find_export(session, incident, export_id)

    def history(self, session: Session, actor: Actor, incident_id: int) -> Sequence[AuditEntry]:
        """The incident's own entries in the audit log (opening, edits, entries, closing…)."""
        incident = self.get(session, actor, incident_id)
        return self._audit.history_of(session, "incident", incident.id)

    # -- reading -----------------------------------------------------------------------------

    def require_reader(self, actor: Actor) -> None:
        if not may_read_incidents(actor):
            raise Forbidden("Your role does not keep incidents.")

    def get(self, session: Session, actor: Actor, incident_id: int) -> Incident:
        self.require_reader(actor)
        return find_incident(session, incident_id)

    def list(self, session: Session, actor: Actor, limit: int = 500) -> Sequence[Incident]:
        """Open ones first, then the most recently opened."""
        self.require_reader(actor)
        return incidents_in_order(session, limit)

    # -- internals ---------------------------------------------------------------------------

    def _open(
        self,
        session: Session,
        actor: Actor,
        *,
        title: str,
        description: str,
        occurred_at: datetime,
        location: str,
        source: tuple[SourceKind, int | None],
    ) -> Incident:
        require(actor, Permission.MANAGE_INCIDENTS)
        incident = insert_incident(
            session,
            opened_by=actor.username,
            title=title,
            description=description,
            occurred_at=occurred_at,
            location=location,
            source=source,
            now=self._clock.now(),
            timezone=self._tz,
        )
        details = {**incident_facts(incident), "source": source[0].value, "source_id": source[1]}
        self._record(session, actor, incident, "incident.open", details)
        return incident

    def _record(
        self,
        session: Session,
        actor: Actor,
        incident: Incident,
        action: str,
        details: dict[str, Any],
    ) -> None:
        """The step's audit entry on the incident, named by its reference."""
        self._audit.record(
            session,
            actor,
            action,
            target_type="incident",
            target_id=incident.id,
            details={"reference": incident.reference, **details},
        )

    def _open_for_change(self, session: Session, actor: Actor, incident_id: int) -> Incident:
        require(actor, Permission.MANAGE_INCIDENTS)
        incident = self.get(session, actor, incident_id)
        if incident.status != IncidentStatus.OPEN.value:
            raise Conflict(
                "Incident {reference} is closed: reopen it to change it.",
                reference=incident.reference,
            )
        return incident
