"""Census data: municipal figures (Zensus 2022), the 1 km grids of 2022 and 2011, the 100 m grid.

Two census years meet here, and every output says which it is:

- **Zensus 2022** (census day 2022-05-15): the official population per municipality, and the
  population per 1 km cell with three age bands (Eurostat Census 2021 grid, whose German figures
  are those of Zensus 2022);
- **Zensus 2011** (census day 2011-05-09): the older 1 km grid (mean age, under-18 share,
  household size, vacancy) and the 100 m cells (buildings, dwellings, children under 10,
  people 80+).

The residents per 100 m cell are an estimate: the 2022 1 km population spread by the 2011
structure and calibrated to the official 2022 municipal totals (see
:mod:`kek_geo.pipeline.population_estimate`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from kek_geo.catalog import BUILDING_AGE_CLASSES
from kek_geo.errors import DataSourceError
from kek_geo.geo import cell_squares, points_in_polygons
from kek_geo.pipeline import population_estimate as pe
from kek_geo.pipeline.boundaries import Boundaries
from kek_geo.pipeline.readers import numeric, read_csv
from kek_geo.settings import ANALYSIS_CRS, GRID_CRS

POPULATION_FILE = "zensus2022-gemeinden/1000A-0000_de_clean_kreis_herford.csv"
GERDA_FILE = "gerda/zensus2022_gemeinden_kreis_herford.csv"
GRID_1KM_FILE = "zensus2011-grid/zensus2011_1km_herford_bbox.csv"
GRID_2022_FILE = "eurostat-census-grid-2021/census2021DE2022_1km_age3_herford_bbox.csv"
GRID_BUILDINGS_FILE = "zensus2011-grid/zensus2011_100m_buildings_by_constr_year_herford_bbox.csv"
GRID_DWELLINGS_FILE = "zensus2011-grid/zensus2011_100m_dwellings_by_floor_space_herford_bbox.csv"
GRID_AGE_FILE = "zensus2011-grid/zensus2011_100m_population_age_u10_and_80plus_herford_bbox.csv"

_GRID_1KM_COLUMNS = {
    "Einwohner": "population_2011",
    "Alter_D": "mean_age_2011",
    "unter18_A": "share_u18_2011",
    "ab65_A": "share_65plus_2011",
    "HHGroesse_D": "household_size_2011",
    "Leerstandsquote": "vacancy_rate_2011",
}
_GRID_2022_COLUMNS = {
    "T": "population",
    "Y_LT15": "people_u15",
    "Y_1564": "people_15_64",
    "Y_GE65": "people_65plus",
}
_GERDA_COLUMNS = {
    "total_dwellings_census22": "dwellings",
    "vacancy_rate_census22": "vacancy_rate",
    "avg_household_size_census22": "household_size",
    "share_owner_occupied_census22": "owner_rate",
    "avg_rent_per_m2_census22": "avg_rent_eur_m2",
}


def ags_from_regional_key(key: str) -> str:
    """Turn a 12-digit Regionalschlüssel (``057580016016``) into the 8-digit AGS.

    Parameters
    ----------
    key
        Regional key; an 8-digit AGS is returned unchanged.

    Returns
    -------
    str
        The AGS, e.g. ``"05758016"``.
    """
    key = key.strip()
    if len(key) == 12:
        return key[:5] + key[-3:]
    if len(key) == 7:  # AGS stored as a number lost its leading zero
        return "0" + key
    return key


def check_ags(values: pd.Series, known: set[str], path: Path) -> None:
    """Fail if a key is not one of the district's municipalities, or one is missing.

    Parameters
    ----------
    values
        AGS values read from a file.
    known
        The district's AGS.
    path
        File name for the error message.
    """
    unknown = sorted(set(values) - known)
    if unknown:
        raise DataSourceError(path, f"AGS {unknown[0]} is not a municipality of the district")
    missing = sorted(known - set(values))
    if missing:
        raise DataSourceError(path, f"no row for AGS {missing[0]}")
    if values.duplicated().any():
        raise DataSourceError(path, f"AGS {values[values.duplicated()].iloc[0]} appears twice")


def read_population(raw_dir: Path, known: set[str]) -> pd.DataFrame:
    """Official population per municipality on census day 2022-05-15.

    Parameters
    ----------
    raw_dir
        Raw data folder.
    known
        The district's AGS.

    Returns
    -------
    pandas.DataFrame
        Columns ``ags``, ``name_official``, ``population``.
    """
    path = raw_dir / POPULATION_FILE
    df = read_csv(path, required=("ags", "place", "population"), dtype={"ags": "string"})
    df["ags"] = df["ags"].map(ags_from_regional_key).astype("string")
    check_ags(df["ags"], known, path)
    numeric(df, ["population"], path)
    if df["population"].isna().any() or (df["population"] <= 0).any():
        raise DataSourceError(path, "population must be a positive number in every row")
    return pd.DataFrame(
        {
            "ags": df["ags"],
            "name_official": df["place"].astype("string"),
            "population": df["population"].astype("int64"),
        }
    )


def read_municipal_census(raw_dir: Path, known: set[str]) -> pd.DataFrame:
    """Dwellings, vacancy, household size, owner rate and rent per municipality.

    The GERDA age-share and single-family columns are wrong in the source and are not read.

    Parameters
    ----------
    raw_dir
        Raw data folder.
    known
        The district's AGS.

    Returns
    -------
    pandas.DataFrame
        ``ags`` plus the columns of ``_GERDA_COLUMNS``.
    """
    path = raw_dir / GERDA_FILE
    df = read_csv(path, required=("ags", *_GERDA_COLUMNS), dtype={"ags": "string"})
    df["ags"] = df["ags"].map(ags_from_regional_key).astype("string")
    check_ags(df["ags"], known, path)
    numeric(df, list(_GERDA_COLUMNS), path)
    return df[["ags", *_GERDA_COLUMNS]].rename(columns=_GERDA_COLUMNS)


def read_grid_1km_2011(raw_dir: Path) -> pd.DataFrame:
    """The Zensus 2011 1 km grid; ``-1``/``-9`` (no population, suppressed) become missing.

    Parameters
    ----------
    raw_dir
        Raw data folder.

    Returns
    -------
    pandas.DataFrame
        ``cell_id``, ``x``, ``y`` (cell centre, EPSG:3035) and the renamed value columns.
    """
    path = raw_dir / GRID_1KM_FILE
    df = read_csv(path, required=("GITTER_ID_1km", "x_mp_1km", "y_mp_1km", *_GRID_1KM_COLUMNS))
    numeric(df, ["x_mp_1km", "y_mp_1km", *_GRID_1KM_COLUMNS], path)
    out = pd.DataFrame(
        {
            "cell_id": df["GITTER_ID_1km"].astype("string"),
            "x": df["x_mp_1km"],
            "y": df["y_mp_1km"],
        }
    )
    for src, dst in _GRID_1KM_COLUMNS.items():
        out[dst] = df[src].where(df[src] >= 0)
    if out["cell_id"].duplicated().any():
        raise DataSourceError(path, "a grid cell appears twice")
    return out


def read_grid_1km_2022(raw_dir: Path) -> pd.DataFrame:
    """The 2022 population per 1 km cell with three age bands (Eurostat grid, Zensus 2022).

    Only populated cells are listed in the source. Its German values are perturbed by the
    statistical offices, so the bands do not add up exactly to the total: shares are band ÷
    total, never band ÷ sum of bands.

    Parameters
    ----------
    raw_dir
        Raw data folder.

    Returns
    -------
    pandas.DataFrame
        ``cell_id`` (INSPIRE id of the lower-left corner, as in the 2011 grid), ``x``, ``y``
        (cell centre, EPSG:3035), ``population``, ``people_u15``, ``people_15_64``,
        ``people_65plus``.
    """
    path = raw_dir / GRID_2022_FILE
    df = read_csv(path, required=("GRD_ID", "x_mp_1km", "y_mp_1km", *_GRID_2022_COLUMNS))
    numeric(df, ["x_mp_1km", "y_mp_1km", *_GRID_2022_COLUMNS], path)
    values = df[list(_GRID_2022_COLUMNS)]
    if values.isna().any().any() or (values < 0).any().any():
        raise DataSourceError(path, "population and age bands must be counts ≥ 0 in every row")
    out = pd.DataFrame(
        {
            "cell_id": df["GRD_ID"].astype("string"),
            "x": df["x_mp_1km"],
            "y": df["y_mp_1km"],
        }
    )
    for src, dst in _GRID_2022_COLUMNS.items():
        out[dst] = df[src].astype("float64")
    if out["cell_id"].duplicated().any():
        raise DataSourceError(path, "a grid cell appears twice")
    expected = parent_1km_id(out["x"], out["y"])
    if (expected != out["cell_id"]).any():
        bad = out.loc[expected != out["cell_id"], "cell_id"].iloc[0]
        raise DataSourceError(path, f"cell {bad}: id and centre coordinates disagree")
    return out


def merge_1km_grids(grid_2022: pd.DataFrame, grid_2011: pd.DataFrame) -> pd.DataFrame:
    """One row per 1 km cell with the 2022 and the 2011 figures side by side.

    A cell missing from the 2022 grid had no residents in 2022 (the source lists only populated
    cells): its population is 0 and its 2022 shares are missing. Shares are in %.

    Parameters
    ----------
    grid_2022
        From :func:`read_grid_1km_2022`.
    grid_2011
        From :func:`read_grid_1km_2011`.

    Returns
    -------
    pandas.DataFrame
        ``cell_id``, ``x``, ``y``, the 2022 counts, ``share_u15``, ``share_65plus`` (2022), the
        2011 columns and ``change_65plus_pp`` (2022 share minus 2011 share, percentage points).
    """
    merged = grid_2022.merge(grid_2011, on="cell_id", how="outer", suffixes=("", "_2011"))
    merged["x"] = merged["x"].fillna(merged.pop("x_2011"))
    merged["y"] = merged["y"].fillna(merged.pop("y_2011"))
    for col in _GRID_2022_COLUMNS.values():
        merged[col] = merged[col].fillna(0.0)
    total = merged["population"].where(merged["population"] > 0)
    merged["share_u15"] = merged["people_u15"] / total * 100.0
    merged["share_65plus"] = merged["people_65plus"] / total * 100.0
    merged["change_65plus_pp"] = merged["share_65plus"] - merged["share_65plus_2011"]
    return merged.sort_values("cell_id").reset_index(drop=True)


def _read_100m(path: Path, prefix: str, count: int) -> pd.DataFrame:
    value_cols = [f"{prefix}_{i}" for i in range(1, count + 1)]
    df = read_csv(path, required=("GITTER_ID_100m", "x_mp_100m", "y_mp_100m", *value_cols))
    numeric(df, ["x_mp_100m", "y_mp_100m", *value_cols], path)
    for col in value_cols:  # negative codes mean suppressed or missing
        df[col] = df[col].where(df[col] >= 0)
    if df["GITTER_ID_100m"].duplicated().any():
        raise DataSourceError(path, "a grid cell appears twice")
    return df.rename(columns={"GITTER_ID_100m": "cell_id", "x_mp_100m": "x", "y_mp_100m": "y"})


def _present_sum(df: pd.DataFrame, cols: list[str]) -> pd.Series:
    """Sum of the published classes; missing where every class is suppressed."""
    return df[cols].sum(axis=1, min_count=1)


def read_grid_100m(raw_dir: Path) -> pd.DataFrame:
    """Merge the three 100 m files into one table per cell.

    Parameters
    ----------
    raw_dir
        Raw data folder.

    Returns
    -------
    pandas.DataFrame
        ``cell_id``, ``x``, ``y`` (centre, EPSG:3035), buildings by construction-year class,
        ``buildings``, ``dwellings``, ``children_u10``, ``people_80plus``.
    """
    bld = _read_100m(raw_dir / GRID_BUILDINGS_FILE, "geb_baujahr", len(BUILDING_AGE_CLASSES))
    classes = [f"geb_baujahr_{i}" for i in range(1, len(BUILDING_AGE_CLASSES) + 1)]
    buildings = bld[["cell_id", "x", "y"]].copy()
    for src, (dst, _, _) in zip(classes, BUILDING_AGE_CLASSES, strict=True):
        buildings[dst] = bld[src]
    buildings["buildings"] = _present_sum(bld, classes)

    dwl = _read_100m(raw_dir / GRID_DWELLINGS_FILE, "whg_flaeche", 17)
    dwl_cols = [f"whg_flaeche_{i}" for i in range(1, 18)]
    dwellings = dwl[["cell_id", "x", "y"]].assign(dwellings=_present_sum(dwl, dwl_cols))

    age = _read_100m(raw_dir / GRID_AGE_FILE, "alter10jg", 1)
    age_path = raw_dir / GRID_AGE_FILE
    if "alter10jg_9" not in age.columns:
        raise DataSourceError(age_path, "missing column 'alter10jg_9' (people 80+)")
    numeric(age, ["alter10jg_9"], age_path)
    ages = age[["cell_id", "x", "y"]].assign(
        children_u10=age["alter10jg_1"],
        people_80plus=age["alter10jg_9"].where(age["alter10jg_9"] >= 0),
    )
    merged = buildings.merge(dwellings, on=["cell_id", "x", "y"], how="outer")
    merged = merged.merge(ages, on=["cell_id", "x", "y"], how="outer")
    if merged["cell_id"].duplicated().any():
        raise DataSourceError(
            raw_dir / GRID_AGE_FILE, "cell ids and centres disagree between files"
        )
    return merged.sort_values("cell_id").reset_index(drop=True)


def parent_1km_id(x_centre: pd.Series, y_centre: pd.Series) -> pd.Series:
    """Zensus id of the 1 km cell that holds each 100 m cell centre.

    Parameters
    ----------
    x_centre, y_centre
        Centre coordinates in EPSG:3035.

    Returns
    -------
    pandas.Series
        Ids like ``CRS3035RES1000mN3217000E4219000``.
    """
    xs = (np.floor(x_centre.to_numpy() / 1000) * 1000).astype(np.int64)
    ys = (np.floor(y_centre.to_numpy() / 1000) * 1000).astype(np.int64)
    ids = [f"CRS3035RES1000mN{y}E{x}" for x, y in zip(xs, ys, strict=True)]
    return pd.Series(ids, index=x_centre.index, dtype="string")


@dataclass(frozen=True)
class GridResult:
    """Outputs of :func:`build_grids`."""

    grid_1km: gpd.GeoDataFrame
    grid_100m: gpd.GeoDataFrame
    allocation: pd.DataFrame
    notes: list[str]


def _area_pieces(squares: gpd.GeoDataFrame, bounds: Boundaries) -> pd.DataFrame:
    """Share of each 1 km square's area in each municipality."""
    gem = bounds.gemeinden.to_crs(GRID_CRS)[["ags", "geometry"]]
    pieces = gpd.overlay(squares[["cell_id", "geometry"]], gem, how="intersection")
    return pd.DataFrame(
        {
            "cell_1km": pieces["cell_id"].astype("string"),
            "ags": pieces["ags"].astype("string"),
            "share": pieces.area / 1e6,
        }
    )


