"""The Gemeinde-Steckbrief page's cached pieces: tables, rank charts, map, broadband trend."""

from __future__ import annotations

import io

import altair as alt
import pandas as pd
import streamlit as st

from kek_geo.export.content import theme_content
from kek_geo.export.sheet import area_map
from kek_geo.indicators import REGISTRY
from kek_geo.profile import rank_data
from kek_geo.ui import cache
from kek_geo.views import broadband as bb


def all_keys() -> tuple[str, ...]:
    """Every indicator of the registry."""
    return tuple(REGISTRY)


def table() -> pd.DataFrame:
    """Every indicator at the default thresholds (cached)."""
    return cache.indicator_table(all_keys())


@st.cache_data(show_spinner=False, max_entries=24)
def map_png(ags: str, lang: str) -> bytes:
    """The overview map framed on the municipality, as PNG."""
    content = theme_content(cache.snapshot(), cache.settings(), "overview", lang)
    fig = area_map(content.map, cache.snapshot().geo("gemeinden"), ags, lang)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


def rank_chart(keys: tuple[str, ...], ags: str, lang: str) -> alt.Chart:
    """Small charts: every municipality's value per figure, the chosen one large.

    The district value is a black tick (none for counts, whose district value is their sum).
    """
    data = rank_data(table(), [REGISTRY[k] for k in keys], ags, lang)
    base = alt.Chart(data).encode(
        x=alt.X("value:Q", title=None, scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("area:N"), alt.Tooltip("value:Q", format=",.1f")],
    )
    dots = base.mark_circle().encode(
        size=alt.condition("datum.chosen", alt.value(220), alt.value(60)),
        color=alt.condition("datum.chosen", alt.value("#c51b7d"), alt.value("#9e9e9e")),
    )
    kreis = alt.Chart(data).mark_tick(color="#111", thickness=2, size=22).encode(x="kreis:Q")
    order = list(dict.fromkeys(data["figure"]))
    header = alt.Header(labelAngle=0, labelAlign="left", labelLimit=320)
    chart: alt.Chart = (
        alt.layer(dots, kreis, data=data)
        .properties(height=30, width=480)
        .facet(row=alt.Row("figure:N", title=None, sort=order, header=header), spacing=6)
        .resolve_scale(x="independent")
    )
    return chart


def broadband_note(lang: str) -> str:
    """Which releases the broadband chart shows."""
    return bb.chart_note(cache.snapshot(), "households", lang)


def broadband_trend(ags: str, lang: str) -> alt.Chart | None:
    """Households with gigabit, each release, for the municipality and the Kreis."""
    snap = cache.snapshot()
    technologies = bb.chart_technologies(snap, "households")
    if not technologies:
        return None
    bandwidths = bb.chart_bandwidths(snap, "households", technologies[0])
    if not bandwidths:
        return None
    mbit = bandwidths[bb.default_bandwidth(bandwidths)]
    data = bb.trend_data(
        snap, segment="households", technology=technologies[0], threshold_mbit=mbit, lang=lang
    )
    names = table()["gemeinde"]
    data = data[data["area"].isin([str(names[ags]), str(names.iloc[-1])])]
    return None if data.empty else bb.trend_chart(data, snap, lang)
