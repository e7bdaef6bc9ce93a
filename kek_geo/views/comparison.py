"""Vergleich: the municipalities side by side for chosen indicators, table and small maps.

Pure (pandas, matplotlib). The small maps colour the municipalities with the same classes as
the pages' maps (:func:`kek_geo.thematic.indicator_classes`) and print each value on its
municipality, so they can be read without a legend and printed.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import pandas as pd
from matplotlib.figure import Figure

from kek_geo.district import district_key
from kek_geo.i18n import fmt_number, register_texts, round_half_up, t
from kek_geo.indicators import REGISTRY
from kek_geo.indicators.registry import LayerSource
from kek_geo.thematic import indicator_classes

register_texts(
    {
        "comparison.title": ("Vergleich der Gemeinden", "Municipalities compared"),
        "comparison.intro": (
            "Alle {n} Städte und Gemeinden nebeneinander, mit dem Kreis. Wählen Sie die "
            "Kennzahlen; sortiert wird nach der ersten.",
            "All {n} towns side by side, with the district. Choose the figures; the first "
            "one sorts the municipalities.",
        ),
        "comparison.indicators": ("Kennzahlen", "Figures"),
        "comparison.columns": ("Gemeinden als Spalten", "Municipalities as columns"),
        "comparison.maps": ("Kleine Karten", "Small maps"),
        "comparison.sorted": (
            "Sortiert nach „{name}“, {order}.",
            "Sorted by “{name}”, {order}.",
        ),
        "comparison.order_better": ("der bessere Wert zuerst", "better first"),
        "comparison.order_high": ("der höchste Wert zuerst", "highest first"),
        "comparison.figure": ("Kennzahl", "Figure"),
        "comparison.kreis": ("Kreis", "District"),
    }
)

#: A first choice of figures across the themes (each page has more).
DEFAULT_KEYS = (
    "population",
    "share_65plus",
    "gigabit_households",
    "mob_stop_pop",
    "edu_children_primary_near",
    "syn_share_multi_gap",
)


def sort_order(table: pd.DataFrame, key: str) -> list[str]:
    """Municipalities ordered by an indicator: better first, or highest first if neutral.

    Parameters
    ----------
    table
        Indicator table with the district row.
    key
        Indicator to sort by.

    Returns
    -------
    list of str
        AGS of the municipalities (missing values last).
    """
    values = table.drop(index=district_key(table.index))[key].astype("float64")
    ascending = REGISTRY[key].higher_is_better is False
    return [str(a) for a in values.sort_values(ascending=ascending, na_position="last").index]


def sort_note(key: str, lang: str) -> str:
    """One line saying how the municipalities are ordered."""
    ind = REGISTRY[key]
    order = "comparison.order_high" if ind.higher_is_better is None else "comparison.order_better"
    return t("comparison.sorted", lang, name=ind.name(lang), order=t(order, lang))


def comparison_table(
    table: pd.DataFrame, keys: Sequence[str], lang: str, *, columns: bool, rounded: bool = True
) -> pd.DataFrame:
    """The chosen indicators for the municipalities (sorted by the first) and the district.

    Parameters
    ----------
    table
        Indicator table with the district row.
    keys
        Indicators, the first sorts.
    lang
        Language.
    columns
        Municipalities as columns (indicators as rows), else as rows.
    rounded
        Round to each indicator's decimals (the screen); ``False`` for downloads.

    Returns
    -------
    pandas.DataFrame
        Headers with units; the district last.
    """
    order = [*sort_order(table, keys[0]), district_key(table.index)]
    data = {}
    for key in keys:
        ind = REGISTRY[key]
        values = table.loc[order, key].astype("float64")
        if rounded:
            values = values.map(lambda v, d=ind.decimals: round_half_up(v, d))
        data[ind.header(lang)] = values.to_numpy()
    out = pd.DataFrame(data, index=[str(n) for n in table.loc[order, "gemeinde"]])
    if columns:
        out = out.T
        out.index.name = t("comparison.figure", lang)
        return out.reset_index()
    out.index.name = t("overview.municipality", lang)
    return out.reset_index()


def small_multiples(
    source: LayerSource, table: pd.DataFrame, keys: Sequence[str], lang: str
) -> Figure:
    """One small map per indicator: municipalities in their class colour, values written on.

    Parameters
    ----------
    source
        Snapshot (municipal boundaries).
    table
        Indicator table.
    keys
        Indicators.
    lang
        Language.

    Returns
    -------
    matplotlib.figure.Figure
        Three maps a row.
    """
    gem = source.geo("gemeinden")[["ags", "geometry"]]
    district = district_key(table.index)
    points = gem.geometry.representative_point()
    cols = min(3, len(keys))
    rows = math.ceil(len(keys) / cols)
    fig = Figure(figsize=(4.2 * cols, 3.6 * rows))
    for i, key in enumerate(keys):
        ind = REGISTRY[key]
        ax = fig.add_subplot(rows, cols, i + 1)
        values = table[key]
        classes = indicator_classes(source, ind)
        colours = [classes.colour(values.get(a)) for a in gem["ags"]]
        gem.plot(ax=ax, color=colours, edgecolor="#333333", linewidth=0.6)
        for point, ags in zip(points, gem["ags"], strict=True):
            ax.annotate(
                fmt_number(values.get(ags), ind.decimals, lang), (point.x, point.y),
                ha="center", va="center", fontsize=7.5, fontweight="bold",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
            )  # fmt: skip
        kreis = (
            f"{fmt_number(values.get(district), ind.decimals, lang)} {ind.unit_in(lang)}".strip()
        )
        ax.set_title(f"{ind.header(lang)}\n{t('comparison.kreis', lang)}: {kreis}", fontsize=8.5)
        ax.set_axis_off()
        ax.set_aspect("equal")
    fig.tight_layout()
    return fig


def figure_png(fig: Figure, dpi: int = 110) -> bytes:
    """A figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
