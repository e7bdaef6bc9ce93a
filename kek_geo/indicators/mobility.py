"""Mobility indicators: stop catchments, gaps in public transport, distances, ÖV-Güteklassen.

The distances from the 9,422 settlement cells to the nearest stop and rail station do not
depend on any threshold, so they are computed once per data source and reused; a threshold
change only compares them with the new radii.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from kek_geo.analysis.access import (
    DistanceMethod,
    FloatArray,
    centroids_xy,
    distances,
    rail_station_points,
    share_by_group,
    stop_points,
    sum_by_group,
)
from kek_geo.analysis.base import per_source
from kek_geo.analysis.gtfs import GtfsFeed
from kek_geo.analysis.mobility import (
    NO_CLASS,
    BoolArray,
    Catchments,
    IntArray,
    area_weights,
    best_class,
    catchments_from_distances,
    weighted_mean_by_group,
)
from kek_geo.indicators import as_of
from kek_geo.indicators.registry import (
    Indicator,
    LayerSource,
    Params,
    Threshold,
    register,
    with_kreis,
)

STOP_NEAR = Threshold(
    key="mob_stop_near_m",
    label_de="Kurzer Fußweg zur Haltestelle",
    label_en="Short walk to a stop",
    default=300.0,
    unit="m",
    min_value=100.0,
    max_value=1000.0,
    step=50.0,
    source_de="EAÖ-Empfehlungen (FGSV): Haltestelleneinzugsbereiche 300–1.200 m, 300 m als "
    "engster Radius",
    source_en="EAÖ recommendations (FGSV): stop catchments of 300–1,200 m, 300 m as the "
    "tightest radius",
    at_most="mob_stop_radius_m",
)
STOP_RADIUS = Threshold(
    key="mob_stop_radius_m",
    label_de="Fußweg zur Haltestelle",
    label_en="Walk to a stop",
    default=600.0,
    unit="m",
    min_value=200.0,
    max_value=1500.0,
    step=50.0,
    source_de="Deutschlandatlas: 600 m zur Haltestelle (8–10 Minuten zu Fuß); EAÖ 300–1.200 m",
    source_en="Deutschlandatlas: 600 m to a stop (8–10 minutes on foot); EAÖ 300–1,200 m",
)
RAIL_RADIUS = Threshold(
    key="mob_rail_radius_m",
    label_de="Weg zum Bahnhof",
    label_en="Way to a rail station",
    default=1200.0,
    unit="m",
    min_value=400.0,
    max_value=3000.0,
    step=100.0,
    source_de="Deutschlandatlas: 1.200 m zum Bahnhof; obere Grenze der EAÖ-Einzugsbereiche",
    source_en="Deutschlandatlas: 1,200 m to a rail station; upper end of the EAÖ catchments",
)
MIN_DEPARTURES = Threshold(
    key="mob_min_departures",
    label_de="Abfahrten je Tag an der Haltestelle mindestens",
    label_en="Departures per day at the stop at least",
    default=20.0,
    unit="Abf./Tag",
    min_value=1.0,
    max_value=100.0,
    step=1.0,
    source_de="Deutschlandatlas: Haltestellen mit mindestens 20 Abfahrten am Tag "
    "(nur mit importiertem Fahrplan)",
    source_en="Deutschlandatlas: stops with at least 20 departures a day (needs an imported "
    "timetable)",
    needs="gtfs",
)
CATCHMENT_THRESHOLDS = (STOP_NEAR, STOP_RADIUS, RAIL_RADIUS)


# ---------------------------------------------------------------- shared per data source


@dataclass(frozen=True)
class CellAccess:
    """Settlement cells with their distances to the nearest stop and rail station.

    Attributes
    ----------
    cells
        The 100 m cells (``grid_100m``).
    xy
        Cell centres in EPSG:25832.
    stop_distance, rail_distance
        Distance per cell in metres.
    method
        ``"straight"`` or ``"network"``.
    """

    cells: gpd.GeoDataFrame
    xy: FloatArray
    stop_distance: FloatArray
    rail_distance: FloatArray
    method: DistanceMethod

    @property
    def population(self) -> pd.Series:
        """Estimated residents per cell."""
        return self.cells["population_est"]

    @property
    def ags(self) -> pd.Series:
        """Municipality per cell."""
        return self.cells["ags"]

    def catchments(self, params: Params) -> Catchments:
        """Catchment membership of every cell at the given thresholds.

        Parameters
        ----------
        params
            Thresholds (defaults fill what is missing).

        Returns
        -------
        Catchments
            Membership per cell.
        """
        near, stop, rail = (params.get(th.key, th.default) for th in CATCHMENT_THRESHOLDS)
        return catchments_from_distances(
            self.stop_distance, self.rail_distance, stop_near_m=near, stop_m=stop, rail_m=rail
        )


def cell_access(source: LayerSource) -> CellAccess:
    """Distances of all settlement cells to the nearest scheduled stop and rail station.

    Parameters
    ----------
    source
        Snapshot (a walking network, if imported, is used for the distances).

    Returns
    -------
    CellAccess
        Cells and distances, computed once per source.
    """

    def compute() -> CellAccess:
        cells = source.geo("grid_100m")
        xy = centroids_xy(cells)
        stop_dist, method = distances(source, xy, stop_points(source))
        rail_dist, _ = distances(source, xy, rail_station_points(source))
        return CellAccess(cells, xy, stop_dist, rail_dist, method)

    return per_source(source, "cell_access", compute)


def gtfs_feed(source: LayerSource) -> GtfsFeed | None:
    """The imported GTFS feed, or ``None``.

    Parameters
    ----------
    source
        Snapshot.

    Returns
    -------
    GtfsFeed or None
        The feed.
    """
    feed: GtfsFeed | None = source.extra("gtfs")
    return feed


def cell_classes(source: LayerSource) -> IntArray | None:
    """ÖV-Güteklasse of every settlement cell (0 = A … 5 = F, 6 = none); ``None`` without feed.

    Parameters
    ----------
    source
        Snapshot.

    Returns
    -------
    numpy.ndarray or None
        Class index per cell.
    """
    feed = gtfs_feed(source)
    if feed is None:
        return None

    def compute() -> IntArray:
        xy, category = feed.categorised()
        return best_class(cell_access(source).xy, xy, category)

    return per_source(source, "cell_classes", compute)


def _missing(source: LayerSource) -> pd.Series:
    """All municipalities and the district as missing values."""
    ags = source.layer("gemeinden")["ags"].astype(str)
    return with_kreis(pd.Series(np.nan, index=ags.to_numpy()), float("nan"))


# ---------------------------------------------------------------- compute functions


def _share(source: LayerSource, params: Params, which: str, *, area: bool) -> pd.Series:
    acc = cell_access(source)
    inside = getattr(acc.catchments(params), which)
    weights = area_weights(acc.cells) if area else acc.population
    return share_by_group(weights, inside, acc.ags)


def stop_near_population(source: LayerSource, params: Params) -> pd.Series:
    """Share of residents within the short radius of a scheduled stop."""
    return _share(source, params, "stop_near", area=False)


def stop_population(source: LayerSource, params: Params) -> pd.Series:
    """Share of residents within the standard radius of a scheduled stop."""
    return _share(source, params, "stop", area=False)


def rail_population(source: LayerSource, params: Params) -> pd.Series:
    """Share of residents within the radius of a rail station."""
    return _share(source, params, "rail", area=False)


def stop_near_area(source: LayerSource, params: Params) -> pd.Series:
    """Share of settlement area within the short radius of a scheduled stop."""
    return _share(source, params, "stop_near", area=True)


def stop_area(source: LayerSource, params: Params) -> pd.Series:
    """Share of settlement area within the standard radius of a scheduled stop."""
    return _share(source, params, "stop", area=True)


def rail_area(source: LayerSource, params: Params) -> pd.Series:
    """Share of settlement area within the radius of a rail station."""
    return _share(source, params, "rail", area=True)


def gap_population(source: LayerSource, params: Params) -> pd.Series:
    """Residents outside every catchment (ÖV-Lücken)."""
    acc = cell_access(source)
    return sum_by_group(acc.population, acc.catchments(params).gap, acc.ags)


def gap_share(source: LayerSource, params: Params) -> pd.Series:
    """Share of residents outside every catchment."""
    return _share(source, params, "gap", area=False)


def stop_distance(source: LayerSource, _params: Params) -> pd.Series:
    """Mean distance to the nearest scheduled stop, weighted by residents."""
    acc = cell_access(source)
    return weighted_mean_by_group(acc.stop_distance, acc.population, acc.ags)


def rail_distance(source: LayerSource, _params: Params) -> pd.Series:
    """Mean distance to the nearest rail station, weighted by residents."""
    acc = cell_access(source)
    return weighted_mean_by_group(acc.rail_distance, acc.population, acc.ags)


def class_a_to_c(source: LayerSource, _params: Params) -> pd.Series:
    """Share of residents in ÖV-Güteklasse A, B or C (missing without a feed)."""
    classes = cell_classes(source)
    if classes is None:
        return _missing(source)
    acc = cell_access(source)
    return share_by_group(acc.population, classes <= 2, acc.ags)


def no_class(source: LayerSource, _params: Params) -> pd.Series:
    """Share of residents without any ÖV-Güteklasse (missing without a feed)."""
    classes = cell_classes(source)
    if classes is None:
        return _missing(source)
    acc = cell_access(source)
    return share_by_group(acc.population, classes == NO_CLASS, acc.ags)


def deutschlandatlas_mask(source: LayerSource, params: Params) -> BoolArray | None:
    """Cells meeting the full Deutschlandatlas criterion; ``None`` without a feed.

    Within the stop radius (600 m) of a stop with at least the minimum departures a day (20),
    or within the rail radius (1,200 m) of a rail station.

    Parameters
    ----------
    source
        Snapshot.
    params
        Thresholds.

    Returns
    -------
    numpy.ndarray or None
        Boolean per cell.
    """
    feed = gtfs_feed(source)
    if feed is None:
        return None
    acc = cell_access(source)
    min_deps = params.get(MIN_DEPARTURES.key, MIN_DEPARTURES.default)
    frequent, _ = distances(source, acc.xy, feed.frequent_xy(min_deps))
    stop_m = params.get(STOP_RADIUS.key, STOP_RADIUS.default)
    rail_m = params.get(RAIL_RADIUS.key, RAIL_RADIUS.default)
    return np.asarray((frequent <= stop_m) | (acc.rail_distance <= rail_m), dtype=bool)


def deutschlandatlas_share(source: LayerSource, params: Params) -> pd.Series:
    """Share of residents meeting the full Deutschlandatlas criterion (missing without feed)."""
    mask = deutschlandatlas_mask(source, params)
    if mask is None:
        return _missing(source)
    acc = cell_access(source)
    return share_by_group(acc.population, mask, acc.ags)


# ---------------------------------------------------------------- registration

_CELLS_DE = (
    " "
    + as_of.RESIDENTS_NOTE_DE
    + " Siedlungsfläche: besiedelte 100-m-Zellen (Zensus 2011) zu je 1 ha. Haltestellen mit "
    "Linienverkehr (Bahn, Stadtbahn, Bus; ohne reine Taxibus-/AST-Halte) und DB-Bahnhöfe im "
    "Kreis und 2 km darum. Entfernung ab Zellmitte: Luftlinie oder – wenn importiert – entlang "
    "des OSM-Fußwegenetzes (Zellmitte und Haltestelle auf den nächsten Weg gelotet, von dort "
    "zum günstigeren Ende des Wegstücks)."
)
_CELLS_EN = (
    " "
    + as_of.RESIDENTS_NOTE_EN
    + " Settlement area: settled 100 m cells (Zensus 2011) of 1 ha each. Stops with scheduled "
    "service (rail, "
    "tram, bus; not on-demand-only stops) and DB rail stations in the district and 2 km "
    "around it. Distance from the cell centre: straight line or, if imported, along the OSM "
    "walking network (cell centre and stop snapped to the nearest path, then to whichever end "
    "of that path segment is shorter)."
)
_DATLAS_DE = (
    " Der Deutschlandatlas zählt nur Haltestellen mit mindestens 20 Abfahrten am Tag; das "
    "braucht einen Fahrplan (GTFS). Hier zählt jede Haltestelle mit Linienverkehr, der Wert ist "
    "also eine Obergrenze (volles Kriterium: eigener Indikator, sobald ein Fahrplan importiert "
    "ist)."
)
_DATLAS_EN = (
    " The Deutschlandatlas counts only stops with at least 20 departures a day, which needs a "
    "timetable (GTFS). Here every stop with scheduled service counts, so the value is an upper "
    "bound (full criterion: own indicator once a timetable is imported)."
)
_CLASSES_DE = (
    " ÖV-Güteklassen nach ARE, erweitert wie im GOAT-Standard: Abfahrten je Station (Steige "
    "über parent_station zusammengefasst) am Stichtag des importierten GTFS-Fahrplans "
    "(Werktag, 06–20 Uhr); Fahrten aus frequencies.txt zählen mit jeder Abfahrt ihres Takts, "
    "der letzte Halt einer Fahrt ist eine Ankunft und zählt nicht. Takt = 840 min / "
    "Abfahrten je Richtung: ARE halbiert die Abfahrten für die zwei Richtungen; hier werden "
    "die Abfahrten einer Linie an einer Station nur halbiert, wenn sie die Station in beide "
    "Richtungen bedient (beide direction_id-Werte, sonst Abfahrten zu mindestens zwei "
    "verschiedenen nächsten Stationen); ein Ringlinien-Halt in nur einer Richtung oder eine "
    "Endhaltestelle zählt voll, die Linien einer Station werden addiert. "
    "Verkehrsmittelgruppe A Bahn, S- und U-Bahn, Einschienenbahn (route_type 12 wie die "
    "erweiterte 405), B Straßenbahn, Kabelstraßenbahn (5), Standseilbahn, C Bus, Obus, Fähre, "
    "Seilbahn (die beste an einer Station zählt; Rufbusse, route_type 715, zählen nicht, "
    "Schulbusse schon); Haltestellenkategorie I–VII aus Gruppe und Taktstufe (≤ 5, 10, 20, "
    "40, 60, 120 min); Klassen A–F in Luftlinien-Ringen von 300, 500, 750 und 1.000 m, wo "
    "Ringe sich überlagern gewinnt die bessere Klasse. Ohne importierten Fahrplan fehlt der "
    "Wert (Import: siehe „Über die Daten“)."
)
_CLASSES_EN = (
    " ÖV-Güteklassen after ARE, extended as in the GOAT default: departures per station "
    "(platforms grouped by parent_station) on the service day of the imported GTFS timetable "
    "(a weekday, 06:00–20:00); trips in frequencies.txt count every departure of their "
    "headway, and a trip's last call is an arrival and does not count. Interval = 840 min / "
    "departures per direction: ARE halves the departures for the two directions; here a "
    "route's departures at a station are halved only where it serves the station in both "
    "directions (both direction_id values, otherwise departures towards at least two "
    "different next stations); a one-way loop stop or a terminus counts in full, and the "
    "routes of a station add up. Mode group A rail, S-Bahn, metro, monorail (route_type 12, "
    "like the extended 405), B tram, cable tram (5), funicular, C bus, trolleybus, ferry, "
    "aerial lift (the best at a station counts; on-demand route_type 715 is not counted, "
    "school buses are); stop category I–VII from group and interval tier (≤ 5, 10, 20, 40, "
    "60, 120 min); classes A–F in straight-line rings of 300, 500, 750 and 1,000 m, where "
    "rings overlap the better class wins. Missing without an imported timetable (import: "
    "see “About the data”)."
)


_STOP_PEOPLE_AS_OF = as_of.combined(as_of.RESIDENTS_2022, as_of.STOPS)
_RAIL_PEOPLE_AS_OF = as_of.combined(as_of.RESIDENTS_2022, as_of.STATIONS)
_TIMETABLE_AS_OF = as_of.combined(as_of.RESIDENTS_2022, as_of.TIMETABLE)

register(
    Indicator(
        key="mob_stop_pop",
        themes=("mobility",),
        name_de="Einwohner nahe Haltestelle",
        name_en="Residents near a stop",
        unit="%",
        higher_is_better=True,
        method_de=(
            "Anteil der Einwohner in Zellen, deren nächste Haltestelle höchstens den "
            "Fußweg-Schwellenwert (600 m) entfernt ist." + _CELLS_DE + _DATLAS_DE
        ),
        method_en=(
            "Share of residents in cells whose nearest stop is within the walking threshold "
            "(600 m)." + _CELLS_EN + _DATLAS_EN
        ),
        compute=stop_population,
        as_of=_STOP_PEOPLE_AS_OF,
        thresholds=(STOP_RADIUS,),
    )
)
register(
    Indicator(
        key="mob_stop_near_pop",
        themes=("mobility",),
        name_de="Einwohner sehr nahe Haltestelle",
        name_en="Residents very near a stop",
        unit="%",
        higher_is_better=True,
        method_de=(
            "Anteil der Einwohner in Zellen, deren nächste Haltestelle höchstens den kurzen "
            "Schwellenwert (300 m) entfernt ist." + _CELLS_DE
        ),
        method_en=(
            "Share of residents in cells whose nearest stop is within the short threshold "
            "(300 m)." + _CELLS_EN
        ),
        compute=stop_near_population,
        as_of=_STOP_PEOPLE_AS_OF,
        thresholds=(STOP_NEAR,),
    )
)
register(
    Indicator(
        key="mob_rail_pop",
        themes=("mobility",),
        name_de="Einwohner nahe Bahnhof",
        name_en="Residents near a rail station",
        unit="%",
        higher_is_better=True,
        method_de=(
            "Anteil der Einwohner in Zellen, deren nächster Bahnhof (DB-Stationsdaten) "
            "höchstens den Schwellenwert (1.200 m) entfernt ist." + _CELLS_DE
        ),
        method_en=(
            "Share of residents in cells whose nearest rail station (DB station data) is within "
            "the threshold (1,200 m)." + _CELLS_EN
        ),
        compute=rail_population,
        as_of=_RAIL_PEOPLE_AS_OF,
        thresholds=(RAIL_RADIUS,),
    )
)
register(
    Indicator(
        key="mob_stop_area",
        themes=("mobility",),
        name_de="Siedlungsfläche nahe Haltestelle",
        name_en="Settlement area near a stop",
        unit="%",
        higher_is_better=True,
        method_de=(
            "Anteil der besiedelten 100-m-Zellen, deren nächste Haltestelle höchstens den "
            "Fußweg-Schwellenwert (600 m) entfernt ist." + _CELLS_DE
        ),
        method_en=(
            "Share of settled 100 m cells whose nearest stop is within the walking threshold "
            "(600 m)." + _CELLS_EN
        ),
        compute=stop_area,
        as_of=as_of.combined(as_of.GRID_2011, as_of.STOPS),
        thresholds=(STOP_RADIUS,),
    )
)
register(
    Indicator(
        key="mob_stop_near_area",
        themes=("mobility",),
        name_de="Siedlungsfläche sehr nahe Haltestelle",
        name_en="Settlement area very near a stop",
        unit="%",
        higher_is_better=True,
        method_de=(
            "Anteil der besiedelten 100-m-Zellen, deren nächste Haltestelle höchstens den "
            "kurzen Schwellenwert (300 m) entfernt ist." + _CELLS_DE
        ),
        method_en=(
            "Share of settled 100 m cells whose nearest stop is within the short threshold (300 "
            "m)." + _CELLS_EN
        ),
        compute=stop_near_area,
        as_of=as_of.combined(as_of.GRID_2011, as_of.STOPS),
        thresholds=(STOP_NEAR,),
    )
)
register(
    Indicator(
        key="mob_rail_area",
        themes=("mobility",),
        name_de="Siedlungsfläche nahe Bahnhof",
        name_en="Settlement area near a rail station",
        unit="%",
        higher_is_better=True,
        method_de=(
            "Anteil der besiedelten 100-m-Zellen, deren nächster Bahnhof höchstens den "
            "Schwellenwert (1.200 m) entfernt ist." + _CELLS_DE
        ),
        method_en=(
            "Share of settled 100 m cells whose nearest rail station is within the threshold "
            "(1,200 m)." + _CELLS_EN
        ),
        compute=rail_area,
        as_of=as_of.combined(as_of.GRID_2011, as_of.STATIONS),
        thresholds=(RAIL_RADIUS,),
    )
)
register(
    Indicator(
        key="mob_gap_pop",
        themes=("mobility",),
        name_de="Einwohner in ÖV-Lücken",
        name_en="Residents in public transport gaps",
        unit="Einw.",
        higher_is_better=False,
        method_de=(
            "Geschätzte Einwohner in besiedelten Zellen außerhalb jedes Einzugsbereichs: weiter "
            "als beide Haltestellen-Schwellenwerte von der nächsten Haltestelle und weiter als "
            "der Bahnhofs-Schwellenwert vom nächsten Bahnhof (ÖV-Lücken, in der Karte rot)."
            + _CELLS_DE
        ),
        method_en=(
            "Estimated residents in settled cells outside every catchment: farther than both "
            "stop thresholds from the nearest stop and farther than the rail threshold from the "
            "nearest station (gaps, red on the map)." + _CELLS_EN
        ),
        compute=gap_population,
        as_of=_STOP_PEOPLE_AS_OF,
        thresholds=CATCHMENT_THRESHOLDS,
        decimals=0,
    )
)
register(
    Indicator(
        key="mob_gap_share",
        themes=("mobility",),
        name_de="Anteil Einwohner in ÖV-Lücken",
        name_en="Share of residents in gaps",
        unit="%",
        higher_is_better=False,
        method_de=(
            "Anteil der Einwohner außerhalb jedes Einzugsbereichs (siehe Einwohner in "
            "ÖV-Lücken)." + _CELLS_DE
        ),
        method_en=(
            "Share of residents outside every catchment (see residents in gaps)." + _CELLS_EN
        ),
        compute=gap_share,
        as_of=_STOP_PEOPLE_AS_OF,
        thresholds=CATCHMENT_THRESHOLDS,
    )
)
register(
    Indicator(
        key="mob_stop_distance",
        themes=("mobility",),
        name_de="Mittlere Entfernung zur Haltestelle",
        name_en="Mean distance to a stop",
        unit="m",
        higher_is_better=False,
        method_de=(
            "Entfernung von der Zellmitte zur nächsten Haltestelle mit Linienverkehr, gemittelt "
            "und mit den geschätzten Einwohnern der Zellen gewichtet." + _CELLS_DE
        ),
        method_en=(
            "Distance from the cell centre to the nearest stop with scheduled service, averaged "
            "and weighted by the cells' estimated residents." + _CELLS_EN
        ),
        compute=stop_distance,
        as_of=_STOP_PEOPLE_AS_OF,
        decimals=0,
    )
)
register(
    Indicator(
        key="mob_rail_distance",
        themes=("mobility",),
        name_de="Mittlere Entfernung zum Bahnhof",
        name_en="Mean distance to a rail station",
        unit="m",
        higher_is_better=False,
        method_de=(
            "Entfernung von der Zellmitte zum nächsten DB-Bahnhof, gemittelt und mit den "
            "geschätzten Einwohnern der Zellen gewichtet." + _CELLS_DE
        ),
        method_en=(
            "Distance from the cell centre to the nearest DB rail station, averaged and "
            "weighted by the cells' estimated residents." + _CELLS_EN
        ),
        compute=rail_distance,
        as_of=_RAIL_PEOPLE_AS_OF,
        decimals=0,
    )
)
register(
    Indicator(
        key="mob_class_ac_pop",
        themes=("mobility",),
        name_de="Einwohner in ÖV-Güteklasse A–C",
        name_en="Residents in quality class A–C",
        unit="%",
        higher_is_better=True,
        method_de=("Anteil der Einwohner in Zellen mit ÖV-Güteklasse A, B oder C." + _CLASSES_DE),
        method_en=(
            "Share of residents in cells of public transport quality class A, B or C." + _CLASSES_EN
        ),
        compute=class_a_to_c,
        as_of=_TIMETABLE_AS_OF,
    )
)
register(
    Indicator(
        key="mob_no_class_pop",
        themes=("mobility",),
        name_de="Einwohner ohne ÖV-Güteklasse",
        name_en="Residents without a quality class",
        unit="%",
        higher_is_better=False,
        method_de=(
            "Anteil der Einwohner in Zellen ohne ÖV-Güteklasse (keine Station mit Kategorie "
            "I–VII in Reichweite)." + _CLASSES_DE
        ),
        method_en=(
            "Share of residents in cells without a public transport quality class (no station "
            "of category I–VII in reach)." + _CLASSES_EN
        ),
        compute=no_class,
        as_of=_TIMETABLE_AS_OF,
    )
)
register(
    Indicator(
        key="mob_datlas_pop",
        themes=("mobility",),
        name_de="Deutschlandatlas-Kriterium erfüllt",
        name_en="Deutschlandatlas criterion met",
        unit="%",
        higher_is_better=True,
        method_de=(
            "Anteil der Einwohner höchstens 600 m von einer Haltestelle mit mindestens 20 "
            "Abfahrten am Tag oder höchstens 1.200 m von einem Bahnhof (Deutschlandatlas; "
            "bundesweit rund 90 %). Abfahrten aller Linien am Stichtag des importierten "
            "GTFS-Fahrplans (mit den Takt-Fahrten aus frequencies.txt, ohne die Ankunft am letzten "
            "Halt einer Fahrt), Steige je Station zusammengefasst. Ohne Fahrplan fehlt der "
            "Wert." + _CELLS_DE
        ),
        method_en=(
            "Share of residents within 600 m of a stop with at least 20 departures a day or "
            "within 1,200 m of a rail station (Deutschlandatlas; about 90 % nationally). "
            "Departures of all lines on the service day of the imported GTFS timetable (with "
            "the headway trips of frequencies.txt, without the arrival at a trip's last "
            "call), platforms grouped per station. Missing without a timetable." + _CELLS_EN
        ),
        compute=deutschlandatlas_share,
        as_of=_TIMETABLE_AS_OF,
        thresholds=(STOP_RADIUS, RAIL_RADIUS, MIN_DEPARTURES),
    )
)
