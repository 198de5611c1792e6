"""Tables. Every change to them goes through an Alembic migration in `migrations/versions`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from camwarden.storage.types import UTCDateTime


class Base(DeclarativeBase):
    pass


# Zones a user may act in (when the user is not given every zone).
user_zone_scope = Table(
    "user_zone_scope",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("zone_id", ForeignKey("zones.id", ondelete="CASCADE"), primary_key=True),
)

# People assigned to a zone by the Board: who manages and answers for it.
zone_assignees = Table(
    "zone_assignees",
    Base.metadata,
    Column("zone_id", ForeignKey("zones.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(32))
    all_zones: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    zones: Mapped[list[Zone]] = relationship(secondary=user_zone_scope, lazy="selectin")


class Zone(Base):
    __tablename__ = "zones"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    # Comma-separated purpose codes; a handful of fixed values does not need its own table.
    purposes: Mapped[str] = mapped_column(String(200))
    responsible_unit: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    assignees: Mapped[list[User]] = relationship(secondary=zone_assignees, lazy="selectin")


class Camera(Base):
    __tablename__ = "cameras"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id", ondelete="RESTRICT"))
    main_url: Mapped[str] = mapped_column(String(500))
    sub_url: Mapped[str | None] = mapped_column(String(500))
    # Fernet token of {"username":…, "password":…}; never leaves the server in clear.
    credentials_encrypted: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default="draft")
    # True when an admin put the camera in service before any inspection (audited).
    in_service_by_override: Mapped[bool] = mapped_column(Boolean, default=False)
    position_notes: Mapped[str] = mapped_column(Text, default="")
    # Continuous footage older than this goes, unless held; never under the review
    # period.
    retention_days: Mapped[int] = mapped_column(Integer, default=30)
    # Analysis mask: "" (nothing masked) or MASK_COLUMNS x MASK_ROWS characters, row by row
    # from the top left, "1" where the picture is ignored (camwarden/analysis/mask.py).
    analysis_mask: Mapped[str] = mapped_column(Text, default="")
    # low | normal | high, set by IT per camera (audited).
    tamper_sensitivity: Mapped[str] = mapped_column(String(8), default="normal")
    motion_sensitivity: Mapped[str] = mapped_column(String(8), default="normal")
    # Times IT said "what the camera shows now is its normal view" (audited): the running
    # analysis learns the view again when it sees this number change.
    view_learning_requests: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    zone: Mapped[Zone] = relationship(lazy="joined")


class LoginFailure(Base):
    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class LoginLockout(Base):
    __tablename__ = "login_lockouts"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    locked_until: Mapped[datetime] = mapped_column(UTCDateTime())


class WebSession(Base):
    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Only the SHA-256 of the cookie value is stored: a leaked database opens no session.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ApiToken(Base):
    __tablename__ = "api_tokens"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AuditEntry(Base):
    """Append-only; the database refuses UPDATE and DELETE (triggers in the migration)."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor_user_id: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[str] = mapped_column(String(64))
    details: Mapped[str] = mapped_column(Text)
    ip: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)


