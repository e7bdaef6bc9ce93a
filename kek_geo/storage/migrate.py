"""Schema migrations, applied when the app starts.

Alembic is configured in code (no ``alembic.ini``); the revisions live in
``kek_geo/storage/migrations/versions`` and ship with the package.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

#: Folder of the Alembic environment.
MIGRATIONS_DIR = Path(__file__).resolve().with_name("migrations")
#: Key of the PostgreSQL advisory lock that serialises replicas migrating at the same time.
_LOCK_KEY = 0x4B454B  # "KEK"


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision of the schema.

    Returns
    -------
    str
        Its id, e.g. ``"0001"``.
    """
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "no migrations found"
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision a database is at.

    Parameters
    ----------
    engine
        The database.

    Returns
    -------
    str or None
        Its revision, ``None`` for a database never migrated.
    """
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> str:
    """Bring a database (empty or at an older revision) to the newest schema.

    All revisions run in one transaction; on PostgreSQL an advisory lock makes replicas that
    start at the same time migrate one after another (the later ones find nothing to do).

    Parameters
    ----------
    engine
        The database.

    Returns
    -------
    str
        The revision the database is at now (the head).
    """
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        command.upgrade(_config(conn), "head")
    revision = current_revision(engine)
    assert revision is not None
    return revision
