"""Layers from the OpenStreetMap data that ``kek-geo fetch`` writes into ``<raw>/osm/``.

``osm/osm.gpkg`` holds one layer per group (services, land use, stops, Ortsteile) in WGS 84 with
the OSM tags as columns. Its date comes from the fetch record ``FETCH.json`` (the Overpass
``osm_base`` time stamp). Without the file the layers are built empty and marked as not
available, so every page says what is missing and how to fetch it.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from kek_geo.errors import DataSourceError
from kek_geo.geo import points_in_polygons
from kek_geo.pipeline.boundaries import Boundaries
from kek_geo.pipeline.model import BuiltLayer
from kek_geo.pipeline.rawdirs import fetch_record
from kek_geo.settings import ANALYSIS_CRS
from kek_geo.sources import ODBL, ODBL_URL, Source

OSM_FILE = "osm/osm.gpkg"
#: Source key of fetched OpenStreetMap data in the manifest.
OSM_SOURCE = "osm-fetch"

#: Service categories of the fetch, refined here: doctors into GPs and others, schools into
#: primary and other schools (OSM tags as in the BBSR-style method notes).
GP_SPECIALITIES = ("general",)
PRIMARY_ISCED = "1"


def osm_source(raw_dir: Path) -> Source:
    """The source entry of fetched OSM data, dated by the fetch record.

    Parameters
    ----------
    raw_dir
        Raw data folder.

    Returns
    -------
    Source
        OpenStreetMap via Overpass, ODbL, with the data date the server gave.
    """
    date = "unbekannt (kein Abrufprotokoll)"
    url = "https://overpass-api.de/api"
    record = fetch_record(raw_dir).get("osm")
    if isinstance(record, dict):  # no entry: OSM was not fetched (or failed) that time
        date = str(record.get("data_date") or "vom Server nicht angegeben")
        url = str(record.get("url") or url)
    return Source(
        OSM_SOURCE,
        "OpenStreetMap (Overpass-Abfrage von kek-geo fetch)",
        "OpenStreetMap contributors",
        date,
        ODBL,
        ODBL_URL,
        "© OpenStreetMap contributors (ODbL)",
        url,
        note_de="OpenStreetMap ist so vollständig, wie die Freiwilligen vor Ort sie erfasst "
        "haben; Arztpraxen tragen oft keine Fachrichtung.",
        note_en="OpenStreetMap is as complete as local volunteers have mapped it; doctors' "
        "practices often carry no speciality.",
    )


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name].astype("string").fillna("")
    return pd.Series("", index=frame.index, dtype="string")


def refine_category(frame: pd.DataFrame) -> pd.Series:
    """The fetch's service category, with GPs and primary schools told apart.

    A doctor is a GP (``gp``) when ``healthcare:speciality`` names ``general``; a school is a
    primary school (``primary_school``) when ``isced:level`` includes 1, or ``school:de`` or its
    name says Grundschule.

    Parameters
    ----------
    frame
        Services with ``category`` and the OSM tags kept by the fetch.

    Returns
    -------
    pandas.Series
        The category per row.
    """
    category = frame["category"].astype("string").fillna("other")
    speciality = _column(frame, "healthcare:speciality").str.lower()
    is_gp = speciality.str.split(r"[;,]\s*").apply(
        lambda parts: any(p.strip() in GP_SPECIALITIES for p in parts)
    )
    isced = _column(frame, "isced:level").str.split(r"[;,\-]\s*")
    school_de = _column(frame, "school:de").str.lower()
    name = _column(frame, "name").str.lower()
    is_primary = (
        isced.apply(lambda parts: PRIMARY_ISCED in [p.strip() for p in parts])
        | school_de.str.contains("grundschule", regex=False)
        | name.str.contains("grundschule", regex=False)
    )
    category = category.where(~((category == "doctor") & is_gp), "gp")
    return category.where(~((category == "school") & is_primary), "primary_school")


def empty_services() -> gpd.GeoDataFrame:
    """The services layer with its columns and no rows."""
    return gpd.GeoDataFrame(
        {
            "service_id": pd.Series(dtype="string"),
            "name": pd.Series(dtype="string"),
            "category": pd.Series(dtype="string"),
            "in_kreis": pd.Series(dtype="bool"),
            "ags": pd.Series(dtype="string"),
        },
        geometry=gpd.GeoSeries([], crs=ANALYSIS_CRS),
        crs=ANALYSIS_CRS,
    )


def read_services(raw_dir: Path, bounds: Boundaries) -> gpd.GeoDataFrame | None:
    """Services from the fetched OSM data as points in EPSG:25832, or ``None`` without them.

    Areas (a supermarket mapped as a building) become a point inside them. Objects mapped twice
    (a node inside its building) stay twice: the nearest one decides a distance anyway.

    Parameters
    ----------
    raw_dir
        Raw data folder.
    bounds
        District and municipalities.

    Returns
    -------
    geopandas.GeoDataFrame or None
        ``service_id`` (``node/123``), ``name``, ``category``, ``in_kreis``, ``ags``.
    """
    path = raw_dir / OSM_FILE
    if not path.is_file():
        return None
    try:
        raw = pyogrio.read_dataframe(path, layer="services")
    except (OSError, ValueError, pyogrio.errors.DataSourceError) as exc:
        raise DataSourceError(path, f"has no readable layer 'services' ({exc})") from exc
    for column in ("osm_type", "osm_id", "category"):
        if column not in raw.columns and len(raw):
            raise DataSourceError(path, f"layer 'services' lacks the column {column!r}")
    if raw.empty:
        return empty_services()
    points = raw.to_crs(ANALYSIS_CRS).geometry.representative_point()
    out = gpd.GeoDataFrame(
        {
            "service_id": (
                raw["osm_type"].astype("string") + "/" + raw["osm_id"].astype("string")
            ).astype("string"),
            "name": _column(raw, "name").replace("", pd.NA),
            "category": refine_category(raw).astype("string"),
        },
        geometry=points,
        crs=ANALYSIS_CRS,
    )
    out["in_kreis"] = out.within(bounds.kreis_polygon)
    out["ags"] = points_in_polygons(out.geometry, bounds.gemeinden, "ags")
    return out.sort_values(["category", "service_id"]).reset_index(drop=True)


def services_layer(raw_dir: Path, bounds: Boundaries) -> BuiltLayer:
    """The ``services`` layer, empty and marked as not available without fetched OSM data.

    Parameters
    ----------
    raw_dir
        Raw data folder.
    bounds
        District and municipalities.

    Returns
    -------
    BuiltLayer
        The layer and its provenance.
    """
    services = read_services(raw_dir, bounds)
    if services is None:
        return BuiltLayer(
            "services",
            empty_services(),
            (),
            (),
            "Nicht vorhanden: keine OpenStreetMap-Daten im Rohdatenordner (osm/osm.gpkg). "
            "Mit `kek-geo fetch --kreis <Schlüssel> --only osm` laden, dann "
            "`kek-geo build-data`.",
            "Not available: no OpenStreetMap data in the raw folder (osm/osm.gpkg). Fetch them "
            "with `kek-geo fetch --kreis <key> --only osm`, then run `kek-geo build-data`.",
            available=False,
        )
    counts = services["category"].value_counts().sort_index()
    return BuiltLayer(
        "services",
        services,
        (OSM_SOURCE,),
        (OSM_FILE,),
        "Einrichtungen aus OpenStreetMap im Kreis und bis 2 km außerhalb: Supermärkte "
        "(shop=supermarket), Lebensmittelgeschäfte (convenience, Bäcker, Metzger, Obst und "
        "Gemüse), Hausärzte (amenity=doctors oder healthcare=doctor mit "
        "healthcare:speciality=general), andere Arztpraxen, Apotheken, Kitas, Grundschulen "
        "(amenity=school mit isced:level 1, school:de oder Name „Grundschule“), andere Schulen, "
        "Krankenhäuser, Pflegeheime, Bibliotheken, Ladestationen. Flächen als Punkt in der "
        "Fläche; ags = Gemeinde des Punkts.",
        "Facilities from OpenStreetMap in the district and up to 2 km outside: supermarkets "
        "(shop=supermarket), food shops (convenience, bakery, butcher, greengrocer), GPs "
        "(amenity=doctors or healthcare=doctor with healthcare:speciality=general), other "
        "doctors, pharmacies, day care, primary schools (amenity=school with isced:level 1, or "
        "school:de or the name saying Grundschule), other schools, hospitals, care homes, "
        "libraries, EV charging. "
        "Areas as a point inside them; ags = municipality of the point.",
        [f"{cat}: {n}" for cat, n in counts.items()],
    )


def _read_group(raw_dir: Path, layer: str) -> gpd.GeoDataFrame | None:
    path = raw_dir / OSM_FILE
    if not path.is_file():
        return None
    try:
        if layer not in {str(name) for name, _ in pyogrio.list_layers(path)}:
            return None  # an older fetch without this group
        frame = pyogrio.read_dataframe(path, layer=layer)
    except (OSError, ValueError, pyogrio.errors.DataSourceError) as exc:
        raise DataSourceError(path, f"has no readable layer {layer!r} ({exc})") from exc
    if len(frame) and not {"osm_type", "osm_id"} <= set(frame.columns):
        raise DataSourceError(path, f"layer {layer!r} lacks the columns osm_type and osm_id")
    return frame.to_crs(ANALYSIS_CRS) if len(frame) else frame


def _ids(frame: pd.DataFrame) -> pd.Series:
    return (frame["osm_type"].astype("string") + "/" + frame["osm_id"].astype("string")).astype(
        "string"
    )


def stop_mode(frame: pd.DataFrame) -> pd.Series:
    """The mode of each OSM stop: rail (station, halt), tram (tram stop), bus (bus stop), else none.

    Platforms and stop positions without one of these tags are left out (``<NA>``): they mostly
    repeat a bus stop mapped as a node beside them.
    """
    railway = _column(frame, "railway")
    highway = _column(frame, "highway")
    mode = pd.Series(pd.NA, index=frame.index, dtype="string")
    mode[highway == "bus_stop"] = "bus"
    mode[railway == "tram_stop"] = "tram"
    mode[railway.isin(["station", "halt"])] = "rail"
    return mode


def read_osm_stops(raw_dir: Path, bounds: Boundaries) -> gpd.GeoDataFrame | None:
    """Stops from the fetched OSM data in the schema of the ``stops`` layer (no timetable).

    Parameters
    ----------
    raw_dir
        Raw data folder.
    bounds
        District and municipalities.

    Returns
    -------
    geopandas.GeoDataFrame or None
        Stops with ``mode`` rail, tram or bus; ``None`` without fetched OSM data.
    """
    raw = _read_group(raw_dir, "stops")
    if raw is None:
        return None
    if raw.empty:
        raw = gpd.GeoDataFrame({"osm_type": [], "osm_id": []}, geometry=[], crs=ANALYSIS_CRS)
    mode = stop_mode(raw)
    keep = raw[mode.notna()]
    out = gpd.GeoDataFrame(
        {
            "stop_id": _ids(keep),
            "name": _column(keep, "name").replace("", pd.NA),
            "kind": pd.Series("stop", index=keep.index, dtype="string"),
            "parent_id": pd.Series(pd.NA, index=keep.index, dtype="string"),
            "mode": mode[mode.notna()].astype("string"),
        },
        geometry=keep.geometry.representative_point(),
        crs=ANALYSIS_CRS,
    )
    out["in_kreis"] = out.within(bounds.kreis_polygon)
    out["ags"] = points_in_polygons(out.geometry, bounds.gemeinden, "ags")
    out["station_category"] = np.nan
    return out.sort_values("stop_id").reset_index(drop=True)


def rail_stations_from_stops(stops: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Rail stations from OSM stops, in the schema of ``rail_stations`` (no station category).

    Parameters
    ----------
    stops
        From :func:`read_osm_stops`.

    Returns
    -------
    geopandas.GeoDataFrame
        ``eva`` is the OSM id; ``category`` and ``step_free`` are unknown.
    """
    rail = stops[stops["mode"] == "rail"]
    return gpd.GeoDataFrame(
        {
            "eva": rail["stop_id"].astype("string"),
            "name": rail["name"].astype("string"),
            "category": pd.array([pd.NA] * len(rail), dtype="Int64"),
            "step_free": pd.Series(pd.NA, index=rail.index, dtype="string"),
            "in_kreis": rail["in_kreis"].astype(bool),
            "ags": rail["ags"].astype("string"),
        },
        geometry=rail.geometry,
        crs=ANALYSIS_CRS,
    ).reset_index(drop=True)


