"""Build the data snapshot in ``geodata/`` from the raw open data.

The build writes into a temporary folder next to the target, checks every layer against its
schema, and only then swaps the folders, so a failed build leaves the existing snapshot as it
was. Files are written deterministically (sorted rows, rounded numbers and coordinates, no
timestamps): two builds from the same input give identical sha256 sums.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd

from kek_geo.catalog import LAYERS
from kek_geo.errors import DataSourceError, KekGeoError
from kek_geo.fileio import replacing_folder
from kek_geo.geo import (
    ANALYSIS_PRECISION_M,
    DISPLAY_PRECISION_DEG,
    round_floats,
    round_geometries,
    to_display,
)
from kek_geo.manifest import IMPORTS_DIR, MANIFEST_NAME, write_manifest
from kek_geo.pipeline import census, census2022
from kek_geo.pipeline.boundaries import Boundaries, district_name, kind_label, read_boundaries
from kek_geo.pipeline.broadband import FOLDER as BROADBAND_FOLDER
from kek_geo.pipeline.broadband import build_broadband
from kek_geo.pipeline.facilities import (
    CHARGING_FILE,
    HOSPITALS_FILE,
    SCHOOLS_FILE,
    read_charging_2019,
    read_hospitals,
    read_schools,
)
from kek_geo.pipeline.fallbacks import (
    empty_layer,
    first_available,
    hospital_layers,
    osm_stop_layers,
    schools_layers,
    with_osm_settlement,
)
from kek_geo.pipeline.fetched import build_sources
from kek_geo.pipeline.grid2022_layers import census_layers_2022 as _census_layers_2022
from kek_geo.pipeline.model import DISPLAY_TOLERANCE_M, BuiltLayer
from kek_geo.pipeline.osm_layers import services_layer
from kek_geo.pipeline.projection import projection_layer, read_projection
from kek_geo.pipeline.rawdirs import merged_raw, real_path
from kek_geo.pipeline.readers import numeric, read_csv
from kek_geo.pipeline.transport import STATIONS_FILE, STOPS_FILE, read_rail_stations, read_stops
from kek_geo.settings import KREIS_AGS
from kek_geo.snapshot import validate_snapshot
from kek_geo.sources import Source

INKAR_FILE = "gerda/inkar_county_covariates_kreis_herford.csv"
GRID_100M_FILES = (
    census.GRID_BUILDINGS_FILE,
    census.GRID_DWELLINGS_FILE,
    census.GRID_AGE_FILE,
)
GRID_FILES = (census.GRID_2022_FILE, census.GRID_1KM_FILE, *GRID_100M_FILES)
#: Sources of the 1 km grid layer (2022 and 2011) and of the 100 m estimate.
GRID_1KM_SOURCES = ("eurostat-census-grid-2021", "zensus2011-grid")
ESTIMATE_SOURCES = ("eurostat-census-grid-2021", "zensus2011-grid", "zensus2022-gemeinden")

POP_ESTIMATE_NOTE_DE = (
    "Geschätzt, Stand 2022: die Einwohner jeder 1-km-Zelle 2022 (Zensus 2022) werden nach dem "
    "Gebäudebestand 2011 (Zensus 2011) auf ihre 100-m-Zellen verteilt – nach Wohnungen bzw. "
    "Wohngebäuden, sonst nach den ausgewiesenen Kindern unter 10 und Menschen ab 80 – und je "
    "Gemeinde auf die amtliche Einwohnerzahl 2022 abgestimmt. Keine Zelle erhält weniger "
    "Bewohner, als sie 2011 an Kindern unter 10 und Menschen ab 80 ausweist. Die Quelle 2011 "
    "unterdrückt Werte unter 3; seit 2011 neu bebaute Flächen fehlen."
)
POP_ESTIMATE_NOTE_EN = (
    "Estimated, for 2022: the 2022 residents of each 1 km cell (Zensus 2022) are spread over its "
    "100 m cells by the 2011 housing stock (Zensus 2011) – by dwellings or residential "
    "buildings, else by the published children under 10 and people 80+ – and calibrated per "
    "municipality to the official 2022 population. No cell gets fewer residents than the "
    "children under 10 and people 80+ it published in 2011. The 2011 source suppresses counts "
    "below 3; areas built up since 2011 are missing."
)


def _boundary_layers(
    bounds: Boundaries, gemeinden: gpd.GeoDataFrame, population_source: str
) -> list[BuiltLayer]:
    vg = bounds.files[:2]
    ags = str(bounds.kreis["ags"].iloc[0])
    kreis = bounds.kreis[["ags", "name", "geometry"]].copy()
    kreis["name"] = pd.Series([district_name(bounds.kreis)], dtype="string")
    kreis["area_km2"] = kreis.area / 1e6
    kreis["population"] = int(gemeinden["population"].sum())
    display = to_display(
        gemeinden[["ags", "name", "kind", "geometry"]],
        DISPLAY_TOLERANCE_M["gemeinden"],
        coverage=True,
    )
    kreis_display = gpd.GeoDataFrame(
        {"ags": kreis["ags"], "name": kreis["name"]},
        geometry=[display.union_all()],
        crs=display.crs,
    )
    neighbours = to_display(
        bounds.neighbours[["ags", "name", "kind", "geometry"]],
        DISPLAY_TOLERANCE_M["neighbours"],
        coverage=True,
    )
    vg_method = (
        f"VG250-Polygone (1:250 000), Gemeinden mit AGS {ags}*, in EPSG:25832 umprojiziert; "
        "Fläche aus der Geometrie.",
        f"VG250 polygons (1:250,000), municipalities with AGS {ags}*, reprojected to "
        "EPSG:25832; area from the geometry.",
    )
    display_method = (
        "Kartenkopie: in EPSG:25832 topologieerhaltend vereinfacht (gemeinsame Grenzen "
        "einmal), nach WGS84 umgerechnet, Koordinaten auf ~1 m gerundet.",
        "Map copy: coverage-simplified in EPSG:25832 (shared edges once), converted to WGS84, "
        "coordinates rounded to ~1 m.",
    )
    return [
        BuiltLayer("kreis", kreis, ("bkg-vg250", population_source), vg, *vg_method),
        BuiltLayer("kreis_display", kreis_display, ("bkg-vg250",), vg, *display_method),
        BuiltLayer("gemeinden_display", display, ("bkg-vg250",), vg, *display_method),
        BuiltLayer(
            "neighbours_display",
            neighbours,
            ("bkg-vg250",),
            (bounds.files[2],),
            "Gemeinden anderer Kreise im Umkreis von 15 km, nur zur Orientierung. "
            + display_method[0],
            "Municipalities of other districts within 15 km, for orientation only. "
            + display_method[1],
        ),
    ]


def _gemeinden_layer(
    raw_dir: Path, bounds: Boundaries, grids: census.GridResult
) -> gpd.GeoDataFrame:
    known = bounds.ags_codes
    gem = bounds.gemeinden.copy()
    gem["kind"] = kind_label(gem["kind"]).astype("string")
    gem["area_km2"] = gem.area / 1e6
    gem = gem.merge(census.read_population(raw_dir, known), on="ags", how="left")
    gem = gem.merge(census.read_municipal_census(raw_dir, known), on="ags", how="left")
    gem = gem.merge(
        census.weighted_grid_figures(grids.grid_1km, grids.allocation), on="ags", how="left"
    )
    settled = grids.grid_100m.groupby("ags").size().rename("settled_cells")
    gem["settlement_area_km2"] = gem["ags"].map(settled).fillna(0).astype("float64") / 100.0
    columns = list(LAYERS["gemeinden"].columns)
    return gpd.GeoDataFrame(gem[columns], geometry=gem.geometry, crs=gem.crs)


def _census_layers(raw_dir: Path, bounds: Boundaries) -> tuple[list[BuiltLayer], gpd.GeoDataFrame]:
    grids = census.build_grids(raw_dir, bounds)
    gemeinden = _gemeinden_layer(raw_dir, bounds, grids)
    patches = census.settlement_patches(grids.grid_100m)
    patches_display = to_display(
        patches[["patch_id", "ags", "area_ha", "population_est", "geometry"]],
        DISPLAY_TOLERANCE_M["settlement"],
    )
    layers = [
        BuiltLayer(
            "gemeinden",
            gemeinden,
            ("bkg-vg250", "zensus2022-gemeinden", "gerda", *GRID_1KM_SOURCES),
            (*bounds.files[:2], census.POPULATION_FILE, census.GERDA_FILE, *GRID_FILES),
            "Einwohner: Zensus 2022 (Stichtag 15.05.2022). Wohnungen, Leerstand, Haushaltsgröße, "
            "Eigentümerquote, Miete: Zensus-2022-Gemeindeindikatoren (GERDA). Anteile unter 15 "
            "und ab 65 (2022): aus dem 1-km-Gitter 2022 (Zensus 2022), Summe der Altersgruppe ÷ "
            "Summe der Einwohner. Anteile unter 18 und ab 65 sowie Durchschnittsalter (2011): aus "
            "dem 1-km-Gitter des Zensus 2011 (Stichtag 09.05.2011), mit den Einwohnern 2011 "
            "gewichtet. Die GERDA-Altersanteile sind fehlerhaft und werden nicht verwendet. Jede "
            "1-km-Zelle wird nach dem Gebäudebestand 2011 ihrer 100-m-Zellen auf die Gemeinden "
            "aufgeteilt (nach Fläche nur, wo keine 100-m-Zelle etwas ausweist). Siedlungsfläche: "
            "Zahl der besiedelten 100-m-Zellen (Zensus 2011) × 1 ha.",
            "Population: Zensus 2022 (census day 2022-05-15). Dwellings, vacancy, household "
            "size, owner rate, rent: Zensus 2022 municipal indicators (GERDA). Shares under 15 "
            "and 65+ (2022): from the 2022 1 km grid (Zensus 2022), sum of the age band ÷ sum of "
            "the population. Shares under 18 and 65+ and mean age (2011): from the Zensus 2011 "
            "1 km grid (census day 2011-05-09), weighted by the 2011 population. The GERDA age "
            "shares are wrong and not used. Each 1 km cell is split between municipalities by the "
            "2011 housing stock of its 100 m cells (by area only where no 100 m cell publishes "
            "anything). Settlement area: number of settled 100 m cells (Zensus 2011) × 1 ha.",
            grids.notes[:1],
        ),
        BuiltLayer(
            "grid_1km",
            grids.grid_1km,
            GRID_1KM_SOURCES,
            (census.GRID_2022_FILE, census.GRID_1KM_FILE),
            "1-km-Gitterzellen, die den Kreis berühren, auf die Kreisgrenze zugeschnitten; Werte "
            "der ganzen Zelle wie veröffentlicht. Ohne Jahreszahl: Zensus 2022 (Stichtag "
            "15.05.2022, Eurostat-Gitter; Einwohner, unter 15, 15–64, ab 65; Anteile = Gruppe ÷ "
            "Einwohner). Mit „_2011“: Zensus 2011 (Stichtag 09.05.2011; −1/−9 = keine Einwohner/"
            "geheim, als fehlend gespeichert). change_65plus_pp: Anteil ab 65 2022 minus 2011 in "
            "Prozentpunkten. population_in_kreis: Einwohner 2022 der Zelle im Kreis, nach dem "
            "Gebäudebestand 2011 der 100-m-Zellen.",
            "1 km grid cells touching the district, clipped to its boundary; values for the whole "
            "cell as published. Without a year: Zensus 2022 (census day 2022-05-15, Eurostat "
            "grid; population, under 15, 15–64, 65+; shares = band ÷ population). With '_2011': "
            "Zensus 2011 (census day 2011-05-09; -1/-9 = no population/suppressed, stored as "
            "missing). change_65plus_pp: share 65+ 2022 minus 2011 in percentage points. "
            "population_in_kreis: the cell's 2022 residents inside the district, by the 2011 "
            "housing stock of its 100 m cells.",
            grids.notes[:1],
        ),
        BuiltLayer(
            "grid_100m",
            grids.grid_100m,
            ESTIMATE_SOURCES,
            (*GRID_FILES, census.POPULATION_FILE),
            "100-m-Zellen mit Mittelpunkt im Kreis. Stand 2011 (Zensus 2011, Stichtag "
            "09.05.2011): Wohngebäude nach Baujahr, Wohnungen, Kinder unter 10, Menschen ab 80 "
            "(Werte unter 3 sind in der Quelle geheim gehalten und fehlen). population_est: "
            + POP_ESTIMATE_NOTE_DE,
            "100 m cells whose centre lies in the district. As of 2011 (Zensus 2011, census day "
            "2011-05-09): residential buildings by construction year, dwellings, children under "
            "10, people 80+ (counts below 3 are suppressed in the source and missing). "
            "population_est: " + POP_ESTIMATE_NOTE_EN,
            grids.notes[1:],
        ),
        BuiltLayer(
            "settlement_areas",
            patches,
            ESTIMATE_SOURCES,
            (*GRID_FILES, census.POPULATION_FILE),
            "Abgeleitet, Stand 2011: alle 100-m-Zellen, für die das Gitter des Zensus 2011 "
            "Wohngebäude, Wohnungen oder Bewohner ausweist, zu Flächen aus kantenbenachbarten "
            "Zellen verschmolzen (Wohnsiedlungsfläche; reine Gewerbe- und Verkehrsflächen sowie "
            "seit 2011 neu bebaute Flächen fehlen). Gemeinde = die mit den meisten Zellen. "
            "Einwohner: 2022, geschätzt (siehe 100-m-Gitter).",
            "Derived, as of 2011: all 100 m cells for which the Zensus 2011 grid reports "
            "residential buildings, dwellings or residents, dissolved into patches of "
            "edge-adjacent cells (residential settlement area; purely commercial and transport "
            "land and areas built up since 2011 are missing). Municipality = the one holding most "
            "cells. Population: 2022, estimated (see 100 m grid).",
        ),
        BuiltLayer(
            "settlement_areas_display",
            patches_display,
            ESTIMATE_SOURCES,
            (*GRID_FILES, census.POPULATION_FILE),
            "Kartenkopie der Siedlungsflächen (Stand 2011, Einwohner 2022 geschätzt), um 10 m "
            "vereinfacht, WGS84.",
            "Map copy of the settlement areas (as of 2011, residents 2022 estimated), simplified "
            "by 10 m, WGS84.",
        ),
    ]
    return layers, gemeinden


def _transport_layers(raw_dir: Path, bounds: Boundaries) -> list[BuiltLayer]:
    stations = read_rail_stations(raw_dir, bounds)
    stops = read_stops(raw_dir, bounds, stations)
    return [
        BuiltLayer(
            "stops",
            stops,
            ("db-hafas-stations", "db-stations"),
            (STOPS_FILE, STATIONS_FILE),
            "Haltestellen im Kreis und bis 2 km außerhalb. Verkehrsmittel aus den HAFAS-"
            "Produktflags (Bahn > Stadtbahn > Bus > nur Taxibus/AST). Bahnhalte erhalten die "
            "Stationskategorie des nächsten DB-Bahnhofs (≤ 500 m). Kein Fahrplan: Abfahrten "
            "je Tag sind unbekannt.",
            "Stops in the district and up to 2 km outside. Mode from the HAFAS product flags "
            "(rail > tram > bus > taxi-bus/on-demand only). Rail stops take the category of the "
            "nearest DB station (≤ 500 m). No timetable: departures per day are unknown.",
        ),
        BuiltLayer(
            "rail_stations",
            stations,
            ("db-stations",),
            (STATIONS_FILE,),
            "DB-Bahnhöfe (StaDa) im Kreis und bis 2 km außerhalb, mit Bahnhofskategorie 1–7 "
            "und Stufenfreiheit.",
            "DB rail stations (StaDa) in the district and up to 2 km outside, with station "
            "category 1–7 and step-free access.",
        ),
    ]


def _schools_layers(raw_dir: Path, bounds: Boundaries) -> list[BuiltLayer]:
    return [
        BuiltLayer(
            "schools",
            read_schools(raw_dir, bounds),
            ("schulen-nrw",),
            (SCHOOLS_FILE,),
            "Alle Schulen des Kreises (Schuljahr 2024/25) mit Schulform, Schülerzahl und "
            "Sozialindex (1 = geringe … 9 = sehr hohe Belastung). Koordinaten aus Adressen "
            "geokodiert; einige liegen auf der Straße.",
            "All schools of the district (school year 2024/25) with type, pupils and social "
            "index (1 = low … 9 = very high need). Coordinates geocoded from addresses; a few "
            "sit on the street.",
        )
    ]


def _hospital_layers(raw_dir: Path, bounds: Boundaries) -> list[BuiltLayer]:
    return [
        BuiltLayer(
            "hospitals",
            read_hospitals(raw_dir, bounds),
            ("eurostat-healthcare",),
            (HOSPITALS_FILE,),
            "Krankenhausstandorte im Kreis und Umland, Stand März 2020: Schließungen und "
            "Fusionen danach fehlen.",
            "Hospital sites in and around the district, status March 2020: later closures and "
            "mergers are missing.",
        )
    ]


def _charging_layers(raw_dir: Path, bounds: Boundaries) -> list[BuiltLayer]:
    return [
        BuiltLayer(
            "charging_2019",
            read_charging_2019(raw_dir, bounds),
            ("bnetza-ladesaeulen-2019",),
            (CHARGING_FILE,),
            "HISTORISCH: Ladesäulenregister vom 19.07.2019, nur als Ausgangswert. Der heutige "
            "Bestand ist um ein Vielfaches größer.",
            "HISTORIC: charging register of 2019-07-19, a baseline only. Today's count is many "
            "times higher.",
        ),
    ]


def _broadband_layers(raw_dir: Path, bounds: Boundaries, kreis_ags: str) -> list[BuiltLayer]:
    bb = build_broadband(raw_dir, bounds.ags_codes, kreis_ags)
    skipped = [f"not used: {s}" for s in bb.skipped]
    return [
        BuiltLayer(
            "broadband",
            bb.table,
            ("breitbandatlas",),
            bb.files,
            "Verfügbarkeit in % je Gemeinde und Kreis, Release (Ende 2018 … Mitte 2021), "
            "Segment (Haushalte, Unternehmen, Gewerbegebiete), Technologie und Mindestbandbreite, "
            "als lange Tabelle. Leere Zellen bleiben fehlend. Kreiswerte nur für Releases mit "
            "Gemeindedaten.",
            "Availability in % per municipality and district, release (end 2018 … mid 2021), "
            "segment (households, businesses, commercial areas), technology and minimum "
            "bandwidth, as a long table. Empty cells stay missing. District rows only for "
            "releases with municipal data.",
            skipped,
        ),
        BuiltLayer(
            "mobile_coverage",
            bb.mobile,
            ("breitbandatlas",),
            tuple(f for f in bb.files if "mobilfunk" in f),
            "Mobilfunk-Flächenabdeckung des Kreises nach Technologie und Flächenart (Mitte 2021).",
            "Mobile coverage of the district's area by technology and land use (mid 2021).",
        ),
    ]


def _inkar_layers(raw_dir: Path, kreis_ags: str) -> list[BuiltLayer]:
    return [
        BuiltLayer(
            "inkar_kreis",
            _read_inkar(raw_dir, kreis_ags),
            ("gerda",),
            (INKAR_FILE,),
            "INKAR-Indikatoren des Kreises 1995–2022 (Codebuch in der Quelle).",
            "INKAR indicators of the district 1995–2022 (codebook in the source).",
        ),
    ]


def _read_inkar(raw_dir: Path, kreis_ags: str) -> pd.DataFrame:
    path = raw_dir / INKAR_FILE
    df = read_csv(
        path, required=("county_code", "year", "share_65plus"), dtype={"county_code": "string"}
    )
    if set(df["county_code"].str.zfill(5)) != {kreis_ags}:
        raise DataSourceError(path, f"expected rows for district {kreis_ags} only")
    values = [c for c in df.columns if c not in {"county_code", "year"}]
    numeric(df, ["year", *values], path)
    out = df[["year", *values]].copy()
    out["year"] = out["year"].astype("int64")
    return out.sort_values("year").reset_index(drop=True)


def build_layers(raw_dir: Path, kreis_ags: str = KREIS_AGS) -> list[BuiltLayer]:
    """Read every raw source there is and derive all snapshot layers (no files are written).

    The boundaries and a population grid are required: the Zensus 2022 100 m grid (counted
    residents) or the 1 km grid 2022 with the 2011 100 m structure (estimated residents). Every
    other source is optional: without it its layers are built empty, marked as not available
    and say how to get it; stops, rail stations, schools and hospitals fall back to fetched
    OpenStreetMap data where the official lists are missing.

    Parameters
    ----------
    raw_dir
        Raw data folder (``../shared/data/raw``, a fetched folder, or both merged).
    kreis_ags
        Five-digit key of the district.

    Returns
    -------
    list of BuiltLayer
        One entry per layer of :data:`kek_geo.catalog.LAYERS`.
    """
    if not raw_dir.is_dir():
        raise DataSourceError(raw_dir, "raw data folder not found")
    bounds = read_boundaries(raw_dir, kreis_ags)
    if census2022.has_grid(raw_dir):
        census_layers, gemeinden, population_source = _census_layers_2022(raw_dir, bounds)
    else:
        _require_grid(raw_dir)
        census_layers, gemeinden = _census_layers(raw_dir, bounds)
        population_source = "zensus2022-gemeinden"
    census_layers = with_osm_settlement(raw_dir, bounds, census_layers)
    services = services_layer(raw_dir, bounds)
    layers = [
        *_boundary_layers(bounds, gemeinden, population_source),
        *census_layers,
        *_optional_transport_layers(raw_dir, bounds),
        *_optional_facility_layers(raw_dir, bounds, services),
        *_optional_table_layers(raw_dir, bounds, kreis_ags),
        services,
    ]
    missing = set(LAYERS) - {layer.name for layer in layers}
    if missing:  # pragma: no cover - a programming error, not a data error
        raise KekGeoError(f"pipeline did not build layer(s) {sorted(missing)}")
    return layers


def _require_grid(raw_dir: Path) -> None:
    """Fail with what to fetch when the raw folder has no population grid at all."""
    needed = (census.GRID_2022_FILE, *GRID_100M_FILES, census.POPULATION_FILE)
    if not any((raw_dir / f).is_file() for f in needed):
        raise DataSourceError(
            raw_dir / census2022.POPULATION_FILE,
            "no population grid in the raw folder: fetch the Zensus 2022 grid with "
            "`kek-geo fetch --kreis <key> --only zensus2022-population,zensus2022-age`",
        )


def _optional_transport_layers(raw_dir: Path, bounds: Boundaries) -> list[BuiltLayer]:
    official = ((STOPS_FILE, STATIONS_FILE), lambda: _transport_layers(raw_dir, bounds))
    built = first_available(raw_dir, "stops", official, lambda: osm_stop_layers(raw_dir, bounds))
    if len(built) == 1:  # neither source: the rail stations are missing too
        built.append(empty_layer("rail_stations", (STATIONS_FILE,)))
    return built


def _optional_facility_layers(
    raw_dir: Path, bounds: Boundaries, services: BuiltLayer
) -> list[BuiltLayer]:
    schools = ((SCHOOLS_FILE,), lambda: _schools_layers(raw_dir, bounds))
    hospitals = ((HOSPITALS_FILE,), lambda: _hospital_layers(raw_dir, bounds))
    charging = ((CHARGING_FILE,), lambda: _charging_layers(raw_dir, bounds))
    return [
        *first_available(raw_dir, "schools", schools, lambda: schools_layers(services)),
        *first_available(raw_dir, "hospitals", hospitals, lambda: hospital_layers(services)),
        *first_available(raw_dir, "charging_2019", charging),
    ]


def _optional_table_layers(raw_dir: Path, bounds: Boundaries, kreis_ags: str) -> list[BuiltLayer]:
    folder = (BROADBAND_FOLDER,)
    broadband = first_available(
        raw_dir, "broadband", (folder, lambda: _broadband_layers(raw_dir, bounds, kreis_ags))
    )
    if len(broadband) == 1:
        broadband.append(empty_layer("mobile_coverage", folder))
    inkar = ((INKAR_FILE,), lambda: _inkar_layers(raw_dir, kreis_ags))
    return [
        *broadband,
        *first_available(raw_dir, "inkar_kreis", inkar),
        _projection(raw_dir, bounds),
    ]


def _projection(raw_dir: Path, bounds: Boundaries) -> BuiltLayer:
    read = read_projection(raw_dir, bounds)
    if read is None:
        return empty_layer(
            "projection",
            ("projection/*.csv",),
            (
                "Die Tabelle wird von Hand beim Statistischen Landesamt exportiert (siehe "
                "`kek-geo fetch`).",
                "The table is exported by hand from the state statistical office (see "
                "`kek-geo fetch`).",
            ),
        )
    return projection_layer(*read)


def _prepare(layer: BuiltLayer) -> pd.DataFrame:
    spec = LAYERS[layer.name]
    data = round_floats(layer.data)
    if spec.is_geo:
        grid = DISPLAY_PRECISION_DEG if spec.display else ANALYSIS_PRECISION_M
        data = round_geometries(data, grid)
    return data.reset_index(drop=True)


def write_layers(
    layers: list[BuiltLayer], out_dir: Path, sources: dict[str, Source] | None = None
) -> None:
    """Write the layers and the manifest into ``out_dir`` (which must exist).

    Parameters
    ----------
    layers
        Output of :func:`build_layers`.
    out_dir
        Target folder.
    sources
        Sources the layers name (default: the known ones).
    """
    written: list[tuple[BuiltLayer, pd.DataFrame]] = []
    for layer in layers:
        data = _prepare(layer)
        path = out_dir / LAYERS[layer.name].filename
        if isinstance(data, gpd.GeoDataFrame):
            data.to_parquet(path, index=False, compression="zstd", write_covering_bbox=False)
        else:
            data.to_parquet(path, index=False, compression="zstd")
        written.append((layer, data))
    write_manifest(out_dir, written, sources)


def build_snapshot(
    raw_dir: Path | Sequence[Path], out_dir: Path, kreis_ags: str = KREIS_AGS
) -> Path:
    """Build the snapshot into a temporary folder, validate it, then replace ``out_dir``.

    Files a user imported later (``geodata/imports/``) are carried over.

    Parameters
    ----------
    raw_dir
        Raw data folder, or several laid over each other (later ones win per source folder,
        see :func:`kek_geo.pipeline.rawdirs.merged_raw`).
    out_dir
        Snapshot folder to create or replace.
    kreis_ags
        Five-digit key of the district.

    Returns
    -------
    pathlib.Path
        Path of the written manifest.
    """
    folders = [raw_dir] if isinstance(raw_dir, Path) else list(raw_dir)
    out_dir = out_dir.resolve()
    with merged_raw(folders) as raw, replacing_folder(out_dir) as tmp:
        try:
            layers = build_layers(raw, kreis_ags)
            write_layers(layers, tmp, build_sources(raw, layers))
        except DataSourceError as exc:  # name the file where it really lies
            raise DataSourceError(real_path(exc.path, raw, folders), exc.problem) from exc
        validate_snapshot(tmp)
        if (out_dir / IMPORTS_DIR).is_dir():
            shutil.copytree(out_dir / IMPORTS_DIR, tmp / IMPORTS_DIR)
    return out_dir / MANIFEST_NAME
