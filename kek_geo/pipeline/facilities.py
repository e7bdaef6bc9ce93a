"""Schools (NRW school directory), hospitals (Eurostat GISCO) and EV charging 2019 (BNetzA)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from kek_geo.errors import DataSourceError
from kek_geo.geo import points_in_polygons
from kek_geo.pipeline.boundaries import Boundaries
from kek_geo.pipeline.census import ags_from_regional_key
from kek_geo.pipeline.readers import numeric, read_geojson
from kek_geo.settings import ANALYSIS_CRS

SCHOOLS_FILE = "schulen-nrw/schulen_nrw_2024_25_kreis_herford.geojson"
HOSPITALS_FILE = "eurostat-healthcare/hospitals_bbox_herford.geojson"
CHARGING_FILE = "bnetza-ladesaeulen-2019/ladesaeulen_2019-07_bbox_herford.geojson"

_SCHOOL_COLUMNS = {
    "Schulnummer": "school_id",
    "Amtliche Bezeichnung 1": "name",
    "Schulform": "school_type",
    "Anzahl": "pupils",
    "Sozialindex": "social_index",
    "Amtlicher Gemeindeschlüssel": "ags",
    "Straße und Hausnummer": "street",
    "Postleitzahl": "postcode",
    "Ort": "town",
    "Rechtsstatus": "legal_status",
    "Startchancen-Schule": "startchancen",
}


def read_schools(raw_dir: Path, bounds: Boundaries) -> gpd.GeoDataFrame:
    """All schools of the district with type, pupils and social index (1 = low … 9 = high need).

    Parameters
    ----------
    raw_dir
        Raw data folder.
    bounds
        District and municipality polygons.

    Returns
    -------
    geopandas.GeoDataFrame
        Schools in EPSG:25832; ``ags`` is the official key from the directory,
        ``ags_location`` the municipality the geocoded point falls in.
    """
    path = raw_dir / SCHOOLS_FILE
    raw = read_geojson(path, required=tuple(_SCHOOL_COLUMNS), geometry_types=("Point",))
    df = raw.rename(columns=_SCHOOL_COLUMNS)
    numeric(df, ["pupils", "social_index"], path)
    df["ags"] = df["ags"].astype("string").map(ags_from_regional_key).astype("string")
    unknown = sorted(set(df["ags"]) - bounds.ags_codes)
    if unknown:
        raise DataSourceError(path, f"AGS {unknown[0]} is not a municipality of the district")
    if df["school_id"].duplicated().any():
        raise DataSourceError(path, "a school number appears twice")
    schools = gpd.GeoDataFrame(
        {
            "school_id": df["school_id"].astype("string"),
            "name": df["name"].astype("string"),
            "school_type": df["school_type"].astype("string"),
            "pupils": df["pupils"],
            "social_index": df["social_index"],
            "ags": df["ags"],
            "street": df["street"].astype("string"),
            "postcode": df["postcode"].astype("string"),
            "town": df["town"].astype("string"),
            "legal_status": df["legal_status"].astype("string"),
            "startchancen": df["startchancen"].fillna(0).astype(bool),
        },
        geometry=raw.geometry,
        crs=raw.crs,
    ).to_crs(ANALYSIS_CRS)
    schools["ags_location"] = points_in_polygons(schools.geometry, bounds.gemeinden, "ags")
    return schools.sort_values("school_id").reset_index(drop=True)


def read_hospitals(raw_dir: Path, bounds: Boundaries) -> gpd.GeoDataFrame:
    """Hospital sites in and around the district (status 2020).

    Parameters
    ----------
    raw_dir
        Raw data folder.
    bounds
        District and municipality polygons.

    Returns
    -------
    geopandas.GeoDataFrame
        Sites in EPSG:25832 with ``in_kreis`` and ``ags``.
    """
    path = raw_dir / HOSPITALS_FILE
    required = ("id", "hospital_name", "site_name", "street", "house_number", "postcode", "city")
    raw = read_geojson(path, required=required, geometry_types=("Point",)).to_crs(ANALYSIS_CRS)
    site = raw["site_name"].astype("string")
    out = gpd.GeoDataFrame(
        {
            "hospital_id": raw["id"].astype("string"),
            "name": site.where(site.str.strip().fillna("") != "", raw["hospital_name"]),
            "operator": raw["hospital_name"].astype("string"),
            "street": (raw["street"].fillna("") + " " + raw["house_number"].fillna("")).str.strip(),
            "postcode": raw["postcode"].astype("string"),
            "city": raw["city"].astype("string"),
        },
        geometry=raw.geometry,
        crs=ANALYSIS_CRS,
    )
    out["name"] = out["name"].astype("string")
    out["street"] = out["street"].astype("string")
    out["in_kreis"] = out.within(bounds.kreis_polygon)
    out["ags"] = points_in_polygons(out.geometry, bounds.gemeinden, "ags")
    return out.sort_values("hospital_id").reset_index(drop=True)


def read_charging_2019(raw_dir: Path, bounds: Boundaries) -> gpd.GeoDataFrame:
    """EV charging installations from the register extract of 2019-07-19 (historic only).

    Parameters
    ----------
    raw_dir
        Raw data folder.
    bounds
        District and municipality polygons.

    Returns
    -------
    geopandas.GeoDataFrame
        Installations in EPSG:25832 with ``historic`` = True.
    """
    path = raw_dir / CHARGING_FILE
    required = (
        "Betreiber",
        "Adresse",
        "Postleitzahl Ort",
        "Inbetriebnahmedatum",
        "Anschlussleistung [kW]",
        "Anzahl Ladepunkte",
    )
    raw = read_geojson(path, required=required, geometry_types=("Point",)).to_crs(ANALYSIS_CRS)
    numeric(raw, ["Anschlussleistung [kW]", "Anzahl Ladepunkte"], path)
    out = gpd.GeoDataFrame(
        {
            "operator": raw["Betreiber"].astype("string"),
            "address": raw["Adresse"].astype("string"),
            "town": raw["Postleitzahl Ort"].astype("string"),
            "commissioned": pd.to_datetime(raw["Inbetriebnahmedatum"], errors="coerce")
            .dt.strftime("%Y-%m-%d")
            .astype("string"),
            "power_kw": raw["Anschlussleistung [kW]"],
            "charge_points": raw["Anzahl Ladepunkte"],
        },
        geometry=raw.geometry,
        crs=ANALYSIS_CRS,
    )
    out["in_kreis"] = out.within(bounds.kreis_polygon)
    out["ags"] = points_in_polygons(out.geometry, bounds.gemeinden, "ags")
    out["historic"] = True
    keys = ["town", "address", "operator"]
    return out.sort_values(keys).reset_index(drop=True)
