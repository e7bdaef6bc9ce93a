"""Overall-picture indicators: settled cells that fall into several gaps at once."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from kek_geo.analysis.access import share_by_group, sum_by_group
from kek_geo.analysis.synthesis import (
    GapThresholds,
    cell_inputs,
    flags_from_inputs,
    gap_count,
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
    source_de="KEK-Geo-Vorgabe: gerundetes oberes Quartil der 1-km-Zellen des Kreises (24,1 %, "
    "nach Einwohnern gewichtet 24,3 %; Kreis 21,3 %); 91 der 443 besiedelten 1-km-Zellen mit "
    "Wert (21 %) liegen bei 25 % oder mehr",
    source_en="KEK Geo default: the rounded upper quartile of the district's 1 km cells (24.1 %, "
    "population-weighted 24.3 %; district 21.3 %); 91 of the 443 settled 1 km cells with a "
    "value (21 %) are at 25 % or above",
)
MIN_GAPS = Threshold(
    key="syn_min_gaps",
    label_de="Mehrfach betroffen ab so vielen Lücken",
    label_en="Several gaps: at least",
    default=2.0,
    unit="Lücken",
    min_value=1.0,
    max_value=4.0,
    step=1.0,
    source_de="KEK-Geo-Vorgabe: zwei oder mehr der vier Lücken zugleich",
    source_en="KEK Geo default: two or more of the four gaps at once",
)
GAP_THRESHOLDS = (STOP_RADIUS, SCHOOL_RADIUS, ELDERLY_SHARE)


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
        school_m=params.get(SCHOOL_RADIUS.key, SCHOOL_RADIUS.default),
        elderly_pct=params.get(ELDERLY_SHARE.key, ELDERLY_SHARE.default),
    )


def _cells_and_counts(
    source: LayerSource, params: Params
) -> tuple[pd.DataFrame, npt.NDArray[np.int64]]:
    inputs = cell_inputs(source)
    flags = flags_from_inputs(inputs, thresholds_from(params))
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


def people_with_three_gaps(source: LayerSource, params: Params) -> pd.Series:
    """Estimated residents of cells with three or four gaps."""
    cells, count = _cells_and_counts(source, params)
    return sum_by_group(cells["population_est"], count >= 3, cells["ags"])


_GAPS_DE = (
    " Die vier Lücken je besiedelter 100-m-Zelle: (1) keine Haltestelle mit Linienverkehr "
    "(Bahn, Stadtbahn, Bus) im Umkreis (Vorgabe 600 m); (2) die Gemeinde hat einen kleineren "
    "Anteil Haushalte mit Gigabit (≥ 1.000 Mbit/s, alle Technologien, neuester Stand) als der "
    "Kreis – das gilt für alle Zellen der Gemeinde, kleinräumige Daten fehlen; (3) keine "
    "Grundschule im Umkreis (Vorgabe 2 km); (4) im 1-km-Quadrat der Zelle ist der Anteil der "
    "Menschen ab 65 mindestens so hoch wie der Schwellenwert (Vorgabe 25 %). Entfernungen ab "
    "Zellmitte, Luftlinie oder – wenn importiert – entlang des Fußwegenetzes; nur Schulen des "
    "Kreises und nur die Hauptadresse von Grundschulverbünden sind erfasst. Fehlt ein Wert "
    "(geheim gehaltener 65+-Anteil), zählt die Lücke nicht. Einwohner je Zelle sind geschätzt "
    "(Zensus-Gitter, nach Wohnungen verteilt)."
)
_GAPS_EN = (
    " The four gaps per settled 100 m cell: (1) no scheduled stop (rail, tram, bus) within the "
    "radius (default 600 m); (2) the municipality's share of households with gigabit "
    "(≥ 1,000 Mbit/s, any technology, newest release) is below the district's – this applies "
    "to all its cells, there are no small-area data; (3) no primary school within the radius "
    "(default 2 km); (4) the share aged 65+ in the cell's 1 km square is at least the "
    "threshold (default 25 %). Distances from the cell centre, straight line or, if imported, "
    "along the walking network; only the district's schools, and only the main address of "
    "school federations, are in the data. A missing value (suppressed 65+ share) does not "
    "count as a gap. Residents per cell are estimates (Zensus grid, spread by dwellings)."
)

register(
    Indicator(
        key="syn_cells_multi_gap",
        themes=("synthesis",),
        name_de="Zellen mit mehreren Lücken",
        name_en="Cells with several gaps",
        unit="Zellen",
        higher_is_better=False,
        method_de="Zahl der besiedelten 100-m-Zellen mit mindestens so vielen der vier Lücken "
        "wie im Schwellenwert (Vorgabe 2)." + _GAPS_DE,
        method_en="Number of settled 100 m cells with at least the threshold number of the four "
        "gaps (default 2)." + _GAPS_EN,
        compute=cells_with_gaps,
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
        thresholds=(*GAP_THRESHOLDS, MIN_GAPS),
    )
)
register(
    Indicator(
        key="syn_people_three_gaps",
        themes=("synthesis",),
        name_de="Einwohner mit drei oder vier Lücken",
        name_en="Residents with three or four gaps",
        unit="Einw.",
        higher_is_better=False,
        method_de="Geschätzte Einwohner der Zellen, auf die drei oder alle vier Lücken "
        "zutreffen." + _GAPS_DE,
        method_en="Estimated residents of the cells with three or all four gaps." + _GAPS_EN,
        compute=people_with_three_gaps,
        thresholds=GAP_THRESHOLDS,
        decimals=0,
    )
)
