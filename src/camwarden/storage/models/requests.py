"""Outsiders' requests for footage and the grants an approval gives (R-4.2)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from camwarden.storage.models._base import Base
from camwarden.storage.models.cameras import Camera
from camwarden.storage.types import UTCDateTime

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
