"""Screen tables: numbers in the reader's format, missing values as a dash."""

from __future__ import annotations

import math

import pandas as pd

from kek_geo.tables import decimals_of, is_yearlike, styled


def cells(table: pd.DataFrame, lang: str) -> list[list[str]]:
    """The displayed text of every cell, row by row."""
    text = styled(table, lang).to_string(delimiter="|")
    return [line.split("|")[1:] for line in text.strip().splitlines()[1:]]


def test_german_and_english_numbers() -> None:
    table = pd.DataFrame(
        {
            "Gemeinde": ["Herford", "Rödinghausen", None],
            "Einwohner (Einw.)": [66985, 9962, 254008],
            "Anteil (%)": [21.5, 0.4, math.nan],
            "Basisjahr": [2022, 2022, 2022],
        }
    )
    assert cells(table, "de") == [
        ["Herford", "66.985", "21,5", "2022"],
        ["Rödinghausen", "9.962", "0,4", "2022"],
        ["–", "254.008", "–", "2022"],
    ]
    assert cells(table, "en")[0] == ["Herford", "66,985", "21.5", "2022"]


def test_the_values_stay_numbers() -> None:
    table = pd.DataFrame({"Anteil (%)": [21.5, 0.35]})
    assert styled(table, "de").data["Anteil (%)"].tolist() == [21.5, 0.35]


def test_decimals_of_a_column() -> None:
    assert decimals_of(pd.Series([1.0, 2.0, math.nan])) == 0
    assert decimals_of(pd.Series([1.5, 2.0])) == 1
    assert decimals_of(pd.Series([0.35, 2.0])) == 2
    assert decimals_of(pd.Series([1 / 3])) == 2  # unrounded: two decimals at most
    assert is_yearlike("Jahr") and is_yearlike("Base year") and not is_yearlike("Einwohner")
