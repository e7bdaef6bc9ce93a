"""Degree of urbanisation (Eurostat DEGURBA) on a tiny synthetic 1 km grid, checked by hand.

Raster (row = north index, column = east index), residents per cell (= per km²):

    rows 0–4, cols 0–4   a 5 × 5 block: 23 cells × 2,100 = 48,300, plus
        (2, 2)           a hole of 1,000 (all 8 neighbours in the block: filled)
        (0, 2)           a notch of 800 on the edge (5 of 8 neighbours in the block: filled)
    (5, 5)      2,000    dense, but touches the block only at a corner
    (2, 5)        300    exactly the cluster density, shares an edge with the block
    (2, 7)        200    too thin for anything
    (0, 8), (0, 9)       2,000 each: dense, but 4,000 together
    (8, 0), (8, 1), (8, 2)  1,000 + 2,000 + 2,500 = 5,500
    (9, 9)        –      population not published

Before gap filling the dense block holds 48,300 < 50,000; after filling 50,100: an urban centre
(Eurostat counts the population after gap filling).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kek_geo.analysis.settlement import (
    RURAL,
    URBAN_CENTRE,
    URBAN_CLUSTER,
    DegurbaRules,
    degurba_classes,
    degurba_population,
    fill_gaps,
    grid_raster,
)
from kek_geo.indicators import REGISTRY
from kek_geo.settings import KREIS_AGS
from kek_geo.snapshot import Snapshot
from tests.helpers import MemorySource, gdf, square

A, B = "05758001", "05758002"
HOLE, NOTCH = (2, 2), (0, 2)
BLOCK = [(r, c) for r in range(5) for c in range(5)]
OTHERS = {
    (5, 5): 2000.0,
    (2, 5): 300.0,
    (2, 7): 200.0,
    (0, 8): 2000.0,
    (0, 9): 2000.0,
    (8, 0): 1000.0,
    (8, 1): 2000.0,
    (8, 2): 2500.0,
    (9, 9): float("nan"),
}


def cell_id(row: int, col: int) -> str:
    return f"CRS3035RES1000mN{3200000 + row * 1000}E{4200000 + col * 1000}"


def block_population(cell: tuple[int, int]) -> float:
    return {HOLE: 1000.0, NOTCH: 800.0}.get(cell, 2100.0)


def make_grid() -> pd.DataFrame:
    cells = {cell: block_population(cell) for cell in BLOCK} | OTHERS
    return gdf(
        [
            {
                "cell_id": cell_id(r, c),
                "population": pop,
                "geometry": square(c * 1000.0, r * 1000.0, 1000.0),
            }
            for (r, c), pop in cells.items()
        ]
    )


def classes_of(classes: pd.Series, cells: list[tuple[int, int]]) -> set[str]:
    return {classes[cell_id(r, c)] for r, c in cells}


def test_grid_raster_reads_the_ids() -> None:
    raster = grid_raster(pd.Series([cell_id(0, 0), cell_id(2, 3), cell_id(9, 9)]))
    assert raster.rows.tolist() == [0, 2, 9]
    assert raster.cols.tolist() == [0, 3, 9]
    assert raster.shape == (10, 10)
    with pytest.raises(ValueError, match="grid cell ids"):
        grid_raster(pd.Series(["not-a-cell"]))


def test_default_classes() -> None:
    classes = degurba_classes(make_grid())
    # the block with its hole and notch filled: 25 cells, 50,100 residents after filling
    assert classes_of(classes, BLOCK) == {URBAN_CENTRE}
    # corner-only neighbour: dense, but a centre needs shared edges -> cluster (8-connected)
    assert classes[cell_id(5, 5)] == URBAN_CLUSTER
    # 300 inh./km² counts (>=) and joins the big cluster
    assert classes[cell_id(2, 5)] == URBAN_CLUSTER
    # 5,500 residents: a cluster of its own
    assert classes_of(classes, [(8, 0), (8, 1), (8, 2)]) == {URBAN_CLUSTER}
    # dense but only 4,000 together: neither centre nor cluster
    assert classes_of(classes, [(0, 8), (0, 9)]) == {RURAL}
    # too thin; and no published population
    assert classes[cell_id(2, 7)] == RURAL
    assert classes[cell_id(9, 9)] == RURAL
    assert len(classes) == 25 + len(OTHERS)


def test_without_gap_filling_the_block_would_be_too_small() -> None:
    # 48,300 before filling, 50,100 after: a minimum of 50,101 makes it a mere cluster
    classes = degurba_classes(make_grid(), DegurbaRules(centre_population=50_101))
    assert classes_of(classes, BLOCK) == {URBAN_CLUSTER}
    classes = degurba_classes(make_grid(), DegurbaRules(centre_population=50_100))
    assert classes_of(classes, BLOCK) == {URBAN_CENTRE}


def test_thresholds_change_the_classes() -> None:
    # a higher cluster minimum drops the 5,500 group
    classes = degurba_classes(make_grid(), DegurbaRules(cluster_population=6_000))
    assert classes_of(classes, [(8, 0), (8, 1), (8, 2)]) == {RURAL}
    # a cluster density of 200 makes the 200 cell eligible, but alone it has 200 < 5,000
    classes = degurba_classes(make_grid(), DegurbaRules(cluster_density=200))
    assert classes[cell_id(2, 7)] == RURAL
    # a centre minimum of 4,000 turns the dense pair into a centre
    classes = degurba_classes(make_grid(), DegurbaRules(centre_population=4_000))
    assert classes_of(classes, [(0, 8), (0, 9)]) == {URBAN_CENTRE}
    # ... and the corner cell (2,000 alone) is still no centre
    assert classes[cell_id(5, 5)] == URBAN_CLUSTER


def test_gap_filling_repeats_until_nothing_changes() -> None:
    # a 5 × 5 ring around a 3 × 3 hole: corners of the hole have 5 ring neighbours (round 1),
    # then the edge middles have 5 (round 2), then the centre has 8 (round 3)
    labels = np.ones((5, 5), dtype=np.int64)
    labels[1:4, 1:4] = 0
    assert (fill_gaps(labels) == 1).all()


def test_gap_filling_needs_five_neighbours_of_the_same_centre() -> None:
    # the middle cell has 4 neighbours in centre 1 and 4 in centre 2: not filled
    labels = np.array([[1, 1, 2], [1, 0, 2], [1, 2, 2]], dtype=np.int64)
    assert fill_gaps(labels)[1, 1] == 0
    # an outside corner with 3 neighbours stays out
    labels = np.zeros((4, 4), dtype=np.int64)
    labels[:3, :3] = 1
    assert fill_gaps(labels)[3, 3] == 0


@pytest.fixture
def source() -> MemorySource:
    # 100 m cells: (1 km parent, municipality, estimated residents)
    cells = [
        (cell_id(0, 0), A, 30.0),  # centre
        (cell_id(2, 5), A, 10.0),  # cluster
        (cell_id(2, 7), A, 20.0),  # rural
        (cell_id(8, 1), B, 40.0),  # cluster
        (cell_id(9, 9), B, 10.0),  # rural (population not published)
        ("CRS3035RES1000mN3300000E4300000", B, 5.0),  # parent not in the grid: rural
    ]
    grid_100m = gdf(
        [
            {"cell_1km": parent, "ags": ags, "population_est": pop, "geometry": square(i, 0, 1)}
            for i, (parent, ags, pop) in enumerate(cells)
        ]
    )
    gemeinden = pd.DataFrame({"ags": [A, B], "name": ["Astadt", "Bdorf"]})
    return MemorySource(grid_1km=make_grid(), grid_100m=grid_100m, gemeinden=gemeinden)


def test_population_shares_per_municipality(source: MemorySource) -> None:
    def share(key: str) -> pd.Series:
        ind = REGISTRY[key]
        return ind.compute(source, ind.defaults())

    centre = share("set_degurba_centre_share")
    cluster = share("set_degurba_cluster_share")
    rural = share("set_degurba_rural_share")
    # A: 60 residents: centre 30 (50 %), cluster 10 (16.7 %), rural 20 (33.3 %)
    assert (centre[A], cluster[A], rural[A]) == pytest.approx((50.0, 100 / 6, 100 / 3))
    # B: 55 residents: centre 0, cluster 40 (72.7 %), rural 10 + 5 (27.3 %)
    assert (centre[B], cluster[B], rural[B]) == pytest.approx((0.0, 40 / 55 * 100, 15 / 55 * 100))
    # district: 115 residents: 30, 50, 35
    assert centre[KREIS_AGS] == pytest.approx(30 / 115 * 100)
    assert cluster[KREIS_AGS] == pytest.approx(50 / 115 * 100)
    assert rural[KREIS_AGS] == pytest.approx(35 / 115 * 100)
    # thresholds pass through: a centre minimum above 50,100 leaves no centre
    ind = REGISTRY["set_degurba_centre_share"]
    assert ind.compute(source, {"set_degurba_centre_pop": 60_000.0})[A] == 0.0


def test_population_per_class(source: MemorySource) -> None:
    classes = degurba_classes(source.layer("grid_1km"))
    people = degurba_population(source.layer("grid_100m"), classes)
    assert people.loc[A].tolist() == [30.0, 10.0, 20.0]
    assert people.loc[B].tolist() == [0.0, 40.0, 15.0]
    assert people.loc[KREIS_AGS].tolist() == [30.0, 50.0, 35.0]


# ------------------------------------------------------------------ the real snapshot


def test_real_snapshot_town_cores(snapshot: Snapshot) -> None:
    grid = snapshot.layer("grid_1km")
    cells = snapshot.layer("grid_100m")
    gem = snapshot.layer("gemeinden")
    names = dict(zip(gem["name"], gem["ags"], strict=True))
    # the 1 km cell holding most residents of each town
    by_cell = cells.groupby(["ags", "cell_1km"])["population_est"].sum()
    core = {name: by_cell[ags].idxmax() for name, ags in names.items()}

    classes = degurba_classes(grid)
    assert len(classes) == 534
    # Herford's dense core holds about 45,500 people after gap filling: below 50,000,
    # so no urban centre within the district; the town cores are urban clusters
    assert (classes != URBAN_CENTRE).all()
    for town in ("Herford", "Bünde", "Löhne"):
        assert classes[core[town]] == URBAN_CLUSTER, town
    assert classes[core["Rödinghausen"]] == RURAL
    # with a 45,000 minimum, Herford's core becomes an urban centre, Bünde's (≈ 21,500) not
    lower = degurba_classes(grid, DegurbaRules(centre_population=45_000))
    assert lower[core["Herford"]] == URBAN_CENTRE
    assert lower[core["Bünde"]] == URBAN_CLUSTER
    assert (lower == URBAN_CENTRE).sum() == 17
