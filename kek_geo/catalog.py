"""The catalogue of snapshot layers: file names, schemas and titles.

The pipeline writes exactly these layers and the loader checks every file against its schema,
so a layer that is missing or malformed is reported by name instead of failing somewhere deep
inside a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from kek_geo.settings import ANALYSIS_CRS, DISPLAY_CRS

ColumnKind = Literal["string", "float", "int", "bool"]
POLYGONS = ("Polygon", "MultiPolygon")
POINTS = ("Point",)

BUILDING_AGE_CLASSES: tuple[tuple[str, str, str], ...] = (
    ("b_pre1919", "vor 1919", "before 1919"),
    ("b_1919_1948", "1919–1948", "1919–1948"),
    ("b_1949_1978", "1949–1978", "1949–1978"),
    ("b_1979_1986", "1979–1986", "1979–1986"),
    ("b_1987_1990", "1987–1990", "1987–1990"),
    ("b_1991_1995", "1991–1995", "1991–1995"),
    ("b_1996_2000", "1996–2000", "1996–2000"),
    ("b_2001_2004", "2001–2004", "2001–2004"),
    ("b_2005_2008", "2005–2008", "2005–2008"),
    ("b_2009_later", "2009 und später", "2009 and later"),
)
"""Construction-year classes of residential buildings (column, German, English).

