"""A scenario's stable URL opens its compare view in Chromium with both maps and the difference."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, Visit
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
