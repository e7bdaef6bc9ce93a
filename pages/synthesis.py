"""Gesamtbild: settled cells that fall into several gaps at once, counted per municipality."""

import streamlit as st

from kek_geo.i18n import t
from kek_geo.ui import cache, frame
from kek_geo.ui.theme import render_theme
from kek_geo.views.synthesis import VIEW

frame.planner_only()

state = render_theme(VIEW)
sections = cache.synthesis_details(cache.param_items(state.params), state.lang)
st.subheader(t("synthesis.criteria", state.lang))
st.markdown(sections.criteria)
st.info(sections.dominant)
st.subheader(t("synthesis.frequency", state.lang))
frame.show_table(sections.table, state.lang, key="synthesis_gaps")
frame.csv_download(sections.table, "kek-geo-gesamtbild-luecken.csv", key="synthesis_gaps_csv")
if sections.missing:
    st.caption(sections.missing)
