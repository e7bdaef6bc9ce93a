"""The Siedlungsstruktur page with Streamlit's AppTest: thresholds, maps, tables."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.helpers import ROOT, show_page, shown_map

APP = str(ROOT / "app.py")
PAGE = "pages/settlement.py"


def run_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    show_page(at, PAGE)
    assert not at.exception, [e.message for e in at.exception]
    return at


def scripts(at: AppTest) -> list[str]:
    return [shown_map(m) for m in at.get("component_instance")]


def test_page_shows_maps_tables_and_method() -> None:
    at = run_page()
    assert at.title[0].value == "Siedlungsstruktur"
    assert not at.error, [e.value for e in at.error]
    # theme map with the settlement cores, and the DEGURBA map
    theme_map, degurba_map = scripts(at)
    assert "Siedlungskern" in theme_map and "gemeinde_ags" in theme_map
    assert "urbaner Cluster" in degurba_map
    table = at.dataframe[0].value
    assert len(table) == 10 and table.iloc[-1, 0] == "Kreis Herford"
    assert "Einwohner außerhalb der Siedlungskerne (%)" in table.columns
    ages = at.dataframe[1].value
    assert "1949–1978 (%)" in ages.columns and len(ages) == 10
    degurba = at.dataframe[2].value
    assert "urbaner Cluster (%)" in degurba.columns
    subheaders = [s.value for s in at.subheader]
    assert "Wie die Siedlungsflächen entstehen" in subheaders
    assert any("kantenbenachbarten Zellen" in m.value for m in at.markdown)
    assert any("Zensus 2022" in c.value for c in at.caption)


def test_core_threshold_changes_the_table() -> None:
    at = run_page()
    column = "Einwohner außerhalb der Siedlungskerne (%)"
    before = at.dataframe[0].value.set_index("Gemeinde")[column]
    at.slider(key="settlement_set_core_patches").set_value(1.0).run()
    assert not at.exception, [e.message for e in at.exception]
    after = at.dataframe[0].value.set_index("Gemeinde")[column]
    # one core instead of three leaves more people outside the cores
    assert (after >= before).all() and (after > before).any()
    assert after["Kreis Herford"] > before["Kreis Herford"]


def test_degurba_threshold_changes_map_and_table() -> None:
    at = run_page()
    map_before = scripts(at)[1]
    assert "urbanes Zentrum (%)" in at.dataframe[2].value.columns
    assert at.dataframe[2].value["urbanes Zentrum (%)"].max() == 0
    at.slider(key="settlement_set_degurba_centre_pop").set_value(45_000.0).run()
    assert not at.exception, [e.message for e in at.exception]
    # Herford's dense core (about 45,500 residents) now counts as an urban centre
    degurba = at.dataframe[2].value.set_index("Gemeinde")
    assert degurba.loc["Herford", "urbanes Zentrum (%)"] > 50
    assert scripts(at)[1] != map_before
    assert at.dataframe[0].value["Einwohner in urbanen Zentren (%)"].max() > 50


def test_english() -> None:
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.toggle(key="lang_en").set_value(True).run()
    show_page(at, PAGE)
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "Settlement structure"
    assert "urban cluster (%)" in at.dataframe[2].value.columns
