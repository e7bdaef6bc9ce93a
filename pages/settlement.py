"""Siedlungsstruktur: density, patches and cores, building age, degree of urbanisation."""

import streamlit as st

from kek_geo.i18n import pick, t
from kek_geo.ui import cache, frame
from kek_geo.ui.theme import render_theme, show_section_map
from kek_geo.views.settlement import VIEW, building_age_chart, building_age_table, degurba_table

frame.planner_only()

state = render_theme(VIEW)
lang = state.lang
snap = cache.snapshot()

st.subheader(t("settlement.age_title", lang))
frame.show_chart(building_age_chart(snap, lang), lang, width="stretch")
st.caption(t("settlement.age_caption", lang))
ages = building_age_table(snap, lang)
frame.show_table(ages, lang, key="settlement_age_table")
frame.csv_download(ages, "kek-geo-baualter.csv", key="settlement_age_csv")

st.subheader(t("settlement.degurba_title", lang))
st.write(t("settlement.degurba_intro", lang))
degurba_params = tuple(i for i in cache.param_items(state.params) if i[0].startswith("set_degurba"))
show_section_map("settlement_degurba", degurba_params, lang=lang)
classes = degurba_table(snap, dict(degurba_params), lang)
st.caption(t("settlement.degurba_table", lang))
frame.show_table(classes, lang, key="settlement_degurba_table")
frame.csv_download(classes, "kek-geo-degurba.csv", key="settlement_degurba_csv")

st.subheader(t("settlement.areas_title", lang))
record = snap.record("settlement_areas")
st.write(pick(lang, record.method_de, record.method_en))
