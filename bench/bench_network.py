"""Benchmark of the walking network on a synthetic district-size graph (no OSM data needed).

A jittered 200 x 200 street grid (120 m blocks, 15 % of the edges removed, most edges bent
with up to 12 inner vertices) stands in for the district's simplified OSM graph. Measured:

1. Size of ``edges.parquet``: the old layout (every edge in both directions, no shapes), the
   current one (one row per edge, inner vertices as centimetre steps) and, for comparison,
   the same with the shapes as WKB.
2. Loading the network (Parquet, decoding the shapes, the sparse matrix and the R-tree).
3. ``distance_to_nearest`` for 9,422 origins (as many as the settled 100 m cells) and 300
   targets: cold (a fresh network object) and with the origins' snaps already known.
4. How far snapping to the nearest node is off compared with snapping to the nearest edge.

Run with ``.venv/bin/python bench/bench_network.py``; writes bench/results/network.json.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from kek_geo.analysis.network import (
    EDGES_FILE,
    NETWORK_DIR,
    WalkNetwork,
    load_walk_network,
    undirected_csr,
    with_super_source,
    write_tables,
)
from kek_geo.settings import REPO_ROOT

RESULTS = REPO_ROOT / "bench" / "results"
ORIGINS = 9422
TARGETS = 300


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def synthetic_network(side: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes and edges (with bent shapes) of a jittered grid in EPSG:25832."""
    rng = np.random.default_rng(seed)
    gx, gy = np.meshgrid(np.arange(side) * 120.0 + 470_000, np.arange(side) * 120.0 + 5_770_000)
    xy = np.column_stack([gx.ravel(), gy.ravel()]) + rng.normal(0, 10, (side * side, 2))
    idx = np.arange(side * side).reshape(side, side)
    u = np.concatenate([idx[:, :-1].ravel(), idx[:-1, :].ravel()])
    v = np.concatenate([idx[:, 1:].ravel(), idx[1:, :].ravel()])
    keep = rng.random(len(u)) > 0.15
    u, v = u[keep], v[keep]
    inner = rng.choice([0, 0, 0, 1, 2, 3, 5, 8, 12], len(u))
    shapes = np.empty(len(u), dtype=object)
    for i, (a, b, k) in enumerate(zip(u, v, inner, strict=True)):
        if k:
            t = np.linspace(0, 1, k + 2)[1:-1, None]
            bend = xy[a] + t * (xy[b] - xy[a]) + rng.normal(0, 8, (k, 2))
            shapes[i] = shapely.LineString(np.vstack([xy[a], bend, xy[b]]))
    straight = shapely.length(shapely.linestrings(np.stack([xy[u], xy[v]], axis=1)))
    length = np.where(inner > 0, shapely.length(shapes), straight) * 1.0004  # sphere vs UTM
    nodes = pd.DataFrame(
        {"id": np.arange(side * side, dtype=np.int64), "x": xy[:, 0], "y": xy[:, 1]}
    )
    edges = pd.DataFrame({"u": u, "v": v, "length": length, "shape": shapes})
    return nodes, edges


def parquet_size(table: pa.Table, compression: str = "snappy") -> int:
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression=compression)
    return len(buffer.getvalue())


def node_snapped(
    net: WalkNetwork, edges: pd.DataFrame, origins: np.ndarray, targets: np.ndarray
) -> np.ndarray:
    """The former method: origins and targets to their nearest node, straight snap added."""
    graph = undirected_csr(
        net.node_count, edges["u"].to_numpy(), edges["v"].to_numpy(), edges["length"].to_numpy()
    )
    tree = cKDTree(net.node_xy)
    t_dist, t_node = tree.query(targets)
    dist = dijkstra(
        with_super_source(graph, t_node, t_dist), indices=[net.node_count], min_only=True
    )
    o_dist, o_node = tree.query(origins)
    return np.asarray(o_dist + dist[o_node])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--side", type=int, default=200)
    args = parser.parse_args()
    nodes, edges = synthetic_network(args.side, seed=1)
    rng = np.random.default_rng(2)
    lo, hi = nodes[["x", "y"]].min().to_numpy(), nodes[["x", "y"]].max().to_numpy()
    origins = rng.uniform(lo, hi, (ORIGINS, 2))
    targets = rng.uniform(lo, hi, (TARGETS, 2))
    results: dict[str, object] = {"nodes": len(nodes), "edges": len(edges)}

    base = {
        "u": edges["u"].to_numpy(),
        "v": edges["v"].to_numpy(),
        "length": edges["length"].to_numpy(),
    }
    old = pa.table(
        {
            k: np.concatenate([base[k], base[j]])
            for k, j in (("u", "v"), ("v", "u"), ("length", "length"))
        }
    )
    wkb = shapely.to_wkb(edges["shape"].to_numpy())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / NETWORK_DIR
        folder.mkdir()
        write_tables(folder, nodes, edges)
        sizes = {
            "old layout (both directions, no shapes)": parquet_size(old),
            "current (shape_cm, zstd)": (folder / EDGES_FILE).stat().st_size,
            "for comparison: shapes as WKB, zstd": parquet_size(
                pa.table({**base, "wkb": pa.array(list(wkb), pa.binary())}), "zstd"
            ),
        }
        results["edges.parquet bytes"] = sizes
        for name, size in sizes.items():
            print(f"edges.parquet, {name}: {size / 1e6:.2f} MB")
        load = median_time(lambda: load_walk_network(Path(tmp)), args.runs)
        results["load seconds"] = load
        print(f"load {len(edges):,} edges: {load * 1000:.0f} ms")

        def cold() -> float:
            net = load_walk_network(Path(tmp))
            assert net is not None
            start = time.perf_counter()
            net.distance_to_nearest(origins, targets)
            return time.perf_counter() - start

        cold_times = [cold() for _ in range(args.runs)]
        net = load_walk_network(Path(tmp))
        assert net is not None
        net.distance_to_nearest(origins, targets)
        shifted = targets + 1.0  # new targets, origins' snaps known
        warm = median_time(
            lambda: net.distance_to_nearest(origins, shifted + rng.normal(0, 1, shifted.shape)),
            args.runs,
        )
    results["distance_to_nearest seconds"] = {
        "cold": statistics.median(cold_times),
        "new targets": warm,
    }
    print(
        f"distance_to_nearest, {ORIGINS:,} origins, {TARGETS} targets: cold "
        f"{statistics.median(cold_times) * 1000:.0f} ms, new targets {warm * 1000:.0f} ms"
    )
    by_edge = net.distance_to_nearest(origins, targets)
    by_node = node_snapped(net, edges, origins, targets)
    ok = np.isfinite(by_edge) & np.isfinite(by_node)
    diff = by_node[ok] - by_edge[ok]
    results["node minus edge snapping, metres"] = {
        "mean": float(diff.mean()),
        "median": float(np.median(diff)),
        "p95": float(np.percentile(diff, 95)),
        "share more than 50 m": float((np.abs(diff) > 50).mean()),
    }
    print(
        f"node minus edge snapping: mean {diff.mean():.1f} m, median {np.median(diff):.1f} m, "
        f"95th percentile {np.percentile(diff, 95):.1f} m"
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "network.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
