"""Mobility indicators on a hand-made fixture (values checked by hand) and on the snapshot.

Fixture (EPSG:25832, offsets from x = 470,000, y = 5,780,000; cells are 100 m squares given
by their centre):

* stops: S1 bus at (0, 0), S2 on-demand only at (2000, 0) (does not count), S3 tram at
  (3000, 0); rail station R at (0, 1000).
* Astadt (05758001): c1 (0, 250) 40 people, c2 (0, 550) 20 people, c3 (700, 0) 10 people.
* Bdorf (05758002): c4 (2000, 50) 30 people, c5 (3000, 200) 50 people, c6 (3100, -400) 0
  people (settled, nobody estimated).

Nearest stop: c1 250 m, c2 550 m, c3 700 m, c4 1001.2 m (S3; S2 is on demand), c5 200 m,
c6 412.3 m. Nearest rail station: c1 750 m, c2 450 m, c3 1220.7 m, c4 2214 m, c5 3162 m,
c6 3206 m.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from kek_geo.analysis.access import centroids_xy, rail_station_points, stop_points
from kek_geo.analysis.gtfs import GtfsFeed
from kek_geo.analysis.mobility import (
    NO_CLASS,
    best_class,
    class_shares,
    gap_cells,
    interval_tier,
    station_category,
    stop_catchments,
)
from kek_geo.indicators import compute_table, indicators_for
from kek_geo.indicators.mobility import cell_access, cell_classes
from kek_geo.settings import KREIS_AGS
from kek_geo.snapshot import Snapshot
from tests.helpers import MemorySource, gdf, square

X0, Y0 = 470_000.0, 5_780_000.0
A, B = "05758001", "05758002"
CELLS = [  # (centre x, centre y, ags, estimated residents)
    (0, 250, A, 40.0),
    (0, 550, A, 20.0),
    (700, 0, A, 10.0),
    (2000, 50, B, 30.0),
    (3000, 200, B, 50.0),
    (3100, -400, B, 0.0),
]


def _point(x: float, y: float) -> object:
    return gpd.points_from_xy([X0 + x], [Y0 + y])[0]


def make_source(extras: dict[str, object] | None = None) -> MemorySource:
    cells = gdf(
        [
            {
                "cell_id": f"c{i + 1}",
                "ags": ags,
                "population_est": pop,
                "geometry": square(X0 + x - 50, Y0 + y - 50, 100),
            }
            for i, (x, y, ags, pop) in enumerate(CELLS)
        ]
    )
    stops = gdf(
        [
            {"stop_id": "S1", "mode": "bus", "geometry": _point(0, 0)},
            {"stop_id": "S2", "mode": "on_demand", "geometry": _point(2000, 0)},
            {"stop_id": "S3", "mode": "tram", "geometry": _point(3000, 0)},
        ]
    )
    rail = gdf([{"eva": "1", "geometry": _point(0, 1000)}])
    gemeinden = pd.DataFrame({"ags": [B, A], "name": ["Bdorf", "Astadt"]})
    return MemorySource(
        extras=extras, grid_100m=cells, stops=stops, rail_stations=rail, gemeinden=gemeinden
    )


def feed() -> GtfsFeed:
    """HF (category III, 48 departures a day) at S1, BUS (VII, 19 a day) at S3."""
    stations = pd.DataFrame(
        {
            "station_id": ["HF", "BUS"],
            "name": ["Hbf", "Bus"],
            "x": [X0, X0 + 3000],
            "y": [Y0, Y0],
            "departures_day": [48, 19],
            "departures_window": [46, 19],
            "group": [0, 2],
            "departures_direction": [23.0, 9.5],
            "interval_min": [840 / 23, 840 / 9.5],
            "category": [3, 7],
            "on_demand": [False, True],
        }
    )
    return GtfsFeed(stations, {"service_date": "2025-01-08"})


def table(source: MemorySource, **params: float) -> pd.DataFrame:
    return compute_table(source, indicators_for("mobility"), params)


def test_catchment_shares_of_residents_and_area() -> None:
    t = table(make_source())
    assert t.index.tolist() == [A, B, KREIS_AGS]
    # within 300 m: Astadt c1 = 40 of 70 = 57.1 %; Bdorf c5 = 50 of 80 = 62.5 %;
    # district 90 of 150 = 60 % (from the totals, not the mean 59.8 %)
    assert t["mob_stop_near_pop"].tolist() == pytest.approx([400 / 7, 62.5, 60.0])
    # within 600 m: Astadt c1 + c2 = 60 of 70 = 85.7 %; Bdorf c5 + c6 = 50 of 80 = 62.5 %
    # (c4 is 1,001 m from the tram stop; the on-demand stop beside it does not count);
    # district 110 of 150 = 73.3 %
    assert t["mob_stop_pop"].tolist() == pytest.approx([600 / 7, 62.5, 220 / 3])
    # rail within 1,200 m: c1 (750 m) and c2 (450 m): Astadt 60 of 70, Bdorf 0, district 40 %
    assert t["mob_rail_pop"].tolist() == pytest.approx([600 / 7, 0.0, 40.0])
    # settlement area, 1 ha per cell: 300 m: 1 of 3, 1 of 3, 2 of 6; 600 m: 2/3, 2/3 (c5, c6),
    # 4/6; rail: 2/3, 0, 2/6
    assert t["mob_stop_near_area"].tolist() == pytest.approx([100 / 3] * 3)
    assert t["mob_stop_area"].tolist() == pytest.approx([200 / 3] * 3)
    assert t["mob_rail_area"].tolist() == pytest.approx([200 / 3, 0.0, 100 / 3])


def test_gaps_outside_every_catchment() -> None:
    t = table(make_source())
    # c3 (700 m to a stop, 1,221 m to rail) and c4 (1,001 m, 2,214 m) are in no catchment:
    # Astadt 10 people = 14.3 %, Bdorf 30 = 37.5 %, district 40 of 150 = 26.7 %
    assert t["mob_gap_pop"].tolist() == [10.0, 30.0, 40.0]
    assert t["mob_gap_share"].tolist() == pytest.approx([100 / 7, 37.5, 80 / 3])
    # stop radius 1,100 m: c3 and c4 are now within reach: no gaps
    wide = table(make_source(), mob_stop_radius_m=1100.0)
    assert wide["mob_gap_pop"].tolist() == [0.0, 0.0, 0.0]
    assert wide.loc[B, "mob_stop_pop"] == pytest.approx(100.0)
    # a short radius larger than the standard one still counts: 1,100 m "near" = no gaps
    assert table(make_source(), mob_stop_near_m=1100.0)["mob_gap_pop"].tolist() == [0, 0, 0]


def test_mean_distances_weighted_by_residents() -> None:
    t = table(make_source())
    c4 = math.hypot(1000, 50)  # 1,001.2 m
    # Astadt (40*250 + 20*550 + 10*700) / 70 = 400 m; Bdorf (30*1001.2 + 50*200 + 0) / 80
    # = 500.5 m; district (28,000 + 40,037) / 150 = 453.6 m
    assert t["mob_stop_distance"].tolist() == pytest.approx(
        [400.0, (30 * c4 + 50 * 200) / 80, (28_000 + 30 * c4 + 50 * 200) / 150]
    )
    # rail: Astadt (40*750 + 20*450 + 10*1220.7) / 70 = 731.5 m
    assert t.loc[A, "mob_rail_distance"] == pytest.approx(
        (40 * 750 + 20 * 450 + 10 * math.hypot(700, 1000)) / 70
    )


def test_gtfs_indicators_are_missing_without_a_feed() -> None:
    t = table(make_source())
    for key in ("mob_class_ac_pop", "mob_no_class_pop", "mob_datlas_pop"):
        assert t[key].isna().all(), key
    assert cell_classes(make_source()) is None


def test_quality_classes_with_a_feed() -> None:
    source = make_source({"gtfs": feed()})
    classes = cell_classes(source)
    assert classes is not None
    # HF is category III: c1 250 m -> ring <= 300 -> B; c2 550 m and c3 700 m -> ring <= 750
    # -> D. BUS is category VII: c5 200 m -> F; c6 412 m -> beyond VII's 300 m -> none;
    # c4 is more than 1,000 m from both -> none
    assert classes.tolist() == [1, 3, 3, NO_CLASS, 5, NO_CLASS]
    t = table(source)
    # A–C: Astadt c1 40 of 70 = 57.1 %; Bdorf 0; district 40 of 150 = 26.7 %
    assert t["mob_class_ac_pop"].tolist() == pytest.approx([400 / 7, 0.0, 80 / 3])
    # no class: Astadt 0; Bdorf c4 30 + c6 0 = 30 of 80 = 37.5 %; district 30 of 150 = 20 %
    assert t["mob_no_class_pop"].tolist() == pytest.approx([0.0, 37.5, 20.0])
    shares = class_shares(cell_access(source).population, classes, cell_access(source).ags)
    assert shares.loc[A, ["B", "D"]].tolist() == pytest.approx([400 / 7, 300 / 7])
    assert shares.loc[B, ["F", "none"]].tolist() == pytest.approx([62.5, 37.5])
    assert shares.sum(axis=1).tolist() == pytest.approx([100.0] * 3)


def test_deutschlandatlas_criterion_with_a_feed() -> None:
    source = make_source({"gtfs": feed()})
    t = table(source)
    # >= 20 departures a day: only HF (48). Within 600 m of HF: c1, c2; within 1,200 m of the
    # rail station: c1, c2. Astadt 60 of 70 = 85.7 %, Bdorf 0, district 60 of 150 = 40 %
    assert t["mob_datlas_pop"].tolist() == pytest.approx([600 / 7, 0.0, 40.0])
    # at >= 19 departures BUS (19) counts too: c5 (200 m) and c6 (412 m): Bdorf 50 of 80
    lower = table(source, mob_min_departures=19.0)
    assert lower["mob_datlas_pop"].tolist() == pytest.approx([600 / 7, 62.5, 220 / 3])


class DoublingNetwork:
    """A fake walking network: every distance is twice the straight line."""

    def distance_to_nearest(self, origins: np.ndarray, targets: np.ndarray) -> np.ndarray:
        diff = origins[:, None, :] - targets[None, :, :]
        return np.asarray(2.0 * np.sqrt((diff**2).sum(axis=2)).min(axis=1))


def test_distances_follow_the_walking_network_when_imported() -> None:
    source = make_source({"walk_network": DoublingNetwork()})
    assert cell_access(source).method == "network"
    t = table(source)
    # all distances doubled: Astadt mean 800 m; within 600 m only c1 (500 m) -> 40 of 70
    assert t.loc[A, "mob_stop_distance"] == pytest.approx(800.0)
    assert t.loc[A, "mob_stop_pop"] == pytest.approx(400 / 7)
    assert cell_access(make_source()).method == "straight"


# ---------------------------------------------------------------- pure functions


def test_stop_catchments_and_gap_cells() -> None:
    source = make_source()
    cells = source.geo("grid_100m")
    xy = centroids_xy(cells)
    c = stop_catchments(xy, stop_points(source), rail_station_points(source))
    assert c.stop_near.tolist() == [True, False, False, False, True, False]
    assert c.stop.tolist() == [True, True, False, False, True, True]
    assert c.rail.tolist() == [True, True, False, False, False, False]
    assert c.gap.tolist() == [False, False, True, True, False, False]
    # the map gets the gap cells, most populated first, at most `limit` of them
    shown, total = gap_cells(cells, c.gap, limit=1)
    assert (shown["cell_id"].tolist(), total) == (["c4"], 2)


def test_interval_tiers_and_categories() -> None:
    intervals = np.array([5.0, 5.1, 10.0, 20.0, 36.5, 60.0, 88.4, 120.0, 120.1, np.inf])
    assert interval_tier(intervals).tolist() == [0, 1, 1, 2, 3, 4, 5, 5, -1, -1]
    # tier x group: <= 5 min rail I, bus II; 36.5 min rail III; 88.4 min bus VII
    groups = np.array([0, 2, 1, 2, 0, 1, 2, 2, 2, 0])
    assert station_category(groups, intervals).tolist() == [1, 3, 2, 4, 3, 5, 7, 7, 0, 0]
    # no scheduled mode -> no category
    assert station_category(np.array([-1]), np.array([5.0])).tolist() == [0]


def test_best_class_takes_the_better_of_overlapping_rings() -> None:
    cells = np.array([[0.0, 0.0], [4500.0, 0.0], [6300.0, 0.0], [9000.0, 0.0]])
    stations = np.array([[100.0, 0.0], [900.0, 0.0], [6000.0, 0.0], [9000.0, 1000.5]])
    category = np.array([7, 1, 2, 1])
    # cell 1: VII at 100 m -> F, I at 900 m -> C: C wins; cell 2: nothing within 1 km;
    # cell 3: II at exactly 300 m -> A (ring bounds are inclusive); cell 4: 1,000.5 m -> none
    assert best_class(cells, stations, category).tolist() == [2, NO_CLASS, 0, NO_CLASS]
    # stations without category are ignored
    assert best_class(cells, stations, np.zeros(4, dtype=np.int64)).tolist() == [NO_CLASS] * 4


# ---------------------------------------------------------------- the real snapshot


def test_real_snapshot_is_plausible(snapshot: Snapshot) -> None:
    t = compute_table(snapshot, indicators_for("mobility"))
    municipal = t.drop(index=KREIS_AGS)
    for key in ("mob_stop_pop", "mob_stop_near_pop", "mob_rail_pop", "mob_stop_area"):
        assert t[key].between(0, 100).all(), key
    # 600 m contains 300 m; almost everybody lives within 600 m of a bus or train stop
    assert (t["mob_stop_pop"] >= t["mob_stop_near_pop"]).all()
    assert 95 < t.loc[KREIS_AGS, "mob_stop_pop"] < 100
    assert t.loc[KREIS_AGS, "mob_stop_near_pop"] > 75
    # Enger and Spenge have no railway station; Kirchlengern and Rödinghausen have
    assert municipal.loc[["05758008", "05758032"], "mob_rail_pop"].tolist() == [0.0, 0.0]
    assert (municipal.loc[["05758020", "05758028"], "mob_rail_pop"] > 20).all()
    assert 10 < t.loc[KREIS_AGS, "mob_rail_pop"] < 40
    # the district is computed from totals: gaps add up, shares lie within the range
    assert t.loc[KREIS_AGS, "mob_gap_pop"] == pytest.approx(municipal["mob_gap_pop"].sum())
    lo, hi = municipal["mob_stop_pop"].min(), municipal["mob_stop_pop"].max()
    assert lo <= t.loc[KREIS_AGS, "mob_stop_pop"] <= hi
    assert 100 < t.loc[KREIS_AGS, "mob_stop_distance"] < 400
    # no timetable in the snapshot: the GTFS indicators are missing, never 0
    assert t["mob_class_ac_pop"].isna().all() and t["mob_datlas_pop"].isna().all()


def test_threshold_change_reuses_the_distances(snapshot: Snapshot) -> None:
    # the time of a threshold change is measured in bench/bench_indicators.py
    inds = indicators_for("mobility")
    default = compute_table(snapshot, inds)  # 600 m
    access = cell_access(snapshot)
    tables = [compute_table(snapshot, inds, {"mob_stop_radius_m": r}) for r in (450.0, 550.0)]
    assert cell_access(snapshot) is access  # distances computed once per snapshot
    shares = [table["mob_stop_pop"] for table in (*tables, default)]
    assert (shares[0] <= shares[1]).all() and (shares[1] <= shares[2]).all()
    assert (shares[0] < shares[2]).any()
    unchanged = ["mob_stop_near_pop", "mob_rail_pop", "mob_stop_distance"]
    for table in tables:
        pd.testing.assert_frame_equal(table[unchanged], default[unchanged])


def test_catchments_of_all_cells_are_repeatable(snapshot: Snapshot) -> None:
    # the time of this computation is measured in bench/bench_indicators.py
    xy = centroids_xy(snapshot.geo("grid_100m"))
    stops, rail = stop_points(snapshot), rail_station_points(snapshot)
    first = stop_catchments(xy, stops, rail)
    again = stop_catchments(xy, stops, rail)
    assert len(first.gap) == 9422
    for name in ("stop_near", "stop", "rail"):
        np.testing.assert_array_equal(getattr(again, name), getattr(first, name))
    assert first.stop_near.sum() <= first.stop.sum()
