"""Szenario bearbeiten: planners place stops and schools, draw building areas, set targets."""

from dataclasses import replace

import streamlit as st

from kek_geo.i18n import fmt_number, md_escape, pick, t
from kek_geo.scenario import geojson
from kek_geo.scenario.geojson import edit_properties
from kek_geo.scenario.model import BANDWIDTHS, SEGMENTS, Scenario, ScenarioError
from kek_geo.ui import cache, frame
from kek_geo.ui import scenario_editor as ed
from kek_geo.ui.mapview import show_map
from kek_geo.ui.store import scenario_store
from kek_geo.views.scenario_editor import EDIT_LABELS, drawn_polygon, make_edit, nearest_stop

frame.planner_only()

lang = frame.lang()
snap = cache.snapshot()
store = scenario_store()
st.title(t("edit.title", lang))
st.write(t("edit.intro", lang))

if "edit_pending_choice" in st.session_state:  # a scenario just saved: select it
    st.session_state["edit_choice"] = st.session_state.pop("edit_pending_choice")
if flash := st.session_state.pop("edit_flash", None):
    st.success(flash)
saved = {row.id: row.name for row in store.list()}
options = ["", *saved]
chosen = st.selectbox(
    t("edit.choose", lang),
    options,
    format_func=lambda sid: saved.get(sid, t("edit.new", lang)),
    key="edit_choice",
)
if st.session_state.get("edit_loaded") != chosen:
    stored = store.get(chosen) if chosen else None
    ed.set_draft(stored if stored is not None else Scenario(name="Neues Szenario"))
    st.session_state["edit_loaded"] = chosen

upload = st.file_uploader(t("edit.upload", lang), type=["geojson", "json"], key="edit_upload")
if upload is not None and st.session_state.get("edit_upload_done") != upload.file_id:
    try:
        loaded = geojson.loads(upload.getvalue(), origin=upload.name)
        if ed.try_edits(loaded, lang):
            ed.set_draft(loaded)
    except ScenarioError as exc:
        st.error(exc.message(lang))
    st.session_state["edit_upload_done"] = upload.file_id

scenario = ed.draft()
left, right = st.columns([3, 2])
with right:
    name = st.text_input(t("edit.name", lang), scenario.name, max_chars=200)
    author = st.text_input(t("edit.author", lang), scenario.author, max_chars=200)
    description = st.text_area(t("edit.description", lang), scenario.description, max_chars=2000)
    kind = st.radio(
        t("edit.kind", lang),
        list(EDIT_LABELS),
        format_func=lambda k: pick(lang, *EDIT_LABELS[k]),
        key="edit_kind",
    )
with left:
    draw = kind in {"building_area", "broadband"}
    value = show_map(
        ed.editor_payload(geojson.dumps(scenario), lang, draw),
        height=520,
        returned_objects=("last_clicked", "last_active_drawing"),
    )
    frame.map_caption(snap, ("gemeinden", "stops", "schools"), cache.settings())
click = ed.clicked_point(value)
polygon = drawn_polygon((value or {}).get("last_active_drawing"))

values: dict[str, object] = {}
stop_id = None
with right:
    if kind in {"add_stop", "add_school", "move_stop", "remove_stop"}:
        if click is None:
            st.caption(t("edit.no_click", lang))
        else:
            st.caption(f"{t('edit.click', lang)}: {click.y:.5f}, {click.x:.5f}")
    if kind == "move_stop":
        names = ed.stop_choices()
        stop_id = st.selectbox(
            t("edit.stop_to_move", lang),
            list(names),
            format_func=lambda sid: names[sid],
            key="edit_move_stop",
        )
    if kind == "remove_stop" and click is not None:
        near = nearest_stop(snap, click.x, click.y)
        if near is None:
            st.caption(t("edit.no_stop", lang))
        else:
            stop_id = near.stop_id
            metres = fmt_number(near.distance_m, 0, lang)
            st.markdown(f"{t('edit.stop', lang)}: **{md_escape(near.name)}** ({metres} m)")
    if kind in {"add_stop", "add_school", "building_area"}:
        values["name"] = st.text_input(
            t("edit.item_name", lang), "", max_chars=200, key="edit_name"
        )
    if kind == "add_stop":
        values["mode"] = st.radio(
            t("edit.mode", lang),
            ["bus", "rail"],
            format_func=lambda m: t(f"mode.{m}", lang),
            horizontal=True,
        )
    if kind == "add_school":
        values["school_type"] = st.selectbox(
            t("edit.school_type", lang),
            ed.SCHOOL_TYPES,
            format_func=lambda s: ed.school_type_label(s, lang),
        )
    if draw:
        st.caption(t("edit.drawn", lang) if polygon is not None else t("edit.draw_hint", lang))
    if kind == "building_area":
        values["dwellings"] = ed.bounded(
            st.number_input(t("edit.dwellings", lang), 1, 20_000, 100, step=10)
        )
    if kind == "broadband":
        areas = ed.gemeinde_choices()
        area_keys = [*areas, ""] if polygon is not None else list(areas)
        values["ags"] = st.selectbox(
            t("edit.area", lang),
            area_keys,
            format_func=lambda a: areas.get(a, t("edit.area_drawn", lang)),
        )
        values["segment"] = st.selectbox(
            t("edit.segment", lang), SEGMENTS, format_func=lambda s: ed.segment_label(s, lang)
        )
        values["bandwidth"] = st.radio(t("edit.bandwidth", lang), BANDWIDTHS, index=1)
        values["target_share"] = st.slider(t("edit.target", lang), 0, 100, 90, step=5)
    if st.button(t("edit.add", lang), type="primary", key="edit_add"):
        try:
            edit = make_edit(kind, click=click, polygon=polygon, stop_id=stop_id, values=values)
            candidate = scenario.with_edits((*scenario.edits, edit))
            if ed.try_edits(candidate, lang):
                ed.set_draft(candidate)
                st.success(t("edit.added", lang, n=len(candidate.edits)))
                st.rerun()
        except ScenarioError as exc:
            st.error(exc.message(lang))

scenario = ed.draft()
st.subheader(t("edit.list", lang))
if not scenario.edits:
    st.caption(t("edit.none", lang))
for pos, edit in enumerate(scenario.edits, start=1):
    props = edit_properties(edit)
    text = ", ".join(f"{k}: {v}" for k, v in props.items() if k != "edit" and v != "")
    row_text, row_button = st.columns([6, 1])
    row_text.markdown(f"{pos}. **{pick(lang, *EDIT_LABELS[edit.kind])}** – {md_escape(text)}")
    if row_button.button(t("edit.delete", lang), key=f"edit_delete_{pos}"):
        ed.set_draft(scenario.with_edits(scenario.edits[: pos - 1] + scenario.edits[pos:]))
        st.rerun()

final = replace(scenario, name=name.strip() or "Szenario", description=description, author=author)
save_col, download_col = st.columns(2)
if save_col.button(t("edit.save", lang), key="edit_save") and ed.try_edits(final, lang):
    stored = store.save(final)
    ed.set_draft(stored)
    st.session_state["edit_loaded"] = stored.id
    st.session_state["edit_pending_choice"] = stored.id
    st.session_state["edit_flash"] = t("edit.saved", lang, id=stored.id)
    st.rerun()
download_col.download_button(
    t("edit.download", lang),
    geojson.dumps(final).encode("utf-8"),
    file_name="kek-geo-szenario.geojson",
    mime="application/geo+json",
    key="edit_download",
)
