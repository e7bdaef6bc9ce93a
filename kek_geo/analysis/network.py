"""Walking network from OpenStreetMap: distances along streets and paths.

The network is imported once (``kek-geo import-osm`` from an OSM XML extract, or
``kek-geo fetch-osm`` online) and stored as two small Parquet tables in
``<imports>/walk_network/``: nodes ``(id, x, y)`` in EPSG:25832 and edges ``(u, v, length)``.
Loading builds a symmetric sparse matrix (the shortest of parallel edges) and a k-d tree of
the nodes; :meth:`WalkNetwork.distance_to_nearest` then measures every origin's distance to its
nearest target with one Dijkstra run from a virtual source joined to all targets.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import ParseError
from xml.sax import SAXException

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from scipy.sparse import csr_array
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

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

IntArray = npt.NDArray[np.int64]


# ---------------------------------------------------------------- the loaded network


class WalkNetwork:
    """A walking network ready for distance queries (see ``DistanceNetwork`` in ``access``).

    The network is treated as undirected (people walk both ways along one-way streets); of
    parallel edges between two nodes the shortest counts.

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
    """

    def __init__(
        self,
        node_xy: FloatArray,
        u: IntArray,
        v: IntArray,
        length: FloatArray,
        meta: dict[str, Any] | None = None,
    ) -> None:
        self.node_xy = np.asarray(node_xy, dtype=np.float64)
        self.meta = dict(meta or {})
        self._graph = undirected_csr(len(self.node_xy), u, v, length)
        self._tree = cKDTree(self.node_xy)
        self._results: dict[bytes, FloatArray] = {}

    @property
    def node_count(self) -> int:
        """Number of nodes."""
        return len(self.node_xy)

    @property
    def edge_count(self) -> int:
        """Number of undirected edges (parallel edges merged)."""
        return int(self._graph.nnz) // 2

    def snap(self, points: FloatArray) -> tuple[FloatArray, IntArray]:
        """Nearest node of each point and the straight distance to it.

        Parameters
        ----------
        points
            ``(n, 2)`` coordinates in EPSG:25832.

        Returns
        -------
        tuple
            Distances in metres and node positions.
        """
        dist, idx = self._tree.query(np.asarray(points, dtype=np.float64), k=1)
        return np.asarray(dist, dtype=np.float64), np.asarray(idx, dtype=np.int64)

    def distance_to_nearest(self, origins: FloatArray, targets: FloatArray) -> FloatArray:
        """Walking distance from each origin to its nearest target.

        Origins and targets are snapped to their nearest node; the snap distances are added.
        One Dijkstra run from a virtual source, joined to the target nodes by edges of the
        targets' snap distances, gives the distance of every node to its nearest target.

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
        if len(targets) == 0 or self.node_count == 0:
            return np.full(len(origins), np.inf)
        key = _result_key(origins, targets)
        cached = self._results.get(key)
        if cached is not None:
            return cached.copy()
        node_dist = self.node_distances(targets)
        snap_dist, snap_node = self.snap(origins)
        result = snap_dist + node_dist[snap_node]
        self._remember(key, result)
        return result

    def node_distances(self, targets: FloatArray) -> FloatArray:
        """Distance of every node to its nearest target (snap distance of the target included).

        Parameters
        ----------
        targets
            ``(m, 2)`` coordinates in EPSG:25832.

        Returns
        -------
        numpy.ndarray
            One distance per node, metres.
        """
        snap_dist, snap_node = self.snap(targets)
        graph = with_super_source(self._graph, snap_node, snap_dist)
        source = self.node_count
        dist = dijkstra(graph, directed=True, indices=[source], min_only=True)
        return np.asarray(dist, dtype=np.float64)[: self.node_count]

    def _remember(self, key: bytes, result: FloatArray) -> None:
        self._results[key] = result.copy()
        while len(self._results) > 16:  # the oldest go first
            self._results.pop(next(iter(self._results)), None)


def _result_key(origins: FloatArray, targets: FloatArray) -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    digest.update(np.ascontiguousarray(origins).tobytes())
    digest.update(b"|")
    digest.update(np.ascontiguousarray(targets).tobytes())
    return digest.digest()


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


def load_walk_network(imports_dir: Path) -> WalkNetwork | None:
    """The imported walking network, or ``None`` if none has been imported.

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
    edges = _read_parquet(folder / EDGES_FILE, ("u", "v", "length"))
    meta_path = folder / META_FILE
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    except (OSError, ValueError) as exc:
        raise DataSourceError(meta_path, f"not a readable JSON file ({exc})") from exc
    ids = pd.Index(nodes["id"].to_numpy())
    u = ids.get_indexer(edges["u"].to_numpy()).astype(np.int64)
    v = ids.get_indexer(edges["v"].to_numpy()).astype(np.int64)
    if (u < 0).any() or (v < 0).any():
        raise DataSourceError(folder / EDGES_FILE, "has edges whose nodes are missing")
    xy = nodes[["x", "y"]].to_numpy(dtype=np.float64)
    return WalkNetwork(xy, u, v, edges["length"].to_numpy(np.float64), meta)


def _read_parquet(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    if not path.is_file():
        raise DataSourceError(path, "file missing: import the walking network again")
    try:
        table = pq.read_table(path)
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise DataSourceError(path, f"not a readable Parquet file ({exc})") from exc
    missing = [c for c in columns if c not in table.column_names]
    if missing:
        raise DataSourceError(path, f"missing column(s) {', '.join(map(repr, missing))}")
    return table.select(list(columns)).to_pandas()


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
    """Node and edge tables of a projected graph.

    Parameters
    ----------
    G
        Projected graph (node attributes ``x``, ``y``; edge attribute ``length``).

    Returns
    -------
    tuple
        Nodes ``(id, x, y)`` and edges ``(u, v, length)``.
    """
    ids = np.fromiter((int(n) for n in G.nodes), dtype=np.int64, count=G.number_of_nodes())
    nodes = pd.DataFrame(
        {
            "id": ids,
            "x": [float(d["x"]) for _, d in G.nodes(data=True)],
            "y": [float(d["y"]) for _, d in G.nodes(data=True)],
        }
    )
    edge_rows = [(int(u), int(v), float(d["length"])) for u, v, d in G.edges(data=True)]
    edges = pd.DataFrame(edge_rows, columns=["u", "v", "length"]).astype(
        {"u": "int64", "v": "int64", "length": "float64"}
    )
    return nodes, edges


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
        "nodes": len(nodes),
        "edges": len(edges),
        "length_km": round(float(edges["length"].sum()) / 1000.0, 1),
        "method": "osmnx; walkable highway ways only (no motorway; trunk, cycleway and "
        "bridleway only with foot=yes/designated/permissive; no foot=no, access=private/no or "
        "motorroad=yes without such a foot tag); largest connected part; simplified",
    }
    with replacing_folder(final) as tmp:
        nodes.to_parquet(tmp / NODES_FILE, index=False)
        edges.to_parquet(tmp / EDGES_FILE, index=False)
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
