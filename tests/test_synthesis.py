"""Overall-picture indicators on a hand-made fixture (values checked by hand) and the snapshot.

Fixture (EPSG:25832, cell centres at y = 5,780,050 unless said):

    cell  ags  centre x  pop  1 km (65+)  stop              Grundschule  gigabit   gaps
    k1    001  470,050   100  A (30 %)    500 m     -       0 m    -     70 ≥ 62.5 elderly          = 1
    k2    001  471,050    50  B (20 %)    1,118 m   stop    1,000 m -    -         stop             = 1
    k3    002  473,050    80  C (25 %)    3,015 m   stop    3,000 m school 50 < 62.5 all four      = 4
    k4    002  474,050    20  D (NaN)     2,022 m   stop    2,000 m -    gigabit   stop, gigabit    = 2
    k5    002  476,050    40  C (25 %)    300 m     -       0 m    -     gigabit   gigabit, elderly = 2
    k6    002  476,050*   60  B (20 %)    200 m     -       100 m  -     gigabit   gigabit          = 1

    * k6 at y = 5,780,150. Bus stops at (470,050, 5,780,550) and (476,050, 5,780,350); an
    on-demand stop right on k4 and a Förderschule right on k3 do not count. Grundschulen at
    470,050 and 476,050. Gigabit (2021-06): Astadt 70 %, Bdorf 50 %, district 62.5 %; the older
    2020-12 value of Bdorf (90 %) is ignored. 1 km cell D has a suppressed 65+ share.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from kek_geo.analysis.synthesis import (
    GapThresholds,
    cell_inputs,
    flags_from_inputs,
    gap_count,
    gap_flags,
    gap_labels,
    gap_summary,
    gigabit_below,
    missing_inputs,
    parent_share_65plus,
)
from kek_geo.indicators import REGISTRY, compute_table, indicators_for
from kek_geo.maps import render_html
from kek_geo.settings import KREIS_AGS, get_settings
from kek_geo.snapshot import Snapshot
from kek_geo.views.synthesis import VIEW, details, gap_cells, gap_label_texts
from tests.helpers import MemorySource, gdf, square

A, B = "05758001", "05758002"
Y0 = 5_780_000.0
ALL_FOUR = "Haltestelle > 600 m · Gigabit unter Kreiswert · Grundschule > 2 km · 65+ ≥ 25 %"


def _cell(
    cid: str, ags: str, x0: float, pop: float, *, km: str, y0: float = Y0
) -> dict[str, object]:
    return {
        "cell_id": cid,
        "ags": ags,
        "population_est": pop,
        "cell_1km": km,
        "geometry": square(x0, y0, 100.0),
    }


def _point(x: float, y: float, **props: object) -> dict[str, object]:
    return {**props, "geometry": shapely.Point(x, y)}


@pytest.fixture
def source() -> MemorySource:
    cells = gdf(
        [
            _cell("k1", A, 470_000.0, 100.0, km="A"),
            _cell("k2", A, 471_000.0, 50.0, km="B"),
            _cell("k3", B, 473_000.0, 80.0, km="C"),
            _cell("k4", B, 474_000.0, 20.0, km="D"),
            _cell("k5", B, 476_000.0, 40.0, km="C"),
            _cell("k6", B, 476_000.0, 60.0, km="B", y0=Y0 + 100.0),
        ]
    )
    stops = gdf(
        [
            _point(470_050.0, 5_780_550.0, mode="bus"),
            _point(476_050.0, 5_780_350.0, mode="bus"),
            _point(474_050.0, 5_780_050.0, mode="on_demand"),
        ]
    )
    schools = gdf(
        [
            _point(470_050.0, 5_780_050.0, school_type="Grundschule"),
            _point(476_050.0, 5_780_050.0, school_type="Grundschule"),
            _point(473_050.0, 5_780_050.0, school_type="Förderschule Grund-/Hauptschule"),
        ]
    )
    broadband = pd.DataFrame(
        {
            "release": ["2021-06"] * 3 + ["2020-12"],
            "ags": [A, B, KREIS_AGS, B],
            "segment": "households",
            "technology": "all",
            "threshold_mbit": 1000,
            "share_pct": [70.0, 50.0, 62.5, 90.0],
        }
    )
    grid_1km = pd.DataFrame(
        {"cell_id": ["A", "B", "C", "D"], "share_65plus": [30.0, 20.0, 25.0, np.nan]}
    )
    gemeinden = pd.DataFrame({"ags": [B, A], "name": ["Bdorf", "Astadt"]})
    return MemorySource(
        grid_100m=cells,
        stops=stops,
        schools=schools,
        broadband=broadband,
        grid_1km=grid_1km,
        gemeinden=gemeinden,
    )


def table(source: MemorySource, **params: float) -> pd.DataFrame:
    return compute_table(source, indicators_for("synthesis"), params)


def test_cell_inputs(source: MemorySource) -> None:
    inputs = cell_inputs(source)
    assert inputs.method == "straight"
    assert inputs.dist_stop == pytest.approx(
        [500.0, 1118.034, 3014.963, 2022.375, 300.0, 200.0], abs=1e-3
    )
    assert inputs.dist_school.tolist() == pytest.approx([0.0, 1000.0, 3000.0, 2000.0, 0.0, 100.0])
    assert inputs.gigabit_share.tolist() == [70.0, 70.0, 50.0, 50.0, 50.0, 50.0]
    assert inputs.gigabit_kreis == 62.5
    np.testing.assert_array_equal(inputs.share65, [30.0, 20.0, 25.0, np.nan, 25.0, 20.0])


def test_gap_flags_and_counts(source: MemorySource) -> None:
    flags = flags_from_inputs(cell_inputs(source), GapThresholds())
    assert flags["stop"].tolist() == [False, True, True, True, False, False]
    assert flags["gigabit"].tolist() == [False, False, True, True, True, True]
    # k4 is exactly 2,000 m from a Grundschule: not beyond the radius
    assert flags["school"].tolist() == [False, False, True, False, False, False]
    # 25 % counts (≥); the suppressed share of k4 is not flagged
    assert flags["elderly"].tolist() == [True, False, True, False, True, False]
    assert gap_count(flags).tolist() == [1, 1, 4, 2, 2, 1]


def test_gap_flags_is_a_pure_function_of_arrays() -> None:
    cells = pd.DataFrame(index=[10, 11, 12])
    flags = gap_flags(
        cells,
        np.array([100.0, 700.0, np.inf]),
        np.array([2500.0, 10.0, 2000.0]),
        np.array([True, False, False]),
        np.array([np.nan, 40.0, 10.0]),
        thresholds=GapThresholds(stop_m=600.0, school_m=2000.0, elderly_pct=30.0),
    )
    assert flags.index.tolist() == [10, 11, 12]
    assert flags.to_numpy().tolist() == [
        [False, True, True, False],
        [True, False, False, True],
        [True, False, False, False],
    ]


def test_gigabit_below_with_missing_values() -> None:
    shares = np.array([50.0, np.nan, 70.0])
    assert gigabit_below(shares, 60.0).tolist() == [True, False, False]
    assert gigabit_below(shares, float("nan")).tolist() == [False, False, False]


def test_parent_share_uses_unique_ids_of_clipped_cells() -> None:
    cells = pd.DataFrame({"cell_1km": ["X", "Y", "Z"]})
    grid = pd.DataFrame({"cell_id": ["Y", "X"], "share_65plus": [22.0, 31.0]})
    np.testing.assert_array_equal(parent_share_65plus(cells, grid), [31.0, 22.0, np.nan])


def test_indicators_with_default_thresholds(source: MemorySource) -> None:
    tab = table(source)
    # ≥ 2 gaps: k3, k4, k5 (all Bdorf)
    assert tab["syn_cells_multi_gap"].tolist() == [0.0, 3.0, 3.0]
    # residents 80 + 20 + 40 = 140
    assert tab["syn_people_multi_gap"].tolist() == [0.0, 140.0, 140.0]
    # Astadt 0 of 150 = 0 %; Bdorf 140 of 200 = 70 %; district 140 of 350 = 40 % (not the mean)
    assert tab["syn_share_multi_gap"].tolist() == pytest.approx([0.0, 70.0, 40.0])
    # 3 or 4 gaps: k3 only, 80 residents
    assert tab["syn_people_three_gaps"].tolist() == [0.0, 80.0, 80.0]


def test_thresholds_change_the_gaps(source: MemorySource) -> None:
    # min 1 gap: every cell: Astadt 2, Bdorf 4
    assert table(source, syn_min_gaps=1.0)["syn_cells_multi_gap"].tolist() == [2.0, 4.0, 6.0]
    # 65+ from 26 %: k3 drops to 3 gaps, k5 to 1; ≥ 2: k3 + k4 = 100 residents
    tab = table(source, syn_elderly_pct=26.0)
    assert tab["syn_people_multi_gap"].tolist() == [0.0, 100.0, 100.0]
    assert tab["syn_people_three_gaps"].tolist() == [0.0, 80.0, 80.0]
    # stop within 2,100 m: k4 (2,022 m) loses its stop gap: ≥ 2 gaps k3 + k5 = 120
    assert table(source, syn_stop_m=2100.0)["syn_people_multi_gap"].tolist() == [0.0, 120.0, 120.0]
    # school within 1,500 m: k4 (2,000 m) gains a school gap: 3 gaps, 80 + 20 = 100
    tab = table(source, syn_school_m=1500.0)
    assert tab["syn_people_three_gaps"].tolist() == [0.0, 100.0, 100.0]


def test_gap_labels_and_summary(source: MemorySource) -> None:
    inputs = cell_inputs(source)
    flags = flags_from_inputs(inputs, GapThresholds())
    labels = gap_labels(flags, gap_label_texts({}, "de"))
    assert labels[2] == ALL_FOUR
    assert labels[3] == "Haltestelle > 600 m · Gigabit unter Kreiswert"
    assert labels[0] == "65+ ≥ 25 %"
    summary = gap_summary(flags, inputs.cells)
    assert summary.index.tolist() == [A, B, KREIS_AGS]
    # stop gap: k2 (Astadt, 50) and k3, k4 (Bdorf, 80 + 20)
    assert summary["cells_stop"].tolist() == [1.0, 2.0, 3.0]
    assert summary["people_stop"].tolist() == [50.0, 100.0, 150.0]
    # gigabit: all 4 Bdorf cells, 200 residents
    assert summary["people_gigabit"].tolist() == [0.0, 200.0, 200.0]
    assert summary["cells_school"].tolist() == [0.0, 1.0, 1.0]
    # elderly: k1 (100) and k3, k5 (80 + 40)
    assert summary["people_elderly"].tolist() == [100.0, 120.0, 220.0]
    assert summary["people"].tolist() == [150.0, 200.0, 350.0]


def test_missing_inputs_are_reported(source: MemorySource) -> None:
    missing = missing_inputs(cell_inputs(source))
    # k4's 1 km cell has a suppressed 65+ share: 1 cell, 20 residents
    assert missing.loc["elderly"].tolist() == [1.0, 20.0]
    assert missing.loc["gigabit"].tolist() == [0.0, 0.0]


def test_a_missing_broadband_release_flags_nothing(source: MemorySource) -> None:
    source.layers["broadband"] = source.layers["broadband"].iloc[0:0]
    flags = flags_from_inputs(cell_inputs(source), GapThresholds())
    assert not flags["gigabit"].any()
    assert missing_inputs(cell_inputs(source)).loc["gigabit"].tolist() == [6.0, 350.0]


def test_map_cells_and_details(source: MemorySource) -> None:
    params = {"syn_min_gaps": 2.0}
    cells = gap_cells(cell_inputs(source), params, "de")
    assert cells["n_gaps"].tolist() == ["4", "2", "2"]
    assert cells["n_label"].tolist() == ["4 Lücken", "2 Lücken", "2 Lücken"]
    assert cells["gaps"].iloc[0] == ALL_FOUR
    english = gap_label_texts({"syn_stop_m": 1500.0, "syn_school_m": 2500.0}, "en")
    assert english["stop"] == "Stop > 1.5 km"
    assert english["school"] == "Primary school > 2.5 km"


def test_metadata() -> None:
    keys = [i.key for i in indicators_for("synthesis")]
    assert keys == [
        "syn_cells_multi_gap",
        "syn_people_multi_gap",
        "syn_share_multi_gap",
        "syn_people_three_gaps",
    ]
    for ind in indicators_for("synthesis"):
        assert ind.higher_is_better is False
        assert all(th.key.startswith("syn_") for th in ind.thresholds)


# ------------------------------------------------------------------ real snapshot


def test_real_snapshot_synthesis(snapshot: Snapshot) -> None:
    tab = compute_table(snapshot, indicators_for("synthesis"))
    municipal = tab.drop(index=KREIS_AGS)
    for key in ("syn_cells_multi_gap", "syn_people_multi_gap", "syn_people_three_gaps"):
        assert tab.loc[KREIS_AGS, key] == pytest.approx(municipal[key].sum())
    assert tab["syn_share_multi_gap"].between(0.0, 100.0).all()
    assert (tab["syn_people_three_gaps"] <= tab["syn_people_multi_gap"]).all()
    # the three towns above the district's gigabit share (Bünde, Herford, Löhne) can only have
    # stop, school and 65+ gaps: few cells
    for ags in ("05758004", "05758012", "05758024"):
        assert tab.loc[ags, "syn_share_multi_gap"] < 5.0
    assert 5.0 < tab.loc[KREIS_AGS, "syn_share_multi_gap"] < 25.0
    inputs = cell_inputs(snapshot)
    assert inputs.gigabit_kreis == pytest.approx(64.56)
    missing = missing_inputs(inputs)
    assert missing.loc["gigabit", "cells"] == 0
    assert 0 < missing.loc["elderly", "cells"] < 100
    # min 1 gap: at least every cell of the six municipalities below the district's gigabit share
    one = compute_table(snapshot, [REGISTRY["syn_cells_multi_gap"]], {"syn_min_gaps": 1.0})
    below = ["05758008", "05758016", "05758020", "05758028", "05758032", "05758036"]
    grid = snapshot.layer("grid_100m")
    assert one.loc[KREIS_AGS, "syn_cells_multi_gap"] >= grid["ags"].isin(below).sum()


def test_real_snapshot_synthesis_map_and_details(snapshot: Snapshot) -> None:
    ind = REGISTRY["syn_share_multi_gap"]
    params = ind.defaults()
    values = compute_table(snapshot, [ind])[ind.key]
    result = VIEW.build_map(
        snapshot, get_settings(), indicator=ind, values=values, params=params, lang="de"
    )
    html = render_html(result.map)
    # tooltip values are HTML-escaped, then JSON-encoded into the script
    assert "Haltestelle \\u0026gt; 600 m" in html
    assert '"n_gaps": "4"' in html and '"n_gaps": "1"' not in html
    assert "broadband" in result.layers
    sections = details(snapshot, params, "de")
    assert "600 m" in sections.criteria and "64,6\u00a0%" in sections.criteria
    assert len(sections.table) == 10
    assert sections.table.iloc[-1, 0] == "Kreis Herford"
    assert int(sections.table.iloc[-1, 1]) == 9422
    assert "Zensus geheim" in sections.missing
