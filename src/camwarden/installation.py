"""One installation: settings, database and the services over them, built once at start.

Web and CLI both build this and then only talk to the services; nothing here knows about
HTTP or the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from camwarden.clock import Clock, SystemClock
from camwarden.config import Settings
from camwarden.governance._requests_links import GrantLinks
from camwarden.governance.accounts import Accounts
from camwarden.governance.activity import ActivityAccess
from camwarden.governance.alerts import AlertDesk
from camwarden.governance.audit import AuditLog
from camwarden.governance.authentication import Authentication
from camwarden.governance.cameras import Cameras
from camwarden.governance.complaints import Complaints, complaint_mail
from camwarden.governance.escalation import Escalator
from camwarden.governance.footage import FootageAccess
from camwarden.governance.incidents import Incidents
from camwarden.governance.notifications import NotificationPreferences
from camwarden.governance.requests import FootageRequests
from camwarden.governance.reviews import Reviews
from camwarden.governance.roster import Roster
from camwarden.governance.vault import CredentialVault
from camwarden.governance.zones import Zones
from camwarden.storage.activity import ActivityLog
from camwarden.storage.database import Database
from camwarden.storage.recordings import RecordingIndex


@dataclass
class Installation:
    settings: Settings
    database: Database
    clock: Clock
    audit: AuditLog
    accounts: Accounts
    authentication: Authentication
    zones: Zones
    cameras: Cameras
    recordings: RecordingIndex
    footage: FootageAccess
    activity: ActivityLog
    activity_access: ActivityAccess
    alerts: AlertDesk
    escalator: Escalator
    notifications: NotificationPreferences
    roster: Roster
    incidents: Incidents
    complaints: Complaints
    reviews: Reviews
    requests: FootageRequests

    def close(self) -> None:
        # Buffered motion activity is written before the database goes away.
        self.activity.close()
        self.database.dispose()


def open_installation(
    settings: Settings, *, clock: Clock | None = None, migrate: bool = True
) -> Installation:
    clock = clock or SystemClock()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    database = Database(settings.database_url)
    if migrate:
        database.migrate()
    audit = AuditLog(clock)
    vault = CredentialVault(settings.secrets_dir)
    cameras = Cameras(clock, audit, vault, review_period_days=settings.review_period_days)
    footage = FootageAccess(audit, cameras, clock)
    activity = ActivityLog(database, clock)
    alerts = AlertDesk(audit, clock)
    return Installation(
        settings=settings,
        database=database,
        clock=clock,
        audit=audit,
        accounts=Accounts(clock, audit, settings.login),
        authentication=Authentication(clock, audit, settings.login),
        zones=Zones(clock, audit),
        cameras=cameras,
        recordings=RecordingIndex(database),
        footage=footage,
        activity=activity,
        activity_access=ActivityAccess(activity, footage, audit, ZoneInfo(settings.timezone)),
        alerts=alerts,
        escalator=Escalator(audit, clock),
        notifications=NotificationPreferences(audit, clock, vault),
        roster=Roster(audit, clock, ZoneInfo(settings.timezone)),
        incidents=Incidents(audit, clock, cameras, alerts, footage, ZoneInfo(settings.timezone)),
        complaints=Complaints(
            audit,
            clock,
            attachments_dir=settings.data_dir / "attachments",
            deadline_days=settings.complaint_deadline_days,
            mail=complaint_mail(settings),
        ),
        reviews=Reviews(
            audit,
            clock,
            alerts,
            ZoneInfo(settings.timezone),
            period_days=settings.review_period_days,
            grace_days=settings.review_grace_days,
            reports_dir=settings.data_dir / "reviews",
            school_name=settings.school_name,
            locale=settings.default_locale,
        ),
        requests=FootageRequests(
            audit,
            clock,
            GrantLinks(settings.secrets_dir),
            copy_needs_second=settings.copy_needs_second_approval,
        ),
    )
