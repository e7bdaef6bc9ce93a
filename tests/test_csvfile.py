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
