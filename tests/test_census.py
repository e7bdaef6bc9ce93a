"""Grid arithmetic on hand-made cells, every number checked by hand."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from kek_geo.geo import cell_squares
from kek_geo.pipeline.census import (
    ags_from_regional_key,
    estimate_population,
    parent_1km_id,
    settlement_patches,
    weighted_grid_figures,
)
from kek_geo.settings import ANALYSIS_CRS, GRID_CRS


def test_regional_key_to_ags() -> None:
    assert ags_from_regional_key("057580016016") == "05758016"
    assert ags_from_regional_key("5758004") == "05758004"
    assert ags_from_regional_key("05758004") == "05758004"


def test_parent_1km_id() -> None:
    ids = parent_1km_id(pd.Series([4219150.0, 4219950.0]), pd.Series([3217350.0, 3217050.0]))
    assert ids.tolist() == ["CRS3035RES1000mN3217000E4219000", "CRS3035RES1000mN3217000E4219000"]


def test_population_spread_by_dwellings_else_buildings() -> None:
    cells = pd.DataFrame(
        {
            "cell_1km": ["A", "A", "A", "B", "B", "C"],
            "dwellings": [30.0, 10.0, np.nan, np.nan, np.nan, 5.0],
            "buildings": [4.0, 3.0, 5.0, 3.0, 1.0, 3.0],
        }
    )
    grid = pd.DataFrame({"cell_id": ["A", "B", "C"], "population": [100.0, 40.0, np.nan]})
    est = estimate_population(cells, grid)
    # A: dwellings 30 and 10 of 40 -> 75 and 25; the cell without dwellings gets 0.
    # B: no dwellings at all -> buildings 3 and 1 of 4 -> 30 and 10.
    # C: population suppressed -> missing, not 0.
    assert est.iloc[:5].tolist() == [75.0, 25.0, 0.0, 30.0, 10.0]
    assert math.isnan(est.iloc[5])


def test_age_shares_are_population_weighted_and_skip_suppressed() -> None:
    grid = pd.DataFrame(
        {
            "cell_id": ["A", "B", "C"],
            "population": [100.0, 40.0, 60.0],
            "mean_age": [40.0, 50.0, 45.0],
            "share_u18": [20.0, 10.0, np.nan],
            "share_65plus": [20.0, 50.0, 30.0],
        }
    )
    allocation = pd.DataFrame(
        {
            "cell_1km": ["A", "A", "B", "C"],
            "ags": ["X", "Y", "Y", "Y"],
            "share": [0.75, 0.25, 1.0, 0.5],
        }
    )
    out = weighted_grid_figures(grid, allocation).set_index("ags")
    # X: 75 people from A
    assert out.loc["X", "grid_population"] == pytest.approx(75.0)
    assert out.loc["X", "share_65plus"] == pytest.approx(20.0)
    # Y: 25 from A, 40 from B, 30 from C = 95 people
    assert out.loc["Y", "grid_population"] == pytest.approx(95.0)
    # 65+: (25*20 + 40*50 + 30*30) / 95 = 3400 / 95
    assert out.loc["Y", "share_65plus"] == pytest.approx(3400 / 95)
    # under 18 is suppressed in C: (25*20 + 40*10) / 65 = 900 / 65
    assert out.loc["Y", "share_u18"] == pytest.approx(900 / 65)


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
