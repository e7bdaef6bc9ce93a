"""Vergleich: the nine municipalities side by side, sorted, with the district and small maps."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from kek_geo.indicators import REGISTRY, compute_table
from kek_geo.settings import KREIS_AGS
from kek_geo.snapshot import Snapshot
from kek_geo.views.comparison import comparison_table, small_multiples, sort_order
from tests.helpers import ROOT, show_page

KEYS = ("gigabit_households", "syn_share_multi_gap", "population")


def test_municipalities_are_sorted_better_first_and_the_kreis_comes_last(
    snapshot: Snapshot,
) -> None:
    table = compute_table(snapshot, [REGISTRY[k] for k in KEYS])
    names = dict(zip(table.index, table["gemeinde"], strict=True))
    # higher is better: Löhne 77,2 %, Herford 74,4 %, Bünde 73,3 % … Rödinghausen 0,4 %
    gigabit = [names[a] for a in sort_order(table, "gigabit_households")]
    assert gigabit[:3] == ["Löhne", "Herford", "Bünde"] and gigabit[-1] == "Rödinghausen"
    # lower is better: Spenge's 7,9 % of residents with several gaps comes last
    assert names[sort_order(table, "syn_share_multi_gap")[-1]] == "Spenge"
    # neutral: the highest first
    assert names[sort_order(table, "population")[0]] == "Herford"
    wide = comparison_table(table, KEYS, "de", columns=True)
    assert wide.columns[0] == "Kennzahl" and wide.columns[-1] == "Kreis Herford"
    assert list(wide.columns)[1:4] == ["Löhne", "Herford", "Bünde"]
    assert wide.iloc[0, 0] == "Haushalte mit Gigabit (%)"
    assert wide.iloc[2, -1] == 254008.0
    long = comparison_table(table, KEYS, "en", columns=False, rounded=False)
    assert list(long.columns) == ["Municipality", "Households with gigabit (%)",
                                  REGISTRY["syn_share_multi_gap"].header("en"),
                                  REGISTRY["population"].header("en")]  # fmt: skip
    assert long.iloc[-1, 0] == "Kreis Herford"
    assert long.iloc[-1, 1] == table.loc[KREIS_AGS, "gigabit_households"]  # full precision
    fig = small_multiples(snapshot, table, KEYS, "de")
    assert len(fig.axes) == 3
    assert "Kreis: 64,6 %" in fig.axes[0].get_title()
    assert {t.get_text() for t in fig.axes[0].texts} >= {"77,2", "0,4"}


def test_the_page_renders_table_and_maps() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    show_page(at, "pages/comparison.py")
    assert not at.exception
    shown = at.dataframe[0].value
    assert list(shown.columns)[-1] == "Kreis Herford"
    assert at.get("imgs") or at.get("image")
    at.toggle(key="comparison_columns").set_value(False).run()
    assert at.dataframe[0].value.iloc[-1, 0] == "Kreis Herford"
