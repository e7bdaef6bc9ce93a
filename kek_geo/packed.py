"""Map layers sent to the browser in a compact form and unpacked there.

A GeoJSON feature collection written out as text repeats ``"type": "Feature"``, the
property names and about 20 characters per coordinate pair for every feature. Here the
coordinates are delta-encoded like Google's encoded polylines (about 5 to 8 characters per
pair at 1 m precision), the properties are stored by column (repeated values once) and the
browser rebuilds the same GeoJSON before Leaflet sees it (:data:`UNPACK_JS`), so tooltips,
styles and clicks work as before, with about a quarter of the bytes to send and parse.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import folium
import folium.features
from branca.element import MacroElement
from folium.template import Template

from kek_geo.geo import DISPLAY_PRECISION_DEG
from kek_geo.jsonscript import script_json

#: Coordinates are sent as whole multiples of the display precision (degrees; about 1 m).
_SCALE = round(1 / DISPLAY_PRECISION_DEG)

_TYPES = {
    "Point": 1,
    "LineString": 2,
    "Polygon": 3,
    "MultiLineString": 4,
    "MultiPolygon": 5,
    "MultiPoint": 6,
}


def _zigzag(chars: list[str], value: int) -> None:
    value = ~(value << 1) if value < 0 else value << 1
    while value >= 0x20:
        chars.append(chr((0x20 | (value & 0x1F)) + 63))
        value >>= 5
    chars.append(chr(value + 63))


def encode_line(coords: Iterable[Sequence[float]]) -> str:
    """Encode a sequence of ``(x, y)`` coordinates as a compact text.

    Every pair is the difference to the previous one in steps of the display precision
    (:data:`kek_geo.geo.DISPLAY_PRECISION_DEG`), each
    number written in 5-bit groups as printable characters (ASCII 63–126), as in Google's
    encoded polylines (there ``(lat, lng)``; here in GeoJSON order).

    Parameters
    ----------
    coords
        Coordinates in degrees.

    Returns
    -------
    str
        The encoded text.
    """
    chars: list[str] = []
    last_x = last_y = 0
    for pair in coords:
        x, y = round(pair[0] * _SCALE), round(pair[1] * _SCALE)
        _zigzag(chars, x - last_x)
        _zigzag(chars, y - last_y)
        last_x, last_y = x, y
    return "".join(chars)


def decode_line(text: str) -> list[tuple[float, float]]:
    """Decode :func:`encode_line` (the browser does the same in :data:`UNPACK_JS`).

    Parameters
    ----------
    text
        Encoded text.

    Returns
    -------
    list of tuple
        ``(x, y)`` in degrees.
    """
    numbers: list[int] = []
    value = shift = 0
    for char in text:
        bits = ord(char) - 63
        value |= (bits & 0x1F) << shift
        shift += 5
        if bits < 0x20:
            numbers.append(~(value >> 1) if value & 1 else value >> 1)
            value = shift = 0
    out: list[tuple[float, float]] = []
    x = y = 0
    for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
        x, y = x + dx, y + dy
        out.append((x / _SCALE, y / _SCALE))
    return out


def _geometry(geom: Mapping[str, Any]) -> Any:
    """A geometry packed as ``[type, encoded]``; any other kind travels as GeoJSON."""
    kind = geom["type"]
    if kind not in _TYPES:
        return dict(geom)
    c = geom["coordinates"]
    if kind == "Point":
        body: Any = encode_line([c])
    elif kind in ("LineString", "MultiPoint"):
        body = encode_line(c)
    elif kind in ("Polygon", "MultiLineString"):
        body = [encode_line(ring) for ring in c]
    else:
        body = [[encode_line(ring) for ring in part] for part in c]
    return [_TYPES[kind], body]


def _column(values: list[Any]) -> Any:
    """A property column; repeated values are sent once and referred to by number."""
    try:
        distinct = list(dict.fromkeys(values))
    except TypeError:  # unhashable values (lists, dicts) are sent as they are
        return values
    if len(distinct) * 2 > len(values):
        return values
    number = {v: i for i, v in enumerate(distinct)}
    return {"v": distinct, "i": [number[v] for v in values]}


def pack(collection: Mapping[str, Any]) -> dict[str, Any]:
    """Pack a GeoJSON feature collection for :data:`UNPACK_JS`.

    Parameters
    ----------
    collection
        A ``FeatureCollection`` (as from ``GeoDataFrame.to_geo_dict``).

    Returns
    -------
    dict
        ``g``: packed geometries; ``p``: properties by column; ``id``: feature ids, or
        ``None`` when they are ``"0"``, ``"1"``, … in order.
    """
    features = collection["features"]
    names = list(dict.fromkeys(k for f in features for k in (f.get("properties") or {})))
    ids = [f.get("id") for f in features]
    in_order = all(i == str(n) for n, i in enumerate(ids))
    return {
        "g": [None if f["geometry"] is None else _geometry(f["geometry"]) for f in features],
        "p": {k: _column([(f.get("properties") or {}).get(k) for f in features]) for k in names},
        "id": None if in_order else ids,
    }


def unpack(packed: Mapping[str, Any]) -> dict[str, Any]:
    """Rebuild the feature collection from :func:`pack` (as the browser does).

    Parameters
    ----------
    packed
        Packed collection.

    Returns
    -------
    dict
        GeoJSON ``FeatureCollection``.
    """

    def column(values: Any) -> list[Any]:
        if isinstance(values, dict):
            return [values["v"][i] for i in values["i"]]
        return list(values)

    def coords(kind: int, body: Any) -> Any:
        if kind == _TYPES["Point"]:
            return list(decode_line(body)[0])
        if kind in (_TYPES["LineString"], _TYPES["MultiPoint"]):
            return [list(p) for p in decode_line(body)]
        if kind in (_TYPES["Polygon"], _TYPES["MultiLineString"]):
            return [[list(p) for p in decode_line(r)] for r in body]
        return [[[list(p) for p in decode_line(r)] for r in part] for part in body]

    names = {v: k for k, v in _TYPES.items()}
    props = {k: column(v) for k, v in packed["p"].items()}
    features = []
    for n, g in enumerate(packed["g"]):
        geometry = g
        if isinstance(g, list):
            geometry = {"type": names[g[0]], "coordinates": coords(*g)}
        features.append(
            {
                "type": "Feature",
                "id": str(n) if packed["id"] is None else packed["id"][n],
                "properties": {k: v[n] for k, v in props.items()},
                "geometry": geometry,
            }
        )
    return {"type": "FeatureCollection", "features": features}


#: The browser's side of :func:`unpack` (defined once per map, see :class:`Unpacker`).
UNPACK_JS = """window.kekUnpack = function (p) {
  var scale = SCALE, types = [null, "Point", "LineString", "Polygon", "MultiLineString",
    "MultiPolygon", "MultiPoint"];
  function line(s) {
    var out = [], i = 0, x = 0, y = 0, n = s.length;
    while (i < n) {
      var d = [0, 0];
      for (var k = 0; k < 2; k++) {
        var r = 0, sh = 0, b;
        do { b = s.charCodeAt(i++) - 63; r |= (b & 31) << sh; sh += 5; } while (b >= 32);
        d[k] = (r & 1) ? ~(r >> 1) : (r >> 1);
      }
      x += d[0]; y += d[1];
      out.push([x / scale, y / scale]);
    }
    return out;
  }
  function geometry(g) {
    if (!Array.isArray(g)) { return g; }  // null, or a kind sent as GeoJSON
    var t = g[0], c = g[1];
    if (t === 1) { c = line(c)[0]; }
    else if (t === 2 || t === 6) { c = line(c); }
    else if (t === 3 || t === 4) { c = c.map(line); }
    else { c = c.map(function (part) { return part.map(line); }); }
    return {type: types[t], coordinates: c};
  }
  var names = Object.keys(p.p), cols = names.map(function (k) {
    var v = p.p[k];
    return Array.isArray(v) ? v : v.i.map(function (i) { return v.v[i]; });
  });
  var features = new Array(p.g.length);
  for (var i = 0; i < p.g.length; i++) {
    var props = {};
    for (var j = 0; j < names.length; j++) { props[names[j]] = cols[j][i]; }
    features[i] = {type: "Feature", id: p.id ? p.id[i] : String(i), properties: props,
      geometry: geometry(p.g[i])};
  }
  return {type: "FeatureCollection", features: features};
};
""".replace("SCALE", str(_SCALE))


class Unpacker(MacroElement):
    """Defines the browser's unpacking of :class:`PackedGeoJson` layers on a map."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}{% raw %}
        """
        + UNPACK_JS
        + """
        {% endraw %}{% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "Unpacker"


def _geojson_template_source() -> str:
    """The source of ``folium.GeoJson``'s template (jinja keeps no source of its own)."""
    tree = ast.parse(inspect.getsource(folium.features))
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == "GeoJson":
            for item in node.body:
                if (
                    isinstance(item, ast.Assign)
                    and isinstance(item.targets[0], ast.Name)
                    and item.targets[0].id == "_template"
                    and isinstance(item.value, ast.Call)
                    and isinstance(item.value.args[0], ast.Constant)
                ):
                    return str(item.value.args[0].value)
    msg = "folium.GeoJson's template was not found"  # pragma: no cover
    raise RuntimeError(msg)  # pragma: no cover


def _packed_template() -> Template:
    source = _geojson_template_source()
    embedded = "{{ this.get_name() }}_add({{ this.data|tojson }});"
    if embedded not in source:  # pragma: no cover - a folium release changed its template
        msg = "folium.GeoJson's template has no embedded data to replace"
        raise RuntimeError(msg)
    return Template(  # type: ignore[no-any-return]
        source.replace(embedded, "{{ this.get_name() }}_add(kekUnpack({{ this.packed_json }}));")
    )


class PackedGeoJson(folium.GeoJson):
    """A ``folium.GeoJson`` whose data travel packed (:func:`pack`), unpacked in the browser.

    The map needs an :class:`Unpacker` (every map of :func:`kek_geo.maps.base_map` has one).
    Takes the same arguments as ``folium.GeoJson`` with embedded data.
    """

    _template = _packed_template()

    def render(self, **kwargs: Any) -> Any:
        """Pack the data, then render as ``folium.GeoJson``."""
        self.packed_json = script_json(pack(self.data))
        return super().render(**kwargs)
