"""Retention per camera, footage holds, evidence exports.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from camwarden.storage.types import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cameras") as batch:
        batch.add_column(
            sa.Column("retention_days", sa.Integer(), nullable=False, server_default="30")
        )
    op.create_table(
        "footage_holds",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "camera_id",
            sa.Integer(),
            sa.ForeignKey("cameras.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("start_at", UTCDateTime(), nullable=False),
        sa.Column("end_at", UTCDateTime(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("reference", sa.String(100), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("released_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_footage_holds_camera", "footage_holds", ["camera_id", "start_at"])
    op.create_table(
        "evidence_exports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("approval_reference", sa.String(200), nullable=False),
        sa.Column("ranges", sa.Text(), nullable=False),
        sa.Column("package_name", sa.String(200), nullable=False),
        sa.Column("manifest_sha256", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("evidence_exports")
    op.drop_table("footage_holds")
    with op.batch_alter_table("cameras") as batch:
        batch.drop_column("retention_days")
