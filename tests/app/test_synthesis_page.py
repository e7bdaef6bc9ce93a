"""The Gesamtbild page renders, explains its criteria and reacts to its thresholds."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from tests.helpers import ROOT, show_page, shown_map

APP = str(ROOT / "app.py")
PAGE = "pages/synthesis.py"


def run_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    show_page(at, PAGE)
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_synthesis_page_renders_map_criteria_and_gap_table() -> None:
    at = run_page()
    assert at.title[0].value == "Gesamtbild"
    maps = at.get("component_instance")
    assert len(maps) == 1
    script = shown_map(maps[0])
    assert "n_gaps" in script
    assert any(s.value == "Die drei Kriterien" for s in at.subheader)
    assert any("Im Umkreis von 600 m" in m.value for m in at.markdown)
    gaps = at.dataframe[1].value
    assert len(gaps) == 10
    assert gaps.iloc[-1, 0] == "Kreis Herford"
    assert "Haltestelle > 600 m, Bahnhof > 1,2 km: Zellen" in gaps.columns
    assert any("Kombination" in i.value for i in at.info)
    assert any("Schnelles Internet" in m.value for m in at.markdown)


def test_changing_the_stop_radius_changes_table_criteria_and_map() -> None:
    at = run_page()
    before = at.dataframe[0].value
    script_before = shown_map(at.get("component_instance")[0])
    base_before = json.loads(at.get("component_instance")[0].proto.json_args)["script"]
    at.slider(key="synthesis_syn_stop_m").set_value(300.0).run()
    assert not at.exception, [e.message for e in at.exception]
    after = at.dataframe[0].value
    column = "Zellen mit mehreren Lücken (Zellen)"
    kreis_before = before.set_index(before.columns[0]).loc["Kreis Herford", column]
    kreis_after = after.set_index(after.columns[0]).loc["Kreis Herford", column]
    assert kreis_after > kreis_before
    assert any("Im Umkreis von 300 m" in m.value for m in at.markdown)
    assert "Haltestelle > 300 m, Bahnhof > 1,2 km: Zellen" in at.dataframe[1].value.columns
    script_after = shown_map(at.get("component_instance")[0])
    assert script_after != script_before
    # the map keeps its frame: only the cells drawn over it changed
    base_after = json.loads(at.get("component_instance")[0].proto.json_args)["script"]
    assert base_after == base_before


def test_english_page() -> None:
    at = run_page()
    at.toggle(key="lang_en").set_value(True).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "Overall picture"
    assert any("no stop within 600 m" in m.value for m in at.markdown)
