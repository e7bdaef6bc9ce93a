"""Walking network: OSM XML import, shortest paths, bad input, the online fetch (mocked)."""

from __future__ import annotations

import bz2
import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import shapely
from pyproj import Transformer

from kek_geo.analysis.network import (
    NETWORK_DIR,
    WalkNetwork,
    decode_shapes,
    encode_shapes,
    fetch_osm,
    import_osm,
    is_walkable,
    load_walk_network,
    overpass_filter,
    undirected_csr,
)
from kek_geo.errors import DataSourceError
from kek_geo.snapshot import Snapshot
from tests.helpers import ROOT

# osmnx measures edges as great circles on a sphere of radius 6,371,009 m:
# 0.001° of latitude = 6,371,009 * pi/180 * 0.001 = 111.195 m;
# 0.001° of longitude at 52.102° N = 111.195 m * cos(52.102°) = 68.31 m.
LAT_STEP = 6_371_009 * math.pi / 180 * 0.001
LON_STEP = LAT_STEP * math.cos(math.radians(52.102))

# A - B - C run north along 8.600° E (two steps of 111.2 m). A footway B - E - F - C makes a
# detour east (68.3 + 111.2 + 68.3 = 247.8 m); E and F have two neighbours each, so osmnx
# merges the detour into one B - C edge parallel to the direct one. C - G is a footway
# three longitude steps east (204.9 m). Shortcuts that must be dropped: a motorway A - G,
# a road B - G with foot=no, and a private service road A - P (P is reachable only by it).
OSM_XML = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="hand-made test fixture">
  <node id="1" lat="52.1000" lon="8.6000"/>
  <node id="2" lat="52.1010" lon="8.6000"/>
  <node id="3" lat="52.1020" lon="8.6000"/>
  <node id="5" lat="52.1010" lon="8.6010"/>
  <node id="6" lat="52.1020" lon="8.6010"/>
  <node id="7" lat="52.1020" lon="8.6030"/>
  <node id="9" lat="52.0990" lon="8.6000"/>
  <node id="20" lat="52.1030" lon="8.6050"/>
  <node id="21" lat="52.1031" lon="8.6051"/>
  <way id="101"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/>
    <tag k="oneway" v="yes"/></way>
  <way id="102"><nd ref="2"/><nd ref="5"/><nd ref="6"/><nd ref="3"/>
    <tag k="highway" v="footway"/></way>
  <way id="103"><nd ref="3"/><nd ref="7"/><tag k="highway" v="footway"/></way>
  <way id="104"><nd ref="1"/><nd ref="7"/><tag k="highway" v="motorway"/></way>
  <way id="105"><nd ref="2"/><nd ref="7"/><tag k="highway" v="residential"/>
    <tag k="foot" v="no"/></way>
  <way id="106"><nd ref="1"/><nd ref="9"/><tag k="highway" v="service"/>
    <tag k="access" v="private"/></way>
  <way id="107"><nd ref="20"/><nd ref="21"/><tag k="building" v="yes"/></way>
