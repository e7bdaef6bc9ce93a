"""Hinweise moderieren: planners approve, hide and re-categorise citizen notes."""

import streamlit as st

from kek_geo.i18n import md_escape, t
from kek_geo.notes.model import STATUSES, label
from kek_geo.ui import frame
from kek_geo.ui import moderation as mod
from kek_geo.ui.notes import gemeinde_names

frame.planner_only()
lang = frame.lang()
st.title(t("moderation.title", lang))
st.write(t("moderation.intro", lang))
moderator = mod.sign_in(lang)
if moderator is None:
    st.stop()

info, out = st.columns([4, 1], vertical_alignment="center")
info.caption(t("moderation.signed_in", lang, name=md_escape(moderator)))
if out.button(t("moderation.sign_out", lang), key="moderation_sign_out"):
    mod.sign_out()
    st.rerun()
if flash := st.session_state.pop("moderation_flash", None):
    st.success(flash)

names = gemeinde_names()
status_col, place_col = st.columns(2)
status = status_col.segmented_control(
    t("moderation.status", lang),
    ["neu", "freigegeben", "verborgen", "alle"],
    default="neu",
    format_func=lambda k: t("moderation.all", lang) if k == "alle" else label(STATUSES, k, lang),
    key="moderation_status",
)
place = place_col.selectbox(
    t("moderation.gemeinde", lang),
    ["", *names],
    format_func=lambda a: names.get(a, t("moderation.all_gemeinden", lang)),
    key="moderation_gemeinde",
)
statuses = None if status in (None, "alle") else {status}
refresh = st.button(t("moderation.refresh", lang), key="moderation_refresh")
notes = mod.shown_notes(statuses, place or None, refresh)

if not notes:
    st.info(t("moderation.none", lang))
else:
    table = mod.editable_table(notes, lang)
    edited = st.data_editor(
        table,
        column_config=mod.column_config(lang),
        disabled=mod.read_only_columns(lang),
        key=f"moderation_table_{mod.view_version()}",
        hide_index=True,
        use_container_width=True,
    )
    if st.button(t("moderation.save", lang), key="moderation_save", type="primary"):
        changed = mod.apply_changes(mod.changes(table, edited, lang), moderator)
        st.session_state["moderation_flash"] = t("moderation.saved", lang, n=changed)
        st.session_state.pop(mod.VIEW_KEY, None)  # read the filter again after saving
        st.rerun()
    with st.expander(t("moderation.history", lang)):
        by_id = {n.id: n for n in notes}
        chosen = st.selectbox(
            t("moderation.history", lang),
            list(by_id),
            format_func=lambda i: mod.note_choice_label(by_id[i], lang),
            key="moderation_history_note",
            label_visibility="collapsed",
        )
        history = mod.history_table(chosen, lang)
        if history.empty:
            st.caption(t("moderation.history_none", lang))
        else:
            frame.show_table(history, lang)

mod.downloads(lang)
