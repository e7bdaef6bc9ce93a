"""Map building: one base-map factory and small layer builders on top of folium.

Every page gets its map from :func:`base_map`, which loads Leaflet from the app's own static
files instead of folium's public CDNs, and adds a basemap only when one is configured: by
default a map makes no request outside the app's server and works offline at a kiosk.

Values that reach a popup or tooltip are HTML-escaped here, because Leaflet inserts them as
HTML.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template

from kek_geo.classes import MISSING_COLOUR
from kek_geo.geo import DISPLAY_PRECISION_DEG
from kek_geo.jsonscript import script_json
from kek_geo.packed import PackedGeoJson, Unpacker
from kek_geo.settings import DISPLAY_CRS, Settings

#: Coordinate grid of context layers that do not catch clicks (about 10 m).
CONTEXT_PRECISION_DEG = 1e-4
#: Centre of Germany (lat, lon): the start of a map without bounds.
GERMANY_CENTRE = (51.16, 10.45)


def base_map(
    settings: Settings,
    *,
    bounds: Sequence[float] | None = None,
    zoom_start: int = 10,
    home_title: str = "",
) -> folium.Map:
    """Create an empty map that loads Leaflet from the app's static files.

    Parameters
    ----------
    settings
        Current settings (static URL, optional basemap).
    bounds
        ``(minx, miny, maxx, maxy)`` in WGS84 to fit the view to.
    zoom_start
        Initial zoom before fitting.
    home_title
        Tooltip of the button that returns to ``bounds`` (in the page's language).

    Returns
    -------
    folium.Map
        The map, without tiles unless ``KEK_TILES_URL`` is set.
    """
    if bounds is None:
        centre = GERMANY_CENTRE
    else:
        centre = ((bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2)
    m = folium.Map(
        location=centre,
        zoom_start=zoom_start,
        tiles=None,
        control_scale=False,  # folium's scale bar has miles too: see MetricScale
        prefer_canvas=False,
        zoom_snap=0.25,
        # The maps sit in long pages: the mouse wheel scrolls the page, not the map
        # (zoom with the buttons, a double click, or two fingers on a touch screen).
        scroll_wheel_zoom=False,
    )
    # Replace folium's CDN links (jsdelivr, cdnjs, jquery, bootstrap) by the vendored Leaflet.
    m.default_js = [("leaflet", settings.leaflet_js)]
    m.default_css = [("leaflet_css", settings.leaflet_css)]
    if settings.tiles_url:
        credit = settings.tiles_attribution or " "
        folium.TileLayer(
            tiles=settings.tiles_url,
            attr=plain_text(credit) if settings.kiosk else credit,
            name="Basemap",
        ).add_to(m)
    m.add_child(MapStyle(touch=settings.kiosk))
    m.add_child(Unpacker())
    m.add_child(MetricScale())
    if bounds is not None:
        minx, miny, maxx, maxy = bounds
        m.add_child(FitBounds(((miny, minx), (maxy, maxx)), home_title))
    return m


class MetricScale(MacroElement):
    """A scale bar in metres and kilometres only (Leaflet's default adds miles)."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}{% endmacro %}
        {% macro script(this, kwargs) %}
        L.control.scale({metric: true, imperial: false}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MetricScale"


class FitBounds(MacroElement):
    """Fit the view to bounds, also after the map's frame gets its final size.

    Inside a Streamlit component the frame can still change its size after Leaflet has
    started (its width follows the page's layout), so a plain ``fitBounds`` at start-up can fit
    the wrong size. This refits on the resizes of the first seconds, then leaves the view to the
    user. The fit leaves room for the legends in the
    corners (beside or between them), or at least for the indicator's legend at the bottom
    right, as long as that costs the district at most half a zoom level.

    A view the user chose (pan or zoom) is kept in the tab's ``sessionStorage`` under the
    map's name (``window.kekMapKey``, see :func:`kek_geo.ui.mapview.prepare_map`), so the
    map drawn anew after a layer toggle or another indicator opens where the user left it.
    A home button (⌂) under the zoom buttons returns to the whole district.

    Parameters
    ----------
    bounds
        ``((south, west), (north, east))``.
    home_title
        Tooltip of the home button.
    """

    _template = Template(
        """
        {% macro html(this, kwargs) %}{% endmacro %}
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var bounds = L.latLngBounds({{ this.bounds_json }});
            var began = Date.now();
            function size(corner) {
                var box = {w: 0, h: 0};
                map.getContainer().querySelectorAll(corner + " .kek-legend").forEach(
                    function (el) {
                        box.w = Math.max(box.w, el.offsetWidth + 16);
                        box.h = Math.max(box.h, el.offsetHeight + 16);
                    });
                return box;
            }
            // keep the district clear of the legends (beside or between them), or at least
            // of the indicator's legend (bottom right), unless that makes it much smaller
            function fit() {
                var tl = size(".leaflet-top.leaflet-left"), tr = size(".leaflet-top.leaflet-right");
                var bl = size(".leaflet-bottom.leaflet-left");
                var br = size(".leaflet-bottom.leaflet-right");
                var left = Math.max(tl.w, bl.w), right = Math.max(tr.w, br.w);
                var top = Math.max(tl.h, tr.h), bottom = Math.max(bl.h, br.h);
                var options = [
                    {paddingTopLeft: [left, 0], paddingBottomRight: [right, 0]},
                    {paddingTopLeft: [0, top], paddingBottomRight: [0, bottom]},
                    {paddingBottomRight: [br.w, 0]},
                    {paddingBottomRight: [0, br.h]}
                ];
                // the one that keeps the district largest (clear of all legends first), if it
                // costs at most half a zoom level
                var full = map.getBoundsZoom(bounds);
                function zoomWith(o) {
                    var a = o.paddingTopLeft || [0, 0], b = o.paddingBottomRight || [0, 0];
                    return map.getBoundsZoom(bounds, false, L.point(a[0] + b[0], a[1] + b[1]));
                }
                var best = {};
                for (var pair = 0; pair < 4; pair += 2) {
                    var o = zoomWith(options[pair]) >= zoomWith(options[pair + 1])
                        ? options[pair] : options[pair + 1];
                    if (zoomWith(o) >= full - 0.5) { best = o; break; }
                }
                best.animate = false;  // an animation ending later would undo a restored view
                map.fitBounds(bounds, best);
            }
            // the view a visitor chose on this map is kept in the tab (sessionStorage), so
            // toggling a layer or choosing another indicator, which draws the map anew,
            // keeps it; window.kekMapKey (set by the app) names the map
            var store = window.kekMapKey ? "kek-view:" + window.kekMapKey : null;
            var saved = null;
            try { saved = store && JSON.parse(sessionStorage.getItem(store)); } catch (e) {}
            var touched = false;
            ["pointerdown", "wheel", "touchstart", "keydown"].forEach(function (name) {
                map.getContainer().addEventListener(name, function () { touched = true; },
                    {passive: true, capture: true});
            });
            map.on("moveend", function () {
                if (!store || !touched) { return; }
                var c = map.getCenter();
                try {
                    sessionStorage.setItem(store,
                        JSON.stringify({lat: c.lat, lng: c.lng, zoom: map.getZoom()}));
                } catch (e) {}
            });
            function whole() {
                try { if (store) { sessionStorage.removeItem(store); } } catch (e) {}
                saved = null;
                fit();
            }
            var home = L.control({position: "topleft"});
            home.onAdd = function () {
                var bar = L.DomUtil.create("div", "leaflet-bar leaflet-control");
                var a = L.DomUtil.create("a", "kek-home", bar);
                a.href = "#";
                a.innerHTML = "&#8962;";
                a.title = {{ this.home_title_json }} || "\u2302";
                a.setAttribute("role", "button");
                a.setAttribute("aria-label", {{ this.home_title_json }});
                L.DomEvent.on(a, "click", function (event) {
                    L.DomEvent.stop(event);
                    whole();
                });
                return bar;
            };
            home.addTo(map);

            function start() {
                if (saved && typeof saved.zoom === "number") {
                    map.setView([saved.lat, saved.lng], saved.zoom, {animate: false});
                } else {
                    fit();
                }
            }
            start();
            function refit() { if (!touched && Date.now() - began < 4000) { start(); } }
            map.on("resize", refit);
            map.on("kek:legend", refit);
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        bounds: tuple[tuple[float, float], tuple[float, float]],
        home_title: str = "",
    ) -> None:
        super().__init__()
        self._name = "FitBounds"
        self.bounds_json = json.dumps([list(bounds[0]), list(bounds[1])])
        self.home_title_json = json.dumps(home_title)


_TAGS = re.compile(r"<[^>]*>")


def plain_text(markup: str) -> str:
    """Text of an HTML snippet without its tags (a credit's link becomes plain text).

    Parameters
    ----------
    markup
        E.g. ``'&copy; <a href="https://osm.org/copyright">OpenStreetMap</a>'``.

    Returns
    -------
    str
        E.g. ``"© OpenStreetMap"``, HTML-escaped again.
    """
    return html.escape(html.unescape(_TAGS.sub("", markup)))


class MapStyle(MacroElement):
    """Style shared by every map: plain-text credits, label style, touch-sized controls.

    Leaflet's own credit stays visible but is no link (nothing leads out of the app). The
    zoom stops at 18: without a tile layer Leaflet has no limit, and clustering needs one.
    With ``touch`` (the kiosk) the zoom buttons are 48 px and the text larger.

    Parameters
    ----------
    touch
        Larger controls and text for a touch screen.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .kek-label {background: none; border: none;}
        .leaflet-interactive:focus {outline: none;}
        .kek-label span {position: absolute; transform: translate(-50%, -50%);
            white-space: nowrap; font: 600 {{ this.label_px }}px/1.1 sans-serif; color: #1a1a1a;
            text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 4px #fff, 0 0 4px #fff;
            pointer-events: none;}
        {% if this.touch %}
        .leaflet-touch .leaflet-bar a, .leaflet-bar a {width: 48px !important;
            height: 48px !important; line-height: 48px !important; font-size: 26px !important;}
        .leaflet-control-attribution {font-size: 13px;}
        #map_div {height: 100vh !important;}
        .kek-legend {font-size: 16px !important; max-width: 320px !important;}
        .leaflet-popup-content {font-size: 18px; line-height: 1.35;}
        {% endif %}
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.setPrefix("Leaflet");
        {{ this._parent.get_name() }}.setMaxZoom(18);
        {% endmacro %}
        """
    )

    def __init__(self, *, touch: bool = False) -> None:
        super().__init__()
        self._name = "MapStyle"
        self.touch = touch
        self.label_px = 17 if touch else 13


class Labels(MacroElement):
    """Place names drawn on the map (not clickable: clicks go to what lies beneath).

    Parameters
    ----------
    places
        ``(lat, lon, name)`` of each label.
    """

    _template = Template(
        """
        {% macro html(this, kwargs) %}{% endmacro %}
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            {{ this.places_json }}.forEach(function (p) {
                var span = document.createElement("span");
                span.textContent = p[2];
                L.marker([p[0], p[1]], {
                    icon: L.divIcon({className: "kek-label", html: span, iconSize: null}),
                    interactive: false, keyboard: false
                }).addTo(map);
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, places: Sequence[tuple[float, float, str]]) -> None:
        super().__init__()
        self._name = "Labels"
        self.places = tuple(places)
        self.places_json = script_json([[round(a, 5), round(b, 5), n] for a, b, n in places])


def pin_script(lat: float, lon: float, label: str) -> str:
    """A marker for a chosen place, drawn over a shown map without re-creating it.

    The map frame runs this as its overlay (``feature_group``), so placing the pin keeps the
    map's zoom and position.

    Parameters
    ----------
    lat, lon
        The place.
    label
        Tooltip text (plain text).

    Returns
    -------
    str
        JavaScript for the map component.
    """
    return (
        "var feature_group_pin = L.featureGroup([L.circleMarker("
        f"[{float(lat)!r}, {float(lon)!r}], "
        '{radius: 11, color: "#ffffff", weight: 3, fillColor: "#c51b7d", fillOpacity: 1})'
        f".bindTooltip({script_json(html.escape(label))}, {{permanent: true, direction: 'top'}})"
        "]);\n"
        "map_div.addLayer(feature_group_pin);\n"
        "window.feature_group = window.feature_group || [];\n"
        "window.feature_group.push(feature_group_pin);\n"
    )


def tooltip_html(rows: Sequence[tuple[str, str]]) -> str:
    """A tooltip's table of label and value rows, every text escaped.

    Parameters
    ----------
    rows
        ``(label, value)`` pairs (plain text).

    Returns
    -------
    str
        HTML.
    """
    cells = "".join(
        f'<tr><th style="text-align:left;padding-right:8px">{html.escape(a)}</th>'
        f"<td>{html.escape(b)}</td></tr>"
        for a, b in rows
    )
    return f"<table>{cells}</table>"


def recolour_script(
    key: str, colours: Mapping[str, str], tooltips: Mapping[str, str], legend_html: str
) -> str:
    """Recolour the features of a shown map in place: fill, tooltip and the main legend.

    The features are found by the property ``key`` (e.g. the municipality key); their layer's
    style function is wrapped, so Leaflet's reset after a hover keeps the new colours. The
    legend marked ``kek-legend-indicator`` gets the new content.

    Parameters
    ----------
    key
        Property that names a feature.
    colours
        New fill colour by that name.
    tooltips
        New tooltip HTML by that name (already escaped, see :func:`tooltip_html`).
    legend_html
        New inner HTML of the legend (from :attr:`Legend.body_html`).

    Returns
    -------
    str
        JavaScript for the map component's overlay.
    """
    data = script_json({"key": key, "colours": colours, "tips": tooltips, "legend": legend_html})
    return _RECOLOUR.replace("DATA", data)


_RECOLOUR = """(function () {
  var s = DATA, map = map_div;
  function name(f) { return f && f.properties ? f.properties[s.key] : undefined; }
  map.eachLayer(function (g) {
    if (!g.eachLayer || !g.options || typeof g.options.style !== "function") { return; }
    var hit = false;
    g.eachLayer(function (l) { if (name(l.feature) in s.colours) { hit = true; } });
    if (!hit) { return; }
    g._kekStyle = g._kekStyle || g.options.style;
    g.options.style = function (f) {
      var st = Object.assign({}, g._kekStyle(f));
      if (name(f) in s.colours) { st.fillColor = s.colours[name(f)]; }
      return st;
    };
    g.setStyle(g.options.style);
    g.unbindTooltip();
    g.bindTooltip(function (l) { return s.tips[name(l.feature)] || ""; }, {sticky: true});
  });
  var legend = map.getContainer().querySelector(".kek-legend-indicator");
  if (legend) { legend.innerHTML = s.legend; map.fire("kek:legend"); }
})();
"""


def outline_script(geometry: Mapping[str, Any]) -> str:
    """A chosen area outlined over a shown map without re-creating it (like :func:`pin_script`).

    The outline is a white halo under a black line, drawn above every layer and not
    clickable, so clicks still reach what lies beneath.

    Parameters
    ----------
    geometry
        GeoJSON geometry in WGS84.

    Returns
    -------
    str
        JavaScript for the map component.
    """
    data = script_json({"type": "Feature", "properties": {}, "geometry": geometry})
    line = "{{interactive: false, fill: false, color: {c}, weight: {w}}}"
    halo = line.format(c='"#ffffff"', w=7)
    black = line.format(c='"#000000"', w=3)
    return (
        "var feature_group_outline = L.featureGroup(["
        f"L.geoJSON({data}, {{style: {halo}, interactive: false}}), "
        f"L.geoJSON({data}, {{style: {black}, interactive: false}})"
        "]);\n"
        "map_div.addLayer(feature_group_outline);\n"
        "window.feature_group = window.feature_group || [];\n"
        "window.feature_group.push(feature_group_outline);\n"
    )


def _escape_properties(
    gdf: gpd.GeoDataFrame, columns: Sequence[str], *, coarse: bool = False
) -> gpd.GeoDataFrame:
    # a layer from another source may lack a column (hospitals from OSM have no city): empty
    out = gdf.reindex(columns=[*columns, "geometry"]).copy()
    out = gpd.GeoDataFrame(out, geometry="geometry", crs=gdf.crs)
    for col in columns:
        if pd.api.types.is_string_dtype(out[col]) or out[col].dtype == object:
            out[col] = out[col].map(lambda v: "" if pd.isna(v) else html.escape(str(v)))
    out = out.to_crs(DISPLAY_CRS)
    # about 1 m: enough for a map, and a third of the bytes of full float precision; about
    # 10 m for context layers (outlines simplified by tens of metres anyway)
    grid = CONTEXT_PRECISION_DEG if coarse else DISPLAY_PRECISION_DEG
    out.geometry = shapely.set_precision(out.geometry.to_numpy(), grid)
    return out


def _tooltip(fields: Mapping[str, str]) -> folium.GeoJsonTooltip | None:
    if not fields:
        return None
    return folium.GeoJsonTooltip(
        fields=list(fields),
        aliases=[html.escape(label) for label in fields.values()],
        localize=False,
        sticky=True,
    )


def polygon_layer(
    gdf: gpd.GeoDataFrame,
    name: str,
    *,
    fill: str | Mapping[str, str] = "#9ecae1",
    key: str | None = None,
    colour: str = "#636363",
    weight: float = 1.0,
    fill_opacity: float = 0.6,
    tooltip: Mapping[str, str] | None = None,
    interactive: bool = True,
    dash_array: str | None = None,
    outline_as_fill: bool = False,
) -> folium.GeoJson:
    """A polygon layer with a fixed fill or one colour per feature.

    Parameters
    ----------
    gdf
        Polygons (any CRS; converted to WGS84).
    name
        Layer name shown in the layer control.
    fill
        One colour, or a mapping from the value of ``key`` to a colour.
    key
        Column whose value selects the colour from ``fill``.
    colour, weight
        Outline colour and width.
    fill_opacity
        Fill opacity (0 for outlines only).
    tooltip
        Columns to show on hover, mapped to their labels.
    interactive
        False for context layers that must not catch clicks.
    dash_array
        SVG dash pattern of the outline (e.g. ``"8 6"``); solid if ``None``.
    outline_as_fill
        Draw the outline in each feature's fill colour: with a ``weight`` of a few pixels
        small features such as 1-ha cells stay visible at district zoom (the outline keeps
        its width in pixels at every zoom).

    Returns
    -------
    folium.GeoJson
        The layer (not yet added to a map).
    """
    fields = dict(tooltip or {})
    cols = list(dict.fromkeys([*fields, *([key] if key else [])]))
    data = _escape_properties(gdf, cols, coarse=not interactive).reset_index(drop=True)
    if isinstance(fill, Mapping):
        colours = {str(k): v for k, v in fill.items()}
        fills = data[key].astype("string").map(colours).fillna(MISSING_COLOUR)
    else:
        fills = pd.Series(fill, index=data.index)
    # each feature's colour by its id (the row number), so it is not sent as a property too
    by_id = dict(zip(data.index.astype(str), fills, strict=True))

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        fill_colour = by_id[str(feature["id"])]
        styled = {
            "fillColor": fill_colour,
            "color": fill_colour if outline_as_fill else colour,
            "weight": weight,
            "fillOpacity": fill_opacity,
        }
        if dash_array:
            styled["dashArray"] = dash_array
        return styled

    return PackedGeoJson(
        data.to_geo_dict(show_bbox=False),
        name=name,
        style_function=style,
        highlight_function=(lambda _f: {"weight": weight + 2, "color": "#000"})
        if interactive
        else None,
        tooltip=_tooltip(fields) if len(data) else None,
        interactive=interactive,
        smooth_factor=1.0,
    )


def point_layer(
    gdf: gpd.GeoDataFrame,
    name: str,
    *,
    colour: str,
    radius: float = 4.0,
    tooltip: Mapping[str, str] | None = None,
    outline: str | None = "#ffffff",
) -> folium.GeoJson:
    """A layer of small circle markers (cheap even for thousands of points).

    Parameters
    ----------
    gdf
        Points (any CRS).
    name
        Layer name.
    colour
        Marker colour.
    radius
        Marker radius in pixels.
    tooltip
        Columns to show on hover, mapped to their labels.
    outline
        Ring colour around each marker; ``None`` for none (dense layers such as stops).

    Returns
    -------
    folium.GeoJson
        The layer.
    """
    fields = dict(tooltip or {})
    data = _escape_properties(gdf, list(fields))
    marker = folium.CircleMarker(
        radius=radius,
        color=outline or colour,
        weight=1 if outline else 0,
        fill=True,
        fill_color=colour,
        fill_opacity=0.9,
    )
    return PackedGeoJson(
        data.to_geo_dict(show_bbox=False),
        name=name,
        marker=marker,
        tooltip=_tooltip(fields) if len(data) else None,
    )


class Legend(MacroElement):
    """A static HTML legend in a map corner (no JavaScript libraries needed).

    Parameters
    ----------
    title
        Legend title.
    entries
        ``(colour, label)`` pairs.
    note
        Optional small text under the entries.
    position
        Leaflet corner, e.g. ``"bottomright"`` or ``"bottomleft"``.
    shapes
        ``"square"`` (areas, the default) or ``"circle"`` (symbols) for each entry.
    folded
        Start folded to its title (a tap opens it).
    role
        Marks the legend (class ``kek-legend-<role>``), e.g. ``"indicator"`` for the one that
        :func:`recolour_script` replaces.
    hidden
        Start hidden (a place kept for a legend that :func:`changing_script` fills).
    """

    _template = Template(
        """
        {% macro html(this, kwargs) %}{% endmacro %}
        {% macro script(this, kwargs) %}
        (function() {
            var legend = L.control({position: {{ this.position_json }}});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", {{ this.css_class_json }});
                div.style.cssText = "background:rgba(255,255,255,.92);padding:6px 9px;" +
                    "font:12px/1.35 sans-serif;border-radius:4px;box-shadow:0 0 4px #888;" +
                    "max-width:240px{{ ';display:none' if this.hidden else '' }}";
                div.innerHTML = {{ this.body_json }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
            {{ this._parent.get_name() }}.fire("kek:legend");
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        title: str,
        entries: Sequence[tuple[str, str]],
        note: str = "",
        position: str = "bottomright",
        *,
        shapes: Sequence[str] | None = None,
        folded: bool = False,
        role: str = "",
        hidden: bool = False,
    ) -> None:
        super().__init__()
        self._name = "Legend"
        self.hidden = hidden
        self.css_class_json = json.dumps(f"kek-legend kek-legend-{role}" if role else "kek-legend")
        # kept as data too, so a printed map sheet draws the same legend
        self.title = title
        self.entries = tuple(entries)
        self.note = note
        self.position_json = json.dumps(position)
        rounds = [s == "circle" for s in (shapes or ["square"] * len(entries))]
        rows = "".join(
            f'<div><span style="display:inline-block;width:14px;height:14px;'
            f"background:{html.escape(c)};border:1px solid #777;margin-right:6px;"
            f'{"border-radius:50%;" if r else ""}vertical-align:middle"></span>'
            f"{html.escape(label)}</div>"
            for (c, label), r in zip(entries, rounds, strict=True)
        )
        if note:
            rows += f'<div style="margin-top:4px;color:#555">{html.escape(note)}</div>'
        # <details>: a tap on the title folds the legend away (no script needed)
        self.body_html = (
            f"<details{'' if folded else ' open'}>"
            f'<summary style="cursor:pointer;font-weight:bold">'
            f"{html.escape(title)}</summary>{rows}</details>"
        )
        self.body_json = script_json(self.body_html)  # titles may name a scenario

    def marked(self, role: str) -> Legend:
        """Mark the legend with a role (class ``kek-legend-<role>``).

        Parameters
        ----------
        role
            The role.

        Returns
        -------
        Legend
            The same legend.
        """
        self.css_class_json = json.dumps(f"kek-legend kek-legend-{role}")
        return self


#: Role of the legend of a theme map's changing layers (see :func:`changing_script`).
CHANGING = "changing"


def changing_legend(legend: Legend | None) -> Legend:
    """The place of the changing layers' legend on a map drawn once (hidden if ``None``).

    Parameters
    ----------
    legend
        The legend of the first state (so the map's fit leaves room for it), or ``None``.

    Returns
    -------
    Legend
        The legend, marked for :func:`changing_script`.
    """
    if legend is None:
        return Legend("", [], position="bottomright", hidden=True).marked(CHANGING)
    return legend.marked(CHANGING)


def changing_script(layers_script: str, legend_html: str) -> str:
    """Show other changing layers on a map drawn once: their legend, symbols kept on top.

    ``layers_script`` adds the layers (see :func:`kek_geo.ui.mapview.layers_script`); they
    replace the changing layers shown before, the legend marked :data:`CHANGING` gets the
    new content (hidden when empty), and the map's fixed layers (:func:`mark_fixed`:
    symbols, outlines) are brought back over the new layers, as on a map drawn in one go.
    The layers are kept apart from the rest of the overlay: when only the colours change
    (another indicator), the same layers stay drawn.

    Parameters
    ----------
    layers_script
        Script that adds the layers.
    legend_html
        Inner HTML of their legend (:attr:`Legend.body_html`), empty for none.

    Returns
    -------
    str
        JavaScript for the map component's overlay.
    """
    same = hashlib.sha1((layers_script + legend_html).encode()).hexdigest()[:16]
    head = _CHANGING_HEAD.replace("ID", script_json(same))
    # the legend's text last: nothing in it is read as a placeholder
    tail = _CHANGING_TAIL.replace("ROLE", script_json(f".kek-legend-{CHANGING}"))
    return head + layers_script + tail.replace("BODY", script_json(legend_html))


# The changing layers are taken out of the component's overlay list (window.feature_group,
# which it clears whenever the overlay changes) and kept in window.kekChanging instead.
_CHANGING_HEAD = """(function () {
  var map = map_div, id = ID, shown = window.kekChanging;
  if (shown && shown.id === id) { return; }
  if (shown) { shown.layers.forEach(function (l) { map.removeLayer(l); }); }
  window.feature_group = window.feature_group || [];
  var before = window.feature_group.length;
"""

_CHANGING_TAIL = """
  window.kekChanging = {id: id, layers: window.feature_group.splice(before)};
  var body = BODY, legend = map.getContainer().querySelector(ROLE);
  if (legend) { legend.innerHTML = body; legend.style.display = body ? "" : "none"; }
  map.eachLayer(function (l) {
    if (l.options && l.options.FIXED && l.bringToFront) { l.bringToFront(); }
  });
})();
""".replace("FIXED", "kekFixed")


def mark_fixed(layers: Iterable[object]) -> None:
    """Mark a map's fixed layers, which stay over the changing layers (:func:`changing_script`).

    Parameters
    ----------
    layers
        Map children; the GeoJSON layers among them are marked (option ``kekFixed``).
    """
    for layer in layers:
        if isinstance(layer, folium.GeoJson):
            layer.options["kekFixed"] = True


def legends_first(m: folium.Map) -> folium.Map:
    """Put a map's legends before its fit and its layers, so the map is drawn once.

    The fit leaves room for the legends, so every legend added later fits the map anew and
    Leaflet draws every layer again; with the legends first, the view is final before the
    first layer is drawn (measured: a third of a theme map's start-up script).

    Parameters
    ----------
    m
        The map (changed in place).

    Returns
    -------
    folium.Map
        The same map.
    """
    children = list(m._children.items())
    legends = [(k, el) for k, el in children if isinstance(el, Legend)]
    others = [(k, el) for k, el in children if not isinstance(el, Legend)]
    at = next((i for i, (_, el) in enumerate(others) if isinstance(el, FitBounds)), 0)
    m._children = OrderedDict(others[:at] + legends + others[at:])
    return m


def render_html(m: folium.Map) -> str:
    """Full standalone HTML of a map (for caching display-only maps and for size checks).

    Parameters
    ----------
    m
        The map.

    Returns
    -------
    str
        HTML document.
    """
    return str(legends_first(m).get_root().render())


class SyncView(MacroElement):
    """Keep the view (centre and zoom) of several maps in step, each in its own frame.

    Maps that carry a ``SyncView`` with the same ``group`` follow each other: panning or
    zooming one moves the others. The maps talk over a ``BroadcastChannel`` of the page's
    origin, so it works across the separate frames Streamlit draws them in, needs no
    library and makes no request. The channel name carries an id kept in the tab's
    ``sessionStorage``, so two tabs on the same page do not steer each other.

    Parameters
    ----------
    group
        Name shared by the maps that move together.
    """

    _template = Template(
        """
        {% macro html(this, kwargs) %}{% endmacro %}
        {% macro script(this, kwargs) %}
        (function() {
            if (typeof BroadcastChannel === "undefined") { return; }
            var map = {{ this._parent.get_name() }};
            var tab = "";
            try {
                tab = sessionStorage.getItem("kek-tab") || Math.random().toString(36).slice(2);
                sessionStorage.setItem("kek-tab", tab);
            } catch (e) { tab = ""; }
            var channel = new BroadcastChannel({{ this.channel_json }} + "-" + tab);
            var me = Math.random().toString(36).slice(2);
            // only views a visitor chose travel: each map's own first fit stays its own
            var touched = false;
            ["pointerdown", "wheel", "touchstart", "keydown"].forEach(function (name) {
                map.getContainer().addEventListener(name, function () { touched = true; },
                    {passive: true});
            });
            function view() {
                var c = map.getCenter();
                return {from: me, lat: c.lat, lng: c.lng, zoom: map.getZoom()};
            }
            map.on("moveend", function () {
                if (touched) { channel.postMessage(view()); }
            });
            channel.onmessage = function (event) {
                var v = event.data;
                if (!v || v.from === me) { return; }
                if (v.ask) {
                    if (touched) { channel.postMessage(view()); }
                    return;
                }
                var size = map.getSize();
                var off = map.latLngToContainerPoint([v.lat, v.lng])
                    .distanceTo([size.x / 2, size.y / 2]);
                if (map.getZoom() === v.zoom && off < 1) { return; }
                touched = true;
                map.setView([v.lat, v.lng], v.zoom, {animate: false});
            };
            // a map drawn later (a rerun) asks for the view the others already follow
            channel.postMessage({from: me, ask: true});
            window.kekSyncMap = map;
        })();
        {% endmacro %}
        """
    )

    def __init__(self, group: str) -> None:
        super().__init__()
        self._name = "SyncView"
        self.channel_json = json.dumps(f"kek-sync-{group}")
