"""Gesamtbild: settled cells that fall into several infrastructure gaps at once."""

from __future__ import annotations

import math
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from kek_geo.analysis.broadband import release_name
from kek_geo.analysis.synthesis import (
    GAPS,
    CellInputs,
    cell_inputs,
    code_text,
    combination_counts,
    gap_count,
    gap_flags,
    gap_labels,
    gap_summary,
    gigabit_below_kreis,
    missing_inputs,
)
from kek_geo.district import District, district_of
from kek_geo.i18n import fmt_number, register_texts, t
from kek_geo.indicators import Indicator
from kek_geo.indicators.overview import share_65plus
from kek_geo.indicators.registry import LayerSource, Params
from kek_geo.indicators.synthesis import MIN_GAPS, thresholds_from
from kek_geo.maps import Legend, polygon_layer
from kek_geo.thematic import shown_layers
from kek_geo.views import Changing, ThemeView, register_view
from kek_geo.views.education import distance_text

register_texts(
    {
        "synthesis.title": ("Gesamtbild", "Overall picture"),
        "synthesis.intro": (
            "Wo kommen mehrere Lücken zusammen? Für jedes bewohnte Hektar-Quadrat (100 × 100 m) "
            "prüfen wir drei Kriterien, die für das Quadrat selbst gemessen sind: Bus und Bahn, "
            "Grundschule und Anteil älterer Menschen. Die Karte zeigt die Quadrate, auf die "
            "mehrere zutreffen – über Gemeindegrenzen hinweg. Schnelles Internet gibt es nur je "
            "Gemeinde; es ist deshalb gesondert als Umrandung eingezeichnet.",
            "Where do several gaps come together? For every inhabited hectare square "
            "(100 × 100 m) we check three criteria measured for the square itself: bus and rail, "
            "primary school and share of older people. The map shows the squares where several "
            "apply – across municipal borders. Fast internet is known per municipality only, so "
            "it is drawn separately as an outline.",
        ),
        "synthesis.gap.transit": (
            "Haltestelle > {stop}, Bahnhof > {rail}",
            "Stop > {stop}, rail station > {rail}",
        ),
        "synthesis.gap.school": ("Grundschule > {dist}", "Primary school > {dist}"),
        "synthesis.gap.elderly": ("65+ ≥ {pct} %", "65+ ≥ {pct} %"),
        "synthesis.cells_layer": ("Zellen mit Lücken", "Cells with gaps"),
        "synthesis.legend": ("Lücken je Hektar-Quadrat", "Gaps per hectare square"),
        "synthesis.n_gaps": ("Zahl der Lücken", "Number of gaps"),
        "synthesis.which": ("Lücken", "Gaps"),
        "synthesis.gaps_one": ("1 Lücke", "1 gap"),
        "synthesis.gaps_many": ("{n} Lücken", "{n} gaps"),
        "synthesis.gigabit_layer": (
            "Gemeinde unter Kreiswert Gigabit ({release})",
            "Municipality below district gigabit share ({release})",
        ),
        "synthesis.gigabit_share": ("Haushalte mit Gigabit", "Households with gigabit"),
        "synthesis.dashed": ("gestrichelt umrandet", "dashed outline"),
        "synthesis.criteria": ("Die drei Kriterien", "The three criteria"),
        "synthesis.criteria_text": (
            "Für jedes bewohnte Hektar-Quadrat prüfen wir:\n\n"
            "1. **Bus und Bahn**: Im Umkreis von {stop} gibt es keine Haltestelle, an der ein "
            "Bus oder eine Bahn nach Fahrplan hält (reine Taxibus-/Anruf-Halte zählen nicht), "
            "und im Umkreis von {rail} keinen Bahnhof – wie die ÖV-Lücken auf der Seite "
            "Mobilität.\n"
            "2. **Grundschule**: Im Umkreis von {school} gibt es keine Grundschule. Ab 2 km "
            "Schulweg haben Grundschulkinder in NRW Anspruch auf Schülerbeförderung.\n"
            "3. **Ältere Menschen**: In dem Quadratkilometer des Zensus-Gitters, in dem das "
            "Quadrat liegt, waren 2022 mindestens {pct} % der Menschen 65 Jahre oder älter (im "
            "ganzen Kreis {kreis_65} %). Gewertet wird das nur in Quadratkilometern mit "
            "mindestens {min_pop} Einwohnern: Die Gitterwerte sind zur Geheimhaltung um bis zu "
            "±13 Personen verändert, in kleineren wäre der Anteil Zufall.\n\n"
            "Trifft ein Kriterium zu, sprechen wir von einer Lücke. Als **mehrfach betroffen** "
            "zählt ein Quadrat ab {min_gaps} Lücken. Entfernungen sind Luftlinie ab der Mitte "
            "des Quadrats, sofern kein Fußwegenetz importiert ist. Einwohnerzahlen je Quadrat "
            "sind Schätzungen für 2022 auf dem Gebäudebestand 2011.\n\n"
            "**Schnelles Internet** zählt nicht als Lücke eines Quadrats: Der Breitbandatlas "
            "({release}) nennt nur, wie viele Haushalte einer ganzen Gemeinde Gigabit-Internet "
            "(1.000 Mbit/s) bekommen können. Jedem Quadrat den Wert seiner Gemeinde zu geben, "
            "würde nur die Gemeindegrenzen nachzeichnen. Die Karte umrandet deshalb gestrichelt "
            "die Gemeinden unter dem Kreiswert ({kreis} %): {below}.",
            "For every inhabited hectare square we check:\n\n"
            "1. **Bus and rail**: there is no stop within {stop} where a bus or train calls on "
            "a timetable (on-demand-only stops do not count), and no rail station within "
            "{rail} – as the public transport gaps on the Mobility page.\n"
            "2. **Primary school**: there is no primary school within {school}. Beyond 2 km, "
            "primary pupils in NRW are entitled to school transport.\n"
            "3. **Older people**: in the Zensus grid square kilometre that holds the square, at "
            "least {pct} % of the people were 65 or older in 2022 ({kreis_65} % in the whole "
            "district). This counts only in square kilometres with at least {min_pop} residents: "
            "the grid values are perturbed by up to ±13 persons for confidentiality, so in "
            "smaller ones the share would be chance.\n\n"
            "Where a criterion applies we call it a gap. A square counts as having **several "
            "gaps** from {min_gaps} gaps. Distances are straight lines from the centre of the "
            "square unless a walking network has been imported. Residents per square are 2022 "
            "estimates on the 2011 housing stock.\n\n"
            "**Fast internet** is not a gap of a square: the Breitbandatlas ({release}) only "
            "says how many households of a whole municipality can get gigabit internet "
            "(1,000 Mbit/s). Giving every square its municipality's value would merely redraw "
            "the municipal borders. The map therefore outlines, dashed, the municipalities below "
            "the district's share ({kreis} %): {below}.",
        ),
        "synthesis.none_below": ("keine", "none"),
        "synthesis.dominant": (
            "Von den {cells} mehrfach betroffenen Quadraten ({people} Einw.) haben {share} % "
            "die Kombination „{combo}“.",
            "Of the {cells} squares with several gaps ({people} residents), {share} % have the "
            "combination “{combo}”.",
        ),
        "synthesis.dominant_none": (
            "Mit diesen Schwellenwerten ist kein Quadrat mehrfach betroffen.",
            "With these thresholds no square has several gaps.",
        ),
        "synthesis.frequency": (
            "Wie oft jede Lücke vorkommt (Hektar-Quadrate und geschätzte Einwohner)",
            "How often each gap occurs (hectare squares and estimated residents)",
        ),
        "synthesis.col_cells": ("{what}: Zellen", "{what}: cells"),
        "synthesis.col_people": ("{what}: Einw.", "{what}: residents"),
        "synthesis.all_cells": ("Bewohnte Zellen", "Inhabited cells"),
        "synthesis.all_people": ("Einwohner 2022 (geschätzt)", "Residents 2022 (estimated)"),
        "synthesis.missing": (
            "Unsichere Werte zählen nicht als Lücke: {elderly_cells} Zellen ({elderly_people} "
            "Einw.) liegen in 1-km-Quadraten mit weniger als {min_pop} Einwohnern 2022; dort "
            "wird der 65+-Anteil nicht gewertet.",
            "Uncertain values do not count as gaps: {elderly_cells} cells ({elderly_people} "
            "residents) lie in 1 km squares with fewer than {min_pop} residents in 2022; their "
            "65+ share is not used.",
        ),
    }
)

