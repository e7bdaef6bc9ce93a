"""Start the real Streamlit server and a headless Debian Chromium for end-to-end tests."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from kek_geo.i18n import LANGS, t
from kek_geo.ui.mapview import FRAME_TITLE
from tests.helpers import ROOT, skip_or_fail

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
    """Start the real server on 127.0.0.1 the way ``make run`` does.

    ``kek-geo serve`` is ``streamlit run app.py`` in the same process (see kek_geo/serve.py).
    """
    cmd = [
        sys.executable,
        "-m",
        "kek_geo",
        "serve",
        "--server.headless=true",
        "--server.address=127.0.0.1",
        f"--server.port={port}",
    ]
    return subprocess.Popen(
        cmd,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
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
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        skip_or_fail(
            "KEK_REQUIRE_E2E", f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
        )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@dataclass
class Visit:
    """A browser page plus every request that left the app's own server or failed."""

    page: Page
    outside: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


@pytest.fixture
def visit(browser: Browser, app_url: str) -> Iterator[Visit]:
    """A fresh page that records requests leaving the app's server (there must be none)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    v = Visit(context.new_page())

    def record(url: str) -> None:
        if not url.startswith(
            (app_url, app_url.replace("http", "ws", 1), "data:", "blob:", "about:")
        ):
            v.outside.append(url)

    v.page.on("request", lambda r: record(r.url))
    v.page.on("websocket", lambda ws: record(ws.url))
    v.page.on("requestfailed", lambda r: v.failed.append(r.url))
    yield v
    context.close()


#: The page's script has finished, and no line says that something waits for the map.
SETTLED_JS = """(waiting) => {
  const app = document.querySelector('[data-test-script-state]');
  const lines = [...document.querySelectorAll('[data-testid=stCaptionContainer]')]
    .some((c) => new RegExp(waiting).test(c.innerText));
  return app !== null && app.getAttribute('data-test-script-state') === 'notRunning' && !lines;
}"""


def wait_settled(page: Page, timeout: float = 60_000) -> None:
    """Wait until a page just opened shows what waited for its map.

    When a page opens, the tables and charts below its map follow once the map is drawn
    (kek_geo.ui.map_first); a test that works below the map waits for them. On a busy
    machine the map can be drawn while the script still runs, before the lines appear, so
    this waits for the script to have finished too.
    """
    frame = page.frame_locator(f"iframe[title='{FRAME_TITLE}']").first
    expect(frame.locator(".leaflet-overlay-pane path").first).to_be_attached(timeout=timeout)
    waiting = "|".join(re.escape(t("page.after_map", lang)) for lang in LANGS)
    page.wait_for_function(SETTLED_JS, arg=waiting, timeout=timeout)
    wait_still(page, timeout=timeout)


#: Where the page's blocks are (maps, tables, charts, the main column), and whether its
#: script runs.
LAYOUT_JS = """() => {
  const boxes = [...document.querySelectorAll(
    'iframe, [data-testid=stDataFrame], [data-testid=stVegaLiteChart], [data-testid=stMain]'
  )].map((e) => { const r = e.getBoundingClientRect(); return [r.top, r.height]; });
  const app = document.querySelector('[data-test-script-state]');
  return JSON.stringify([app && app.getAttribute('data-test-script-state'), boxes]);
}"""


def wait_still(page: Page, quiet_ms: float = 500, timeout: float = 60_000) -> None:
    """Wait until the page's script is not running and nothing has moved for ``quiet_ms``.

    A click aimed at a map must not fall into a layout still settling: a rerun may add or
    remove elements above it, and a chart of unknown height that replaces its waiting line
    has no height while the browser loads its code.
    """
    start = time.monotonic()
    last, since = None, start
    while True:
        layout = page.evaluate(LAYOUT_JS)
        now = time.monotonic()
        if layout != last:
            last, since = layout, now
        elif (now - since) * 1000 >= quiet_ms and '"notRunning"' in layout:
            return
        if (now - start) * 1000 > timeout:
            raise AssertionError(f"the page kept moving for {timeout / 1000:.0f} s")
        page.wait_for_timeout(50)