def _cells_100m(raw_dir: Path, bounds: Boundaries) -> pd.DataFrame:
    """All 100 m cells of the raw files with their 1 km parent and municipality (or none)."""
    cells = read_grid_100m(raw_dir)
    cells["cell_1km"] = parent_1km_id(cells["x"], cells["y"])
    centres = gpd.GeoSeries(gpd.points_from_xy(cells["x"], cells["y"]), crs=GRID_CRS)
    cells["ags"] = points_in_polygons(centres, bounds.gemeinden.to_crs(GRID_CRS), "ags")
    return cells


def estimate_residents(
    cells: pd.DataFrame, grid_1km: pd.DataFrame, official: pd.Series
) -> pd.DataFrame:
    """Estimated 2022 residents of every 100 m cell, with the steps that led to them.

    Parameters
    ----------
    cells
        All 100 m cells with ``cell_1km``, ``ags`` (missing outside the district) and the
        published 2011 values.
    grid_1km
        1 km cells with ``cell_id`` and the 2022 ``population``.
    official
        Official 2022 population by AGS.

    Returns
    -------
    pandas.DataFrame
        Aligned to ``cells``: ``weight`` (2011 structure), ``floor`` (published residents),
        ``spread`` (the 1 km population spread over the 100 m cells) and ``population_est``
        (calibrated to ``official``; missing outside the district).
    """
    weight = pe.structure_weights(cells, pe.dwellings_per_published_child(cells))
    floor = pe.published_residents(cells)
    totals = grid_1km.set_index("cell_id")["population"]
    spread = pe.spread_with_floors(totals, cells["cell_1km"], weight, floor)
    inside = cells["ags"].notna()
    calibrated = pe.calibrate_to_totals(
        spread[inside], floor[inside], cells.loc[inside, "ags"], official
    )
    return pd.DataFrame(
        {
            "weight": weight,
            "floor": floor,
            "spread": spread,
            "population_est": calibrated.reindex(cells.index),
        }
    )


