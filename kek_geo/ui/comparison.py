"""The Vergleich page's small maps, cached by the chosen indicators and the language."""

from __future__ import annotations

import streamlit as st

from kek_geo.ui import cache
from kek_geo.views.comparison import figure_png, small_multiples


@st.cache_data(show_spinner=False, max_entries=32)
def maps_png(keys: tuple[str, ...], lang: str) -> bytes:
    """The small maps of these indicators as one PNG."""
    table = cache.indicator_table(keys)
    return figure_png(small_multiples(cache.snapshot(), table, keys, lang))
