"""Map building: local Leaflet only, escaped properties, classes and legend."""

from __future__ import annotations

import math
from dataclasses import replace

import folium
import pytest
import shapely

from kek_geo.i18n import fmt_number
from kek_geo.indicators import REGISTRY, compute_table
from kek_geo.maps import (
    MISSING_COLOUR,
    SEQUENTIAL,
    Legend,
    base_map,
    class_legend_entries,
    equal_interval_classes,
    point_layer,
    polygon_layer,
    render_html,
)
from kek_geo.settings import KREIS_AGS, get_settings
from kek_geo.snapshot import Snapshot
from kek_geo.thematic import GEMEINDE_KEY, OVERLAYS, overview_map
from kek_geo.ui.mapview import prepare_map
from tests.helpers import gdf

CDNS = (
    "cdn.jsdelivr.net",
    "cdnjs.cloudflare.com",
    "code.jquery.com",
    "bootstrapcdn",
    "unpkg.com",
    "d3js.org",
)


def test_base_map_loads_leaflet_from_the_app_only() -> None:
    html = render_html(base_map(get_settings()))
    assert "/app/static/leaflet/leaflet.js" in html
    assert "/app/static/leaflet/leaflet.css" in html
    for cdn in CDNS:
        assert cdn not in html


def test_no_basemap_unless_configured() -> None:
    settings = get_settings()
    assert "L.tileLayer" not in render_html(base_map(settings))
    tiled = replace(settings, tiles_url="/tiles/{z}/{x}/{y}.png", tiles_attribution="© Local tiles")
    html = render_html(base_map(tiled))
    assert "L.tileLayer" in html and "/tiles/{z}/{x}/{y}.png" in html


def test_overview_map_payload_uses_no_cdn_and_stays_small(snapshot: Snapshot) -> None:
    table = compute_table(snapshot, [REGISTRY["population"]])
    m = overview_map(
        snapshot,
        get_settings(),
        indicator=REGISTRY["population"],
        values=table["population"],
        overlays=list(OVERLAYS),
        lang="de",
    )
    payload = prepare_map(m, key="test")
    assert payload.js_links == ("/app/static/leaflet/leaflet.js",)
    assert payload.css_links == ("/app/static/leaflet/leaflet.css",)
    assert payload.size < 2_000_000
    assert "05758004" in payload.script and "gemeinde_ags" in payload.script


def test_properties_are_html_escaped() -> None:
    evil = '<img src=x onerror="alert(1)">'
    layer = polygon_layer(
        gdf([{"name": evil, "geometry": shapely.box(8.6, 52.1, 8.7, 52.2)}], crs="EPSG:4326"),
        "x",
        tooltip={"name": "Name"},
    )
    points = point_layer(
        gdf([{"name": evil, "geometry": shapely.Point(8.6, 52.1)}], crs="EPSG:4326"),
        "p",
        colour="#000",
        tooltip={"name": "Name <b>"},
    )
    m = base_map(get_settings())
    layer.add_to(m)
    points.add_to(m)
    html = render_html(m)
    assert "<img src=x" not in html
    # the JSON encoder writes & as \u0026: the browser receives the escaped entity
    assert "\\u0026lt;img src=x onerror=" in html
    assert "Name \\u0026lt;b\\u0026gt;" in html


def test_legend_escapes_its_text() -> None:
    m = base_map(get_settings())
    m.add_child(Legend("<script>x</script>", [("#fff", "<b>a</b>")], note="n<"))
    html = render_html(m)
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def test_equal_interval_classes() -> None:
    classes = equal_interval_classes([10.0, 20.0, 60.0, float("nan")])
    assert classes.lower == 10.0
    assert classes.breaks == pytest.approx((20.0, 30.0, 40.0, 50.0, 60.0))
    assert classes.colours == SEQUENTIAL
    assert classes.colour(10.0) == SEQUENTIAL[0]
    assert classes.colour(20.0) == SEQUENTIAL[0]
    assert classes.colour(20.1) == SEQUENTIAL[1]
    assert classes.colour(60.0) == SEQUENTIAL[4]
    assert classes.colour(float("nan")) == MISSING_COLOUR
    entries = class_legend_entries(classes, lambda v: fmt_number(v, 0, "de"))
    assert entries[0] == (SEQUENTIAL[0], "10 – 20")


def test_classes_of_equal_values_and_of_nothing() -> None:
    one = equal_interval_classes([5.0, 5.0])
    assert len(one.breaks) == 1 and one.colour(5.0) != MISSING_COLOUR
    none = equal_interval_classes([float("nan")])
    assert none.colour(1.0) == MISSING_COLOUR
    assert class_legend_entries(none, str) == []
    assert math.isinf(none.breaks[0])


def fill_colours(m: folium.Map, layer_name: str) -> dict[str, str]:
    """Fill colour of every feature of a GeoJson layer, by AGS, as its style function draws it."""
    layers = [
        child
        for child in m._children.values()
        if isinstance(child, folium.GeoJson) and child.layer_name == layer_name
    ]
    assert len(layers) == 1, layer_name
    layer = layers[0]
    return {
        str(f["properties"][GEMEINDE_KEY]): layer.style_function(f)["fillColor"]
        for f in layer.data["features"]
    }


def test_choropleth_colours_follow_the_values(snapshot: Snapshot) -> None:
    table = compute_table(snapshot, [REGISTRY["population"]])
    m = overview_map(
        snapshot,
        get_settings(),
        indicator=REGISTRY["population"],
        values=table["population"],
        overlays=[],
        lang="en",
    )
    colours = fill_colours(m, "Municipalities")
    municipal = table.drop(index=KREIS_AGS)
    assert set(colours) == set(municipal.index)
    # Herford has the most inhabitants: darkest class; Rödinghausen the fewest: lightest
    most, fewest = municipal["population"].idxmax(), municipal["population"].idxmin()
    assert municipal.loc[most, "gemeinde"] == "Herford"
    assert municipal.loc[fewest, "gemeinde"] == "Rödinghausen"
    assert colours[most] == SEQUENTIAL[-1]
    assert colours[fewest] == SEQUENTIAL[0]
    # in between, more inhabitants never get a lighter class
    classes = [SEQUENTIAL.index(colours[a]) for a in municipal["population"].sort_values().index]
    assert classes == sorted(classes)
    assert "Population (Einw.)" in render_html(m)
