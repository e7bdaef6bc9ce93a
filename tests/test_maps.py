"""Map building: local Leaflet only, escaped properties, classes and legend."""

from __future__ import annotations

from dataclasses import replace

import folium
import shapely

from kek_geo.classes import (
    CONCERN,
    MISSING_COLOUR,
    NEUTRAL,
    SEQUENTIAL,
    legend_entries,
    nice_classes,
    nice_width,
    ramp,
)
from kek_geo.indicators import REGISTRY, compute_table
from kek_geo.maps import (
    Legend,
    base_map,
    point_layer,
    polygon_layer,
    render_html,
)
from kek_geo.settings import KREIS_AGS, get_settings
from kek_geo.snapshot import Snapshot
from kek_geo.thematic import (
    GEMEINDE_KEY,
    OVERLAYS,
    indicator_classes,
    overview_map,
    value_classes,
)
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


def test_scale_bar_in_metres_only() -> None:
    html = render_html(base_map(get_settings()))
    assert "L.control.scale({metric: true, imperial: false})" in html
    assert "L.control.scale()" not in html


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
    legend = Legend("<script>x</script>", [("#fff", "<b>a</b>")], note="n<")
    m.add_child(legend)
    named = Legend("Szenario {{ 7*7 }}", [("#fff", "a")])  # a title may name a scenario
    m.add_child(named)
    html = render_html(m)
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in legend.body_html
    assert legend.body_json in html
    # folium reads the script as a template once more: the braces stay text
    assert "Szenario \\u007b{ 7*7 }}" in html and "Szenario 49" not in html


def test_nice_classes_have_rounded_bounds_that_never_overlap() -> None:
    # range 10-60 in five classes: width 10 (the smallest of 1, 2, 2.5, 5 x 10^k >= 50/5)
    classes = nice_classes([10.0, 20.0, 60.0, float("nan")])
    assert classes.bounds == (10.0, 20.0, 30.0, 40.0, 50.0, 60.0)
    assert classes.colours == SEQUENTIAL
    assert classes.colour(10.0) == SEQUENTIAL[0]
    assert classes.colour(19.99) == SEQUENTIAL[0]
    assert classes.colour(20.0) == SEQUENTIAL[1]  # a bound belongs to the class above it
    assert classes.colour(60.0) == SEQUENTIAL[4]  # the maximum stays in the last class
    assert classes.colour(float("nan")) == MISSING_COLOUR
    # open at both ends: values of another setting still get the outer colours
    assert classes.colour(-5.0) == SEQUENTIAL[0]
    assert classes.colour(500.0) == SEQUENTIAL[4]
    assert classes.labels("de") == [
        "unter 20",
        "20 bis unter 30",
        "30 bis unter 40",
        "40 bis unter 50",
        "50 und mehr",
    ]
    assert classes.labels("en")[0] == "under 20"
    assert classes.counts([10.0, 20.0, 60.0, None]) == [1, 1, 0, 0, 1]
    entries = legend_entries(classes, [10.0, 20.0, 60.0], "de")
    assert entries[2] == (SEQUENTIAL[2], "30 bis unter 40 (0)")


def test_nice_widths() -> None:
    assert nice_width(57_023, n=5) == 20_000  # 11,405 per class -> 20,000
    assert nice_width(1.92, n=5) == 0.5
    assert nice_width(10.0, n=5) == 2.0
    assert nice_width(0.0) == 1.0
    assert nice_width(1.0, min_width=2.5) == 2.5


def test_small_differences_get_no_classes_of_their_own() -> None:
    # 97.65-99.57 % (the stop indicator): classes at least 5 % of 99.57 wide, so width 5;
    # a single class says nothing, so the empty one below is shown too
    classes = nice_classes([97.65, 99.57, 98.8], min_width=0.5)
    assert classes.bounds == (90.0, 95.0, 100.0)
    assert classes.labels("de") == ["unter 95", "95 und mehr"]
    assert classes.counts([97.65, 99.57, 98.8]) == [0, 3]
    # shares near zero: the empty class goes above, never below zero
    near_zero = nice_classes([0.0, 0.73], min_width=0.5)
    assert near_zero.bounds == (0.0, 0.5, 1.0)
    # population 9,962-66,985: width 20,000 from 0, four classes
    population = nice_classes([9_962.0, 66_985.0, 30_000.0])
    assert population.bounds == (0.0, 20_000.0, 40_000.0, 60_000.0, 80_000.0)
    assert len(population.colours) == 4
    # never more than five classes, even when the rounding would add a sixth
    assert len(nice_classes([19.0, 101.0]).colours) <= 5


