"""Siedlungsstruktur: density, patches and cores, building age, degree of urbanisation."""

import pandas as pd
import streamlit as st

from kek_geo.i18n import pick, t
from kek_geo.ui import cache, frame
from kek_geo.ui.mapview import MapPayload, prepare_map, show_map
from kek_geo.ui.theme import render_theme
from kek_geo.views.settlement import (
    VIEW,
    building_age_chart,
    building_age_table,
    degurba_map,
    degurba_table,
)


@st.cache_data(show_spinner=False, max_entries=8)
def age_table(lang: str) -> pd.DataFrame:
    """Building-age shares per municipality (no thresholds: once per language)."""
    return building_age_table(cache.snapshot(), lang)


@st.cache_data(show_spinner=False, max_entries=32)
def degurba_results(
    params: cache.ParamItems, lang: str
) -> tuple[MapPayload, tuple[str, ...], pd.DataFrame]:
    """The rendered DEGURBA map, its layers and the class table, by thresholds and language."""
    snap = cache.snapshot()
    result = degurba_map(snap, cache.settings(), params=dict(params), lang=lang)
    table = degurba_table(snap, dict(params), lang)
    return prepare_map(result.map, key="settlement_degurba"), result.layers, table


state = render_theme(VIEW)
lang = state.lang
snap = cache.snapshot()

st.subheader(t("settlement.age_title", lang))
st.altair_chart(building_age_chart(snap, lang), width="stretch")
st.caption(t("settlement.age_caption", lang))
ages = age_table(lang)
st.dataframe(ages, hide_index=True, key="settlement_age_table")
frame.csv_download(ages, "kek-geo-baualter.csv", key="settlement_age_csv")

st.subheader(t("settlement.degurba_title", lang))
st.write(t("settlement.degurba_intro", lang))
degurba_params = tuple(i for i in cache.param_items(state.params) if i[0].startswith("set_degurba"))
payload, layers, classes = degurba_results(degurba_params, lang)
show_map(payload, height=480)
frame.map_caption(snap, layers, cache.settings())
st.caption(t("settlement.degurba_table", lang))
st.dataframe(classes, hide_index=True, key="settlement_degurba_table")
frame.csv_download(classes, "kek-geo-degurba.csv", key="settlement_degurba_csv")

st.subheader(t("settlement.areas_title", lang))
record = snap.record("settlement_areas")
st.write(pick(lang, record.method_de, record.method_en))