</osm>
"""
A, B, C, G, P = 1, 2, 3, 7, 9


def write_osm(folder: Path, name: str = "kreis.osm", text: str = OSM_XML) -> Path:
    path = folder / name
    if name.endswith(".bz2"):
        path.write_bytes(bz2.compress(text.encode()))
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    imports = tmp_path / "imports"
    import_osm(write_osm(tmp_path), imports)
    return imports


def _tables(imports: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    folder = imports / NETWORK_DIR
    return pd.read_parquet(folder / "nodes.parquet"), pd.read_parquet(folder / "edges.parquet")


def test_import_keeps_walkable_ways_and_merges_the_detour(imported: Path) -> None:
    nodes, edges = _tables(imported)
    # E and F are merged away, P is reachable only by the private road: A, B, C, G remain
    assert sorted(nodes["id"]) == [A, B, C, G]
    pairs = {tuple(sorted((int(u), int(v)))) for u, v in zip(edges["u"], edges["v"], strict=True)}
    # no motorway A-G, no foot=no B-G; the building outline is not a way to walk on
    assert pairs == {(A, B), (B, C), (C, G)}
    bc = sorted(edges.loc[(edges["u"] == B) & (edges["v"] == C), "length"])
    # two parallel B -> C edges: direct 111.2 m and the detour 68.3 + 111.2 + 68.3 = 247.8 m
    assert bc == pytest.approx([LAT_STEP, 2 * LON_STEP + LAT_STEP], rel=1e-3)
    # one row per street: osmnx's reversed twins are dropped (A-B, 2 x B-C, C-G)
    assert len(edges) == 4
    # only the detour has a shape: its inner vertices E and F as two centimetre steps each
    shapes = dict(zip(edges["length"].round(1), edges["shape_cm"], strict=True))
    assert len(shapes[round(2 * LON_STEP + LAT_STEP, 1)]) == 4
    assert shapes[round(LAT_STEP, 1)] is None
    meta = json.loads((imported / NETWORK_DIR / "meta.json").read_text())
    assert meta["format"] == 2
    assert meta["source"] == "kreis.osm"
    assert meta["licence"] == "ODbL, © OpenStreetMap contributors"
    assert meta["nodes"] == 4
    assert meta["edges"] == len(edges)


def test_network_distances_take_the_shorter_parallel_edge(imported: Path) -> None:
    net = load_walk_network(imported)
    assert isinstance(net, WalkNetwork)
    nodes, _ = _tables(imported)
    xy = nodes.set_index("id")[["x", "y"]]
    origins = xy.loc[[A, B, G]].to_numpy()
    target = xy.loc[[C]].to_numpy()
    dist = net.distance_to_nearest(origins, target)
    # A -> C: 111.2 + 111.2 = 222.4 m (a sum of the parallel edges would give 359.0 m)
    # B -> C: 111.2 m; G -> C: 204.9 m
    assert dist == pytest.approx([2 * LAT_STEP, LAT_STEP, 3 * LON_STEP], rel=1e-3)
    # A -> G walks A-B-C-G = 222.4 + 204.9 = 427.3 m, not the motorway (about 302 m)
    to_g = net.distance_to_nearest(xy.loc[[A]].to_numpy(), xy.loc[[G]].to_numpy())
    assert to_g == pytest.approx([2 * LAT_STEP + 3 * LON_STEP], rel=1e-3)
    # the one-way street A -> B -> C is walked back too: C -> A = 222.4 m
    back = net.distance_to_nearest(xy.loc[[C]].to_numpy(), xy.loc[[A]].to_numpy())
    assert back == pytest.approx([2 * LAT_STEP], rel=1e-3)


def test_snap_distances_are_added_at_both_ends(imported: Path) -> None:
    net = load_walk_network(imported)
    assert net is not None
    nodes, _ = _tables(imported)
    xy = nodes.set_index("id")[["x", "y"]]
    origin = xy.loc[[A]].to_numpy() + np.array([[-30.0, 0.0]])  # 30 m west of A
    target = xy.loc[[C]].to_numpy() + np.array([[0.0, 40.0]])  # 40 m north of C
    # 30 + 222.4 + 40 = 292.4 m
    dist = net.distance_to_nearest(origin, target)
    assert dist == pytest.approx([30.0 + 2 * LAT_STEP + 40.0], rel=1e-3)
    # the nearest of two targets wins: from A, B (111.2 m) is nearer than G
    both = net.distance_to_nearest(xy.loc[[A]].to_numpy(), xy.loc[[G, B]].to_numpy())
    assert both == pytest.approx([LAT_STEP], rel=1e-3)
    assert np.isinf(net.distance_to_nearest(origin, np.zeros((0, 2)))).all()


def test_origin_beside_the_detour_snaps_to_its_shape(imported: Path) -> None:
    net = load_walk_network(imported)
    assert net is not None
    nodes, _ = _tables(imported)
    c_xy = nodes.set_index("id").loc[[C], ["x", "y"]].to_numpy()
    # 10 m east of the middle of E-F (8.601 E, 52.1015 N), on the merged detour edge B-C
    to_utm = Transformer.from_crs("EPSG:4326", "EPSG:25832", always_xy=True)
    x, y = to_utm.transform(8.601, 52.1015)
    dist = net.distance_to_nearest(np.array([[x + 10.0, y]]), c_xy)
    # 10 m to the detour + half of E-F (55.6 m) + F-C (68.3 m) = 133.9 m; snapped to the
    # nearest node (B or C, both about 96 m away) it would read 96 m, and with the edge as a
    # straight line B-C it would be 78.3 m off the path
    assert dist == pytest.approx([10.0 + LAT_STEP / 2 + LON_STEP], rel=1e-3)


def _line_network(length: float = 1000.0) -> WalkNetwork:
    """One straight edge A (0, 0) - B (1000, 0) of the given length, in metres."""
    return WalkNetwork(
        np.array([[0.0, 0.0], [1000.0, 0.0]]), np.array([0]), np.array([1]), np.array([length])
    )


def test_origin_beside_a_long_edge_walks_from_its_foot_point() -> None:
    net = _line_network()
    a = np.array([[0.0, 0.0]])
    origins = np.array([[510.0, 30.0], [250.0, 0.0], [1100.0, 40.0]])
    dist = net.distance_to_nearest(origins, a)
    # (510, 30): 30 m to the edge + 510 m along it = 540 m. Snapped to its nearest node B
    # (sqrt(490^2 + 30^2) = 490.9 m away) it would be 490.9 + 1000 = 1490.9 m, 950.9 m more.
    # (250, 0) lies on the edge: 250 m. (1100, 40) is beyond B: sqrt(100^2 + 40^2) = 107.7 m
    # to B, then 1000 m.
    assert dist == pytest.approx([540.0, 250.0, math.hypot(100, 40) + 1000.0])
    snap = net.snap(origins[:1])
    assert (snap.edge.tolist(), snap.offset.tolist(), snap.along.tolist()) == ([0], [30.0], [510.0])
    # snaps are remembered for the next query, so the caller gets them read-only
    assert not snap.offset.flags.writeable


def test_along_the_edge_counts_a_share_of_its_stored_length() -> None:
    # osmnx measures edges on the sphere: here the stored length is 1010 m for a 1000 m line
    net = _line_network(1010.0)
    dist = net.distance_to_nearest(np.array([[510.0, 30.0]]), np.array([[0.0, 0.0]]))
    # 30 m offset + 510 / 1000 of 1010 m = 30 + 515.1 = 545.1 m
    assert dist == pytest.approx([545.1])


def test_origin_and_target_on_the_same_edge() -> None:
    net = _line_network()
    target = np.array([[800.0, -40.0]])  # 40 m off the edge, 800 m from A
    origins = np.array([[510.0, 30.0], [900.0, 5.0]])
    dist = net.distance_to_nearest(origins, target)
    # (510, 30): along the edge 30 + |510 - 800| + 40 = 360 m; via B it would be
    # 30 + 490 + 200 + 40 = 760 m, via A 30 + 510 + 800 + 40 = 1380 m.
    # (900, 5): 5 + 100 + 40 = 145 m
    assert dist == pytest.approx([360.0, 145.0])
    # two targets on the edge: the nearer one along the edge wins, (950, 0): 5 + 50 = 55 m
    two = net.distance_to_nearest(origins[1:], np.array([[800.0, -40.0], [950.0, 0.0]]))
    assert two == pytest.approx([55.0])


def test_curved_edge_is_followed() -> None:
    # A (0, 0) and C (400, 300) joined by an L-shaped edge via (0, 300), 300 + 400 = 700 m,
    # and C - D (400, 600) straight north, 300 m
    shape = shapely.LineString([(0, 0), (0, 300), (400, 300)])
    net = WalkNetwork(
        np.array([[0.0, 0.0], [400.0, 300.0], [400.0, 600.0]]),
        np.array([0, 1]),
        np.array([1, 2]),
        np.array([700.0, 300.0]),
        shapes=np.array([shape, None], dtype=object),
    )
    dist = net.distance_to_nearest(np.array([[200.0, 320.0]]), np.array([[400.0, 600.0]]))
    # 20 m to the top of the L, 200 m along it to C, 300 m to D = 520 m (the straight line
    # A-C would pass 136 m from the origin: |3 * 200 - 4 * 320| / 5)
    assert dist == pytest.approx([520.0])


def test_self_loop_edge_is_walked_the_shorter_way_round() -> None:
    # a loop street at A: (0, 0) -> (0, 100) -> (100, 100) -> (100, 0) -> A, 400 m; A - B 1000 m
    loop = shapely.LineString([(0, 0), (0, 100), (100, 100), (100, 0), (0, 0)])
    net = WalkNetwork(
        np.array([[0.0, 0.0], [1000.0, 0.0]]),
        np.array([0, 0]),
        np.array([0, 1]),
        np.array([400.0, 1000.0]),
        shapes=np.array([loop, None], dtype=object),
    )
    dist = net.distance_to_nearest(np.array([[60.0, 110.0]]), np.array([[1000.0, 0.0]]))
    # 10 m to the top side; 100 + 60 = 160 m from A one way, 400 - 160 = 240 m the other;
    # then 1000 m to B: 10 + 160 + 1000 = 1170 m
    assert dist == pytest.approx([1170.0])


def test_shapes_survive_the_centimetre_encoding() -> None:
    lines = np.array(
        [
            shapely.LineString([(0, 0), (3, -2.5), (1.004, 1), (5, 5)]),
            None,
            shapely.LineString([(10, 10), (12, 10), (10, 10)]),
        ],
        dtype=object,
    )
    steps = encode_shapes(lines)
    # inner vertices as steps from the previous vertex in cm: (3, -2.5) - (0, 0) = (300, -250),
    # (1.004, 1) - (3, -2.5) = (100 - 300, 100 + 250) = (-200, 350); none for the missing line;
    # the loop's one inner vertex (12, 10) - (10, 10) = (200, 0)
    assert steps.to_pylist() == [[300, -250, -200, 350], None, [200, 0]]
    nodes = np.array([[0.0, 0.0], [5.0, 5.0], [10.0, 10.0]])
    back = decode_shapes(nodes, np.array([0, 0, 2]), np.array([1, 1, 2]), steps)
    # to the centimetre: (1.004, 1) comes back as (1.00, 1.00)
    np.testing.assert_allclose(
        shapely.get_coordinates(back[0]), np.array([[0, 0], [3, -2.5], [1, 1], [5, 5.0]]), atol=1e-9
    )
    assert shapely.get_coordinates(back[1]).tolist() == [[0, 0], [5, 5]]
    assert shapely.get_coordinates(back[2]).tolist() == [[10, 10], [12, 10], [10, 10]]


def test_import_of_an_older_version_still_loads(imported: Path) -> None:
    # format 1: no shape_cm, every edge in both directions, no "format" in meta.json
    folder = imported / NETWORK_DIR
    edges = pd.read_parquet(folder / "edges.parquet")[["u", "v", "length"]]
    both_ways = pd.concat([edges, edges.rename(columns={"u": "v", "v": "u"})], ignore_index=True)
    both_ways.to_parquet(folder / "edges.parquet", index=False)
    meta = json.loads((folder / "meta.json").read_text())
    del meta["format"]
    (folder / "meta.json").write_text(json.dumps(meta))
    net = load_walk_network(imported)
    assert net is not None
    assert "run `kek-geo import-osm` or `fetch-osm` again" in net.meta["note"]
    xy = _tables(imported)[0].set_index("id")[["x", "y"]]
    # edges are straight lines now; 30 m west of A to 40 m north of C is still 292.4 m
    origin = xy.loc[[A]].to_numpy() + np.array([[-30.0, 0.0]])
    target = xy.loc[[C]].to_numpy() + np.array([[0.0, 40.0]])
    assert net.distance_to_nearest(origin, target) == pytest.approx(
        [30.0 + 2 * LAT_STEP + 40.0], rel=1e-3
    )


def test_damaged_shapes_are_reported(imported: Path) -> None:
    path = imported / NETWORK_DIR / "edges.parquet"
    table = pq.read_table(path)
    odd = pa.array([[1]] + [None] * (table.num_rows - 1), pa.list_(pa.int32()))
    pq.write_table(table.set_column(3, "shape_cm", odd), path)
    with pytest.raises(DataSourceError) as err:
        load_walk_network(imported)
    assert err.value.path == path
    assert "odd length" in err.value.problem and "import the walking network again" in str(
        err.value
    )


def test_cached_results_are_not_shared_with_the_caller(imported: Path) -> None:
    net = load_walk_network(imported)
    assert net is not None
    xy = _tables(imported)[0][["x", "y"]].to_numpy()
    first = net.distance_to_nearest(xy, xy[:1])
    first[:] = -1.0  # the caller may change its copy
    again = net.distance_to_nearest(xy, xy[:1])
    assert (again >= 0).all()


def test_csr_takes_the_minimum_over_parallel_edges_and_is_symmetric() -> None:
    # edges 0-1 of 5 m and 3 m (parallel, opposite directions), 1-2 of 4 m, a self-loop
    graph = undirected_csr(
        3, np.array([0, 1, 1, 2]), np.array([1, 0, 2, 2]), np.array([5.0, 3.0, 4.0, 1.0])
    )
    dense = graph.toarray()
    assert dense[0, 1] == dense[1, 0] == 3.0
    assert dense[1, 2] == dense[2, 1] == 4.0
    assert dense[2, 2] == 0.0
    assert dense.shape == (4, 4)  # plus the row of the virtual source


def test_walkable_rules() -> None:
    assert is_walkable({"highway": "residential"})
    assert is_walkable({"highway": ["footway", "path"]})
    assert not is_walkable({"highway": "trunk_link"})
    assert is_walkable({"highway": "trunk", "foot": "yes"})
    assert not is_walkable({"highway": "cycleway"})
    assert is_walkable({"highway": "cycleway", "foot": "designated"})
    assert not is_walkable({"highway": "primary", "motorroad": "yes"})
    assert not is_walkable({"highway": "residential", "foot": "use_sidepath"})
    assert not is_walkable({"highway": "motorway", "foot": "yes"})
    assert not is_walkable({"highway": ["residential", "motorway"]})
    assert not is_walkable({"highway": "footway", "foot": "no"})
    assert not is_walkable({"highway": "service", "access": "private"})
    assert is_walkable({"highway": "service", "access": "private", "foot": "yes"})
    assert not is_walkable({"building": "yes"})


def test_compressed_extract_is_read(tmp_path: Path) -> None:
    summary = import_osm(write_osm(tmp_path, "kreis.osm.bz2"), tmp_path / "imports")
    assert "4 nodes" in summary and "ODbL" in summary


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.osm"
    with pytest.raises(DataSourceError) as err:
        import_osm(missing, tmp_path / "imports")
    assert err.value.path == missing
    assert "not found" in str(err.value)


def test_corrupt_xml_names_the_file_and_keeps_the_old_import(imported: Path) -> None:
    before = _tables(imported)[1]
    bad = write_osm(imported.parent, "broken.osm", OSM_XML[:300])
    with pytest.raises(DataSourceError) as err:
        import_osm(bad, imported)
    assert err.value.path == bad
    assert "not a readable OSM XML file" in err.value.problem
    pd.testing.assert_frame_equal(_tables(imported)[1], before)
    # nothing half-written is left beside the import
    assert sorted(p.name for p in imported.iterdir()) == [NETWORK_DIR]


def test_corrupt_bz2_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "kreis.osm.bz2"
    bad.write_bytes(b"BZh9 this is not bzip2")
    with pytest.raises(DataSourceError) as err:
        import_osm(bad, tmp_path / "imports")
    assert err.value.path == bad
    assert not (tmp_path / "imports" / NETWORK_DIR).exists()


def test_extract_without_walkable_ways(tmp_path: Path) -> None:
    only_motorway = OSM_XML.replace('v="residential"', 'v="motorway"').replace(
        'v="footway"', 'v="motorway_link"'
    )
    with pytest.raises(DataSourceError, match="no walkable ways"):
        import_osm(write_osm(tmp_path, text=only_motorway), tmp_path / "imports")


def test_no_import_means_no_network(tmp_path: Path) -> None:
    assert load_walk_network(tmp_path) is None


def test_damaged_import_is_reported(imported: Path) -> None:
    edges_path = imported / NETWORK_DIR / "edges.parquet"
    edges = pd.read_parquet(edges_path)
    edges.loc[0, "v"] = 999  # a node that does not exist
    edges.to_parquet(edges_path)
    with pytest.raises(DataSourceError, match="edges whose nodes are missing"):
        load_walk_network(imported)
    edges_path.write_bytes(b"not parquet")
    with pytest.raises(DataSourceError, match="not a readable Parquet file"):
        load_walk_network(imported)


def test_snapshot_uses_the_network_for_distances(imported: Path) -> None:
    snap = Snapshot(ROOT / "geodata", imports_dir=imported)
    assert isinstance(snap.extra("walk_network"), WalkNetwork)


_FILTER_PART = re.compile(r'\["([^"]+)"(?:(!~|~)"([^"]*)")?\]')


def overpass_keeps(way_filter: str, tags: dict[str, str]) -> bool:
    """What Overpass answers for one way: the filter parts, all of which must hold.

    Understands the parts the project uses: ``["k"]`` (has the key), ``["k"~"re"]`` and
    ``["k"!~"re"]`` (a missing key passes ``!~``); anything else fails the test.
    """
    parts = _FILTER_PART.findall(way_filter)
    assert (
        "".join(f'["{k}"]' if not op else f'["{k}"{op}"{v}"]' for k, op, v in parts) == way_filter
    ), "filter syntax the test does not understand"
    for key, op, regex in parts:
        value = tags.get(key)
        if not op and value is None:
            return False
        if op == "~" and (value is None or not re.search(regex, value)):
            return False
        if op == "!~" and value is not None and re.search(regex, value):
            return False
    return True


def overpass_subset(text: str, way_filter: str) -> str:
    """The OSM XML as an Overpass query with ``way_filter`` would return it (ways only)."""
    root = ET.fromstring(text)
    for way in root.findall("way"):
        tags = {t.get("k", ""): t.get("v", "") for t in way.findall("tag")}
        if not overpass_keeps(way_filter, tags):
            root.remove(way)
    return ET.tostring(root, encoding="unicode")


def fake_overpass(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str
) -> list[dict[str, object]]:
    """Let ``osmnx.graph_from_polygon`` answer from ``text`` as Overpass would; records calls."""
    import osmnx as ox

    calls: list[dict[str, object]] = []

    def fake_graph_from_polygon(polygon: object, **kwargs: object) -> nx.MultiDiGraph:
        calls.append({"polygon": polygon, **kwargs})
        answer = write_osm(
            tmp_path, "overpass-answer.osm", overpass_subset(text, str(kwargs["custom_filter"]))
        )
        return ox.graph_from_xml(
            answer,
            bidirectional=kwargs.get("network_type") in ox.settings.bidirectional_network_types,
            simplify=bool(kwargs.get("simplify", True)),
            retain_all=bool(kwargs.get("retain_all", False)),
        )

    monkeypatch.setattr(ox, "graph_from_polygon", fake_graph_from_polygon)
    return calls


def test_fetch_osm_saves_the_downloaded_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = fake_overpass(monkeypatch, tmp_path, OSM_XML)
    imports = tmp_path / "imports"
    summary = fetch_osm(ROOT / "geodata", imports)
    assert "Overpass" in summary
    (call,) = calls
    # bidirectional walk graph, unsimplified, all parts: the walkable rule decides afterwards
    assert (call["network_type"], call["simplify"], call["retain_all"]) == ("walk", False, True)
    assert call["custom_filter"] == overpass_filter()
    # the district plus 2 km, in WGS84: around Herford (8.4–8.9° E, 52.0–52.3° N)
    minx, miny, maxx, maxy = call["polygon"].bounds  # type: ignore[attr-defined]
    assert 8.3 < minx < maxx < 9.0 and 51.9 < miny < maxy < 52.4
    net = load_walk_network(imports)
    assert net is not None and net.node_count == 4  # motorway, foot=no and private dropped


def test_overpass_filter_is_derived_from_the_rule() -> None:
    assert overpass_filter() == (
        '["highway"]'
        '["highway"!~"^(abandoned|bus_guideway|busway|construction|motorway|motorway_link|no|'
        'planned|proposed|raceway|razed)$"]'
        '["foot"!~"^(no|use_sidepath)$"]'
    )
    assert not overpass_keeps(overpass_filter(), {"highway": "motorway"})
    assert overpass_keeps(overpass_filter(), {"highway": "trunk", "foot": "yes"})
    # anchored: a value that only contains "no" passes (is_walkable judges it later)
    assert overpass_keeps(overpass_filter(), {"highway": "footway", "foot": "none_of_this"})
    assert not overpass_keeps(overpass_filter(), {"building": "yes"})


# A star of 16 ways from the centre node 1000 (52.1 N, 8.6 E); each spoke ends in its own node,
# 0.001 deg away, so a dropped spoke takes exactly its end node with it.
SPOKES: list[tuple[dict[str, str], bool]] = [
    ({"highway": "residential"}, True),
    ({"highway": "footway"}, True),
    ({"highway": "track"}, True),
    ({"highway": "cycleway"}, False),  # German default foot=no (import-osm kept it before)
    ({"highway": "cycleway", "foot": "designated"}, True),  # Geh- und Radweg (fetch dropped it)
    ({"highway": "trunk"}, False),  # Kraftfahrstraße: foot=no by default
    ({"highway": "trunk", "foot": "yes"}, True),  # fetch-osm's download filter dropped it
    ({"highway": "bridleway"}, False),
    ({"highway": "motorway", "foot": "yes"}, False),
    ({"highway": "path", "foot": "no"}, False),
    ({"highway": "residential", "foot": "use_sidepath"}, False),
    ({"highway": "primary", "motorroad": "yes"}, False),
    ({"highway": "service", "access": "private"}, False),
    ({"highway": "service", "access": "private", "foot": "permissive"}, True),
    ({"highway": "construction"}, False),
    ({"building": "yes"}, False),
]
CENTRE = 1000


def star_xml() -> str:
    nodes = [f'  <node id="{CENTRE}" lat="52.1000" lon="8.6000"/>']
    ways = []
    for i, (tags, _) in enumerate(SPOKES):
        angle = 2 * math.pi * i / len(SPOKES)
        lat, lon = 52.1 + 0.001 * math.sin(angle), 8.6 + 0.001 * math.cos(angle)
        nodes.append(f'  <node id="{i + 1}" lat="{lat:.7f}" lon="{lon:.7f}"/>')
        tag_xml = "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags.items())
        ways.append(f'  <way id="{i + 1}"><nd ref="{CENTRE}"/><nd ref="{i + 1}"/>{tag_xml}</way>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6">\n'
        + "\n".join([*nodes, *ways])
        + "\n</osm>\n"
    )


def test_import_and_fetch_keep_and_drop_the_same_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = star_xml()
    # the download filter already drops 5 of the 16 ways (motorway, path and residential with
    # a forbidding foot tag, construction, the building); the rule drops the rest after it
    answer = ET.fromstring(overpass_subset(text, overpass_filter()))
    assert len(answer.findall("way")) == 16 - 5
    expected = sorted([CENTRE] + [i + 1 for i, (_, keep) in enumerate(SPOKES) if keep])
    assert len(expected) == 1 + 6

    imported = tmp_path / "from-xml"
    import_osm(write_osm(tmp_path, "star.osm", text), imported)
    fake_overpass(monkeypatch, tmp_path, text)
    fetched = tmp_path / "from-overpass"
    fetch_osm(ROOT / "geodata", fetched)

    (nodes_x, edges_x), (nodes_f, edges_f) = _tables(imported), _tables(fetched)
    assert sorted(nodes_x["id"]) == expected
    pd.testing.assert_frame_equal(nodes_x, nodes_f)
    pd.testing.assert_frame_equal(edges_x, edges_f)


def test_fetch_osm_reports_a_failed_download(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import osmnx as ox

    def offline(polygon: object, **kwargs: object) -> nx.MultiDiGraph:
        raise ConnectionError("no route to host")

    monkeypatch.setattr(ox, "graph_from_polygon", offline)
    with pytest.raises(DataSourceError, match="download failed"):
        fetch_osm(ROOT / "geodata", tmp_path / "imports")
    assert not (tmp_path / "imports" / NETWORK_DIR).exists()


def test_import_writes_the_documented_folder_and_files(imported: Path) -> None:
    # the on-disk contract of the README and the module docstring, spelled out literally
    folder = imported / "walk_network"
    assert sorted(p.name for p in folder.iterdir()) == [
        "edges.parquet",
        "meta.json",
        "nodes.parquet",
    ]
    # the loader finds the network by that folder name only
    folder.rename(imported / "walk_network_old")
    assert load_walk_network(imported) is None


def test_cli_import_osm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kek_geo.cli import main

    monkeypatch.setenv("KEK_IMPORTS_DIR", str(tmp_path / "imports"))
    broken = write_osm(tmp_path, "broken.osm", "<osm><node id='1'")
    assert main(["import-osm", "--file", str(broken)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"kek-geo: error: {broken}: not a readable OSM XML file")
    assert main(["import-osm", "--file", str(write_osm(tmp_path))]) == 0
    assert "walking network from kreis.osm: 4 nodes" in capsys.readouterr().out
