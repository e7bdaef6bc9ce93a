"""Breitband: availability, gap classes with affected households, technologies, trend."""

import streamlit as st

from kek_geo.analysis.broadband import SEGMENTS
from kek_geo.i18n import t
from kek_geo.ui import cache, frame
from kek_geo.ui.theme import render_theme
from kek_geo.views import broadband as view

frame.planner_only()

snap = cache.snapshot()
if not snap.available("broadband"):
    st.title(t("broadband.title", frame.lang()))
    st.write(t("broadband.intro", frame.lang()))
    frame.missing_layers(snap, ("broadband", "mobile_coverage"), frame.lang())
    st.stop()
state = render_theme(
    view.VIEW, note=lambda lang: f"**{view.data_date(snap, lang)}.** {view.data_note(snap, lang)}"
)
lang = state.lang

st.subheader(t("broadband.gaps", lang, date=view.release_text(snap, "households", lang)))
gaps = view.gap_frame(snap, lang)
frame.show_table(gaps, lang, key="bb_gap_table")
frame.csv_download(gaps, "kek-geo-breitband-flecken.csv", key="bb_gap_csv")
st.caption(t("broadband.gaps_note", lang))

st.subheader(t("broadband.trend", lang))
seg_col, tech_col, mbit_col = st.columns(3)
segment = seg_col.selectbox(
    t("broadband.segment", lang),
    SEGMENTS,
    format_func=lambda s: view.segment_label(s, lang),
    key="bb_segment",
)
technologies = view.chart_technologies(snap, segment)
technology = tech_col.selectbox(
    t("broadband.technology", lang),
    technologies,
    format_func=lambda s: view.technology_label(s, lang),
    key="bb_technology",
)
bandwidths = view.chart_bandwidths(snap, segment, technology) if technology else []
mbit = mbit_col.selectbox(
    t("broadband.bandwidth", lang),
    bandwidths,
    index=view.default_bandwidth(bandwidths),
    format_func=lambda m: view.bandwidth_label(m, lang),
    key="bb_mbit",
)
trend = (
    view.trend_data(snap, segment=segment, technology=technology, threshold_mbit=mbit, lang=lang)
    if technology and mbit
    else None
)
if trend is None or trend.empty:
    st.info(t("broadband.chart_empty", lang))
else:
    frame.show_chart(view.trend_chart(trend, snap, lang), lang, key="bb_trend_chart")
st.caption(view.chart_note(snap, segment, lang))

st.subheader(
    t(
        "broadband.technologies",
        lang,
        segment=view.segment_label(segment, lang),
        date=view.release_text(snap, segment, lang),
    )
)
technology_table = view.technology_frame(snap, segment, lang)
frame.show_table(technology_table, lang, key="bb_technology_table")
frame.csv_download(
    technology_table, f"kek-geo-breitband-technologien-{segment}.csv", key="bb_tech_csv"
)
st.caption(t("broadband.technologies_note", lang))

mobile = view.mobile_frame(snap, lang)
if not mobile.empty:
    st.subheader(t("broadband.mobile", lang, date=view.mobile_date(snap, lang)))
    frame.show_table(mobile, lang, key="bb_mobile_table")
    st.caption(t("broadband.mobile_note", lang))
