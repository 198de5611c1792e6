"""Incidents, their evidence and its chain of custody (R-4.3): the incident, its clips and
entries, each evidence package exported (an anonymised copy for a request too) and each link
of the chain."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from camwarden.storage.models._base import Base
from camwarden.storage.models.cameras import Camera
from camwarden.storage.types import UTCDateTime


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
