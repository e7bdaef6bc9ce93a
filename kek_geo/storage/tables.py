"""The tables of the storage layer as SQLAlchemy Core metadata.

The schema itself is created by the migrations (:mod:`kek_geo.storage.migrate`); this module
describes the same tables for the queries, and a test checks that both agree. Table and
constraint names carry their table's name, so later tables (``citizen_note``) fit beside them.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
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
