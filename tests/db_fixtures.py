"""Fresh databases on both engines for the storage tests (pytest plugin).

Each fixture is parametrised over the real engines: a SQLite file in the test's temporary
folder and a new database of the throwaway PostGIS cluster (:mod:`tests.pg_cluster`).
Registered in ``tests/conftest.py`` through ``pytest_plugins``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kek_geo.storage import make_engine, upgrade
from tests.pg_cluster import PgCluster

ENGINES = ["sqlite", "postgis"]
#: Concurrent writers in the concurrency tests (sessions, replicas).
WRITERS = 20


def _url(request: pytest.FixtureRequest, tmp_path: Path, *, postgis: bool) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'kek_geo.sqlite'}"
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    return cluster.new_database(postgis=postgis)


@pytest.fixture(params=ENGINES)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of a database without any tables (on PostgreSQL not even PostGIS)."""
    return _url(request, tmp_path, postgis=False)


@pytest.fixture(params=ENGINES)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of a fresh database (on PostgreSQL with the extension PostGIS already)."""
    return _url(request, tmp_path, postgis=True)


@pytest.fixture
def engine(url: str) -> Iterator[Engine]:
    """An engine on a fresh database at the newest schema."""
    eng = make_engine(url)
    upgrade(eng)
    yield eng
    eng.dispose()
