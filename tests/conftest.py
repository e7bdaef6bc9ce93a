"""Shared fixtures: paths, the real snapshot, a built copy of the raw data, a network guard."""

from __future__ import annotations

import os
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from kek_geo.pipeline.build import build_snapshot
from kek_geo.settings import get_settings
from kek_geo.snapshot import Snapshot
from tests.helpers import ROOT, skip_or_fail

# the pg_cluster fixture (throwaway PostGIS) and fresh databases on both engines
pytest_plugins = ["tests.pg_cluster", "tests.db_fixtures", "tests.fetch_server"]

RAW_DIR = get_settings().raw_dir

# The project database of every test, and of every server a test starts, lives in a
# temporary folder: tests never write into the checkout's data/ folder.
os.environ["KEK_DATA_DIR"] = tempfile.mkdtemp(prefix="kek-test-data-")
os.environ.pop("KEK_DATABASE_URL", None)
# Tests start in the planners' app; the kiosk tests switch it on themselves.
for _name in ("KEK_MODE", "KEK_MODERATION_PASSWORD", "KEK_NOTES_RATE", "KEK_KIOSK_IDLE_S"):
    os.environ.pop(_name, None)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Fail any test that opens a connection to a non-loopback address."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else str(address)
        if (
            isinstance(host, str)
            and host not in {"127.0.0.1", "localhost", "::1"}
            and not host.startswith("/")
        ):
            msg = f"test {request.node.name} tried to reach {host}"
            raise RuntimeError(msg)
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="session")
def snapshot() -> Snapshot:
    """The committed snapshot in geodata/."""
    return Snapshot(ROOT / "geodata").load_all()


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """The raw open data beside the checkout (skips when absent, fails if KEK_REQUIRE_RAW)."""
    if not RAW_DIR.is_dir():
        skip_or_fail("KEK_REQUIRE_RAW", f"raw data folder not found ({RAW_DIR}); set KEK_RAW_DIR")
    return RAW_DIR


@pytest.fixture(scope="session")
def built_dir(raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh build from the raw data into a temporary folder."""
    out = tmp_path_factory.mktemp("build") / "geodata"
    build_snapshot(raw_dir, out)
    yield out
