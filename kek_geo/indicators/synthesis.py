"""Overall-picture indicators: settled cells that fall into several gaps at once."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from kek_geo.analysis.access import share_by_group, sum_by_group
from kek_geo.analysis.base import per_source
from kek_geo.analysis.synthesis import GAPS, GapThresholds, cell_inputs, gap_count, gap_flags
from kek_geo.indicators import as_of
from kek_geo.indicators.demography import (
    RELIABLE_SHARE_MIN_POP,
    RELIABLE_SHARE_SOURCE_DE,
    RELIABLE_SHARE_SOURCE_EN,
)
from kek_geo.indicators.registry import Indicator, LayerSource, Params, Threshold, register

STOP_RADIUS = Threshold(
    key="syn_stop_m",
    label_de="Haltestelle: Fußweg höchstens",
    label_en="Stop: walk at most",
    default=600.0,
    unit="m",
    min_value=200.0,
    max_value=1500.0,
    step=50.0,
    source_de="Deutschlandatlas (600 m zur Haltestelle); EAÖ-Empfehlungen 300–600 m",
    source_en="Deutschlandatlas (600 m to a stop); EAÖ recommendations 300–600 m",
)
RAIL_RADIUS = Threshold(
    key="syn_rail_m",
    label_de="… und Bahnhof: Fußweg höchstens",
    label_en="… and rail station: walk at most",
    default=1200.0,
    unit="m",
    min_value=400.0,
    max_value=3000.0,
    step=100.0,
    source_de="Deutschlandatlas (1.200 m zum Bahnhof); wie die ÖV-Lücken der Seite Mobilität",
    source_en="Deutschlandatlas (1,200 m to a rail station); as the public transport gaps of the "
    "Mobility page",
)
SCHOOL_RADIUS = Threshold(
    key="syn_school_m",
    label_de="Grundschule: Schulweg höchstens",
    label_en="Primary school: way at most",
    default=2000.0,
    unit="m",
    min_value=500.0,
    max_value=5000.0,
    step=100.0,
    source_de="Schülerfahrkostenverordnung NRW (SchfkVO) § 5: Grundschulkinder haben über 2 km "
    "Schulweg Anspruch auf Schülerbeförderung",
    source_en="NRW school transport regulation (Schülerfahrkostenverordnung, § 5): primary "
    "pupils are entitled to school transport beyond 2 km",
)
ELDERLY_SHARE = Threshold(
    key="syn_elderly_pct",
    label_de="Hoher Anteil 65+ im 1-km-Quadrat ab",
    label_en="High share aged 65+ in the 1 km square from",
    default=25.0,
    unit="%",
    min_value=15.0,
    max_value=40.0,
    step=1.0,
    source_de="KEK-Geo-Vorgabe: gerundetes oberes Quartil der 1-km-Zellen 2022 (Zensus 2022), "
    "nach Einwohnern gewichtet (24,9 %; Kreis 22,6 %); 146 der 479 bewohnten 1-km-Zellen im "
    "Kreis liegen bei 25 % oder mehr",
    source_en="KEK Geo default: the rounded population-weighted upper quartile of the 2022 1 km "
    "cells (Zensus 2022; 24.9 %; district 22.6 %); 146 of the 479 inhabited 1 km cells in the "
    "district are at 25 % or above",
)
ELDERLY_MIN_POP = Threshold(
    key="syn_elderly_min_pop",
    label_de="… und im 1-km-Quadrat mindestens so viele Einwohner",
    label_en="… and at least this many residents in the 1 km square",
    default=RELIABLE_SHARE_MIN_POP,
    unit="Einw.",
    min_value=0.0,
    max_value=1000.0,
    step=50.0,
    source_de=RELIABLE_SHARE_SOURCE_DE,
    source_en=RELIABLE_SHARE_SOURCE_EN,
)
MIN_GAPS = Threshold(
    key="syn_min_gaps",
    label_de="Mehrfach betroffen ab so vielen Lücken",
    label_en="Several gaps: at least",
    default=2.0,
    unit="Lücken",
    min_value=2.0,
    max_value=float(len(GAPS)),
    step=1.0,
    source_de="KEK-Geo-Vorgabe: zwei oder mehr der drei Lücken zugleich",
    source_en="KEK Geo default: two or more of the three gaps at once",
)
GAP_THRESHOLDS = (STOP_RADIUS, RAIL_RADIUS, SCHOOL_RADIUS, ELDERLY_SHARE, ELDERLY_MIN_POP)


def thresholds_from(params: Params) -> GapThresholds:
    """The gap thresholds from page parameters (defaults where not given).

    Parameters
    ----------
    params
        Parameter name → value.

    Returns
    -------
    GapThresholds
        The thresholds.
    """
    return GapThresholds(
        stop_m=params.get(STOP_RADIUS.key, STOP_RADIUS.default),
        rail_m=params.get(RAIL_RADIUS.key, RAIL_RADIUS.default),
        school_m=params.get(SCHOOL_RADIUS.key, SCHOOL_RADIUS.default),
        elderly_pct=params.get(ELDERLY_SHARE.key, ELDERLY_SHARE.default),
        elderly_min_pop=params.get(ELDERLY_MIN_POP.key, ELDERLY_MIN_POP.default),
    )


def _cells_and_counts(
    source: LayerSource, params: Params
) -> tuple[pd.DataFrame, npt.NDArray[np.int64]]:
    inputs = per_source(source, "synthesis_inputs", lambda: cell_inputs(source))
    flags = gap_flags(inputs, thresholds_from(params))
    return inputs.cells, gap_count(flags)


def cells_with_gaps(source: LayerSource, params: Params) -> pd.Series:
    """Number of settled cells with at least the minimum number of gaps."""
    cells, count = _cells_and_counts(source, params)
    mask = count >= params[MIN_GAPS.key]
    return sum_by_group(pd.Series(1.0, index=cells.index), mask, cells["ags"])


def people_with_gaps(source: LayerSource, params: Params) -> pd.Series:
    """Estimated residents of cells with at least the minimum number of gaps."""
    cells, count = _cells_and_counts(source, params)
    return sum_by_group(cells["population_est"], count >= params[MIN_GAPS.key], cells["ags"])


def share_with_gaps(source: LayerSource, params: Params) -> pd.Series:
    """Share of estimated residents living in cells with at least the minimum number of gaps."""
    cells, count = _cells_and_counts(source, params)
    return share_by_group(cells["population_est"], count >= params[MIN_GAPS.key], cells["ags"])


def people_with_all_gaps(source: LayerSource, params: Params) -> pd.Series:
    """Estimated residents of cells with all three gaps."""
    cells, count = _cells_and_counts(source, params)
    return sum_by_group(cells["population_est"], count >= len(GAPS), cells["ags"])


_GAPS_DE = (
    " Die drei Lücken je besiedelter 100-m-Zelle, jede für die Zelle selbst gemessen: (1) ÖV: "
    "keine Haltestelle mit Linienverkehr (Bahn, Stadtbahn, Bus) im Umkreis (Vorgabe 600 m) und "
    "kein Bahnhof im Umkreis (Vorgabe 1.200 m), wie die ÖV-Lücken der Seite Mobilität; (2) keine "
    "Grundschule im Umkreis (Vorgabe 2 km); (3) im 1-km-Quadrat der Zelle ist der Anteil der "
    "Menschen ab 65 (Zensus 2022) mindestens so hoch wie der Schwellenwert (Vorgabe 25 %) – "
    "gewertet nur in 1-km-Quadraten mit mindestens 200 Einwohnern (einstellbar), weil die "
    "Gitterwerte zur Geheimhaltung verändert sind. "
    "Breitband ist nur je Gemeinde veröffentlicht und zählt deshalb nicht als Zell-Lücke; die "
    "Karte umrandet die Gemeinden unter dem Gigabit-Anteil des Kreises gesondert. Entfernungen "
    "ab Zellmitte, Luftlinie oder – wenn importiert – entlang des Fußwegenetzes; nur Schulen "
    "des Kreises und nur die Hauptadresse von Grundschulverbünden sind erfasst. Fehlt ein Wert "
    "(1-km-Quadrat ohne 65+-Anteil), zählt die Lücke nicht. " + as_of.RESIDENTS_NOTE_DE
)
_GAPS_EN = (
    " The three gaps per settled 100 m cell, each measured for the cell itself: (1) transit: no "
    "scheduled stop (rail, tram, bus) within the radius (default 600 m) and no rail station "
    "within its radius (default 1,200 m), as the public transport gaps of the Mobility page; "
    "(2) no primary school within the radius (default 2 km); (3) the share aged 65+ (Zensus "
    "2022) in the cell's 1 km square is at least the threshold (default 25 %) – counted only "
    "in 1 km squares with at least 200 residents (adjustable), because the grid values are "
    "perturbed for confidentiality. Broadband is "
    "published per municipality only and is therefore not a cell gap; the map outlines the "
    "municipalities below the district's gigabit share separately. Distances from the cell "
    "centre, straight line or, if imported, along the walking network; only the district's "
    "schools, and only the main address of school federations, are in the data. A missing value "
    "(1 km square without a 65+ share) does not count as a gap. " + as_of.RESIDENTS_NOTE_EN
)

_GAPS_AS_OF = as_of.combined(
    as_of.RESIDENTS_2022, as_of.STOPS, as_of.STATIONS, as_of.SCHOOLS, as_of.GRID_2022
)

register(
    Indicator(
        key="syn_cells_multi_gap",
        themes=("synthesis",),
        name_de="Zellen mit mehreren Lücken",
        name_en="Cells with several gaps",
        unit="Zellen",
        higher_is_better=False,
        method_de="Zahl der besiedelten 100-m-Zellen mit mindestens so vielen der drei Lücken "
        "wie im Schwellenwert (Vorgabe 2)." + _GAPS_DE,
        method_en="Number of settled 100 m cells with at least the threshold number of the three "
        "gaps (default 2)." + _GAPS_EN,
        compute=cells_with_gaps,
        as_of=_GAPS_AS_OF,
        thresholds=(*GAP_THRESHOLDS, MIN_GAPS),
        decimals=0,
    )
)
register(
    Indicator(
        key="syn_people_multi_gap",
        themes=("synthesis",),
        name_de="Einwohner mit mehreren Lücken",
        name_en="Residents with several gaps",
        unit="Einw.",
        higher_is_better=False,
        method_de="Geschätzte Einwohner der Zellen mit mindestens so vielen Lücken wie im "
        "Schwellenwert (Vorgabe 2)." + _GAPS_DE,
        method_en="Estimated residents of the cells with at least the threshold number of gaps "
        "(default 2)." + _GAPS_EN,
        compute=people_with_gaps,
        as_of=_GAPS_AS_OF,
        thresholds=(*GAP_THRESHOLDS, MIN_GAPS),
        decimals=0,
    )
)
register(
    Indicator(
        key="syn_share_multi_gap",
        themes=("synthesis",),
        name_de="Anteil Einwohner mit mehreren Lücken",
        name_en="Share of residents with several gaps",
        unit="%",
        higher_is_better=False,
        method_de="Anteil der geschätzten Einwohner der Gemeinde (100-m-Gitter), die in Zellen "
        "mit mindestens so vielen Lücken wie im Schwellenwert wohnen (Vorgabe 2); Kreiswert "
        "aus den Summen." + _GAPS_DE,
        method_en="Share of the municipality's estimated residents (100 m grid) living in cells "
        "with at least the threshold number of gaps (default 2); district value from the "
        "totals." + _GAPS_EN,
        compute=share_with_gaps,
        as_of=_GAPS_AS_OF,
        thresholds=(*GAP_THRESHOLDS, MIN_GAPS),
    )
)
register(
    Indicator(
        key="syn_people_three_gaps",
        themes=("synthesis",),
        name_de="Einwohner mit allen drei Lücken",
        name_en="Residents with all three gaps",
        unit="Einw.",
        higher_is_better=False,
        method_de="Geschätzte Einwohner der Zellen, auf die alle drei Lücken zutreffen." + _GAPS_DE,
        method_en="Estimated residents of the cells with all three gaps." + _GAPS_EN,
        compute=people_with_all_gaps,
        as_of=_GAPS_AS_OF,
        thresholds=GAP_THRESHOLDS,
        decimals=0,
    )
)
