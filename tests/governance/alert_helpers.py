"""Small helpers shared by the alert and escalation tests."""

from sqlalchemy import select

from camwarden.governance.authorization import Actor
from camwarden.governance.roles import Role
from camwarden.installation import Installation
from camwarden.storage.models import Alert, AuditEntry, CameraEvent


def person(role: Role, zone_ids: set[int] | None = None, name: str = "baove1") -> Actor:
    return Actor(
        user_id=None,
        username=name,
        role=role,
        all_zones=zone_ids is None,
        zone_ids=frozenset(zone_ids or ()),
    )


def event_alert(installation: Installation, camera_id: int, kind: str = "covered") -> Alert:
    """A camera event as the recorder or the analysis writes it, and the alert it raises."""
    event_id = installation.recordings.open_event(
        camera_id, kind, installation.clock.now(), "score 0.93"
    )
    with installation.database.transaction() as session:
        event = session.get(CameraEvent, event_id)
        assert event is not None
        alert = installation.alerts.raise_for_event(session, event)
        assert alert is not None
        return alert


def stored(installation: Installation, alert_id: int) -> Alert:
    with installation.database.reading() as session:
        alert = session.get(Alert, alert_id)
        assert alert is not None
        return alert


def audit_actions(installation: Installation, alert_id: int) -> list[str]:
    with installation.database.reading() as session:
        return list(
            session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.target_type == "alert", AuditEntry.target_id == str(alert_id))
                .order_by(AuditEntry.seq)
            )
        )
