"""Demografie: age shares, hotspots of people 80+, and their distance to stops."""

import streamlit as st

from kek_geo.i18n import t
from kek_geo.ui import cache
from kek_geo.ui.theme import render_theme
from kek_geo.views.demography import VIEW

state = render_theme(VIEW)
st.caption(t("demography.suppressed", state.lang))
st.subheader(t("demography.trend", state.lang))
inkar = cache.snapshot().layer("inkar_kreis")
st.line_chart(inkar.set_index("year")[["share_65plus"]], y_label="%")
