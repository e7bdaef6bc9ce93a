"""Gemeinde-Steckbrief: ranks, the data-driven SWOT draft and its rule, team entries, page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from kek_geo.indicators import REGISTRY, compute_table
from kek_geo.key_messages import is_sum
from kek_geo.profile import figures_frame, key_message, rank, relative_difference, swot_draft
from kek_geo.settings import KREIS_AGS
from kek_geo.snapshot import Snapshot
from kek_geo.storage import SwotError, SwotStore, make_entry
from kek_geo.ui import cache, store
from tests.helpers import ROOT, show_page

A, B, C = "05758001", "05758002", "05758003"


def hand_table() -> pd.DataFrame:
    """Three municipalities and the district, values chosen to test each part of the rule."""
    return pd.DataFrame(
        {
            "gemeinde": ["A", "B", "C", "Kreis"],
            # higher is better, a share: A +20 % and +10 points, B −10 % but −5 points
            "gigabit_households": [60.0, 45.0, 50.0, 50.0],
            # lower is better, a share on a tiny base: A 0,5 vs 0,4 is +25 % worse but only
            # 0,1 point – no weakness; C 2,0 vs 0,4 is a weakness
            "syn_share_multi_gap": [0.5, 0.4, 2.0, 0.4],
            # a count: the district value is the sum – never compared
            "mob_gap_pop": [100.0, 0.0, 50.0, 150.0],
            # neutral: never a strength or weakness
            "share_65plus": [30.0, 20.0, 20.0, 22.0],
            # lower is better, metres: A 1.500 vs 1.000 is 50 % worse
            "mob_stop_distance": [1500.0, 900.0, 1000.0, 1000.0],
        },
        index=[A, B, C, KREIS_AGS],
    )


def test_the_swot_rule_by_hand() -> None:
    table = hand_table()
    inds = [REGISTRY[k] for k in table.columns[1:]]
    assert is_sum(table, "mob_gap_pop") and not is_sum(table, "gigabit_households")
    assert relative_difference(table, "gigabit_households", A) == pytest.approx(20.0)
    assert relative_difference(table, "mob_stop_distance", A) == pytest.approx(-50.0)
    strengths, weaknesses = swot_draft(table, inds, A, 10.0, "de")
    assert [s.key for s in strengths] == ["gigabit_households"]
    assert [w.key for w in weaknesses] == ["mob_stop_distance"]  # 0,1 point is no weakness
    assert strengths[0].text == "Haushalte mit Gigabit: 60,0 % (Kreis 50,0 %, 20 % besser)"
    _, weaknesses_c = swot_draft(table, inds, C, 10.0, "de")
    assert [w.key for w in weaknesses_c] == ["syn_share_multi_gap"]  # +400 % and 1,6 points
    strengths_b, weaknesses_b = swot_draft(table, inds, B, 10.0, "de")
    assert [s.key for s in strengths_b] == ["mob_stop_distance"]  # 900 vs 1.000: 10 % better
    assert [w.key for w in weaknesses_b] == ["gigabit_households"]  # −10 %, 5 points
    # a wider margin keeps only the clearest
    assert swot_draft(table, inds, B, 11.0, "de") == ([], [])
    # ranks: 1 = best; ties share the better rank; lower is better turns the order
    assert [rank(table, "gigabit_households", x) for x in (A, B, C)] == [1, 3, 2]
    assert [rank(table, "syn_share_multi_gap", x) for x in (A, B, C)] == [2, 1, 3]
    assert [rank(table, "share_65plus", x) for x in (A, B, C)] == [1, 2, 2]
    frame = figures_frame(table, inds, A, "de")
    assert frame.iloc[0].tolist() == ["Haushalte mit Gigabit (%)", "60,0 %", "50,0 %", "1 von 3",
                                      "+20 %", "↑ besser als der Kreis"]  # fmt: skip
    # lower is better: a longer way is worse; a neutral share is only above or below
    assert frame.iloc[4, -1] == "↑ schlechter als der Kreis"
    assert frame.iloc[3, -1] == "↑ über dem Kreis"
    assert frame.iloc[2, -2] == ""  # a count: not compared, but given as its part
    assert frame.iloc[2, -1] == "67 % des Kreises"


def test_the_draft_on_the_real_data(snapshot: Snapshot) -> None:
    table = compute_table(snapshot, list(REGISTRY.values()))
    sums = {k for k in REGISTRY if is_sum(table, k)}
    assert {"population", "mob_gap_pop", "syn_people_multi_gap"} <= sums
    assert not {"gigabit_households", "share_65plus", "mob_stop_pop"} & sums
    assert rank(table, "gigabit_households", "05758028") == 9  # Rödinghausen, 0,35 %
    assert rank(table, "gigabit_households", "05758024") == 1  # Löhne, 77,2 %
    _, weaknesses = swot_draft(table, list(REGISTRY.values()), "05758028", 10.0, "de")
    assert "gigabit_households" in {w.key for w in weaknesses}
    strengths, _ = swot_draft(table, list(REGISTRY.values()), "05758012", 10.0, "de")
    assert "gigabit_households" in {s.key for s in strengths}  # Herford 74,4 % vs 64,6 %


@pytest.fixture
def entries(engine: Engine) -> SwotStore:
    return SwotStore(engine)


def test_team_entries_on_both_engines(entries: SwotStore, engine: Engine) -> None:
    first = entries.add(make_entry("05758032", "chance", " Radweg\u202e nach Enger ", "Amt 61"))
    entries.add(make_entry("05758032", "risiko", "Schulweg über die B 239", "Amt 40"))
    entries.add(make_entry("05758004", "bemerkung", "anderswo", "X"))
    assert [(e.kind, e.text) for e in entries.list("05758032")] == [
        ("chance", "Radweg nach Enger"), ("risiko", "Schulweg über die B 239"),
    ]  # fmt: skip
    assert entries.delete(first.id) and not entries.delete(first.id)
    assert len(entries.list("05758032")) == 1
    for kind, text, author, problem in (
        ("idee", "x", "a", "unknown kind"),
        ("chance", " \u200b ", "a", "1 to 1000 characters"),
        ("chance", "x" * 1001, "a", "1 to 1000 characters"),
        ("chance", "x", " ", "who writes"),
    ):
        with pytest.raises(SwotError, match=problem):
            make_entry("05758032", kind, text, author)
    # the database refuses what the model would
    with engine.connect() as conn, pytest.raises(sa.exc.IntegrityError):
        conn.execute(sa.text(
                "INSERT INTO swot_entry VALUES ('x', '05758032', 'idee', 't', 'a', '2026-12-03')"
            ))  # fmt: skip


@pytest.fixture
def fresh_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("KEK_DATA_DIR", str(tmp_path / "data"))
    cache.settings.clear()
    store.engine.clear()
    yield
    store.engine().dispose()
    cache.settings.clear()
    store.engine.clear()


def test_the_page_saves_an_entry(fresh_database: None) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    show_page(at, "pages/profile.py")
    at.selectbox(key="profile_gemeinde").set_value("05758028").run()
    assert not at.exception, [e.message for e in at.exception]
    text = " ".join(m.value for m in at.markdown)
    assert "Haushalte mit Gigabit\\: 0,4 %" in text  # a weakness of Rödinghausen
    at.text_input[0].set_value("Planungsamt")
    at.text_area[0].set_value("<b>Glasfaser</b> im Neubaugebiet")
    at.button[-1].click().run()  # the form's submit button
    assert not at.exception
    (entry,) = store.swot_store().list("05758028")
    assert (entry.kind, entry.text, entry.author) == (
        "chance", "<b>Glasfaser</b> im Neubaugebiet", "Planungsamt",
    )  # fmt: skip
    shown = " ".join(m.value for m in at.markdown)
    assert "\\<b\\>Glasfaser\\</b\\>" in shown  # escaped: shown as typed, never as markup


def test_the_profile_key_message_names_the_largest_weakness() -> None:
    table = hand_table()
    inds = [REGISTRY[k] for k in table.columns[1:]]
    dates = {ind.key: "2024" for ind in inds}
    # A: the way to a stop is 50 % longer than in the district, its only weakness
    assert key_message(table, inds, A, "de", dates) == (
        "Größter Rückstand von **A** gegenüber dem Kreis – Mittlere Entfernung zur Haltestelle\\: "
        "1.500 m (Kreis 1.000 m, 50 % schlechter); Stand: 2024."
    )
    # C: 2,0 % with several gaps against 0,4 % (+400 %) comes before anything smaller
    assert key_message(table, inds, C, "en", dates) == (
        "Largest lag of **C** behind the district – Share of residents with several gaps\\: 2.0 % "
        "(district 0.4 %, 400 % worse); as of 2024."
    )
    table.loc[A, "mob_stop_distance"] = 1000.0
    assert key_message(table, inds, A, "de", dates) == (
        "**A** liegt bei keiner Kennzahl um mehr als 10 % hinter dem Kreis."
    )
