"""The Szenarien page: the example compared with today, the stable URL, an unknown id."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.helpers import ROOT, show_page

PAGE = "pages/scenarios.py"
EXAMPLE_ID = "6f1c7c1e-8a4b-4c1e-9a56-2f0d3b7e1a01"


def open_page(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    for k, v in (query or {}).items():
        at.query_params[k] = v
    show_page(at, PAGE)
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_example_is_compared_in_plain_figures() -> None:
    at = open_page()
    assert at.title[0].value == "Szenarien"
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert (
        "Einwohner: Kreis +274 Einw. (von 254.008 auf 254.282 Einw.), am stärksten in Enger" in text
    )
    assert "Haushalte mit Gigabit: Kreis +3,5 Prozentpunkte" in text
    assert len(at.get("component_instance")) == 3  # Basis, Szenario, Unterschied
    table = at.dataframe[0].value
    assert list(table.columns) == ["Gemeinde", "Basis (heute)", "Szenario", "Änderung"]
    enger = table[table["Gemeinde"] == "Enger"].iloc[0]
    assert enger["Änderung"] == "+274 Einw."
    assert at.selectbox(key="scenario_choice").value == EXAMPLE_ID


def test_indicator_choice_redraws_the_maps() -> None:
    at = open_page()
    at.selectbox(key="scenario_indicator").set_value("gigabit_households").run()
    assert not at.exception
    table = at.dataframe[0].value
    roed = table[table["Gemeinde"] == "Rödinghausen"].iloc[0]
    assert roed["Szenario"] == "95,0 %"


def test_stable_url_is_read_only() -> None:
    at = open_page({"szenario": EXAMPLE_ID})
    assert not [s for s in at.selectbox if s.key == "scenario_choice"]
    assert at.subheader[0].value.replace("\\", "").startswith("Beispiel: Spenge-Nord")


def test_unknown_id_is_named() -> None:
    at = open_page({"szenario": "nope"})
    assert at.error and "Kein gespeichertes Szenario" in at.error[0].value


def test_the_scenario_can_be_exported_for_any_theme() -> None:
    at = open_page()
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"Kartenblatt PDF", "Kartenblatt PNG", "Tabelle XLSX", "Ebenen GeoPackage"} <= set(
        labels
    )
    at.selectbox(key="scenario_export_theme").set_value("broadband").run()
    at.selectbox(key="scenario_export_area").set_value("05758028").run()
    assert not at.exception
