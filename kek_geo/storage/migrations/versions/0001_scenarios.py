"""Scenarios and their edits (and, on PostgreSQL, the PostGIS extension).

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kek_geo.storage.types import Geometry, UTCDateTime

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create ``scenario`` and ``scenario_edit``."""
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.create_table(
        "scenario",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenario")),
    )
    op.create_table(
        "scenario_edit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("scenario_id", sa.String(36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("edit", sa.String(32), nullable=False),
        sa.Column("properties", sa.JSON(), nullable=False),
        sa.Column("geometry", Geometry(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenario_edit")),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenario.id"],
            name=op.f("fk_scenario_edit_scenario_id_scenario"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "scenario_id", "position", name=op.f("uq_scenario_edit_scenario_id_position")
        ),
        sa.CheckConstraint("position >= 1", name=op.f("ck_scenario_edit_position")),
    )
    if postgres:
        op.create_index(
            op.f("ix_scenario_edit_geometry"),
            "scenario_edit",
            ["geometry"],
            postgresql_using="gist",
        )


def downgrade() -> None:
    """Drop both tables (the PostGIS extension stays)."""
    op.drop_table("scenario_edit")
    op.drop_table("scenario")
