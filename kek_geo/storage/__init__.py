"""Storage of shared data: saved scenarios and citizen notes in a database.

The embedded SQLite file ``kek_geo.sqlite`` in ``KEK_DATA_DIR`` is the default; set
``KEK_DATABASE_URL`` to a PostgreSQL database with PostGIS to share scenarios between
replicas. Migrations run on start (:func:`~kek_geo.storage.migrate.upgrade`).

Modules: :mod:`~kek_geo.storage.types` (geometry and time columns),
:mod:`~kek_geo.storage.engine` (engines), :mod:`~kek_geo.storage.tables` (schema),
:mod:`~kek_geo.storage.migrate` (Alembic), :mod:`~kek_geo.storage.scenarios` and
:mod:`~kek_geo.storage.notes` (the stores), :mod:`~kek_geo.storage.stores` (opening them).
"""

from kek_geo.storage.engine import database_url, make_engine
from kek_geo.storage.migrate import current_revision, head_revision, upgrade
from kek_geo.storage.notes import NoteChange, NoteNotFoundError, NoteStore
from kek_geo.storage.scenarios import ScenarioNotFoundError, ScenarioStore, ScenarioSummary
from kek_geo.storage.stores import open_engine, open_note_store, open_store
from kek_geo.storage.swot import SwotEntry, SwotError, SwotStore, make_entry

__all__ = [
    "NoteChange",
    "NoteNotFoundError",
    "NoteStore",
    "ScenarioNotFoundError",
    "ScenarioStore",
    "ScenarioSummary",
    "SwotEntry",
    "SwotError",
    "SwotStore",
    "current_revision",
    "database_url",
    "head_revision",
    "make_engine",
    "make_entry",
    "open_engine",
    "open_note_store",
    "open_store",
    "upgrade",
]
