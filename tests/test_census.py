"""Grid arithmetic on hand-made cells, every number checked by hand."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from kek_geo.errors import DataSourceError
from kek_geo.geo import cell_squares
from kek_geo.pipeline.census import (
    GRID_2022_FILE,
    ags_from_regional_key,
    merge_1km_grids,
    parent_1km_id,
    read_grid_1km_2022,
    settlement_patches,
    weighted_grid_figures,
)
from kek_geo.pipeline.population_estimate import (
    allocation_shares,
    calibrate_to_totals,
    dwellings_per_published_child,
    published_residents,
    spread_with_floors,
    structure_weights,
)
from kek_geo.settings import ANALYSIS_CRS, GRID_CRS


def test_regional_key_to_ags() -> None:
    assert ags_from_regional_key("057580016016") == "05758016"
    assert ags_from_regional_key("5758004") == "05758004"
    assert ags_from_regional_key("05758004") == "05758004"


def test_parent_1km_id() -> None:
    ids = parent_1km_id(pd.Series([4219150.0, 4219950.0]), pd.Series([3217350.0, 3217050.0]))
    assert ids.tolist() == ["CRS3035RES1000mN3217000E4219000", "CRS3035RES1000mN3217000E4219000"]


def _cells(**columns: list[float]) -> pd.DataFrame:
    base: dict[str, list[float]] = {
        "dwellings": [],
        "buildings": [],
        "children_u10": [],
        "people_80plus": [],
    }
    base.update(columns)
    n = max(len(v) for v in base.values())
    return pd.DataFrame({k: v or [np.nan] * n for k, v in base.items()})


def test_every_cell_with_housing_or_residents_gets_a_weight() -> None:
    cells = _cells(
        dwellings=[30.0, 3.0, np.nan, np.nan, np.nan],
        buildings=[4.0, 8.0, 5.0, np.nan, np.nan],
        children_u10=[10.0, np.nan, np.nan, 4.0, np.nan],
        people_80plus=[np.nan, np.nan, np.nan, 3.0, np.nan],
    )
    # only the first cell publishes dwellings and children: 30 dwellings per 10 children
    assert dwellings_per_published_child(cells) == pytest.approx(3.0)
    weights = structure_weights(cells, 3.0)
    # max(30, 4) = 30; max(3, 8) = 8 (each building holds a dwelling); 5 buildings;
    # residents only: 4 children * 3 = 12 (the 3 people 80+ count only as themselves, through
    # the floor: a cell of people 80+ without dwellings is mostly a care home); nothing: 0
    assert weights.tolist() == [30.0, 8.0, 5.0, 12.0, 0.0]
    assert published_residents(cells).tolist() == [10.0, 0.0, 0.0, 7.0, 0.0]


def test_spread_keeps_every_cell_at_its_published_residents() -> None:
    group = pd.Series(["A", "A", "A", "B", "B", "C", "C", "B"])
    weight = pd.Series([6.0, 3.0, 1.0, 1.0, 1.0, 2.0, 0.0, 2.0])
    floor = pd.Series([0.0, 0.0, 20.0, 8.0, 8.0, 0.0, 0.0, 0.0])
    totals = pd.Series({"A": 100.0, "B": 10.0, "C": 5.0})
    out = spread_with_floors(totals, group, weight, floor)
    # A: by weight 60/30/10, but the third cell publishes 20 residents: it gets 20 and the
    # other 80 go 6:3 to the others -> 53.33 and 26.67 (sum still 100)
    assert out.iloc[:3].tolist() == pytest.approx([160 / 3, 80 / 3, 20.0])
    # B: 2.5 each by weight, but two publish 8: they get 8, which uses up the total of 10; the
    # third has weight 2 and stays positive at the overall rate: 2 * 115 / 16 = 14.375
    assert out.iloc[3:5].tolist() == [8.0, 8.0]
    assert out.iloc[7] == pytest.approx(14.375)
    # C: all to the only cell with weight
    assert out.iloc[5:7].tolist() == [5.0, 0.0]


def test_calibration_hits_the_official_totals_and_keeps_floors() -> None:
    values = pd.Series([10.0, 30.0, 10.0, 30.0])
    floor = pd.Series([5.0, 0.0, 5.0, 0.0])
    group = pd.Series(["up", "up", "down", "down"])
    targets = pd.Series({"up": 80.0, "down": 25.0})
    out = calibrate_to_totals(values, floor, group, targets)
    # up: 40 placed, 80 official -> everything doubles
    assert out.iloc[:2].tolist() == pytest.approx([20.0, 60.0])
    # down: 40 placed, 25 official: only the 35 above the floors shrink, by 20/35
    assert out.iloc[2:].tolist() == pytest.approx([5 + 5 * 20 / 35, 30 * 20 / 35])
    assert out.groupby(group).sum().to_dict() == pytest.approx({"up": 80.0, "down": 25.0})
    # a target at the floors would scale the cell without a floor down to 0: refused
    with pytest.raises(ValueError, match="reach"):
        calibrate_to_totals(values, floor, group, pd.Series({"up": 5.0, "down": 25.0}))


def test_border_cells_credit_residents_where_their_dwellings_are() -> None:
    cells = pd.DataFrame(
        {
            "cell_1km": ["X", "X", "X", "Y", "Y"],
            "ags": ["G1", "G1", None, "G2", None],
        }
    )
    weight = pd.Series([3.0, 1.0, 4.0, 0.0, 5.0])
    area = pd.DataFrame(
        {
            "cell_1km": ["X", "Y", "Z", "Z"],
            "ags": ["G1", "G2", "G1", "G2"],
            "share": [0.7, 0.4, 0.25, 0.75],
        }
    )
    alloc = allocation_shares(cells, weight, area).set_index(["cell_1km", "ags"])["share"]
    # X: 4 of its 8 dwelling equivalents lie in G1 -> half of its residents
    assert alloc[("X", "G1")] == pytest.approx(0.5)
    # Y: everything lives across the border -> nobody is credited to G2, although 40 % of the
    # square's area lies in G2 (the old area split credited it 40 %)
    assert ("Y", "G2") not in alloc.index
    # Z: no 100 m cell publishes anything -> split by area
    assert alloc[("Z", "G1")] == pytest.approx(0.25)
    assert alloc[("Z", "G2")] == pytest.approx(0.75)


def test_the_two_census_years_side_by_side() -> None:
    g22 = pd.DataFrame(
        {
            "cell_id": ["A", "B"],
            "x": [1.0, 2.0],
            "y": [1.0, 2.0],
            "population": [200.0, 50.0],
            "people_u15": [30.0, 5.0],
            "people_15_64": [120.0, 30.0],
            "people_65plus": [50.0, 15.0],
        }
    )
    g11 = pd.DataFrame(
        {
            "cell_id": ["A", "C"],
            "x": [1.0, 3.0],
            "y": [1.0, 3.0],
            "population_2011": [220.0, 40.0],
            "mean_age_2011": [44.0, 40.0],
            "share_u18_2011": [18.0, 20.0],
            "share_65plus_2011": [20.0, 10.0],
            "household_size_2011": [2.1, 2.5],
            "vacancy_rate_2011": [3.0, 1.0],
        }
    )
    out = merge_1km_grids(g22, g11).set_index("cell_id")
    # A: 50 of 200 are 65+ in 2022 = 25 %; 20 % in 2011 -> +5 points
    assert out.loc["A", "share_65plus"] == pytest.approx(25.0)
    assert out.loc["A", "share_u15"] == pytest.approx(15.0)
    assert out.loc["A", "change_65plus_pp"] == pytest.approx(5.0)
    # C is not in the 2022 grid, which lists only populated cells: 0 residents, no share
    assert out.loc["C", "population"] == 0.0
    assert math.isnan(out.loc["C", "share_65plus"])
    assert math.isnan(out.loc["B", "population_2011"])


def test_gemeinde_figures_from_both_grids() -> None:
    grid = pd.DataFrame(
        {
            "cell_id": ["A", "B", "C"],
            "population": [100.0, 40.0, 60.0],
            "people_u15": [10.0, 8.0, 6.0],
            "people_65plus": [20.0, 20.0, 18.0],
            "population_2011": [100.0, 50.0, 50.0],
            "mean_age_2011": [40.0, 50.0, 45.0],
            "share_u18_2011": [20.0, 10.0, np.nan],
            "share_65plus_2011": [20.0, 50.0, 30.0],
        }
    )
    allocation = pd.DataFrame(
        {
            "cell_1km": ["A", "A", "B", "C"],
            "ags": ["X", "Y", "Y", "Y"],
            "share": [0.75, 0.25, 1, 0.5],
        }
    )
    out = weighted_grid_figures(grid, allocation).set_index("ags")
    # X: 75 residents of A, 15 of them 65+ -> 20 %
    assert out.loc["X", "grid_population"] == pytest.approx(75.0)
    assert out.loc["X", "share_65plus"] == pytest.approx(20.0)
    # Y 2022: 25 + 40 + 30 = 95 residents; 65+: 5 + 20 + 9 = 34 -> 34/95; under 15: 2.5+8+3
    assert out.loc["Y", "grid_population"] == pytest.approx(95.0)
    assert out.loc["Y", "share_65plus"] == pytest.approx(3400 / 95)
    assert out.loc["Y", "share_u15"] == pytest.approx(1350 / 95)
    # Y 2011: 25 + 50 + 25 = 100 residents; 65+: (25*20 + 50*50 + 25*30) / 100 = 37.5
    assert out.loc["Y", "grid_population_2011"] == pytest.approx(100.0)
    assert out.loc["Y", "share_65plus_2011"] == pytest.approx(37.5)
    # under 18 is suppressed in C: (25*20 + 50*10) / 75
    assert out.loc["Y", "share_u18_2011"] == pytest.approx(1000 / 75)


def _write_2022(raw: Path, rows: list[str]) -> None:
    path = raw / GRID_2022_FILE
    path.parent.mkdir(parents=True)
    header = "GRD_ID,x_mp_1km,y_mp_1km,T,Y_LT15,Y_1564,Y_GE65"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


def test_2022_grid_reads_counts_and_checks_ids(tmp_path: Path) -> None:
    _write_2022(tmp_path, ["CRS3035RES1000mN3210000E4209000,4209500,3210500,96,16,64,20"])
    grid = read_grid_1km_2022(tmp_path)
    assert grid.loc[0, ["population", "people_65plus"]].tolist() == [96.0, 20.0]


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("CRS3035RES1000mN3210000E4209000,4210500,3210500,96,16,64,20", "centre coordinates"),
        ("CRS3035RES1000mN3210000E4209000,4209500,3210500,-1,16,64,20", "counts ≥ 0"),
        ("CRS3035RES1000mN3210000E4209000,4209500,3210500,,16,64,20", "counts ≥ 0"),
    ],
)
def test_2022_grid_bad_rows_name_the_file(tmp_path: Path, row: str, problem: str) -> None:
    _write_2022(tmp_path, [row])
    with pytest.raises(DataSourceError, match=problem) as err:
        read_grid_1km_2022(tmp_path)
    assert "census2021DE2022_1km_age3_herford_bbox.csv" in str(err.value)


def test_settlement_patches_join_edge_neighbours_only() -> None:
    # three 100 m cells: two share an edge, the third only touches a corner
    x = np.array([4219050.0, 4219150.0, 4219250.0])
    y = np.array([3217050.0, 3217050.0, 3217150.0])
    cells = gpd.GeoDataFrame(
        {"ags": ["X", "X", "Y"], "population_est": [10.0, 5.0, 2.0]},
        geometry=cell_squares(x, y, 100.0),
        crs=GRID_CRS,
    ).to_crs(ANALYSIS_CRS)
    patches = settlement_patches(cells)
    assert patches["patch_id"].tolist() == [1, 2]
    assert patches["cells"].tolist() == [2, 1]
    assert patches["population_est"].tolist() == [15.0, 2.0]
    assert patches["ags"].tolist() == ["X", "Y"]
    assert patches["area_ha"].round(3).tolist() == [2.0, 1.0]
