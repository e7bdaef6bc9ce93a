"""Small geometry helpers shared by the pipeline, the analysis and the maps."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from kek_geo.settings import ANALYSIS_CRS, DISPLAY_CRS

#: Coordinate grid of stored analysis geometries in metres (1 cm).
ANALYSIS_PRECISION_M = 0.01
#: Coordinate grid of display geometries in degrees (about 1 m).
DISPLAY_PRECISION_DEG = 1e-5


def cell_squares(
    x_centre: npt.ArrayLike, y_centre: npt.ArrayLike, size: float
) -> npt.NDArray[np.object_]:
    """Square polygons of grid cells given their centre coordinates.

    Parameters
    ----------
    x_centre, y_centre
        Cell centres in the grid's own CRS (EPSG:3035 for the Zensus grid).
    size
        Edge length of a cell in the same unit (100 or 1000 m).

    Returns
    -------
    numpy.ndarray
        Array of shapely polygons.
    """
    x = np.asarray(x_centre, dtype=float)
    y = np.asarray(y_centre, dtype=float)
    half = size / 2.0
    return np.asarray(shapely.box(x - half, y - half, x + half, y + half))


def round_geometries(gdf: gpd.GeoDataFrame, grid_size: float) -> gpd.GeoDataFrame:
    """Snap coordinates to a regular grid so that repeated builds give identical files.

    Parameters
    ----------
    gdf
        Layer to round; not modified.
    grid_size
        Grid size in the unit of the layer's CRS.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with rounded geometries.
    """
    out = gdf.copy()
    out.geometry = shapely.set_precision(out.geometry.to_numpy(), grid_size)
    return out


def to_display(
    gdf: gpd.GeoDataFrame, tolerance_m: float = 0.0, *, coverage: bool = False
) -> gpd.GeoDataFrame:
    """Return a lighter WGS84 copy of a layer for Leaflet.

    Simplification happens in the metric analysis CRS; coordinates are rounded to about 1 m.

    Parameters
    ----------
    gdf
        Layer in any projected CRS.
    tolerance_m
        Simplification tolerance in metres; 0 keeps every vertex.
    coverage
        Treat the polygons as a coverage (adjacent municipalities) and simplify the shared
        edges once, so neighbours stay free of gaps and overlaps.

    Returns
    -------
    geopandas.GeoDataFrame
        The display copy in EPSG:4326.
    """
    out = gdf.to_crs(ANALYSIS_CRS)
    if tolerance_m > 0:
        if coverage:
            out.geometry = out.geometry.simplify_coverage(tolerance_m)
        else:
            out.geometry = out.geometry.simplify(tolerance_m, preserve_topology=True)
    out = out.to_crs(DISPLAY_CRS)
    return round_geometries(out, DISPLAY_PRECISION_DEG)


def round_floats(df: pd.DataFrame, decimals: int = 6) -> pd.DataFrame:
    """Round every float column, so that last-bit differences between machines vanish.

    Float columns also become plain ``float64`` (NaN for missing), whatever their backing.

    Parameters
    ----------
    df
        Table to round; not modified.
    decimals
        Number of decimals to keep.

    Returns
    -------
    pandas.DataFrame
        A rounded copy (a GeoDataFrame stays a GeoDataFrame).
    """
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].astype("float64").round(decimals)
    return out


def points_in_polygons(points: gpd.GeoSeries, polygons: gpd.GeoDataFrame, key: str) -> pd.Series:
    """Key of the polygon that contains each point (missing where none does).

    Parameters
    ----------
    points
        Points in the same CRS as ``polygons``.
    polygons
        Polygons with a key column, e.g. Gemeinden with ``ags``.
    key
        Column of ``polygons`` to return.

    Returns
    -------
    pandas.Series
        One value per point, aligned to ``points.index``; ``<NA>`` outside all polygons.
    """
    tree = shapely.STRtree(polygons.geometry.to_numpy())
    pt_idx, poly_idx = tree.query(points.to_numpy(), predicate="within")
    result = pd.Series(pd.NA, index=points.index, dtype="string")
    keys = polygons[key].astype("string").to_numpy()
    # A point on a shared edge may fall in two polygons: keep the first, deterministically.
    order = np.lexsort((poly_idx, pt_idx))
    pt_idx, poly_idx = pt_idx[order], poly_idx[order]
    first = np.unique(pt_idx, return_index=True)[1]
    result.iloc[pt_idx[first]] = keys[poly_idx[first]]
    return result
