"""The district comes from the data: its key from the municipalities, its name from the snapshot.

A small second district (two municipalities of Kreis Lippe, 05766) runs through the same
functions as Kreis Herford: its key indexes the total row, its name is in every text.
"""

from __future__ import annotations

import pandas as pd
import pytest

from kek_geo.analysis.base import ratio, with_kreis
from kek_geo.district import (
    District,
    DistrictError,
    count_text,
    district_key,
    district_of,
    municipality_names,
    read_district,
    text_values,
)
from kek_geo.export.content import municipality
from kek_geo.i18n import t
from kek_geo.indicators import compute_table, indicators_for
from kek_geo.kiosk import STORY, names_by_ags, place_text
from kek_geo.notes.model import NoteError, make_note
from kek_geo.notes.summary import counts_by_gemeinde
from kek_geo.overview import rank_table
from kek_geo.profile import figures_frame, rank
from kek_geo.scenario.apply import ScenarioSource
from kek_geo.scenario.compare import summary_sentences
from kek_geo.scenario.model import Scenario
from kek_geo.snapshot import Snapshot
from kek_geo.views.broadband import KREIS_COLOUR, line_colours
from kek_geo.views.comparison import comparison_table
from tests.helpers import MemorySource

LIPPE = District("05766", "Kreis Lippe")
A, B = "05766020", "05766044"


@pytest.fixture
def lippe() -> MemorySource:
    gemeinden = pd.DataFrame(
        {
            "ags": [B, A],
            "name": ["Lemgo", "Detmold"],
            "population": [3000, 1000],
            "area_km2": [30.0, 10.0],
            "settlement_area_km2": [3.0, 2.0],
            "grid_population": [3100.0, 900.0],
            "share_65plus": [30.0, 20.0],
            "share_u15": [12.0, 16.0],
            "grid_population_2011": [2000.0, 1000.0],
            "share_65plus_2011": [24.0, 21.0],
            "share_u18_2011": [float("nan"), 15.0],
            "dwellings": [600.0, 400.0],
            "vacancy_rate": [10.0, 5.0],
            "household_size": [2.0, 2.5],
        }
    )
    broadband = pd.DataFrame(
        {
            "release": ["2021-06"] * 3,
            "ags": [A, B, LIPPE.ags],
            "segment": "households",
            "technology": "all",
            "threshold_mbit": 1000,
            "share_pct": [40.0, 70.0, 62.5],
        }
    )
    kreis = pd.DataFrame({"ags": [LIPPE.ags], "name": [LIPPE.name]})
    return MemorySource(gemeinden=gemeinden, broadband=broadband, kreis=kreis)


def test_district_key_of_two_municipalities(lippe: MemorySource) -> None:
    gemeinden = lippe.layer("gemeinden")
    assert district_key(gemeinden) == "05766"
    assert district_key(gemeinden["ags"]) == "05766"
    assert district_key(pd.Index([A, B, "05766"])) == "05766"  # a table with its total row


def test_total_row_is_indexed_by_the_key_and_named_from_the_kreis_layer(
    lippe: MemorySource,
) -> None:
    table = compute_table(lippe, indicators_for("overview"))
    assert table.index.tolist() == [A, B, "05766"]
    assert table["gemeinde"].tolist() == ["Detmold", "Lemgo", "Kreis Lippe"]
    assert table.loc["05766", "population"] == 4000
    assert table.loc["05766", "gigabit_households"] == 62.5  # the published district row
    assert municipality_names(table) == {A: "Detmold", B: "Lemgo"}
    assert rank_table(table, "population").index.tolist() == [B, A, "05766"]
    assert rank(table, "population", B) == 1


def test_per_municipality_series_get_their_district_row() -> None:
    assert with_kreis(pd.Series({A: 1.0, B: 2.0}), 3.0).to_dict() == {A: 1.0, B: 2.0, "05766": 3.0}
    shares = ratio(pd.Series({A: 1.0, B: 3.0}), pd.Series({A: 2.0, B: 6.0}), scale=100.0)
    assert shares["05766"] == pytest.approx(50.0)


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        (["05766020", "05758004"], "share one district key, found: 05758, 05766"),
        ([], "found: none"),
        (["A", "B"], "'A' is not a municipality key"),
        (["0576"], "'0576' is not a municipality key"),
    ],
)
def test_keys_that_do_not_name_one_district_raise(values: list[str], problem: str) -> None:
    with pytest.raises(DistrictError, match=problem):
        district_key(values)


