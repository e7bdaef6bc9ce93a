"""Zensus 2022: municipal figures, the 1 km and 100 m grids, and settlement areas.

The 100 m grid has no total population (the file is too large for the data pack), so the
pipeline estimates it: the population of each 1 km cell is distributed over its 100 m cells in
proportion to their dwellings. The source suppresses counts below 3, so sparse hamlets are
under-represented; every derived column says so in the manifest.
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
from kek_geo.pipeline.boundaries import Boundaries
from kek_geo.pipeline.readers import numeric, read_csv
from kek_geo.settings import ANALYSIS_CRS, GRID_CRS

POPULATION_FILE = "zensus2022-gemeinden/1000A-0000_de_clean_kreis_herford.csv"
GERDA_FILE = "gerda/zensus2022_gemeinden_kreis_herford.csv"
GRID_1KM_FILE = "zensus2011-grid/zensus2011_1km_herford_bbox.csv"
GRID_BUILDINGS_FILE = "zensus2011-grid/zensus2011_100m_buildings_by_constr_year_herford_bbox.csv"
GRID_DWELLINGS_FILE = "zensus2011-grid/zensus2011_100m_dwellings_by_floor_space_herford_bbox.csv"
GRID_AGE_FILE = "zensus2011-grid/zensus2011_100m_population_age_u10_and_80plus_herford_bbox.csv"

_GRID_1KM_COLUMNS = {
    "Einwohner": "population",
    "Alter_D": "mean_age",
    "unter18_A": "share_u18",
    "ab65_A": "share_65plus",
    "HHGroesse_D": "household_size",
    "Leerstandsquote": "vacancy_rate",
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


def read_grid_1km(raw_dir: Path) -> pd.DataFrame:
    """The 1 km grid; ``-1``/``-9`` (suppressed or missing) become missing values.

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


def distribution_weights(cells: pd.DataFrame) -> pd.Series:
    """Weight of each 100 m cell when a 1 km population is spread over its 100 m cells.

    Dwellings are the weight; in a 1 km cell where no 100 m cell has published dwellings,
    residential buildings are used instead.

    Parameters
    ----------
    cells
        100 m cells with ``cell_1km``, ``dwellings`` and ``buildings``.

    Returns
    -------
    pandas.Series
        Weights (0 where nothing is known), aligned to ``cells``.
    """
    dwell = cells["dwellings"].fillna(0.0)
    bld = cells["buildings"].fillna(0.0)
    has_dwellings = dwell.groupby(cells["cell_1km"]).transform("sum") > 0
    return dwell.where(has_dwellings, bld)


def estimate_population(cells: pd.DataFrame, grid_1km: pd.DataFrame) -> pd.Series:
    """Estimated population per 100 m cell: the 1 km population spread by weight.

    Parameters
    ----------
    cells
        100 m cells with ``cell_1km``, ``dwellings``, ``buildings``.
    grid_1km
        1 km cells with ``cell_id`` and ``population``.

    Returns
    -------
    pandas.Series
        Estimated residents; missing where the 1 km population is suppressed.
    """
    weight = distribution_weights(cells)
    total = weight.groupby(cells["cell_1km"]).transform("sum")
    pop_1km = cells["cell_1km"].map(grid_1km.set_index("cell_id")["population"])
    share = (weight / total).where(total > 0, 0.0)
    return (pop_1km * share).astype("float64")


@dataclass(frozen=True)
class GridResult:
    """Outputs of :func:`build_grids`."""

    grid_1km: gpd.GeoDataFrame
    grid_100m: gpd.GeoDataFrame
    allocation: pd.DataFrame
    notes: list[str]


