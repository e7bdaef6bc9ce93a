"""Benchmark of the gap analysis: indicators after a threshold change, and stop catchments.

1. Every theme's indicator table recomputed after a threshold change (what a page does when
   a planner moves a slider; no cache involved), median of several runs.
2. The stop catchment over all 100 m cells (share of residents within 600 m of a stop, per
   municipality) with a k-d tree, against the naive geopandas way (buffer every stop, dissolve,
   test which cells fall inside) in the same run; both must give the same numbers.
3. The page interactions whose time the tests used to assert (they now check only behaviour):
   the broadband table recomputed, the settlement table after a change of the core patches,
   the mobility table after a change of the stop radius, and the stop catchments of all cells.

Run with ``.venv/bin/python bench/bench_indicators.py``; writes bench/results/indicators.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import time
from collections.abc import Callable

import pandas as pd

from kek_geo.analysis.access import (
    _CENTROID_MEMO,
    _DISTANCE_MEMO,
    centroids_xy,
    nearest_distance,
    rail_station_points,
    share_by_group,
    stop_points,
)
from kek_geo.analysis.mobility import stop_catchments
from kek_geo.indicators import THEMES, all_defaults, compute_table, indicators_for
from kek_geo.settings import REPO_ROOT, get_settings
from kek_geo.snapshot import Snapshot

RESULTS = REPO_ROOT / "bench" / "results"


def median_time(fn: Callable[[], object], runs: int, *, cold: bool = False) -> float:
    """Median wall time of ``fn`` in seconds (``cold``: forget memoised results first)."""
    times = []
    for _ in range(runs):
        if cold:
            _DISTANCE_MEMO.clear()
            _CENTROID_MEMO.clear()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def changed(params: dict[str, float]) -> dict[str, float]:
    """Every threshold moved by 10 % (a planner's slider change)."""
    return {k: v * 1.1 for k, v in params.items()}


def catchment_kdtree(snap: Snapshot, radius: float) -> pd.Series:
    _CENTROID_MEMO.clear()  # time the centroids too, as the naive way computes them
    cells = snap.geo("grid_100m")
    dist = nearest_distance(centroids_xy(cells), stop_points(snap))
    return share_by_group(cells["population_est"], dist <= radius, cells["ags"])


def catchment_naive(snap: Snapshot, radius: float) -> pd.Series:
    cells = snap.geo("grid_100m")
    stops = snap.geo("stops")
    stops = stops[stops["mode"].isin(["rail", "tram", "bus"])]
    zone = stops.buffer(radius, quad_segs=32).union_all()
    inside = cells.centroid.within(zone).to_numpy()
    return share_by_group(cells["population_est"], inside, cells["ags"])


def interactions(snap: Snapshot, runs: int) -> dict[str, dict[str, float]]:
    """Median times of the interactions the tests used to time, with their old test limits."""
    broadband = indicators_for("broadband")
    settlement = indicators_for("settlement")
    settlement_params = all_defaults(settlement)
    mobility = indicators_for("mobility")
    cores = itertools.cycle((1.0, 2.0, 4.0))
    radii = itertools.cycle((450.0, 500.0, 550.0))
    xy = centroids_xy(snap.geo("grid_100m"))
    stops, rail = stop_points(snap), rail_station_points(snap)
    cases: dict[str, tuple[Callable[[], object], float]] = {
        "broadband table, recomputed": (lambda: compute_table(snap, broadband), 0.3),
        "settlement table, core patches changed": (
            lambda: compute_table(
                snap, settlement, {**settlement_params, "set_core_patches": next(cores)}
            ),
            0.3,
        ),
        "mobility table, stop radius changed": (
            lambda: compute_table(snap, mobility, {"mob_stop_radius_m": next(radii)}),
            0.3,
        ),
        "stop catchments of all cells": (lambda: stop_catchments(xy, stops, rail), 0.05),
    }
    results: dict[str, dict[str, float]] = {}
    print("\n| interaction | median | old test limit |\n|---|---:|---:|")
    for name, (fn, limit) in cases.items():
        fn()  # warm: layers read, distances memoised once per snapshot as in the app
        seconds = median_time(fn, runs)
        results[name] = {"seconds": seconds, "old_test_limit": limit}
        print(f"| {name} | {seconds * 1000:.1f} ms | {limit * 1000:.0f} ms |")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    snap = Snapshot(get_settings().geodata_dir, get_settings().imports_dir).load_all()
    results: dict[str, dict[str, float]] = {}

    print("| theme | indicators | after a threshold change | cold (nothing memoised) |")
    print("|---|---:|---:|---:|")
    for theme in (*THEMES, "all"):
        inds = indicators_for(None if theme == "all" else theme)
        params = changed(all_defaults(inds))
        compute_table(snap, inds, params)  # warm the layers

        def run(inds: list = inds, params: dict = params) -> object:  # type: ignore[type-arg]
            return compute_table(snap, inds, params)

        seconds = median_time(run, args.runs)
        cold = median_time(run, args.runs, cold=True)
        results[f"indicators {theme}"] = {"seconds": seconds, "cold": cold, "count": len(inds)}
        print(f"| {theme} | {len(inds)} | {seconds * 1000:.0f} ms | {cold * 1000:.0f} ms |")

    fast = catchment_kdtree(snap, 600.0)
    slow = catchment_naive(snap, 600.0)
    pd.testing.assert_series_equal(fast.sort_index(), slow.sort_index(), rtol=1e-3, atol=0.05)
    t_fast = median_time(lambda: catchment_kdtree(snap, 600.0), args.runs)
    t_slow = median_time(lambda: catchment_naive(snap, 600.0), args.runs)
    results["catchment 600 m"] = {"kdtree": t_fast, "naive": t_slow, "ratio": t_slow / t_fast}
    print(
        f"\ncatchment over {len(snap.layer('grid_100m')):,} cells, 600 m: k-d tree "
        f"{t_fast * 1000:.1f} ms, buffer-and-overlay {t_slow * 1000:.0f} ms "
        f"({t_slow / t_fast:.0f}× faster); district share {fast['05758']:.1f} %"
    )
    results.update(interactions(snap, args.runs))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "indicators.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
