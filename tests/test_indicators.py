"""Overview indicators on a two-municipality fixture, values checked by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from kek_geo.indicators import REGISTRY, compute_table, indicators_for
from kek_geo.indicators.registry import ratio
from kek_geo.settings import KREIS_AGS
from kek_geo.snapshot import Snapshot
from tests.helpers import MemorySource


@pytest.fixture
def source() -> MemorySource:
    gemeinden = pd.DataFrame(
        {
            "ags": ["05758002", "05758001"],
            "name": ["Bdorf", "Astadt"],
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
            "release": ["2021-06"] * 3 + ["2020-12"],
            "ags": ["05758001", "05758002", KREIS_AGS, "05758001"],
            "segment": "households",
            "technology": "all",
            "threshold_mbit": 1000,
            "share_pct": [40.0, 70.0, 62.5, 10.0],
        }
    )
    return MemorySource(gemeinden=gemeinden, broadband=broadband)


def test_table_rows_are_municipalities_then_district(source: MemorySource) -> None:
    table = compute_table(source, indicators_for("overview"))
    assert table.index.tolist() == ["05758001", "05758002", KREIS_AGS]
    assert table["gemeinde"].tolist() == ["Astadt", "Bdorf", "Kreis Herford"]


def test_hand_checked_values(source: MemorySource) -> None:
    t = compute_table(source, indicators_for("overview"))
    assert t.loc[KREIS_AGS, "population"] == 4000
    assert t["density"].tolist() == [100.0, 100.0, 100.0]
    # 1000/2 = 500, 3000/3 = 1000, district 4000/5 = 800 (not the mean 750)
    assert t["settlement_density"].tolist() == [500.0, 1000.0, 800.0]
    # district 65+: (900*20 + 3100*30) / 4000 = 27.75
    assert t.loc[KREIS_AGS, "share_65plus"] == pytest.approx(27.75)
    # district under 15 (2022): (900*16 + 3100*12) / 4000 = 12.9
    assert t.loc[KREIS_AGS, "share_u15"] == pytest.approx(12.9)
    # vacancy: (0.05*400 + 0.10*600) / 1000 = 8 %
    assert t.loc[KREIS_AGS, "vacancy"] == pytest.approx(8.0)
    # gigabit: newest release, district as published
    assert t["gigabit_households"].tolist() == [40.0, 70.0, 62.5]


def test_2011_shares_and_the_change_to_2022(source: MemorySource) -> None:
    keys = ("share_65plus_2011", "share_65plus_change", "share_u18")
    t = compute_table(source, [REGISTRY[k] for k in keys])
    # 2011 65+ weighted by the 2011 grid population: (1000*21 + 2000*24) / 3000 = 23
    assert t.loc[KREIS_AGS, "share_65plus_2011"] == pytest.approx(23.0)
    # change: Astadt 20 - 21 = -1, Bdorf 30 - 24 = +6, district 27.75 - 23 = +4.75
    assert t["share_65plus_change"].tolist() == pytest.approx([-1.0, 6.0, 4.75])
    # under 18 (2011) missing in Bdorf: the district uses Astadt only, Bdorf stays missing
    assert math.isnan(float(t.loc["05758002", "share_u18"]))
    assert t.loc[KREIS_AGS, "share_u18"] == pytest.approx(15.0)


def test_every_indicator_names_its_data_date(source: MemorySource) -> None:
    for ind in REGISTRY.values():
        assert ind.as_of is not None, ind.key
    assert REGISTRY["gigabit_households"].data_date(source, "de") == "Breitbandatlas Mitte 2021"
    assert REGISTRY["gigabit_households"].data_date(source, "en") == "Breitbandatlas mid 2021"
    assert REGISTRY["share_65plus"].data_date(source, "de") == (
        "Zensus 2022, 1-km-Gitter (15.05.2022)"
    )
    assert REGISTRY["share_u18"].data_date(source, "de") == "Zensus 2011 (09.05.2011)"
    assert REGISTRY["mob_class_ac_pop"].data_date(source, "de").endswith("kein Fahrplan importiert")


def test_ratio_with_a_missing_input_gives_missing_district() -> None:
    a, b = "05758001", "05758002"
    r = ratio(pd.Series({a: 1.0, b: float("nan")}), pd.Series({a: 2.0, b: 1.0}))
    assert r[a] == 0.5
    assert math.isnan(r[b])
    assert math.isnan(r[KREIS_AGS])


def test_registry_metadata_is_complete() -> None:
    for ind in REGISTRY.values():
        assert ind.name_de and ind.name_en and ind.method_de and ind.method_en, ind.key
        for th in ind.thresholds:
            assert th.source_de and th.source_en, (ind.key, th.key)
            assert th.min_value <= th.default <= th.max_value, (ind.key, th.key)


def test_real_snapshot_overview(snapshot: Snapshot) -> None:
    t = compute_table(snapshot, indicators_for("overview"))
    assert t.loc[KREIS_AGS, "population"] == 254_008
    assert t.loc[KREIS_AGS, "density"] == pytest.approx(254_008 / 450.43, rel=1e-3)
    assert t.loc["05758028", "gigabit_households"] == pytest.approx(0.35)
    assert t.loc[KREIS_AGS, "gigabit_households"] == pytest.approx(64.56)
    # one figure for the district's 65+ share: Zensus 2022 (the 2011 grid gave 21.3 %)
    assert t.loc[KREIS_AGS, "share_65plus"] == pytest.approx(22.6, abs=0.05)