def _allocation(
    cells: pd.DataFrame, grid_1km: gpd.GeoDataFrame, bounds: Boundaries
) -> pd.DataFrame:
    """Share of each 1 km cell's population that lives in each municipality.

    By dwellings of its 100 m cells where there are any, else by area.
    """
    weight = distribution_weights(cells)
    total = weight.groupby(cells["cell_1km"]).sum()
    by_dwelling = (
        weight[cells["ags"].notna()]
        .groupby([cells["cell_1km"], cells["ags"]])
        .sum()
        .rename("w")
        .reset_index()
    )
    by_dwelling["share"] = by_dwelling["w"] / by_dwelling["cell_1km"].map(total)
    by_dwelling = by_dwelling[by_dwelling["cell_1km"].map(total) > 0]

    squares = grid_1km[~grid_1km["cell_id"].isin(by_dwelling["cell_1km"])]
    gem = bounds.gemeinden.to_crs(GRID_CRS)[["ags", "geometry"]]
    pieces = gpd.overlay(squares[["cell_id", "geometry"]], gem, how="intersection")
    by_area = pd.DataFrame(
        {
            "cell_1km": pieces["cell_id"].astype("string"),
            "ags": pieces["ags"].astype("string"),
            "share": pieces.area / 1e6,
        }
    )
    alloc = pd.concat([by_dwelling[["cell_1km", "ags", "share"]], by_area], ignore_index=True)
    return alloc.sort_values(["cell_1km", "ags"]).reset_index(drop=True)


def build_grids(raw_dir: Path, bounds: Boundaries) -> GridResult:
    """Read both grids, estimate 100 m population and clip everything to the district.

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
    g1 = read_grid_1km(raw_dir)
    g1_gdf = gpd.GeoDataFrame(g1, geometry=cell_squares(g1["x"], g1["y"], 1000.0), crs=GRID_CRS)
    g1_gdf = g1_gdf[g1_gdf.intersects(kreis_3035)].reset_index(drop=True)

    cells = read_grid_100m(raw_dir)
    cells["cell_1km"] = parent_1km_id(cells["x"], cells["y"])
    centres = gpd.GeoSeries(gpd.points_from_xy(cells["x"], cells["y"]), crs=GRID_CRS)
    gem_3035 = bounds.gemeinden.to_crs(GRID_CRS)
    cells["ags"] = points_in_polygons(centres, gem_3035, "ags")
    cells["population_est"] = estimate_population(cells, g1)

    allocation = _allocation(cells, g1_gdf, bounds)
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

    kreis_pop = float(grid_1km["population_in_kreis"].sum())
    placed = float(grid_100m["population_est"].sum())
    notes = [
        f"1 km cells touching the district: {len(grid_1km)}; their population inside the "
        f"district (allocated by dwellings, else by area): {kreis_pop:,.0f}.",
        f"100 m cells inside the district: {len(grid_100m)}; estimated population placed on "
        f"them: {placed:,.0f} ({placed / kreis_pop:.1%} of the grid population). The rest "
        "lives in 1 km cells whose 100 m cells publish neither dwellings nor buildings.",
    ]
    return GridResult(grid_1km, grid_100m, allocation, notes)


def weighted_grid_figures(grid_1km: gpd.GeoDataFrame, allocation: pd.DataFrame) -> pd.DataFrame:
    """Population and population-weighted age figures per municipality from the 1 km grid.

    Parameters
    ----------
    grid_1km
        1 km cells with ``population``, ``mean_age``, ``share_u18``, ``share_65plus``.
    allocation
        Share of each 1 km cell's population per municipality.

    Returns
    -------
    pandas.DataFrame
        ``ags``, ``grid_population``, ``mean_age``, ``share_u18``, ``share_65plus``; a share is
        averaged only over cells where it is published.
    """
    cols = ["mean_age", "share_u18", "share_65plus"]
    values = grid_1km.set_index("cell_id")[["population", *cols]]
    df = allocation.join(values, on="cell_1km")
    df["people"] = df["population"] * df["share"]
    out = df.groupby("ags")["people"].sum().rename("grid_population").to_frame()
    for col in cols:
        valid = df[col].notna() & df["people"].notna()
        num = (df.loc[valid, "people"] * df.loc[valid, col]).groupby(df.loc[valid, "ags"]).sum()
        den = df.loc[valid, "people"].groupby(df.loc[valid, "ags"]).sum()
        out[col] = num / den
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
