"""Daseinsvorsorge: residents near a supermarket, GP, pharmacy, primary school and stop."""

import streamlit as st

from kek_geo.i18n import t
from kek_geo.ui import cache, frame
from kek_geo.ui.theme import render_theme
from kek_geo.views.services import VIEW, missing_text, other_doctors, services_table, unavailable

frame.planner_only()

snap = cache.snapshot()
note = missing_text if unavailable(snap) else None
state = render_theme(VIEW, note=note)
table = services_table(snap, state.lang)
if table is not None:
    st.subheader(t("services.by_municipality", state.lang))
    frame.show_table(table, state.lang, key="services_by_municipality")
    frame.csv_download(
        table, "kek-geo-daseinsvorsorge-einrichtungen.csv", key="services_by_municipality_csv"
    )
    st.caption(t("services.other_doctors", state.lang, n=other_doctors(snap)))
