"""At a projector's 1280×720 the first screen shows title, key message and the map with its legend.

Each theme page and the overview, in German and English: the bottom of the map and of its
lowest legend lie inside the first screen, and no layer pill is cut off. The figures of each
page go to ``artifacts/first-screen.tsv``, a screenshot of the first screen beside them.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from kek_geo.pages import PageSpec, pages_for
from kek_geo.ui.mapview import FRAME_TITLE
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

WIDTH, HEIGHT = 1280, 720
MAP_FRAME = f"iframe[title='{FRAME_TITLE}']"
TIMEOUT = 60_000
PAGES = [
    p for p in pages_for("planner") if p.has_map and p.section in ("nav.section.start",
                                                                   "nav.section.themes")
]  # fmt: skip

#: Back to the top (Streamlit scrolls its main block, not the window).
TOP_JS = """() => { window.scrollTo(0, 0);
    document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; }); }"""
#: Bottom of the lowest legend in the map frame (frame pixels), -1 without one.
LEGEND_JS = """() => Math.max(-1, ...[...document.querySelectorAll('.kek-legend')]
    .map(e => e.getBoundingClientRect().bottom))"""
#: Labels of the pills that reach beyond their group or the window.
CLIPPED_PILLS_JS = """(width) => [...document.querySelectorAll('[data-testid="stButtonGroup"] button')]
    .filter(b => { const r = b.getBoundingClientRect();
                   const box = b.closest('[data-testid="stButtonGroup"]').getBoundingClientRect();
                   return r.right > box.right + 1 || r.right > width; })
    .map(b => b.innerText)"""


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("spec", PAGES, ids=lambda p: p.url_path)
def test_map_and_legend_fit_the_first_screen(
    browser: Browser, app_url: str, spec: PageSpec, lang: str
) -> None:
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/{'' if spec.default else spec.url_path}")
        expect(page.get_by_role("heading", level=1).first).to_be_visible(timeout=TIMEOUT)
        frame = page.frame_locator(MAP_FRAME).first
        expect(frame.locator(".leaflet-overlay-pane path").first).to_be_attached(timeout=TIMEOUT)
        if lang == "en":
            page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
            expect(page.get_by_text("Indicator on the map").first).to_be_visible(timeout=TIMEOUT)
            # the map is drawn anew in English: wait for that one, not the German one leaving
            expect(frame.locator(".kek-legend-indicator")).to_contain_text(
                "number of", timeout=TIMEOUT
            )
        page.wait_for_timeout(1000)  # the legends and the fit to the district
        page.evaluate(TOP_JS)
        page.wait_for_timeout(300)
        box = page.locator(MAP_FRAME).first.bounding_box(timeout=TIMEOUT)
        assert box is not None
        map_bottom = box["y"] + box["height"]
        legend_bottom = box["y"] + float(frame.locator("body").evaluate(LEGEND_JS))
        clipped = page.evaluate(CLIPPED_PILLS_JS, WIDTH)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"first-screen-{spec.url_path}-{lang}.png"))
        with (ARTIFACTS / "first-screen.tsv").open("a", encoding="utf-8") as out:
            out.write(f"{spec.url_path}\t{lang}\t{map_bottom:.0f}\t{legend_bottom:.0f}\n")
        assert map_bottom <= HEIGHT, f"map ends at {map_bottom:.0f} px"
        assert legend_bottom <= HEIGHT, f"legend ends at {legend_bottom:.0f} px"
        assert clipped == []
    finally:
        context.close()