def test_a_total_row_needs_municipalities_of_one_district() -> None:
    mixed = pd.Series({"05766020": 1.0, "05758004": 2.0})
    with pytest.raises(DistrictError, match="05758, 05766"):
        with_kreis(mixed, 3.0)


def test_the_kreis_layer_must_name_the_municipalities_district(lippe: MemorySource) -> None:
    gemeinden = lippe.layer("gemeinden")
    assert read_district(lippe.layer("kreis"), gemeinden) == LIPPE
    herford = pd.DataFrame({"ags": ["05758"], "name": ["Kreis Herford"]})
    with pytest.raises(DistrictError, match=r"names district '05758'.*belong to '05766'"):
        read_district(herford, gemeinden)
    with pytest.raises(DistrictError, match="one district, it holds 2 rows"):
        read_district(pd.concat([herford, herford]), gemeinden)


def test_the_shipped_snapshot_names_its_district(snapshot: Snapshot) -> None:
    assert snapshot.district == District("05758", "Kreis Herford")
    scenario = ScenarioSource(snapshot, Scenario("nothing"))
    assert district_of(scenario) is snapshot.district
    assert text_values(snapshot, "de") == {"kreis": "Kreis Herford", "n": "neun"}
    assert text_values(snapshot, "en") == {"kreis": "Kreis Herford", "n": "nine"}


def test_only_the_district_line_is_black_however_many_municipalities() -> None:
    colours = line_colours(17)  # Kreis Lippe: 16 municipalities and the district
    assert len(colours) == 17 and colours[-1] == KREIS_COLOUR
    assert KREIS_COLOUR not in colours[:-1]
    assert line_colours(10)[:9] == line_colours(17)[:9]


def test_small_counts_are_words_others_digits() -> None:
    assert [count_text(n, "de") for n in (1, 2, 9, 12, 16)] == ["1", "zwei", "neun", "zwölf", "16"]
    assert [count_text(n, "en") for n in (2, 9, 13)] == ["two", "nine", "13"]


def test_texts_name_the_district_of_the_data(lippe: MemorySource) -> None:
    table = compute_table(lippe, indicators_for("overview"))
    later = table.copy()
    later.loc[[B, "05766"], "population"] += 100
    texts = [
        t(key, lang, **text_values(lippe, lang))
        for key in ("overview.intro", "overview.whole_kreis", "app.title", "exports.kreis")
        for lang in ("de", "en")
    ]
    texts += [t("kiosk.title", lang, kreis=LIPPE.name) for lang in ("de", "en")]
    texts += [place_text(STORY["elderly"], table, A, "de"), *names_by_ags(table).values()]
    counts = counts_by_gemeinde([], "de", names_by_ags(table), LIPPE)
    texts += counts.iloc[:, 0].tolist()
    texts += comparison_table(table, ["population"], "en", columns=False).iloc[:, 0].tolist()
    texts += figures_frame(table, indicators_for("overview"), A, "de").astype(str).stack().tolist()
    texts += summary_sentences(table, later, ["population"], "de")
    with pytest.raises(NoteError) as outside:
        make_note(lon=8.0, lat=50.0, theme="bildung", kind="idee", text="Hier",
                  locate=lambda _x, _y: None, district=LIPPE.name)  # fmt: skip
    texts += [outside.value.message("de"), outside.value.message("en")]
    joined = "\n".join(texts)
    assert "Kreis Lippe: die zwei Städte und Gemeinden" in joined
    assert "Kreis Lippe: the two towns and municipalities" in joined
    assert "KEK Geo – Kreis Lippe" in joined and "Kreis Lippe total" in joined
    assert "Kreis Lippe 2040 – Ihre Meinung zählt" in joined
    assert "außerhalb des Kreisgebiets (Kreis Lippe)" in joined
    assert counts.iloc[-1, 0] == "Kreis Lippe"
    assert "Einwohner: Kreis +100" in joined and "am stärksten in Lemgo" in joined
    assert "Herford" not in joined
    assert municipality(lippe, None) == municipality(lippe, "kreis lippe") == "05766"
