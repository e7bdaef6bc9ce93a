"""Walking network from OpenStreetMap: distances along streets and paths.

The network is imported once (``kek-geo import-osm`` from an OSM XML extract, or
``kek-geo fetch-osm`` online) and stored as two small Parquet tables in
``<imports>/walk_network/``: nodes ``(id, x, y)`` in EPSG:25832 and edges
``(u, v, length, shape_cm)``, one row per street or path segment between two nodes.
``shape_cm`` holds the edge's inner vertices as centimetre steps (see :func:`encode_shapes`);
it is empty for straight edges. Imports of earlier versions have no shapes and count every
edge as a straight line between its nodes.

Loading builds a symmetric sparse matrix (the shortest of parallel edges) and an R-tree of
the edge lines. :meth:`WalkNetwork.distance_to_nearest` snaps origins and targets to their
nearest edge (like osmnx ``nearest_edges``) and measures every origin's distance to its
nearest target with one Dijkstra run from a virtual source joined to the targets' edges.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import ParseError
from xml.sax import SAXException

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely
from scipy.sparse import csr_array
from scipy.sparse.csgraph import dijkstra

from kek_geo.analysis.access import FloatArray
from kek_geo.errors import DataSourceError
from kek_geo.fileio import replacing_folder
from kek_geo.settings import ANALYSIS_CRS
from kek_geo.snapshot import read_layer

if TYPE_CHECKING:
    import networkx as nx

#: Sub-folder of the imports folder that holds the prepared walking network.
NETWORK_DIR = "walk_network"
NODES_FILE = "nodes.parquet"
EDGES_FILE = "edges.parquet"
META_FILE = "meta.json"
#: Version of the folder's layout: 2 = one row per undirected edge, with ``shape_cm``.
FORMAT = 2
SHAPE_COLUMN = "shape_cm"
#: What the data page says about an import without edge shapes (format 1).
STRAIGHT_NOTE = (
    "imported by an older version without edge shapes: edges count as straight lines between "
    "their nodes; run `kek-geo import-osm` or `fetch-osm` again for the true shapes"
)
LICENCE = "ODbL, © OpenStreetMap contributors"
#: OSM XML files osmnx can read.
OSM_SUFFIXES = (".osm", ".xml", ".bz2", ".gz")
#: Margin around the district for the online download, metres.
FETCH_MARGIN_M = 2000.0

# One definition of "walkable", read by both imports: :func:`is_walkable` judges every OSM way
# of the unsimplified graph; :func:`overpass_filter` is derived from the same sets and only
# drops ways that :func:`is_walkable` would drop anyway.

#: ``highway`` values nobody may walk on (plus ways under construction or only planned).
NEVER_WALKABLE = frozenset(
    {
        "motorway",
        "motorway_link",
        "bus_guideway",
        "busway",
        "raceway",
        "construction",
        "proposed",
        "planned",
        "abandoned",
        "razed",
        "no",
    }
)
#: ``highway`` values closed to pedestrians unless a ``foot`` tag allows walking: the German
#: default access is foot=no on trunk roads (Kraftfahrstraßen), cycleways and bridleways
#: (OpenStreetMap wiki, "OSM tags for routing/Access restrictions", Germany). A shared
#: foot and cycle path (Zeichen 240) is tagged ``foot=designated`` and counts.
FOOT_ONLY_IF_ALLOWED = frozenset({"trunk", "trunk_link", "cycleway", "bridleway"})
#: ``foot`` values that forbid walking on the way itself.
FOOT_FORBIDDEN = frozenset({"no", "use_sidepath"})
#: ``foot`` values that allow walking where the way type or another tag would close it.
FOOT_ALLOWED = frozenset({"yes", "designated", "permissive"})
#: Tags that close a way to pedestrians unless ``foot`` allows walking.
CLOSING_TAGS: dict[str, frozenset[str]] = {
    "access": frozenset({"private", "no"}),
    "motorroad": frozenset({"yes"}),  # Kraftfahrstraße: no pedestrians (StVO § 18)
}
#: OSM way tags the rule reads; osmnx must keep them on the edges.
WALK_TAGS = ("highway", "foot", *CLOSING_TAGS)
#: Length given to zero-length edges (a sparse graph would read 0 as "no edge"), metres.
MIN_EDGE_M = 1e-6
#: Steps of an edge shape are stored in centimetres.
SHAPE_SCALE = 100.0

IntArray = npt.NDArray[np.int64]
GeomArray = npt.NDArray[np.object_]


# ---------------------------------------------------------------- the loaded network


@dataclass(frozen=True)
class EdgeSnap:
    """Where points meet the network: their nearest edge and the spot on it.

    Attributes
    ----------
    edge
        Row of the nearest edge per point.
    offset
        Straight distance from the point to its snap spot, metres.
    along
        Distance along the edge from its node ``u`` to the snap spot, metres (a share of the
        edge's length, so that it adds up with the network distances).
    """

    edge: IntArray
    offset: FloatArray
    along: FloatArray


class WalkNetwork:
    """A walking network ready for distance queries (see ``DistanceNetwork`` in ``access``).

    The network is treated as undirected (people walk both ways along one-way streets); of
    parallel edges between two nodes the shortest counts for routing, while points snap to
    whichever edge is nearest.

    Parameters
    ----------
    node_xy
        ``(n, 2)`` node coordinates in EPSG:25832.
    u, v
        Edge end points as row positions in ``node_xy``.
    length
        Edge lengths in metres.
    meta
        What ``meta.json`` says about the import.
    shapes
        Line of every edge from ``u`` to ``v`` in EPSG:25832 (``None`` entries, or no array
        at all: a straight line between the nodes).
    """

    def __init__(
        self,
        node_xy: FloatArray,
        u: IntArray,
        v: IntArray,
        length: FloatArray,
        *,
        meta: dict[str, Any] | None = None,
        shapes: GeomArray | None = None,
    ) -> None:
        self.node_xy = np.asarray(node_xy, dtype=np.float64).reshape(-1, 2)
        self.meta = dict(meta or {})
        self._u = np.asarray(u, dtype=np.int64)
        self._v = np.asarray(v, dtype=np.int64)
        self._length = np.maximum(np.asarray(length, dtype=np.float64), 0.0)
        self._graph = undirected_csr(len(self.node_xy), self._u, self._v, self._length)
        self._lines = edge_lines(self.node_xy, self._u, self._v, shapes)
        self._line_length = np.asarray(shapely.length(self._lines), dtype=np.float64)
        self._tree = shapely.STRtree(self._lines)
        self._results: dict[bytes, FloatArray] = {}
        self._snaps: dict[bytes, EdgeSnap] = {}

    @property
    def node_count(self) -> int:
        """Number of nodes."""
        return len(self.node_xy)

    @property
    def edge_count(self) -> int:
        """Number of undirected edges (parallel edges merged)."""
        return int(self._graph.nnz) // 2

    @property
    def edge_lines(self) -> GeomArray:
        """Line of every edge from ``u`` to ``v`` (a copy)."""
        return self._lines.copy()

    def snap(self, points: FloatArray) -> EdgeSnap:
        """Nearest edge of each point, the straight distance to it and the spot on it.

        Parameters
        ----------
        points
            ``(n, 2)`` coordinates in EPSG:25832.

        Returns
        -------
        EdgeSnap
            Edge rows, offsets and positions along the edges.
        """
        xy = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        key = _digest(xy)
        cached = self._snaps.get(key)
        if cached is not None:
            return cached
        pts = shapely.points(xy)
        edge = np.zeros(len(xy), dtype=np.int64)
        if len(xy):
            hits = self._tree.query_nearest(pts, all_matches=False)
            edge[hits[0]] = hits[1]
        lines = self._lines[edge]
        offset = np.asarray(shapely.distance(pts, lines), dtype=np.float64)
        position = np.asarray(shapely.line_locate_point(lines, pts), dtype=np.float64)
        line_length = self._line_length[edge]
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(line_length > 0, position / line_length, 0.0)
        along = np.clip(share, 0.0, 1.0) * self._length[edge]
        for array in (edge, offset, along):
            array.setflags(write=False)  # remembered: shared with later callers
        result = EdgeSnap(edge, offset, along)
        _remember(self._snaps, key, result)
        return result

    def distance_to_nearest(self, origins: FloatArray, targets: FloatArray) -> FloatArray:
        """Walking distance from each origin to its nearest target.

        Origins and targets snap to their nearest edge. An origin's distance is its offset
        to the edge, plus the way along the edge to one of its end nodes, plus the network
        distance from that node to the nearest target (which in turn includes the target's
        way along its edge and its offset); the shorter of the two end nodes counts. An
        origin and a target on the same edge may also meet along the edge directly.

        Parameters
        ----------
        origins
            ``(n, 2)`` coordinates in EPSG:25832.
        targets
            ``(m, 2)`` coordinates in EPSG:25832.

        Returns
        -------
        numpy.ndarray
            ``n`` distances in metres; infinite without targets or when unreachable.
        """
        origins = np.asarray(origins, dtype=np.float64).reshape(-1, 2)
        targets = np.asarray(targets, dtype=np.float64).reshape(-1, 2)
        if len(targets) == 0 or len(self._lines) == 0:
            return np.full(len(origins), np.inf)
        key = _digest(origins, targets)
        cached = self._results.get(key)
        if cached is not None:
            return cached.copy()
        to_target = self.snap(targets)
        node_dist = self._node_distances(to_target)
        start = self.snap(origins)
        e = start.edge
        via_u = start.along + node_dist[self._u[e]]
        via_v = (self._length[e] - start.along) + node_dist[self._v[e]]
        result = start.offset + np.minimum(np.minimum(via_u, via_v), _same_edge(start, to_target))
        _remember(self._results, key, result.copy())
        return result

    def node_distances(self, targets: FloatArray) -> FloatArray:
        """Distance of every node to its nearest target (the target's snap way included).

        Parameters
        ----------
        targets
            ``(m, 2)`` coordinates in EPSG:25832.

        Returns
        -------
        numpy.ndarray
            One distance per node, metres.
        """
        return self._node_distances(self.snap(targets))

    def _node_distances(self, snapped: EdgeSnap) -> FloatArray:
        """One Dijkstra run from a virtual source joined to both end nodes of each target edge."""
        e = snapped.edge
        nodes = np.concatenate([self._u[e], self._v[e]])
        weights = np.concatenate(
            [snapped.offset + snapped.along, snapped.offset + self._length[e] - snapped.along]
        )
        graph = with_super_source(self._graph, nodes, weights)
        dist = dijkstra(graph, directed=True, indices=[self.node_count], min_only=True)
        return np.asarray(dist, dtype=np.float64)[: self.node_count]


def _same_edge(start: EdgeSnap, targets: EdgeSnap) -> FloatArray:
    """Per origin: the shortest way along its own edge to a target on that edge (else inf)."""
    out = np.full(len(start.edge), np.inf)
    on_edge = np.isin(start.edge, targets.edge)
    if not on_edge.any():
        return out
    origins = pd.DataFrame(
        {"i": np.flatnonzero(on_edge), "edge": start.edge[on_edge], "a": start.along[on_edge]}
    )
    ends = pd.DataFrame({"edge": targets.edge, "b": targets.along, "off": targets.offset})
    pairs = origins.merge(ends, on="edge")
    pairs["d"] = (pairs["a"] - pairs["b"]).abs() + pairs["off"]
    best = pairs.groupby("i")["d"].min()
    out[best.index.to_numpy(dtype=np.int64)] = best.to_numpy(dtype=np.float64)
    return out


def _digest(*arrays: FloatArray) -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    for array in arrays:
        digest.update(np.ascontiguousarray(array).tobytes())
        digest.update(b"|")
    return digest.digest()


def _remember(store: dict[bytes, Any], key: bytes, value: object) -> None:
    store[key] = value
    while len(store) > 16:  # the oldest go first
        store.pop(next(iter(store)), None)


def edge_lines(
    node_xy: FloatArray, u: IntArray, v: IntArray, shapes: GeomArray | None
) -> GeomArray:
    """Line of every edge: its shape, or the straight line from node ``u`` to node ``v``.

    Parameters
    ----------
    node_xy
        ``(n, 2)`` node coordinates.
    u, v
        Edge end points (node positions).
    shapes
        Shapes (``None`` entries: straight), or ``None`` for all straight.

    Returns
    -------
    numpy.ndarray
        shapely LineStrings.
    """
    lines = np.empty(len(u), dtype=object)
    straight = np.ones(len(u), dtype=bool)
    if shapes is not None:
        given = np.asarray(shapes, dtype=object).reshape(-1)
        straight = shapely.is_missing(given)
        lines[~straight] = given[~straight]
    if straight.any():
        ends = np.stack([node_xy[u[straight]], node_xy[v[straight]]], axis=1)
        lines[straight] = shapely.linestrings(ends)
    return lines


def undirected_csr(n: int, u: IntArray, v: IntArray, length: FloatArray) -> csr_array:
    """Symmetric sparse adjacency matrix, keeping the shortest of parallel edges.

    ``networkx.to_scipy_sparse_array`` would add up parallel edges, which is wrong for
    shortest paths. The matrix has one extra row and column for a virtual source
    (see :func:`with_super_source`); self-loops are dropped.

    Parameters
    ----------
    n
        Number of nodes.
    u, v
        Edge end points (node positions).
    length
        Edge lengths in metres.

    Returns
    -------
    scipy.sparse.csr_array
        ``(n + 1, n + 1)`` matrix; the last row and column are empty.
    """
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    w = np.maximum(np.asarray(length, dtype=np.float64), MIN_EDGE_M)
    keep = u != v
    rows = np.concatenate([u[keep], v[keep]])
    cols = np.concatenate([v[keep], u[keep]])
    weights = np.concatenate([w[keep], w[keep]])
    order = np.lexsort((weights, cols, rows))  # by row, then column, shortest first
    rows, cols, weights = rows[order], cols[order], weights[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
    rows, cols, weights = rows[first], cols[first], weights[first]
    indptr = np.zeros(n + 2, dtype=np.int64)
    np.add.at(indptr, rows + 1, 1)
    return csr_array((weights, cols, np.cumsum(indptr)), shape=(n + 1, n + 1))


def with_super_source(graph: csr_array, nodes: IntArray, weights: FloatArray) -> csr_array:
    """The graph with edges from its last (virtual) node to the given nodes.

    Parameters
    ----------
    graph
        Matrix from :func:`undirected_csr` (empty last row).
    nodes
        Target node positions.
    weights
        Edge weights (the targets' snap distances); the smallest counts per node.

    Returns
    -------
    scipy.sparse.csr_array
        A new matrix sharing nothing with the input.
    """
    frame = pd.DataFrame({"node": np.asarray(nodes), "w": np.asarray(weights, dtype=np.float64)})
    best = frame.groupby("node")["w"].min()
    extra_cols = best.index.to_numpy(dtype=np.int64)
    extra_w = np.maximum(best.to_numpy(dtype=np.float64), MIN_EDGE_M)
    indptr = graph.indptr.astype(np.int64).copy()
    indptr[-1] += len(extra_cols)
    indices = np.concatenate([graph.indices.astype(np.int64), extra_cols])
    data = np.concatenate([graph.data, extra_w])
    return csr_array((data, indices, indptr), shape=graph.shape)


def encode_shapes(lines: GeomArray) -> pa.ListArray:
    """Inner vertices of edge lines as centimetre steps, for ``shape_cm``.

    Each edge stores ``[dx1, dy1, dx2, dy2, …]``: the step from the previous vertex to each
    inner vertex in whole centimetres (the first from the line's start, node ``u``); the end
    is node ``v``. Small integers compress well: about a third of the size of WKB. Straight
    lines (no inner vertex) and missing lines are stored as null.

    Parameters
    ----------
    lines
        One LineString (or ``None``) per edge, running from ``u`` to ``v``.

    Returns
    -------
    pyarrow.ListArray
        ``list<int32>`` per edge.
    """
    lines = np.asarray(lines, dtype=object).reshape(-1)
    coords, index = shapely.get_coordinates(lines, return_index=True)
    counts = np.bincount(index, minlength=len(lines))
    first = np.cumsum(counts) - counts
    cm = np.round(coords * SHAPE_SCALE).astype(np.int64)
    inner = np.ones(len(coords), dtype=bool)
    inner[first[counts > 0]] = False
    inner[(first + counts - 1)[counts > 0]] = False
    steps = np.zeros_like(cm)
    steps[1:] = cm[1:] - cm[:-1]
    values = steps[inner].reshape(-1).astype(np.int32)
    inner_count = np.maximum(counts - 2, 0)
    offsets = np.zeros(len(lines) + 1, dtype=np.int32)
    offsets[1:] = np.cumsum(2 * inner_count)
    return pa.ListArray.from_arrays(
        pa.array(offsets, pa.int32()), pa.array(values, pa.int32()), mask=pa.array(inner_count == 0)
    )


def decode_shapes(
    node_xy: FloatArray, u: IntArray, v: IntArray, steps: pa.Array | pa.ChunkedArray
) -> GeomArray:
    """Edge lines from ``shape_cm`` (see :func:`encode_shapes`) and the node coordinates.

    Parameters
    ----------
    node_xy
        ``(n, 2)`` node coordinates.
    u, v
        Edge end points (node positions).
    steps
        ``list<int>`` per edge; null for straight edges.

    Returns
    -------
    numpy.ndarray
        One LineString per edge, from ``u`` to ``v``.
    """
    if isinstance(steps, pa.ChunkedArray):
        steps = steps.combine_chunks()
    if not (pa.types.is_list(steps.type) and pa.types.is_integer(steps.type.value_type)):
        msg = f"column {SHAPE_COLUMN!r} must hold lists of integers, not {steps.type}"
        raise ValueError(msg)
    sizes = steps.value_lengths().fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    if (sizes % 2).any():
        msg = f"column {SHAPE_COLUMN!r} has a list of odd length (x and y steps expected)"
        raise ValueError(msg)
    inner = sizes // 2
    flat = steps.flatten().to_numpy(zero_copy_only=False).astype(np.float64)
    step_xy = flat.reshape(-1, 2) / SHAPE_SCALE
    edge_of_inner = np.repeat(np.arange(len(inner)), inner)
    walked = np.cumsum(step_xy, axis=0)
    inner_start = np.cumsum(inner) - inner
    before = np.zeros((len(inner), 2))  # the running sum before each edge's first step
    has = inner > 0
    before[has] = walked[inner_start[has]] - step_xy[inner_start[has]]
    inner_xy = node_xy[u][edge_of_inner] + walked - before[edge_of_inner]
    points = inner + 2
    point_start = np.cumsum(points) - points
    coords = np.empty((int(points.sum()), 2))
    coords[point_start] = node_xy[u]
    coords[point_start + points - 1] = node_xy[v]
    rank = np.arange(len(edge_of_inner)) - inner_start[edge_of_inner]
    coords[point_start[edge_of_inner] + 1 + rank] = inner_xy
    lines = shapely.linestrings(coords, indices=np.repeat(np.arange(len(points)), points))
    return np.asarray(lines, dtype=object).reshape(-1)


def load_walk_network(imports_dir: Path) -> WalkNetwork | None:
    """The imported walking network, or ``None`` if none has been imported.

    An import without edge shapes (made by an earlier version) still loads: its edges count
    as straight lines, and ``meta["note"]`` says how to get the true shapes.

    Parameters
    ----------
    imports_dir
        The imports folder.

    Returns
    -------
    WalkNetwork or None
        The network.
    """
    folder = imports_dir / NETWORK_DIR
    if not folder.is_dir():
        return None
    nodes = _read_parquet(folder / NODES_FILE, ("id", "x", "y"))
    edges_path = folder / EDGES_FILE
    edges = _read_parquet(edges_path, ("u", "v", "length"), optional=(SHAPE_COLUMN,))
    meta_path = folder / META_FILE
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    except (OSError, ValueError) as exc:
        raise DataSourceError(meta_path, f"not a readable JSON file ({exc})") from exc
    ids = pd.Index(nodes["id"].to_numpy())
    u = ids.get_indexer(edges["u"].to_numpy()).astype(np.int64)
    v = ids.get_indexer(edges["v"].to_numpy()).astype(np.int64)
    if (u < 0).any() or (v < 0).any():
        raise DataSourceError(edges_path, "has edges whose nodes are missing")
    xy = np.column_stack([_floats(nodes, "x"), _floats(nodes, "y")]).reshape(-1, 2)
    shapes = None
    if SHAPE_COLUMN in edges.column_names:
        try:
            shapes = decode_shapes(xy, u, v, edges[SHAPE_COLUMN])
        except (ValueError, pa.ArrowException) as exc:
            raise DataSourceError(edges_path, f"{exc}: import the walking network again") from exc
    else:
        meta.setdefault("note", STRAIGHT_NOTE)
    return WalkNetwork(xy, u, v, _floats(edges, "length"), meta=meta, shapes=shapes)


def _floats(table: pa.Table, column: str) -> FloatArray:
    return np.asarray(table[column].to_numpy(), dtype=np.float64)


def _read_parquet(path: Path, columns: tuple[str, ...], optional: tuple[str, ...] = ()) -> pa.Table:
    if not path.is_file():
        raise DataSourceError(path, "file missing: import the walking network again")
    try:
        table = pq.read_table(path)
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise DataSourceError(path, f"not a readable Parquet file ({exc})") from exc
    missing = [c for c in columns if c not in table.column_names]
    if missing:
        raise DataSourceError(path, f"missing column(s) {', '.join(map(repr, missing))}")
    return table.select([*columns, *(c for c in optional if c in table.column_names)])


# ---------------------------------------------------------------- building and saving


def _values(value: object) -> list[str]:
    """Tag values of an edge attribute (simplified edges may hold a list)."""
    if value is None:
        return []
    if isinstance(value, list | tuple | set):
        return [str(x) for x in value]
    return [str(value)]


def is_walkable(attrs: dict[str, Any]) -> bool:
    """Whether people may walk along an edge, judged by its OSM tags.

    Only ``highway`` ways count. Never walkable: :data:`NEVER_WALKABLE` (motorways, busways,
    ways not built) and ``foot=no``/``use_sidepath``. Walkable only with ``foot=yes``,
    ``designated`` or ``permissive``: :data:`FOOT_ONLY_IF_ALLOWED` (trunk roads, cycleways,
    bridleways) and ways closed by :data:`CLOSING_TAGS` (``access=private``/``no``,
    ``motorroad=yes``). Everything else with a ``highway`` tag is walkable.

    Parameters
    ----------
    attrs
        Edge attributes of an osmnx graph (a simplified edge may hold lists of values).

    Returns
    -------
    bool
        True if walkable.
    """
    highway = _values(attrs.get("highway"))
    if not highway or any(h in NEVER_WALKABLE for h in highway):
        return False
    foot = _values(attrs.get("foot"))
    if any(f in FOOT_FORBIDDEN for f in foot):
        return False
    if any(f in FOOT_ALLOWED for f in foot):
        return True
    if any(h in FOOT_ONLY_IF_ALLOWED for h in highway):
        return False
    return not any(
        value in closing
        for key, closing in CLOSING_TAGS.items()
        for value in _values(attrs.get(key))
    )


def overpass_filter() -> str:
    """The Overpass way filter of the online download, derived from :func:`is_walkable`.

    It asks for ``highway`` ways without a value of :data:`NEVER_WALKABLE` and without a
    ``foot`` value of :data:`FOOT_FORBIDDEN` (a missing tag passes ``!~``). Those ways fail
    :func:`is_walkable` whatever their other tags; the rest of the rule needs an "or" that
    one Overpass filter cannot express, so :func:`is_walkable` decides after the download,
    exactly as for an OSM extract.

    Returns
    -------
    str
        Filter for ``osmnx.graph_from_polygon(custom_filter=...)``.
    """
    never = "|".join(sorted(NEVER_WALKABLE))
    forbidden = "|".join(sorted(FOOT_FORBIDDEN))
    return f'["highway"]["highway"!~"^({never})$"]["foot"!~"^({forbidden})$"]'


def walkable_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Keep walkable edges, the largest connected part, simplify and project to EPSG:25832.

    Parameters
    ----------
    G
        Unsimplified osmnx graph in WGS84 (one edge per OSM way segment, so every edge is
        judged by the tags of its own way).

    Returns
    -------
    networkx.MultiDiGraph
        The projected walking graph.
    """
    import osmnx as ox  # noqa: PLC0415  (0.6 s to import: only when building a network)

    drop = [(u, v, k) for u, v, k, data in G.edges(keys=True, data=True) if not is_walkable(data)]
    G = G.copy()
    G.remove_edges_from(drop)
    G.remove_nodes_from([n for n, degree in dict(G.degree()).items() if degree == 0])
    if G.number_of_edges() == 0:
        return G
    G = ox.truncate.largest_component(G, strongly=False)
    G = ox.simplify_graph(G)
    return ox.project_graph(G, to_crs=ANALYSIS_CRS)


def graph_tables(G: nx.MultiDiGraph) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Node and edge tables of a projected graph, one row per undirected edge.

    osmnx stores every street twice (``u → v`` and ``v → u``, the second with the reversed
    line); the twin is dropped. Parallel edges with different lines stay. Every ``shape``
    runs from ``u`` to ``v``; straight edges (no osmnx ``geometry`` or just two points) have
    none.

    Parameters
    ----------
    G
        Projected graph (node attributes ``x``, ``y``; edge attributes ``length`` and, where
        simplified, ``geometry``).

    Returns
    -------
    tuple
        Nodes ``(id, x, y)`` and edges ``(u, v, length, shape)``.
    """
    ids = np.fromiter((int(n) for n in G.nodes), dtype=np.int64, count=G.number_of_nodes())
    nodes = pd.DataFrame(
        {
            "id": ids,
            "x": [float(d["x"]) for _, d in G.nodes(data=True)],
            "y": [float(d["y"]) for _, d in G.nodes(data=True)],
        }
    )
    rows = [
        (int(u), int(v), float(d["length"]), d.get("geometry")) for u, v, d in G.edges(data=True)
    ]
    edges = pd.DataFrame(rows, columns=["u", "v", "length", "shape"]).astype(
        {"u": "int64", "v": "int64", "length": "float64"}
    )
    shape = np.empty(len(rows), dtype=object)
    shape[:] = [row[3] for row in rows]
    has = ~shapely.is_missing(shape)
    has[has] = shapely.get_num_points(shape[has]) > 2
    shape[~has] = None
    # lines start at node u: turn round any that osmnx stored the other way
    xy = nodes.set_index("id")[["x", "y"]]
    u_xy = xy.loc[edges["u"]].to_numpy()
    v_xy = xy.loc[edges["v"]].to_numpy()
    starts = shapely.points(shapely.get_coordinates(shapely.get_point(shape[has], 0)))
    flip = np.zeros(len(shape), dtype=bool)
    flip[has] = shapely.distance(starts, shapely.points(v_xy[has])) < shapely.distance(
        starts, shapely.points(u_xy[has])
    )
    shape[flip] = shapely.reverse(shape[flip])
    edges["shape"] = shape
    # the reversed twin has the same end nodes, length and (normalised) line
    canonical = np.full(len(shape), b"", dtype=object)
    canonical[has] = shapely.to_wkb(shapely.normalize(shape[has]))
    key = pd.DataFrame(
        {
            "a": np.minimum(edges["u"], edges["v"]),
            "b": np.maximum(edges["u"], edges["v"]),
            "length": edges["length"].round(3),
            "line": canonical,
        }
    )
    return nodes, edges[~key.duplicated()].reset_index(drop=True)


def write_tables(folder: Path, nodes: pd.DataFrame, edges: pd.DataFrame) -> None:
    """Write the node and edge tables (format 2) into a folder.

    Parameters
    ----------
    folder
        Target folder (it must exist).
    nodes
        ``id``, ``x``, ``y``.
    edges
        ``u``, ``v``, ``length`` and ``shape`` (LineString from ``u`` to ``v`` or ``None``).
    """
    table = pa.table(
        {
            "u": pa.array(edges["u"].to_numpy(), pa.int64()),
            "v": pa.array(edges["v"].to_numpy(), pa.int64()),
            "length": pa.array(edges["length"].to_numpy(), pa.float64()),
            SHAPE_COLUMN: encode_shapes(edges["shape"].to_numpy()),
        }
    )
    nodes[["id", "x", "y"]].to_parquet(folder / NODES_FILE, index=False)
    pq.write_table(table, folder / EDGES_FILE, compression="zstd")


def save_network(G: nx.MultiDiGraph, imports_dir: Path, source: str) -> str:
    """Write a projected walking graph into ``<imports>/walk_network/`` (all or nothing).

    Parameters
    ----------
    G
        Projected walking graph.
    imports_dir
        The imports folder.
    source
        Where it came from, for ``meta.json``.

    Returns
    -------
    str
        One-line summary.
    """
    nodes, edges = graph_tables(G)
    final = imports_dir / NETWORK_DIR
    meta = {
        "source": source,
        "licence": LICENCE,
        "crs": ANALYSIS_CRS,
        "format": FORMAT,
        "nodes": len(nodes),
        "edges": len(edges),
        "length_km": round(float(edges["length"].sum()) / 1000.0, 1),
        "method": "osmnx; walkable highway ways only (no motorway; trunk, cycleway and "
        "bridleway only with foot=yes/designated/permissive; no foot=no, access=private/no or "
        "motorroad=yes without such a foot tag); largest connected part; simplified; "
        "edges with their OSM shape",
    }
    with replacing_folder(final) as tmp:
        write_tables(tmp, nodes, edges)
        (tmp / META_FILE).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return (
        f"walking network from {source}: {len(nodes):,} nodes, {len(edges):,} edges, "
        f"{meta['length_km']:,} km ({LICENCE}) → {final}"
    )


@contextmanager
def _osm_tags_with_foot() -> Iterator[None]:
    """Let osmnx keep the tags of :data:`WALK_TAGS` on edges (``foot`` is not kept by default).

    Also switches the HTTP cache off.
    """
    import osmnx as ox  # noqa: PLC0415  (0.6 s to import: only when building a network)

    saved = (list(ox.settings.useful_tags_way), ox.settings.use_cache)
    ox.settings.useful_tags_way = list(dict.fromkeys([*saved[0], *WALK_TAGS]))
    ox.settings.use_cache = False
    try:
        yield
    finally:
        ox.settings.useful_tags_way, ox.settings.use_cache = saved


def import_osm(path: Path, imports_dir: Path) -> str:
    """Import an OSM XML extract (``.osm``, ``.osm.bz2``, ``.osm.gz``) as the walking network.

    Parameters
    ----------
    path
        The extract; it must hold every node of its ways (``osmium extract -s complete_ways``).
    imports_dir
        The imports folder.

    Returns
    -------
    str
        One-line summary.
    """
    import osmnx as ox  # noqa: PLC0415  (0.6 s to import: only when building a network)

    if not path.is_file():
        raise DataSourceError(path, "file not found")
    if path.suffix.lower() not in OSM_SUFFIXES:
        raise DataSourceError(path, "not an OSM XML file (.osm, .osm.bz2 or .osm.gz expected)")
    try:
        with _osm_tags_with_foot():
            raw = ox.graph_from_xml(path, bidirectional=True, simplify=False, retain_all=True)
    except (ParseError, SAXException, OSError, EOFError, ValueError, KeyError, TypeError) as exc:
        raise DataSourceError(path, f"not a readable OSM XML file ({exc})") from exc
    G = walkable_graph(raw)
    if G.number_of_edges() == 0:
        raise DataSourceError(path, "holds no walkable ways (highway=*)")
    return save_network(G, imports_dir, path.name)


def fetch_osm(geodata_dir: Path, imports_dir: Path) -> str:
    """Download the walking network of the district plus 2 km with osmnx (needs internet).

    The download asks Overpass for :func:`overpass_filter` and comes unsimplified, so that
    :func:`walkable_graph` applies the same rule to the same ways as :func:`import_osm`.

    Parameters
    ----------
    geodata_dir
        Snapshot folder (for the district boundary).
    imports_dir
        The imports folder.

    Returns
    -------
    str
        One-line summary.
    """
    import osmnx as ox  # noqa: PLC0415  (0.6 s to import: only when building a network)

    kreis = read_layer("kreis", geodata_dir)
    area = kreis.geometry.buffer(FETCH_MARGIN_M).to_crs("EPSG:4326").union_all()
    try:
        with _osm_tags_with_foot():
            raw = ox.graph_from_polygon(
                area,
                network_type="walk",  # only for osmnx's bidirectional edges: the filter decides
                custom_filter=overpass_filter(),
                simplify=False,
                retain_all=True,
            )
    except (OSError, ValueError) as exc:
        raise DataSourceError(ox.settings.overpass_url, f"download failed ({exc})") from exc
    G = walkable_graph(raw)
    if G.number_of_edges() == 0:
        raise DataSourceError(ox.settings.overpass_url, "returned no walkable ways")
    return save_network(G, imports_dir, "OpenStreetMap via Overpass API (osmnx)")
