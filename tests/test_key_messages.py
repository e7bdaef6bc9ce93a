"""Key messages: who lags most, the range of a neutral figure, ties, missing values."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd

from kek_geo.indicators import REGISTRY, Indicator
from kek_geo.key_messages import is_total, key_message, versus_kreis

# three municipalities and their district; values chosen so every figure can be checked by hand
TABLE = pd.DataFrame(
    {
        "gemeinde": ["Adorf", "Bedorf", "Cedorf", "Kreis X"],
        "share": [80.0, 0.35, 58.1, 58.1],
        "count": [10.0, 30.0, 60.0, 100.0],
        "tie": [20.04, 50.0, 19.96, 30.0],
        "flat": [5.0, 5.0, 5.0, 5.0],
        "gaps": [1.0, math.nan, 3.0, 4.0],
        "none": [math.nan] * 4,
    },
    index=pd.Index(["01001001", "01001002", "01001003", "01001"], name="ags"),
)

BASE = REGISTRY["gigabit_households"]  # a share, higher is better, one decimal
SHARE = replace(BASE, key="share", name_de="Gigabit-Anteil", name_en="Gigabit share")
COUNT = replace(BASE, key="count", unit="Einw.", decimals=0, higher_is_better=False,
                name_de="Einwohner in Lücken", name_en="Residents in gaps")  # fmt: skip
NEUTRAL = replace(COUNT, higher_is_better=None, name_de="Einwohner", name_en="Population")


def plain(indicator: Indicator, lang: str = "de", key: str | None = None) -> str:
    ind = replace(indicator, key=key) if key else indicator
    return key_message(TABLE, ind, "06/2024", lang, markdown=False).text


def test_the_worst_municipality_with_its_distance_from_the_kreis() -> None:
    message = key_message(TABLE, SHARE, "06/2024", "de", markdown=False)
    assert message.kind == "lag" and message.ags == ("01001002",)
    # 0,35 is shown as 0,4; 58,1 − 0,4 = 57,7 points
    assert message.text == (
        "Bedorf liegt bei „Gigabit-Anteil“ am weitesten zurück: 0,4 %, 57,7 %-Punkte unter "
        "dem Kreis (Kreis: 58,1 %; Stand: 06/2024)."
    )
    assert plain(SHARE, "en") == (
        "Bedorf lags furthest behind on “Gigabit share”: 0.4 %, 57.7 percentage points below "
        "the district (district: 58.1 %; as of 06/2024)."
    )


def test_markdown_makes_name_and_figure_bold() -> None:
    text = key_message(TABLE, SHARE, "06/2024", "de").text
    assert text.startswith("**Bedorf** liegt bei „Gigabit-Anteil“ am weitesten zurück: **0,4 %**")


def test_lower_is_better_names_the_largest_count_as_its_part_of_the_kreis() -> None:
    assert is_total(TABLE, COUNT) and not is_total(TABLE, SHARE)
    message = key_message(TABLE, COUNT, "2022", "de", markdown=False)
    assert message.ags == ("01001003",)
    assert message.text == (
        "Cedorf liegt bei „Einwohner in Lücken“ am weitesten zurück: 60 Einw., 60 % des "
        "Kreises (Kreis insgesamt: 100 Einw.; Stand: 2022)."
    )


def test_a_neutral_indicator_gives_the_largest_and_the_smallest() -> None:
    message = key_message(TABLE, NEUTRAL, "2022", "de", markdown=False)
    assert message.kind == "range" and message.ags == ("01001003",)
    assert message.text == (
        "Cedorf hat mit 60 Einw. den höchsten, Adorf mit 10 Einw. den niedrigsten Wert bei "
        "„Einwohner“ (Kreis insgesamt: 100 Einw.; Stand: 2022)."
    )
    assert plain(NEUTRAL, "en") == (
        "Cedorf has the highest value of “Population” with 60 res., Adorf the lowest with "
        "10 res. (district total: 100 res.; as of 06/2024)."
    )


def test_values_equal_as_shown_are_a_tie() -> None:
    # 20,04 and 19,96 are both shown as 20,0 %
    message = key_message(TABLE, replace(SHARE, key="tie"), "2022", "de", markdown=False)
    assert message.ags == ("01001001", "01001003")
    assert message.text == (
        "Adorf und Cedorf liegen bei „Gigabit-Anteil“ am weitesten zurück: je 20,0 %, "
        "10,0 %-Punkte unter dem Kreis (Kreis: 30,0 %; Stand: 2022)."
    )
    assert "Adorf and Cedorf lag furthest behind" in plain(SHARE, "en", key="tie")
    assert "20.0 % each" in plain(SHARE, "en", key="tie")


def test_all_equal() -> None:
    message = key_message(TABLE, replace(SHARE, key="flat"), "2022", "de", markdown=False)
    assert message.kind == "equal"
    assert message.text == (
        "Alle 3 Gemeinden haben bei „Gigabit-Anteil“ denselben Wert: 5,0 % "
        "(Kreis: 5,0 %; Stand: 2022)."
    )


def test_missing_values() -> None:
    message = key_message(TABLE, replace(SHARE, key="none"), "kein Import", "de")
    assert message.kind == "missing" and message.ags == ()
    assert message.text == "Für „Gigabit-Anteil“ liegen keine Werte vor (Stand: kein Import)."
    assert plain(SHARE, "en", key="none") == (
        "No values are available for “Gigabit share” (as of 06/2024)."
    )
    # one municipality without a value: named, and the district is not taken for a sum
    gaps = key_message(TABLE, replace(COUNT, key="gaps"), "2022", "de", markdown=False)
    assert gaps.ags == ("01001003",)
    assert gaps.text == (
        "Cedorf liegt bei „Einwohner in Lücken“ am weitesten zurück: 3 Einw., 1 Einw. unter "
        "dem Kreis (Kreis: 4 Einw.; ohne Wert: Bedorf; Stand: 2022)."
    )


def test_versus_kreis() -> None:
    assert versus_kreis(TABLE, SHARE, "01001002", "de") == "↓ schlechter als der Kreis"
    assert versus_kreis(TABLE, SHARE, "01001001", "en") == "↑ better than the district"
    assert versus_kreis(TABLE, SHARE, "01001003", "de") == "= wie der Kreis"
    lower_better = replace(SHARE, higher_is_better=False)
    assert versus_kreis(TABLE, lower_better, "01001002", "de") == "↓ besser als der Kreis"
    neutral = replace(SHARE, higher_is_better=None)
    assert versus_kreis(TABLE, neutral, "01001001", "de") == "↑ über dem Kreis"
    assert versus_kreis(TABLE, neutral, "01001002", "en") == "↓ below the district"
    assert versus_kreis(TABLE, COUNT, "01001002", "de") == "30 % des Kreises"
    assert versus_kreis(TABLE, replace(SHARE, key="none"), "01001001", "de") == "–"
