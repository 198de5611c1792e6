"""Inspections: acceptance and re-inspection records of the cameras.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from camwarden.storage.types import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inspections",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "camera_id",
            sa.Integer(),
            sa.ForeignKey("cameras.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("inspected_at", UTCDateTime(), nullable=False),
        sa.Column("inspected_by", sa.String(64), nullable=False),
        sa.Column("stream_url", sa.String(500), nullable=False),
        sa.Column("zone_kind", sa.String(32), nullable=False),
        sa.Column("profile", sa.Text(), nullable=False),
        sa.Column("measurements", sa.Text(), nullable=True),
        sa.Column("checks", sa.Text(), nullable=False),
        sa.Column("drift", sa.Text(), nullable=True),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("reference_view", sa.String(300), nullable=True),
        sa.Column("supplier", sa.String(200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("signed_off_by", sa.String(64), nullable=True),
        sa.Column("signed_off_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_inspections_camera", "inspections", ["camera_id", "inspected_at"])


def downgrade() -> None:
    op.drop_index("ix_inspections_camera", table_name="inspections")
    op.drop_table("inspections")
