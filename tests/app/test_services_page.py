"""The Daseinsvorsorge page on the shipped snapshot: what it shows without OpenStreetMap."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.helpers import ROOT, show_page

APP = str(ROOT / "app.py")


def test_without_osm_the_page_points_to_the_data_page_and_shows_schools_and_stops() -> None:
    at = AppTest.from_file(APP, default_timeout=90).run()
    show_page(at, "pages/services.py")
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "Daseinsvorsorge"
    info = "\n".join(i.value for i in at.info)
    assert "Supermärkte, Hausärzte und Apotheken fehlen" in info
    # how to fetch them is on "Über die Daten", not on the theme page
    assert "„Über die Daten“" in info and "kek-geo" not in info
    # only the indicators with data are offered for the map
    options = at.selectbox(key="services_indicator").options
    assert options == [
        "Einwohner mit Grundschule in der Nähe",
        "Einwohner mit Haltestelle in der Nähe",
    ]
    table = at.dataframe[0].value
    assert len(table) == 10
    supermarket = "Einwohner mit Supermarkt in der Nähe (%)"
    assert table[supermarket].isna().all() or (table[supermarket] == "–").all()
    assert not any("Einrichtungen je Gemeinde" in s.value for s in at.subheader)


def test_the_page_in_english() -> None:
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.toggle(key="lang_en").set_value(True).run()
    show_page(at, "pages/services.py")
    assert not at.exception
    assert at.title[0].value == "Everyday services"
    assert "Supermarkets, GPs and pharmacies are missing" in "\n".join(i.value for i in at.info)