def schools_from_services(services: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Schools from the OSM services, in the schema of the ``schools`` layer.

    Schools up to 2 km beyond the border are kept (their ``ags`` is missing), so distances near
    the border are not overstated. Primary schools get the type ``Grundschule`` (as in the
    official list), others ``Schule``; pupils and social index are unknown.

    Parameters
    ----------
    services
        From :func:`read_services`.

    Returns
    -------
    geopandas.GeoDataFrame
        The schools in and around the district.
    """
    rows = services[services["category"].isin(["primary_school", "school"])]
    kind = np.where(rows["category"] == "primary_school", "Grundschule", "Schule")
    out = gpd.GeoDataFrame(
        {
            "school_id": rows["service_id"].astype("string"),
            "name": rows["name"].astype("string"),
            "school_type": pd.Series(kind, index=rows.index, dtype="string"),
            "pupils": np.nan,
            "social_index": np.nan,
            "ags": rows["ags"].astype("string"),
            "startchancen": pd.array([pd.NA] * len(rows), dtype="boolean"),
            "ags_location": rows["ags"].astype("string"),
        },
        geometry=rows.geometry,
        crs=ANALYSIS_CRS,
    )
    return out.sort_values("school_id").reset_index(drop=True)


def hospitals_from_services(services: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Hospitals from the OSM services, in the schema of the ``hospitals`` layer.

    Parameters
    ----------
    services
        From :func:`read_services`.

    Returns
    -------
    geopandas.GeoDataFrame
        Hospitals in and up to 2 km around the district.
    """
    rows = services[services["category"] == "hospital"]
    return gpd.GeoDataFrame(
        {
            "hospital_id": rows["service_id"].astype("string"),
            "name": rows["name"].astype("string"),
            "in_kreis": rows["in_kreis"].astype(bool),
            "ags": rows["ags"].astype("string"),
        },
        geometry=rows.geometry,
        crs=ANALYSIS_CRS,
    ).reset_index(drop=True)


#: OSM land use that counts as settlement (built-up land), as the fetch asks for it.
SETTLEMENT_LANDUSE = ("residential", "commercial", "industrial", "retail")
#: Gaps narrower than this between two land-use areas still join them into one patch (m).
JOIN_GAP_M = 10.0


def read_landuse(raw_dir: Path, bounds: Boundaries) -> gpd.GeoDataFrame | None:
    """Built-up OSM land use inside the district, or ``None`` without fetched OSM data.

    Parameters
    ----------
    raw_dir
        Raw data folder.
    bounds
        District and municipalities.

    Returns
    -------
    geopandas.GeoDataFrame or None
        Polygons (EPSG:25832) with ``landuse``, clipped to the district.
    """
    raw = _read_group(raw_dir, "landuse")
    if raw is None:
        return None
    if raw.empty or "landuse" not in raw.columns:
        return gpd.GeoDataFrame({"landuse": []}, geometry=[], crs=ANALYSIS_CRS)
    built = raw[raw["landuse"].isin(SETTLEMENT_LANDUSE)]
    built = built[built.geom_type.isin(["Polygon", "MultiPolygon"])]
    clipped = built.geometry.make_valid().intersection(bounds.kreis_polygon)
    out = gpd.GeoDataFrame({"landuse": built["landuse"].astype("string")}, geometry=clipped,
                           crs=ANALYSIS_CRS)  # fmt: skip
    return out[~out.is_empty & out.geom_type.isin(["Polygon", "MultiPolygon"])].reset_index(
        drop=True
    )


def settlement_from_landuse(
    landuse: gpd.GeoDataFrame, grid_100m: gpd.GeoDataFrame, bounds: Boundaries
) -> gpd.GeoDataFrame:
    """Settlement patches from OSM land use, in the schema of ``settlement_areas``.

    The built-up areas are dissolved (gaps under :data:`JOIN_GAP_M`, such as a street between
    two residential areas, are closed) and split into connected patches. A patch's residents
    are those of the 100 m cells whose centre lies in it; its municipality is the one holding
    most of its area.

    Parameters
    ----------
    landuse
        From :func:`read_landuse`.
    grid_100m
        The 100 m cells with ``population_est``.
    bounds
        District and municipalities.

    Returns
    -------
    geopandas.GeoDataFrame
        ``patch_id`` (1 = largest), ``ags``, ``area_ha``, ``cells``, ``population_est``.
    """
    import shapely  # noqa: PLC0415

    half = JOIN_GAP_M / 2
    merged = shapely.union_all(landuse.geometry.buffer(half).to_numpy()).buffer(-half)
    merged = shapely.intersection(merged, bounds.kreis_polygon)
    parts = [p for p in shapely.get_parts(merged) if p.area > 0]
    patches = gpd.GeoDataFrame(geometry=parts, crs=ANALYSIS_CRS)
    centres = gpd.GeoDataFrame(grid_100m[["population_est"]], geometry=grid_100m.centroid,
                               crs=ANALYSIS_CRS)  # fmt: skip
    joined = gpd.sjoin(centres, patches, predicate="within", how="inner")
    grouped = joined.groupby("index_right")
    patches["cells"] = grouped.size().reindex(patches.index, fill_value=0).astype("int64")
    residents = grouped["population_est"].sum()
    patches["population_est"] = residents.reindex(patches.index, fill_value=0.0)
    pieces = gpd.overlay(patches.reset_index()[["index", "geometry"]],
                         bounds.gemeinden[["ags", "geometry"]], how="intersection")  # fmt: skip
    pieces["a"] = pieces.area
    best = pieces.sort_values(["index", "a"], ascending=[True, False]).drop_duplicates("index")
    patches["ags"] = best.set_index("index")["ags"].reindex(patches.index).astype("string")
    patches["area_ha"] = patches.area / 1e4
    patches["_x"] = patches.centroid.x.round(0)
    patches["_y"] = patches.centroid.y.round(0)
    patches = patches.sort_values(["area_ha", "_x", "_y"], ascending=[False, True, True])
    patches = patches.drop(columns=["_x", "_y"]).reset_index(drop=True)
    patches.insert(0, "patch_id", np.arange(1, len(patches) + 1, dtype="int64"))
    return patches[["patch_id", "ags", "area_ha", "cells", "population_est", "geometry"]]


def settlement_area_by_municipality(patches: gpd.GeoDataFrame, bounds: Boundaries) -> pd.Series:
    """Settlement area (km²) of the patches inside each municipality.

    Parameters
    ----------
    patches
        Settlement patches.
    bounds
        District and municipalities.

    Returns
    -------
    pandas.Series
        km² by AGS (0 where a municipality has none).
    """
    pieces = gpd.overlay(patches[["patch_id", "geometry"]], bounds.gemeinden[["ags", "geometry"]],
                         how="intersection")  # fmt: skip
    area = (pieces.area / 1e6).groupby(pieces["ags"].astype(str)).sum()
    return area.reindex(sorted(bounds.ags_codes), fill_value=0.0)