def _estimate_notes(
    cells: pd.DataFrame, est: pd.DataFrame, official: pd.Series, grid_1km: pd.DataFrame
) -> list[str]:
    inside = cells["ags"].notna()
    housing = np.maximum(cells["dwellings"].fillna(0), cells["buildings"].fillna(0))[inside]
    by_dwellings = int((cells.loc[inside, "dwellings"].fillna(0) >= housing)[housing > 0].sum())
    by_buildings = int((housing > 0).sum()) - by_dwellings
    by_children = int(((housing == 0) & (est.loc[inside, "weight"] > 0)).sum())
    only_80 = int((est.loc[inside, "weight"] == 0).sum())
    at_floor = int((est.loc[inside, "population_est"] <= est.loc[inside, "floor"] + 1e-6).sum())
    placed = est.loc[inside, "spread"].groupby(cells.loc[inside, "ags"]).sum()
    factor = official.reindex(placed.index) / placed
    weighted = set(est["weight"].groupby(cells["cell_1km"]).sum().loc[lambda w: w > 0].index)
    empty = grid_1km[~grid_1km["cell_id"].isin(weighted) & (grid_1km["population"] > 0)]
    return [
        f"100 m cells inside the district: {int(inside.sum())}; weighted by dwellings "
        f"{by_dwellings}, by residential buildings {by_buildings}, by published children under "
        f"10 {by_children}; {only_80} publish only people 80+ and count as them; {at_floor} "
        "cells hold exactly their published residents (under 10 and 80+).",
        f"The 2022 1 km population spread over these cells: {placed.sum():,.0f}; calibrated to "
        f"the official Zensus 2022 totals per municipality with factors {factor.min():.3f} to "
        f"{factor.max():.3f}: {est['population_est'].sum():,.0f} (official "
        f"{int(official.sum()):,}). {len(empty)} 1 km cells touching the district hold "
        f"{empty['population'].sum():,.0f} residents but no 100 m cell publishing anything; the "
        "calibration places their share.",
    ]


