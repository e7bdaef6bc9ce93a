"""Übersicht: the district's municipalities as a choropleth, overlays, key figures, table."""

import streamlit as st

from kek_geo.district import text_values
from kek_geo.i18n import t
from kek_geo.indicators import REGISTRY, THEME_IMPORTS, indicators_for
from kek_geo.overview import DEFAULT_OVERLAYS, rank_table
from kek_geo.thematic import OVERLAYS, shown_layers
from kek_geo.ui import cache, frame, selection, url_state
from kek_geo.ui.exports import export_section

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

st.title(t("overview.title", lang))
message = st.empty()
frame.import_warnings(snap, THEME_IMPORTS["overview"], lang)

fields = [
    url_state.choice_field("indikator", "ov_indicator", keys),
    url_state.list_field("ebenen", "ov_overlays", OVERLAYS),
    frame.compare_field("ov_compared"),
    frame.municipality_field(),
]
url_state.restore(fields)
# a value from a link or the session is the widget's own; the default only starts it
st.session_state.setdefault("ov_overlays", list(DEFAULT_OVERLAYS))

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
    format_func=lambda k: OVERLAYS[k].pill(lang),
    key="ov_overlays",
    wrap=True,  # in a column the last pills would otherwise scroll out of sight
)
indicator = REGISTRY[indicator_key]

frame.show_key_message(message, table, indicator, lang)

map_col, side_col = st.columns([3, 2])
with side_col:  # beside the map, so the map still fits a 1280×720 screen
    compared = frame.compare_toggle(table[indicator_key], "ov_compared", lang)
with map_col:
    # drawn once per choice of layers; another indicator only recolours it in place
    payload = cache.overview_payload(keys[0], tuple(sorted(overlays or ())), lang)
    recolour = cache.overview_restyle(indicator_key, lang, compared)
    chosen = selection.selecting_map(payload, height=frame.MAP_HEIGHT, overlay=recolour)
    frame.publish_view(fields)
    frame.map_caption(snap, shown_layers(overlays or ()), settings)
    st.write(t("overview.intro", lang, **district_texts))  # below: the map fits a projector
    with st.expander(t("overview.method", lang)):
        st.write(indicator.method(lang))

# the list follows a choice made on the map or in a table, here or on another page
st.session_state["ov_gemeinde"] = chosen or kreis


def _list_choice() -> None:
    value = st.session_state["ov_gemeinde"]
    selection.choose(None if value == kreis else value)


with side_col:
    choice = st.selectbox(
        t("overview.municipality", lang),
        [kreis, *municipal],
        format_func=lambda a: (
            t("overview.whole_kreis", lang, **district_texts) if a == kreis else names[a]
        ),
        key="ov_gemeinde",
        help=t("overview.pick_hint", lang),
        on_change=_list_choice,
    )
    st.subheader(f"{t('overview.key_figures', lang)}: {names[choice]}")
    st.markdown(frame.key_figures_markdown(table, indicators, choice, lang, dates))

st.subheader(t("overview.table", lang))
shown = rank_table(table, indicator_key)
ordered = [REGISTRY[indicator_key], *[i for i in indicators if i.key != indicator_key]]
display = frame.display_table(shown, ordered, lang)
frame.municipality_table(display, lang, key="ov_table")
st.caption(frame.data_dates_caption(indicators, lang, dates))
full = frame.display_table(shown, ordered, lang, rounded=False)
frame.csv_download(
    full,
    "kek-geo-overview.csv",
    key="ov_csv",
    notes=frame.export_notes(
        f"KEK Geo – {t('overview.title', lang)}, {snap.district.name}",
        (),
        frame.data_dates_caption(indicators, lang, dates),
        shown_layers(overlays or ()),
        lang,
    ),
)
export_section("overview", {}, lang, {a: names[a] for a in municipal})
