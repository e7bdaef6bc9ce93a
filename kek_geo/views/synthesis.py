"""Gesamtbild: settled cells that fall into several infrastructure gaps at once."""

from __future__ import annotations

from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from kek_geo.analysis.synthesis import (
    GAPS,
    CellInputs,
    cell_inputs,
    flags_from_inputs,
    gap_count,
    gap_labels,
    gap_summary,
    missing_inputs,
)
from kek_geo.i18n import fmt_number, register_texts, t
from kek_geo.indicators import Indicator
from kek_geo.indicators.overview import share_65plus
from kek_geo.indicators.registry import LayerSource, Params
from kek_geo.indicators.synthesis import MIN_GAPS, thresholds_from
from kek_geo.maps import Legend, polygon_layer
from kek_geo.settings import KREIS_AGS, KREIS_NAME, Settings
from kek_geo.thematic import shown_layers, theme_map
from kek_geo.views import MapResult, ThemeView, register_view
from kek_geo.views.education import distance_text

register_texts(
    {
        "synthesis.title": ("Gesamtbild", "Overall picture"),
        "synthesis.intro": (
            "Wo kommen mehrere Lücken zusammen? Für jedes bewohnte Hektar-Quadrat (100 × 100 m) "
            "prüfen wir vier Kriterien: Haltestelle, schnelles Internet, Grundschule und Anteil "
            "älterer Menschen. Die Karte zeigt die Quadrate, auf die mehrere zutreffen – über "
            "Gemeindegrenzen hinweg. Die Kriterien sind unter der Karte erklärt.",
            "Where do several gaps come together? For every inhabited hectare square "
            "(100 × 100 m) we check four criteria: stop, fast internet, primary school and share "
            "of older people. The map shows the squares where several apply – across municipal "
            "borders. The criteria are explained below the map.",
        ),
        "synthesis.gap.stop": ("Haltestelle > {dist}", "Stop > {dist}"),
        "synthesis.gap.gigabit": ("Gigabit unter Kreiswert", "Gigabit below district"),
        "synthesis.gap.school": ("Grundschule > {dist}", "Primary school > {dist}"),
        "synthesis.gap.elderly": ("65+ ≥ {pct} %", "65+ ≥ {pct} %"),
        "synthesis.cells_layer": ("Zellen mit Lücken", "Cells with gaps"),
        "synthesis.legend": ("Lücken je Hektar-Quadrat", "Gaps per hectare square"),
        "synthesis.n_gaps": ("Zahl der Lücken", "Number of gaps"),
        "synthesis.which": ("Lücken", "Gaps"),
        "synthesis.gaps_one": ("1 Lücke", "1 gap"),
        "synthesis.gaps_many": ("{n} Lücken", "{n} gaps"),
        "synthesis.criteria": ("Die vier Kriterien", "The four criteria"),
        "synthesis.criteria_text": (
            "Für jedes bewohnte Hektar-Quadrat prüfen wir:\n\n"
            "1. **Haltestelle**: Im Umkreis von {stop} gibt es keine Haltestelle, an der ein "
            "Bus oder eine Bahn nach Fahrplan hält (reine Taxibus-/Anruf-Halte zählen nicht).\n"
            "2. **Schnelles Internet**: In der Gemeinde können weniger Haushalte Gigabit-Internet "
            "(1.000 Mbit/s) bekommen als im Kreisdurchschnitt ({kreis} %). Genauere Daten als "
            "je Gemeinde gibt es nicht, deshalb gilt das für alle Quadrate der Gemeinde.\n"
            "3. **Grundschule**: Im Umkreis von {school} gibt es keine Grundschule. Ab 2 km "
            "Schulweg haben Grundschulkinder in NRW Anspruch auf Schülerbeförderung.\n"
            "4. **Ältere Menschen**: In dem Quadratkilometer des Zensus-Gitters, in dem das "
            "Quadrat liegt, sind mindestens {pct} % der Menschen 65 Jahre oder älter (im "
            "ganzen Kreis rund {kreis_65} %).\n\n"
            "Trifft ein Kriterium zu, sprechen wir von einer Lücke. Als **mehrfach betroffen** "
            "zählt ein Quadrat ab {min_gaps} Lücken. Entfernungen sind Luftlinie ab der Mitte "
            "des Quadrats, sofern kein Fußwegenetz importiert ist. Einwohnerzahlen je Quadrat "
            "sind Schätzungen aus dem Zensus-Gitter.",
            "For every inhabited hectare square we check:\n\n"
            "1. **Stop**: there is no stop within {stop} where a bus or train calls on a "
            "timetable (on-demand-only stops do not count).\n"
            "2. **Fast internet**: fewer households in the municipality can get gigabit internet "
            "(1,000 Mbit/s) than on average in the district ({kreis} %). There are no data finer "
            "than per municipality, so this applies to all squares of the municipality.\n"
            "3. **Primary school**: there is no primary school within {school}. Beyond 2 km, "
            "primary pupils in NRW are entitled to school transport.\n"
            "4. **Older people**: in the Zensus grid square kilometre that holds the square, at "
            "least {pct} % of the people are 65 or older (about {kreis_65} % in the whole "
            "district).\n\n"
            "Where a criterion applies we call it a gap. A square counts as having **several "
            "gaps** from {min_gaps} gaps. Distances are straight lines from the centre of the "
            "square unless a walking network has been imported. Residents per square are "
            "estimates from the Zensus grid.",
        ),
        "synthesis.frequency": (
            "Wie oft jede Lücke vorkommt (Hektar-Quadrate und geschätzte Einwohner)",
            "How often each gap occurs (hectare squares and estimated residents)",
        ),
        "synthesis.col_cells": ("{what}: Zellen", "{what}: cells"),
        "synthesis.col_people": ("{what}: Einw.", "{what}: residents"),
        "synthesis.all_cells": ("Bewohnte Zellen", "Inhabited cells"),
        "synthesis.all_people": ("Einwohner (geschätzt)", "Residents (estimated)"),
        "synthesis.missing": (
            "Fehlende Werte zählen nicht als Lücke: {elderly_cells} Zellen ({elderly_people} "
            "Einw.) liegen in 1-km-Quadraten, deren 65+-Anteil der Zensus geheim hält; "
            "{gigabit_cells} Zellen ({gigabit_people} Einw.) in Gemeinden ohne veröffentlichten "
            "Gigabit-Anteil.",
            "Missing values do not count as gaps: {elderly_cells} cells ({elderly_people} "
            "residents) lie in 1 km squares whose 65+ share Zensus suppresses; {gigabit_cells} "
            "cells ({gigabit_people} residents) in municipalities without a published gigabit "
            "share.",
        ),
    }
)