The raw file (Zensus 2011 100 m grid, ``zensus2011-grid``) names its ten classes only by number
(``geb_baujahr_1`` … ``_10``); these are the ten Mikrozensus classes of Zensus 2011, as its
ATTRIBUTION.md lists them.
"""


@dataclass(frozen=True)
class LayerSpec:
    """Schema and titles of one snapshot layer.

    Attributes
    ----------
    name
        Layer key, also the file stem.
    title_de, title_en
        Human titles.
    columns
        Required columns and their kinds (more columns are allowed).
    crs
        CRS of a geo layer; ``None`` for a plain table.
    geometry_types
        Allowed geometry types of a geo layer.
    display
        True for the simplified WGS84 copies that exist only for the map.
    missing_key
        For a layer whose source may be absent from the raw data: key of its entry in
        :data:`kek_geo.missing.MISSING`. The build then writes it empty and marks it as not
        available in the manifest, and pages say how to get it.
    """

    name: str
    title_de: str
    title_en: str
    columns: dict[str, ColumnKind] = field(default_factory=dict)
    crs: str | None = ANALYSIS_CRS
    geometry_types: tuple[str, ...] = POLYGONS
    display: bool = False
    missing_key: str | None = None

    @property
    def filename(self) -> str:
        """File name inside the snapshot folder."""
        return f"{self.name}.parquet"

    @property
    def is_geo(self) -> bool:
        """True if the layer has geometries."""
        return self.crs is not None


_AGS: dict[str, ColumnKind] = {"ags": "string"}
_BUILDINGS: dict[str, ColumnKind] = {col: "float" for col, _, _ in BUILDING_AGE_CLASSES}

LAYERS: dict[str, LayerSpec] = {
    spec.name: spec
    for spec in (
        LayerSpec(
            "kreis",
            "Kreisgrenze",
            "District boundary",
            {**_AGS, "name": "string", "area_km2": "float", "population": "int"},
        ),
        LayerSpec(
            "gemeinden",
            "Städte und Gemeinden",
            "Municipalities",
            {
                **_AGS,
                "name": "string",
                "name_official": "string",
                "kind": "string",
                "area_km2": "float",
                "population": "int",
                "dwellings": "float",
                "vacancy_rate": "float",
                "household_size": "float",
                "owner_rate": "float",
                "avg_rent_eur_m2": "float",
                "grid_population": "float",
                "share_u15": "float",
                "share_65plus": "float",
                "grid_population_2011": "float",
                "mean_age_2011": "float",
                "share_u18_2011": "float",
                "share_65plus_2011": "float",
                "settlement_area_km2": "float",
            },
        ),
        LayerSpec(
            "gemeinden_display",
            "Städte und Gemeinden (Kartenkopie)",
            "Municipalities (map copy)",
            {**_AGS, "name": "string", "kind": "string"},
            crs=DISPLAY_CRS,
            display=True,
        ),
        LayerSpec(
            "kreis_display",
            "Kreisgrenze (Kartenkopie)",
            "District boundary (map copy)",
            {**_AGS, "name": "string"},
            crs=DISPLAY_CRS,
            display=True,
        ),
        LayerSpec(
            "neighbours_display",
            "Nachbargemeinden",
            "Neighbouring municipalities",
            {**_AGS, "name": "string", "kind": "string"},
            crs=DISPLAY_CRS,
            display=True,
        ),
        LayerSpec(
            "grid_1km",
            "Bevölkerung im 1-km-Gitter (Zensus 2022 und 2011)",
            "Population on the 1 km grid (Zensus 2022 and 2011)",
            {
                "cell_id": "string",
                "population": "float",
                "population_in_kreis": "float",
                "people_u15": "float",
                "people_15_64": "float",
                "people_65plus": "float",
                "share_u15": "float",
                "share_65plus": "float",
                "population_2011": "float",
                "mean_age_2011": "float",
                "share_u18_2011": "float",
                "share_65plus_2011": "float",
                "household_size_2011": "float",
                "vacancy_rate_2011": "float",
                "change_65plus_pp": "float",
                "area_in_kreis_km2": "float",
            },
        ),
        LayerSpec(
            "grid_100m",
            "100-m-Gitter (Zensus 2011; Einwohner 2022 geschätzt)",
            "100 m grid (Zensus 2011; residents 2022 estimated)",
            {
                "cell_id": "string",
                "cell_1km": "string",
                **_AGS,
                "buildings": "float",
                **_BUILDINGS,
                "dwellings": "float",
                "children_u10": "float",
                "people_80plus": "float",
                "population_est": "float",
            },
        ),
        LayerSpec(
            "settlement_areas",
            "Siedlungsflächen (abgeleitet)",
            "Settlement areas (derived)",
            {
                "patch_id": "int",
                **_AGS,
                "area_ha": "float",
                "cells": "int",
                "population_est": "float",
            },
        ),
        LayerSpec(
            "settlement_areas_display",
            "Siedlungsflächen (Kartenkopie)",
            "Settlement areas (map copy)",
            {"patch_id": "int", **_AGS, "area_ha": "float", "population_est": "float"},
            crs=DISPLAY_CRS,
            display=True,
        ),
        LayerSpec(
            "stops",
            "Haltestellen",
            "Public transport stops",
            {
                "stop_id": "string",
                "name": "string",
                "kind": "string",
                "mode": "string",
                "in_kreis": "bool",
                **_AGS,
                "station_category": "float",
            },
            geometry_types=POINTS,
        ),
        LayerSpec(
            "rail_stations",
            "Bahnhöfe",
            "Rail stations",
            {
                "eva": "string",
                "name": "string",
                "category": "int",
                "step_free": "string",
                "in_kreis": "bool",
                **_AGS,
            },
            geometry_types=POINTS,
        ),
        LayerSpec(
            "schools",
            "Schulen",
            "Schools",
            {
                "school_id": "string",
                "name": "string",
                "school_type": "string",
                "pupils": "float",
                "social_index": "float",
                **_AGS,
            },
            geometry_types=POINTS,
        ),
        LayerSpec(
            "hospitals",
            "Krankenhäuser",
            "Hospitals",
            {"hospital_id": "string", "name": "string", "in_kreis": "bool", **_AGS},
            geometry_types=POINTS,
        ),
        LayerSpec(
            "charging_2019",
            "Ladesäulen 2019 (historisch)",
            "EV charging 2019 (historic)",
            {"operator": "string", "charge_points": "float", "in_kreis": "bool", **_AGS},
            geometry_types=POINTS,
        ),
        LayerSpec(
            "services",
            "Einrichtungen der Daseinsvorsorge (OpenStreetMap)",
            "Everyday services (OpenStreetMap)",
            {
                "service_id": "string",
                "name": "string",
                "category": "string",
                "in_kreis": "bool",
                **_AGS,
            },
            geometry_types=POINTS,
            missing_key="osm_services",
        ),
        LayerSpec(
            "broadband",
            "Breitbandverfügbarkeit",
            "Broadband availability",
            {
                "release": "string",
                **_AGS,
                "segment": "string",
                "technology": "string",
                "threshold_mbit": "int",
                "share_pct": "float",
            },
            crs=None,
        ),
        LayerSpec(
            "mobile_coverage",
            "Mobilfunkversorgung (Fläche)",
            "Mobile coverage (area)",
            {
                "release": "string",
                **_AGS,
                "technology": "string",
                "land_use": "string",
                "share_pct": "float",
            },
            crs=None,
        ),
        LayerSpec(
            "projection",
            "Bevölkerungsvorausberechnung je Gemeinde",
            "Population projection per municipality",
            {**_AGS, "year": "int", "population": "float", "people_65plus": "float"},
            crs=None,
            missing_key="projection",
        ),
        LayerSpec(
            "inkar_kreis",
            "INKAR-Zeitreihen des Kreises",
            "INKAR district time series",
            {"year": "int", "share_65plus": "float"},
            crs=None,
        ),
    )
}