#: Fill colour by number of gaps (ColorBrewer OrRd).
GAP_COLOURS = {1: "#fdbb84", 2: "#e34a33", 3: "#b30000"}
#: Outline of the municipalities below the district's gigabit share.
GIGABIT_OUTLINE = "#c51b7d"


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
        "transit": t(
            "synthesis.gap.transit",
            lang,
            stop=distance_text(th.stop_m, lang),
            rail=distance_text(th.rail_m, lang),
        ),
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
    flags = gap_flags(inputs, thresholds_from(params))
    count = gap_count(flags)
    keep = count >= min_gaps(params)
    labels = np.asarray(gap_labels(flags, gap_label_texts(params, lang)), dtype=object)
    out = inputs.cells.loc[keep, ["geometry"]].copy()
    out["n_gaps"] = [str(n) for n in count[keep]]
    out["n_label"] = [_gaps_text(int(n), lang) for n in count[keep]]
    out["gaps"] = labels[keep]
    out["pop"] = [fmt_number(v, 0, lang) for v in inputs.cells.loc[keep, "population_est"]]
    return out


def gap_layer(
    cells: gpd.GeoDataFrame, lowest: int, lang: str
) -> tuple[folium.GeoJson, list[tuple[str, str]]]:
    """Cells coloured by their number of gaps, with their legend entries.

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
        The layer and its legend entries ``(colour, label)``.
    """
    layer = polygon_layer(
        cells,
        t("synthesis.cells_layer", lang),
        fill={str(n): c for n, c in GAP_COLOURS.items()},
        key="n_gaps",
        colour="#7f0000",
        weight=2.0,  # 1-ha cells stay visible at district zoom
        outline_as_fill=True,
        fill_opacity=0.85,
        tooltip={
            "n_label": t("synthesis.n_gaps", lang),
            "gaps": t("synthesis.which", lang),
            "pop": t("field.population_est", lang),
        },
    )
    entries = [(GAP_COLOURS[n], _gaps_text(n, lang)) for n in range(lowest, len(GAPS) + 1)]
    return layer, entries


