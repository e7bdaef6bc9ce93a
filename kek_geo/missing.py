"""Layers KEK Geo does not have offline, and how each would be imported.

Nothing here is estimated or shown as if it existed: the app lists these as missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kek_geo.i18n import pick


@dataclass(frozen=True)
class MissingLayer:
    """A data set the app lacks.

    Attributes
    ----------
    key
        Identifier.
    title_de, title_en
        Name.
    why_de, why_en
        What it would add.
    how_de, how_en
        How to import it (commands or download location).
    """

    key: str
    title_de: str
    title_en: str
    why_de: str
    why_en: str
    how_de: str
    how_en: str

    def title(self, lang: str) -> str:
        """Title in a language."""
        return pick(lang, self.title_de, self.title_en)

    def why(self, lang: str) -> str:
        """Purpose in a language."""
        return pick(lang, self.why_de, self.why_en)

    def how(self, lang: str) -> str:
        """Import instructions in a language."""
        return pick(lang, self.how_de, self.how_en)


MISSING: tuple[MissingLayer, ...] = (
    MissingLayer(
        "gtfs",
        "Fahrplan (GTFS), z. B. DELFI-Deutschland-Feed",
        "Timetable (GTFS), e.g. the DELFI Germany feed",
        "Abfahrten je Haltestelle, ÖV-Güteklassen, das 20-Abfahrten-Kriterium des "
        "Deutschlandatlas.",
        "Departures per stop, public transport quality classes, the Deutschlandatlas "
        "20-departures criterion.",
        "GTFS-ZIP von https://www.opendata-oepnv.de (DELFI) laden, dann "
        "`kek-geo import-gtfs --file <feed.zip>`.",
        "Download the GTFS zip from https://www.opendata-oepnv.de (DELFI), then "
        "`kek-geo import-gtfs --file <feed.zip>`.",
    ),
    MissingLayer(
        "osm_walk",
        "Fußwegenetz (OpenStreetMap)",
        "Walking network (OpenStreetMap)",
        "Entfernungen entlang von Wegen statt Luftlinie.",
        "Distances along streets and paths instead of straight lines.",
        "Offline: OSM-Auszug des Kreises als .osm/.osm.bz2 (z. B. mit osmium aus dem "
        "Geofabrik-Auszug NRW), dann `kek-geo import-osm --file <kreis.osm>`. Online: "
        "`kek-geo fetch-osm` lädt das Netz mit osmnx.",
        "Offline: an OSM extract of the district as .osm/.osm.bz2 (e.g. cut with osmium from "
        "the Geofabrik NRW extract), then `kek-geo import-osm --file <kreis.osm>`. Online: "
        "`kek-geo fetch-osm` downloads the network with osmnx.",
    ),
    MissingLayer(
        "osm_services",
        "Nahversorgung aus OpenStreetMap: Supermärkte, Hausärzte, Apotheken, Kitas",
        "Local services from OpenStreetMap: supermarkets, GPs, pharmacies, day care",
        "Erreichbarkeit der Daseinsvorsorge nach BBSR (1.000 m).",
        "Reachability of everyday services after BBSR (1,000 m).",
        "Auf einem Rechner mit Internet `kek-geo fetch --kreis <Kreisschlüssel> --only osm` "
        "(lädt OpenStreetMap über die Overpass-API nach `data/raw/<Kreisschlüssel>/osm`), dann "
        "`kek-geo build-data`. Der Lidl-Auszug der Rohdaten ist nur ein Formatbeispiel und "
        "kein vollständiger Datensatz.",
        "On a machine with internet, `kek-geo fetch --kreis <district key> --only osm` "
        "(downloads OpenStreetMap through the Overpass API into "
        "`data/raw/<district key>/osm`), then "
        "`kek-geo build-data`. The Lidl extract of the raw data is only a format sample, not a "
        "complete data set.",
    ),
    MissingLayer(
        "osm_landuse",
        "Flächennutzung und Gebäude (OSM oder ALKIS/Basis-DLM)",
        "Land use and buildings (OSM or ALKIS/Basis-DLM)",
        "Amtliche Siedlungs- und Verkehrsfläche, Gewerbeflächen, Gebäudeumrisse.",
        "Official settlement and transport land, commercial areas, building footprints.",
        "Geobasis NRW (open data, dl-de/zero-2-0) oder OSM-Auszug; Import ist geplant.",
        "Geobasis NRW (open data, dl-de/zero-2-0) or an OSM extract; an importer is planned.",
    ),
    MissingLayer(
        "broadband_current",
        "Aktueller Breitbandstand (Gigabit-Grundbuch nach Mitte 2021, 100-m-Raster)",
        "Current broadband (Gigabit-Grundbuch after mid 2021, 100 m grid)",
        "Der Datenstand endet Mitte 2021; neuere Releases je Gemeinde fehlen.",
        "The data end in mid 2021; newer releases per municipality are missing.",
        "Export je Gemeinde aus https://gigabitgrundbuch.bund.de im Format der "
        "Breitbandatlas-Tabellen, dann `kek-geo import-broadband --file <datei.csv> "
        "--release 2024-12 --segment households`.",
        "Export per municipality from https://gigabitgrundbuch.bund.de in the shape of the "
        "Breitbandatlas tables, then `kek-geo import-broadband --file <file.csv> "
        "--release 2024-12 --segment households`.",
    ),
    MissingLayer(
        "population_100m",
        "Zensus-2022-Einwohner im 100-m-Gitter",
        "Zensus 2022 population on the 100 m grid",
        "Echte statt geschätzter Einwohner je 100-m-Zelle.",
        "Actual instead of estimated residents per 100 m cell.",
        "Auf einem Rechner mit Internet `kek-geo fetch --kreis <Kreisschlüssel> --only "
        "zensus2022-population,zensus2022-age` (lädt die Gitter und schneidet sie auf den "
        "Kreis zu), dann `kek-geo build-data`: die Einwohner werden dann gezählt statt geschätzt.",
        "On a machine with internet, `kek-geo fetch --kreis <district key> --only "
        "zensus2022-population,zensus2022-age` (downloads the grids and cuts them to the "
        "district), then `kek-geo build-data`: residents are then counted, not estimated.",
    ),
    MissingLayer(
        "ortsteile",
        "Ortsteilgrenzen",
        "Boundaries of Ortsteile (villages/quarters)",
        "Auswertungen unterhalb der Gemeinde.",
        "Analysis below the municipality.",
        "Nicht offen verfügbar: beim Kreis oder den Gemeinden anfragen.",
        "Not openly available: ask the district or the municipalities.",
    ),
    MissingLayer(
        "projection",
        "Bevölkerungsvorausberechnung IT.NRW",
        "Population projection (IT.NRW)",
        "Demografie bis 2040.",
        "Demography up to 2040.",
        "Die Gemeindemodellrechnung aus der Landesdatenbank NRW (IT.NRW; andere Länder: ihr "
        "Statistisches Landesamt) als CSV mit den Spalten `ags;year;population;people_65plus` "
        "(eine Zeile je Gemeinde und Jahr, mindestens Basisjahr und 2040) in den Ordner "
        "`data/raw/<Kreisschlüssel>/projection/` legen, dann `kek-geo build-data`.",
        "Export the Gemeindemodellrechnung from the NRW state database (IT.NRW; other states: "
        "their statistical office) as a CSV with the columns `ags;year;population;"
        "people_65plus` (one row per municipality and year, at least the base year and 2040) "
        "into the folder `data/raw/<district key>/projection/`, then run `kek-geo build-data`.",
    ),
    MissingLayer(
        "charging_current",
        "Aktuelles Ladesäulenregister",
        "Current EV charging register",
        "Der vorhandene Stand ist von 2019 und nur ein historischer Ausgangswert.",
        "The data at hand are from 2019 and only a historic baseline.",
        "Download bei der Bundesnetzagentur (Ladesäulenkarte, CC BY 4.0); Import geplant.",
        "Download from the Bundesnetzagentur (charging map, CC BY 4.0); importer planned.",
    ),
)


def covered(manifest: dict[str, Any]) -> set[str]:
    """Keys of :data:`MISSING` that a snapshot already has (built from fetched data).

    Parameters
    ----------
    manifest
        The snapshot's manifest.

    Returns
    -------
    set of str
        E.g. ``osm_services`` once the services layer holds OpenStreetMap data.
    """
    layers = manifest.get("layers", {})
    out = set()
    if layers.get("services", {}).get("available", False):
        out.add("osm_services")
    if "zensus2022-grid" in layers.get("grid_100m", {}).get("sources", []):
        out.add("population_100m")
    if layers.get("projection", {}).get("available", False):
        out.add("projection")
    return out


def missing_how(key: str, lang: str) -> str:
    """How to get a missing data set, by its key in :data:`MISSING`."""
    return {m.key: m for m in MISSING}[key].how(lang)
