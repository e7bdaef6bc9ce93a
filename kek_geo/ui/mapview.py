"""Show folium maps in Streamlit with a cacheable, pre-rendered payload.

``streamlit_folium.st_folium`` renders the whole folium map to a Leaflet script on every
rerun, which costs a few hundred milliseconds for the overview's 3,000 features. Here the
rendering is split off into :func:`prepare_map` (cache its result with ``st.cache_data``), with
streamlit-folium's own helpers, and :func:`show_map` hands the ready script to the map frame.

The map frame (``mapframe/index.html``, a page with a small script of its own) is the
component that shows the map in the browser. It takes the arguments of streamlit-folium 0.27's
front end and returns the values the app reads (:data:`RETURNED`) as that front end did, but
starts without a framework, loads the map's scripts in parallel, and runs the overlay without
drawing the map again. A page that opens a map waits for it about 0.2 s less
(``bench/bench_browser.py``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
import streamlit_folium as sf
from streamlit.components import v1 as components
from streamlit.runtime import get_instance

from kek_geo.maps import legends_first
from kek_geo.ui import map_first

#: The map frame's front end (served by Streamlit as a component).
_FRAME = components.declare_component("kek_map", path=str(Path(__file__).parent / "mapframe"))
#: Title of the map frame's iframe in the page (tests and benchmarks find maps by it).
FRAME_TITLE = _FRAME.name
_RETURN_DEFAULTS: dict[str, Any] = {
    "last_clicked": None,
    "last_object_clicked": None,
    "last_object_clicked_tooltip": None,
    "last_active_drawing": None,
}
#: What the map frame can return: a click on the map and on a feature (its place, its tooltip
#: as text and the feature as GeoJSON, which is also what a shape drawn with Leaflet.Draw
#: gives), and the view.
RETURNED = frozenset(_RETURN_DEFAULTS) | {"bounds", "zoom", "center"}


@dataclass(frozen=True)
class MapPayload:
    """Everything the map component needs, as plain strings (picklable, cacheable).

    Attributes
    ----------
    script
        The Leaflet script.
    header
        Extra ``<head>`` content (style sheets of elements).
    html
        Extra HTML (legend containers and the like).
    css_links, js_links
        Style sheets and scripts to load, all from the app's own server.
    bounds
        ``[[south, west], [north, east]]`` of the map.
    zoom
        Initial zoom.
    key
        Hash of the script: the component is re-created only when it changes.
    """

    script: str
    header: str
    html: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    bounds: tuple[tuple[float | None, float | None], tuple[float | None, float | None]]
    zoom: int | None
    key: str

    @property
    def size(self) -> int:
        """Bytes of script and markup sent to the browser."""
        return len(self.script) + len(self.header) + len(self.html)


def _links(m: folium.Map) -> tuple[tuple[str, ...], tuple[str, ...]]:
    css: list[str] = []
    js: list[str] = []

    def walk(el: Any) -> None:
        css.extend(href for _, href in getattr(el, "default_css", []))
        js.extend(src for _, src in getattr(el, "default_js", []))
        for child in getattr(el, "_children", {}).values():
            walk(child)

    walk(m)
    return tuple(dict.fromkeys(css)), tuple(dict.fromkeys(js))


def _ensure_registered() -> None:
    """Register the map frame with the running server if its import did not.

    A component registers itself only when it is first imported inside a script run; the
    start-up warm-up (:mod:`kek_geo.ui.warmup`) imports it earlier, outside any run.
    """
    registry = get_instance().component_registry
    if registry.get_component(_FRAME.name) is None:
        registry.register_component(_FRAME)


def _int_or_none(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) else None


def prepare_map(m: folium.Map, key: str) -> MapPayload:
    """Render a folium map once into a payload for :func:`show_map`.

    Parameters
    ----------
    m
        The map (it is rendered and must not be reused afterwards).
    key
        A name that keeps the maps of different pages apart; the map keeps the view the
        user chose under this name, across layer toggles and indicators.

    Returns
    -------
    MapPayload
        The rendered map.
    """
    legends_first(m)
    m.get_root().render()
    m.render()
    html = sf._get_html(m)
    header = sf._get_header(m)
    # names the map for the view it keeps in the tab (kek_geo.maps.FitBounds)
    script = f"window.kekMapKey = {json.dumps(key)};\n" + sf._get_map_string(m)
    css, js = _links(m)
    try:
        (s, w), (n, e) = m.get_bounds()
        bounds = ((s, w), (n, e))
    except (AttributeError, TypeError, ValueError):
        bounds = ((None, None), (None, None))
    return MapPayload(
        script=script,
        header=header,
        html=html,
        css_links=css,
        js_links=js,
        bounds=bounds,
        zoom=_int_or_none(m.options.get("zoom")),
        key=sf.generate_js_hash(script, key, False),
    )


def layers_script(layers: Sequence[folium.map.Layer]) -> str:
    """Script that adds layers to a shown map, as its overlay (see :func:`show_map`).

    Parameters
    ----------
    layers
        folium layers, not yet added to a map (they are rendered and must not be reused).

    Returns
    -------
    str
        JavaScript; empty for no layers.
    """
    if not layers:
        return ""
    group = folium.FeatureGroup(name="kek-changing", control=False)
    for layer in layers:
        layer.add_to(group)
    return str(sf._get_feature_group_string(group, folium.Map(tiles=None)))


def show_map(
    payload: MapPayload,
    *,
    height: int = 560,
    returned_objects: Sequence[str] = (),
    overlay: str | None = None,
) -> dict[str, Any] | None:
    """Display a prepared map and return what the user did with it.

    Parameters
    ----------
    payload
        From :func:`prepare_map`.
    height
        Height in pixels.
    returned_objects
        Events to return, e.g. ``("last_active_drawing",)``; empty for a display-only map
        (then interacting with the map never reruns the page).
    overlay
        Script that draws something over the map (e.g. :func:`kek_geo.maps.pin_script`);
        changing it keeps the map and its view, only the overlay is redrawn.

    Returns
    -------
    dict or None
        The returned objects (and ``drawn``, the token of a map that announced its drawing,
        once it has drawn, see :mod:`kek_geo.ui.map_first`).
    """
    unknown = set(returned_objects) - RETURNED
    if unknown:
        raise ValueError(f"the map frame cannot return {sorted(unknown)}")
    _ensure_registered()
    if overlay:
        # counts the overlays drawn on this map (a signal for tests and the benchmark)
        overlay = "window.kekOverlays = (window.kekOverlays || 0) + 1;\n" + overlay
    (s, w), (n, e) = payload.bounds
    defaults = {k: v for k, v in _RETURN_DEFAULTS.items() if k in returned_objects}
    if "bounds" in returned_objects:
        defaults["bounds"] = {
            "_southWest": {"lat": s, "lng": w},
            "_northEast": {"lat": n, "lng": e},
        }
    value: dict[str, Any] | None = _FRAME(
        script=payload.script,
        header=payload.header,
        html=payload.html,
        key=payload.key,
        height=height,
        returned_objects=list(returned_objects),
        default=defaults,
        feature_group=overlay,
        css_links=list(payload.css_links),
        js_links=list(payload.js_links),
        # a page's first map says when it is drawn: what waited for it follows
        announce_drawn=map_first.map_placed(),
    )
    return value
