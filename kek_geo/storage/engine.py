"""Database engines: the embedded SQLite file by default, PostgreSQL/PostGIS when configured.

SQLite runs in WAL mode with a busy timeout and starts every writing transaction with
``BEGIN IMMEDIATE``, so concurrent writers (threads of the Streamlit process, or several
processes on one machine) wait for each other instead of failing with "database is locked".
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, Table, create_engine, event, make_url
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry

from kek_geo.settings import Settings

#: File name of the embedded database in ``KEK_DATA_DIR``.
SQLITE_FILE = "kek_geo.sqlite"
#: How long a SQLite writer waits for another one (seconds).
BUSY_TIMEOUT_S = 30.0
#: Connection option: a transaction that only reads (SQLite then uses a plain ``BEGIN``).
READ_ONLY = "kek_read_only"


def database_url(settings: Settings) -> str:
    """The database URL of an installation.

    Parameters
    ----------
    settings
        The settings (``KEK_DATABASE_URL``, ``KEK_DATA_DIR``).

    Returns
    -------
    str
        ``KEK_DATABASE_URL``, or the SQLite file ``kek_geo.sqlite`` in ``KEK_DATA_DIR``.
    """
    if settings.database_url:
        return settings.database_url
    return f"sqlite:///{settings.data_dir / SQLITE_FILE}"


def _dumps(value: Any) -> str:
    # NaN and infinity are no JSON (PostgreSQL refuses them): fail on every database alike.
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def make_engine(url: str | URL) -> Engine:
    """An engine for a SQLAlchemy URL (SQLite or PostgreSQL).

    Parameters
    ----------
    url
        E.g. ``sqlite:////srv/kek/data/kek_geo.sqlite`` or
        ``postgresql://kek@db.example/kek`` (``postgresql://`` means psycopg 3).

    Returns
    -------
    Engine
        The engine; create it once per process and share it.

    Raises
    ------
    ValueError
        For a database other than SQLite or PostgreSQL.
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(parsed)
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True, json_serializer=_dumps)
    msg = f"unsupported database {backend!r}: use sqlite or postgresql"
    raise ValueError(msg)


def _use_wal(cursor: Any) -> None:
    """Switch a new database file to WAL (it stays so), retrying while another opens it.

    Switching needs an exclusive lock, and SQLite answers "database is locked" at once
    instead of waiting when several processes open a new file together.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    delay = 0.01
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.2)


def _sqlite_engine(url: URL) -> Engine:
    database = url.database or ""
    in_memory = database in {"", ":memory:"} or url.query.get("mode") == "memory"
    if not in_memory and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
        json_serializer=_dumps,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN instead of the sqlite3 module.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        _use_wal(cursor)
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


class Store:
    """Base of the stores: an engine plus one transaction per read or write.

    Parameters
    ----------
    engine
        An engine from :func:`make_engine` on a database at the newest schema (see
        :func:`~kek_geo.storage.stores.open_engine`).
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @property
    def engine(self) -> Engine:
        """The engine the store uses."""
        return self._engine

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        with self._engine.connect() as conn:
            conn.execution_options(**{READ_ONLY: True})
            with conn.begin():
                yield conn

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        with self._engine.begin() as conn:
            yield conn


def insert_if_absent(conn: Connection, table: Table) -> Any:
    """``INSERT … ON CONFLICT (primary key) DO NOTHING`` for the connection's dialect.

    Parameters
    ----------
    conn
        The connection (PostgreSQL or SQLite).
    table
        The table; its primary key decides what "already there" means.

    Returns
    -------
    Insert
        The statement; add ``.values(...)`` and execute it.
    """
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    keys = [c.name for c in table.primary_key.columns]
    return dialect.insert(table).on_conflict_do_nothing(index_elements=keys)
