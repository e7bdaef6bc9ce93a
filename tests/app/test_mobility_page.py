"""The Mobilität page with Streamlit's AppTest: without and with an imported timetable."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from kek_geo.analysis.gtfs import import_gtfs
from kek_geo.settings import KREIS_AGS
from tests.helpers import ROOT, show_page, shown_map
from tests.test_gtfs import build_gtfs_zip

APP = str(ROOT / "app.py")
PAGE = "pages/mobility.py"
STOP_SHARE = "Einwohner nahe Haltestelle (%)"


def open_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    show_page(at, PAGE)
    assert not at.exception, [e.message for e in at.exception]
    return at


def map_scripts(at: AppTest) -> list[str]:
    return [shown_map(m) for m in at.get("component_instance")]


def shows(script: str, text: str) -> bool:
    """Whether a map script contains a text (non-ASCII letters are escaped there)."""
    return json.dumps(text)[1:-1] in script


def test_page_renders_map_table_and_the_missing_feed() -> None:
    at = open_page()
    assert at.title[0].value == "Mobilität"
    assert not at.error
    scripts = map_scripts(at)
    assert len(scripts) == 1  # no class map without a timetable
    assert shows(scripts[0], "ÖV-Lücken: Einwohner je Hektar (geschätzt)")
    assert shows(scripts[0], "Bahnhofskategorie")
    table = at.dataframe[0].value
    assert len(table) == 10 and table.iloc[-1, 0] == "Kreis Herford"
    assert STOP_SHARE in table.columns
    captions = " ".join(c.value for c in at.caption)
    assert "Entfernungen: Luftlinie" in captions
    assert "außerhalb jedes Einzugsbereichs" in captions
    assert any("20 Abfahrten" in i.value for i in at.info)
    warning = " ".join(w.value for w in at.warning)
    assert "Kein Fahrplan importiert" in warning and "„Über die Daten“" in warning
    assert "kek-geo" not in warning


def test_threshold_slider_changes_table_and_map() -> None:
    at = open_page()
    before = at.dataframe[0].value.set_index("Gemeinde")
    script_before = map_scripts(at)[0]
    at.slider(key="mobility_mob_stop_radius_m").set_value(300.0).run()
    assert not at.exception
    after = at.dataframe[0].value.set_index("Gemeinde")
    # a smaller radius leaves fewer residents near a stop and more cells in the gaps
    assert (after[STOP_SHARE].sort_index() < before[STOP_SHARE].sort_index()).all()
    assert map_scripts(at)[0] != script_before
    assert any("weiter als 300 m" in c.value for c in at.caption)


NEAR_SHARE = "Einwohner sehr nahe Haltestelle (%)"


def test_short_walk_is_never_longer_than_the_walk_and_defaults_come_back() -> None:
    at = open_page()
    # a "short walk" of 1,000 m beside a "walk" of 300 m would make "very near" exceed "near"
    at.slider(key="mobility_mob_stop_radius_m").set_value(300.0).run()
    at.slider(key="mobility_mob_stop_near_m").set_value(1000.0).run()
    assert not at.exception
    table = at.dataframe[0].value.set_index("Gemeinde")
    assert (table[NEAR_SHARE] <= table[STOP_SHARE]).all()
    assert (table[NEAR_SHARE] == table[STOP_SHARE]).all()  # both at 300 m
    assert any("gilt mit 300 m: nicht weiter als" in c.value for c in at.caption)
    # the button restores every default
    at.button(key="mobility_reset").click().run()
    assert at.slider(key="mobility_mob_stop_radius_m").value == 600.0
    assert at.slider(key="mobility_mob_stop_near_m").value == 300.0
    assert not any("nicht weiter als" in c.value for c in at.caption)


def test_departures_slider_is_disabled_without_a_timetable() -> None:
    at = open_page()
    slider = at.slider(key="mobility_mob_min_departures")
    assert slider.disabled
    assert "Ohne importierten Fahrplan ohne Wirkung" in str(slider.help)
    assert not at.slider(key="mobility_mob_stop_radius_m").disabled


def test_english_page() -> None:
    at = open_page()
    at.toggle(key="lang_en").set_value(True).run()
    assert not at.exception
    assert at.title[0].value == "Mobility"
    assert any("No timetable imported" in w.value for w in at.warning)


@pytest.fixture
def with_feed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An imported test feed; the app's caches are cleared before and after."""
    imports = tmp_path / "imports"
    import_gtfs(build_gtfs_zip(tmp_path / "feed.zip"), imports, ROOT / "geodata")
    monkeypatch.setenv("KEK_IMPORTS_DIR", str(imports))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield imports
    monkeypatch.delenv("KEK_IMPORTS_DIR")
    st.cache_resource.clear()
    st.cache_data.clear()


def test_page_with_a_timetable_shows_quality_classes(with_feed: Path) -> None:
    at = open_page()
    assert not at.warning
    assert not at.slider(key="mobility_mob_min_departures").disabled
    scripts = map_scripts(at)
    assert len(scripts) == 2
    assert shows(scripts[1], "ÖV-Güteklasse") and shows(scripts[1], "Herford Bf")
    main = at.dataframe[0].value.set_index("Gemeinde")
    # Herford has residents within reach of the test stations; the class columns are filled
    assert main.loc["Herford", "Einwohner ohne ÖV-Güteklasse (%)"] < 100
    assert main["Deutschlandatlas-Kriterium erfüllt (%)"].notna().all()
    classes = at.dataframe[1].value
    assert len(classes) == 10 and classes.index[-1] == KREIS_AGS
    assert list(classes.columns)[-1] == "keine Klasse (%)"
    shares = classes.drop(columns="Gemeinde").sum(axis=1)
    assert shares.tolist() == pytest.approx([100.0] * 10, abs=0.5)
    stations = at.dataframe[2].value
    assert stations.iloc[0]["Station"] == "Herford Bf"
    # 46 departures per direction: 840 / 46 = 18.3 min, rail -> category II
    assert stations.iloc[0]["Abfahrten je Richtung 06–20 Uhr"] == 46
    assert stations.iloc[0]["Kategorie"] == "II"
    captions = " ".join(c.value for c in at.caption)
    assert "Stichtag 2025-01-08 (Mittwoch" in captions
