"""The incident service's footage steps (R-4.3): a clip added under an evidence hold, removed
with its reason, listed, and watched through the incident. `Incidents.footage`: the incident
service lends its lookups (asking who may read, or change) and its custody chain, and a clip
is watched as any footage is (`FootageAccess`); the bare clip rows are in _incident_clips.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from camwarden.clock import Clock
from camwarden.governance._incident_checks import clip_facts, reason_text
from camwarden.governance._incident_clips import insert_clip, release_clip_hold
from camwarden.governance._incident_custody import CustodyAction
from camwarden.governance._incident_custody_recording import CustodyChain, IncidentLookup
from camwarden.governance._incident_reading import find_clip, live_clips
from camwarden.governance.authorization import Actor, require
from camwarden.governance.cameras import Cameras
from camwarden.governance.footage import FootageAccess
from camwarden.governance.roles import Permission
from camwarden.storage.models import IncidentClip


class IncidentFootage:
    """An incident's clips: footage of cameras the actor may play back, each link in the chain."""

    def __init__(
        self,
        clock: Clock,
        cameras: Cameras,
        playback: FootageAccess,
        chain: CustodyChain,
        *,
        incident: IncidentLookup,
        incident_for_change: IncidentLookup,
    ) -> None:
        self._clock = clock
        self._cameras = cameras
        self._playback = playback
        self._chain = chain
        self._incident = incident
        self._incident_for_change = incident_for_change

    def add(
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
        """Footage of a camera the actor may play back, locked by an evidence hold."""
        incident = self._incident_for_change(session, actor, incident_id)
        camera = self._cameras.get(session, actor, camera_id)
        require(actor, Permission.PLAY_BACK, camera.zone_id)
        clip = insert_clip(
            session,
            incident,
            camera_id=camera.id,
            start_at=start_at,
            end_at=end_at,
            note=note,
            added_by=actor.username,
            now=self._clock.now(),
        )
        self._chain.link(session, actor, incident, CustodyAction.CLIP_ADDED, clip_facts(clip))
        return clip

    def remove(
        self, session: Session, actor: Actor, incident_id: int, clip_id: int, *, reason: str
    ) -> IncidentClip:
        """The row stays (with `removed_at`); its hold is released unless another live clip
        still relies on it."""
        incident = self._incident_for_change(session, actor, incident_id)
        reason = reason_text(reason)
        clip = find_clip(session, incident, clip_id)
        now = self._clock.now()
        clip.removed_at = now
        released = release_clip_hold(session, clip, now)
        details = {**clip_facts(clip), "reason": reason, "hold_released": released}
        self._chain.link(session, actor, incident, CustodyAction.CLIP_REMOVED, details)
        return clip

    def live(self, session: Session, actor: Actor, incident_id: int) -> list[IncidentClip]:
        """The live clips, in the order of their footage."""
        incident = self._incident(session, actor, incident_id)
        return live_clips(session, incident.id)

    def view(self, session: Session, actor: Actor, incident_id: int, clip_id: int) -> IncidentClip:
        """Footage watched through the incident: a playback as any other (who may, and its
        audit entry, the incident its reason) and a custody link."""
        incident = self._incident(session, actor, incident_id)
        clip = find_clip(session, incident, clip_id)
        reason = f"incident {incident.reference}"
        self._playback.start_playback(session, actor, clip.camera_id, clip.start_at, reason)
        self._chain.link(session, actor, incident, CustodyAction.VIEWED, clip_facts(clip))
        return clip
