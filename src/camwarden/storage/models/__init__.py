"""Tables. Every change to them goes through an Alembic migration in `migrations/versions`.

One module per area; importing this package imports them all, so `Base.metadata` holds every
table (what Alembic's env.py and the migration tests compare against) and every model is
named from here: `from camwarden.storage.models import Camera`.
"""

from camwarden.storage.models._base import Base
from camwarden.storage.models.accounts import (
    ApiToken,
    AuditEntry,
    LoginFailure,
    LoginLockout,
    User,
    WebSession,
    user_zone_scope,
)
from camwarden.storage.models.alerts import (
    Alert,
    MonitorCursor,
    NotificationPreference,
    NotificationSent,
)
from camwarden.storage.models.cameras import (
    Camera,
    CameraEvent,
    FootageHold,
    Inspection,
    MotionActivity,
    Segment,
    Zone,
    zone_assignees,
)
from camwarden.storage.models.complaints import (
    Complaint,
    ComplaintAttachment,
    ComplaintFootage,
    ComplaintMessage,
)
from camwarden.storage.models.incidents import (
    CustodyEvent,
    EvidenceExport,
    Incident,
    IncidentClip,
    IncidentEntry,
)
from camwarden.storage.models.requests import (
    FootageGrant,
    FootageRequest,
    footage_request_cameras,
)
from camwarden.storage.models.reviews import ReviewBookmark, ReviewCycle, ReviewUnitCheck
from camwarden.storage.models.roster import DutyShift, ShiftHandover

__all__ = [
    "Alert",
    "ApiToken",
    "AuditEntry",
    "Base",
    "Camera",
    "CameraEvent",
    "Complaint",
    "ComplaintAttachment",
    "ComplaintFootage",
    "ComplaintMessage",
    "CustodyEvent",
    "DutyShift",
    "EvidenceExport",
    "FootageGrant",
    "FootageHold",
    "FootageRequest",
    "Incident",
    "IncidentClip",
    "IncidentEntry",
    "Inspection",
    "LoginFailure",
    "LoginLockout",
    "MonitorCursor",
    "MotionActivity",
    "NotificationPreference",
    "NotificationSent",
    "ReviewBookmark",
    "ReviewCycle",
    "ReviewUnitCheck",
    "Segment",
    "ShiftHandover",
    "User",
    "WebSession",
    "Zone",
    "footage_request_cameras",
    "user_zone_scope",
    "zone_assignees",
]
