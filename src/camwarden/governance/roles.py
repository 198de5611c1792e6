"""Roles from the regulation and the permissions each holds. The single table of who may do what.

Zone-scoped permissions apply only in the zones a user is given (every zone, or a list);
global ones do not depend on a zone. The system administrator manages accounts and devices
but watches no footage: separating those duties is what Decision 724/QĐ-BTTTT asks for.
"""

from __future__ import annotations

from enum import StrEnum

from camwarden.i18n import N_


class Role(StrEnum):
    ADMIN = "admin"
    PRINCIPAL = "principal"
    BOARD = "board"
    SECURITY_LEAD = "security_lead"
    SECURITY = "security"
    IT = "it"
    FINANCE = "finance"
    STAFF = "staff"
    EXTERNAL = "external"


class Permission(StrEnum):
    # Zone-scoped: footage and devices.
    VIEW_CAMERAS = "view_cameras"
    WATCH_LIVE = "watch_live"
    PLAY_BACK = "play_back"
    EXPORT_FOOTAGE = "export_footage"
    DELETE_FOOTAGE = "delete_footage"
    LOCK_EVIDENCE = "lock_evidence"
    MANAGE_CAMERAS = "manage_cameras"
    # See, take and resolve the alerts of a zone's cameras.
    HANDLE_ALERTS = "handle_alerts"
    # Global.
    MANAGE_ZONES = "manage_zones"
    MANAGE_USERS = "manage_users"
    OVERRIDE_CAMERA_SERVICE = "override_camera_service"
    APPROVE_REQUESTS = "approve_requests"
    READ_AUDIT = "read_audit"
    MANAGE_ROSTER = "manage_roster"
    MANAGE_BUDGET = "manage_budget"
    FILE_COMPLAINT = "file_complaint"
    REQUEST_FOOTAGE = "request_footage"
    # File a report by hand: "broken camera at block B", "stranger at the gate".
    REPORT_PROBLEMS = "report_problems"
    # Be told of, and see, alerts nobody took in time (the head of security, the board).
    RECEIVE_ESCALATIONS = "receive_escalations"
    # Open incidents, gather their evidence and write their record.
    MANAGE_INCIDENTS = "manage_incidents"
    # Take part in the 15-day review: bookmark footage, check a unit's cameras off.
    REVIEW_FOOTAGE = "review_footage"
    # Close a review cycle by signing its report off: the Board.
    SIGN_OFF_REVIEWS = "sign_off_reviews"
    # Receive complaints, answer them and decide.
    HANDLE_COMPLAINTS = "handle_complaints"


ZONE_SCOPED: frozenset[Permission] = frozenset(
    {
        Permission.VIEW_CAMERAS,
        Permission.WATCH_LIVE,
        Permission.PLAY_BACK,
        Permission.EXPORT_FOOTAGE,
        Permission.DELETE_FOOTAGE,
        Permission.LOCK_EVIDENCE,
        Permission.MANAGE_CAMERAS,
        Permission.HANDLE_ALERTS,
        Permission.REVIEW_FOOTAGE,
    }
)

