"""Benchmark of scenarios: a one-edit scenario compared with today, against recomputing all.

For each edit type, a scenario with that one edit is made afresh (so nothing of an earlier
run is cached for it) and compared with the baseline the way the compare page does: the
baseline table is computed once, then only the indicators that read a changed layer are
recomputed (:func:`kek_geo.scenario.compare.scenario_table`). The naive way recomputes every
indicator over the scenario. Both must give the same table. Median of several runs.

Run with ``.venv/bin/python bench/bench_scenario.py``; writes bench/results/scenario.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

import pandas as pd
from shapely.geometry import Point, box

from kek_geo.indicators import compute_table, indicators_for
from kek_geo.scenario.apply import ScenarioSource
from kek_geo.scenario.compare import dependencies, scenario_table
from kek_geo.scenario.model import (
    AddSchool,
    AddStop,
    BroadbandTarget,
    BuildingArea,
    Edit,
    RemoveStop,
    Scenario,
)
from kek_geo.settings import REPO_ROOT, get_settings
from kek_geo.snapshot import Snapshot

RESULTS = REPO_ROOT / "bench" / "results"

EDITS: dict[str, Callable[[Snapshot], Edit]] = {
    "add_stop": lambda _s: AddStop(Point(8.48545, 52.11119), "bus", "Neu"),
    "remove_stop": lambda s: RemoveStop(str(s.geo("stops")["stop_id"].iloc[-1])),
    "building_area": lambda _s: BuildingArea(box(8.5500, 52.1500, 8.5560, 52.1540), 120),
    "broadband": lambda _s: BroadbandTarget("households", 1000, 95.0, ags="05758028"),
    "add_school": lambda _s: AddSchool(Point(8.62, 52.13), "Grundschule", "Neu"),
}


def median_seconds(func: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    settings = get_settings()
    snap = Snapshot(settings.geodata_dir, settings.imports_dir).load_all()
    inds = indicators_for()
    baseline = compute_table(snap, inds)
    start = time.perf_counter()
    dependencies(snap)
    deps_s = time.perf_counter() - start
    results: dict[str, object] = {"dependencies_once_s": round(deps_s, 4), "edits": {}}
    print(f"dependencies of {len(inds)} indicators, once per process: {deps_s:.3f} s")
    for kind, make in EDITS.items():
        edit = make(snap)

        def fresh(edit: Edit = edit, kind: str = kind) -> Scenario:
            return Scenario(kind, edits=(edit,))

        fast_table = scenario_table(snap, fresh(), inds, baseline=baseline)
        naive_table = compute_table(ScenarioSource(snap, fresh()), inds)
        pd.testing.assert_frame_equal(fast_table, naive_table)
        fast = median_seconds(
            lambda: scenario_table(snap, fresh(), inds, baseline=baseline), args.runs
        )
        naive = median_seconds(
            lambda: compute_table(ScenarioSource(snap, fresh()), inds), args.runs
        )
        print(f"{kind:<14} {fast:.3f} s  (all indicators: {naive:.3f} s, {naive / fast:.1f}×)")
        results["edits"][kind] = {  # type: ignore[index]
            "median_s": round(fast, 4),
            "naive_median_s": round(naive, 4),
            "ratio": round(naive / fast, 2),
            "runs": args.runs,
        }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "scenario.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
