"""A scenario's stable URL opens its compare view in Chromium with both maps and the difference."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, Visit, wait_still
from tests.e2e.test_browser import MAP_FRAME, TIMEOUT

EXAMPLE_ID = "6f1c7c1e-8a4b-4c1e-9a56-2f0d3b7e1a01"


def test_scenario_url_shows_baseline_and_scenario_maps(visit: Visit, app_url: str) -> None:
    page = visit.page
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{app_url}/szenarien?szenario={EXAMPLE_ID}")
    expect(page.get_by_role("heading", name="Beispiel: Spenge-Nord")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("Einwohner: Kreis +274 Einw.")).to_be_visible(timeout=TIMEOUT)
    frames = page.locator(MAP_FRAME)
    expect(frames).to_have_count(3, timeout=TIMEOUT)
    for i in range(3):
        frame = page.frame_locator(MAP_FRAME).nth(i)
        expect(frame.locator("path.leaflet-interactive").first).to_be_attached(timeout=TIMEOUT)
    # read-only: no scenario choice, no upload
    assert page.get_by_test_id("stFileUploader").count() == 0
    assert not page.get_by_test_id("stException").count()
    page.get_by_text("Basis (heute)").first.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "scenario-compare.png"))
    assert visit.outside == []


def test_unknown_scenario_id_says_so(visit: Visit, app_url: str) -> None:
    page = visit.page
    page.goto(f"{app_url}/szenarien?szenario=00000000-0000-0000-0000-000000000000")
    expect(page.get_by_text("Kein gespeichertes Szenario")).to_be_visible(timeout=TIMEOUT)


ZOOMS = (
    "() => [...document.querySelectorAll('iframe')].map(f => {"
    " try { return f.contentWindow.kekSyncMap.getZoom(); } catch (e) { return null; } })"
    ".filter(z => z !== null)"
)


def test_compare_maps_pan_and_zoom_together(visit: Visit, app_url: str) -> None:
    page = visit.page
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{app_url}/szenarien?szenario={EXAMPLE_ID}")
    first = page.frame_locator(MAP_FRAME).nth(0)
    expect(first.locator("path.leaflet-interactive").first).to_be_attached(timeout=TIMEOUT)
    for i in (1, 2):
        frame = page.frame_locator(MAP_FRAME).nth(i)
        expect(frame.locator("path.leaflet-interactive").first).to_be_attached(timeout=TIMEOUT)
    page.wait_for_function(
        "() => [...document.querySelectorAll('iframe')].filter(f => {"
        " try { return f.contentWindow.kekSyncMap; } catch (e) { return false; } }).length === 3",
        timeout=TIMEOUT,
    )
    # each map first fits the Kreis to its own width; a visitor's zoom then moves all three
    before = page.evaluate(ZOOMS)
    assert len(before) == 3
    first.locator(".leaflet-control-zoom-in").click()
    page.wait_for_function(
        f"z => {{ const zs = ({ZOOMS})(); return zs.length === 3 && zs.every(x => x === z); }}",
        arg=before[0] + 1,
        timeout=TIMEOUT,
    )
    # and a pan of the third (the difference map) moves the first
    centre = (
        "() => { const c = document.querySelectorAll('iframe')[0].contentWindow"
        ".kekSyncMap.getCenter(); return [c.lat, c.lng]; }"
    )
    start = page.evaluate(centre)
    third = page.frame_locator(MAP_FRAME).nth(2).locator(".leaflet-container")
    third.scroll_into_view_if_needed()
    wait_still(page)
    box = third.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 120, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()
    page.wait_for_function(
        f"s => {{ const c = ({centre})(); return Math.abs(c[1] - s[1]) > 1e-4; }}",
        arg=start,
        timeout=TIMEOUT,
    )


def test_a_stop_is_placed_by_clicking_the_editor_map(visit: Visit, app_url: str) -> None:
    page = visit.page
    page.goto(f"{app_url}/szenario-bearbeiten")
    expect(page.get_by_text("Noch kein Punkt angeklickt.")).to_be_visible(timeout=TIMEOUT)
    frame = page.frame_locator(MAP_FRAME).first
    container = frame.locator(".leaflet-container")
    expect(frame.locator("path.leaflet-interactive").first).to_be_attached(timeout=TIMEOUT)
    box = container.bounding_box()
    assert box is not None
    # the middle of the map is the middle of the Kreis (inside it)
    container.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    expect(page.get_by_text("Angeklickter Punkt:")).to_be_visible(timeout=TIMEOUT)
    page.get_by_role("button", name="Änderung hinzufügen").click()
    expect(page.get_by_text("mode: bus", exact=False)).to_be_visible(timeout=TIMEOUT)
    assert not page.get_by_test_id("stException").count()
    assert visit.outside == []


def test_an_area_drawn_on_the_editor_map_is_taken(visit: Visit, app_url: str) -> None:
    """The map frame reports a polygon drawn with the drawing tool to the page."""
    page = visit.page
    page.goto(f"{app_url}/szenario-bearbeiten")
    page.get_by_text("Baugebiet zeichnen").click()
    expect(page.get_by_text("Zeichnen Sie das Gebiet")).to_be_visible(timeout=TIMEOUT)
    frame = page.frame_locator(MAP_FRAME).first
    tool = frame.locator(".leaflet-draw-draw-polygon")
    expect(tool).to_be_visible(timeout=TIMEOUT)
    tool.click()
    container = frame.locator(".leaflet-container")
    box = container.bounding_box()
    assert box is not None
    x, y = box["width"] / 2, box["height"] / 2
    corners = [(x - 60, y - 40), (x + 60, y - 40), (x + 60, y + 40), (x - 60, y + 40)]
    for cx, cy in [*corners, corners[0]]:  # the first corner again closes the polygon
        container.click(position={"x": cx, "y": cy})
        page.wait_for_timeout(150)
    expect(page.get_by_text("Gezeichnetes Polygon übernommen.")).to_be_visible(timeout=TIMEOUT)
    assert not page.get_by_test_id("stException").count()
    assert visit.outside == []
