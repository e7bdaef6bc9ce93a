"""Demografie: age shares 2022 and 2011, ageing per 1 km cell, people 80+ near stops."""

import streamlit as st

from kek_geo.datatext import date_text
from kek_geo.i18n import t
from kek_geo.ui import cache, frame
from kek_geo.ui.theme import render_theme, show_section_map, threshold_slider
from kek_geo.views.demography import (
    AGEING_MIN_POP,
    VIEW,
    ageing_caption,
    horizon_frame,
    horizon_years,
    trend_caption,
    trend_table,
)

frame.planner_only()

state = render_theme(VIEW)
lang = state.lang
snap = cache.snapshot()
st.caption(t("demography.suppressed", lang))

kreis = snap.district.name
if snap.available("projection"):
    base, horizon = horizon_years(snap)
    st.subheader(t("demography.horizon_title", lang, kreis=kreis, year=horizon))
    st.write(t("demography.horizon_intro", lang, year=horizon, base=base))
    frame.show_table(horizon_frame(snap, lang), lang, key="demography_horizon")
    frame.csv_download(
        horizon_frame(snap, lang, rounded=False),
        f"kek-geo-demografie-{horizon}.csv",
        key="demography_horizon_csv",
    )
    projection = snap.record("projection")
    st.caption(
        f"{t('overview.as_of', lang)}: {date_text(projection.data_date, lang)} · "
        f"{projection.attribution}"
    )
else:
    st.subheader(t("demography.horizon_title", lang, kreis=kreis, year=2040))
    st.info(t("demography.horizon_missing", lang))

st.subheader(t("demography.ageing_title", lang))
st.write(t("demography.ageing_intro", lang))
min_pop = threshold_slider(AGEING_MIN_POP, "demography_ageing_min_pop", lang)
params = cache.param_items({AGEING_MIN_POP.key: min_pop})
if show_section_map("demography_ageing", params, lang=lang):
    st.caption(ageing_caption(snap, dict(params), lang))
else:
    st.info(t("demography.ageing_missing", lang))

st.subheader(t("demography.trend", lang))
if not frame.missing_layers(snap, ("inkar_kreis",), lang):
    frame.show_line_chart(trend_table(snap, lang), lang, y_label="%", x_label="")
    share = float(state.table.loc[snap.district.ags, "share_65plus"])
    st.caption(trend_caption(snap, share, lang))
