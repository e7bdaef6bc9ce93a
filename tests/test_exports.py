"""Exports for council papers: the PDF/PNG map sheet, the XLSX tables, the GeoPackage."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import folium
import geopandas as gpd
import pyogrio
import pytest
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from kek_geo.cli import main
from kek_geo.export import ExportError, export_file, file_name
from kek_geo.export.content import municipality, theme_content
from kek_geo.export.sheet import nice_length, read_layers
from kek_geo.indicators import REGISTRY, compute_table
from kek_geo.maps import polygon_layer
from kek_geo.scenario import geojson
from kek_geo.settings import KREIS_AGS, get_settings
from kek_geo.snapshot import Snapshot
from tests.helpers import ROOT, gdf, square

EXAMPLE = ROOT / "docs" / "scenario-example.geojson"
TODAY = date(2026, 12, 3)


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_sheet_names_theme_place_sources_and_date(snapshot: Snapshot) -> None:
    sheet = export_file(snapshot, "mobilitaet", "Spenge", "pdf", today=TODAY)
    assert sheet.name == "kek-geo-mobilitaet-spenge.pdf"
    assert sheet.mime == "application/pdf"
    pages, text = pdf_text(sheet.data)
    assert pages == 1
    assert "Mobilität – Spenge" in text
    assert "Einwohner nahe Haltestelle (%)" in text  # the map's indicator
    assert "98,5 %" in text and "98,8 %" in text  # Spenge beside the Kreis
    assert "Quellen: © GeoBasis-DE / BKG 2016 (Daten verändert)" in text
    assert "DB InfraGO (CC BY 4.0)" in text  # the stops shown on the map are credited
    assert "Stand der Daten:" in text and "Haltestellen 10/2025" in text
    assert "Erstellt mit KEK Geo am 03.12.2026" in text
    assert "N" in text and "km" in text  # north arrow and scale bar
    reader = PdfReader(io.BytesIO(sheet.data))
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape in points


def test_the_png_sheet_is_a4_landscape_at_150_dpi(snapshot: Snapshot) -> None:
    sheet = export_file(snapshot, "breitband", None, "png", lang="en", today=TODAY)
    assert sheet.name == "kek-geo-breitband-kreis-herford.png"
    image = Image.open(io.BytesIO(sheet.data))
    assert image.size == (1753, 1240)
    assert image.format == "PNG"


def test_the_workbook_has_units_in_headers_and_numbers_as_numbers(snapshot: Snapshot) -> None:
    book = load_workbook(io.BytesIO(export_file(snapshot, "bildung", "Kirchlengern", "xlsx").data))
    values, about = book.worksheets
    assert (values.title, about.title) == ("Kennzahlen", "Quellen und Methoden")
    headers = [c.value for c in values[1]]
    assert headers[:3] == [
        "AGS",
        "Gemeinde",
        "Kinder unter 10 (Zensus 2011) nah an einer Grundschule (%)",
    ]
    rows = {r[0].value: r for r in values.iter_rows(min_row=2, max_row=11)}
    assert len(rows) == 10 and KREIS_AGS in rows
    kirchlengern = rows["05758020"]
    assert kirchlengern[1].value == "Kirchlengern"
    assert isinstance(kirchlengern[2].value, float)
    assert round(kirchlengern[2].value, 1) == 23.5  # full precision stored, shown with 1 digit
    assert kirchlengern[2].number_format == "#,##0.0"
    assert kirchlengern[2].fill.fgColor.rgb.endswith("FCE4F1")  # the chosen row is marked
    assert round(rows[KREIS_AGS][2].value, 1) == 64.4
    methods = [r[0].value for r in about.iter_rows(min_row=2)]
    assert "Startchancen-Schulen" in methods
    assert any(
        "IT.NRW" in str(r[1].value)
        for r in about.iter_rows()
        if r[0].value == "Quellen und Lizenzen"
    )


def test_the_geopackage_round_trips_with_crs_counts_and_credits(
    snapshot: Snapshot, tmp_path: Path
) -> None:
    path = tmp_path / "spenge.gpkg"
    path.write_bytes(export_file(snapshot, "mobilitaet", "Spenge", "gpkg").data)
    layers = dict(pyogrio.list_layers(path))
    assert set(layers) == {"kennzahlen", "gemeinden", "neighbours_display", "grid_100m", "stops",
                           "rail_stations"}  # fmt: skip
    assert layers["rail_stations"] == "Point"  # none lies in Spenge, the type is still known
    figures = gpd.read_file(path, layer="kennzahlen")
    assert figures.crs.to_epsg() == 25832 and len(figures) == 9
    spenge_value = figures.set_index("ags").loc["05758032", "mob_stop_pop"]
    assert round(spenge_value, 1) == 98.5
    stops = gpd.read_file(path, layer="stops")
    spenge = snapshot.geo("gemeinden").set_index("ags").loc["05758032", "geometry"]
    expected = snapshot.geo("stops")
    assert len(stops) == int(expected.intersects(spenge).sum()) > 0
    assert stops.crs.to_epsg() == 25832
    meta = pyogrio.read_info(path, layer="stops")["layer_metadata"]
    assert "CC BY 4.0" in meta["licence"] and "DB InfraGO" in meta["attribution"]
    assert meta["data_date"].startswith("2025-10")


def test_a_scenario_export_says_so_and_shows_its_figures(snapshot: Snapshot) -> None:
    scenario = geojson.read(EXAMPLE)
    sheet = export_file(snapshot, "breitband", "Rödinghausen", "pdf", scenario=scenario)
    _, text = pdf_text(sheet.data)
    assert f"Szenario: {scenario.name}" in text
    today = export_file(snapshot, "breitband", "Rödinghausen", "xlsx")
    planned = export_file(snapshot, "breitband", "Rödinghausen", "xlsx", scenario=scenario)
    assert planned.name.startswith("kek-geo-breitband-rodinghausen-")

    def gigabit(data: bytes) -> float:
        sheet = load_workbook(io.BytesIO(data)).worksheets[0]
        headers = [c.value for c in sheet[1]]
        column = headers.index("Haushalte mit Gigabit (%)")
        row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "05758028")
        return float(row[column].value)

    table = compute_table(snapshot, [REGISTRY["gigabit_households"]])
    assert gigabit(today.data) == table.loc["05758028", "gigabit_households"]  # 0,35 %
    assert gigabit(planned.data) == pytest.approx(95.0)  # the example's target there


def test_names_and_bad_requests(snapshot: Snapshot) -> None:
    assert municipality(snapshot, "löhne") == "05758024"
    assert municipality(snapshot, "05758024") == "05758024"
    assert municipality(snapshot, None) == municipality(snapshot, "Kreis Herford") == KREIS_AGS
    with pytest.raises(ExportError, match="unknown municipality 'Bielefeld'"):
        municipality(snapshot, "Bielefeld")
    with pytest.raises(ExportError, match="unknown theme 'verkehr'"):
        export_file(snapshot, "verkehr", None, "pdf")
    with pytest.raises(ExportError, match="unknown format 'docx'"):
        export_file(snapshot, "bildung", None, "docx")
    assert file_name("mobility", "Bünde", "gpkg") == "kek-geo-mobilitaet-bunde.gpkg"
    assert file_name("siedlung", "Kreis Herford", "pdf", "Groß & neu") == (
        "kek-geo-siedlung-kreis-herford-gross-neu.pdf"
    )


def test_scale_bar_lengths_are_round() -> None:
    # about a fifth of the width, rounded down to 1, 2 or 5 × 10^n
    assert nice_length(23_000) == 2_000  # 4,600 → 2,000
    assert nice_length(9_000) == 1_000  # 1,800 → 1,000
    assert nice_length(60_000) == 10_000  # 12,000 → 10,000
    assert nice_length(3_000) == 500  # 600 → 500


def test_the_sheet_reads_the_page_maps_layers_and_colours() -> None:
    m = folium.Map(tiles=None)
    cells = gdf([{"geometry": square(480_000, 5_780_000, 100), "v": 1}])
    polygon_layer(cells, "Zellen", fill="#ff0000", colour="#0000ff", weight=2.0,
                  fill_opacity=0.5).add_to(m)  # fmt: skip
    (drawn,) = read_layers(m)
    assert not drawn.points and drawn.name == "Zellen"
    assert drawn.frame.crs.to_epsg() == 25832
    assert tuple(round(v, 2) for v in drawn.frame["fill"].iloc[0]) == (1.0, 0.0, 0.0, 0.5)
    assert drawn.frame["width"].iloc[0] == 1.5  # 2 px at 0.75 pt per px
    minx, miny, _, _ = drawn.frame.total_bounds
    assert abs(minx - 480_000) < 0.5 and abs(miny - 5_780_000) < 0.5  # ~1 m display precision


def test_every_theme_exports_a_sheet(snapshot: Snapshot) -> None:
    for theme in ("uebersicht", "siedlung", "demografie", "gesamtbild"):
        content = theme_content(snapshot, get_settings(), theme, "de")
        assert read_layers(content.map), theme
        pages, text = pdf_text(export_file(snapshot, theme, "Vlotho", "pdf").data)
        assert pages == 1 and "Vlotho" in text, theme


def test_the_command_line_writes_the_same_file(
    snapshot: Snapshot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--theme", "bildung", "--gemeinde", "Spenge", "--format", "xlsx",
                 "--out", str(tmp_path)]) == 0  # fmt: skip
    written = tmp_path / "kek-geo-bildung-spenge.xlsx"
    assert written.is_file() and "wrote" in capsys.readouterr().out
    page = export_file(snapshot, "bildung", "Spenge", "xlsx")
    cli = load_workbook(written).worksheets[0]
    button = load_workbook(io.BytesIO(page.data)).worksheets[0]
    assert [[c.value for c in r] for r in cli.iter_rows()] == [
        [c.value for c in r] for r in button.iter_rows()
    ]
    assert main(["export", "--theme", "bildung", "--gemeinde", "Paderborn", "--format", "pdf",
                 "--out", str(tmp_path)]) == 1  # fmt: skip
    assert "unknown municipality 'Paderborn'" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.part"))
