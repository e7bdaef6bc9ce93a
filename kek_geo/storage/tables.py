"""The tables of the storage layer as SQLAlchemy Core metadata.

The schema itself is created by the migrations (:mod:`kek_geo.storage.migrate`); this module
describes the same tables for the queries, and a test checks that both agree. Table and
constraint names carry their table's name, so the tables of scenarios and of citizen notes sit
side by side in one database.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from kek_geo.storage.types import Geometry, UTCDateTime

#: Names of constraints and indexes, so that migrations can refer to them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

#: One saved scenario; ``revision`` counts its saves (1 after the first).
scenario = Table(
    "scenario",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("author", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("revision", Integer, nullable=False),
)

#: The edits of a scenario in order (``position`` 1, 2, …); ``properties`` as in the file.
#: On PostgreSQL the migration also adds the GiST index ``ix_scenario_edit_geometry``.
scenario_edit = Table(
    "scenario_edit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "scenario_id",
        String(36),
        ForeignKey("scenario.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("position", Integer, nullable=False),
    Column("edit", String(32), nullable=False),
    Column("properties", JSON, nullable=False),
    Column("geometry", Geometry(), nullable=True),
    UniqueConstraint("scenario_id", "position"),
    CheckConstraint("position >= 1", name="position"),
)

#: The allowed moderation states of a citizen note (see :mod:`kek_geo.notes.model`).
NOTE_STATUSES = ("neu", "freigegeben", "verborgen")

#: A citizen note: a point with theme, kind, up to 500 characters of text and its status.
#: On PostgreSQL the migration also adds the GiST index ``ix_citizen_note_geometry``.
citizen_note = Table(
    "citizen_note",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("theme", String(32), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("age_group", String(16), nullable=True),
    Column("status", String(16), nullable=False),
    Column("gemeinde_ags", String(8), nullable=False),
    Column("geometry", Geometry("Point"), nullable=False),
    Column("moderated_by", String(200), nullable=True),
    Column("moderated_at", UTCDateTime, nullable=True),
    CheckConstraint("length(text) BETWEEN 1 AND 500", name="text_length"),
    CheckConstraint(
        "status IN ('neu', 'freigegeben', 'verborgen')",
        name="status",
    ),
    Index(None, "status", "created_at"),
    Index(None, "gemeinde_ags"),
)

#: Every moderation step of a note: who changed which field from what to what, and when.
citizen_note_change = Table(
    "citizen_note_change",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "note_id",
        String(36),
        ForeignKey("citizen_note.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("changed_at", UTCDateTime, nullable=False),
    Column("changed_by", String(200), nullable=False),
    Column("field", String(16), nullable=False),
    Column("old_value", String(32), nullable=False),
    Column("new_value", String(32), nullable=False),
    Index(None, "note_id"),
)

#: The planning team's entries in a municipality's SWOT (chances, risks, remarks …).
swot_entry = Table(
    "swot_entry",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("gemeinde_ags", String(8), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("author", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint("length(text) BETWEEN 1 AND 1000", name="text_length"),
    CheckConstraint(
        "kind IN ('chance', 'risiko', 'staerke', 'schwaeche', 'bemerkung')", name="kind"
    ),
    Index(None, "gemeinde_ags"),
)
