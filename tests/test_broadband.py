"""Broadband theme: indicators, gap classes, time series and tables, checked by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from kek_geo.analysis.broadband import (
    best_technology,
    broadband_table,
    estimated_households,
    gap_table,
    households_below,
    latest_release,
    mobile_table,
    release_end,
    release_name,
    release_series,
    share_series,
    technology_breakdown,
    technology_options,
    weighted_share,
)
from kek_geo.indicators import REGISTRY, compute_table, indicators_for
from kek_geo.settings import KREIS_AGS
from kek_geo.snapshot import Snapshot
from kek_geo.views import broadband as view
from tests.helpers import MemorySource

A, B = "05758004", "05758008"
BB_KEYS = [
    "bb_households_30",
    "bb_households_100",
    "bb_households_ftth",
    "bb_businesses_1000",
    "bb_commercial_1000",
    "bb_white_households",
    "bb_grey_households",
    "bb_not_gigabit_households",
]


def rows(
    release: str, segment: str, technology: str, mbit: int, values: dict[str, float]
) -> list[dict[str, object]]:
    return [
        {
            "release": release,
            "ags": ags,
            "segment": segment,
            "technology": technology,
            "threshold_mbit": mbit,
            "share_pct": value,
        }
        for ags, value in values.items()
    ]


def tidy(*parts: list[dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame([row for part in parts for row in part])
    return frame.astype(
        {"release": "string", "ags": "string", "segment": "string", "technology": "string"}
    )


@pytest.fixture
def gemeinden() -> pd.DataFrame:
    # Astadt: 2000 people / 2.0 per household = 1000 households
    # Bdorf:  1500 people / 2.5 per household =  600 households
    return pd.DataFrame(
        {
            "ags": [B, A],
            "name": ["Bdorf", "Astadt"],
            "population": [1500, 2000],
            "household_size": [2.5, 2.0],
        }
    )


@pytest.fixture
def table() -> pd.DataFrame:
    return tidy(
        rows("2021-06", "households", "all", 30, {A: 98.0, B: 90.0, KREIS_AGS: 95.0}),
        rows("2021-06", "households", "all", 100, {A: 90.0, B: 60.0, KREIS_AGS: 80.0}),
        rows("2021-06", "households", "all", 1000, {A: 50.0, B: 10.0, KREIS_AGS: 35.0}),
        rows("2021-06", "households", "ftth_b", 1000, {A: 5.0, B: 20.0, KREIS_AGS: 10.6}),
        rows("2021-06", "households", "catv", 1000, {A: 45.0, B: 0.0, KREIS_AGS: 28.1}),
        rows("2021-06", "households", "dsl", 100, {A: 80.0, B: 55.0, KREIS_AGS: 70.6}),
        rows("2020-12", "households", "all", 1000, {A: 20.0, B: 0.0, KREIS_AGS: 12.5}),
        rows("2020-12", "households", "all", 30, {A: 97.0, B: 85.0, KREIS_AGS: 92.5}),
        rows("2021-06", "businesses", "wired", 1000, {A: 40.0, B: 30.0, KREIS_AGS: 37.0}),
        # commercial areas: the district value is not published here
        rows("2021-06", "commercial_areas", "wired", 1000, {A: 25.0, B: 50.0}),
    )


@pytest.fixture
def source(gemeinden: pd.DataFrame, table: pd.DataFrame) -> MemorySource:
    mobile = pd.DataFrame(
        {
            "release": "2021-06",
            "ags": KREIS_AGS,
            "technology": ["5G2", "5G2", "LTE10"],
            "land_use": ["Wald", "Wohnbaufläche", "Wald"],
            "land_use_group": ["Gemeindefläche", "Gemeindefläche", "Gemeindefläche"],
            "share_pct": [80.0, 95.0, 100.0],
        }
    )
    return MemorySource(gemeinden=gemeinden, broadband=table, mobile_coverage=mobile)


def imported_rows() -> pd.DataFrame:
    # a later households release without a district row, as in the municipal export
    return tidy(
        rows("2022-12", "households", "all", 30, {A: 99.0, B: 95.0}),
        rows("2022-12", "households", "all", 100, {A: 95.0, B: 80.0}),
        rows("2022-12", "households", "all", 1000, {A: 80.0, B: 50.0}),
        rows("2022-12", "businesses", "wired", 1000, {A: 60.0, B: 70.0}),
    )


def test_release_names_and_dates() -> None:
    assert release_name("2021-06") == "Mitte 2021"
    assert release_name("2018-12", "en") == "end 2018"
    assert release_name("2024-03") == "03 2024"
    assert release_end("2021-06") == pd.Timestamp("2021-06-30")
    assert release_end("2018-12") == pd.Timestamp("2018-12-31")


def test_estimated_households(gemeinden: pd.DataFrame) -> None:
    hh = estimated_households(gemeinden)
    assert hh.index.tolist() == [A, B]  # sorted by AGS
    assert hh.tolist() == [1000.0, 600.0]
    gemeinden.loc[0, "household_size"] = float("nan")
    assert math.isnan(estimated_households(gemeinden)[B])


def test_best_technology(table: pd.DataFrame) -> None:
    # households publish "all technologies", businesses and commercial areas only "wired"
    assert best_technology(table, "households", "2021-06") == "all"
    assert best_technology(table, "businesses", "2021-06") == "wired"
    assert best_technology(table, "commercial_areas", "2021-06") == "wired"


def test_hand_checked_indicators(source: MemorySource) -> None:
    t = compute_table(source, indicators_for("broadband"))
    assert t.index.tolist() == [A, B, KREIS_AGS]
    # shares of the newest release; district as published
    assert t["bb_households_30"].tolist() == [98.0, 90.0, 95.0]
    assert t["bb_households_100"].tolist() == [90.0, 60.0, 80.0]
    assert t["gigabit_households"].tolist() == [50.0, 10.0, 35.0]
    assert t["bb_households_ftth"].tolist() == [5.0, 20.0, 10.6]
    assert t["bb_businesses_1000"].tolist() == [40.0, 30.0, 37.0]
    # commercial areas: no published district value and no weights -> missing, never 0
    assert t["bb_commercial_1000"].tolist()[:2] == [25.0, 50.0]
    assert math.isnan(t.loc[KREIS_AGS, "bb_commercial_1000"])
    # white spots (< 30): Astadt 2 % of 1000 = 20, Bdorf 10 % of 600 = 60, district 20 + 60 = 80
    assert t["bb_white_households"].tolist() == pytest.approx([20.0, 60.0, 80.0])
    # grey spots (< 100): 10 % of 1000 = 100, 40 % of 600 = 240, district 340
    assert t["bb_grey_households"].tolist() == pytest.approx([100.0, 240.0, 340.0])
    # not gigabit (< 1000): 50 % of 1000 = 500, 90 % of 600 = 540, district 1040
    assert t["bb_not_gigabit_households"].tolist() == pytest.approx([500.0, 540.0, 1040.0])


def test_every_broadband_indicator_is_registered_with_metadata() -> None:
    keys = [i.key for i in indicators_for("broadband")]
    assert keys == [*BB_KEYS, "gigabit_households"]
    for key in BB_KEYS:
        ind = REGISTRY[key]
        assert ind.themes == ("broadband",)
        assert ind.unit in {"%", "Haush."}
        assert "Förderprogrammen des Bundes" in ind.method_de or ind.unit == "%"
        assert ind.thresholds == ()  # bandwidth classes are fixed by definition
    assert "geschätzt" in REGISTRY["bb_white_households"].name_de
    assert "leitungsgebunden" in REGISTRY["bb_businesses_1000"].method_de


def test_missing_household_size_gives_missing_counts(source: MemorySource) -> None:
    source.layers["gemeinden"].loc[0, "household_size"] = float("nan")  # Bdorf
    t = compute_table(source, [REGISTRY["bb_white_households"]])
    assert t.loc[A, "bb_white_households"] == pytest.approx(20.0)
    assert math.isnan(t.loc[B, "bb_white_households"])
    assert math.isnan(t.loc[KREIS_AGS, "bb_white_households"])


def test_missing_segment_gives_missing_values(gemeinden: pd.DataFrame) -> None:
    only_households = tidy(rows("2021-06", "households", "all", 30, {A: 98.0, B: 90.0}))
    src = MemorySource(gemeinden=gemeinden, broadband=only_households)
    t = compute_table(src, [REGISTRY["bb_businesses_1000"], REGISTRY["bb_grey_households"]])
    assert t["bb_businesses_1000"].isna().all()
    assert t["bb_grey_households"].isna().all()


def test_imported_release_is_used_and_district_is_estimated(source: MemorySource) -> None:
    source.extras["broadband_releases"] = imported_rows()
    table = broadband_table(source)
    assert latest_release(table, "households") == "2022-12"
    t = compute_table(source, indicators_for("broadband"))
    # households >= 1000 without a published district value: from the totals
    # (80 * 1000 + 50 * 600) / 1600 = 68.75 %
    hh = estimated_households(source.layer("gemeinden"))
    shares = share_series(
        table, hh, release="2022-12", segment="households", technology="all", threshold_mbit=1000
    )
    assert shares.tolist() == pytest.approx([80.0, 50.0, 68.75])
    # >= 30: (99 * 1000 + 95 * 600) / 1600 = 97.5 %
    assert t["bb_households_30"].tolist() == pytest.approx([99.0, 95.0, 97.5])
    # white spots 1 % of 1000 = 10, 5 % of 600 = 30, district 40
    assert t["bb_white_households"].tolist() == pytest.approx([10.0, 30.0, 40.0])
    # businesses: no weights for an estimate -> district missing
    assert t["bb_businesses_1000"].tolist()[:2] == [60.0, 70.0]
    assert math.isnan(t.loc[KREIS_AGS, "bb_businesses_1000"])
    # FTTH/B is not in the import: missing, not 0
    assert t["bb_households_ftth"].isna().all()
    # the overview indicator takes the newer release too
    assert t["gigabit_households"].tolist()[:2] == [80.0, 50.0]


def test_imported_release_replaces_the_same_snapshot_release(source: MemorySource) -> None:
    fix = tidy(rows("2021-06", "households", "all", 1000, {A: 55.0, B: 15.0}))
    source.extras["broadband_releases"] = fix
    table = broadband_table(source)
    new = table[(table["segment"] == "households") & (table["release"] == "2021-06")]
    assert len(new) == 2  # the snapshot's rows of households 2021-06 are gone, district too
    assert set(table["segment"]) == {"households", "businesses", "commercial_areas"}
    assert len(table[table["release"] == "2020-12"]) == 6


def test_weighted_share() -> None:
    shares = pd.Series({A: 80.0, B: 50.0})
    assert weighted_share(shares, pd.Series({A: 1000.0, B: 600.0})) == pytest.approx(68.75)
    assert math.isnan(weighted_share(pd.Series({A: 80.0, B: float("nan")}), shares))


def test_gap_table(table: pd.DataFrame, gemeinden: pd.DataFrame) -> None:
    hh = estimated_households(gemeinden)
    gaps = gap_table(table, hh, "2021-06")
    assert gaps["households"].tolist() == [1000.0, 600.0, 1600.0]
    # share below: 100 - published share; district as published (100 - 95 = 5)
    assert gaps["white_share"].tolist() == pytest.approx([2.0, 10.0, 5.0])
    assert gaps["grey_households"].tolist() == pytest.approx([100.0, 240.0, 340.0])
    assert gaps["not_gigabit_share"].tolist() == pytest.approx([50.0, 90.0, 65.0])
    below = households_below(table, hh, release="2020-12", threshold_mbit=30)
    # end 2020: 3 % of 1000 = 30, 15 % of 600 = 90
    assert below.tolist() == pytest.approx([30.0, 90.0, 120.0])


def test_release_series_and_options(table: pd.DataFrame, gemeinden: pd.DataFrame) -> None:
    hh = estimated_households(gemeinden)
    series = release_series(table, hh, segment="households", technology="all", threshold_mbit=1000)
    assert series.index.tolist() == ["2020-12", "2021-06"]
    assert series.columns.tolist() == [A, B, KREIS_AGS]
    assert series.loc["2020-12"].tolist() == [20.0, 0.0, 12.5]
    assert technology_options(table, "households") == ["all", "ftth_b", "catv", "dsl"]
    assert technology_options(table, "businesses") == ["wired"]
    empty = release_series(table, hh, segment="households", technology="dsl", threshold_mbit=1000)
    assert empty.empty


def test_technology_breakdown(table: pd.DataFrame, gemeinden: pd.DataFrame) -> None:
    hh = estimated_households(gemeinden)
    wide = technology_breakdown(table, hh, segment="households", release="2021-06")
    # only the published combinations, in FTTH/B, cable, DSL order
    assert wide.columns.tolist() == [("ftth_b", 1000), ("catv", 1000), ("dsl", 100)]
    assert wide[("catv", 1000)].tolist() == [45.0, 0.0, 28.1]


def test_mobile_table(source: MemorySource) -> None:
    wide = mobile_table(source.layer("mobile_coverage"))
    assert wide.columns.tolist() == ["5G2", "LTE10"]
    assert wide.loc[("Gemeindefläche", "Wald"), "5G2"] == 80.0
    assert math.isnan(wide.loc[("Gemeindefläche", "Wohnbaufläche"), "LTE10"])


def test_view_tables_and_chart(source: MemorySource) -> None:
    gaps = view.gap_frame(source, "de")
    assert gaps.index.tolist() == [A, B, KREIS_AGS]
    assert gaps["Gemeinde"].tolist() == ["Astadt", "Bdorf", "Kreis Herford"]
    assert gaps["Weißer Fleck < 30 Mbit/s: Haushalte"].tolist() == [20.0, 60.0, 80.0]
    tech = view.technology_frame(source, "households", "en")
    assert "Cable (CATV) ≥ 1,000 Mbit/s (%)" in tech.columns
    data = view.trend_data(
        source, segment="households", technology="all", threshold_mbit=1000, lang="de"
    )
    assert len(data) == 6  # 2 releases x (2 municipalities + district)
    first = data.iloc[0]
    assert (first["release"], first["area"], first["share"]) == ("Ende 2020", "Astadt", 20.0)
    assert data["date"].iloc[-1] == pd.Timestamp("2021-06-30")
    spec = view.trend_chart(data, source, "de").to_dict()
    assert spec["encoding"]["color"]["scale"]["range"][-1] == view.KREIS_COLOUR
    assert view.data_date(source, "de") == "Stand der Breitbanddaten: Mitte 2021"
    assert "nicht im Datensatz" in view.data_note(source, "de")
    assert "Über die Daten" in view.data_note(source, "de")
    assert "kek-geo" not in view.data_note(source, "de")  # commands belong on the data page
    assert view.default_bandwidth([30, 100, 1000]) == 2
    assert view.default_bandwidth([1, 2, 6]) == 2


def test_view_marks_imported_releases(source: MemorySource) -> None:
    source.extras["broadband_releases"] = imported_rows()
    text = view.data_date(source, "de")
    assert "Haushalte Ende 2022 (importiert)" in text
    assert "Gewerbegebiete Mitte 2021" in text
    assert "Ende 2022 (importiert)" in view.chart_note(source, "households", "de")
    note = view.data_note(source, "en")
    assert "Includes imported releases: Businesses end 2022, Households end 2022" in note


# ---------------------------------------------------------------- the real snapshot


def test_real_snapshot_hand_checked_values(snapshot: Snapshot) -> None:
    t = compute_table(snapshot, indicators_for("broadband"))
    # households >= 1000 Mbit/s mid 2021 (gemeinde_bezirke_privat_2021_mitte and
    # landkreis_privat_2021_1): Rödinghausen 0.35 %, Bünde 73.34 %, district 64.56 %
    assert t.loc["05758028", "gigabit_households"] == pytest.approx(0.35)
    assert t.loc["05758004", "gigabit_households"] == pytest.approx(73.34)
    assert t.loc[KREIS_AGS, "gigabit_households"] == pytest.approx(64.56)
    # >= 30 Mbit/s: Rödinghausen 81.72 %, Vlotho 81.60 %
    assert t.loc["05758028", "bb_households_30"] == pytest.approx(81.72)
    assert t.loc["05758036", "bb_households_30"] == pytest.approx(81.60)
    # Rödinghausen: 9,962 people / 2.33 = 4,275.5 households; 18.28 % below 30 = 781.6
    assert t.loc["05758028", "bb_white_households"] == pytest.approx(781.57, abs=0.01)
    # Vlotho: 18,625 / 2.17 = 8,583.0 households; 18.40 % below 30 = 1,579.3
    assert t.loc["05758036", "bb_white_households"] == pytest.approx(1579.26, abs=0.01)
    # FTTH/B >= 1000 Bünde 0.73 %
    assert t.loc["05758004", "bb_households_ftth"] == pytest.approx(0.73)


def test_real_snapshot_plausibility(snapshot: Snapshot) -> None:
    t = compute_table(snapshot, indicators_for("broadband"))
    assert not t[BB_KEYS].isna().any().any()
    shares = t[[k for k in BB_KEYS if REGISTRY[k].unit == "%"]]
    assert ((shares >= 0) & (shares <= 100)).all().all()
    assert (t["bb_households_30"] >= t["bb_households_100"]).all()
    assert (t["bb_households_100"] >= t["gigabit_households"]).all()
    assert (t["bb_white_households"] <= t["bb_grey_households"]).all()
    assert (t["bb_grey_households"] <= t["bb_not_gigabit_households"]).all()
    municipal = t.drop(index=KREIS_AGS)
    for key in ("bb_white_households", "bb_grey_households", "bb_not_gigabit_households"):
        assert t.loc[KREIS_AGS, key] == pytest.approx(municipal[key].sum())
    # about 117,000 households (254,008 people, about 2.2 per household)
    hh = estimated_households(snapshot.layer("gemeinden"))
    assert 110_000 < hh.sum() < 125_000
    # the published district share is close to the household-weighted municipal shares
    weighted = weighted_share(municipal["gigabit_households"], hh)
    assert weighted == pytest.approx(t.loc[KREIS_AGS, "gigabit_households"], abs=0.5)
    # gigabit came with the cable upgrade: 0 % at end 2018
    series = release_series(
        broadband_table(snapshot), hh, segment="households", technology="all", threshold_mbit=1000
    )
    assert series.index[0] == "2018-12" and series.index[-1] == "2021-06"
    assert (series.loc["2018-12"] == 0).all()


def test_real_snapshot_recomputes_the_same_table_and_leaves_the_layer_alone(
    snapshot: Snapshot,
) -> None:
    # the time of the second run is measured in bench/bench_indicators.py
    layer = snapshot.layer("broadband").copy()
    inds = indicators_for("broadband")
    first = compute_table(snapshot, inds)
    pd.testing.assert_frame_equal(compute_table(snapshot, inds), first)
    pd.testing.assert_frame_equal(snapshot.layer("broadband"), layer)  # shared: never modified
