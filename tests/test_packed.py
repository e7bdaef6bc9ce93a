"""Map layers travel packed and come out as the same GeoJSON (kek_geo.packed)."""

from __future__ import annotations

import json
from collections.abc import Mapping

import folium
import geopandas as gpd
import shapely

from kek_geo.jsonscript import script_json
from kek_geo.maps import point_layer, polygon_layer, render_html
from kek_geo.packed import (
    PackedGeoJson,
    Unpacker,
    decode_line,
    encode_line,
    pack,
    unpack,
)
from tests.helpers import map_features


def _collection(*features: dict[str, object]) -> dict[str, object]:
    return {"type": "FeatureCollection", "features": list(features)}


def _feature(
    number: int, geometry: Mapping[str, object] | None, **props: object
) -> dict[str, object]:
    return {"type": "Feature", "id": str(number), "properties": props, "geometry": geometry}


def test_encoded_line_matches_googles_polyline_example() -> None:
    # Google's documented example, (lat, lng) pairs: "_p~iF~ps|U_ulLnnqC_mqNvxq`@"
    points = [(-120.2, 38.5), (-120.95, 40.7), (-126.453, 43.252)]
    swapped = encode_line([(y, x) for x, y in points])
    assert swapped == "_p~iF~ps|U_ulLnnqC_mqNvxq`@"
    assert decode_line(encode_line(points)) == points


def test_encoding_keeps_one_metre_steps_and_negative_values() -> None:
    points = [(8.73071, 52.26206), (8.73072, 52.26205), (-0.00001, -89.99999), (0.0, 0.0)]
    assert decode_line(encode_line(points)) == points


def test_pack_and_unpack_give_back_every_geometry_kind_and_property() -> None:
    square = [[[8.5, 52.1], [8.51, 52.1], [8.51, 52.11], [8.5, 52.1]]]
    collection = _collection(
        _feature(0, {"type": "Point", "coordinates": [8.73071, 52.26206]}, name="Bünde", n=1),
        _feature(1, {"type": "LineString", "coordinates": square[0]}, name="Bünde", n=None),
        _feature(2, {"type": "Polygon", "coordinates": square}, name="Enger", n=2.5),
        _feature(3, {"type": "MultiPolygon", "coordinates": [square, square]}, name="Bünde"),
        _feature(4, {"type": "MultiLineString", "coordinates": square}, name="Bünde", n=0),
        _feature(5, {"type": "MultiPoint", "coordinates": square[0]}, name="Bünde", n=0),
    )
    packed = pack(collection)
    # repeated texts are sent once, referred to by number
    assert packed["p"]["name"] == {"v": ["Bünde", "Enger"], "i": [0, 0, 1, 0, 0, 0]}
    assert packed["id"] is None  # "0", "1", … in order are not sent
    back = unpack(packed)
    expected = json.loads(json.dumps(collection))
    expected["features"][3]["properties"]["n"] = None  # a missing property comes back empty
    assert back == expected


def test_other_ids_travel_along() -> None:
    collection = _collection(
        _feature(0, {"type": "Point", "coordinates": [8.0, 52.0]}),
        _feature(1, {"type": "Point", "coordinates": [8.1, 52.0]}),
    )
    collection["features"][0]["id"] = "a"  # type: ignore[index]
    assert unpack(pack(collection))["features"][0]["id"] == "a"


def test_other_geometry_kinds_and_none_travel_as_they_are() -> None:
    mixed = {
        "type": "GeometryCollection",
        "geometries": [{"type": "Point", "coordinates": [8.0, 52.0]}],
    }
    collection = _collection(_feature(0, mixed), _feature(1, None))
    packed = pack(collection)
    assert packed["g"] == [mixed, None]
    assert unpack(packed) == collection


def test_script_json_is_safe_in_a_script_and_a_template() -> None:
    value = {"text": "a{{b}}{%c{#d</script>&'", "more": "{{{ 7*7 }}}"}
    text = script_json(value)
    assert json.loads(text) == value
    for unsafe in ("{{", "{%", "{#", "</script>"):
        assert unsafe not in text


def test_a_packed_layer_renders_with_braces_in_its_coordinates() -> None:
    # folium reads every rendered script as a template again: "{{" must not reach it
    x = 8.00206  # encodes as "{{yo@_gk|H"
    assert "{{" in encode_line([(x, 52.0)])
    m = folium.Map(tiles=None)
    m.add_child(Unpacker())
    point = {"type": "Point", "coordinates": [x, 52.0]}
    PackedGeoJson(_collection(_feature(0, point, name="{{ x }}"))).add_to(m)
    html = m.get_root().render()
    assert "window.kekUnpack" in html
    assert map_features(html)[0]["geometry"] == point
    assert map_features(html)[0]["properties"] == {"name": "{{ x }}"}


def test_map_layers_are_packed_and_carry_their_tooltip_values() -> None:
    cells = gpd.GeoDataFrame(
        {"cell_id": ["a", "b"], "value": ["1", "2"]},
        geometry=[shapely.box(8.5, 52.1, 8.501, 52.101), shapely.box(8.6, 52.1, 8.601, 52.101)],
        crs=4326,
    )
    stops = gpd.GeoDataFrame(
        {"name": ["Herford <Bf>"]}, geometry=[shapely.Point(8.66, 52.12)], crs=4326
    )
    m = folium.Map(tiles=None)
    m.add_child(Unpacker())
    polygon_layer(cells, "Zellen", tooltip={"value": "Wert"}).add_to(m)
    point_layer(stops, "Haltestellen", colour="#08519c", tooltip={"name": "Name"}).add_to(m)
    html = render_html(m)
    features = map_features(html)
    assert [f["properties"] for f in features] == [
        {"value": "1"},
        {"value": "2"},
        {"name": "Herford &lt;Bf&gt;"},  # escaped before it reaches the tooltip
    ]
    assert features[2]["geometry"] == {"type": "Point", "coordinates": [8.66, 52.12]}
    assert "Herford <Bf>" not in html
