"""Gemeinde-Steckbrief: a municipality's figures beside the district, its rank, a SWOT draft.

Pure (pandas). The SWOT draft is data-driven and says its rule: an indicator with a direction
is a *strength* when the municipality is at least ``margin`` per cent better than the district
value, a *weakness* when it is at least that much worse. Counts (whose district value is the
sum of the municipalities', such as residents in stop gaps) cannot be compared with the
district and are left out; so are neutral figures such as the population. Planners add
opportunities, risks and remarks themselves (:class:`kek_geo.storage.SwotStore`), and the
approved citizen notes of the municipality join them by kind.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from kek_geo.district import district_key
from kek_geo.i18n import fmt_number, md_escape, register_texts, t
from kek_geo.indicators import REGISTRY, Indicator
from kek_geo.key_messages import is_sum, versus_kreis

register_texts(
    {
        "profile.title": ("Gemeinde-Steckbrief", "Municipality profile"),
        "profile.intro": (
            "Eine Stadt oder Gemeinde auf einen Blick: ihre Kennzahlen aus jedem Thema neben "
            "dem Kreis und ihr Rang unter den {n}, die Karte, der Breitbandausbau und ein "
            "SWOT-Entwurf aus den Daten, den Sie um Chancen, Risiken und Bemerkungen ergänzen.",
            "A town at a glance: its figures from every theme beside the district and its "
            "rank among the {n}, the map, the broadband roll-out and a SWOT draft from the "
            "data that you complete with opportunities, risks and remarks.",
        ),
        "profile.municipality": ("Gemeinde", "Municipality"),
        "profile.figures": ("Kennzahlen neben dem Kreis", "Figures beside the district"),
        "profile.rank": ("Rang", "Rank"),
        "profile.rank_of": ("{rank} von {n}", "{rank} of {n}"),
        "profile.value": ("Wert", "Value"),
        "profile.kreis": ("Kreis", "District"),
        "profile.difference": ("Abstand zum Kreis", "Against the district"),
        "profile.map": ("Karte", "Map"),
        "profile.broadband": ("Breitbandausbau", "Broadband roll-out"),
        "profile.swot": ("SWOT-Entwurf", "SWOT draft"),
        "profile.margin": (
            "Deutlich heißt: mindestens so viel besser oder schlechter als der Kreis (%)",
            "Clearly means: at least this much better or worse than the district (%)",
        ),
        "profile.rule": (
            "Regel: Stärke = mindestens {margin} % besser als der Kreiswert, Schwäche = "
            "mindestens {margin} % schlechter; bei Anteilen (%) zudem mindestens 1 "
            "Prozentpunkt Abstand. Nur Kennzahlen mit Richtung, die keine Summen sind "
            "(Anzahlen wie Einwohner in ÖV-Lücken lassen sich nicht mit dem Kreis "
            "vergleichen). Chancen und Risiken ergänzt das Planungsteam.",
            "Rule: strength = at least {margin} % better than the district value, weakness = "
            "at least {margin} % worse; for shares (%) also at least 1 percentage point "
            "apart. Only figures with a direction that are not sums (counts such as "
            "residents in stop gaps cannot be compared with the district). The planning team "
            "adds opportunities and risks.",
        ),
        "profile.strengths": ("Stärken", "Strengths"),
        "profile.weaknesses": ("Schwächen", "Weaknesses"),
        "profile.opportunities": ("Chancen", "Opportunities"),
        "profile.risks": ("Risiken", "Risks"),
        "profile.remarks": ("Bemerkungen", "Remarks"),
        "profile.from_data": ("aus den Daten", "from the data"),
        "profile.from_team": ("vom Planungsteam", "from the planning team"),
        "profile.from_citizens": ("aus der Beteiligung", "from citizens"),
        "profile.none": ("–", "–"),
        "profile.item": (
            "{name}: {value} (Kreis {kreis}, {difference})",
            "{name}: {value} (district {kreis}, {difference})",
        ),
        "profile.key": (
            "Größter Rückstand von **{name}** gegenüber dem Kreis – {item}; Stand: {date}.",
            "Largest lag of **{name}** behind the district – {item}; as of {date}.",
        ),
        "profile.key_none": (
            "**{name}** liegt bei keiner Kennzahl um mehr als {margin} % hinter dem Kreis.",
            "**{name}** is not more than {margin} % behind the district on any figure.",
        ),
        "profile.better": ("{pct} % besser", "{pct} % better"),
        "profile.worse": ("{pct} % schlechter", "{pct} % worse"),
        "profile.add": ("Eintrag hinzufügen", "Add an entry"),
        "profile.add_kind": ("Art", "Kind"),
        "profile.add_text": ("Text", "Text"),
        "profile.add_author": ("Von (Name oder Stelle)", "By (name or office)"),
        "profile.save": ("Speichern", "Save"),
        "profile.delete": ("Löschen", "Delete"),
        "profile.saved": ("Gespeichert.", "Saved."),
    }
)

#: Kinds of the planning team's SWOT entries: key → text key of their heading.
ENTRY_KINDS = {
    "chance": "profile.opportunities",
    "risiko": "profile.risks",
    "staerke": "profile.strengths",
    "schwaeche": "profile.weaknesses",
    "bemerkung": "profile.remarks",
}
#: Default margin of the SWOT rule (per cent of the district value).
DEFAULT_MARGIN = 10.0
#: Shares must also differ by this many percentage points (a relative lead on a tiny base,
#: such as 0,25 % against 0 %, is no strength).
MIN_POINTS = 1.0


def rank(table: pd.DataFrame, key: str, ags: str) -> int | None:
    """Rank of a municipality among all: 1 = best (or highest, for a neutral figure).

    Parameters
    ----------
    table
        Indicator table with the district row.
    key
        Indicator.
    ags
        Municipality.

    Returns
    -------
    int or None
        The rank (ties share the better rank), ``None`` if its value is missing.
    """
    values = table.drop(index=district_key(table.index))[key].astype("float64")
    if pd.isna(values.get(ags)):
        return None
    lower_first = REGISTRY[key].higher_is_better is False
    ranks = values.rank(method="min", ascending=lower_first)
    return int(ranks[ags])


def relative_difference(table: pd.DataFrame, key: str, ags: str) -> float | None:
    """How much better (positive) or worse (negative) than the district, in per cent of it.

    Parameters
    ----------
    table
        Indicator table.
    key
        Indicator with a direction.
    ags
        Municipality.

    Returns
    -------
    float or None
        ``(value − district) / |district| × 100``, its sign turned for lower-is-better
        figures; ``None`` when a value is missing or the district value is 0.
    """
    value, kreis = float(table.loc[ags, key]), float(table.loc[district_key(table.index), key])
    if math.isnan(value) or math.isnan(kreis) or kreis == 0:
        return None
    diff = (value - kreis) / abs(kreis) * 100
    return -diff if REGISTRY[key].higher_is_better is False else diff


@dataclass(frozen=True)
class SwotItem:
    """One data-driven strength or weakness."""

    key: str
    text: str
    difference: float


def _item(table: pd.DataFrame, ind: Indicator, ags: str, diff: float, lang: str) -> SwotItem:
    pct = fmt_number(abs(diff), 0, lang)
    words = t("profile.better" if diff > 0 else "profile.worse", lang, pct=pct)
    kreis = float(table.loc[district_key(table.index), ind.key])
    text = t(
        "profile.item",
        lang,
        name=ind.name(lang),
        value=ind.value_text(float(table.loc[ags, ind.key]), lang),
        kreis=ind.value_text(kreis, lang),
        difference=words,
    )
    return SwotItem(ind.key, text, diff)


def _points(table: pd.DataFrame, key: str, ags: str) -> float:
    return abs(float(table.loc[ags, key]) - float(table.loc[district_key(table.index), key]))


def swot_draft(
    table: pd.DataFrame, indicators: Sequence[Indicator], ags: str, margin: float, lang: str
) -> tuple[list[SwotItem], list[SwotItem]]:
    """Strengths and weaknesses of a municipality from its indicators (see the module).

    Parameters
    ----------
    table
        Indicator table with the district row.
    indicators
        The indicators to judge.
    ags
        Municipality.
    margin
        Per cent of the district value a municipality must be better or worse by.
    lang
        Language.

    Returns
    -------
    tuple of list
        Strengths (largest lead first) and weaknesses (largest gap first).
    """
    strengths, weaknesses = [], []
    for ind in indicators:
        if ind.higher_is_better is None or is_sum(table, ind.key):
            continue
        diff = relative_difference(table, ind.key, ags)
        if diff is None or (ind.unit == "%" and _points(table, ind.key, ags) < MIN_POINTS):
            continue
        if diff >= margin:
            strengths.append(_item(table, ind, ags, diff, lang))
        elif diff <= -margin:
            weaknesses.append(_item(table, ind, ags, diff, lang))
    strengths.sort(key=lambda i: -i.difference)
    weaknesses.sort(key=lambda i: i.difference)
    return strengths, weaknesses


def _shown(table: pd.DataFrame, ags: str, ind: Indicator, lang: str) -> str:
    return ind.value_text(float(table.loc[ags, ind.key]), lang)


def figures_frame(
    table: pd.DataFrame, indicators: Sequence[Indicator], ags: str, lang: str
) -> pd.DataFrame:
    """The municipality's figures beside the district with its rank, for the page's table.

    Parameters
    ----------
    table
        Indicator table.
    indicators
        Indicators, in order.
    ags
        Municipality.
    lang
        Language.

    Returns
    -------
    pandas.DataFrame
        Columns: figure (with unit), value and district (as text in the language's number
        format, with unit), rank (``3 von 9``; ``–`` if missing), against the district
        (``+12 %`` better / ``−40 %`` worse; empty for counts and neutral figures), compared
        with the district in words (:func:`kek_geo.key_messages.versus_kreis`).
    """
    rows = []
    district = district_key(table.index)
    for ind in indicators:
        place = rank(table, ind.key, ags)
        diff = None
        if ind.higher_is_better is not None and not is_sum(table, ind.key):
            diff = relative_difference(table, ind.key, ags)
        rows.append(
            {
                t("overview.figure", lang): ind.header(lang),
                t("profile.value", lang): _shown(table, ags, ind, lang),
                t("profile.kreis", lang): _shown(table, district, ind, lang),
                t("profile.rank", lang): "–" if place is None
                else t("profile.rank_of", lang, rank=place, n=len(table) - 1),
                t("profile.difference", lang): "" if diff is None
                else f"{'+' if diff >= 0 else '−'}{fmt_number(abs(diff), 0, lang)} %",
                t("key.versus", lang): versus_kreis(table, ind, ags, lang),
            }
        )  # fmt: skip
    return pd.DataFrame(rows)


def rank_data(
    table: pd.DataFrame, indicators: Sequence[Indicator], ags: str, lang: str
) -> pd.DataFrame:
    """Long table for the small rank charts: every municipality's value per indicator.

    Parameters
    ----------
    table
        Indicator table.
    indicators
        Indicators.
    ags
        The municipality to highlight.
    lang
        Language.

    Returns
    -------
    pandas.DataFrame
        Columns ``figure``, ``area``, ``value``, ``chosen`` (bool), ``kreis`` (the district
        value of that figure).
    """
    rows = []
    district = district_key(table.index)
    municipal = table.drop(index=district)
    for ind in indicators:
        # a count's district value is the sum of the municipalities': no reference line for it
        kreis = math.nan if is_sum(table, ind.key) else float(table.loc[district, ind.key])
        for area, value in municipal[ind.key].items():
            rows.append(
                {
                    "figure": ind.header(lang),
                    "area": str(municipal.loc[area, "gemeinde"]),
                    "value": float(value),
                    "chosen": area == ags,
                    "kreis": kreis,
                }
            )
    return pd.DataFrame(rows)


def key_message(
    table: pd.DataFrame,
    indicators: Sequence[Indicator],
    ags: str,
    lang: str,
    dates: Mapping[str, str],
) -> str:
    """The profile's key message: where the municipality lags furthest behind the Kreis.

    Parameters
    ----------
    table
        Indicator table with the district row.
    indicators
        The indicators to judge (as for :func:`swot_draft`, with :data:`DEFAULT_MARGIN`).
    ags
        Municipality.
    lang
        Language.
    dates
        Data date of each indicator, by key.

    Returns
    -------
    str
        One sentence (Markdown): its largest weakness with value, Kreis value and date, or
        that it has none.
    """
    name = md_escape(str(table.loc[ags, "gemeinde"]))
    _, weaknesses = swot_draft(table, indicators, ags, DEFAULT_MARGIN, lang)
    if not weaknesses:
        return t("profile.key_none", lang, name=name, margin=fmt_number(DEFAULT_MARGIN, 0, lang))
    worst = weaknesses[0]
    return t(
        "profile.key", lang, name=name, item=md_escape(worst.text), date=md_escape(dates[worst.key])
    )
