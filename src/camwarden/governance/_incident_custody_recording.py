"""The incident service's chain-of-custody steps (R-4.3): a hand-over written down by hand, the
biên bản printed, a package checked, and the chain read back. Each link is written with its
audit entry in the caller's transaction. `Incidents.chain`: the incident service lends its
lookup (asking who may read) and its audit entry; the bare link rows are in
_incident_custody.py, shared with the evidence export (which writes a download's link)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.orm import Session

from camwarden.clock import Clock
from camwarden.governance._incident_checks import handover_details
from camwarden.governance._incident_custody import CustodyAction, write_custody
from camwarden.governance._incident_kinds import Handover
from camwarden.governance._incident_reading import custody_of, find_export
from camwarden.governance.authorization import Actor, require
from camwarden.governance.roles import Permission
from camwarden.storage.models import CustodyEvent, Incident

IncidentLookup = Callable[[Session, Actor, int], Incident]
"""An incident by its id, for someone who may read it."""
StepAudit = Callable[[Session, Actor, Incident, str, dict[str, Any]], None]
"""A step's audit entry on an incident."""


class CustodyChain:
    """The steps that only add a link to an incident's chain."""

    def __init__(self, clock: Clock, incident: IncidentLookup, audit_step: StepAudit) -> None:
        self._clock = clock
        self._incident = incident
        self._audit_step = audit_step

    def record_handover(
        self, session: Session, actor: Actor, incident_id: int, handover: Handover
    ) -> CustodyEvent:
        """A copy given to someone outside camwarden, written down by hand."""
        require(actor, Permission.MANAGE_INCIDENTS)
        incident = self._incident(session, actor, incident_id)
        details = handover_details(handover, now=self._clock.now())
        return self.link(session, actor, incident, CustodyAction.HANDED_OVER, details)

    def record_printed(
        self, session: Session, actor: Actor, incident_id: int, *, sha256: str
    ) -> CustodyEvent:
        """The biên bản was produced (downloaded or printed): which one, by its hash."""
        incident = self._incident(session, actor, incident_id)
        return self.link(session, actor, incident, CustodyAction.RECORD_PRINTED, {"sha256": sha256})

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
        incident = self._incident(session, actor, incident_id)
        record = find_export(session, incident, export_id)
        details = {
            "export_id": record.id,
            "package": record.package_name,
            "intact": intact,
            "problems": list(problems)[:20],
        }
        return self.link(session, actor, incident, CustodyAction.VERIFIED, details)

    def read(self, session: Session, actor: Actor, incident_id: int) -> list[CustodyEvent]:
        """The incident's chain, oldest link first."""
        incident = self._incident(session, actor, incident_id)
        return custody_of(session, incident.id)

    def link(
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
        self._audit_step(session, actor, incident, f"incident.{action.value}", details)
        return event