#: Fill colour by number of gaps (ColorBrewer OrRd).
GAP_COLOURS = {1: "#fdcc8a", 2: "#fc8d59", 3: "#e34a33", 4: "#b30000"}


def gap_label_texts(params: Params, lang: str) -> dict[str, str]:
    """Short label of each gap with the current thresholds (e.g. ``Haltestelle > 600 m``).

    Parameters
    ----------
    params
        Thresholds.
    lang
        Language.

    Returns
    -------
    dict
        Gap key → label.
    """
    th = thresholds_from(params)
    return {
        "stop": t("synthesis.gap.stop", lang, dist=distance_text(th.stop_m, lang)),
        "gigabit": t("synthesis.gap.gigabit", lang),
        "school": t("synthesis.gap.school", lang, dist=distance_text(th.school_m, lang)),
        "elderly": t("synthesis.gap.elderly", lang, pct=fmt_number(th.elderly_pct, 0, lang)),
    }


def _gaps_text(n: int, lang: str) -> str:
    return t("synthesis.gaps_one", lang) if n == 1 else t("synthesis.gaps_many", lang, n=n)


def min_gaps(params: Params) -> int:
    """The minimum number of gaps for a cell to be shown and counted (at least 1).

    Parameters
    ----------
    params
        Thresholds.

    Returns
    -------
    int
        The minimum.
    """
    return max(1, round(params.get(MIN_GAPS.key, MIN_GAPS.default)))


def gap_cells(inputs: CellInputs, params: Params, lang: str) -> gpd.GeoDataFrame:
    """The cells with at least the minimum number of gaps, with tooltip texts.

    Parameters
    ----------
    inputs
        Per-cell inputs.
    params
        Thresholds.
    lang
        Language.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``n_gaps`` (as text), ``n_label``, ``gaps``, ``pop`` and the geometry.
    """
    flags = flags_from_inputs(inputs, thresholds_from(params))
    count = gap_count(flags)
    keep = count >= min_gaps(params)
    labels = np.asarray(gap_labels(flags, gap_label_texts(params, lang)), dtype=object)
    out = inputs.cells.loc[keep, ["geometry"]].copy()
    out["n_gaps"] = [str(n) for n in count[keep]]
    out["n_label"] = [_gaps_text(int(n), lang) for n in count[keep]]
    out["gaps"] = labels[keep]
    out["pop"] = [fmt_number(v, 0, lang) for v in inputs.cells.loc[keep, "population_est"]]
    return out


def gap_layer(cells: gpd.GeoDataFrame, lowest: int, lang: str) -> tuple[folium.GeoJson, Legend]:
    """Cells coloured by their number of gaps, with a categorical legend.

    Parameters
    ----------
    cells
        From :func:`gap_cells`.
    lowest
        Smallest number of gaps shown.
    lang
        Language.

    Returns
    -------
    tuple
        The layer and its legend.
    """
    layer = polygon_layer(
        cells,
        t("synthesis.cells_layer", lang),
        fill={str(n): c for n, c in GAP_COLOURS.items()},
        key="n_gaps",
        colour="#7f0000",
        weight=0.3,
        fill_opacity=0.85,
        tooltip={
            "n_label": t("synthesis.n_gaps", lang),
            "gaps": t("synthesis.which", lang),
            "pop": t("field.population_est", lang),
        },
    )
    entries = [(GAP_COLOURS[n], _gaps_text(n, lang)) for n in range(lowest, len(GAPS) + 1)]
    return layer, Legend(t("synthesis.legend", lang), entries, position="bottomleft")


