"""The planning team's SWOT entries per municipality (Gemeinde-Steckbrief).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kek_geo.storage.types import UTCDateTime

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create ``swot_entry``."""
    op.create_table(
        "swot_entry",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("gemeinde_ags", sa.String(8), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_swot_entry")),
        sa.CheckConstraint(
            "length(text) BETWEEN 1 AND 1000", name=op.f("ck_swot_entry_text_length")
        ),
        sa.CheckConstraint(
            "kind IN ('chance', 'risiko', 'staerke', 'schwaeche', 'bemerkung')",
            name=op.f("ck_swot_entry_kind"),
        ),
    )
    op.create_index(op.f("ix_swot_entry_gemeinde_ags"), "swot_entry", ["gemeinde_ags"])


def downgrade() -> None:
    """Drop the table."""
    op.drop_table("swot_entry")
