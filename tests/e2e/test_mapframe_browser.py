"""The map frame on its own in Chromium, with a test page in Streamlit's place.

The host page embeds ``kek_geo/ui/mapframe/index.html`` and speaks Streamlit's side of the
component protocol: it answers "componentReady" with renders and records what the frame sends
back. This checks what the app's pages cannot provoke on purpose, such as an overlay that fails.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.helpers import ROOT

# A map of two squares in one GeoJSON layer with a tooltip on the layer, as folium draws it.
MAP_SCRIPT = """
var map_div = L.map("map_div", {center: [52.1, 8.6], zoom: 9});
var squares = L.geoJson({type: "FeatureCollection", features: [
  {type: "Feature", properties: {name: "West"},
   geometry: {type: "Polygon", coordinates: [[[8.3, 52.0], [8.5, 52.0], [8.5, 52.2], [8.3, 52.2], [8.3, 52.0]]]}},
  {type: "Feature", properties: {name: "Ost"},
   geometry: {type: "Polygon", coordinates: [[[8.7, 52.0], [8.9, 52.0], [8.9, 52.2], [8.7, 52.2], [8.7, 52.0]]]}}
]}).addTo(map_div);
squares.bindTooltip(function (layer) { return "<b>" + layer.feature.properties.name + "</b>"; });
"""
PIN = """
var feature_group_pin = L.featureGroup([L.circleMarker([52.1, 8.6], {radius: 6})]);
map_div.addLayer(feature_group_pin);
window.feature_group = window.feature_group || [];
window.feature_group.push(feature_group_pin);
window.pins = (window.pins || 0) + 1;
"""
HOST = """<!doctype html><html><body style="margin:0">
<iframe id="frame" src="/kek_geo/ui/mapframe/index.html" style="width:600px;height:400px;border:0"></iframe>
<script>
  window.sent = [];
  window.render = (args) => document.getElementById("frame").contentWindow
    .postMessage({type: "streamlit:render", args: args, dfs: [], disabled: false}, "*");
  window.addEventListener("message", (e) => { if (e.data && e.data.isStreamlitMessage) window.sent.push(e.data); });
</script></body></html>"""


@pytest.fixture(scope="module")
def host_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The repository over HTTP (the frame and the vendored Leaflet), plus the host page."""
    host = tmp_path_factory.mktemp("host") / "host.html"
    host.write_text(HOST, encoding="utf-8")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path: str) -> str:
            return str(host) if path.startswith("/host.html") else super().translate_path(path)

        def log_message(self, *args: object) -> None:  # quiet
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(ROOT))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def args(returned: list[str], overlay: str | None = None) -> dict[str, object]:
    return {
        "script": MAP_SCRIPT,
        "header": "<style>.x {}</style>",
        "html": "",
        "height": 400,
        "returned_objects": returned,
        "default": dict.fromkeys(returned),
        "feature_group": overlay,
        "css_links": ["/static/leaflet/leaflet.css"],
        "js_links": ["/static/leaflet/leaflet.js"],
    }


def open_frame(browser: Browser, host_url: str) -> Page:
    page = browser.new_page()
    page.goto(f"{host_url}/host.html")
    page.wait_for_function("() => window.sent.some((m) => m.type === 'streamlit:componentReady')")
    return page


def render(page: Page, arguments: dict[str, object]) -> None:
    page.evaluate(f"window.render({json.dumps(arguments)})")


def values(page: Page) -> list[dict[str, object]]:
    sent = page.evaluate("window.sent")
    return [m["value"] for m in sent if m["type"] == "streamlit:setComponentValue"]


def test_a_click_on_a_feature_returns_its_place_tooltip_and_feature(
    browser: Browser, host_url: str
) -> None:
    page = open_frame(browser, host_url)
    returned = ["last_clicked", "last_object_clicked_tooltip", "last_active_drawing"]
    render(page, args(returned))
    frame = page.frame_locator("#frame")
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached")
    assert values(page) == []  # nothing happened yet: the page keeps its default
    west = frame.locator("path.leaflet-interactive").first
    west.click()
    page.wait_for_function(
        "() => window.sent.some((m) => m.type === 'streamlit:setComponentValue')"
    )
    value = values(page)[-1]
    assert value["last_object_clicked_tooltip"] == "West"
    assert value["last_active_drawing"]["properties"] == {"name": "West"}  # type: ignore[index]
    assert 52.0 < value["last_clicked"]["lat"] < 52.2  # type: ignore[index]
    page.close()


def test_a_map_that_returns_nothing_never_reports(browser: Browser, host_url: str) -> None:
    page = open_frame(browser, host_url)
    render(page, args([]))
    frame = page.frame_locator("#frame")
    frame.locator("path.leaflet-interactive").first.click()
    frame.locator(".leaflet-container").click(position={"x": 300, "y": 20})
    page.wait_for_timeout(300)
    assert values(page) == []
    page.close()


def test_a_failing_overlay_leaves_the_map_and_the_next_one_is_drawn(
    browser: Browser, host_url: str
) -> None:
    page = open_frame(browser, host_url)
    render(page, args(["last_clicked"], PIN))
    frame = page.frame_locator("#frame")
    body = frame.locator("body")
    body.locator("path.leaflet-interactive").first.wait_for(state="attached")
    page.wait_for_function("() => document.getElementById('frame').contentWindow.pins === 1")
    render(page, args(["last_clicked"], "window.broken = true; null.nothing();"))
    page.wait_for_function("() => document.getElementById('frame').contentWindow.broken")
    # the failed overlay took the pin away, but the map and its squares are still there
    assert body.evaluate("() => window.map.hasLayer(squares)")
    assert body.evaluate("() => document.querySelectorAll('path.leaflet-interactive').length") == 2
    render(page, args(["last_clicked"], PIN))
    page.wait_for_function("() => document.getElementById('frame').contentWindow.pins === 2")
    assert body.evaluate("() => document.querySelectorAll('path.leaflet-interactive').length") == 3
    page.close()
