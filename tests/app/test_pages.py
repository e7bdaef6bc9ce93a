"""Every page renders with Streamlit's AppTest, and the overview reacts to its widgets."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from kek_geo.pages import pages_for
from kek_geo.settings import KREIS_AGS
from tests.helpers import ROOT, show_page

PLANNER = pages_for("planner")
APP = str(ROOT / "app.py")


def run_app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    if page:
        show_page(at, page)
    else:
        at.run()  # what the map frame's "drawn" report does (kek_geo.ui.map_first)
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("page", [p.path for p in PLANNER], ids=[p.url_path for p in PLANNER])
def test_every_page_renders(page: str) -> None:
    at = run_app(page)
    assert at.title, page
    assert not at.error, [e.value for e in at.error]


def test_overview_shows_map_table_and_key_figures() -> None:
    at = run_app()
    assert at.title[0].value == "Übersicht"
    maps = at.get("component_instance")
    assert len(maps) == 1
    args = json.loads(maps[0].proto.json_args)
    assert "/app/static/leaflet/leaflet.js" in args["js_links"]
    assert "gemeinde_ags" in args["script"]
    table = at.dataframe[0].value
    assert len(table) == 10
    assert table.iloc[-1, 0] == "Kreis Herford"
    assert "254.008 Einw." in at.markdown[-1].value or any(
        "254.008" in m.value for m in at.markdown
    )
    assert any("Quellen:" in c.value and "GeoBasis-DE" in c.value for c in at.caption)


def test_key_figures_show_their_data_date() -> None:
    at = run_app()
    figures = next(m.value for m in at.markdown if "| Kennzahl |" in m.value)
    # every figure carries a mark, and the line under the table names each mark's date
    assert "| Haushalte mit Gigabit⁴ | 64,6 % |" in figures
    assert "| Anteil 65 Jahre und älter (2022)³ | 22,6 % |" in figures
    assert "Stand: ¹ Zensus 2022 (15.05.2022) · ² Zensus 2022 (15.05.2022), Zensus 2011" in figures
    assert "⁴ Breitbandatlas Mitte 2021" in figures
    assert any(c.value.startswith("Stand der Daten") for c in at.caption)


def test_demography_shows_ageing_map_and_both_years() -> None:
    at = run_app("pages/demography.py")
    maps = at.get("component_instance")
    assert len(maps) == 2
    ageing = json.loads(maps[1].proto.json_args)["script"]
    # each 1 km cell's tooltip gives both years and the change in points
    assert '"Anteil 65+ 2022", "Anteil 65+ 2011"' in ageing
    assert "%-Pkt." in ageing
    columns = list(at.dataframe[0].value.columns)
    assert "Anteil unter 15 Jahre (2022) (%)" in columns
    assert "Anteil unter 18 Jahre (2011) (%)" in columns
    assert any("235 Zellen mit mindestens 200 Einwohnern" in c.value for c in at.caption)
    # the chart's INKAR figure and the table's census figure are each named with their date
    assert any("INKAR, Stand 31.12." in c.value and "15.05.2022" in c.value for c in at.caption)
    at.slider(key="demography_ageing_min_pop").set_value(500.0).run()
    assert not at.exception
    assert any("mindestens 500 Einwohnern" in c.value for c in at.caption)


def test_switching_the_indicator_changes_the_table_and_the_map() -> None:
    at = run_app()
    before = at.dataframe[0].value
    script_before = json.loads(at.get("component_instance")[0].proto.json_args)["script"]
    at.selectbox(key="ov_indicator").set_value("gigabit_households").run()
    assert not at.exception
    after = at.dataframe[0].value
    assert list(after.columns)[1] == "Haushalte mit Gigabit (%)"
    assert list(before.columns)[1] == "Einwohner (Einw.)"
    # ranked by the chosen indicator: Löhne has the highest gigabit share, Rödinghausen the lowest
    assert after.iloc[0, 0] == "Löhne"
    assert after.iloc[8, 0] == "Rödinghausen"
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    # the map is drawn once; another indicator recolours it in place (its overlay script)
    assert args["script"] == script_before
    assert "Haushalte mit Gigabit (%)" in args["feature_group"]
    assert "Haushalte mit Gigabit" not in script_before


def test_choosing_a_municipality_in_the_list_shows_its_figures() -> None:
    at = run_app()
    at.selectbox(key="ov_gemeinde").set_value("05758028").run()
    assert not at.exception
    assert any("Rödinghausen" in h.value for h in at.subheader)
    figures = "\n".join(m.value for m in at.markdown)
    assert "9.962 Einw." in figures and "254.008 Einw." in figures


def test_overlays_can_be_switched_off() -> None:
    at = run_app()
    at.pills(key="ov_overlays").set_value([]).run()
    assert not at.exception
    script = json.loads(at.get("component_instance")[0].proto.json_args)["script"]
    assert "Bushaltestellen" not in script
    caption = " ".join(c.value for c in at.caption)
    assert "DB InfraGO" not in caption


def test_english_toggle() -> None:
    at = run_app()
    at.toggle(key="lang_en").set_value(True).run()
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert at.dataframe[0].value.columns[0] == "Municipality"
    assert any("254,008" in m.value for m in at.markdown)


def test_about_page_lists_every_layer_and_what_is_missing() -> None:
    at = run_app("pages/about.py")
    labels = [e.label for e in at.expander]
    assert any("Städte und Gemeinden" in label for label in labels)
    assert any("Haltestellen" in label for label in labels)
    text = "\n".join(m.value for m in at.markdown)
    assert "kek-geo import-gtfs" in text
    assert "dl-de/by-2-0" in text
    assert "© GeoBasis-DE / BKG 2016 (Daten verändert)" in text
    assert KREIS_AGS not in labels
    # the grid's year is stated with its credit, no longer as unverified
    assert "Zensus 2011" in text
    assert not any("ungeprüft" in w.value for w in at.warning)