def test_ramps_follow_the_direction() -> None:
    assert ramp(CONCERN, 5) == CONCERN[5]
    assert ramp(CONCERN, 5, reverse=True)[0] == CONCERN[5][-1]
    assert ramp(NEUTRAL, 2) == (NEUTRAL[3][0], NEUTRAL[3][2])
    gigabit = REGISTRY["gigabit_households"]  # higher is better: the lowest value is darkest
    classes = value_classes(gigabit, [0.35, 77.17])  # width 20 from 0: four classes
    assert classes.colours == tuple(reversed(CONCERN[4]))
    assert classes.colour(0.35) == CONCERN[4][-1]
    white = REGISTRY["bb_white_households"]  # lower is better: the highest value is darkest
    assert value_classes(white, [40.0, 1600.0]).colour(1600.0) == CONCERN[4][-1]


def test_classes_of_nothing() -> None:
    none = nice_classes([float("nan")])
    assert none.colour(1.0) == MISSING_COLOUR
    assert legend_entries(none, [float("nan")], "de") == []


def test_indicator_classes_stay_when_a_threshold_changes(snapshot: Snapshot) -> None:
    ind = REGISTRY["mob_stop_near_pop"]
    at_default = indicator_classes(snapshot, ind)
    # 75.12-93.32 % at 600 m: width 5 (5 % of 93.32 is more than 18.2 / 5), from 75 to 95
    assert at_default.bounds == (75.0, 80.0, 85.0, 90.0, 95.0)
    other = compute_table(snapshot, [ind], {th.key: th.min_value for th in ind.thresholds})
    m = overview_map(
        snapshot, get_settings(), indicator=ind, values=other[ind.key], overlays=[], lang="de"
    )
    legend = next(c for c in m._children.values() if isinstance(c, Legend))
    assert [label.split(" (")[0] for _, label in legend.entries] == at_default.labels("de")
    assert sum(int(label.split("(")[1].rstrip(")")) for _, label in legend.entries) == 9


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
    # 9,962-66,985: four classes of 20,000 on the 4-class ramp
    assert colours[most] == NEUTRAL[4][-1]
    assert colours[fewest] == NEUTRAL[4][0]
    # in between, more inhabitants never get a lighter class
    classes = [NEUTRAL[4].index(colours[a]) for a in municipal["population"].sort_values().index]
    assert classes == sorted(classes)
    assert "Population (res.)" in render_html(m)


def test_compared_classes_are_symmetric_around_the_district_value() -> None:
    from kek_geo.classes import COMPARED_DIRECTED, compared_classes

    # shares, 0.5 points narrowest: largest difference 9.7 points → far 5, near 1
    comp = compared_classes([-9.7, -2.0, 0.4, 3.1], min_width=0.5, higher_is_better=True)
    assert (comp.near, comp.far) == (1.0, 5.0)
    assert comp.classes.counts([-9.7, -2.0, 0.4, 3.1]) == [1, 1, 1, 1, 0]
    # higher is better: far below the district is red, far above blue
    assert comp.colours == tuple(reversed(COMPARED_DIRECTED))
    assert comp.labels("de")[0] == "5 und mehr unter dem Kreis"
    assert comp.labels("en")[2] == "about the district (± under 1)"
    # tiny differences are "about the district", not coloured apart
    tiny = compared_classes([0.1, -0.2], min_width=0.5)
    assert tiny.classes.counts([0.1, -0.2]) == [0, 0, 2, 0, 0]


def test_counts_are_not_compared_with_the_district() -> None:
    import pandas as pd

    from kek_geo.thematic import comparable

    counts = pd.Series({"05758004": 10.0, "05758008": 30.0, "05758": 40.0})
    shares = pd.Series({"05758004": 10.0, "05758008": 30.0, "05758": 22.0})
    assert not comparable(counts)
    assert comparable(shares)
    assert not comparable(pd.Series({"05758004": 10.0, "05758": float("nan")}))
