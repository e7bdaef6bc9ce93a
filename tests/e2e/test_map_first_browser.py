"""A fresh link draws the map first; the tables and charts below it follow by themselves."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from kek_geo.i18n import t
from kek_geo.ui.mapview import FRAME_TITLE
from tests.e2e.conftest import Visit

pytestmark = pytest.mark.e2e

TIMEOUT = 60_000
MAP_FRAME = f"iframe[title='{FRAME_TITLE}']"

#: Where the page's last map frame starts (page pixels, from the top of the page's content).
LAST_MAP_TOP = (
    f"[...document.querySelectorAll(\"iframe[title='{FRAME_TITLE}']\")].pop()"
    ".getBoundingClientRect().top"
    " - document.querySelector('[data-testid=stMain]').getBoundingClientRect().top"
)
# In the page: when the first table appears. In the map frame: when its script has drawn the
# map (the frame then sets ``window.map``; its window outlives the first blank document, so
# the hook is on the window). Both in the page's clock.
WATCH = (
    f"const LAST_MAP_TOP = {json.dumps(LAST_MAP_TOP)};"
    + """
(() => {
  const now = () => performance.timeOrigin + performance.now();
  if (window === window.top) {
    const seen = () => {
      if (window.__kekTableAt === undefined && document.querySelector('[data-testid="stDataFrame"]')) {
        window.__kekTableAt = now();
      }
    };
    new MutationObserver(seen).observe(document, { subtree: true, childList: true });
    // from the first map drawn on: where the last map is, at every frame the browser paints
    window.__kekTops = [];
    window.__kekWatchTops = () => {
      const until = now() + 10000;
      const step = () => {
        window.__kekTops.push((0, eval)(LAST_MAP_TOP));
        if (now() < until) requestAnimationFrame(step);
      };
      step();
    };
    return;
  }
  let shown;
  Object.defineProperty(window, 'map', {
    configurable: true,
    get() { return shown; },
    set(value) {
      if (window.top.__kekMapAt === undefined) {
        window.top.__kekMapAt = now();
        window.top.__kekWatchTops();
      }
      window.top.__kekMapsDrawn = (window.top.__kekMapsDrawn || 0) + 1;
      shown = value;
    },
  });
})();
"""
)


def held_places(tops: list[float], frames: int = 3) -> list[float]:
    """The places a map held for at least ``frames`` painted frames in a row.

    A frame not laid out yet (top 0) and a blip of a frame or two, which nobody sees, are
    left out; a jump while the browser loads a table's code lasts ten frames and more.
    """
    runs: list[tuple[float, int]] = []
    for top in tops:
        if runs and runs[-1][0] == top:
            runs[-1] = (top, runs[-1][1] + 1)
        else:
            runs.append((top, 1))
    return [top for top, n in runs if n >= frames and top != 0]


@pytest.mark.parametrize("path", ["", "demografie", "siedlung"])
def test_a_fresh_link_draws_the_map_before_the_table(visit: Visit, app_url: str, path: str) -> None:
    page = visit.page
    page.context.add_init_script(WATCH)
    page.goto(f"{app_url}/{path}")
    frame = page.frame_locator(MAP_FRAME).first
    expect(frame.locator(".leaflet-overlay-pane path").first).to_be_attached(timeout=TIMEOUT)
    # nobody clicks: the frame's report brings the table
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible(timeout=TIMEOUT)
    if path in ("demografie", "siedlung"):  # their charts waited too
        expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text(t("page.after_map", "de"))).to_have_count(0, timeout=TIMEOUT)
    map_at, table_at = page.evaluate("[window.__kekMapAt, window.__kekTableAt]")
    assert map_at is not None and table_at is not None
    assert map_at < table_at
    # what waited kept its place: the map below it did not move, not even while the browser
    # loaded the table's and chart's code
    page.wait_for_timeout(500)
    places = held_places(page.evaluate("window.__kekTops"))
    after = page.evaluate(LAST_MAP_TOP)
    assert max([*places, after]) - min([*places, after]) < 40, (places, after)
    # the rerun that brought the table did not draw the map again
    maps = page.locator(MAP_FRAME).count()
    assert page.evaluate("window.__kekMapsDrawn") == maps
    assert not visit.failed
