"""Alerts for the guard room, notifications, and the cursors of background workers.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from camwarden.storage.types import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column(
            "camera_id",
            sa.Integer(),
            sa.ForeignKey("cameras.id", ondelete="RESTRICT"),
            nullable=True,
        ),
        sa.Column(
            "zone_id", sa.Integer(), sa.ForeignKey("zones.id", ondelete="RESTRICT"), nullable=True
        ),
        sa.Column("fold_key", sa.String(120), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column(
            "source_event_id",
            sa.Integer(),
            sa.ForeignKey("camera_events.id", ondelete="RESTRICT"),
            nullable=True,
        ),
        sa.Column("raised_at", UTCDateTime(), nullable=False),
        sa.Column("raised_by", sa.String(64), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.Column("repeats", sa.Integer(), nullable=False),
        sa.Column("condition_ended_at", UTCDateTime(), nullable=True),
        sa.Column("escalation_level", sa.Integer(), nullable=False),
        sa.Column("escalated_at", UTCDateTime(), nullable=True),
        sa.Column("acknowledged_at", UTCDateTime(), nullable=True),
        sa.Column("acknowledged_by", sa.String(64), nullable=True),
        sa.Column("acknowledgement_note", sa.Text(), nullable=False),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
        sa.Column("resolved_by", sa.String(64), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("incident_reference", sa.String(100), nullable=False),
    )
    op.create_index("ix_alerts_fold_key_state", "alerts", ["fold_key", "state"])
    op.create_index("ix_alerts_state_raised", "alerts", ["state", "raised_at"])
    op.create_table(
        "monitor_cursors",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("position", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "notification_preferences",
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("email_enabled", sa.Boolean(), nullable=False),
        sa.Column("extra_targets_sealed", sa.Text(), nullable=False),
        sa.Column("min_severity", sa.String(8), nullable=False),
        sa.Column("quiet_hours", sa.String(11), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "notifications_sent",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "alert_id",
            sa.Integer(),
            sa.ForeignKey("alerts.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("target", sa.String(300), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_notifications_sent_alert", "notifications_sent", ["alert_id"])


def downgrade() -> None:
    op.drop_table("notifications_sent")
    op.drop_table("notification_preferences")
    op.drop_table("monitor_cursors")
    op.drop_index("ix_alerts_state_raised", "alerts")
    op.drop_index("ix_alerts_fold_key_state", "alerts")
    op.drop_table("alerts")
