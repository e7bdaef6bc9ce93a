"""The real server in headless Chromium: maps draw, clicks select, nothing leaves the server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, FrameLocator, Page, expect

from kek_geo.pages import PageSpec, pages_for
from tests.e2e.conftest import ARTIFACTS, Visit, free_port, start_server, wait_healthy

pytestmark = pytest.mark.e2e

MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
TIMEOUT = 60_000


def map_frame(page: Page) -> FrameLocator:
    return page.frame_locator(MAP_FRAME).first


def test_overview_draws_the_municipalities_offline(visit: Visit, app_url: str) -> None:
    page = visit.page
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Übersicht")).to_be_visible(timeout=TIMEOUT)
    frame = map_frame(page)
    expect(frame.locator("path.leaflet-interactive").first).to_be_attached(timeout=TIMEOUT)
    # the nine municipality polygons carry their AGS in the layer data
    count = frame.locator("body").evaluate(
        """() => Object.values(window.map._layers)
                 .filter(l => l.feature && l.feature.properties && l.feature.properties.gemeinde_ags)
                 .length"""
    )
    assert count == 9
    expect(frame.locator(".kek-legend")).to_contain_text("Einwohner")
    page.wait_for_timeout(500)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)
    assert visit.outside == []
    assert visit.failed == []


def test_clicking_a_municipality_shows_its_key_figures(visit: Visit, app_url: str) -> None:
    page = visit.page
    page.goto(app_url)
    frame = map_frame(page)
    expect(frame.locator("path.leaflet-interactive").first).to_be_attached(timeout=TIMEOUT)
    frame.locator("body").evaluate(
        """() => { for (const l of Object.values(window.map._layers)) {
                 if (l.feature && l.feature.properties.gemeinde_ags === '05758028') {
                     l._path.setAttribute('data-ags', '05758028'); } } }"""
    )
    frame.locator("path[data-ags='05758028']").dispatch_event("click")
    expect(page.get_by_role("heading", name=re.compile("Kennzahlen: Rödinghausen"))).to_be_visible(
        timeout=TIMEOUT
    )
    expect(page.get_by_text("9.962 Einw.").first).to_be_visible()


def test_about_page_via_navigation(visit: Visit, app_url: str) -> None:
    page = visit.page
    page.goto(app_url)
    page.get_by_role("link", name="Über die Daten").click()
    expect(page.get_by_role("heading", name="Über die Daten")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("Was fehlt").first).to_be_visible()
    assert visit.outside == []


@pytest.mark.parametrize(
    "spec", [p for p in pages_for("planner") if p.has_map], ids=lambda p: p.url_path
)
def test_every_page_draws_its_map(visit: Visit, app_url: str, spec: PageSpec) -> None:
    page = visit.page
    page.goto(f"{app_url}/{spec.url_path}")
    expect(page.get_by_role("heading", level=1).first).to_be_visible(timeout=TIMEOUT)
    frame = map_frame(page)
    expect(frame.locator(".leaflet-overlay-pane path").first).to_be_attached(timeout=TIMEOUT)
    page.wait_for_timeout(300)
    assert not page.get_by_test_id("stException").count(), f"{spec.path} shows an exception"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"page-{spec.url_path}.png"), full_page=True)
    assert visit.outside == []


def test_english_switch(visit: Visit, app_url: str) -> None:
    page = visit.page
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Übersicht")).to_be_visible(timeout=TIMEOUT)
    page.get_by_text("English").click()
    expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=TIMEOUT)


def test_a_deep_link_as_first_request_opens_the_page(browser: Browser) -> None:
    """A fresh server, opened straight at a theme page: the page, and no "Page not found"."""
    port = free_port()
    proc = start_server(port)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/demografie")
        expect(page.get_by_role("heading", name="Demografie")).to_be_visible(timeout=TIMEOUT)
        page.wait_for_timeout(1000)
        assert page.get_by_text("Page not found").count() == 0
        page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_a_map_sheet_downloads_from_a_theme_page(visit: Visit, app_url: str) -> None:
    page = visit.page
    page.goto(f"{app_url}/bildung")
    expect(page.get_by_role("heading", name="Bildung")).to_be_visible(timeout=TIMEOUT)
    page.get_by_text("Für Ratsvorlagen exportieren").click()
    with page.expect_download(timeout=TIMEOUT) as download:
        page.get_by_role("button", name="Kartenblatt PDF").click()
    assert download.value.suggested_filename == "kek-geo-bildung-kreis-herford.pdf"
    path = download.value.path()
    assert path.read_bytes().startswith(b"%PDF")
    assert visit.outside == []
