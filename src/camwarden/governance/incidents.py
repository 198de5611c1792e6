"""Incidents and their evidence (R-4.3): the footage that shows what happened, locked; the notes,
people and decisions; and the chain of custody of every view, copy and hand-over.

An incident opens by hand, from an alert (its camera, from a minute before to a few minutes
after), or from a reviewer's bookmark. Each clip places an evidence hold named by the
incident's reference, so retention leaves the footage alone. Closing an incident does not
release its holds: evidence stays until the Board decides otherwise. Removing a clip keeps its
row (with `removed_at`) and releases only that clip's own hold.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from camwarden.clock import Clock
from camwarden.errors import Conflict, Forbidden, InvalidInput, NotFound
from camwarden.governance._incident_custody import CustodyAction, write_custody
from camwarden.governance._validation import bounded_text, required_text
from camwarden.governance.alerts import AlertDesk
from camwarden.governance.audit import AuditLog
from camwarden.governance.authorization import Actor, can, require
from camwarden.governance.cameras import Cameras
from camwarden.governance.roles import Permission
from camwarden.governance.tracking import next_reference
from camwarden.storage.holds import HoldKind, place_hold
from camwarden.storage.lookup import get_by_id
from camwarden.storage.models import (
    AuditEntry,
    CustodyEvent,
    EvidenceExport,
    FootageHold,
    Incident,
    IncidentClip,
    IncidentEntry,
    ReviewBookmark,
)

REFERENCE_PREFIX = "SV"  # sự việc
# From an alert: the minute before shows the scene as it was; the minutes after, what followed.
ALERT_CLIP_BEFORE = timedelta(minutes=1)
ALERT_CLIP_AFTER = timedelta(minutes=4)
MAX_CLIP = timedelta(hours=12)
MAX_TITLE = 200
MAX_TEXT = 10000
MAX_SHORT = 200


class IncidentStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class EntryKind(StrEnum):
    NOTE = "note"
    PERSON = "person"
    DECISION = "decision"


class SourceKind(StrEnum):
    MANUAL = "manual"
    ALERT = "alert"
    BOOKMARK = "bookmark"


@dataclass(frozen=True)
class Handover:
    """Who received a copy, from whom, how and when ("on USB to Officer X, police ward Y")."""

    recipient: str
    organisation: str
    medium: str
    handed_at: datetime
    note: str = ""


def may_read_incidents(actor: Actor) -> bool:
    return can(actor, Permission.MANAGE_INCIDENTS) or can(actor, Permission.READ_AUDIT)


class Incidents:
    def __init__(
        self, audit: AuditLog, clock: Clock, cameras: Cameras, alerts: AlertDesk, timezone: ZoneInfo
    ) -> None:
        self._audit = audit
        self._clock = clock
        self._cameras = cameras
        self._alerts = alerts
        self._tz = timezone

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
            self._add_clip(
                session,
                actor,
                incident,
                camera_id=camera.id,
                start_at=alert.raised_at - ALERT_CLIP_BEFORE,
                end_at=alert.raised_at + ALERT_CLIP_AFTER,
                note="",
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
        self._add_clip(
            session,
            actor,
            incident,
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
        before = self._facts(incident)
        incident.title = required_text(title, field="title", max_length=MAX_TITLE)
        incident.description = bounded_text(description, field="description", max_length=MAX_TEXT)
        incident.occurred_at = self._past(occurred_at, field="occurred_at")
        incident.location = bounded_text(location, field="location", max_length=MAX_SHORT)
        after = self._facts(incident)
        changed = {key: after[key] for key in after if after[key] != before[key]}
        self._audit.record(
            session,
            actor,
            "incident.edit",
            target_type="incident",
            target_id=incident.id,
            details={"reference": incident.reference, "changed": changed},
        )
        return incident

    # -- clips -------------------------------------------------------------------------------

    def add_clip(
        self,
        session: Session,
        actor: Actor,
        incident_id: int,
        *,
        camera_id: int,
        start_at: datetime,
        end_at: datetime,
        note: str = "",
    ) -> IncidentClip:
        incident = self._open_for_change(session, actor, incident_id)
        return self._add_clip(
            session,
            actor,
            incident,
            camera_id=camera_id,
            start_at=start_at,
            end_at=end_at,
            note=note,
        )

    def remove_clip(
        self, session: Session, actor: Actor, incident_id: int, clip_id: int, *, reason: str
    ) -> IncidentClip:
        """The row stays (with `removed_at`); its hold is released unless another live clip
        still relies on it."""
        incident = self._open_for_change(session, actor, incident_id)
        reason = required_text(reason, field="reason", max_length=MAX_SHORT * 5)
        clip = self._clip(session, incident, clip_id)
        now = self._clock.now()
        clip.removed_at = now
        released = False
        if clip.hold_id is not None:
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
                released = True
        details = {**self._clip_facts(clip), "reason": reason, "hold_released": released}
        self._custody(session, actor, incident, CustodyAction.CLIP_REMOVED, details)
        return clip

    def clips(self, session: Session, actor: Actor, incident_id: int) -> list[IncidentClip]:
        """The live clips, in the order of their footage."""
        incident = self.get(session, actor, incident_id)
        return live_clips(session, incident.id)

    def view_clip(
        self, session: Session, actor: Actor, incident_id: int, clip_id: int
    ) -> IncidentClip:
        """Footage watched through the incident: an audited playback and a custody link."""
        incident = self.get(session, actor, incident_id)
        clip = self._clip(session, incident, clip_id)
        camera = self._cameras.get(session, actor, clip.camera_id)
        require(actor, Permission.PLAY_BACK, camera.zone_id)
        self._audit.record(
            session,
            actor,
            "footage.playback",
            target_type="camera",
            target_id=camera.id,
            details={
                "camera": camera.name,
                "from": clip.start_at.isoformat(),
                "reason": f"incident {incident.reference}",
            },
        )
        self._custody(session, actor, incident, CustodyAction.VIEWED, self._clip_facts(clip))
        return clip

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
        if kind not in set(EntryKind):
            raise InvalidInput(
                "'{value}' is not a kind of entry (note, person or decision).",
                field="kind",
                value=kind,
            )
        entry = IncidentEntry(
            incident_id=incident.id,
            kind=kind,
            text=required_text(text, field="text", max_length=MAX_TEXT),
            capacity=bounded_text(capacity, field="capacity", max_length=MAX_SHORT)
            if kind == EntryKind.PERSON
            else "",
            written_by=actor.username[:64],
            written_at=self._clock.now(),
        )
        session.add(entry)
        session.flush()
        self._audit.record(
            session,
            actor,
            "incident.entry",
            target_type="incident",
            target_id=incident.id,
            details={
                "reference": incident.reference,
                "kind": kind,
                "text": entry.text,
                "capacity": entry.capacity,
            },
        )
        return entry

    def entries(self, session: Session, actor: Actor, incident_id: int) -> list[IncidentEntry]:
        incident = self.get(session, actor, incident_id)
        return list(
            session.scalars(
                select(IncidentEntry)
                .where(IncidentEntry.incident_id == incident.id)
                .order_by(IncidentEntry.written_at, IncidentEntry.id)
            )
        )

    # -- closing -----------------------------------------------------------------------------

    def close(self, session: Session, actor: Actor, incident_id: int, *, reason: str) -> Incident:
        """Closed, not forgotten: the evidence holds stay until the Board releases them."""
        incident = self._open_for_change(session, actor, incident_id)
        reason = required_text(reason, field="reason", max_length=MAX_SHORT * 5)
        incident.status = IncidentStatus.CLOSED.value
        incident.closed_at = self._clock.now()
        incident.closed_by = actor.username[:64]
        self._audit.record(
            session,
            actor,
            "incident.close",
            target_type="incident",
            target_id=incident.id,
            details={"reference": incident.reference, "reason": reason},
        )
        return incident

    def reopen(self, session: Session, actor: Actor, incident_id: int, *, reason: str) -> Incident:
        require(actor, Permission.MANAGE_INCIDENTS)
        incident = self.get(session, actor, incident_id)
        if incident.status != IncidentStatus.CLOSED.value:
            raise Conflict("Incident {reference} is already open.", reference=incident.reference)
        reason = required_text(reason, field="reason", max_length=MAX_SHORT * 5)
        incident.status = IncidentStatus.OPEN.value
        incident.closed_at = None
        incident.closed_by = None
        self._audit.record(
            session,
            actor,
            "incident.reopen",
            target_type="incident",
            target_id=incident.id,
            details={"reference": incident.reference, "reason": reason},
        )
        return incident

    # -- chain of custody --------------------------------------------------------------------

    def record_handover(
        self, session: Session, actor: Actor, incident_id: int, handover: Handover
    ) -> CustodyEvent:
        """A copy given to someone outside camwarden, written down by hand."""
        require(actor, Permission.MANAGE_INCIDENTS)
        incident = self.get(session, actor, incident_id)
        details = {
            "recipient": required_text(handover.recipient, field="recipient", max_length=MAX_SHORT),
            "organisation": bounded_text(
                handover.organisation, field="organisation", max_length=MAX_SHORT
            ),
            "medium": required_text(handover.medium, field="medium", max_length=MAX_SHORT),
            "handed_at": self._past(handover.handed_at, field="handed_at").isoformat(),
            "note": bounded_text(handover.note, field="note", max_length=MAX_TEXT),
        }
        return self._custody(session, actor, incident, CustodyAction.HANDED_OVER, details)

    def record_printed(
        self, session: Session, actor: Actor, incident_id: int, *, sha256: str
    ) -> CustodyEvent:
        """The biên bản was produced (downloaded or printed): which one, by its hash."""
        incident = self.get(session, actor, incident_id)
        return self._custody(
            session, actor, incident, CustodyAction.RECORD_PRINTED, {"sha256": sha256}
        )

    def record_download(
        self, session: Session, actor: Actor, incident_id: int, export_id: int
    ) -> CustodyEvent:
        incident = self.get(session, actor, incident_id)
        record = self.export(session, actor, incident.id, export_id)
        details = {"export_id": record.id, "package": record.package_name}
        return self._custody(session, actor, incident, CustodyAction.DOWNLOADED, details)

    def record_verification(
        self,
        session: Session,
        actor: Actor,
        incident_id: int,
        export_id: int,
        *,
        intact: bool,
        problems: Sequence[str],
    ) -> CustodyEvent:
        incident = self.get(session, actor, incident_id)
        record = self.export(session, actor, incident.id, export_id)
        details = {
            "export_id": record.id,
            "package": record.package_name,
            "intact": intact,
            "problems": list(problems)[:20],
        }
        return self._custody(session, actor, incident, CustodyAction.VERIFIED, details)

    def custody(self, session: Session, actor: Actor, incident_id: int) -> list[CustodyEvent]:
        incident = self.get(session, actor, incident_id)
        return list(
            session.scalars(
                select(CustodyEvent)
                .where(CustodyEvent.incident_id == incident.id)
                .order_by(CustodyEvent.at, CustodyEvent.id)
            )
        )

    def exports(self, session: Session, actor: Actor, incident_id: int) -> list[EvidenceExport]:
        incident = self.get(session, actor, incident_id)
        return list(
            session.scalars(
                select(EvidenceExport)
                .where(EvidenceExport.incident_id == incident.id)
                .order_by(EvidenceExport.created_at, EvidenceExport.id)
            )
        )

    def export(
        self, session: Session, actor: Actor, incident_id: int, export_id: int
    ) -> EvidenceExport:
        incident = self.get(session, actor, incident_id)
        record = get_by_id(session, EvidenceExport, export_id)
        if record is None or record.incident_id != incident.id:
            raise NotFound("Evidence package {value} does not exist.", value=export_id)
        return record

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
        incident = get_by_id(session, Incident, incident_id)
        if incident is None:
            raise NotFound("Incident {value} does not exist.", value=incident_id)
        return incident

    def list(self, session: Session, actor: Actor, limit: int = 500) -> Sequence[Incident]:
        """Open ones first, then the most recently opened."""
        self.require_reader(actor)
        still_open = case((Incident.status == IncidentStatus.OPEN.value, 0), else_=1)
        return session.scalars(
            select(Incident)
            .order_by(still_open, Incident.opened_at.desc(), Incident.id.desc())
            .limit(limit)
        ).all()

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
        now = self._clock.now()
        incident = Incident(
            reference=next_reference(
                session, Incident.reference, REFERENCE_PREFIX, now.astimezone(self._tz)
            ),
            title=required_text(title, field="title", max_length=MAX_TITLE),
            description=bounded_text(description, field="description", max_length=MAX_TEXT),
            occurred_at=self._past(occurred_at, field="occurred_at"),
            location=bounded_text(location, field="location", max_length=MAX_SHORT),
            source_kind=source[0].value,
            source_id=source[1],
            status=IncidentStatus.OPEN.value,
            opened_by=actor.username[:64],
            opened_at=now,
        )
        try:
            with session.begin_nested():
                session.add(incident)
                session.flush()
        except IntegrityError:
            # Two incidents opened at the same instant took the same number.
            raise Conflict(
                "Another incident took the same number at the same moment; try again."
            ) from None
        self._audit.record(
            session,
            actor,
            "incident.open",
            target_type="incident",
            target_id=incident.id,
            details={**self._facts(incident), "source": source[0].value, "source_id": source[1]},
        )
        return incident

    def _add_clip(
        self,
        session: Session,
        actor: Actor,
        incident: Incident,
        *,
        camera_id: int,
        start_at: datetime,
        end_at: datetime,
        note: str,
    ) -> IncidentClip:
        camera = self._cameras.get(session, actor, camera_id)
        require(actor, Permission.PLAY_BACK, camera.zone_id)
        start_at = self._past(start_at, field="start_at")
        end_at = self._aware(end_at, field="end_at")
        if end_at <= start_at:
            raise InvalidInput(
                "The clip must end after it starts ({start} to {end}).",
                field="end_at",
                start=start_at.isoformat(),
                end=end_at.isoformat(),
            )
        if end_at - start_at > MAX_CLIP:
            raise InvalidInput(
                "A clip is at most {hours} hours long; split a longer stretch into several.",
                field="end_at",
                hours=int(MAX_CLIP.total_seconds() // 3600),
            )
        now = self._clock.now()
        hold = place_hold(
            session,
            camera_id=camera.id,
            start_at=start_at,
            end_at=end_at,
            kind=HoldKind.EVIDENCE,
            reference=incident.reference,
            created_by=actor.username,
            now=now,
        )
        clip = IncidentClip(
            incident_id=incident.id,
            camera_id=camera.id,
            start_at=start_at,
            end_at=end_at,
            note=bounded_text(note, field="note", max_length=MAX_TEXT),
            hold_id=hold.id,
            added_by=actor.username[:64],
            added_at=now,
            removed_at=None,
        )
        session.add(clip)
        session.flush()
        session.refresh(clip)  # its camera, for the details below
        self._custody(session, actor, incident, CustodyAction.CLIP_ADDED, self._clip_facts(clip))
        return clip

    def _custody(
        self,
        session: Session,
        actor: Actor,
        incident: Incident,
        action: CustodyAction,
        details: dict[str, Any],
    ) -> CustodyEvent:
        """A custody link and its audit entry, in the caller's transaction."""
        event = write_custody(
            session,
            incident_id=incident.id,
            actor=actor.username,
            action=action,
            details=details,
            now=self._clock.now(),
        )
        self._audit.record(
            session,
            actor,
            f"incident.{action.value}",
            target_type="incident",
            target_id=incident.id,
            details={"reference": incident.reference, **details},
        )
        return event

    def _open_for_change(self, session: Session, actor: Actor, incident_id: int) -> Incident:
        require(actor, Permission.MANAGE_INCIDENTS)
        incident = self.get(session, actor, incident_id)
        if incident.status != IncidentStatus.OPEN.value:
            raise Conflict(
                "Incident {reference} is closed: reopen it to change it.",
                reference=incident.reference,
            )
        return incident

    def _clip(self, session: Session, incident: Incident, clip_id: int) -> IncidentClip:
        clip = get_by_id(session, IncidentClip, clip_id)
        if clip is None or clip.incident_id != incident.id or clip.removed_at is not None:
            raise NotFound("Clip {value} is not part of this incident.", value=clip_id)
        return clip

    def _aware(self, moment: datetime, *, field: str) -> datetime:
        if moment.tzinfo is None:
            raise InvalidInput(
                "The time {value} has no time zone offset.", field=field, value=moment.isoformat()
            )
        return moment

    def _past(self, moment: datetime, *, field: str) -> datetime:
        moment = self._aware(moment, field=field)
        if moment > self._clock.now():
            raise InvalidInput(
                "The time {value} is in the future.", field=field, value=moment.isoformat()
            )
        return moment

    @staticmethod
    def _facts(incident: Incident) -> dict[str, Any]:
        return {
            "reference": incident.reference,
            "title": incident.title,
            "description": incident.description,
            "occurred_at": incident.occurred_at.isoformat(),
            "location": incident.location,
        }

    @staticmethod
    def _clip_facts(clip: IncidentClip) -> dict[str, Any]:
        return {
            "clip_id": clip.id,
            "camera_id": clip.camera_id,
            "camera": clip.camera.name,
            "start": clip.start_at.isoformat(),
            "end": clip.end_at.isoformat(),
        }


def live_clips(session: Session, incident_id: int) -> list[IncidentClip]:
    """The incident's clips not removed, in the order of their footage; no permission asked."""
    return list(
        session.scalars(
            select(IncidentClip)
            .where(IncidentClip.incident_id == incident_id, IncidentClip.removed_at.is_(None))
            .order_by(IncidentClip.start_at, IncidentClip.id)
        )
    )


def custody_details(event: CustodyEvent) -> dict[str, Any]:
    try:
        details = json.loads(event.details or "{}")
    except json.JSONDecodeError:
        return {}
    return details if isinstance(details, dict) else {}
