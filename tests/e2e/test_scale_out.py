"""Two app processes on different ports share one PostGIS: a scenario saved in one is in both."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import free_port, start_server, wait_healthy
from tests.pg_cluster import PgCluster


@pytest.fixture(scope="module")
def two_servers(pg_cluster: PgCluster) -> Iterator[tuple[str, str]]:
    database = pg_cluster.new_database(postgis=True)
    procs, urls = [], []
    for _ in range(2):
        port = free_port()
        procs.append(start_server(port, {"KEK_DATABASE_URL": database}))
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url, proc in zip(urls, procs, strict=True):
            wait_healthy(url, proc, timeout=120)
        yield urls[0], urls[1]
    finally:
        for proc in procs:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_a_scenario_saved_on_one_replica_opens_on_the_other(
    browser: Browser, two_servers: tuple[str, str]
) -> None:
    first, second = two_servers
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{first}/szenario-bearbeiten", wait_until="networkidle")
    name = page.get_by_label("Name des Szenarios")
    try:
        name.wait_for(timeout=60_000)
    except Exception:
        page.screenshot(path="artifacts/scale-out-failure.png", full_page=True)
        raise AssertionError(page.inner_text("body")[-3000:]) from None
    name.fill("Geteiltes Szenario")
    name.press("Enter")
    page.get_by_role("button", name="Speichern").click()
    link = page.locator("a[href*='szenario=']").first
    link.wait_for(timeout=60_000)
    match = re.search(r"szenario=([0-9a-f-]{36})", link.get_attribute("href") or "")
    assert match is not None
    other = browser.new_page(viewport={"width": 1280, "height": 900})
    other.goto(f"{second}/szenario-bearbeiten", wait_until="networkidle")
    other.get_by_label("Name des Szenarios").wait_for(timeout=60_000)
    other.locator("[data-testid='stSelectbox']").first.click()
    expect(other.get_by_role("option", name="Geteiltes Szenario")).to_be_visible(timeout=30_000)
    page.close()
    other.close()
