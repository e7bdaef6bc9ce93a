"""Method sheets: read from the registry and the manifest, on the page and as a PDF."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from kek_geo.cli import main
from kek_geo.indicators import REGISTRY, indicators_for
from kek_geo.methods import method_sheet, methods_pdf, sheet_markdown
from kek_geo.snapshot import Snapshot
from tests.helpers import ROOT, show_page


def test_a_sheet_names_thresholds_data_dates_licences_and_limits(snapshot: Snapshot) -> None:
    sheet = method_sheet(snapshot, REGISTRY["mob_stop_pop"], "de")
    assert sheet.name == "Einwohner nahe Haltestelle"
    assert sheet.method.startswith("Anteil der Einwohner in Zellen")
    assert sheet.direction == "höher ist besser"
    (threshold,) = sheet.thresholds
    assert threshold.startswith("Fußweg zur Haltestelle: 600 m (Vorgabe; Deutschlandatlas")
    # exactly the layers the indicator reads, with their records
    titles = {d.title for d in sheet.data}
    assert titles == {
        "Haltestellen",
        "Bahnhöfe",
        "100-m-Gitter (Zensus 2011; Einwohner 2022 geschätzt)",
    }
    stops = next(d for d in sheet.data if d.title == "Haltestellen")
    assert stops.licence == "CC BY 4.0 + ODbL 1.0; CC BY 4.0"
    assert "DB InfraGO" in stops.credit and stops.data_date.startswith("10/2025")
    limits = [n for d in sheet.data for n in d.notes]
    assert any("±13 Personen" in n for n in limits)  # the 2022 grid's perturbation
    text = sheet_markdown(sheet, "de")
    assert "**Schwellenwerte:**" in text and "`mob_stop_pop`" in text
    english = method_sheet(snapshot, REGISTRY["mob_stop_pop"], "en")
    assert english.direction == "higher is better" and english.data[0].title != ""
    neutral = method_sheet(snapshot, REGISTRY["population"], "de")
    assert neutral.direction.startswith("neutral") and neutral.thresholds == ()


def test_the_pdf_has_a_page_per_indicator(snapshot: Snapshot) -> None:
    inds = indicators_for("education")
    data = methods_pdf([method_sheet(snapshot, i, "de") for i in inds], "de")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == len(inds) == 5
    first = reader.pages[0].extract_text()
    assert inds[0].name("de") in first
    assert "Schwellenwerte" in first and "Lizenz" in first and "Definition und Berechnung" in first


def test_the_command_line_and_the_page(tmp_path: Path, snapshot: Snapshot) -> None:
    out = tmp_path / "methoden.pdf"
    assert main(["methods", "--theme", "breitband", "--out", str(out)]) == 0
    assert len(PdfReader(out).pages) == len(indicators_for("broadband"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    show_page(at, "pages/methods.py")
    at.selectbox(key="methods_theme").set_value("education").run()
    assert not at.exception
    assert at.subheader[0].value == indicators_for("education")[0].name("de")
    assert any("Schulliste" in m.value or "Grundschule" in m.value for m in at.markdown)
    assert at.get("download_button")
