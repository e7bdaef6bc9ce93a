"""Vergleich: the municipalities side by side for chosen indicators, with the Kreis."""

import streamlit as st

from kek_geo.district import text_values
from kek_geo.i18n import t
from kek_geo.indicators import REGISTRY
from kek_geo.ui import cache, frame
from kek_geo.ui.comparison import maps_png
from kek_geo.views.comparison import DEFAULT_KEYS, comparison_table, sort_note

frame.planner_only()
lang = frame.lang()
st.title(t("comparison.title", lang))
message = st.empty()
st.write(t("comparison.intro", lang, **text_values(cache.snapshot(), lang)))

keys = st.multiselect(
    t("comparison.indicators", lang),
    list(REGISTRY),
    default=list(DEFAULT_KEYS),
    format_func=lambda k: REGISTRY[k].name(lang),
    key="comparison_keys",
)
if not keys:
    st.stop()
columns = st.toggle(t("comparison.columns", lang), value=True, key="comparison_columns")
table = cache.indicator_table(tuple(keys))
frame.show_key_message(message, table, REGISTRY[keys[0]], lang)
st.caption(sort_note(keys[0], lang))
frame.show_table(comparison_table(table, keys, lang, columns=columns), lang)
dates = cache.indicator_dates(tuple(keys), lang)
st.caption(frame.data_dates_caption([REGISTRY[k] for k in keys], lang, dates))
full = comparison_table(table, keys, lang, columns=columns, rounded=False)
frame.csv_download(full.set_index(full.columns[0]), "kek-geo-vergleich.csv", key="comparison_csv")

st.subheader(t("comparison.maps", lang))
st.image(maps_png(tuple(keys), lang))
frame.map_caption(cache.snapshot(), ("gemeinden",), cache.settings())
