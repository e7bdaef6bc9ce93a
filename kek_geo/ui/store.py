"""The project database for the pages: one engine per server process, migrated on start."""

from __future__ import annotations

import streamlit as st

from kek_geo.storage import ScenarioStore, open_store
from kek_geo.ui.cache import settings


@st.cache_resource(show_spinner=False)
def scenario_store() -> ScenarioStore:
    """The scenario store (SQLite in the data folder, or PostGIS via ``KEK_DATABASE_URL``)."""
    return open_store(settings())
