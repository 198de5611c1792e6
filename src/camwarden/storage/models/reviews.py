"""The 15-day review (R-5.1, R-5.2): its cycles, the units' check-offs and the reviewers'
bookmarks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from camwarden.storage.models._base import Base
from camwarden.storage.models.cameras import Camera
from camwarden.storage.types import UTCDateTime


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