_P = Permission
_EVERYONE = {_P.FILE_COMPLAINT, _P.REQUEST_FOOTAGE}
# Everyone working at the school can report a problem they see.
_STAFF = {*_EVERYONE, _P.REPORT_PROBLEMS}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(
        {
            _P.VIEW_CAMERAS,
            _P.MANAGE_CAMERAS,
            _P.MANAGE_ZONES,
            _P.MANAGE_USERS,
            _P.OVERRIDE_CAMERA_SERVICE,
            _P.READ_AUDIT,
        }
    ),
    Role.PRINCIPAL: frozenset(
        {
            _P.VIEW_CAMERAS,
            _P.WATCH_LIVE,
            _P.PLAY_BACK,
            _P.EXPORT_FOOTAGE,
            _P.DELETE_FOOTAGE,
            _P.LOCK_EVIDENCE,
            _P.MANAGE_ZONES,
            _P.APPROVE_REQUESTS,
            _P.READ_AUDIT,
            _P.MANAGE_ROSTER,
            _P.HANDLE_ALERTS,
            _P.RECEIVE_ESCALATIONS,
            _P.MANAGE_INCIDENTS,
            _P.REVIEW_FOOTAGE,
            _P.SIGN_OFF_REVIEWS,
            _P.HANDLE_COMPLAINTS,
            *_STAFF,
        }
    ),
    Role.BOARD: frozenset(
        {
            _P.VIEW_CAMERAS,
            _P.WATCH_LIVE,
            _P.PLAY_BACK,
            _P.EXPORT_FOOTAGE,
            _P.LOCK_EVIDENCE,
            _P.APPROVE_REQUESTS,
            _P.READ_AUDIT,
            _P.HANDLE_ALERTS,
            _P.RECEIVE_ESCALATIONS,
            _P.MANAGE_INCIDENTS,
            _P.REVIEW_FOOTAGE,
            _P.SIGN_OFF_REVIEWS,
            _P.HANDLE_COMPLAINTS,
            *_STAFF,
        }
    ),
    Role.SECURITY_LEAD: frozenset(
        {
            _P.VIEW_CAMERAS,
            _P.WATCH_LIVE,
            _P.PLAY_BACK,
            _P.EXPORT_FOOTAGE,
            _P.LOCK_EVIDENCE,
            _P.MANAGE_ROSTER,
            _P.HANDLE_ALERTS,
            _P.RECEIVE_ESCALATIONS,
            _P.MANAGE_INCIDENTS,
            _P.REVIEW_FOOTAGE,
            *_STAFF,
        }
    ),
    Role.SECURITY: frozenset(
        {_P.VIEW_CAMERAS, _P.WATCH_LIVE, _P.PLAY_BACK, _P.HANDLE_ALERTS, *_STAFF}
    ),
    # IT checks image quality live but has no business in recorded footage.
    # IT answers the technical alerts: a camera gone dark, a failing disk.
    Role.IT: frozenset(
        {_P.VIEW_CAMERAS, _P.WATCH_LIVE, _P.MANAGE_CAMERAS, _P.HANDLE_ALERTS, *_STAFF}
    ),
    Role.FINANCE: frozenset({_P.VIEW_CAMERAS, _P.MANAGE_BUDGET, *_STAFF}),
    Role.STAFF: frozenset(_STAFF),
    Role.EXTERNAL: frozenset({_P.REQUEST_FOOTAGE}),
}

ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: N_("System administrator"),
    Role.PRINCIPAL: N_("Principal"),
    Role.BOARD: N_("Board member"),
    Role.SECURITY_LEAD: N_("Head of security"),
    Role.SECURITY: N_("Security guard"),
    Role.IT: N_("IT staff"),
    Role.FINANCE: N_("Finance office"),
    Role.STAFF: N_("Teacher or staff"),
    Role.EXTERNAL: N_("Outside person"),
}

PERMISSION_LABELS: dict[Permission, str] = {
    _P.VIEW_CAMERAS: N_("See the camera list"),
    _P.WATCH_LIVE: N_("Watch live"),
    _P.PLAY_BACK: N_("Play back recordings"),
    _P.EXPORT_FOOTAGE: N_("Export footage"),
    _P.DELETE_FOOTAGE: N_("Delete footage"),
    _P.LOCK_EVIDENCE: N_("Lock footage as evidence"),
    _P.MANAGE_CAMERAS: N_("Manage cameras"),
    _P.MANAGE_ZONES: N_("Manage zones"),
    _P.MANAGE_USERS: N_("Manage accounts"),
    _P.OVERRIDE_CAMERA_SERVICE: N_("Put a camera in service without inspection"),
    _P.APPROVE_REQUESTS: N_("Approve footage requests"),
    _P.READ_AUDIT: N_("Read the audit log"),
    _P.MANAGE_ROSTER: N_("Manage the duty roster"),
    _P.MANAGE_BUDGET: N_("Manage the budget"),
    _P.FILE_COMPLAINT: N_("File a complaint"),
    _P.REQUEST_FOOTAGE: N_("Request footage"),
    _P.HANDLE_ALERTS: N_("Take and resolve alerts"),
    _P.REPORT_PROBLEMS: N_("Report a problem"),
    _P.RECEIVE_ESCALATIONS: N_("Receive escalated alerts"),
    _P.MANAGE_INCIDENTS: N_("Open incidents and keep their evidence"),
    _P.REVIEW_FOOTAGE: N_("Take part in the 15-day review"),
    _P.SIGN_OFF_REVIEWS: N_("Sign off review cycles"),
    _P.HANDLE_COMPLAINTS: N_("Handle complaints"),
}


def parse_role(value: str) -> Role:
    from camwarden.errors import InvalidInput

    try:
        return Role(value)
    except ValueError:
        raise InvalidInput(
            "Role '{value}' does not exist; expected one of: {expected}.",
            field="role",
            value=value,
            expected=", ".join(r.value for r in Role),
        ) from None
