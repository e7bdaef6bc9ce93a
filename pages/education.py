"""Bildung: children under 10 and primary schools, schools by type, school social index."""

import streamlit as st

from kek_geo.i18n import t
from kek_geo.ui import cache, frame
from kek_geo.ui.theme import render_theme
from kek_geo.views.education import VIEW, caveats, school_type_table

frame.planner_only()

state = render_theme(VIEW)
st.caption(caveats(cache.snapshot(), state.lang))
st.subheader(t("education.by_type", state.lang))
types = school_type_table(cache.snapshot(), state.lang)
frame.show_table(types, state.lang, key="education_types")
frame.csv_download(types, "kek-geo-bildung-schulformen.csv", key="education_types_csv")
st.caption(t("education.social_note", state.lang))