def build_grids(raw_dir: Path, bounds: Boundaries) -> GridResult:
    """Read both 1 km grids and the 100 m grid, estimate 100 m residents, clip to the district.

    Parameters
    ----------
    raw_dir
        Raw data folder.
    bounds
        District and municipality polygons.

    Returns
    -------
    GridResult
        The 1 km and 100 m layers in EPSG:25832, the population allocation table and notes.
    """
    kreis_3035 = bounds.kreis.to_crs(GRID_CRS).geometry.iloc[0]
    g1 = merge_1km_grids(read_grid_1km_2022(raw_dir), read_grid_1km_2011(raw_dir))
    g1_gdf = gpd.GeoDataFrame(g1, geometry=cell_squares(g1["x"], g1["y"], 1000.0), crs=GRID_CRS)
    g1_gdf = g1_gdf[g1_gdf.intersects(kreis_3035)].reset_index(drop=True)

    cells = _cells_100m(raw_dir, bounds)
    official = read_population(raw_dir, bounds.ags_codes).set_index("ags")["population"]
    est = estimate_residents(cells, g1, official)
    cells["population_est"] = est["population_est"]
    allocation = pe.allocation_shares(cells, est["spread"], _area_pieces(g1_gdf, bounds))

    in_kreis = allocation.groupby("cell_1km")["share"].sum()
    g1_gdf["population_in_kreis"] = g1_gdf["population"] * g1_gdf["cell_id"].map(in_kreis).fillna(0)
    g1_gdf["geometry"] = g1_gdf.geometry.intersection(kreis_3035)
    g1_gdf["area_in_kreis_km2"] = g1_gdf.area / 1e6
    grid_1km = g1_gdf.drop(columns=["x", "y"]).to_crs(ANALYSIS_CRS)

    inside = cells[cells["ags"].notna()].reset_index(drop=True)
    grid_100m = gpd.GeoDataFrame(
        inside.drop(columns=["x", "y"]),
        geometry=cell_squares(inside["x"], inside["y"], 100.0),
        crs=GRID_CRS,
    ).to_crs(ANALYSIS_CRS)
    notes = [
        f"1 km cells touching the district: {len(grid_1km)}; their 2022 population inside the "
        "district (split by the 2011 structure of their 100 m cells, by area only where none "
        f"publishes anything): {float(grid_1km['population_in_kreis'].sum()):,.0f}.",
        *_estimate_notes(cells, est, official, g1_gdf),
    ]
    return GridResult(grid_1km, grid_100m, allocation, notes)


