"""A shared link opens the same view: indicator, thresholds, municipality, language, layers."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.helpers import ROOT, show_page, shown_map

APP = str(ROOT / "app.py")
HERFORD = "05758012"


def open_with(page: str, **params: str) -> AppTest:
    """Open a page from a link (AppTest runs the start page first, as after a restart)."""
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.query_params.clear()
    for name, value in params.items():
        at.query_params[name] = value
    show_page(at, page)
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_a_link_restores_indicator_thresholds_municipality_and_language() -> None:
    at = open_with(
        "pages/mobility.py",
        indikator="mob_gap_share",
        mob_stop_radius_m="400",
        gemeinde=HERFORD,
        lang="en",
    )
    assert at.title[0].value == "Mobility"
    assert at.selectbox(key="mobility_indicator").value == "mob_gap_share"
    assert at.slider(key="mobility_mob_stop_radius_m").value == 400
    captions = " ".join(c.value for c in at.caption)
    assert "Chosen: **Herford**" in captions
    # the page writes its whole view back into the link
    link = at.query_params
    assert link["indikator"] == ["mob_gap_share"] or link["indikator"] == "mob_gap_share"


def test_a_later_choice_wins_over_the_link_and_goes_into_it() -> None:
    at = open_with("pages/mobility.py", mob_stop_radius_m="400")
    at.slider(key="mobility_mob_stop_radius_m").set_value(800).run()
    assert at.slider(key="mobility_mob_stop_radius_m").value == 800
    assert "800" in str(at.query_params["mob_stop_radius_m"])


def test_invalid_values_in_a_link_are_ignored() -> None:
    at = open_with(
        "pages/mobility.py",
        indikator="no_such_indicator",
        mob_stop_radius_m="99999",
        gemeinde="01001000",
        lang="xx",
    )
    assert at.title[0].value == "Mobilität"
    assert at.selectbox(key="mobility_indicator").value == "mob_stop_pop"
    assert at.slider(key="mobility_mob_stop_radius_m").value == 600
    assert not any("Gewählt" in c.value for c in at.caption)


def test_overview_link_restores_layers_and_municipality() -> None:
    at = open_with("pages/overview.py", ebenen="rail,hospitals", gemeinde=HERFORD)
    assert at.session_state["ov_overlays"] == ["rail", "hospitals"]
    assert at.selectbox(key="ov_gemeinde").value == HERFORD
    assert "Kennzahlen: Herford" in [s.value for s in at.subheader]


def test_compared_with_the_district_from_a_link_and_not_for_counts() -> None:

    at = open_with("pages/broadband.py", farben="kreis", indikator="bb_households_ftth")
    assert at.toggle(key="broadband_compared").value is True
    script = shown_map(at.get("component_instance")[0])
    assert "im Vergleich zum Kreis" in script
    # the overview opens on the population, a count: the switch is off and disabled
    at = open_with("pages/overview.py", farben="kreis")
    assert at.toggle(key="ov_compared").disabled
    script = shown_map(at.get("component_instance")[0])
    assert "im Vergleich zum Kreis" not in script