class Segment(Base):
    """One file of continuous recording: fragmented MP4, readable up to its last fragment."""

    __tablename__ = "segments"
    __table_args__ = (Index("ix_segments_camera_start", "camera_id", "start_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # RESTRICT: footage outlives nothing silently; a camera with recordings is not removed.
    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id", ondelete="RESTRICT"))
    # Relative to the recordings folder, so the folder can move with the data.
    path: Mapped[str] = mapped_column(String(300), unique=True)
    start_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # While the file is being written: the end of what is known to be on disk.
    end_at: Mapped[datetime] = mapped_column(UTCDateTime())
    bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    frames: Mapped[int] = mapped_column(Integer, default=0)
    # recording → complete; or recovered, when fsck closed it after a crash; deleting while
    # retention removes it (camwarden/retention/).
    status: Mapped[str] = mapped_column(String(16))


class CameraEvent(Base):
    """Health of a camera over time: video loss, recording stopped, storage errors."""

    __tablename__ = "camera_events"
    __table_args__ = (Index("ix_camera_events_camera_start", "camera_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    details: Mapped[str] = mapped_column(Text, default="")
    # Tamper events: how sure the detector was (0-1), and JPEG snapshots of the view just
    # before the tampering and as it was raised, relative to the snapshots folder.
    score: Mapped[float | None] = mapped_column(Float)
    snapshot_before: Mapped[str | None] = mapped_column(String(300))
    snapshot_after: Mapped[str | None] = mapped_column(String(300))


class FootageHold(Base):
    """A time range of a camera's footage that retention and disk pressure must not delete.

    Evidence locks, open requests and complaints, and review periods not yet closed each
    place holds (R-4.3, R-3.1, R-5.2). A hold ends when `released_at` is set, never by
    deleting the row, so the record of what was protected stays.
    """

    __tablename__ = "footage_holds"
    __table_args__ = (Index("ix_footage_holds_camera", "camera_id", "start_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id", ondelete="RESTRICT"))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime())
    end_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # evidence | request | complaint | review
    kind: Mapped[str] = mapped_column(String(16))
    # What placed it, e.g. the export's id, the request's tracking code.
    reference: Mapped[str] = mapped_column(String(100))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class EvidenceExport(Base):
    """One evidence package produced (R-4.3): who, why, under which approval, its fingerprint."""

    __tablename__ = "evidence_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    approval_reference: Mapped[str] = mapped_column(String(200), default="")
    # JSON list of {camera_id, start, end} as requested.
    ranges: Mapped[str] = mapped_column(Text)
    package_name: Mapped[str] = mapped_column(String(200))
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    # The incident it was exported for (its chain of custody), if any.
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id", ondelete="RESTRICT"))
    # People in the clips made unrecognisable: a copy for someone outside the school.
    anonymised: Mapped[bool] = mapped_column(Boolean, default=False)


class MotionActivity(Base):
    """One camera-hour of motion activity: compact enough to keep for every camera and day.

    `levels` holds one byte per 10 seconds (360 per hour): the highest share of the picture
    (masks left out) that moved in that slice, scaled to 0-255; 0 is no motion or no data.
    """

    __tablename__ = "motion_activity"
    __table_args__ = (
        UniqueConstraint("camera_id", "hour_start", name="uq_motion_activity_camera_hour"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id", ondelete="RESTRICT"))
    hour_start: Mapped[datetime] = mapped_column(UTCDateTime())
    levels: Mapped[bytes] = mapped_column(LargeBinary)


class Inspection(Base):
    """An acceptance inspection or a re-inspection of a camera (R-2.1, R-2.2, R-8.1).

    The figures and checks are kept as JSON, with message ids rather than text, so the record
    reads in any language. A camera goes into service on a passed acceptance that is signed
    off, and only while its stream address is still `stream_url`.
    """

    __tablename__ = "inspections"
    __table_args__ = (Index("ix_inspections_camera", "camera_id", "inspected_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # acceptance | reinspection
    inspected_at: Mapped[datetime] = mapped_column(UTCDateTime())
    inspected_by: Mapped[str] = mapped_column(String(64))
    stream_url: Mapped[str] = mapped_column(String(500))
    zone_kind: Mapped[str] = mapped_column(String(32))
    profile: Mapped[str] = mapped_column(Text)  # JSON
    measurements: Mapped[str | None] = mapped_column(Text)  # JSON; None: the stream was unread
    checks: Mapped[str] = mapped_column(Text)  # JSON list, profile, security and drift
    drift: Mapped[str | None] = mapped_column(Text)  # JSON, re-inspections only
    verdict: Mapped[str] = mapped_column(String(16))  # passed | failed
    reference_view: Mapped[str | None] = mapped_column(String(300))  # under the data folder
    supplier: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    signed_off_by: Mapped[str | None] = mapped_column(String(64))
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Alert(Base):
    """Something a person must act on (R-2.3, R-7.1): raised, acknowledged, resolved.

    Repeats of the same condition (`fold_key`) fold into the open alert: `repeats` counts
    them and `last_seen_at` moves. A row is never deleted; its history is in the audit log.
    """

    __tablename__ = "alerts"
    __table_args__ = (
        Index("ix_alerts_fold_key_state", "fold_key", "state"),
        Index("ix_alerts_state_raised", "state", "raised_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A camera event kind (covered, video_loss…), disk_forecast, or guard_report.
    kind: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(8))
    # raised → acknowledged → resolved
    state: Mapped[str] = mapped_column(String(16))
    camera_id: Mapped[int | None] = mapped_column(ForeignKey("cameras.id", ondelete="RESTRICT"))
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id", ondelete="RESTRICT"))
    fold_key: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(Text, default="")
    # The camera event that raised it (its snapshots, its start and end).
    source_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("camera_events.id", ondelete="RESTRICT")
    )
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime())
    raised_by: Mapped[str] = mapped_column(String(64))
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    repeats: Mapped[int] = mapped_column(Integer, default=0)
    # When the observed condition went away (video back, cover removed); a person still
    # resolves the alert.
    condition_ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # 0: guards and the zone's people; 1: head of security; 2: board (governance/escalation.py).
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))
    acknowledgement_note: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(Text, default="")
    incident_reference: Mapped[str] = mapped_column(String(100), default="")


class MonitorCursor(Base):
    """How far a background worker has read a growing table (e.g. camera events → alerts),
    so a restart goes on where it stopped instead of re-reading or skipping."""

    __tablename__ = "monitor_cursors"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger)


class NotificationPreference(Base):
    """How one person wants to be told of alerts outside the browser (R-7.1)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # To the e-mail address of the account, through the school's mail server.
    email_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Fernet token of a JSON list of Apprise URLs (Telegram, webhooks…); they hold secrets.
    extra_targets_sealed: Mapped[str] = mapped_column(Text, default="")
    # Alerts below this severity are not sent (escalations to the person still are).
    min_severity: Mapped[str] = mapped_column(String(8), default="high")
    # "22:00-06:00" or "": nothing but critical alerts is sent in these school-time hours.
    quiet_hours: Mapped[str] = mapped_column(String(11), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class NotificationSent(Base):
    """One message sent (or that failed) about an alert: part of the alert's own history."""

    __tablename__ = "notifications_sent"
    __table_args__ = (Index("ix_notifications_sent_alert", "alert_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="RESTRICT"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Redacted: the service and place, never the token or password.
    target: Mapped[str] = mapped_column(String(300))
    # Why this person was told: raised (level 0) or escalated to level 1 / 2.
    reason: Mapped[str] = mapped_column(String(16))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ok: Mapped[bool] = mapped_column(Boolean)


class DutyShift(Base):
    """A guard's shift (R-6.1, R-7.1): who is on duty when, so alerts reach the right person
    and every hour of the coming fortnight is covered."""

    __tablename__ = "duty_shifts"
    __table_args__ = (Index("ix_duty_shifts_time", "starts_at", "ends_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Where: the guard room, the gate, patrol… free text the school chooses.
    post: Mapped[str] = mapped_column(String(100), default="")
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # A shift is cancelled, never deleted: the roster's history stays.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(lazy="joined")


class ShiftHandover(Base):
    """What the outgoing guard hands over, signed by the incoming one (R-7.1)."""

    __tablename__ = "shift_handovers"

    id: Mapped[int] = mapped_column(primary_key=True)
    from_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    to_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime())
    happened: Mapped[str] = mapped_column(Text)
    pending: Mapped[str] = mapped_column(Text, default="")
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What the incoming guard adds on signing ("camera B3 still dark, called IT").
    signed_note: Mapped[str] = mapped_column(Text, default="")

    from_user: Mapped[User] = relationship(foreign_keys=[from_user_id], lazy="joined")
    to_user: Mapped[User] = relationship(foreign_keys=[to_user_id], lazy="joined")


# --- Requests for footage and their grants (R-4.2) -------------------------------------------

footage_request_cameras = Table(
    "footage_request_cameras",
    Base.metadata,
    Column("request_id", ForeignKey("footage_requests.id", ondelete="CASCADE"), primary_key=True),
    Column("camera_id", ForeignKey("cameras.id", ondelete="RESTRICT"), primary_key=True),
)


class FootageRequest(Base):
    """Someone not entitled to the footage asks for it; the Board decides (R-4.2)."""

    __tablename__ = "footage_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Shown to people and printed: "YC-2026-0007".
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    # SHA-256 of the tracking code given to the requester once; the code is never stored.
    tracking_hash: Mapped[str] = mapped_column(String(64), unique=True)
    requester_name: Mapped[str] = mapped_column(String(200))
    # E-mail or phone, as the requester gave it.
    requester_contact: Mapped[str] = mapped_column(String(200))
    requester_organisation: Mapped[str] = mapped_column(String(200), default="")
    # Set when filed by a signed-in person.
    requester_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    purpose: Mapped[str] = mapped_column(Text)
    # watch | copy
    access: Mapped[str] = mapped_column(String(8))
    footage_start: Mapped[datetime] = mapped_column(UTCDateTime())
    footage_end: Mapped[datetime] = mapped_column(UTCDateTime())
    # pending → approved | refused | withdrawn
    status: Mapped[str] = mapped_column(String(16))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    first_approval_by: Mapped[str | None] = mapped_column(String(64))
    first_approval_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    second_approval_by: Mapped[str | None] = mapped_column(String(64))
    second_approval_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_reason: Mapped[str] = mapped_column(Text, default="")

    cameras: Mapped[list[Camera]] = relationship(secondary=footage_request_cameras, lazy="selectin")


class FootageGrant(Base):
    """What an approved request allows: these cameras, this range, until it expires."""

    __tablename__ = "footage_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("footage_requests.id", ondelete="RESTRICT"))
    # The grantee's account, or, for someone without one, the SHA-256 of a secret link's token.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    access: Mapped[str] = mapped_column(String(8))
    footage_start: Mapped[datetime] = mapped_column(UTCDateTime())
    footage_end: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by: Mapped[str | None] = mapped_column(String(64))

    request: Mapped[FootageRequest] = relationship(lazy="joined")


# --- Incidents, their evidence and its chain of custody (R-4.3) -----------------------------


class Incident(Base):
    """Something that happened on school grounds, with the footage that shows it."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "SV-2026-0003"
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    location: Mapped[str] = mapped_column(String(200), default="")
    # alert | bookmark | manual, and the id of the alert or bookmark it came from.
    source_kind: Mapped[str] = mapped_column(String(16))
    source_id: Mapped[int | None] = mapped_column(Integer)
    # open → closed
    status: Mapped[str] = mapped_column(String(16))
    opened_by: Mapped[str] = mapped_column(String(64))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_by: Mapped[str | None] = mapped_column(String(64))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class IncidentClip(Base):
    """A stretch of one camera's footage gathered into an incident; locked while it matters."""

    __tablename__ = "incident_clips"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="RESTRICT"))
    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id", ondelete="RESTRICT"))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime())
    end_at: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(Text, default="")
    hold_id: Mapped[int | None] = mapped_column(ForeignKey("footage_holds.id", ondelete="RESTRICT"))
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    camera: Mapped[Camera] = relationship(lazy="joined")


class IncidentEntry(Base):
    """A note, a person involved, or a decision, in the order they were written."""

    __tablename__ = "incident_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="RESTRICT"))
    # note | person | decision
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    # For a person: who they are to the school ("học sinh lớp 3A", "phụ huynh", "khách").
    capacity: Mapped[str] = mapped_column(String(200), default="")
    written_by: Mapped[str] = mapped_column(String(64))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CustodyEvent(Base):
    """One link in an incident's chain of custody: a view, a copy, a hand-over, a check."""

    __tablename__ = "custody_events"
    __table_args__ = (Index("ix_custody_events_incident", "incident_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="RESTRICT"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    # JSON: the clip, the package and its hash, who received it…
    details: Mapped[str] = mapped_column(Text, default="")


# --- The 15-day review (R-5.1, R-5.2) -------------------------------------------------------


class ReviewCycle(Base):
    """One review period: opened when it ends, closed when the Board signs it off."""

    __tablename__ = "review_cycles"
    __table_args__ = (UniqueConstraint("period_start", name="uq_review_cycles_period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_start: Mapped[datetime] = mapped_column(UTCDateTime())
    period_end: Mapped[datetime] = mapped_column(UTCDateTime())
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # After this, an open cycle is overdue: flagged and escalated.
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # open → closed
    status: Mapped[str] = mapped_column(String(16))
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    signed_off_by: Mapped[str | None] = mapped_column(String(64))
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sign_off_note: Mapped[str] = mapped_column(Text, default="")
    # SHA-256 of the report PDF as signed, so a later copy can be checked against it.
    report_sha256: Mapped[str | None] = mapped_column(String(64))


class ReviewUnitCheck(Base):
    """A unit concerned (a zone's responsible unit) says it has reviewed its cameras."""

    __tablename__ = "review_unit_checks"
    __table_args__ = (UniqueConstraint("cycle_id", "unit", name="uq_review_unit_checks"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("review_cycles.id", ondelete="RESTRICT"))
    unit: Mapped[str] = mapped_column(String(200))
    reviewed_by: Mapped[str] = mapped_column(String(64))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(Text, default="")


class ReviewBookmark(Base):
    """Footage a reviewer marked as mattering: archived, kept past normal retention."""

    __tablename__ = "review_bookmarks"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("review_cycles.id", ondelete="RESTRICT"))
    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id", ondelete="RESTRICT"))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime())
    end_at: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(Text)
    hold_id: Mapped[int | None] = mapped_column(ForeignKey("footage_holds.id", ondelete="RESTRICT"))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    removed_by: Mapped[str | None] = mapped_column(String(64))

    camera: Mapped[Camera] = relationship(lazy="joined")


# --- Complaints and requests from the people filmed (R-3.1) ---------------------------------


class Complaint(Base):
    """A complaint, or a request to see footage of oneself, followed to a decision."""

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "KN-2026-0012"
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    tracking_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # complaint | see_myself
    kind: Mapped[str] = mapped_column(String(16))
    complainant_name: Mapped[str] = mapped_column(String(200))
    complainant_contact: Mapped[str] = mapped_column(String(200))
    complainant_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    # received → in_progress → decided; or withdrawn
    status: Mapped[str] = mapped_column(String(16))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime())
    assignee_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    decision: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the handlers were reminded that the deadline is near, and that it has passed:
    # each reminder goes once per complaint.
    due_soon_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    overdue_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_user_id], lazy="joined")


class ComplaintFootage(Base):
    """Footage a complaint names: protected from deletion while the complaint is open."""

    __tablename__ = "complaint_footage"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="RESTRICT"))
    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id", ondelete="RESTRICT"))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime())
    end_at: Mapped[datetime] = mapped_column(UTCDateTime())
    hold_id: Mapped[int | None] = mapped_column(ForeignKey("footage_holds.id", ondelete="RESTRICT"))

    camera: Mapped[Camera] = relationship(lazy="joined")


class ComplaintMessage(Base):
    """One exchange between the school and the person, in order."""

    __tablename__ = "complaint_messages"
    __table_args__ = (Index("ix_complaint_messages_complaint", "complaint_id", "written_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="RESTRICT"))
    # True: written by the person who complained (through the tracking page).
    from_complainant: Mapped[bool] = mapped_column(Boolean)
    author: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ComplaintAttachment(Base):
    """A file the person attached as evidence, stored under the data folder by its hash."""

    __tablename__ = "complaint_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="RESTRICT"))
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaint_messages.id", ondelete="RESTRICT")
    )
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    # Relative to the data folder's attachments directory.
    stored_path: Mapped[str] = mapped_column(String(300))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime())
