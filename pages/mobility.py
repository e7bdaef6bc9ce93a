"""Mobilität: stop catchments, ÖV-Lücken, distances and – with a timetable – ÖV-Güteklassen."""

import streamlit as st

from kek_geo.i18n import t
from kek_geo.ui import cache, frame
from kek_geo.ui.theme import render_theme, show_section_map
from kek_geo.views.mobility import VIEW, class_table, feed_summary, gap_summary, station_table

frame.planner_only()

state = render_theme(VIEW)
lang = state.lang
snap = cache.snapshot()
st.caption(gap_summary(snap, state.params, lang))
feed_text = feed_summary(snap, lang)
st.info(t("mobility.datlas_feed" if feed_text else "mobility.datlas_note", lang))

st.subheader(t("mobility.classes", lang))
st.write(t("mobility.classes_intro", lang))
classes = class_table(snap, lang)
stations = station_table(snap, lang)
if feed_text is None or classes is None or stations is None:
    st.warning(t("mobility.no_feed", lang))
else:
    st.caption(feed_text)
    show_section_map("mobility_classes", lang=lang)
    st.markdown(f"**{t('mobility.class_table', lang)}**")
    frame.show_table(classes, lang, key="mobility_class_table")
    frame.csv_download(classes, "kek-geo-mobility-classes.csv", key="mobility_class_csv")
    with st.expander(t("mobility.station_table", lang)):
        frame.show_table(stations, lang, key="mobility_station_table")
        frame.csv_download(stations, "kek-geo-mobility-stations.csv", key="mobility_station_csv")
