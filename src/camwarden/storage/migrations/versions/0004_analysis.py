"""Analysis: per-camera masks and sensitivity, event scores and snapshots, motion activity.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from camwarden.storage.types import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cameras") as batch:
        batch.add_column(sa.Column("analysis_mask", sa.Text(), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("tamper_sensitivity", sa.String(8), nullable=False, server_default="normal")
        )
        batch.add_column(
            sa.Column("motion_sensitivity", sa.String(8), nullable=False, server_default="normal")
        )
    with op.batch_alter_table("camera_events") as batch:
        batch.add_column(sa.Column("score", sa.Float(), nullable=True))
        batch.add_column(sa.Column("snapshot_before", sa.String(300), nullable=True))
        batch.add_column(sa.Column("snapshot_after", sa.String(300), nullable=True))
    op.create_table(
        "motion_activity",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "camera_id",
            sa.Integer(),
            sa.ForeignKey("cameras.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("hour_start", UTCDateTime(), nullable=False),
        sa.Column("levels", sa.LargeBinary(), nullable=False),
        sa.UniqueConstraint("camera_id", "hour_start", name="uq_motion_activity_camera_hour"),
    )


def downgrade() -> None:
    op.drop_table("motion_activity")
    with op.batch_alter_table("camera_events") as batch:
        batch.drop_column("snapshot_after")
        batch.drop_column("snapshot_before")
        batch.drop_column("score")
    with op.batch_alter_table("cameras") as batch:
        batch.drop_column("motion_sensitivity")
        batch.drop_column("tamper_sensitivity")
        batch.drop_column("analysis_mask")
