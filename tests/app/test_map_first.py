"""The map first (kek_geo.ui.map_first): a page shows its map before its tables and charts.

In the browser the map frame reports "drawn" and that reruns the page; here the second
``run()`` plays that report.
"""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from kek_geo.i18n import t
from tests.helpers import ROOT

APP = str(ROOT / "app.py")
AFTER_MAP = t("page.after_map", "de")


def announcing(at: AppTest) -> list[bool]:
    """For each map of the page: whether its frame reports when it has drawn."""
    return [
        bool(json.loads(m.proto.json_args)["announce_drawn"])  # a token, or empty
        for m in at.get("component_instance")
    ]


def waiting_lines(at: AppTest) -> int:
    return sum(c.value == AFTER_MAP for c in at.caption)


def test_the_first_run_shows_the_map_and_the_table_follows_its_report() -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    assert announcing(at) == [True]
    assert len(at.dataframe) == 0
    assert waiting_lines(at) == 1
    # the key figures beside the map do not wait: they are text
    assert any("| Kennzahl |" in m.value for m in at.markdown)
    at.run()  # the frame's report
    assert not at.exception
    assert announcing(at) == [False]
    assert len(at.dataframe) == 1
    assert waiting_lines(at) == 0


def _two_maps_a_table_and_a_chart() -> None:
    """A page's script run: two maps, then a table and a chart (AppTest.from_function)."""
    import altair as alt
    import pandas as pd
    import streamlit as st

    from kek_geo.ui import frame, map_first

    map_first.begin_run()
    st.session_state["announced"] = [bool(map_first.map_placed()), bool(map_first.map_placed())]
    table = pd.DataFrame({"Gemeinde": ["Enger"], "Wert": [1.5]})
    frame.show_table(table, "de")
    frame.show_chart(alt.Chart(table).mark_bar().encode(x="Wert"), "de")


def test_only_the_first_map_of_a_run_announces_and_charts_wait_like_tables() -> None:
    at = AppTest.from_function(_two_maps_a_table_and_a_chart).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.session_state["announced"] == [True, False]
    assert len(at.dataframe) == 0
    assert at.get("vega_lite_chart") == []
    assert waiting_lines(at) == 2
    at.run()  # the frame's report: the same page again
    assert at.session_state["announced"] == [False, False]
    assert len(at.dataframe) == 1
    assert len(at.get("vega_lite_chart")) == 1
    assert waiting_lines(at) == 0


def test_a_shown_table_keeps_its_place_while_the_browser_loads_it() -> None:
    """The table's place keeps the waiting line's height; a chart of unknown height none."""
    at = AppTest.from_function(_two_maps_a_table_and_a_chart).run()
    line = at.main.children[0]
    assert line.proto.height_config.pixel_height == 72  # a header and one row: 2 × 35 + 2
    at.run()
    table, chart = at.main.children.values()
    assert table.key == "kek_place_1" and len(table.children) == 1
    assert chart.key == "kek_place_2" and len(chart.children) == 1
    styles = [h.proto.body for h in at.get("html")]
    assert styles == ["<style>.st-key-kek_place_1 {min-height: 72px}</style>"]


def _keyed_places() -> None:
    import altair as alt
    import pandas as pd

    from kek_geo.ui import frame, map_first

    map_first.begin_run()
    table = pd.DataFrame({"Jahr": [2011, 2022], "Wert": [1.5, 2.5]})
    frame.show_table(table, "de", key="trend.table 1")
    frame.show_chart(alt.Chart(table).mark_line().encode(x="Jahr:O", y="Wert:Q"), "de", key="c")
    frame.show_line_chart(table.set_index("Jahr"), "de")


def test_a_place_is_named_after_its_element() -> None:
    """Named places stay the same from run to run; a value axis holds Streamlit's height."""
    at = AppTest.from_function(_keyed_places).run()
    assert not at.exception, [e.message for e in at.exception]
    keys = [block.key for block in at.main.children.values()]
    assert keys == ["kek_place_trend-table-1", "kek_place_c", "kek_place_1"]
    styles = [h.proto.body for h in at.get("html")]
    assert styles == [
        "<style>.st-key-kek_place_trend-table-1 {min-height: 107px}</style>",
        "<style>.st-key-kek_place_c {min-height: 350px}</style>",
        "<style>.st-key-kek_place_1 {min-height: 350px}</style>",
    ]


def test_each_page_visit_shows_its_map_first() -> None:
    at = AppTest.from_file(APP, default_timeout=60).run().run()
    assert len(at.dataframe) == 1
    at.switch_page("pages/education.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert announcing(at)[0]
    assert len(at.dataframe) == 0 and waiting_lines(at) >= 1
    at.run()
    assert not any(announcing(at))
    assert len(at.dataframe) >= 1 and waiting_lines(at) == 0
    # an interaction on the page reruns it with everything shown
    at.switch_page("pages/overview.py").run().run()
    at.selectbox(key="ov_indicator").set_value("gigabit_households").run()
    assert not any(announcing(at)) and len(at.dataframe) == 1


def _one_map_then_a_table(enabled: bool) -> None:
    import pandas as pd
    import streamlit as st

    from kek_geo.ui import frame, map_first

    map_first.begin_run(enabled=enabled)
    st.session_state["announced"] = map_first.map_placed()
    frame.show_table(pd.DataFrame({"Gemeinde": ["Enger"]}), "de")


def test_the_kiosk_waits_for_nothing() -> None:
    at = AppTest.from_function(_one_map_then_a_table, args=(False,)).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.session_state["announced"] == ""
    assert len(at.dataframe) == 1 and waiting_lines(at) == 0


def test_each_opening_gets_a_new_token() -> None:
    """A frame that reported before reports again (a session the server lost, same page)."""
    first = AppTest.from_function(_one_map_then_a_table, args=(True,)).run()
    again = AppTest.from_function(_one_map_then_a_table, args=(True,)).run()
    tokens = [first.session_state["announced"], again.session_state["announced"]]
    assert all(tokens) and tokens[0] != tokens[1]


def _a_map_in_a_fragment() -> None:
    import pandas as pd
    import streamlit as st

    from kek_geo.ui import frame, map_first

    map_first.begin_run()
    st.session_state["announced"] = map_first.map_placed()

    @st.fragment
    def part() -> None:
        st.session_state["in_fragment"] = bool(map_first.map_placed())
        frame.show_table(pd.DataFrame({"Gemeinde": ["Enger"]}), "de")

    part()


def test_a_table_in_a_fragment_waits_in_the_full_run() -> None:
    at = AppTest.from_function(_a_map_in_a_fragment).run()
    assert at.session_state["announced"]
    assert at.session_state["in_fragment"] is False  # the page's first map was another
    assert len(at.dataframe) == 0 and waiting_lines(at) == 1


def test_a_first_page_without_a_map_shows_its_tables_at_once() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/comparison.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert announcing(at) == []
    assert len(at.dataframe) == 1
    assert waiting_lines(at) == 0


def test_the_waiting_line_speaks_english() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert any(c.value == t("page.after_map", "en") for c in at.caption)
