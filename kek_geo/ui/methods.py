"""The Methodenblatt page's cached sheets and PDF."""

from __future__ import annotations

import streamlit as st

from kek_geo.indicators import REGISTRY
from kek_geo.methods import MethodSheet, method_sheet, methods_pdf
from kek_geo.ui import cache


@st.cache_data(show_spinner=False, max_entries=128)
def sheet(key: str, lang: str) -> MethodSheet:
    """The sheet of one indicator."""
    return method_sheet(cache.snapshot(), REGISTRY[key], lang)


@st.cache_data(show_spinner="Erstelle PDF …", max_entries=16)
def pdf(keys: tuple[str, ...], lang: str) -> bytes:
    """The sheets of these indicators as one PDF."""
    return methods_pdf([sheet(k, lang) for k in keys], lang)
