"""Readers for raw input files that fail with one clear message naming the file.

All raw files are read through these functions so that a missing file, a corrupt file, a
missing column or a wrong CRS always surfaces as a :class:`~kek_geo.errors.DataSourceError`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyproj

from kek_geo.errors import DataSourceError

#: Rough bounding box of Germany in WGS84, to catch projected coordinates labelled as degrees.
GERMANY_BOUNDS = (5.5, 47.0, 15.5, 55.5)


def require_file(path: Path) -> Path:
    """Return ``path`` if it is a readable file, else raise a clear error.

    Parameters
    ----------
    path
        File expected to exist.

    Returns
    -------
    pathlib.Path
        The same path.
    """
    if not path.is_file():
        raise DataSourceError(path, "file not found")
    return path


def _missing(columns: Iterable[str], required: Iterable[str]) -> list[str]:
    have = set(columns)
    return [c for c in required if c not in have]


def read_geojson(
    path: Path,
    *,
    required: Iterable[str] = (),
    geometry_types: Iterable[str] = ("Polygon", "MultiPolygon"),
    expected_crs: str = "EPSG:4326",
) -> gpd.GeoDataFrame:
    """Read a GeoJSON file and check columns, geometry types and CRS.

    Parameters
    ----------
    path
        The GeoJSON file.
    required
        Property names every feature must have.
    geometry_types
        Allowed geometry types.
    expected_crs
        CRS the file must declare (GeoJSON is WGS84 by definition).

    Returns
    -------
    geopandas.GeoDataFrame
        The features, in ``expected_crs``.
    """
    require_file(path)
    try:
        with path.open(encoding="utf-8") as fh:
            doc = json.load(fh)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataSourceError(path, f"not a readable GeoJSON file ({exc})") from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise DataSourceError(path, "not a GeoJSON FeatureCollection")
    features = doc.get("features") or []
    if not features:
        raise DataSourceError(path, "contains no features")
    _check_declared_crs(path, doc, expected_crs)
    try:
        gdf = gpd.GeoDataFrame.from_features(features, crs=expected_crs)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DataSourceError(path, f"has malformed features ({exc})") from exc
    missing = _missing(gdf.columns, required)
    if missing:
        raise DataSourceError(path, f"missing column(s) {', '.join(map(repr, missing))}")
    _check_geometries(path, gdf, set(geometry_types))
    if pyproj.CRS(expected_crs).is_geographic:
        _check_degrees(path, gdf)
    return gdf


def _check_declared_crs(path: Path, doc: dict[str, object], expected_crs: str) -> None:
    crs_member = doc.get("crs")
    if not isinstance(crs_member, dict):
        return  # RFC 7946: no member means WGS84
    name = str((crs_member.get("properties") or {}).get("name", ""))
    try:
        declared = pyproj.CRS.from_user_input(name)
    except pyproj.exceptions.CRSError as exc:
        raise DataSourceError(path, f"declares an unknown CRS {name!r}") from exc
    if not declared.equals(pyproj.CRS(expected_crs), ignore_axis_order=True):
        raise DataSourceError(
            path, f"has CRS {declared.to_string()}, expected {expected_crs} (WGS84 lon/lat)"
        )


def _check_geometries(path: Path, gdf: gpd.GeoDataFrame, allowed: set[str]) -> None:
    if gdf.geometry.isna().any() or gdf.geometry.is_empty.any():
        raise DataSourceError(path, f"{int(gdf.geometry.isna().sum())} feature(s) lack geometry")
    found = set(gdf.geom_type.unique())
    if not found <= allowed:
        wrong = ", ".join(sorted(found - allowed))
        raise DataSourceError(path, f"has geometry type(s) {wrong}, expected {sorted(allowed)}")


def _check_degrees(path: Path, gdf: gpd.GeoDataFrame) -> None:
    x0, y0, x1, y1 = gdf.total_bounds
    gx0, gy0, gx1, gy1 = GERMANY_BOUNDS
    if x0 < gx0 or x1 > gx1 or y0 < gy0 or y1 > gy1:
        raise DataSourceError(
            path,
            f"coordinates ({x0:.0f}, {y0:.0f}) … ({x1:.0f}, {y1:.0f}) are not lon/lat degrees "
            "in Germany: wrong CRS?",
        )


def sniff_delimiter(path: Path, text: str) -> str:
    """Guess the delimiter of a CSV file (``;`` or ``,``) from its header line.

    Parameters
    ----------
    path
        File name, for the error message.
    text
        Content of the file.

    Returns
    -------
    str
        The delimiter.
    """
    header = text.splitlines()[0] if text else ""
    try:
        return csv.Sniffer().sniff(header, delimiters=";,\t").delimiter
    except csv.Error as exc:
        raise DataSourceError(path, "cannot tell the CSV delimiter from the header") from exc


def read_csv(
    path: Path,
    *,
    required: Iterable[str] = (),
    dtype: dict[str, str] | None = None,
    decimal: str = ".",
) -> pd.DataFrame:
    """Read a CSV file (``,`` or ``;`` separated, UTF-8 with or without BOM).

    Parameters
    ----------
    path
        The CSV file.
    required
        Columns that must be present.
    dtype
        Column types, e.g. ``{"ags": "string"}`` to keep leading zeros.
    decimal
        Decimal separator.

    Returns
    -------
    pandas.DataFrame
        The table.
    """
    require_file(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataSourceError(path, f"not a readable UTF-8 text file ({exc})") from exc
    if not text.strip():
        raise DataSourceError(path, "is empty")
    sep = sniff_delimiter(path, text)
    try:
        df = pd.read_csv(path, sep=sep, dtype=dtype, decimal=decimal, encoding="utf-8-sig")
    except (ValueError, pd.errors.ParserError) as exc:
        raise DataSourceError(path, f"is not a well-formed CSV table ({exc})") from exc
    df.columns = [str(c).strip() for c in df.columns]
    missing = _missing(df.columns, required)
    if missing:
        raise DataSourceError(path, f"missing column(s) {', '.join(map(repr, missing))}")
    if df.empty:
        raise DataSourceError(path, "has a header but no rows")
    return df


def numeric(df: pd.DataFrame, columns: Iterable[str], path: Path) -> pd.DataFrame:
    """Convert columns to numbers; text that is not a number is an error naming the file.

    Parameters
    ----------
    df
        Table to convert in place.
    columns
        Columns that must be numeric (empty cells become missing values).
    path
        File name for the error message.

    Returns
    -------
    pandas.DataFrame
        The same table.
    """
    for col in columns:
        converted = pd.to_numeric(df[col], errors="coerce")
        bad = converted.isna() & df[col].notna() & (df[col].astype("string").str.strip() != "")
        if bad.any():
            example = df.loc[bad, col].iloc[0]
            raise DataSourceError(path, f"column {col!r} has a non-numeric value {example!r}")
        df[col] = converted.astype("float64")
    return df
