"""Citizen notes and their moderation history.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kek_geo.storage.types import Geometry, UTCDateTime

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create ``citizen_note`` and ``citizen_note_change``."""
    op.create_table(
        "citizen_note",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("theme", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("age_group", sa.String(16), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("gemeinde_ags", sa.String(8), nullable=False),
        sa.Column("geometry", Geometry("Point"), nullable=False),
        sa.Column("moderated_by", sa.String(200), nullable=True),
        sa.Column("moderated_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citizen_note")),
        sa.CheckConstraint(
            "length(text) BETWEEN 1 AND 500", name=op.f("ck_citizen_note_text_length")
        ),
        sa.CheckConstraint(
            "status IN ('neu', 'freigegeben', 'verborgen')", name=op.f("ck_citizen_note_status")
        ),
    )
    op.create_index(
        op.f("ix_citizen_note_status_created_at"), "citizen_note", ["status", "created_at"]
    )
    op.create_index(op.f("ix_citizen_note_gemeinde_ags"), "citizen_note", ["gemeinde_ags"])
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            op.f("ix_citizen_note_geometry"),
            "citizen_note",
            ["geometry"],
            postgresql_using="gist",
        )
    op.create_table(
        "citizen_note_change",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("note_id", sa.String(36), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.Column("changed_by", sa.String(200), nullable=False),
        sa.Column("field", sa.String(16), nullable=False),
        sa.Column("old_value", sa.String(32), nullable=False),
        sa.Column("new_value", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citizen_note_change")),
        sa.ForeignKeyConstraint(
            ["note_id"],
            ["citizen_note.id"],
            name=op.f("fk_citizen_note_change_note_id_citizen_note"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(op.f("ix_citizen_note_change_note_id"), "citizen_note_change", ["note_id"])


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table("citizen_note_change")
    op.drop_table("citizen_note")
