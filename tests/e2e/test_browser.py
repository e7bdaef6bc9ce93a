"""The real server in headless Chromium: maps draw, clicks select, nothing leaves the server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, FrameLocator, Page, expect

from kek_geo.pages import PageSpec, pages_for
from kek_geo.ui.mapview import FRAME_TITLE
from tests.e2e.conftest import (
    ARTIFACTS,
    Visit,
    free_port,
    start_server,
    wait_healthy,
    wait_settled,
    wait_still,
)

pytestmark = pytest.mark.e2e

MAP_FRAME = f"iframe[title='{FRAME_TITLE}']"
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
    expect(frame.locator(".leaflet-bottom .kek-legend")).to_contain_text("Einwohner")
    expect(frame.locator(".leaflet-top .kek-legend")).to_contain_text("Kartenzeichen")
    page.wait_for_timeout(500)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)
    assert visit.outside == []
    assert visit.failed == []


def click_at(page: Page, lat: float, lng: float, index: int = 0) -> None:
    """A real mouse click on a map (the first by default), at a place given in WGS84.

    The map is scrolled into view and the page left to come to rest first, so the click
    lands where it is aimed, inside the window.
    """
    wait_still(page)
    page.locator(MAP_FRAME).nth(index).scroll_into_view_if_needed()
    wait_still(page, quiet_ms=200)
    frame = page.frame_locator(MAP_FRAME).nth(index)
    point = frame.locator("body").evaluate(
        "(_, [lat, lng]) => window.map.latLngToContainerPoint([lat, lng])", [lat, lng]
    )
    box = page.locator(MAP_FRAME).nth(index).bounding_box()
    assert box is not None
    assert 0 <= point["x"] < box["width"] and 0 <= point["y"] < box["height"], (
        f"({lat}, {lng}) lies outside the view of map {index}"
    )
    x, y = box["x"] + point["x"], box["y"] + point["y"]
    window = page.viewport_size
    assert window is not None
    assert 0 <= x < window["width"] and 0 <= y < window["height"], (
        f"the place to click on map {index} lies outside the window: ({x:.0f}, {y:.0f})"
    )
    page.mouse.click(x, y)


def inside_a_patch(ags: str) -> tuple[float, float]:
    """A point inside the largest settlement patch of a municipality (lat, lng)."""
    from kek_geo.settings import get_settings
    from kek_geo.snapshot import Snapshot

    snap = Snapshot(get_settings().geodata_dir)
    area = snap.geo("gemeinden_display").set_index("ags").geometry[ags]
    patches = snap.geo("settlement_areas_display")
    patches = patches[patches.geometry.within(area)]
    largest = patches.loc[patches.to_crs(25832).area.idxmax()].geometry
    point = largest.representative_point()
    return point.y, point.x


def test_a_click_under_a_settlement_patch_selects_the_municipality(
    visit: Visit, app_url: str
) -> None:
    page = visit.page
    page.goto(app_url)
    frame = map_frame(page)
    expect(frame.locator("path.leaflet-interactive").first).to_be_attached(timeout=TIMEOUT)
    page.locator(MAP_FRAME).first.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)  # the map fits itself to the frame in its first moments
    click_at(page, *inside_a_patch("05758012"))
    expect(page.get_by_role("heading", name=re.compile("Kennzahlen: Herford"))).to_be_visible(
        timeout=TIMEOUT
    )
    expect(page.get_by_text("66.985 Einw.").first).to_be_visible()
    # the choice is outlined on the map and kept in the link
    expect(frame.locator("path[stroke='#000000']").first).to_be_attached(timeout=TIMEOUT)
    expect(page).to_have_url(re.compile("gemeinde=05758012"))


def test_a_click_on_a_further_map_of_a_page_selects_too(visit: Visit, app_url: str) -> None:
    page = visit.page
    page.goto(f"{app_url}/siedlung")
    wait_settled(page)
    degurba = page.locator(MAP_FRAME).nth(1)  # the DEGURBA classes below the main map
    expect(degurba).to_be_attached(timeout=TIMEOUT)
    frame = page.frame_locator(MAP_FRAME).nth(1)
    expect(frame.locator("path.leaflet-interactive").first).to_be_attached(timeout=TIMEOUT)
    degurba.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)
    click_at(page, *inside_a_patch("05758012"), index=1)
    expect(page).to_have_url(re.compile("gemeinde=05758012"), timeout=TIMEOUT)
    expect(page.get_by_text(re.compile("Gewählt: Herford")).first).to_be_attached()
    # outlined on both maps
    for index in (0, 1):
        outline = page.frame_locator(MAP_FRAME).nth(index).locator("path[stroke='#000000']")
        expect(outline.first).to_be_attached(timeout=TIMEOUT)
    # then a click on the main map wins, and stays (each map remembers its own last click)
    page.locator(MAP_FRAME).first.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    click_at(page, *inside_a_patch("05758004"), index=0)
    expect(page).to_have_url(re.compile("gemeinde=05758004"), timeout=TIMEOUT)
    page.wait_for_timeout(2500)
    expect(page).to_have_url(re.compile("gemeinde=05758004"))
    expect(page.get_by_text(re.compile("Gewählt: Bünde")).first).to_be_attached()


def test_the_zoom_is_kept_after_a_layer_toggle(visit: Visit, app_url: str) -> None:
    page = visit.page
    page.goto(app_url)
    frame = map_frame(page)
    expect(frame.locator("path.leaflet-interactive").first).to_be_attached(timeout=TIMEOUT)
    page.wait_for_timeout(1500)
    start = frame.locator("body").evaluate("() => window.map.getZoom()")
    for _ in range(2):
        frame.locator("a.leaflet-control-zoom-in").click()
        page.wait_for_timeout(600)
    zoomed = frame.locator("body").evaluate("() => window.map.getZoom()")
    assert zoomed == start + 2
    page.get_by_text("Ladesäulen 2019").click()  # the map is drawn anew with the chargers
    expect(page).to_have_url(re.compile("charging"), timeout=TIMEOUT)
    page.wait_for_timeout(2500)
    assert map_frame(page).locator("body").evaluate("() => window.map.getZoom()") == zoomed
    # the home button returns to the whole district
    map_frame(page).locator("a.kek-home").click()
    page.wait_for_timeout(800)
    assert map_frame(page).locator("body").evaluate("() => window.map.getZoom()") < zoomed


CELLS_ON_MAP = """() => Object.values(window.map._layers).filter(
  (l) => l.feature && l.feature.properties && "cell_id" in l.feature.properties).length"""


def test_a_threshold_swaps_the_cells_on_the_map_it_keeps(visit: Visit, app_url: str) -> None:
    page = visit.page
    page.goto(f"{app_url}/mobilitaet")
    frame = map_frame(page)
    expect(frame.locator(".kek-legend-changing").first).to_be_visible(timeout=TIMEOUT)
    body = frame.locator("body")
    page.wait_for_timeout(1500)
    body.evaluate("() => { window.__same = true; }")
    before = body.evaluate(CELLS_ON_MAP)
    drawn = body.evaluate("() => window.kekOverlays")
    legend = frame.locator(".kek-legend-changing").first.inner_text()
    page.get_by_text("Schwellenwerte anpassen").click()
    slider = page.locator('input[type="range"][aria-label="Fußweg zur Haltestelle (m)"]')
    slider.focus()
    for _ in range(2):
        page.keyboard.press("ArrowLeft")
        page.wait_for_timeout(400)
    expect(page).to_have_url(re.compile("mob_stop_radius_m=500"), timeout=TIMEOUT)
    page.wait_for_timeout(1500)
    # the same map (no new frame), its cells and their legend swapped over it
    assert body.evaluate("() => window.__same === true")
    assert body.evaluate("() => window.kekOverlays") > drawn
    after = body.evaluate(CELLS_ON_MAP)
    assert 0 < before < after
    assert frame.locator(".kek-legend-changing").first.inner_text() != legend
    # the symbols (stops, then stations) stay drawn over the new cells
    last = body.evaluate(
        """() => { const paths = [...document.querySelectorAll('.leaflet-overlay-pane path')];
                   return paths[paths.length - 1].getAttribute('fill'); }"""
    )
    assert last == "#de2d26"  # the stations' red
    # other colours only (Kreisvergleich): the same cell layers stay drawn, not drawn anew
    body.evaluate("() => { window.kekChanging.layers[0].__kept = true; }")
    drawn = body.evaluate("() => window.kekOverlays")
    page.get_by_text("Kreisvergleich").first.click()
    expect(page).to_have_url(re.compile("farben=kreis"), timeout=TIMEOUT)
    page.wait_for_timeout(1500)
    assert body.evaluate("() => window.kekOverlays") > drawn
    assert body.evaluate("() => window.kekChanging.layers[0].__kept === true")
    assert body.evaluate(CELLS_ON_MAP) == after


def test_a_shared_link_opens_the_same_view(visit: Visit, app_url: str) -> None:
    page = visit.page
    link = "/mobilitaet?indikator=mob_gap_share&mob_stop_radius_m=400&gemeinde=05758012&lang=en"
    page.goto(app_url + link)
    expect(page.get_by_role("heading", name="Mobility")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("Share of residents in gaps").first).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text(re.compile("Chosen: Herford")).first).to_be_visible(timeout=TIMEOUT)
    page.reload()  # a reload keeps the language and the view
    expect(page.get_by_role("heading", name="Mobility")).to_be_visible(timeout=TIMEOUT)
    expect(page).to_have_url(re.compile("mob_stop_radius_m=400"))


def test_a_downloaded_table_reads_back_with_german_excel_settings(
    visit: Visit, app_url: str
) -> None:
    from kek_geo.csvfile import note_lines, read_csv_bytes

    page = visit.page
    page.goto(app_url + "/mobilitaet?mob_stop_radius_m=400")
    button = page.get_by_role("button", name="Tabelle als CSV").first
    expect(button).to_be_visible(timeout=TIMEOUT)
    with page.expect_download() as download:
        button.click()
    name = download.value.suggested_filename
    assert name.startswith("kek-geo-mobility_") and "mob-stop-radius-m-400" in name
    data = download.value.path().read_bytes()
    notes = note_lines(data.decode("utf-8-sig"))
    assert any("Fußweg zur Haltestelle: 400 m" in n for n in notes)
    assert any(n.startswith("Quellen:") for n in notes)
    table = read_csv_bytes(data, "de")  # ";" and decimal commas, UTF-8 with BOM
    assert len(table) == 10 and table["Gemeinde"].iloc[-1] == "Kreis Herford"
    assert table.select_dtypes("number").shape[1] >= 5  # numbers, not text


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
    page.goto(f"{app_url}/{'' if spec.default else spec.url_path}")  # the start page is at /
    expect(page.get_by_role("heading", level=1).first).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("Page not found")).to_have_count(0)
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
    wait_settled(page)
    page.get_by_text("Für Ratsvorlagen exportieren").click()
    with page.expect_download(timeout=TIMEOUT) as download:
        page.get_by_role("button", name="Kartenblatt PDF").click()
    assert download.value.suggested_filename == "kek-geo-bildung-kreis-herford.pdf"
    path = download.value.path()
    assert path.read_bytes().startswith(b"%PDF")
    assert visit.outside == []
