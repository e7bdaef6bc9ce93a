"""The key message of a page: one sentence with its figure, computed from the indicator table.

A page opens with it, so a room sees at once what the map says: which municipality lags most
on the indicator shown, by how much against the Kreis, as of when. A neutral indicator
(no direction, e.g. population) names the largest and the smallest value instead. Values are
compared as shown (rounded to the indicator's decimals), so a tie on the screen is a tie in
the sentence. Pure functions: no Streamlit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kek_geo.district import district_key
from kek_geo.i18n import fmt_number, md_escape, register_texts, round_half_up, t
from kek_geo.indicators import Indicator

register_texts(
    {
        "key.lag.one": (
            "{who} liegt bei {name} am weitesten zurück: {value}{comparison} ({context}).",
            "{who} lags furthest behind on {name}: {value}{comparison} ({context}).",
        ),
        "key.lag.many": (
            "{who} liegen bei {name} am weitesten zurück: {value}{comparison} ({context}).",
            "{who} lag furthest behind on {name}: {value}{comparison} ({context}).",
        ),
        "key.range": (
            "{top} {has} mit {top_value} den höchsten, {bottom} mit {bottom_value} den "
            "niedrigsten Wert bei {name} ({context}).",
            "{top} {has} the highest value of {name} with {top_value}, {bottom} the lowest "
            "with {bottom_value} ({context}).",
        ),
        "key.has.one": ("hat", "has"),
        "key.has.many": ("haben", "have"),
        "key.each": ("je {value}", "{value} each"),
        "key.equal": (
            "Alle {n} Gemeinden haben bei {name} denselben Wert: {value} ({context}).",
            "All {n} municipalities have the same value of {name}: {value} ({context}).",
        ),
        "key.missing": (
            "Für {name} liegen keine Werte vor (Stand: {date}).",
            "No values are available for {name} (as of {date}).",
        ),
        "key.quoted": ("„{name}“", "“{name}”"),
        "key.and": (" und ", " and "),
        "key.kreis": ("Kreis: {value}", "district: {value}"),
        "key.kreis_total": ("Kreis insgesamt: {value}", "district total: {value}"),
        "key.as_of": ("Stand: {date}", "as of {date}"),
        "key.without": ("ohne Wert: {names}", "no value: {names}"),
        "key.below": ("{diff} unter dem Kreis", "{diff} below the district"),
        "key.above": ("{diff} über dem Kreis", "{diff} above the district"),
        "key.level": ("gleichauf mit dem Kreis", "level with the district"),
        "key.share": ("{share} % des Kreises", "{share} % of the district"),
        "key.points": ("%-Punkte", "percentage points"),
        "key.better": ("besser als der Kreis", "better than the district"),
        "key.worse": ("schlechter als der Kreis", "worse than the district"),
        "key.higher": ("über dem Kreis", "above the district"),
        "key.lower": ("unter dem Kreis", "below the district"),
        "key.same": ("wie der Kreis", "same as the district"),
        "key.versus": ("Im Vergleich zum Kreis", "Compared with the district"),
    }
)


@dataclass(frozen=True)
class KeyMessage:
    """The key message of a page.

    Attributes
    ----------
    text
        The sentence (Markdown with bold names and figures, or plain text).
    kind
        ``lag`` (worst municipality of an indicator with a direction), ``range`` (largest and
        smallest of a neutral one), ``equal`` (all the same) or ``missing`` (no values).
    ags
        The municipalities the sentence names first (those lagging most, or with the largest
        value), in table order.
    """

    text: str
    kind: str
    ags: tuple[str, ...] = ()


def _shown(value: float, indicator: Indicator) -> float:
    return round_half_up(float(value), indicator.decimals)


def _figure(value: float, indicator: Indicator, lang: str) -> str:
    number = fmt_number(value, indicator.decimals, lang)
    return f"{number} {indicator.unit_in(lang)}".strip()


def is_sum(table: pd.DataFrame, key: str) -> bool:
    """Whether the district value of an indicator is the sum of the municipalities' (a count).

    Parameters
    ----------
    table
        Indicator table with the district row.
    key
        Indicator.

    Returns
    -------
    bool
        True for counts such as residents or cells, which cannot be compared with the district.
    """
    district = district_key(table.index)
    municipal = table.drop(index=district)[key].astype("float64")
    kreis = float(table.loc[district, key])
    if municipal.isna().any() or math.isnan(kreis):
        return False
    return bool(np.isclose(municipal.sum(), kreis, rtol=1e-9, atol=1e-9)) and len(municipal) > 1


def is_total(table: pd.DataFrame, indicator: Indicator) -> bool:
    """Whether the Kreis value is the (non-zero) sum of the municipalities' values, a count.

    A count (residents, households, cells) is compared with the Kreis as a part of it
    ("23 % des Kreises"), not as above or below it (:func:`kek_geo.profile.is_sum`).

    Parameters
    ----------
    table
        Indicator table with the district row.
    indicator
        The indicator.

    Returns
    -------
    bool
        Whether it is a count with a Kreis total other than 0.
    """
    kreis = float(table.loc[district_key(table.index), indicator.key])
    return kreis != 0 and is_sum(table, indicator.key)


def _names(table: pd.DataFrame, ags: list[str], lang: str, *, markdown: bool) -> str:
    names = [str(table.loc[a, "gemeinde"]) for a in ags]
    if markdown:
        names = [f"**{md_escape(n)}**" for n in names]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + t("key.and", lang) + names[-1]


def _value(value: float, indicator: Indicator, lang: str, n: int, *, markdown: bool) -> str:
    figure = _figure(value, indicator, lang)
    if n > 1:
        figure = t("key.each", lang, value=figure)
    return f"**{figure}**" if markdown else figure


def _difference(value: float, kreis: float, indicator: Indicator, lang: str) -> str:
    """``64,2 %-Punkte unter dem Kreis`` (from the figures as shown), or level with it."""
    diff = _shown(value, indicator) - _shown(kreis, indicator)
    diff = round_half_up(diff, indicator.decimals)
    if diff == 0:
        return t("key.level", lang)
    unit = t("key.points", lang) if indicator.unit == "%" else indicator.unit_in(lang)
    text = f"{fmt_number(abs(diff), indicator.decimals, lang)} {unit}".strip()
    return t("key.below" if diff < 0 else "key.above", lang, diff=text)


def _context(
    table: pd.DataFrame, indicator: Indicator, as_of: str, lang: str, missing: list[str]
) -> str:
    """``Kreis: 64,6 %; Stand: …`` (or the Kreis total for a count), naming missing values."""
    kreis = float(table.loc[district_key(table.index), indicator.key])
    parts = []
    if not math.isnan(kreis):
        key = "key.kreis_total" if is_total(table, indicator) else "key.kreis"
        parts.append(t(key, lang, value=_figure(kreis, indicator, lang)))
    if missing:
        names = _names(table, missing, lang, markdown=False)
        parts.append(t("key.without", lang, names=names))
    parts.append(t("key.as_of", lang, date=as_of))
    return "; ".join(parts)


def _comparison(table: pd.DataFrame, indicator: Indicator, value: float, lang: str) -> str:
    """``, 64,2 %-Punkte unter dem Kreis`` or ``, 23 % des Kreises``; empty without a Kreis."""
    kreis = float(table.loc[district_key(table.index), indicator.key])
    if math.isnan(kreis):
        return ""
    if is_total(table, indicator):
        share = fmt_number(100 * value / kreis, 0, lang)
        return ", " + t("key.share", lang, share=share)
    return ", " + _difference(value, kreis, indicator, lang)


def key_message(
    table: pd.DataFrame,
    indicator: Indicator,
    as_of: str,
    lang: str,
    *,
    markdown: bool = True,
) -> KeyMessage:
    """The key message of an indicator: who lags most (or the range), against the Kreis.

    Parameters
    ----------
    table
        Indicator table: index AGS plus the district key, column ``gemeinde`` and one per
        indicator key (:func:`kek_geo.indicators.compute_table`).
    indicator
        The indicator on the page's map.
    as_of
        Its data date (:func:`kek_geo.indicators.data_dates`).
    lang
        Language.
    markdown
        Bold names and figures (for ``st.markdown``); ``False`` gives plain text.

    Returns
    -------
    KeyMessage
        One sentence. With a direction: the municipalities with the worst value (ties
        named together), the value, its distance from the Kreis and the date. Without: the
        largest and the smallest. All equal, or no values at all, say so.
    """
    kreis = district_key(table.index)
    raw = table.loc[table.index != kreis, indicator.key].astype("float64")
    name = t("key.quoted", lang, name=indicator.name(lang))
    if markdown:
        name = md_escape(name)
    missing = [str(a) for a in raw.index[raw.isna()]]
    values = raw.dropna()
    if values.empty:
        return KeyMessage(t("key.missing", lang, name=name, date=as_of), "missing")
    shown = values.map(lambda v: _shown(v, indicator))
    context = _context(table, indicator, as_of, lang, missing)
    if markdown:
        context = md_escape(context)
    high = [str(a) for a in shown.index[shown == shown.max()]]
    low = [str(a) for a in shown.index[shown == shown.min()]]
    if shown.max() == shown.min():
        same = _value(float(values.iloc[0]), indicator, lang, 1, markdown=markdown)
        text = t("key.equal", lang, n=len(values), name=name, value=same, context=context)
        return KeyMessage(text, "equal", tuple(high))
    if indicator.higher_is_better is None:
        text = t(
            "key.range",
            lang,
            top=_names(table, high, lang, markdown=markdown),
            has=t("key.has.many" if len(high) > 1 else "key.has.one", lang),
            top_value=_value(float(values[high[0]]), indicator, lang, len(high), markdown=markdown),
            bottom=_names(table, low, lang, markdown=markdown),
            bottom_value=_value(
                float(values[low[0]]), indicator, lang, len(low), markdown=markdown
            ),
            name=name,
            context=context,
        )
        return KeyMessage(text, "range", tuple(high))
    worst = low if indicator.higher_is_better else high
    value = float(values[worst[0]])
    comparison = _comparison(table, indicator, value, lang)
    text = t(
        "key.lag.many" if len(worst) > 1 else "key.lag.one",
        lang,
        who=_names(table, worst, lang, markdown=markdown),
        name=name,
        value=_value(value, indicator, lang, len(worst), markdown=markdown),
        comparison=md_escape(comparison) if markdown else comparison,
        context=context,
    )
    return KeyMessage(text, "lag", tuple(worst))


def versus_kreis(table: pd.DataFrame, indicator: Indicator, ags: str, lang: str) -> str:
    """How one municipality's value stands against the Kreis, in a few words.

    An arrow says above or below, the words say whether that is better or worse (for a neutral
    indicator only above or below); a count is given as its part of the Kreis total.

    Parameters
    ----------
    table
        Indicator table with the district row.
    indicator
        The indicator.
    ags
        The municipality.
    lang
        Language.

    Returns
    -------
    str
        E.g. ``↓ schlechter als der Kreis``, ``↑ über dem Kreis``, ``= wie der Kreis``,
        ``18 % des Kreises``; ``–`` when a value is missing.
    """
    value = float(table.loc[ags, indicator.key])
    kreis = float(table.loc[district_key(table.index), indicator.key])
    if math.isnan(value) or math.isnan(kreis):
        return "–"
    if is_total(table, indicator):
        return t("key.share", lang, share=fmt_number(100 * value / kreis, 0, lang))
    diff = round_half_up(_shown(value, indicator) - _shown(kreis, indicator), indicator.decimals)
    if diff == 0:
        return f"= {t('key.same', lang)}"
    arrow = "↑" if diff > 0 else "↓"
    if indicator.higher_is_better is None:
        words = t("key.higher" if diff > 0 else "key.lower", lang)
    else:
        better = (diff > 0) == indicator.higher_is_better
        words = t("key.better" if better else "key.worse", lang)
    return f"{arrow} {words}"
