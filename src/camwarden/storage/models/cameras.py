"""The school's zones and cameras, and their footage: the recorded segments, the cameras'
health events, holds that keep footage from deletion, motion activity, and acceptance
inspections (R-1.1, R-2.1, R-2.2, R-5.2, R-8.1)."""

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
from sqlalchemy.orm import Mapped, mapped_column, relationship

from camwarden.storage.models._base import Base
from camwarden.storage.models.accounts import User
from camwarden.storage.types import UTCDateTime

# People assigned to a zone by the Board: who manages and answers for it.
zone_assignees = Table(
    "zone_assignees",
    Base.metadata,
    Column("zone_id", ForeignKey("zones.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


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
