"""Szenarien: a scenario compared with today, in plain figures, side by side and as a difference."""

import streamlit as st

from kek_geo.district import municipality_names
from kek_geo.i18n import md_escape, pick
from kek_geo.indicators import REGISTRY
from kek_geo.scenario import geojson
from kek_geo.scenario.compare import delta_table
from kek_geo.scenario.model import ScenarioError
from kek_geo.ui import cache, frame
from kek_geo.ui import scenarios as ui
from kek_geo.ui.exports import scenario_export_section
from kek_geo.ui.mapview import show_map
from kek_geo.views.scenarios import display_deltas

frame.planner_only()

lang = frame.lang()
snap = cache.snapshot()
st.title(pick(lang, "Szenarien", "Scenarios"))

wanted = st.query_params.get("szenario")
read_only = wanted is not None
if read_only:
    scenario = ui.load(str(wanted))
    if scenario is None:
        st.error(
            pick(
                lang,
                f"Kein gespeichertes Szenario mit der Kennung „{md_escape(str(wanted))}“.",
                f"No saved scenario with the id “{md_escape(str(wanted))}”.",
            )
        )
        st.stop()
else:
    options = ui.choices()
    if not options:
        st.info(
            pick(
                lang,
                "Noch kein Szenario gespeichert. Legen Sie eines unter „Szenario bearbeiten“ an.",
                "No scenario saved yet. Create one under “Edit scenario”.",
            )
        )
        st.stop()
    chosen = st.selectbox(
        pick(lang, "Szenario", "Scenario"),
        list(options),
        format_func=lambda sid: options[sid],
        key="scenario_choice",
    )
    scenario = ui.load(chosen)
    assert scenario is not None

text = geojson.dumps(scenario)
try:
    comp = ui.comparison(text)
except ScenarioError as exc:
    st.error(exc.message(lang))
    st.stop()

st.subheader(md_escape(scenario.name))
meta = [scenario.author, scenario.updated.strftime("%d.%m.%Y")]
st.caption(" · ".join(md_escape(m) for m in meta if m))
if scenario.description:
    st.write(md_escape(scenario.description))
if not read_only:
    st.caption(
        pick(lang, "Fester Link zu diesem Vergleich: ", "Stable link to this comparison: ")
        + f"`?szenario={scenario.id}`"
    )

lines = ui.sentences(text, lang)
SHOWN = 5
if lines:
    st.markdown("\n".join(f"- {md_escape(line)}" for line in lines[:SHOWN]))
    if len(lines) > SHOWN:
        more = pick(lang, f"Alle {len(lines)} Änderungen", f"All {len(lines)} changes")
        with st.expander(more):
            st.markdown("\n".join(f"- {md_escape(line)}" for line in lines[SHOWN:]))
else:
    st.info(pick(lang, "Das Szenario ändert keine Kennzahl.", "The scenario changes no figure."))

keys = list(comp.changed) or ["population"]
key = st.selectbox(
    pick(lang, "Kennzahl für die Karten", "Indicator for the maps"),
    keys,
    format_func=lambda k: REGISTRY[k].name(lang),
    key="scenario_indicator",
)
base_payload, scen_payload, diff_payload = ui.maps(text, key, lang)
st.caption(
    pick(
        lang,
        "Die drei Karten bewegen sich gemeinsam: Verschieben oder Zoomen in einer folgt in allen.",
        "The three maps move together: panning or zooming one moves the others.",
    )
)
left, right = st.columns(2)
with left:
    st.markdown(f"**{pick(lang, 'Basis (heute)', 'Baseline (today)')}**")
    show_map(base_payload, height=420)
with right:
    st.markdown(f"**{pick(lang, 'Szenario', 'Scenario')}**")
    show_map(scen_payload, height=420)
st.markdown(f"**{pick(lang, 'Unterschied', 'Difference')}**")
show_map(diff_payload, height=460)
frame.map_caption(snap, ("gemeinden", "grid_100m", "stops"), cache.settings())

st.subheader(pick(lang, "Änderung je Gemeinde", "Change per municipality"))
frame.show_table(display_deltas(comp, key, lang), lang, key="scenario_deltas")
full = delta_table(comp.baseline, comp.scenario, list(comp.changed) or keys).set_index("ags")
frame.csv_download(full, "kek-geo-szenario-vergleich.csv", key="scenario_csv")
names = municipality_names(comp.baseline)
scenario_export_section(text, lang, names)
