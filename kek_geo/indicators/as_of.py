"""Data dates of indicators: what year or release each figure describes.

Every indicator names the date of its inputs (``Indicator.as_of``), so a key figure never stands
without it. A date is a function of the layer source and the language, because some inputs can
be replaced later (a newer broadband release, an imported timetable).
"""

from __future__ import annotations

from collections.abc import Callable

from kek_geo.analysis.base import LayerSource
from kek_geo.analysis.broadband import broadband_table, latest_release, release_name
from kek_geo.i18n import pick

AsOf = Callable[[LayerSource, str], str]


def fixed(de: str, en: str) -> AsOf:
    """A data date that does not depend on the data.

    Parameters
    ----------
    de, en
        The text in German and English.

    Returns
    -------
    AsOf
        The date function.
    """

    def as_of(_source: LayerSource, lang: str) -> str:
        return pick(lang, de, en)

    return as_of


def combined(*parts: AsOf) -> AsOf:
    """Several inputs' dates, joined by commas (each text once).

    Parameters
    ----------
    *parts
        The inputs' date functions.

    Returns
    -------
    AsOf
        The date function.
    """

    def as_of(source: LayerSource, lang: str) -> str:
        return ", ".join(dict.fromkeys(part(source, lang) for part in parts))

    return as_of


def broadband_release(segment: str = "households") -> AsOf:
    """The newest broadband release of a segment, e.g. ``Breitbandatlas Mitte 2021``.

    Parameters
    ----------
    segment
        ``households``, ``businesses`` or ``commercial_areas``.

    Returns
    -------
    AsOf
        The date function.
    """

    def as_of(source: LayerSource, lang: str) -> str:
        table = broadband_table(source)
        if table.empty:
            return pick(lang, "keine Breitbanddaten", "no broadband data")
        return f"Breitbandatlas {release_name(latest_release(table, segment), lang)}"

    return as_of


def _timetable(source: LayerSource, lang: str) -> str:
    feed = source.extra("gtfs")
    if feed is None:
        return pick(lang, "kein Fahrplan importiert", "no timetable imported")
    return pick(lang, f"Fahrplan {feed.service_date}", f"timetable {feed.service_date}")


def _osm_services(source: LayerSource, lang: str) -> str:
    record = getattr(source, "record", None)
    available = getattr(source, "available", None)
    if record is None or available is None or not available("services"):
        return pick(lang, "keine OSM-Daten geladen", "no OSM data fetched")
    date = str(record("services").data_date)[:10]
    return f"OpenStreetMap {date}"


#: Official municipal figures, census day of Zensus 2022.
CENSUS_2022 = fixed("Zensus 2022 (15.05.2022)", "Zensus 2022 (2022-05-15)")
#: The 2022 population per 1 km cell (Eurostat grid, Zensus 2022 figures).
GRID_2022 = fixed("Zensus 2022, 1-km-Gitter (15.05.2022)", "Zensus 2022, 1 km grid (2022-05-15)")
#: The Zensus 2011 grid (1 km and 100 m).
GRID_2011 = fixed("Zensus 2011 (09.05.2011)", "Zensus 2011 (2011-05-09)")
#: The estimated 2022 residents per 100 m cell.
RESIDENTS_2022 = fixed(
    "Einwohner 2022, geschätzt auf Gebäudebestand 2011",
    "residents 2022, estimated on the 2011 housing stock",
)
#: The stops (HAFAS) and rail stations (StaDa) of the snapshot.
STOPS = fixed("Haltestellen 10/2025", "stops 10/2025")
STATIONS = fixed("Bahnhöfe 12/2024", "rail stations 12/2024")
#: The school list of NRW.
SCHOOLS = fixed("Schuljahr 2024/25", "school year 2024/25")
#: The OpenStreetMap services of the snapshot (date of the Overpass data).
OSM_SERVICES: AsOf = _osm_services
#: The imported timetable, if any.
TIMETABLE: AsOf = _timetable

#: How the residents per 100 m cell are estimated, for method texts.
RESIDENTS_NOTE_DE = (
    "Einwohner je 100-m-Zelle: Schätzung für 2022 – die Einwohner jeder 1-km-Zelle (Zensus "
    "2022) nach dem Gebäudebestand 2011 (Zensus 2011: Wohnungen, Wohngebäude, ausgewiesene "
    "Bewohner) auf ihre 100-m-Zellen verteilt und je Gemeinde auf die amtliche Einwohnerzahl "
    "2022 abgestimmt."
)
RESIDENTS_NOTE_EN = (
    "Residents per 100 m cell: an estimate for 2022 – the residents of each 1 km cell (Zensus "
    "2022) spread over its 100 m cells by the 2011 housing stock (Zensus 2011: dwellings, "
    "residential buildings, published residents) and calibrated per municipality to the "
    "official 2022 population."
)