def changing(source: LayerSource, *, indicator: Indicator, params: Params, lang: str) -> Changing:
    """The cells coloured by their number of gaps; the legend names the gigabit outline too."""
    del indicator  # the same cells for every indicator
    cells = gap_cells(cell_inputs(source), params, lang)
    layers: tuple[folium.map.Layer, ...] = ()
    entries: list[tuple[str, str]] = []
    if len(cells):
        layer, entries = gap_layer(cells, min_gaps(params), lang)
        layers = (layer,)
    outline = gigabit_outline(source, lang)
    if outline is not None:
        entries.append((GIGABIT_OUTLINE, f"{outline[1]}, {t('synthesis.dashed', lang)}"))
    legend = Legend(t("synthesis.legend", lang), entries, position="bottomright")
    return Changing(layers, legend if entries else None)


def fixed(source: LayerSource, m: folium.Map, *, lang: str) -> None:
    """The outline of the areas with gigabit (dashed)."""
    outline = gigabit_outline(source, lang)
    if outline is not None:
        outline[0].add_to(m)


def gigabit_outline(source: LayerSource, lang: str) -> tuple[folium.GeoJson, str] | None:
    """Dashed outline of the municipalities below the district's gigabit share, and its label.

    Parameters
    ----------
    source
        Snapshot.
    lang
        Language.

    Returns
    -------
    tuple or None
        The layer and its legend label; ``None`` if no municipality is below.
    """
    shares = gigabit_below_kreis(source)
    below = shares[shares["below"]]
    if below.empty:
        return None
    gem = source.geo("gemeinden_display")
    gem = gem[gem["ags"].astype(str).isin(below.index)].copy()
    gem["share_text"] = [
        f"{fmt_number(below.loc[str(a), 'share'], 1, lang)} %" for a in gem["ags"].astype(str)
    ]
    label = t("synthesis.gigabit_layer", lang, release=release_name(below["release"].iloc[0], lang))
    layer = polygon_layer(
        gem,
        label,
        colour=GIGABIT_OUTLINE,
        weight=3.0,
        fill_opacity=0.0,
        dash_array="8 6",
        tooltip={"name": label, "share_text": t("synthesis.gigabit_share", lang)},
        interactive=False,
    )
    return layer, label


@dataclass(frozen=True)
class Details:
    """The page's sections below the map.

    Attributes
    ----------
    criteria
        The three criteria and the broadband note in plain words (Markdown).
    dominant
        Which combination of gaps the cells with several gaps mostly have (one sentence).
    table
        How often each gap occurs per municipality (cells and residents).
    missing
        How many cells lack an input.
    """

    criteria: str
    dominant: str
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
    gem = source.layer("gemeinden")
    district = district_of(source)
    return Details(
        criteria=criteria_markdown(
            gigabit_below_kreis(source),
            dict(zip(gem["ags"].astype(str), gem["name"].astype(str), strict=True)),
            share_65plus(source, params)[district.ags],
            params,
            lang,
        ),
        dominant=dominant_sentence(inputs, params, lang),
        table=gap_table(inputs, gem, district, params, lang),
        missing=missing_note(inputs, params, lang),
    )


