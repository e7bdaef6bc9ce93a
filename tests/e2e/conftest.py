"""Start the real Streamlit server and a headless Debian Chromium for end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import ROOT

CHROMIUM = os.environ.get("KEK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
#: Screenshots of every run land here (ignored by git).
ARTIFACTS = ROOT / "artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Start ``streamlit run app.py`` on 127.0.0.1 the way ``make run`` does."""
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.headless=true", "--server.address=127.0.0.1", f"--server.port={port}",
    ]
    return subprocess.Popen(
        cmd, cwd=ROOT, env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read().decode() if proc.stdout else ""
            pytest.fail(f"streamlit exited early:\n{out}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as resp:
                if resp.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.2)
    proc.kill()
    pytest.fail("streamlit did not become healthy")


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    port = free_port()
    proc = start_server(port)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, proc)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("KEK_REQUIRE_E2E"):
            pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
        pytest.skip(f"Chromium not found at {CHROMIUM}; install Debian's chromium to run e2e tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: object, app_url: str) -> Iterator[object]:
    """A fresh page that records every request leaving the app's own server."""
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.outside_requests = []  # type: ignore[attr-defined]
    pg.failed_requests = []  # type: ignore[attr-defined]

    def record(request: object) -> None:
        url = request.url  # type: ignore[attr-defined]
        if not url.startswith(app_url) and not url.startswith(("data:", "blob:", "about:")):
            pg.outside_requests.append(url)  # type: ignore[attr-defined]

    pg.on("request", record)
    pg.on("requestfailed", lambda r: pg.failed_requests.append(r.url))  # type: ignore[attr-defined]
    pg.on("websocket", lambda ws: record(type("R", (), {"url": ws.url.replace("ws://", "http://")})()))
    yield pg
    context.close()
