"""Über die Daten: every layer with source, date, licence and method; what is missing."""

import streamlit as st

from kek_geo.datatext import date_text, note_text
from kek_geo.i18n import fmt_number, md_escape, pick, t
from kek_geo.imports import import_status, problem_text
from kek_geo.manifest import source_notes
from kek_geo.missing import MISSING, covered
from kek_geo.ui import cache, frame

frame.planner_only()

lang = frame.lang()
snap = cache.snapshot()
settings = cache.settings()

st.title(t("about.title", lang))
st.write(t("about.intro", lang))
for note in source_notes(snap.manifest, snap.manifest["sources"], lang):
    st.warning(note)

st.header(t("about.layers", lang))
for name in snap.manifest["layers"]:
    rec = snap.record(name)
    notes = source_notes(snap.manifest, rec.sources, lang)
    source_names = ", ".join(snap.manifest["sources"][k]["name"] for k in rec.sources)
    date = date_text(rec.data_date, lang)
    state = date if rec.available else t("about.not_available", lang)
    with st.expander(f"{pick(lang, rec.title_de, rec.title_en)} · {state}"):
        st.markdown(
            f"**{t('about.source', lang)}:** {source_names}  \n"
            f"**{t('about.date', lang)}:** {date}  \n"
            f"**{t('about.licence', lang)}:** {rec.licence}  \n"
            f"**{t('about.credit', lang)}:** {rec.attribution}  \n"
            f"**{t('about.features', lang)}:** {fmt_number(rec.feature_count, 0, lang)}"
        )
        st.markdown(f"**{t('about.method', lang)}:** {pick(lang, rec.method_de, rec.method_en)}")
        for note in notes:
            st.warning(note)
        if rec.notes:
            st.markdown(f"**{t('about.notes', lang)}:**")
            for note in rec.notes:
                st.markdown(f"- {note_text(note, lang)}")
        st.caption(f"{t('about.files', lang)}: " + ", ".join(rec.source_files))

st.header(t("about.imports", lang))
st.write(t("about.imports_intro", lang))
statuses = import_status(snap)
for status in statuses:
    if status.imported:
        state = t("about.imported", lang)
    else:
        state = t("about.damaged" if status.problem else "about.not_imported", lang)
    st.markdown(f"**{pick(lang, status.title_de, status.title_en)}**: {state}")
    if status.problem is not None:
        st.error(problem_text(status.problem, lang), icon=":material/error:")
    # the details come from imported files: shown literally, never as Markdown or HTML
    for line in status.details:
        st.caption(md_escape(line))
    if status.attribution:
        st.caption(f"{t('about.credit', lang)}: {md_escape(status.attribution)}")

st.header(t("about.missing", lang))
st.write(t("about.missing_intro", lang))
imported = {s.key for s in statuses if s.imported} | covered(snap.manifest)
for item in (m for m in MISSING if m.key not in imported):
    st.markdown(
        f"**{item.title(lang)}** – {item.why(lang)}  \n{t('about.how', lang)}: {item.how(lang)}"
    )

st.header(t("about.sources", lang))
for src in snap.manifest["sources"].values():
    st.markdown(
        f"- **{src['name']}** ({src['publisher']}), {date_text(src['data_date'], lang)}. "
        f"{t('about.licence', lang)}: [{src['licence']}]({src['licence_url']}). "
        f"{t('about.credit', lang)}: „{src['attribution']}“"
    )

st.header(t("about.basemap", lang))
if settings.tiles_url:
    st.write(
        t("about.basemap_on", lang, attribution=settings.tiles_attribution or settings.tiles_url)
    )
else:
    st.write(t("about.basemap_off", lang))
