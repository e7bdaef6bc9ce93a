"""CSV downloads open in German and English Excel and keep every digit."""

from __future__ import annotations

import pandas as pd
import pytest

from kek_geo.csvfile import csv_bytes, read_csv_bytes


@pytest.fixture
def table() -> pd.DataFrame:
    return pd.DataFrame(
        {"Gemeinde": ["Bünde", "Rödinghausen"], "Einwohner": [45000, 9800], "Anteil": [0.35, 21.5]},
        index=pd.Index(["05758004", "05758028"], name="ags"),
    )


def test_german_excel_gets_semicolons_decimal_commas_and_a_bom(table: pd.DataFrame) -> None:
    data = csv_bytes(table, "de")
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "ags;Gemeinde;Einwohner;Anteil"
    assert "05758028;Rödinghausen;9800;21,5" in text


def test_english_gets_commas_and_points(table: pd.DataFrame) -> None:
    text = csv_bytes(table, "en").decode("utf-8-sig")
    assert "05758028,Rödinghausen,9800,21.5" in text


@pytest.mark.parametrize("lang", ["de", "en"])
def test_files_read_back_unrounded(table: pd.DataFrame, lang: str) -> None:
    precise = table.assign(Anteil=[1 / 3, 21.456789])
    back = read_csv_bytes(csv_bytes(precise, lang), lang)
    assert back["Anteil"].tolist() == precise["Anteil"].tolist()
    assert back["Einwohner"].tolist() == [45000, 9800]
    assert back["Gemeinde"].tolist() == ["Bünde", "Rödinghausen"]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_notes_travel_with_the_table_and_it_still_reads_back(
    table: pd.DataFrame, lang: str
) -> None:
    from kek_geo.csvfile import note_lines

    notes = ["KEK Geo – Mobilität, Kreis Herford", 'Quellen: a; b, "c"', "Stand: 15.05.2022"]
    data = csv_bytes(table, lang, notes=notes)
    assert note_lines(data.decode("utf-8-sig")) == notes
    back = read_csv_bytes(data, lang)
    assert back["Anteil"].tolist() == [0.35, 21.5]
    assert back.columns.tolist() == ["ags", "Gemeinde", "Einwohner", "Anteil"]


def test_file_name_says_theme_and_thresholds() -> None:
    from kek_geo.csvfile import file_name

    name = file_name("mobility", {"mob_stop_radius_m": 600.0, "mob_stop_near_m": 300.0})
    assert name == "kek-geo-mobility_mob-stop-near-m-300_mob-stop-radius-m-600.csv"
    assert file_name("overview", {}) == "kek-geo-overview.csv"
    assert file_name("x", {"share": 2.5}) == "kek-geo-x_share-2-5.csv"