def _weighted_mean(df: pd.DataFrame, value: str, weight: str) -> pd.Series:
    valid = df[value].notna() & df[weight].notna()
    num = (df.loc[valid, weight] * df.loc[valid, value]).groupby(df.loc[valid, "ags"]).sum()
    den = df.loc[valid, weight].groupby(df.loc[valid, "ags"]).sum()
    return num / den


def weighted_grid_figures(grid_1km: pd.DataFrame, allocation: pd.DataFrame) -> pd.DataFrame:
    """Grid population and age figures per municipality, 2022 and 2011.

    Each 1 km cell counts with the share of its residents living in the municipality. 2022
    shares are band totals ÷ population totals; 2011 shares and the mean age are weighted by the
    2011 population, over the cells where the value is published.

    Parameters
    ----------
    grid_1km
        1 km cells from :func:`merge_1km_grids`.
    allocation
        Share of each 1 km cell's population per municipality.

    Returns
    -------
    pandas.DataFrame
        ``ags``, ``grid_population`` (2022), ``share_u15``, ``share_65plus`` (2022, %),
        ``grid_population_2011``, ``mean_age_2011``, ``share_u18_2011``, ``share_65plus_2011``.
    """
    columns = [
        "population",
        "people_u15",
        "people_65plus",
        "population_2011",
        "mean_age_2011",
        "share_u18_2011",
        "share_65plus_2011",
    ]
    df = allocation.join(grid_1km.set_index("cell_id")[columns], on="cell_1km")
    for col in ("population", "people_u15", "people_65plus", "population_2011"):
        df[col] = df[col] * df["share"]
    sums = df.groupby("ags")[["population", "people_u15", "people_65plus"]].sum(min_count=1)
    pop = sums["population"].where(sums["population"] > 0)
    out = pd.DataFrame(
        {
            "grid_population": sums["population"],
            "share_u15": sums["people_u15"] / pop * 100.0,
            "share_65plus": sums["people_65plus"] / pop * 100.0,
            "grid_population_2011": df.groupby("ags")["population_2011"].sum(min_count=1),
        }
    )
    for col in ("mean_age_2011", "share_u18_2011", "share_65plus_2011"):
        out[col] = _weighted_mean(df, col, "population_2011")
    out.index.name = "ags"
    return out.reset_index()


