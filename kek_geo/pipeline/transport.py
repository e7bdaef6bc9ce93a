"""Public transport stops (DB HAFAS) and rail stations (DB StaDa)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from kek_geo.errors import DataSourceError
from kek_geo.geo import points_in_polygons
from kek_geo.pipeline.boundaries import Boundaries
from kek_geo.pipeline.readers import numeric, read_csv, read_geojson
from kek_geo.settings import ANALYSIS_CRS, DISPLAY_CRS

STOPS_FILE = "db-hafas-stations/db_hafas_stops_kreis_herford_2km.geojson"
STATIONS_FILE = "db-stations/db_stations_herford_bbox.csv"

#: Distance around the district within which stops are kept (they serve residents near the edge).
MARGIN_M = 2000.0
#: A HAFAS rail stop takes the StaDa category of the nearest station within this distance.
STATION_MATCH_M = 500.0

_RAIL_FLAGS = ("p_nationalExpress", "p_national", "p_regionalExpress", "p_regional", "p_suburban")
_FLAGS = (*_RAIL_FLAGS, "p_subway", "p_tram", "p_bus", "p_taxi")

MODES = ("rail", "tram", "bus", "on_demand", "unknown")
"""Stop modes: rail (any train), tram (Stadtbahn/U-Bahn), bus, on-demand (taxi-bus/AST only)."""


def stop_mode(flags: pd.DataFrame) -> pd.Series:
    """Main mode of each stop from the HAFAS product flags; the highest mode wins.

    Parameters
    ----------
    flags
        Boolean columns ``p_national``, ``p_regional``, ``p_tram``, ``p_bus``, ``p_taxi`` …

    Returns
    -------
    pandas.Series
        One of :data:`MODES` per stop.
    """
    f = flags.fillna(False).astype(bool)
    rail = f[list(_RAIL_FLAGS)].any(axis=1)
    tram = f["p_subway"] | f["p_tram"]
    choices = [rail, tram, f["p_bus"], f["p_taxi"]]
    mode = np.select(choices, ["rail", "tram", "bus", "on_demand"], default="unknown")
    result: pd.Series = pd.Series(mode, index=flags.index, dtype="string")
    return result


def _within_margin(gdf: gpd.GeoDataFrame, bounds: Boundaries) -> pd.Series:
    return gdf.distance(bounds.kreis_polygon) <= MARGIN_M


def read_rail_stations(raw_dir: Path, bounds: Boundaries) -> gpd.GeoDataFrame:
    """DB stations with their category (1 = largest … 7 = smallest) near the district.

    Parameters
    ----------
    raw_dir
        Raw data folder.
    bounds
        District and municipality polygons.

    Returns
    -------
    geopandas.GeoDataFrame
        Stations within :data:`MARGIN_M` of the district, EPSG:25832.
    """
    path = raw_dir / STATIONS_FILE
    required = ("eva", "name", "lat", "lon", "category", "steplessAccess")
    df = read_csv(path, required=required, dtype={"eva": "string"})
    numeric(df, ["lat", "lon", "category"], path)
    if df[["lat", "lon", "category"]].isna().any().any():
        raise DataSourceError(path, "every station needs lat, lon and category")
    gdf = gpd.GeoDataFrame(
        {
            "eva": df["eva"].astype("string"),
            "name": df["name"].astype("string").str.strip(),
            "category": df["category"].astype("int64"),
            "step_free": df["steplessAccess"].astype("string"),
        },
        geometry=gpd.points_from_xy(df["lon"], df["lat"]),
        crs=DISPLAY_CRS,
    ).to_crs(ANALYSIS_CRS)
    gdf = gdf[_within_margin(gdf, bounds)].copy()
    gdf["in_kreis"] = gdf.within(bounds.kreis_polygon)
    gdf["ags"] = points_in_polygons(gdf.geometry, bounds.gemeinden, "ags")
    return gdf.sort_values("eva").reset_index(drop=True)


def read_stops(raw_dir: Path, bounds: Boundaries, stations: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Bus and rail stops within 2 km of the district, with mode and station category.

    Parameters
    ----------
    raw_dir
        Raw data folder.
    bounds
        District and municipality polygons.
    stations
        Rail stations from :func:`read_rail_stations`, for the category of rail stops.

    Returns
    -------
    geopandas.GeoDataFrame
        Stops in EPSG:25832.
    """
    path = raw_dir / STOPS_FILE
    raw = read_geojson(
        path, required=("id", "name", "type", *_FLAGS), geometry_types=("Point",)
    ).to_crs(ANALYSIS_CRS)
    if raw["id"].duplicated().any():
        raise DataSourceError(
            path, f"stop id {raw.loc[raw['id'].duplicated(), 'id'].iloc[0]} appears twice"
        )
    parent = raw["station_id"] if "station_id" in raw.columns else pd.Series(pd.NA, index=raw.index)
    stops = gpd.GeoDataFrame(
        {
            "stop_id": raw["id"].astype("string"),
            "name": raw["name"].astype("string"),
            "kind": raw["type"].astype("string"),
            "parent_id": parent.astype("string"),
            "mode": stop_mode(raw[list(_FLAGS)]),
        },
        geometry=raw.geometry,
        crs=ANALYSIS_CRS,
    )
    stops = stops[_within_margin(stops, bounds)].copy()
    stops["in_kreis"] = stops.within(bounds.kreis_polygon)
    stops["ags"] = points_in_polygons(stops.geometry, bounds.gemeinden, "ags")
    stops["station_category"] = _station_category(stops, stations)
    return stops.sort_values("stop_id").reset_index(drop=True)


def _station_category(stops: gpd.GeoDataFrame, stations: gpd.GeoDataFrame) -> pd.Series:
    rail = stops[stops["mode"] == "rail"]
    result = pd.Series(np.nan, index=stops.index, dtype="float64")
    if rail.empty or stations.empty:
        return result
    matched = gpd.sjoin_nearest(
        rail[["geometry"]], stations[["category", "geometry"]], max_distance=STATION_MATCH_M
    )
    matched = matched[~matched.index.duplicated(keep="first")]
    result.loc[matched.index] = matched["category"].astype("float64")
    return result
