"""The Breitband page with Streamlit's AppTest: map, tables, chart and their widgets."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.helpers import ROOT, show_page, shown_map

APP = str(ROOT / "app.py")
PAGE = "pages/broadband.py"


def run_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    show_page(at, PAGE)
    assert not at.exception, [e.message for e in at.exception]
    return at


def map_script(at: AppTest) -> str:
    maps = at.get("component_instance")
    assert len(maps) == 1
    return str(shown_map(maps[0]))


def chart_data(at: AppTest) -> str:
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1
    return str(charts[0].proto.datasets)


def test_page_renders_map_tables_chart_and_data_date() -> None:
    at = run_page()
    assert at.title[0].value == "Breitband"
    assert not at.error
    assert "gemeinde_ags" in map_script(at)
    info = " ".join(i.value for i in at.info)
    assert "Stand der Breitbanddaten: Mitte 2021" in info
    assert "Über die Daten" in info and "kek-geo" not in info  # commands on the data page
    subheaders = [s.value for s in at.subheader]
    assert "Weiße und graue Flecken: betroffene Haushalte (Mitte 2021)" in subheaders
    assert any(s.startswith("Mobilfunk") for s in subheaders)
    # indicator table, gap classes, technologies, mobile coverage
    assert len(at.dataframe) == 4
    indicators, gaps, technologies, _mobile = (d.value for d in at.dataframe)
    assert len(indicators) == 10 and indicators.iloc[-1, 0] == "Kreis Herford"
    assert gaps.iloc[-1]["Weißer Fleck < 30 Mbit/s: Haushalte"] > 0
    assert "Kabel (CATV) ≥ 1.000 Mbit/s (%)" in technologies.columns
    assert len(at.get("vega_lite_chart")) == 1
    assert any("Breitbandatlas" in c.value for c in at.caption)
    # the bandwidth classes are fixed by definition: no threshold sliders on this page
    assert len(at.slider) == 0


def test_switching_the_indicator_changes_the_table_and_the_map() -> None:
    at = run_page()
    before = at.dataframe[0].value
    script_before = map_script(at)
    assert list(before.columns)[1] == "Haushalte mit ≥ 30 Mbit/s (%)"
    at.selectbox(key="broadband_indicator").set_value("bb_not_gigabit_households").run()
    assert not at.exception
    after = at.dataframe[0].value
    assert list(after.columns)[1] == "Haushalte ohne Gigabit (< 1.000 Mbit/s, geschätzt) (Haush.)"
    # ranked by the chosen indicator: Herford has the most households without gigabit
    assert after.iloc[0, 0] == "Herford"
    assert before.iloc[0, 0] == "Hiddenhausen"
    assert map_script(at) != script_before


def test_segment_technology_and_bandwidth_change_chart_and_technology_table() -> None:
    at = run_page()
    chart_before = chart_data(at)
    tech_before = at.dataframe[2].value
    assert at.selectbox(key="bb_technology").options[0] == "alle Technologien"
    at.selectbox(key="bb_segment").set_value("commercial_areas").run()
    assert not at.exception
    # no "all technologies" in the municipal files for commercial areas: wired instead
    assert at.selectbox(key="bb_technology").value == "wired"
    assert "alle Technologien" not in at.selectbox(key="bb_technology").options
    assert at.selectbox(key="bb_mbit").value == 1000
    assert chart_data(at) != chart_before
    tech_after = at.dataframe[2].value
    assert not tech_after.equals(tech_before)
    assert any("Gewerbegebiete" in s.value for s in at.subheader)
    chart_commercial = chart_data(at)
    at.selectbox(key="bb_mbit").set_value(30).run()
    assert not at.exception
    assert chart_data(at) != chart_commercial
    at.selectbox(key="bb_technology").set_value("dsl").run()
    assert not at.exception
    assert at.selectbox(key="bb_mbit").value == 30  # still offered for DSL


def test_english() -> None:
    at = run_page()
    at.toggle(key="lang_en").set_value(True).run()
    assert not at.exception
    assert at.title[0].value == "Broadband"
    assert any("Broadband data as of mid 2021" in i.value for i in at.info)
    assert at.dataframe[1].value.columns[0] == "Municipality"
