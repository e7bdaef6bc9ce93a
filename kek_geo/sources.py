"""Where each raw data set comes from: publisher, date, licence and required credit.

The texts follow the data pack's SOURCES.md and the ATTRIBUTION/LICENSE files of each raw
folder; the pipeline copies them into ``geodata/MANIFEST.json`` for every layer it derives.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

DL_DE_BY_2 = "dl-de/by-2-0"
DL_DE_BY_2_URL = "https://www.govdata.de/dl-de/by-2-0"
CC_BY_4 = "CC BY 4.0"
CC_BY_4_URL = "https://creativecommons.org/licenses/by/4.0/"
ODBL = "ODbL 1.0"
ODBL_URL = "https://opendatacommons.org/licenses/odbl/1-0/"


@dataclass(frozen=True)
class Source:
    """One raw data source.

    Attributes
    ----------
    key
        Folder name under the raw data directory.
    name
        Name of the data set.
    publisher
        Who publishes it.
    data_date
        Reference date of the data, as published.
    licence
        Licence short name.
    licence_url
        Link to the licence text.
    attribution
        The credit line that must be shown with the data.
    url
        Where to get it.
    note_de, note_en
        A caveat about the source that every user should see (empty if none).
    """

    key: str
    name: str
    publisher: str
    data_date: str
    licence: str
    licence_url: str
    attribution: str
    url: str
    note_de: str = ""
    note_en: str = ""

    def as_dict(self) -> dict[str, str]:
        """Plain dictionary for the manifest."""
        return asdict(self)


SOURCES: dict[str, Source] = {
    s.key: s
    for s in (
        Source(
            "bkg-vg250",
            "Verwaltungsgebiete 1:250 000 (VG250)",
            "Bundesamt für Kartographie und Geodäsie (BKG)",
            "2016 (Gebietsstand unverändert seit 1973)",
            DL_DE_BY_2,
            DL_DE_BY_2_URL,
            "© GeoBasis-DE / BKG 2016 (Daten verändert)",
            "https://gdz.bkg.bund.de",
        ),
        Source(
            "zensus2022-gemeinden",
            "Zensus 2022, Bevölkerung kompakt (Tabelle 1000A-0000)",
            "Statistische Ämter des Bundes und der Länder",
            "2022-05-15",
            DL_DE_BY_2,
            DL_DE_BY_2_URL,
            "Statistische Ämter des Bundes und der Länder, Zensus 2022",
            "https://ergebnisse.zensus2022.de",
        ),
        Source(
            "gerda",
            "Zensus 2022 Gemeindeindikatoren und INKAR-Kreiszeitreihen (GERDA)",
            "Statistische Ämter des Bundes und der Länder; BBSR (INKAR)",
            "2022 (Gemeinden), 1995–2022 (Kreis)",
            DL_DE_BY_2,
            DL_DE_BY_2_URL,
            "Zensus 2022; BBSR INKAR, via GERDA",
            "https://www.inkar.de",
        ),
        Source(
            "eurostat-census-grid-2021",
            "Census 2021 population grid 1 km (V2, 2024), für Deutschland Zensus 2022",
            "Eurostat; Statistische Ämter des Bundes und der Länder",
            "2022-05-15",
            f"{CC_BY_4}; {DL_DE_BY_2}",
            CC_BY_4_URL,
            "Eurostat, Census 2021 population grid (V2, 2024); data for Germany: Statistische "
            "Ämter des Bundes und der Länder, Zensus 2022",
            "https://ec.europa.eu/eurostat/web/gisco/geodata/population-distribution/population-grids",
            note_de=(
                "Die Werte des 1-km-Gitters 2022 sind zur Geheimhaltung leicht verändert: "
                "Altersgruppen ergeben zusammen nicht genau die Einwohnerzahl (Abweichung bis "
                "±13 Personen je Zelle). Anteile werden deshalb als Altersgruppe ÷ Einwohner "
                "berechnet, und in Zellen mit wenigen Einwohnern sind sie unsicher."
            ),
            note_en=(
                "The values of the 2022 1 km grid are slightly perturbed for confidentiality: "
                "the age bands do not add up exactly to the population (by up to ±13 persons per "
                "cell). Shares are therefore computed as age band ÷ population, and in cells with "
                "few residents they are uncertain."
            ),
        ),
        Source(
            "zensus2022-grid",
            "Zensus 2022, Gitterzellen 100 m (Bevölkerung, Alter, Gebäude, Leerstand, Miete)",
            "Statistische Ämter des Bundes und der Länder",
            "2022-05-15",
            DL_DE_BY_2,
            DL_DE_BY_2_URL,
            "Statistische Ämter des Bundes und der Länder, Zensus 2022",
            "https://www.zensus2022.de/DE/Ergebnisse-des-Zensus/_inhalt.html",
            note_de="Die Werte der Gitterzellen sind zur Geheimhaltung leicht verändert; gesperrte "
            "Werte (–) fehlen.",
            note_en="The cell values are slightly perturbed for confidentiality; suppressed values "
            "(–) are missing.",
        ),
        Source(
            "zensus2011-grid",
            "Zensus 2011, Gitterzellen (1 km und 100 m)",
            "Statistische Ämter des Bundes und der Länder",
            "2011-05-09 (Zensusstichtag 2011)",
            DL_DE_BY_2,
            DL_DE_BY_2_URL,
            "© Statistische Ämter des Bundes und der Länder, Zensus 2011 (Daten verändert)",
            "https://www.zensus2011.de",
        ),
        Source(
            "db-hafas-stations",
            "Haltestellen (DB HAFAS / RIS::Stations)",
            "DB InfraGO; OpenStreetMap contributors",
            "2025-10",
            f"{CC_BY_4} + {ODBL}",
            CC_BY_4_URL,
            "DB InfraGO (CC BY 4.0), © OpenStreetMap contributors (ODbL)",
            "https://developers.deutschebahn.com/db-api-marketplace/apis/product/ris-stations",
        ),
        Source(
            "db-stations",
            "Stationsdaten (StaDa)",
            "DB Station&Service / DB InfraGO",
            "2024-12",
            CC_BY_4,
            CC_BY_4_URL,
            "DB Station&Service (StaDa), CC BY 4.0",
            "https://developers.deutschebahn.com/db-api-marketplace/apis/product/stada",
        ),
        Source(
            "schulen-nrw",
            "Schulverzeichnis NRW mit Sozialindex",
            "IT.NRW und Ministerium für Schule und Bildung NRW; Koordinaten OpenStreetMap",
            "Schuljahr 2024/25",
            f"{DL_DE_BY_2}; Koordinaten {ODBL}",
            DL_DE_BY_2_URL,
            "IT.NRW, MSB NRW (dl-de/by-2-0); Geokodierung © OpenStreetMap contributors (ODbL)",
            "https://www.schulministerium.nrw/schulen-nrw",
        ),
        Source(
            "eurostat-healthcare",
            "Healthcare services: hospitals (Krankenhausstandortverzeichnis)",
            "Eurostat GISCO (DE: DKG/InEK)",
            "2020-03-08",
            "EUPL-1.2 (Repository); Länderbedingungen beim Anbieter",
            "https://github.com/eurostat/basic-services",
            "© European Union, Eurostat GISCO – Healthcare services "
            "(source DE: DKG/InEK Krankenhausstandortverzeichnis)",
            "https://github.com/eurostat/basic-services",
        ),
        Source(
            "breitbandatlas",
            "Breitbandatlas / Gigabit-Grundbuch",
            "Bundesnetzagentur (vormals BMVI/atene KOM)",
            "Ende 2018 – Mitte 2021",
            DL_DE_BY_2,
            DL_DE_BY_2_URL,
            "Breitbandatlas / Gigabit-Grundbuch, Bundesnetzagentur (Daten verändert)",
            "https://gigabitgrundbuch.bund.de",
        ),
        Source(
            "bnetza-ladesaeulen-2019",
            "Ladesäulenregister (Auszug 19.07.2019)",
            "Bundesnetzagentur",
            "2019-07-19",
            CC_BY_4,
            CC_BY_4_URL,
            "Bundesnetzagentur, Ladesäulenregister (CC BY 4.0)",
            "https://www.bundesnetzagentur.de/ladesaeulenkarte",
        ),
    )
}


def attribution(*keys: str) -> str:
    """Credit lines of several sources joined for display under a map.

    Parameters
    ----------
    *keys
        Source keys.

    Returns
    -------
    str
        The distinct credit lines, joined by `` · ``.
    """
    lines = dict.fromkeys(SOURCES[k].attribution for k in keys)
    return " · ".join(lines)