def build_map(
    source: LayerSource,
    settings: Settings,
    *,
    indicator: Indicator,
    values: pd.Series,
    params: Params,
    lang: str,
) -> MapResult:
    """Choropleth of the indicator with the cells coloured by their number of gaps."""
    m = theme_map(source, settings, indicator=indicator, values=values, lang=lang)
    cells = gap_cells(cell_inputs(source), params, lang)
    if len(cells):
        layer, legend = gap_layer(cells, min_gaps(params), lang)
        layer.add_to(m)
        m.add_child(legend)
    layers = ("grid_100m", "grid_1km", "stops", "schools", "broadband")
    return MapResult(m, shown_layers((), extra=layers))


@dataclass(frozen=True)
class Details:
    """The page's sections below the map.

    Attributes
    ----------
    criteria
        The four criteria in plain words (Markdown), with the current thresholds.
    table
        How often each gap occurs per municipality (cells and residents).
    missing
        How many cells lack an input.
    """

    criteria: str
    table: pd.DataFrame
    missing: str


def details(source: LayerSource, params: Params, lang: str) -> Details:
    """Criteria text, gap frequency table and missing-input note for the current thresholds.

    Parameters
    ----------
    source
        Snapshot.
    params
        Thresholds.
    lang
        Language.

    Returns
    -------
    Details
        The three sections.
    """
    inputs = cell_inputs(source)
    return Details(
        criteria=criteria_markdown(inputs, share_65plus(source, params)[KREIS_AGS], params, lang),
        table=gap_table(inputs, source.layer("gemeinden"), params, lang),
        missing=missing_note(inputs, lang),
    )


def gap_table(
    inputs: CellInputs, gemeinden: pd.DataFrame, params: Params, lang: str
) -> pd.DataFrame:
    """How often each gap occurs per municipality (cells and residents), localized headers.

    Parameters
    ----------
    inputs
        Per-cell inputs.
    gemeinden
        Municipalities with ``ags`` and ``name``.
    params
        Thresholds.
    lang
        Language.

    Returns
    -------
    pandas.DataFrame
        Index AGS (municipalities, then the district); columns municipality, all cells and
        residents, then cells and residents per gap.
    """
    summary = gap_summary(flags_from_inputs(inputs, thresholds_from(params)), inputs.cells)
    gem = gemeinden.sort_values("ags")
    index = pd.Index([*gem["ags"].astype(str), KREIS_AGS], name="ags")
    summary = summary.reindex(index).round(0).astype("Int64")
    out = pd.DataFrame(index=index)
    out[t("overview.municipality", lang)] = [*gem["name"].astype(str), KREIS_NAME]
    out[t("synthesis.all_cells", lang)] = summary["cells"]
    out[t("synthesis.all_people", lang)] = summary["people"]
    for gap, label in gap_label_texts(params, lang).items():
        out[t("synthesis.col_cells", lang, what=label)] = summary[f"cells_{gap}"]
        out[t("synthesis.col_people", lang, what=label)] = summary[f"people_{gap}"]
    return out


def criteria_markdown(inputs: CellInputs, kreis_65plus: float, params: Params, lang: str) -> str:
    """The four criteria in plain words, with the current thresholds.

    Parameters
    ----------
    inputs
        Per-cell inputs (for the district's gigabit share).
    kreis_65plus
        The district's share aged 65+, %.
    params
        Thresholds.
    lang
        Language.

    Returns
    -------
    str
        Markdown.
    """
    th = thresholds_from(params)
    return t(
        "synthesis.criteria_text",
        lang,
        stop=distance_text(th.stop_m, lang),
        school=distance_text(th.school_m, lang),
        pct=fmt_number(th.elderly_pct, 0, lang),
        kreis=fmt_number(inputs.gigabit_kreis, 1, lang),
        kreis_65=fmt_number(kreis_65plus, 0, lang),
        min_gaps=min_gaps(params),
    )


def missing_note(inputs: CellInputs, lang: str) -> str:
    """How many cells lack an input (they count as not flagged).

    Parameters
    ----------
    inputs
        Per-cell inputs.
    lang
        Language.

    Returns
    -------
    str
        One sentence.
    """
    missing = missing_inputs(inputs)
    return t(
        "synthesis.missing",
        lang,
        elderly_cells=fmt_number(missing.loc["elderly", "cells"], 0, lang),
        elderly_people=fmt_number(missing.loc["elderly", "people"], 0, lang),
        gigabit_cells=fmt_number(missing.loc["gigabit", "cells"], 0, lang),
        gigabit_people=fmt_number(missing.loc["gigabit", "people"], 0, lang),
    )


VIEW = register_view(
    ThemeView(
        key="synthesis",
        title_key="synthesis.title",
        intro_key="synthesis.intro",
        build_map=build_map,
        uses_distances=True,
    )
)
