"""Zensus 2022 on the 100 m grid, as ``kek-geo fetch`` cuts it to a district.

With ``zensus2022-grid/Zensus2022_Bevoelkerungszahl_100m-Gitter.csv`` in the raw folder the
build counts instead of estimating: every 100 m cell has its 2022 residents, the municipal
populations and age shares are sums of cells, and the 1 km grid is built from the 100 m cells
where no 1 km file exists. The other fetched grids (age in five classes, buildings by
construction year, vacancy, rent) add their columns where present. The Zensus 2011 structure
(children under 10, people 80+, dwellings) is kept where the raw folder has it, else missing.

Files are as published: ``;``-separated, decimal comma, ``–`` for a suppressed value; cells
without residents are not listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from kek_geo.catalog import BUILDING_AGE_CLASSES
from kek_geo.errors import DataSourceError
from kek_geo.geo import cell_squares, points_in_polygons
from kek_geo.pipeline.boundaries import Boundaries
from kek_geo.pipeline.readers import read_csv
from kek_geo.settings import ANALYSIS_CRS, GRID_CRS

GRID_DIR = "zensus2022-grid"
#: The file ``kek-geo fetch`` writes for the population grid (named as in the archive).
POPULATION_FILE = f"{GRID_DIR}/Zensus2022_Bevoelkerungszahl_100m-Gitter.csv"

#: Each grid: the pattern of its file in ``zensus2022-grid/`` (as the archives name them) and
#: its columns → names here (a column a file lacks stays missing).
GRIDS: dict[str, tuple[str, dict[str, str]]] = {
    "population": ("*Bevoelkerungszahl*100m-Gitter.csv", {"Einwohner": "population"}),
    "age": (
        "*Alter_in_5_Altersklassen*100m-Gitter.csv",
        {"Insgesamt_Bevoelkerung": "age_total", "Unter18": "people_u18",
         "a65undaelter": "people_65plus"},
    ),
    "buildings": (
        "*Baujahr*100m-Gitter.csv",
        {"Insgesamt_Gebaeude": "buildings_2022", "Vor1919": "b_pre1919",
         "a1919bis1948": "b_1919_1948", "a1949bis1978": "b_1949_1978"},
    ),
    "vacancy": ("*Leerstandsquote*100m-Gitter.csv", {"Leerstandsquote": "vacancy_rate"}),
    "rent": (
        "*Nettokaltmiete*100m-Gitter.csv",
        {"durchschnMieteQM": "rent_eur_m2", "AnzahlWohnungen": "dwellings_2022"},
    ),
}  # fmt: skip
_KEYS = ("GITTER_ID_100m", "x_mp_100m", "y_mp_100m")
#: The construction-year classes of 2022 that match a class of 2011 (the later ones do not).
SHARED_BUILDING_CLASSES = ("b_pre1919", "b_1919_1948", "b_1949_1978")


def parse_numbers(values: pd.Series, path: Path, column: str) -> pd.Series:
    """Numbers as published (decimal comma, ``–`` or empty for suppressed) as floats.

    Parameters
    ----------
    values
        The column as text.
    path, column
        For the error message.

    Returns
    -------
    pandas.Series
        Floats; suppressed values are missing.
    """
    text = values.astype("string").str.strip()
    text = text.mask(text.isin(["–", "-", "—", ""]))
    numbers = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    bad = numbers.isna() & text.notna()
    if bad.any():
        raise DataSourceError(
            path, f"column {column!r} has a non-numeric value {text[bad].iloc[0]!r}"
        )
    return numbers.astype("float64")


def read_grid_file(path: Path, columns: dict[str, str]) -> pd.DataFrame:
    """One Zensus 2022 100 m file: ``cell_id``, ``x``, ``y`` (centre, EPSG:3035) and its values.

    Parameters
    ----------
    path
        The CSV file.
    columns
        Value columns → names; at least one must be in the file, the others stay missing.

    Returns
    -------
    pandas.DataFrame
        One row per cell.
    """
    df = read_csv(path, required=_KEYS, dtype=dict.fromkeys((*_KEYS, *columns), "string"))
    if not any(c in df.columns for c in columns):
        wanted = ", ".join(map(repr, columns))
        raise DataSourceError(path, f"missing column(s): none of {wanted}")
    out = pd.DataFrame(
        {
            "cell_id": df["GITTER_ID_100m"].astype("string"),
            "x": parse_numbers(df["x_mp_100m"], path, "x_mp_100m"),
            "y": parse_numbers(df["y_mp_100m"], path, "y_mp_100m"),
        }
    )
    if out[["x", "y"]].isna().any().any():
        raise DataSourceError(path, "a cell has no centre coordinates")
    for src, dst in columns.items():
        out[dst] = parse_numbers(df[src], path, src) if src in df.columns else np.nan
    if out["cell_id"].duplicated().any():
        raise DataSourceError(
            path, f"cell {out.loc[out['cell_id'].duplicated(), 'cell_id'].iloc[0]} appears twice"
        )
    return out


def grid_file(raw_dir: Path, kind: str) -> Path | None:
    """The file of one grid in the raw folder (the last by name if there are several).

    Parameters
    ----------
    raw_dir
        Raw data folder.
    kind
        Key of :data:`GRIDS`.

    Returns
    -------
    pathlib.Path or None
        The file, or ``None`` if it was not fetched.
    """
    folder = raw_dir / GRID_DIR
    found = sorted(folder.glob(GRIDS[kind][0])) if folder.is_dir() else []
    return found[-1] if found else None


def has_grid(raw_dir: Path) -> bool:
    """Whether the raw folder holds the Zensus 2022 population per 100 m cell."""
    return grid_file(raw_dir, "population") is not None


def read_cells(raw_dir: Path) -> tuple[pd.DataFrame, dict[str, str]]:
    """Every populated 100 m cell with the values of every fetched 2022 grid.

    Parameters
    ----------
    raw_dir
        Raw data folder (with the population grid).

    Returns
    -------
    tuple
        The cells, and the grids read: kind → file relative to the raw folder.
    """
    used: dict[str, str] = {}
    cells = pd.DataFrame()
    for kind, (_pattern, columns) in GRIDS.items():
        path = grid_file(raw_dir, kind)
        if path is None:
            for column in columns.values():
                cells[column] = np.nan
            continue
        values = read_grid_file(path, columns)
        if kind == "population":
            cells = values
        else:
            cells = cells.merge(values.drop(columns=["x", "y"]), on="cell_id", how="left")
        used[kind] = path.relative_to(raw_dir).as_posix()
    return cells, used


def parent_1km(x: pd.Series, y: pd.Series) -> pd.Series:
    """INSPIRE id of the 1 km cell holding each centre (EPSG:3035 metres)."""
    xs = (np.floor(x.to_numpy() / 1000) * 1000).astype(np.int64)
    ys = (np.floor(y.to_numpy() / 1000) * 1000).astype(np.int64)
    return pd.Series([f"CRS3035RES1000mN{b}E{a}" for a, b in zip(xs, ys, strict=True)],
                     index=x.index, dtype="string")  # fmt: skip


@dataclass(frozen=True)
class Grid2022:
    """The 2022 grids of a district built from the 100 m cells."""

    grid_100m: gpd.GeoDataFrame
    grid_1km: gpd.GeoDataFrame
    allocation: pd.DataFrame
    files: tuple[str, ...]
    notes: list[str]
    kinds: tuple[str, ...] = ()


_GRID_100M_COLUMNS = (
    "cell_id",
    "cell_1km",
    "ags",
    "buildings",
    *(col for col, _, _ in BUILDING_AGE_CLASSES),
    "dwellings",
    "children_u10",
    "people_80plus",
    "population_est",
)


def _with_2011(cells: pd.DataFrame, structure: pd.DataFrame | None) -> pd.DataFrame:
    """Add the 2011 structure of each cell (or missing values without it)."""
    out = cells.copy()
    if structure is None:
        out["buildings"] = out["buildings_2022"]
        out["dwellings"] = out["dwellings_2022"]
        for col, _, _ in BUILDING_AGE_CLASSES:
            if col not in SHARED_BUILDING_CLASSES:
                out[col] = np.nan
        for col in ("children_u10", "people_80plus"):
            out[col] = np.nan
        return out
    keep = ["cell_id", "x", "y", "buildings", *(c for c, _, _ in BUILDING_AGE_CLASSES),
            "dwellings", "children_u10", "people_80plus"]  # fmt: skip
    out = out.drop(columns=[c for c in keep if c not in {"cell_id", "x", "y"}], errors="ignore")
    out = out.merge(structure[keep], on="cell_id", how="outer", suffixes=("", "_2011"),
                    indicator=True)  # fmt: skip
    for axis in ("x", "y"):
        out[axis] = out[axis].fillna(out.pop(f"{axis}_2011"))
    # a cell the 2022 grid does not list had nobody living there; a listed cell with a
    # suppressed count (–) stays missing
    only_2011 = (out.pop("_merge") == "right_only").to_numpy()
    out.loc[only_2011, "population"] = 0.0
    return out


def paired(cells: pd.DataFrame) -> pd.DataFrame:
    """The age columns only where both are published (a share never mixes cells)."""
    out = cells.copy()
    both = out["age_total"].notna() & out["people_65plus"].notna()
    out["age_total"] = out["age_total"].where(both)
    out["people_65plus"] = out["people_65plus"].where(both)
    return out


def _grid_1km_from_cells(cells: pd.DataFrame, bounds: Boundaries) -> gpd.GeoDataFrame:
    cells = paired(cells)
    sums = cells.groupby("cell_1km")[["population", "age_total", "people_65plus"]].sum(min_count=1)
    inside = cells[cells["ags"].notna()].groupby("cell_1km")["population"].sum()
    out = pd.DataFrame(
        {"cell_id": sums.index.astype("string"), "population": sums["population"].to_numpy()}
    )
    out["population_in_kreis"] = out["cell_id"].map(inside).fillna(0.0).to_numpy()
    out["people_u15"] = np.nan
    out["people_15_64"] = np.nan
    out["people_65plus"] = sums["people_65plus"].to_numpy()
    age_total = sums["age_total"].where(sums["age_total"] > 0).to_numpy()
    out["share_u15"] = np.nan
    out["share_65plus"] = out["people_65plus"] / age_total * 100.0
    for col in ("population_2011", "mean_age_2011", "share_u18_2011", "share_65plus_2011",
                "household_size_2011", "vacancy_rate_2011", "change_65plus_pp"):  # fmt: skip
        out[col] = np.nan
    x = out["cell_id"].str.extract(r"E(\d+)$")[0].astype("float64") + 500.0
    y = out["cell_id"].str.extract(r"N(\d+)E")[0].astype("float64") + 500.0
    squares = gpd.GeoDataFrame(out, geometry=cell_squares(x, y, 1000.0), crs=GRID_CRS)
    kreis = bounds.kreis.to_crs(GRID_CRS).geometry.iloc[0]
    squares = squares[squares.intersects(kreis)].copy()
    squares["geometry"] = squares.geometry.intersection(kreis)
    squares["area_in_kreis_km2"] = squares.area / 1e6
    return squares.sort_values("cell_id").reset_index(drop=True).to_crs(ANALYSIS_CRS)


def build_grid_2022(
    raw_dir: Path, bounds: Boundaries, structure_2011: pd.DataFrame | None = None
) -> Grid2022:
    """The 100 m and 1 km layers of a district from the Zensus 2022 100 m cells.

    Parameters
    ----------
    raw_dir
        Raw data folder with :data:`POPULATION_FILE`.
    bounds
        District and municipalities.
    structure_2011
        The Zensus 2011 100 m cells (:func:`kek_geo.pipeline.census.read_grid_100m`), if the
        raw folder has them: their buildings, dwellings, children under 10 and people 80+.

    Returns
    -------
    Grid2022
        The layers, the share of each 1 km cell's residents per municipality, the files read.
    """
    cells, grids = read_cells(raw_dir)
    cells = _with_2011(cells, structure_2011)
    cells["cell_1km"] = parent_1km(cells["x"], cells["y"])
    centres = gpd.GeoSeries(gpd.points_from_xy(cells["x"], cells["y"]), crs=GRID_CRS)
    cells["ags"] = points_in_polygons(centres, bounds.gemeinden.to_crs(GRID_CRS), "ags")
    cells["population_est"] = cells["population"]
    grid_1km = _grid_1km_from_cells(cells, bounds)
    inside = cells[cells["ags"].notna()].reset_index(drop=True)
    total = cells.groupby("cell_1km")["population"].sum()
    allocation = (
        inside.groupby(["cell_1km", "ags"])["population"].sum().rename("share").reset_index()
    )
    allocation["share"] = allocation["share"] / allocation["cell_1km"].map(total.where(total > 0))
    allocation = allocation[allocation["share"] > 0].reset_index(drop=True)
    extra = [c for c in ("people_65plus", "age_total", "people_u18", "vacancy_rate", "rent_eur_m2",
                         "buildings_2022", "dwellings_2022") if c in inside.columns]  # fmt: skip
    grid_100m = gpd.GeoDataFrame(
        inside[[*_GRID_100M_COLUMNS, *extra]],
        geometry=cell_squares(inside["x"], inside["y"], 100.0),
        crs=GRID_CRS,
    ).to_crs(ANALYSIS_CRS)
    notes = [
        f"100 m cells with residents in the district: {int((inside['population'] > 0).sum())}, "
        f"residents {inside['population'].sum():,.0f} (Zensus 2022, counted, not estimated).",
        f"1 km cells touching the district: {len(grid_1km)} (sums of their 100 m cells).",
    ]
    return Grid2022(grid_100m, grid_1km, allocation, tuple(grids.values()), notes, tuple(grids))


def municipal_figures(grid_100m: pd.DataFrame) -> pd.DataFrame:
    """Residents and the 65+ share per municipality from the 100 m cells.

    Parameters
    ----------
    grid_100m
        Cells inside the district from :func:`build_grid_2022`.

    Returns
    -------
    pandas.DataFrame
        ``ags``, ``grid_population``, ``share_65plus`` (%, 65+ ÷ residents of the age grid),
        ``population`` (integer sum of the cells).
    """
    by = paired(grid_100m).groupby("ags")
    sums = by[["population_est", "people_65plus", "age_total"]].sum(min_count=1)
    out = pd.DataFrame(
        {
            "grid_population": sums["population_est"],
            "share_65plus": sums["people_65plus"]
            / sums["age_total"].where(sums["age_total"] > 0)
            * 100.0,
            "population": sums["population_est"].fillna(0).round().astype("int64"),
        }
    )
    out.index.name = "ags"
    return out.reset_index()


def grid_1km_with_published(raw_dir: Path, grid_1km: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Add the published 1 km figures where the raw folder has them (2022 age bands, 2011)."""
    from kek_geo.pipeline import census  # noqa: PLC0415 - census imports the shared helpers

    out = grid_1km.copy()
    if (raw_dir / census.GRID_2022_FILE).is_file():
        published = census.read_grid_1km_2022(raw_dir).set_index("cell_id")
        total = published["population"].where(published["population"] > 0)
        for col in ("people_u15", "people_15_64"):
            out[col] = out["cell_id"].map(published[col]).astype("float64")
        out["share_u15"] = out["cell_id"].map(published["people_u15"] / total * 100.0)
    if (raw_dir / census.GRID_1KM_FILE).is_file():
        older = census.read_grid_1km_2011(raw_dir).set_index("cell_id")
        for col in ("population_2011", "mean_age_2011", "share_u18_2011", "share_65plus_2011",
                    "household_size_2011", "vacancy_rate_2011"):  # fmt: skip
            out[col] = out["cell_id"].map(older[col]).astype("float64")
        out["change_65plus_pp"] = out["share_65plus"] - out["share_65plus_2011"]
    return out
