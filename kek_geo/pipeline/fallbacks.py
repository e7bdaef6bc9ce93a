"""Layers whose source a raw folder may lack: the official source, else OpenStreetMap, else empty.

The data pack of Kreis Herford has official lists of stops, rail stations, schools and
hospitals and the broadband tables; a district fetched with ``kek-geo fetch`` has OpenStreetMap
instead, and no broadband tables (they are fetched by hand). Each layer here is built from the
best source present. A layer without any source is written empty with its columns, marked as
not available in the manifest, and its method says which file would fill it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from kek_geo.catalog import LAYERS
from kek_geo.geo import to_display
from kek_geo.pipeline.boundaries import Boundaries
from kek_geo.pipeline.model import DISPLAY_TOLERANCE_M, BuiltLayer
from kek_geo.pipeline.osm_layers import (
    JOIN_GAP_M,
    OSM_FILE,
    OSM_SOURCE,
    hospitals_from_services,
    rail_stations_from_stops,
    read_landuse,
    read_osm_stops,
    schools_from_services,
    settlement_area_by_municipality,
    settlement_from_landuse,
)

_DTYPES = {"string": "string", "float": "float64", "int": "int64", "bool": "bool"}


def empty_frame(name: str) -> pd.DataFrame:
    """A layer with its catalogue columns and no rows.

    Parameters
    ----------
    name
        Layer key.

    Returns
    -------
    pandas.DataFrame
        A GeoDataFrame (in the layer's CRS) for geo layers.
    """
    spec = LAYERS[name]
    columns = {col: pd.Series(dtype=_DTYPES[kind]) for col, kind in spec.columns.items()}
    if not spec.is_geo:
        return pd.DataFrame(columns)
    return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries([], crs=spec.crs), crs=spec.crs)


def empty_layer(
    name: str, files: tuple[str, ...], fetch_hint: tuple[str, str] = ("", "")
) -> BuiltLayer:
    """A layer without a source: empty, not available, saying which file would fill it.

    Parameters
    ----------
    name
        Layer key.
    files
        The raw files (relative paths) that were looked for.
    fetch_hint
        How to get them, in German and English, if there is a command for it.

    Returns
    -------
    BuiltLayer
        The empty layer.
    """
    wanted = ", ".join(files)
    hint_de, hint_en = (f" {h}" if h else "" for h in fetch_hint)
    return BuiltLayer(
        name,
        empty_frame(name),
        (),
        (),
        f"Nicht vorhanden: im Rohdatenordner fehlt {wanted}.{hint_de}",
        f"Not available: the raw folder lacks {wanted}.{hint_en}",
        available=False,
    )


def _present(raw_dir: Path, files: tuple[str, ...]) -> bool:
    return all((raw_dir / f).exists() for f in files)


def first_available(
    raw_dir: Path,
    name: str,
    official: tuple[tuple[str, ...], Callable[[], list[BuiltLayer]]],
    osm: Callable[[], list[BuiltLayer] | None] | None = None,
    hint: tuple[str, str] = ("", ""),
) -> list[BuiltLayer]:
    """The layers from the official files if present, else from OSM, else empty.

    Parameters
    ----------
    raw_dir
        Raw data folder.
    name
        Layer key (for the empty layer).
    official
        The official files and the function that builds the layers from them.
    osm
        Builds the layers from fetched OSM data (``None`` when it has none).
    hint
        How to get the data, in German and English (default: fetch OpenStreetMap, when there
        is an OSM fallback).

    Returns
    -------
    list of BuiltLayer
        The layers.
    """
    files, build = official
    if _present(raw_dir, files):
        return build()
    if osm is not None:
        built = osm()
        if built is not None:
            return built
    if not hint[1] and osm is not None:
        hint = (
            "`kek-geo fetch --kreis <Schlüssel>` lädt stattdessen OpenStreetMap.",
            "`kek-geo fetch --kreis <key>` fetches OpenStreetMap instead.",
        )
    return [empty_layer(name, files, hint)]


def osm_stop_layers(raw_dir: Path, bounds: Boundaries) -> list[BuiltLayer] | None:
    """Stops and rail stations from fetched OSM data (``None`` without it)."""
    stops = read_osm_stops(raw_dir, bounds)
    if stops is None:
        return None
    return [
        BuiltLayer(
            "stops",
            stops,
            (OSM_SOURCE,),
            (OSM_FILE,),
            "Haltestellen aus OpenStreetMap im Kreis und bis 2 km außerhalb: Bushaltestellen "
            "(highway=bus_stop), Straßenbahnhalte (railway=tram_stop), Bahnhöfe und Haltepunkte "
            "(railway=station, halt). Kein Fahrplan und keine Bahnhofskategorie.",
            "Stops from OpenStreetMap in the district and up to 2 km outside: bus stops "
            "(highway=bus_stop), tram stops (railway=tram_stop), rail stations and halts "
            "(railway=station, halt). No timetable and no station category.",
        ),
        BuiltLayer(
            "rail_stations",
            rail_stations_from_stops(stops),
            (OSM_SOURCE,),
            (OSM_FILE,),
            "Bahnhöfe und Haltepunkte aus OpenStreetMap (railway=station, halt); "
            "Bahnhofskategorie und Stufenfreiheit sind unbekannt.",
            "Rail stations and halts from OpenStreetMap (railway=station, halt); station "
            "category and step-free access are unknown.",
        ),
    ]


def osm_service_layer(
    name: str, services: BuiltLayer, pick: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame]
) -> list[BuiltLayer] | None:
    """Schools or hospitals from the fetched OSM services (``None`` without them)."""
    if not services.available:
        return None
    what = {"schools": ("Schulen", "Schools"), "hospitals": ("Krankenhäuser", "Hospitals")}[name]
    return [
        BuiltLayer(
            name,
            pick(services.data),
            (OSM_SOURCE,),
            (OSM_FILE,),
            f"{what[0]} aus OpenStreetMap im Kreis und bis 2 km außerhalb (siehe "
            "Daseinsvorsorge-Einrichtungen); Schülerzahlen, Sozialindex und Träger sind "
            "unbekannt. Grundschule = isced:level 1, school:de oder Name „Grundschule“.",
            f"{what[1]} from OpenStreetMap in the district and up to 2 km outside (see the "
            "everyday services); pupils, social index and operator are unknown. Primary school "
            "= isced:level 1, or school:de or the name saying Grundschule.",
        )
    ]


def schools_layers(services: BuiltLayer) -> list[BuiltLayer] | None:
    """Schools from OSM."""
    return osm_service_layer("schools", services, schools_from_services)


def hospital_layers(services: BuiltLayer) -> list[BuiltLayer] | None:
    """Hospitals from OSM."""
    return osm_service_layer("hospitals", services, hospitals_from_services)


#: Share of a municipality's residents that OSM land use must hold to replace the census areas.
MIN_LANDUSE_COVER = 0.5


def thinly_mapped(patches: gpd.GeoDataFrame, grid: pd.DataFrame) -> list[str]:
    """Municipalities whose residents OSM land use mostly misses (their mapping is incomplete).

    Parameters
    ----------
    patches
        Settlement patches from OSM land use (``ags``, ``population_est``).
    grid
        The 100 m cells (``ags``, ``population_est``).

    Returns
    -------
    list of str
        AGS of the municipalities with less than :data:`MIN_LANDUSE_COVER` of their residents
        inside the land use.
    """
    total = grid.groupby(grid["ags"].astype(str))["population_est"].sum()
    inside = patches.groupby(patches["ags"].astype(str))["population_est"].sum()
    share = inside.reindex(total.index, fill_value=0.0) / total.where(total > 0)
    return sorted(str(a) for a in share.index[share.fillna(1.0) < MIN_LANDUSE_COVER])


def with_osm_settlement(
    raw_dir: Path, bounds: Boundaries, census_layers: list[BuiltLayer]
) -> list[BuiltLayer]:
    """The census layers, with settlement areas from OSM land use where it was fetched.

    OSM land use (residential, commercial, industrial, retail) replaces the settlement areas
    derived from the census cells, and the municipalities' settlement area follows it.

    Parameters
    ----------
    raw_dir
        Raw data folder.
    bounds
        District and municipalities.
    census_layers
        The layers of the census step (``gemeinden``, grids, settlement areas).

    Returns
    -------
    list of BuiltLayer
        The same layers, the settlement ones replaced when OSM land use is present.
    """
    landuse = read_landuse(raw_dir, bounds)
    if landuse is None or landuse.empty:
        return census_layers
    by_name = {layer.name: layer for layer in census_layers}
    grid = by_name["grid_100m"].data
    patches = settlement_from_landuse(landuse, grid, bounds)
    thin = thinly_mapped(patches, grid)
    if thin:
        note = (
            "OSM land use not used: it holds under "
            f"{MIN_LANDUSE_COVER:.0%} of the residents of {', '.join(thin)}; the settlement "
            "areas stay those derived from the census cells."
        )
        by_name["settlement_areas"].notes.append(note)
        return census_layers
    display = to_display(
        patches[["patch_id", "ags", "area_ha", "population_est", "geometry"]],
        DISPLAY_TOLERANCE_M["settlement"],
    )
    counts = landuse["landuse"].value_counts().sort_index()
    method = (
        "Aus OpenStreetMap: Flächennutzung Wohnen, Gewerbe, Industrie und Einzelhandel "
        "(landuse=residential, commercial, industrial, retail) im Kreis, zu Flächen verschmolzen "
        f"(Lücken unter {JOIN_GAP_M:.0f} m, etwa Straßen, geschlossen). Einwohner: die der "
        "100-m-Zellen mit Mittelpunkt in der Fläche. Gemeinde: die mit dem größten Flächenanteil.",
        "From OpenStreetMap: residential, commercial, industrial and retail land use "
        "(landuse=residential, commercial, industrial, retail) in the district, dissolved into "
        f"patches (gaps under {JOIN_GAP_M:.0f} m, such as streets, closed). Residents: those of "
        "the 100 m cells whose centre lies in the patch. Municipality: the one with the largest "
        "share of its area.",
    )
    notes = [f"{kind}: {n} areas" for kind, n in counts.items()]
    gemeinden = by_name["gemeinden"]
    area = settlement_area_by_municipality(patches, bounds)
    gemeinden.data["settlement_area_km2"] = (
        gemeinden.data["ags"].astype(str).map(area).astype("float64")
    )
    gemeinden.sources = (*gemeinden.sources, OSM_SOURCE)
    gemeinden.files = (*gemeinden.files, OSM_FILE)
    gemeinden.method_de += (
        " Siedlungsfläche: OpenStreetMap-Flächennutzung (siehe Siedlungsflächen)."
    )
    gemeinden.method_en += " Settlement area: OpenStreetMap land use (see settlement areas)."
    replaced = {
        "settlement_areas": BuiltLayer(
            "settlement_areas", patches, (OSM_SOURCE,), (OSM_FILE,), *method, notes
        ),
        "settlement_areas_display": BuiltLayer(
            "settlement_areas_display",
            display,
            (OSM_SOURCE,),
            (OSM_FILE,),
            "Kartenkopie der Siedlungsflächen aus OpenStreetMap, um 10 m vereinfacht, WGS84.",
            "Map copy of the settlement areas from OpenStreetMap, simplified by 10 m, WGS84.",
        ),
    }
    return [replaced.get(layer.name, layer) for layer in census_layers]
