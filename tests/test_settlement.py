"""Settlement indicators: land per inhabitant, patches, sprawl proxy, building age.

Hand-made fixture (EPSG:25832, 100 m cells), two municipalities A (05758001) and B (05758002):

    patch  credited to  cells (own municipality: estimated residents)    area
    p1     A            A: 10, 20, 30, 40                                4 ha
    p2     B            B: 50, 50, 50 and one A cell: 12 (cross-border)  4 ha
    p3     A            A: 15, 5                                         2 ha
    p4     A            A: 8                                             1 ha
    p5     B            B: 25                                            1 ha
    p6     A            A: 7                                             1 ha

Residents by municipality of the cell: A = 100 + 12 + 20 + 8 + 7 = 147, B = 150 + 25 = 175.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from kek_geo.analysis.settlement import (
    AGE_COLUMNS,
    PRE_1979_COLUMNS,
    building_age_shares,
    cell_patch_ids,
    classes_up_to,
    core_patch_ids,
)
from kek_geo.indicators import REGISTRY, all_defaults, compute_table, indicators_for
from kek_geo.settings import KREIS_AGS
from kek_geo.snapshot import Snapshot
from tests.helpers import MemorySource, gdf, square

A, B = "05758001", "05758002"

# (patch_id, credited municipality, [(x0, y0, municipality of the cell, residents)])
PATCHES: list[tuple[int, str, list[tuple[float, float, str, float]]]] = [
    (1, A, [(0, 0, A, 10.0), (100, 0, A, 20.0), (200, 0, A, 30.0), (300, 0, A, 40.0)]),
    (2, B, [(0, 1000, B, 50.0), (100, 1000, B, 50.0), (200, 1000, B, 50.0), (300, 1000, A, 12.0)]),
    (3, A, [(1000, 0, A, 15.0), (1100, 0, A, 5.0)]),
    (4, A, [(2000, 0, A, 8.0)]),
    (5, B, [(2000, 1000, B, 25.0)]),
    (6, A, [(3000, 0, A, 7.0)]),
]

# published building counts per cell (other classes and cells: suppressed = missing)
BUILDINGS: dict[tuple[float, float], dict[str, float]] = {
    (0, 0): {"b_pre1919": 3.0, "b_1949_1978": 5.0, "b_1996_2000": 4.0},
    (100, 0): {"b_1919_1948": 3.0},
    (0, 1000): {"b_1949_1978": 3.0, "b_1979_1986": 6.0},
}


def make_cells() -> gpd.GeoDataFrame:
    rows = []
    for _pid, _ags, cells in PATCHES:
        for x, y, ags, pop in cells:
            row: dict[str, object] = {
                "cell_id": f"c{x:.0f}_{y:.0f}",
                "cell_1km": "CRS3035RES1000mN3200000E4200000",
                "ags": ags,
                "population_est": pop,
                "geometry": square(x, y, 100),
            }
            row.update({col: float("nan") for col in AGE_COLUMNS})
            row.update(BUILDINGS.get((x, y), {}))
            rows.append(row)
    return gdf(rows)


def make_patches() -> gpd.GeoDataFrame:
    rows = [
        {
            "patch_id": pid,
            "ags": ags,
            "area_ha": float(len(cells)),
            "cells": len(cells),
            "population_est": sum(c[3] for c in cells),
            "geometry": shapely.union_all([square(x, y, 100) for x, y, _, _ in cells]),
        }
        for pid, ags, cells in PATCHES
    ]
    # shuffled, so ranking must not rely on the row order
    return gdf(rows).iloc[[4, 1, 5, 0, 3, 2]].reset_index(drop=True)


@pytest.fixture
def source() -> MemorySource:
    gemeinden = pd.DataFrame(
        {
            "ags": [B, A],
            "name": ["Bdorf", "Astadt"],
            "population": [3000, 2000],
            "area_km2": [30.0, 10.0],
            "settlement_area_km2": [0.3, 0.5],
            "dwellings": [1000.0, 1000.0],
            "vacancy_rate": [4.0, 6.0],
        }
    )
    grid_1km = gdf(
        [
            {
                "cell_id": "CRS3035RES1000mN3200000E4200000",
                "population": 400.0,
                "geometry": square(0, 0, 1000),
            }
        ]
    )
    return MemorySource(
        gemeinden=gemeinden,
        grid_100m=make_cells(),
        settlement_areas=make_patches(),
        grid_1km=grid_1km,
    )


def compute(source: MemorySource, key: str, **params: float) -> pd.Series:
    ind = REGISTRY[key]
    return ind.compute(source, {**ind.defaults(), **params})


def test_area_per_inhabitant(source: MemorySource) -> None:
    values = compute(source, "set_area_per_inhabitant")
    # A: 0.5 km² = 500,000 m² / 2,000 = 250; B: 300,000 / 3,000 = 100
    assert values[A] == pytest.approx(250.0)
    assert values[B] == pytest.approx(100.0)
    # district from totals: 800,000 / 5,000 = 160 (not the mean 175)
    assert values[KREIS_AGS] == pytest.approx(160.0)


def test_area_per_inhabitant_missing_area_is_missing(source: MemorySource) -> None:
    source.layers["gemeinden"].loc[0, "settlement_area_km2"] = float("nan")  # Bdorf
    values = compute(source, "set_area_per_inhabitant")
    assert values[A] == pytest.approx(250.0)
    assert math.isnan(values[B])
    assert math.isnan(values[KREIS_AGS])


def test_patch_counts(source: MemorySource) -> None:
    # each patch counts for the municipality it is credited to (p2 for B despite an A cell)
    values = compute(source, "set_patches")
    assert values[A] == 4  # p1, p3, p4, p6
    assert values[B] == 2  # p2, p5
    assert values[KREIS_AGS] == 6
    # at least 2 ha: A p1 and p3, B p2
    values = compute(source, "set_patches", set_patch_min_ha=2.0)
    assert (values[A], values[B], values[KREIS_AGS]) == (2, 1, 3)
    # nothing reaches 5 ha: a count of zero, not a missing value
    values = compute(source, "set_patches", set_patch_min_ha=5.0)
    assert (values[A], values[B], values[KREIS_AGS]) == (0, 0, 0)


def test_core_patches_rank_by_area_then_id(source: MemorySource) -> None:
    patches = source.geo("settlement_areas")
    assert sorted(core_patch_ids(patches, 1)) == [1, 2]
    assert sorted(core_patch_ids(patches, 2)) == [1, 2, 3, 5]
    # A's third: p4 and p6 both 1 ha, the lower id (p4) wins
    assert sorted(core_patch_ids(patches, 3)) == [1, 2, 3, 4, 5]


def test_cells_find_their_patch(source: MemorySource) -> None:
    cells = source.geo("grid_100m")
    ids = cell_patch_ids(cells, source.geo("settlement_areas"))
    expected = [pid for pid, _, members in PATCHES for _ in members]
    assert ids.tolist() == expected
    # a cell in no patch gets -1
    lonely = gdf([{"geometry": square(9000, 9000, 100)}])
    assert cell_patch_ids(lonely, source.geo("settlement_areas")).tolist() == [-1]


def test_population_outside_cores(source: MemorySource) -> None:
    # N = 1: cores p1 (A) and p2 (B); the A cell in B's core p2 lives in a core
    # A outside: p3 20 + p4 8 + p6 7 = 35 of 147 = 23.81 %; B outside: p5 25 of 175 = 14.29 %
    # district: 60 of 322 = 18.63 %
    values = compute(source, "set_pop_outside_cores", set_core_patches=1.0)
    assert values[A] == pytest.approx(35 / 147 * 100)
    assert values[B] == pytest.approx(25 / 175 * 100)
    assert values[KREIS_AGS] == pytest.approx(60 / 322 * 100)
    # N = 2: A outside p4 + p6 = 15 of 147 = 10.20 %; B none; district 15 of 322 = 4.66 %
    values = compute(source, "set_pop_outside_cores", set_core_patches=2.0)
    assert values[A] == pytest.approx(15 / 147 * 100)
    assert values[B] == 0.0
    assert values[KREIS_AGS] == pytest.approx(15 / 322 * 100)
    # N = 3 (default): p4 beats p6 on the id; A outside p6 = 7 of 147 = 4.76 %
    values = compute(source, "set_pop_outside_cores")
    assert values[A] == pytest.approx(7 / 147 * 100)
    assert values[KREIS_AGS] == pytest.approx(7 / 322 * 100)


def test_pre_1979_classes_follow_the_class_names() -> None:
    assert PRE_1979_COLUMNS == ("b_pre1919", "b_1919_1948", "b_1949_1978")
    assert classes_up_to(1979, ("b_pre1919", "b_1970_1979", "b_1980_1989")) == (
        "b_pre1919",
        "b_1970_1979",
    )
    assert classes_up_to(1978, ("b_pre1919", "b_1949_1978", "b_1979_1986")) == (
        "b_pre1919",
        "b_1949_1978",
    )


def test_buildings_before_1979(source: MemorySource) -> None:
    values = compute(source, "set_buildings_pre1979")
    # A: old 3 (pre1919) + 5 (1949-78) + 3 (1919-48) = 11 of 15 published = 73.3 %
    assert values[A] == pytest.approx(11 / 15 * 100)
    # B: old 3 (1949-78) of 9 = 33.3 %
    assert values[B] == pytest.approx(3 / 9 * 100)
    # district: 14 of 24 = 58.3 % (suppressed classes add nothing)
    assert values[KREIS_AGS] == pytest.approx(14 / 24 * 100)


def test_building_age_shares(source: MemorySource) -> None:
    shares = building_age_shares(source.layer("grid_100m"))
    # A: 3, 5, 3, 4 of 15 -> 20 %, 33.3 %, 20 %, 26.7 %
    assert shares.loc[A, "b_pre1919"] == pytest.approx(20.0)
    assert shares.loc[A, "b_1949_1978"] == pytest.approx(100 / 3)
    assert shares.loc[A, "b_1919_1948"] == pytest.approx(20.0)
    assert shares.loc[A, "b_1996_2000"] == pytest.approx(80 / 3)
    assert shares.loc[A, "b_2009_later"] == 0.0
    # district: 1979-86 6 of 24 = 25 %
    assert shares.loc[KREIS_AGS, "b_1979_1986"] == pytest.approx(25.0)
    assert shares.sum(axis=1).to_numpy() == pytest.approx([100.0, 100.0, 100.0])


def test_buildings_without_any_published_count_are_missing(source: MemorySource) -> None:
    cells = source.layers["grid_100m"]
    cells.loc[cells["ags"] == B, list(AGE_COLUMNS)] = float("nan")
    values = compute(source, "set_buildings_pre1979")
    assert math.isnan(values[B])
    assert values[KREIS_AGS] == pytest.approx(11 / 15 * 100)


def test_theme_table_on_the_fixture(source: MemorySource) -> None:
    table = compute_table(source, indicators_for("settlement"))
    assert table.index.tolist() == [A, B, KREIS_AGS]
    assert {"settlement_density", "vacancy", "set_patches"} <= set(table.columns)
    # the single 1 km cell has 400 inh./km²: urban-cluster density, but only 400 people -> rural
    assert table["set_degurba_rural_share"].tolist() == [100.0, 100.0, 100.0]


def test_threshold_keys_are_prefixed_and_documented() -> None:
    for ind in indicators_for("settlement"):
        if ind.key in {"settlement_density", "vacancy"}:
            assert "overview" in ind.themes
            continue
        assert ind.key.startswith("set_"), ind.key
        assert ind.themes == ("settlement",)
        for th in ind.thresholds:
            assert th.key.startswith("set_"), th.key
            assert th.min_value <= th.default <= th.max_value
            assert th.source_de and th.source_en


# ------------------------------------------------------------------ the real snapshot


def test_real_snapshot_is_plausible(snapshot: Snapshot) -> None:
    table = compute_table(snapshot, indicators_for("settlement"))
    municipal = table.drop(index=KREIS_AGS)
    names = municipal["gemeinde"]
    # Herford: highest settlement density, least settlement area per inhabitant
    assert names[municipal["settlement_density"].idxmax()] == "Herford"
    assert names[municipal["set_area_per_inhabitant"].idxmin()] == "Herford"
    area = snapshot.layer("gemeinden")["settlement_area_km2"].sum() * 1e6 / 254_008
    assert table.loc[KREIS_AGS, "set_area_per_inhabitant"] == pytest.approx(area)
    assert 250 < table.loc[KREIS_AGS, "set_area_per_inhabitant"] < 500
    # every patch counted once
    assert table.loc[KREIS_AGS, "set_patches"] == 1243
    assert municipal["set_patches"].sum() == 1243
    # sprawl proxy: Herford's main body holds most people; Rödinghausen is the most scattered
    outside = municipal["set_pop_outside_cores"]
    assert names[outside.idxmin()] == "Herford"
    assert names[outside.idxmax()] == "Rödinghausen"
    assert 10 < table.loc[KREIS_AGS, "set_pop_outside_cores"] < 50
    # buildings up to 1979: the majority everywhere
    assert municipal["set_buildings_pre1979"].between(50, 95).all()
    # DEGURBA shares add up to 100 %; no urban centre under the Eurostat defaults
    shares = table[[f"set_degurba_{c}_share" for c in ("centre", "cluster", "rural")]]
    assert shares.sum(axis=1).to_numpy() == pytest.approx(np.full(10, 100.0))
    assert (table["set_degurba_centre_share"] == 0).all()
    assert names[municipal["set_degurba_rural_share"].idxmax()] == "Rödinghausen"
    assert table.loc[KREIS_AGS, "set_degurba_cluster_share"] > 80


def test_real_snapshot_outside_share_falls_with_more_cores(snapshot: Snapshot) -> None:
    ind = REGISTRY["set_pop_outside_cores"]
    one = ind.compute(snapshot, {"set_core_patches": 1.0})
    three = ind.compute(snapshot, {"set_core_patches": 3.0})
    ten = ind.compute(snapshot, {"set_core_patches": 10.0})
    assert (one >= three).all() and (three >= ten).all()


def test_real_snapshot_core_patches_change_only_the_outside_share(snapshot: Snapshot) -> None:
    # the time of these recomputations is measured in bench/bench_indicators.py
    inds = indicators_for("settlement")
    params = all_defaults(inds)
    tables = [
        compute_table(snapshot, inds, {**params, "set_core_patches": n}) for n in (1.0, 2.0, 4.0)
    ]
    others = [c for c in tables[0].columns if c != "set_pop_outside_cores"]
    for table in tables[1:]:
        pd.testing.assert_frame_equal(table[others], tables[0][others])
    one, two, four = (table["set_pop_outside_cores"] for table in tables)
    assert (one >= two).all() and (two >= four).all()
    assert (one > four).any()
