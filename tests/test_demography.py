"""Demography indicators on a three-cell fixture, values checked by hand."""

from __future__ import annotations

import pandas as pd
import pytest
import shapely

from kek_geo.indicators import REGISTRY, compute_table
from kek_geo.settings import KREIS_AGS
from kek_geo.snapshot import Snapshot
from tests.helpers import MemorySource, gdf


@pytest.fixture
def source() -> MemorySource:
    # three 100 m cells; one bus stop at (50, 50), in the middle of the first cell
    cells = gdf(
        [
            {"ags": "05758001", "people_80plus": 12.0, "geometry": shapely.box(0, 0, 100, 100)},
            # centre (550, 50): 500 m from the stop
            {"ags": "05758001", "people_80plus": 8.0, "geometry": shapely.box(500, 0, 600, 100)},
            # centre (1050, 50): 1,000 m from the stop; count suppressed
            {
                "ags": "05758002",
                "people_80plus": float("nan"),
                "geometry": shapely.box(1000, 0, 1100, 100),
            },
        ]
    )
    cells["cell_id"] = ["a", "b", "c"]
    stops = gdf([{"mode": "bus", "geometry": shapely.Point(50, 50)}])
    gemeinden = pd.DataFrame({"ags": ["05758001", "05758002"], "name": ["A", "B"]})
    return MemorySource(grid_100m=cells, stops=stops, gemeinden=gemeinden)


def test_people_80plus_far_from_a_stop(source: MemorySource) -> None:
    keys = ["elderly_far_from_stop", "elderly_far_from_stop_share", "hotspots_80plus"]
    inds = [REGISTRY[k] for k in keys]
    t = compute_table(source, inds)
    # default 600 m: nobody is farther (the third cell's count is suppressed)
    assert t["elderly_far_from_stop"].tolist() == [0.0, 0.0, 0.0]
    t = compute_table(source, inds, {"elderly_stop_radius_m": 400.0})
    # 400 m: the 8 people in the second cell are farther: 8 of 20 published = 40 %
    assert t.loc["05758001", "elderly_far_from_stop"] == 8.0
    assert t.loc["05758001", "elderly_far_from_stop_share"] == pytest.approx(40.0)
    assert pd.isna(t.loc["05758002", "elderly_far_from_stop_share"])  # nothing published
    assert t.loc[KREIS_AGS, "elderly_far_from_stop_share"] == pytest.approx(40.0)


def test_hotspots(source: MemorySource) -> None:
    t = compute_table(source, [REGISTRY["hotspots_80plus"]], {"hotspot_80plus_min": 10.0})
    # only the first cell has >= 10 people aged 80+
    assert t["hotspots_80plus"].tolist() == [1.0, 0.0, 1.0]
    t = compute_table(source, [REGISTRY["hotspots_80plus"]], {"hotspot_80plus_min": 5.0})
    assert t["hotspots_80plus"].tolist() == [2.0, 0.0, 2.0]


def test_real_snapshot_demography(snapshot: Snapshot) -> None:
    from kek_geo.indicators import indicators_for

    t = compute_table(snapshot, indicators_for("demography"))
    assert 0 <= t.loc[KREIS_AGS, "elderly_far_from_stop_share"] < 30
    # the district total is the sum of the municipalities
    far = t["elderly_far_from_stop"]
    assert far[KREIS_AGS] == pytest.approx(far.drop(KREIS_AGS).sum())


def test_ageing_classes_and_small_cells() -> None:
    from kek_geo.views.demography import ageing_cells, ageing_class

    change = pd.Series([-3.0, -2.0, 0.0, 1.9, 4.0, 6.0, 12.0, float("nan")])
    # bounds -2, 0, 2, 4, 6: a value on a bound opens the next class
    assert ageing_class(change).tolist()[:7] == [0, 1, 2, 2, 4, 5, 5]
    assert pd.isna(ageing_class(change).iloc[7])
    grid = gdf(
        [
            {
                "population": 500.0,
                "population_2011": 450.0,
                "population_in_kreis": 500.0,
                "change_65plus_pp": 3.0,
                "geometry": shapely.box(0, 0, 1000, 1000),
            },
            # 150 residents in 2022: below 200, shown grey without a class
            {
                "population": 150.0,
                "population_2011": 300.0,
                "population_in_kreis": 150.0,
                "change_65plus_pp": 9.0,
                "geometry": shapely.box(1000, 0, 2000, 1000),
            },
            # outside the district: left out
            {
                "population": 800.0,
                "population_2011": 800.0,
                "population_in_kreis": 0.0,
                "change_65plus_pp": 1.0,
                "geometry": shapely.box(2000, 0, 3000, 1000),
            },
            # no 2011 share: left out
            {
                "population": 800.0,
                "population_2011": float("nan"),
                "population_in_kreis": 800.0,
                "change_65plus_pp": float("nan"),
                "geometry": shapely.box(3000, 0, 4000, 1000),
            },
        ]
    )
    cells = ageing_cells(grid, min_pop=200.0)
    assert len(cells) == 2
    assert cells["small"].tolist() == [False, True]
    assert cells["klass"].iloc[0] == 3 and pd.isna(cells["klass"].iloc[1])


def test_real_snapshot_ageing(snapshot: Snapshot) -> None:
    from kek_geo.views.demography import ageing_cells

    cells = ageing_cells(snapshot.geo("grid_1km"), min_pop=200.0)
    shown = cells[~cells["small"]]
    # 235 cells with at least 200 residents in both years hold 235,459 of the 2022 residents
    assert len(shown) == 235
    assert shown["population_in_kreis"].sum() == pytest.approx(235_459, abs=1)
    # the district aged: median change +1.8 points, but some urban cells got younger
    assert shown["change_65plus_pp"].median() == pytest.approx(1.8, abs=0.1)
    assert (shown["change_65plus_pp"] < 0).sum() > 30
