"""The Bildung page renders, reacts to its thresholds and shows the schools by type."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.helpers import ROOT, show_page, shown_map

APP = str(ROOT / "app.py")
PAGE = "pages/education.py"


def run_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    show_page(at, PAGE)
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_education_page_renders_map_and_tables() -> None:
    at = run_page()
    assert at.title[0].value == "Bildung"
    maps = at.get("component_instance")
    assert len(maps) == 1
    script = shown_map(maps[0])
    assert "Sozialindex" in script and "Grundschule" in script
    indicators = at.dataframe[0].value
    assert len(indicators) == 10
    assert indicators.iloc[-1, 0] == "Kreis Herford"
    types = at.dataframe[1].value
    assert types.iloc[-1]["Grundschule"] == 43
    assert types.iloc[-1]["Schulen gesamt"] == 81
    assert any("Förderschulen" in c.value for c in at.caption)


def test_changing_the_near_radius_changes_the_table() -> None:
    at = run_page()
    before = at.dataframe[0].value
    at.slider(key="education_edu_primary_near_m").set_value(500.0).run()
    assert not at.exception, [e.message for e in at.exception]
    after = at.dataframe[0].value
    column = "Kinder unter 10 (Zensus 2011) nah an einer Grundschule (%)"
    kreis_before = before.set_index(before.columns[0]).loc["Kreis Herford", column]
    kreis_after = after.set_index(after.columns[0]).loc["Kreis Herford", column]
    assert kreis_after < kreis_before


def test_changing_the_hotspot_minimum_changes_the_map() -> None:
    at = run_page()
    at.selectbox(key="education_indicator").set_value("edu_children_far_hotspots").run()
    script_before = shown_map(at.get("component_instance")[0])
    at.slider(key="education_edu_hotspot_children_min").set_value(5.0).run()
    assert not at.exception, [e.message for e in at.exception]
    script_after = shown_map(at.get("component_instance")[0])
    assert script_after != script_before
    assert "mind. 5," in script_after
