"""Benchmark of the Daseinsvorsorge figures and of a build for a fetched district.

1. The share of residents within 1,000 m of a service, for the 9,422 settled 100 m cells of
   the Herford snapshot: KEK Geo's way (one k-d tree query for all cells) against the naive
   way (for each cell, the distance to every service with shapely, then the minimum). Targets:
   the 1,644 stops of the snapshot (a large kind) and the 33 Lidl supermarkets of the data
   pack's OSM sample (a small kind; the sample is only a format example, used here for speed).
2. The whole Daseinsvorsorge table (eight indicators) with those supermarkets as services,
   cold (no distance remembered) and warm (as on a page's rerun).

Median of several runs. Run with ``.venv/bin/python bench/bench_services.py``; writes
bench/results/services.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from functools import partial

import geopandas as gpd
import numpy as np
import pandas as pd

from kek_geo.analysis import access
from kek_geo.analysis.access import centroids_xy, nearest_distance
from kek_geo.analysis.services import settled_cells
from kek_geo.indicators import compute_table, indicators_for
from kek_geo.settings import ANALYSIS_CRS, REPO_ROOT, get_settings
from kek_geo.snapshot import Snapshot

LIDL = "osm-lidl-overpass/lidl_bbox_herford.geojson"


class WithServices:
    """The snapshot with a services layer of given points (category supermarket)."""

    def __init__(self, base: Snapshot, services: gpd.GeoDataFrame) -> None:
        self.base = base
        self.services = services

    def layer(self, name: str) -> pd.DataFrame:
        return self.services if name == "services" else self.base.layer(name)

    def geo(self, name: str) -> gpd.GeoDataFrame:
        return self.services if name == "services" else self.base.geo(name)

    def extra(self, name: str) -> object:
        return self.base.extra(name)


def median_s(func: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def naive_share(cells: gpd.GeoDataFrame, targets: gpd.GeoSeries, radius: float) -> float:
    """Every cell against every target with shapely, the way a first script would do it."""
    weights = cells["population_est"].to_numpy()
    near = 0.0
    for centre, weight in zip(cells.geometry.centroid, weights, strict=True):
        if min(centre.distance(t) for t in targets) <= radius:
            near += weight
    return float(near / weights.sum() * 100.0)


def fast_share(cells: gpd.GeoDataFrame, targets: gpd.GeoSeries, radius: float) -> float:
    dist = nearest_distance(centroids_xy(cells), centroids_xy(gpd.GeoDataFrame(geometry=targets)))
    weights = cells["population_est"].to_numpy()
    return float(weights[dist <= radius].sum() / weights.sum() * 100.0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    settings = get_settings()
    snap = Snapshot(settings.geodata_dir)
    cells = settled_cells(snap)
    lidl = gpd.read_file(settings.raw_dir / LIDL).to_crs(ANALYSIS_CRS)
    services = gpd.GeoDataFrame(
        {"service_id": lidl["osm_id"].astype(str), "name": "Lidl", "category": "supermarket",
         "in_kreis": True, "ags": pd.NA},
        geometry=lidl.geometry, crs=ANALYSIS_CRS,
    )  # fmt: skip
    stops = snap.geo("stops").geometry
    results: dict[str, object] = {"cells": len(cells), "runs": args.runs}
    for name, targets in (("stops", stops), ("supermarkets", services.geometry)):
        fast = median_s(partial(fast_share, cells, targets, 1000.0), args.runs)
        naive = median_s(partial(naive_share, cells, targets, 1000.0), max(1, args.runs // 2))
        same = np.isclose(fast_share(cells, targets, 1000.0), naive_share(cells, targets, 1000.0))
        results[name] = {"targets": len(targets), "kek_geo_s": round(fast, 4),
                         "naive_s": round(naive, 2), "ratio": round(naive / fast),
                         "same_result": bool(same)}  # fmt: skip
    source = WithServices(snap, services)
    inds = indicators_for("services")

    def cold() -> object:
        access._DISTANCE_MEMO.clear()  # measure without remembered distances
        return compute_table(WithServices(snap, services), inds)

    results["table_cold_s"] = round(median_s(cold, args.runs), 3)
    warm = median_s(lambda: compute_table(WithServices(snap, services), inds), args.runs)
    results["table_warm_s"] = round(warm, 3)
    results["table_kreis"] = compute_table(source, inds).iloc[-1, 1:].round(2).to_dict()
    out = REPO_ROOT / "bench" / "results" / "services.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