def settlement_patches(grid_100m: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Dissolve 100 m cells into settlement patches of edge-adjacent cells.

    Parameters
    ----------
    grid_100m
        100 m cells (EPSG:25832) with ``ags`` and ``population_est``.

    Returns
    -------
    geopandas.GeoDataFrame
        ``patch_id`` (1 = largest), ``ags`` (municipality holding most cells), ``area_ha``,
        ``cells``, ``population_est``.
    """
    squares = grid_100m.to_crs(GRID_CRS)
    # Squares in the grid CRS share exact edges, so a coverage union dissolves them cleanly.
    merged = shapely.coverage_union_all(squares.geometry.to_numpy())
    parts = gpd.GeoDataFrame(geometry=list(shapely.get_parts(merged)), crs=GRID_CRS)
    centres = gpd.GeoDataFrame(
        squares[["ags", "population_est"]], geometry=squares.centroid, crs=GRID_CRS
    )
    joined = gpd.sjoin(centres, parts, predicate="within", how="left")
    grouped = joined.groupby("index_right")
    parts["cells"] = grouped.size()
    parts["population_est"] = grouped["population_est"].sum(min_count=1)
    parts["ags"] = grouped["ags"].agg(lambda s: s.value_counts().sort_index().idxmax())
    parts["area_ha"] = parts.area / 1e4
    parts["_x"] = parts.centroid.x.round(0)
    parts["_y"] = parts.centroid.y.round(0)
    parts = parts.sort_values(["cells", "_x", "_y"], ascending=[False, True, True])
    parts = parts.drop(columns=["_x", "_y"]).reset_index(drop=True)
    parts.insert(0, "patch_id", np.arange(1, len(parts) + 1, dtype="int64"))
    parts["cells"] = parts["cells"].astype("int64")
    parts["ags"] = parts["ags"].astype("string")
    return parts.to_crs(ANALYSIS_CRS)
