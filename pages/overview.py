"""Übersicht: the district's municipalities as a choropleth, overlays, key figures, table."""

import streamlit as st

from kek_geo.district import text_values
from kek_geo.i18n import t
from kek_geo.indicators import REGISTRY, THEME_IMPORTS, indicators_for
from kek_geo.overview import DEFAULT_OVERLAYS, rank_table
from kek_geo.thematic import OVERLAYS, shown_layers
from kek_geo.ui import cache, frame
from kek_geo.ui.exports import export_section
from kek_geo.ui.mapview import show_map
from kek_geo.ui_state import apply_map_click

frame.planner_only()

lang = frame.lang()
snap = cache.snapshot()
settings = cache.settings()
indicators = indicators_for("overview")
keys = tuple(ind.key for ind in indicators)
table = cache.indicator_table(keys)
dates = cache.indicator_dates(keys, lang)
names = dict(zip(table.index, table["gemeinde"], strict=True))
kreis = snap.district.ags
municipal = [a for a in table.index if a != kreis]
district_texts = text_values(snap, lang)

st.session_state.setdefault("ov_gemeinde", kreis)
st.session_state.setdefault("ov_seen_click", "")

st.title(t("overview.title", lang))
message = st.empty()
frame.import_warnings(snap, THEME_IMPORTS["overview"], lang)

pick_col, layer_col = st.columns([1, 2])
indicator_key = pick_col.selectbox(
    t("overview.indicator", lang),
    keys,
    format_func=lambda k: REGISTRY[k].name(lang),
    key="ov_indicator",
)
overlays = layer_col.pills(
    t("overview.layers", lang),
    list(OVERLAYS),
    selection_mode="multi",
    default=list(DEFAULT_OVERLAYS),
    format_func=lambda k: t(OVERLAYS[k].label_key, lang),
    key="ov_overlays",
    wrap=True,  # in a column the last pills would otherwise scroll out of sight
)
indicator = REGISTRY[indicator_key]
frame.show_key_message(message, table, indicator, lang)

map_col, side_col = st.columns([3, 2])
with map_col:
    payload = cache.overview_payload(indicator_key, tuple(sorted(overlays or ())), lang)
    clicked = show_map(payload, height=frame.MAP_HEIGHT, returned_objects=("last_active_drawing",))
    frame.map_caption(snap, shown_layers(overlays or ()), settings)
    st.write(t("overview.intro", lang, **district_texts))  # below: the map fits a projector
    with st.expander(t("overview.method", lang)):
        st.write(indicator.method(lang))

selected, seen = apply_map_click(
    st.session_state["ov_gemeinde"], st.session_state["ov_seen_click"], clicked, set(municipal)
)
st.session_state["ov_seen_click"] = seen
if selected != st.session_state["ov_gemeinde"]:
    st.session_state["ov_gemeinde"] = selected

with side_col:
    choice = st.selectbox(
        t("overview.municipality", lang),
        [kreis, *municipal],
        format_func=lambda a: (
            t("overview.whole_kreis", lang, **district_texts) if a == kreis else names[a]
        ),
        key="ov_gemeinde",
        help=t("overview.pick_hint", lang),
    )
    st.subheader(f"{t('overview.key_figures', lang)}: {names[choice]}")
    st.markdown(frame.key_figures_markdown(table, indicators, choice, lang, dates))

st.subheader(t("overview.table", lang))
shown = rank_table(table, indicator_key)
ordered = [REGISTRY[indicator_key], *[i for i in indicators if i.key != indicator_key]]
display = frame.display_table(shown, ordered, lang)
frame.show_table(display, lang, key="ov_table")
st.caption(frame.data_dates_caption(indicators, lang, dates))
full = frame.display_table(shown, ordered, lang, rounded=False)
frame.csv_download(full, "kek-geo-uebersicht.csv", key="ov_csv")
export_section("overview", {}, lang, {a: names[a] for a in municipal})
