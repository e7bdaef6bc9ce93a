"""The map frame (kek_geo/ui/mapframe): what the page sends is what the front end reads."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from kek_geo.kiosk import KIOSK_CSS
from kek_geo.settings import Settings
from kek_geo.ui import mapview
from kek_geo.ui.mapview import FRAME_TITLE, RETURNED, MapPayload, show_map
from tests.helpers import ROOT

FRAME_DIR = Path(mapview.__file__).parent / "mapframe"


def sent_arguments(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """The arguments ``show_map`` hands to the component, captured without a server."""
    captured: dict[str, object] = {}

    def fake_frame(**kwargs: object) -> None:
        captured.update(kwargs)

    monkeypatch.setattr(mapview, "_FRAME", fake_frame)
    monkeypatch.setattr(mapview, "_ensure_registered", lambda: None)
    payload = MapPayload(
        script="var map_div = L.map('map_div');",
        header="<style></style>",
        html="",
        css_links=("/app/static/leaflet/leaflet.css",),
        js_links=("/app/static/leaflet/leaflet.js",),
        bounds=((52.0, 8.4), (52.3, 8.9)),
        zoom=10,
        key="k",
    )
    show_map(payload, returned_objects=("last_clicked",), overlay="window.x = 1;")
    return captured


def test_the_frame_reads_every_argument_the_page_sends(monkeypatch: pytest.MonkeyPatch) -> None:
    sent = sent_arguments(monkeypatch)
    script = (FRAME_DIR / "index.html").read_text(encoding="utf-8")
    read = set(re.findall(r"args\.(\w+)", script)) | set(re.findall(r'args\["(\w+)"\]', script))
    # ``key`` is Streamlit's, not the front end's
    assert read == set(sent) - {"key"}
    assert sent["default"] == {"last_clicked": None}
    assert str(sent["feature_group"]).startswith("window.kekOverlays")


def test_the_frame_page_holds_its_script_and_ships_with_the_package() -> None:
    page = (FRAME_DIR / "index.html").read_text(encoding="utf-8")
    assert "streamlit:componentReady" in page  # its script is in the page: no further request
    assert 'id="map_div"' in page  # the element folium's map script draws into
    setup = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = setup["tool"]["setuptools"]["package-data"]["kek_geo"]
    assert "ui/mapframe/*.html" in shipped


def test_the_kiosk_sizes_the_map_frame_by_its_title() -> None:
    assert FRAME_TITLE == "kek_geo.ui.mapview.kek_map"
    assert f'iframe[title="{FRAME_TITLE}"]' in KIOSK_CSS


def test_the_frame_page_preloads_the_default_leaflet() -> None:
    page = (FRAME_DIR / "index.html").read_text(encoding="utf-8")
    hinted = {h.removeprefix("../..") for h in re.findall(r'rel="preload" href="([^"]+)"', page)}
    settings = Settings(geodata_dir=ROOT / "geodata", raw_dir=ROOT)
    assert hinted == {settings.leaflet_js, settings.leaflet_css}


def test_show_map_refuses_what_the_frame_cannot_return(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mapview, "_ensure_registered", lambda: None)
    payload = MapPayload("", "", "", (), (), ((None, None), (None, None)), None, "k")
    with pytest.raises(ValueError, match="all_drawings"):
        show_map(payload, returned_objects=("last_clicked", "all_drawings"))


def test_the_frame_handles_every_returned_object() -> None:
    page = (FRAME_DIR / "index.html").read_text(encoding="utf-8")
    for name in RETURNED:
        assert f"data.{name} =" in page, name
