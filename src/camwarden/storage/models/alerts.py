"""Alerts a person must act on (R-2.3, R-7.1), the cursor background workers read by, and
whom an alert is sent to: each person's preferences and every message sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from camwarden.storage.models._base import Base
from camwarden.storage.types import UTCDateTime


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
