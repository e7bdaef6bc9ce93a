"""Gemeinde-Steckbrief: figures beside the Kreis with ranks, map, broadband, a SWOT draft."""

import streamlit as st

from kek_geo.district import municipality_names, text_values
from kek_geo.i18n import md_escape, t
from kek_geo.indicators import REGISTRY, indicators_for
from kek_geo.notes.summary import by_kind
from kek_geo.profile import DEFAULT_MARGIN, ENTRY_KINDS, figures_frame, key_message, swot_draft
from kek_geo.storage import SwotError, make_entry
from kek_geo.ui import cache, frame, selection, url_state
from kek_geo.ui import profile as ui
from kek_geo.ui.notes import approved_notes
from kek_geo.ui.store import swot_store

frame.planner_only()
lang = frame.lang()
st.title(t("profile.title", lang))
message = st.empty()
st.write(t("profile.intro", lang, **text_values(cache.snapshot(), lang)))
table = ui.table()
names = municipality_names(table)
# the municipality chosen on any page (or in a link) is the one profiled
url_fields = [frame.municipality_field()]
url_state.restore(url_fields)
st.session_state["profile_gemeinde"] = selection.selected() or next(iter(names))
ags = st.selectbox(
    t("profile.municipality", lang),
    list(names),
    format_func=lambda a: names[a],
    key="profile_gemeinde",
    on_change=lambda: selection.choose(st.session_state["profile_gemeinde"]),
)
selection.choose(ags)
frame.publish_view(url_fields)
every = list(REGISTRY.values())
message.markdown(key_message(table, every, ags, lang, cache.indicator_dates(tuple(REGISTRY), lang)))

st.subheader(t("profile.figures", lang))
themes = ["overview", "mobility", "broadband", "education", "settlement", "demography",
          "synthesis"]  # fmt: skip
for tab, theme in zip(st.tabs([t(f"nav.{k}", lang) for k in themes]), themes, strict=True):
    with tab:
        keys = tuple(i.key for i in indicators_for(theme))
        frame.show_table(figures_frame(table, [REGISTRY[k] for k in keys], ags, lang), lang)
        frame.show_chart(ui.rank_chart(keys, ags, lang), lang, key=f"profile_rank_{theme}")
        dates = cache.indicator_dates(keys, lang)
        st.caption(frame.data_dates_caption([REGISTRY[k] for k in keys], lang, dates))

map_col, trend_col = st.columns(2)
with map_col:
    st.subheader(t("profile.map", lang))
    st.image(ui.map_png(ags, lang))
    frame.map_caption(
        cache.snapshot(), ("gemeinden", "settlement_areas", "stops"), cache.settings()
    )
with trend_col:
    st.subheader(t("profile.broadband", lang))
    chart = ui.broadband_trend(ags, lang)
    if chart is not None:
        frame.show_chart(chart, lang, key="profile_broadband")
    st.caption(ui.broadband_note(lang))

st.subheader(t("profile.swot", lang))
margin = st.slider(t("profile.margin", lang), 1.0, 50.0, DEFAULT_MARGIN, 1.0, format="%d",
                   key="profile_margin")  # fmt: skip
st.caption(t("profile.rule", lang, margin=f"{margin:.0f}"))
strengths, weaknesses = swot_draft(table, list(REGISTRY.values()), ags, margin, lang)
entries = swot_store().list(ags)
citizens = by_kind(approved_notes(), ags)
fields = {
    "staerke": (strengths, "staerke"),
    "schwaeche": (weaknesses, "schwaeche"),
    "chance": ([], "idee"),
    "risiko": ([], "risiko"),
}
for column, (kind, (items, note_kind)) in zip(st.columns(4), fields.items(), strict=True):
    with column:
        st.markdown(f"#### {t(ENTRY_KINDS[kind], lang)}")
        if items:
            st.caption(t("profile.from_data", lang))
            st.markdown("\n".join(f"- {md_escape(i.text)}" for i in items))
        own = [e for e in entries if e.kind == kind]
        if own:
            st.caption(t("profile.from_team", lang))
            for entry in own:
                st.markdown(f"- {md_escape(entry.text)} _({md_escape(entry.author)})_")
                if st.button(t("profile.delete", lang), key=f"profile_del_{entry.id}"):
                    swot_store().delete(entry.id)
                    st.rerun()
        if citizens[note_kind]:
            st.caption(t("profile.from_citizens", lang))
            st.markdown("\n".join(f"- {md_escape(n.text)}" for n in citizens[note_kind][:10]))
        if not (items or own or citizens[note_kind]):
            st.caption(t("profile.none", lang))
remarks = [e for e in entries if e.kind == "bemerkung"]
if remarks:
    st.markdown(f"#### {t('profile.remarks', lang)}")
    for entry in remarks:
        st.markdown(f"- {md_escape(entry.text)} _({md_escape(entry.author)})_")

with st.form("profile_add", clear_on_submit=True):
    st.markdown(f"**{t('profile.add', lang)}**")
    kind_col, author_col = st.columns(2)
    kind = kind_col.selectbox(t("profile.add_kind", lang), list(ENTRY_KINDS),
                              index=list(ENTRY_KINDS).index("chance"),
                              format_func=lambda k: t(ENTRY_KINDS[k], lang))  # fmt: skip
    author = author_col.text_input(t("profile.add_author", lang), max_chars=200)
    text = st.text_area(t("profile.add_text", lang), max_chars=1000)
    if st.form_submit_button(t("profile.save", lang), type="primary"):
        try:
            swot_store().add(make_entry(ags, kind, text, author))
            st.success(t("profile.saved", lang))
            st.rerun()
        except SwotError as exc:
            st.error(md_escape(str(exc)))
