"""mobility page (being built)."""

import streamlit as st

from kek_geo.i18n import t
from kek_geo.ui import frame

st.title(t("nav.mobility", frame.lang()))
st.info("In Arbeit / work in progress")
