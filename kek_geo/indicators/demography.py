"""Demography indicators: people 80+ far from a stop, 80+ hotspots (plus the age shares)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from kek_geo.analysis.access import FloatArray, centroids_xy, distances, stop_points, sum_by_group
from kek_geo.analysis.base import per_source
from kek_geo.analysis.demography import hotspot_mask, people_beyond, share_beyond
from kek_geo.indicators import as_of
from kek_geo.indicators.registry import Indicator, LayerSource, Params, Threshold, register

ELDERLY_RADIUS = Threshold(
    key="elderly_stop_radius_m",
    label_de="Fußweg zur Haltestelle höchstens",
    label_en="Walk to a stop at most",
    default=600.0,
    unit="m",
    min_value=200.0,
    max_value=1500.0,
    step=50.0,
    source_de="Deutschlandatlas (600 m zur Haltestelle); EAÖ-Empfehlungen 300–600 m",
    source_en="Deutschlandatlas (600 m to a stop); EAÖ recommendations 300–600 m",
)
HOTSPOT_MIN = Threshold(
    key="hotspot_80plus_min",
    label_de="80-Jährige und Ältere je Hektar für einen Schwerpunkt",
    label_en="People 80+ per hectare for a hotspot",
    default=10.0,
    unit="Pers.",
    min_value=3.0,
    max_value=50.0,
    step=1.0,
    source_de="KEK-Geo-Vorgabe (Orientierung: ein Wohnhaus mit Betreuung); die Quelle weist "
    "Werte unter 3 nicht aus",
    source_en="KEK Geo default (about one assisted-living building); the source does not "
    "publish counts below 3",
)


#: Fewest residents of a 1 km cell for its 2022 age shares to be used cell by cell.
RELIABLE_SHARE_MIN_POP = 200.0
RELIABLE_SHARE_SOURCE_DE = (
    "KEK-Geo-Vorgabe: Die Altersgruppen des 1-km-Gitters 2022 sind zur Geheimhaltung um bis zu "
    "±13 Personen verändert; ab 200 Einwohnern bleibt der Fehler des Anteils unter 6,5 "
    "Prozentpunkten, meist weit darunter"
)
RELIABLE_SHARE_SOURCE_EN = (
    "KEK Geo default: the age bands of the 2022 1 km grid are perturbed by up to ±13 persons "
    "for confidentiality; from 200 residents the error of the share stays below 6.5 percentage "
    "points, mostly far below"
)


def _elderly_distance(source: LayerSource) -> tuple[gpd.GeoDataFrame, FloatArray]:
    def compute() -> tuple[gpd.GeoDataFrame, FloatArray]:
        cells = source.geo("grid_100m")
        dist, _method = distances(source, centroids_xy(cells), stop_points(source))
        return cells, dist

    return per_source(source, "elderly_stop_distance", compute)


def elderly_far(source: LayerSource, params: Params) -> pd.Series:
    """People 80+ living farther than the radius from a scheduled stop."""
    cells, dist = _elderly_distance(source)
    return people_beyond(cells, "people_80plus", dist, params[ELDERLY_RADIUS.key])


def elderly_far_share(source: LayerSource, params: Params) -> pd.Series:
    """Share of people 80+ living farther than the radius from a scheduled stop."""
    cells, dist = _elderly_distance(source)
    return share_beyond(cells, "people_80plus", dist, params[ELDERLY_RADIUS.key])


def hotspots_80plus(source: LayerSource, params: Params) -> pd.Series:
    """Number of 100 m cells with at least the minimum number of people 80+."""
    cells = source.geo("grid_100m")
    mask = hotspot_mask(cells, "people_80plus", params[HOTSPOT_MIN.key])
    return sum_by_group(pd.Series(1.0, index=cells.index), mask, cells["ags"])


_DISTANCE_NOTE_DE = (
    " Entfernung Zellmitte–nächste Haltestelle mit Linienverkehr (Bahn, Stadtbahn, Bus; "
    "ohne reine Taxibus-/AST-Halte), Luftlinie oder – wenn importiert – entlang des "
    "Fußwegenetzes. Zellen mit geheim gehaltener Zahl (unter 3) zählen nicht mit."
)
_DISTANCE_NOTE_EN = (
    " Distance from the cell centre to the nearest scheduled stop (rail, tram, bus; not "
    "on-demand-only stops), straight line or, if imported, along the walking network. Cells "
    "with a suppressed count (below 3) are left out."
)

_ELDERLY_AS_OF = as_of.combined(as_of.GRID_2011, as_of.STOPS)

register(
    Indicator(
        key="elderly_far_from_stop",
        themes=("demography",),
        name_de="Menschen ab 80 (Zensus 2011) fern der Haltestelle",
        name_en="People 80+ (Zensus 2011) far from a stop",
        unit="Pers.",
        higher_is_better=False,
        method_de="Menschen ab 80 (100-m-Gitter des Zensus 2011) in Zellen, deren nächste "
        "Haltestelle "
        "weiter als der Schwellenwert entfernt ist." + _DISTANCE_NOTE_DE,
        method_en="People aged 80+ (Zensus 2011 100 m grid) in cells whose nearest stop is farther "
        "than the threshold." + _DISTANCE_NOTE_EN,
        compute=elderly_far,
        as_of=_ELDERLY_AS_OF,
        thresholds=(ELDERLY_RADIUS,),
        decimals=0,
    )
)
register(
    Indicator(
        key="elderly_far_from_stop_share",
        themes=("demography",),
        name_de="Anteil 80+ (Zensus 2011) fern der Haltestelle",
        name_en="Share of people 80+ (Zensus 2011) far from a stop",
        unit="%",
        higher_is_better=False,
        method_de="Anteil der Menschen ab 80 (mit ausgewiesener Zahl) in Zellen, deren nächste "
        "Haltestelle weiter als der Schwellenwert entfernt ist." + _DISTANCE_NOTE_DE,
        method_en="Share of people aged 80+ (where published) in cells whose nearest stop is "
        "farther than the threshold." + _DISTANCE_NOTE_EN,
        compute=elderly_far_share,
        as_of=_ELDERLY_AS_OF,
        thresholds=(ELDERLY_RADIUS,),
    )
)
register(
    Indicator(
        key="hotspots_80plus",
        themes=("demography",),
        name_de="Schwerpunkte Hochaltriger (Zensus 2011)",
        name_en="Hotspots of people 80+ (Zensus 2011)",
        unit="Zellen",
        higher_is_better=None,
        method_de="Zahl der 100-m-Zellen mit mindestens so vielen Menschen ab 80 wie im "
        "Schwellenwert (100-m-Gitter des Zensus 2011, Stichtag 09.05.2011).",
        method_en="Number of 100 m cells with at least the threshold number of people aged 80+ "
        "(Zensus 2011 100 m grid, census day 2011-05-09).",
        compute=hotspots_80plus,
        as_of=as_of.GRID_2011,
        thresholds=(HOTSPOT_MIN,),
        decimals=0,
    )
)
