"""The project database for the pages: one engine per server process, migrated on start."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from kek_geo.storage import NoteStore, ScenarioStore, SwotStore, open_engine
from kek_geo.ui.cache import settings


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    """The database (SQLite in the data folder, or PostGIS via ``KEK_DATABASE_URL``)."""
    return open_engine(settings())


def scenario_store() -> ScenarioStore:
    """The saved scenarios."""
    return ScenarioStore(engine())


def note_store() -> NoteStore:
    """The citizen notes."""
    return NoteStore(engine())


def swot_store() -> SwotStore:
    """The planning team's SWOT entries."""
    return SwotStore(engine())
