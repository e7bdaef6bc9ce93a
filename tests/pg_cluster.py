"""A throwaway PostGIS cluster on 127.0.0.1 for the tests (pytest plugin).

``pg_cluster`` (session scope) runs ``initdb`` in a temporary folder, starts PostgreSQL 15 on a
free loopback port with fsync off, and stops and deletes it after the session; a test asks it
for a fresh empty database with :meth:`PgCluster.new_database`. The extension PostGIS is not
created there: the first migration does that.

Skips when PostgreSQL 15 or PostGIS are not installed, fails instead when ``KEK_REQUIRE_DB`` is
set (``.ci/run`` sets it). Registered in ``tests/conftest.py`` through ``pytest_plugins``.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.helpers import skip_or_fail

PG_BIN = Path("/usr/lib/postgresql/15/bin")
POSTGIS_CONTROL = Path("/usr/share/postgresql/15/extension/postgis.control")
#: Database with the extension PostGIS that :meth:`PgCluster.new_database` copies.
TEMPLATE = "kek_template_postgis"


def missing_postgis(pg_bin: Path = PG_BIN, control: Path = POSTGIS_CONTROL) -> str | None:
    """Why a PostGIS cluster cannot be started here, or ``None`` if it can."""
    if not (pg_bin / "initdb").is_file():
        return f"PostgreSQL 15 not installed ({pg_bin / 'initdb'} missing)"
    if not control.is_file():
        return f"PostGIS not installed ({control} missing): apt-get install postgresql-15-postgis-3"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PgCluster:
    """A running cluster; ``url(db)`` gives a SQLAlchemy URL (psycopg 3, user postgres)."""

    def __init__(self, root: Path, port: int) -> None:
        self.root = root
        self.pgdata = root / "pg"
        self.port = port
        self._numbers = itertools.count(1)
        self._has_template = False

    def url(self, database: str) -> str:
        """SQLAlchemy URL of a database of this cluster."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self) -> psycopg.Connection[tuple[object, ...]]:
        """An autocommit connection to the ``postgres`` database."""
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        )

    def new_database(self, postgis: bool = False) -> str:
        """Create a database and return its SQLAlchemy URL.

        Empty (not even PostGIS) by default; with ``postgis`` a copy of a template that has
        the extension already, which saves the 1–2 s ``CREATE EXTENSION postgis`` takes.
        """
        name = f"kek_test_{next(self._numbers)}"
        with self.admin() as conn:
            if postgis and not self._has_template:
                conn.execute(f'CREATE DATABASE "{TEMPLATE}"')
                with psycopg.connect(self.url(TEMPLATE).replace("+psycopg", "")) as tpl:
                    tpl.execute("CREATE EXTENSION postgis")
                self._has_template = True
            template = f' TEMPLATE "{TEMPLATE}"' if postgis else ""
            conn.execute(f'CREATE DATABASE "{name}"{template}')
        return self.url(name)

    # ------------------------------------------------------------ lifecycle

    def _run(self, *args: str) -> None:
        user = "postgres" if os.geteuid() == 0 else None  # PostgreSQL refuses to run as root
        subprocess.run(
            args, check=True, capture_output=True, text=True, timeout=60, user=user, group=user
        )

    def start(self) -> None:
        """``initdb`` and ``pg_ctl start`` (recipe 4b of the engineering notes)."""
        self.pgdata.mkdir()
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root: postgres must own PGDATA
            shutil.chown(self.pgdata, "postgres", "postgres")
        self._run(
            str(PG_BIN / "initdb"), "-D", str(self.pgdata), "-U", "postgres",
            "--auth=trust", "-E", "UTF8", "--no-locale",
        )  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.pgdata} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        self._run(
            str(PG_BIN / "pg_ctl"), "-D", str(self.pgdata), "-o", options,
            "-l", str(self.pgdata / "log"), "-w", "start",
        )  # fmt: skip

    def stop(self) -> None:
        """Stop the server (fast shutdown)."""
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.pgdata), "-m", "fast", "-w", "stop")

    def log(self) -> str:
        """The server log (for failure messages)."""
        path = self.pgdata / "log"
        return path.read_text(errors="replace") if path.is_file() else ""


def start_cluster() -> PgCluster:
    """Start a cluster in a new temporary folder (a second port is tried if the first is taken)."""
    root = Path(tempfile.mkdtemp(prefix="kek-pg-"))
    root.chmod(0o755)  # mkdtemp folders are 0700: postgres must traverse it
    last: subprocess.CalledProcessError | None = None
    for _attempt in range(3):
        cluster = PgCluster(root, _free_port())
        try:
            cluster.start()
        except subprocess.CalledProcessError as exc:
            last = exc
            log = cluster.log()
            shutil.rmtree(cluster.pgdata, ignore_errors=True)
            if "could not bind" not in log and "already in use" not in log:
                break
        else:
            return cluster
    shutil.rmtree(root, ignore_errors=True)
    assert last is not None
    msg = f"PostgreSQL did not start: {last.stderr or last.stdout}"
    raise RuntimeError(msg) from last


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """A PostGIS-capable PostgreSQL 15 on 127.0.0.1 for the whole session."""
    if (reason := missing_postgis()) is not None:
        skip_or_fail("KEK_REQUIRE_DB", reason)
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        try:
            cluster.stop()
        finally:
            shutil.rmtree(cluster.root, ignore_errors=True)