def dominant_sentence(inputs: CellInputs, params: Params, lang: str) -> str:
    """Which combination of gaps most of the cells with several gaps have, in one sentence.

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
    str
        The sentence with its figures.
    """
    flags = gap_flags(inputs, thresholds_from(params))
    combos = combination_counts(flags, inputs.cells, min_gaps(params))
    if combos.empty:
        return t("synthesis.dominant_none", lang)
    top = combos.iloc[0]
    return t(
        "synthesis.dominant",
        lang,
        cells=fmt_number(float(combos["cells"].sum()), 0, lang),
        people=fmt_number(float(combos["people"].sum()), 0, lang),
        share=fmt_number(float(top["share_cells"]), 0, lang),
        combo=code_text(int(combos.index[0]), gap_label_texts(params, lang)),
    )


def gap_table(
    inputs: CellInputs, gemeinden: pd.DataFrame, district: District, params: Params, lang: str
) -> pd.DataFrame:
    """How often each gap occurs per municipality (cells and residents), localized headers.

    Parameters
    ----------
    inputs
        Per-cell inputs.
    gemeinden
        Municipalities with ``ags`` and ``name``.
    district
        The district (key and name of the last row).
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
    summary = gap_summary(gap_flags(inputs, thresholds_from(params)), inputs.cells)
    gem = gemeinden.sort_values("ags")
    index = pd.Index([*gem["ags"].astype(str), district.ags], name="ags")
    summary = summary.reindex(index).round(0).astype("Int64")
    out = pd.DataFrame(index=index)
    out[t("overview.municipality", lang)] = [*gem["name"].astype(str), district.name]
    out[t("synthesis.all_cells", lang)] = summary["cells"]
    out[t("synthesis.all_people", lang)] = summary["people"]
    for gap, label in gap_label_texts(params, lang).items():
        out[t("synthesis.col_cells", lang, what=label)] = summary[f"cells_{gap}"]
        out[t("synthesis.col_people", lang, what=label)] = summary[f"people_{gap}"]
    return out


def criteria_markdown(
    gigabit: pd.DataFrame,
    names: dict[str, str],
    kreis_65plus: float,
    params: Params,
    lang: str,
) -> str:
    """The three criteria and the broadband note in plain words, with the current thresholds.

    Parameters
    ----------
    gigabit
        From :func:`kek_geo.analysis.synthesis.gigabit_below_kreis`.
    names
        Municipality names by AGS.
    kreis_65plus
        The district's share aged 65+ (2022), %.
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
    below = [
        f"{names[a]} ({fmt_number(gigabit.loc[a, 'share'], 1, lang)} %)"
        for a in gigabit.index[gigabit["below"]]
    ]
    return t(
        "synthesis.criteria_text",
        lang,
        stop=distance_text(th.stop_m, lang),
        rail=distance_text(th.rail_m, lang),
        school=distance_text(th.school_m, lang),
        pct=fmt_number(th.elderly_pct, 0, lang),
        kreis=fmt_number(float(gigabit["kreis"].iloc[0]) if len(gigabit) else math.nan, 1, lang),
        kreis_65=fmt_number(kreis_65plus, 1, lang),
        min_pop=fmt_number(th.elderly_min_pop, 0, lang),
        min_gaps=min_gaps(params),
        release=release_name(str(gigabit["release"].iloc[0]) if len(gigabit) else "", lang),
        below=", ".join(below) or t("synthesis.none_below", lang),
    )


def missing_note(inputs: CellInputs, params: Params, lang: str) -> str:
    """How many cells lack an input (they count as not flagged).

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
    str
        One sentence; empty when no input is missing.
    """
    th = thresholds_from(params)
    missing = missing_inputs(inputs, th)
    if missing.loc["elderly", "cells"] == 0:
        return ""
    return t(
        "synthesis.missing",
        lang,
        elderly_cells=fmt_number(missing.loc["elderly", "cells"], 0, lang),
        elderly_people=fmt_number(missing.loc["elderly", "people"], 0, lang),
        min_pop=fmt_number(th.elderly_min_pop, 0, lang),
    )


VIEW = register_view(
    ThemeView(
        key="synthesis",
        title_key="synthesis.title",
        intro_key="synthesis.intro",
        shown=shown_layers(
            (), extra=("grid_100m", "grid_1km", "stops", "rail_stations", "schools", "broadband")
        ),
        fixed=fixed,
        changing=changing,
        uses_distances=True,
        map_imports=("broadband_releases",),
    )
)
