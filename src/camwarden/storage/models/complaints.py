"""Complaints and requests from the people filmed to see themselves (R-3.1): the complaint, the
footage it names, the messages exchanged and the files attached."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from camwarden.storage.models._base import Base
from camwarden.storage.models.accounts import User
from camwarden.storage.models.cameras import Camera
from camwarden.storage.types import UTCDateTime


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
