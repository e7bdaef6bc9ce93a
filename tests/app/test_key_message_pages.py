"""Each page opens with its key message, computed from the snapshot; key figures say better/worse."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.test_pages import APP, run_app
from tests.helpers import show_page


def first_markdown(at: AppTest) -> str:
    """The first Markdown under the title: the key message's slot."""
    return str(at.markdown[0].value)


def test_overview_opens_with_the_largest_and_smallest_municipality() -> None:
    at = run_app()
    assert first_markdown(at) == (
        "**Herford** hat mit **66.985 Einw.** den höchsten, **Rödinghausen** mit **9.962 Einw.** "
        "den niedrigsten Wert bei „Einwohner“ (Kreis insgesamt\\: 254.008 Einw.; Stand\\: "
        "Zensus 2022 (15.05.2022))."
    )
    at.selectbox(key="ov_indicator").set_value("gigabit_households").run()
    assert first_markdown(at).startswith(
        "**Rödinghausen** liegt bei „Haushalte mit Gigabit“ am weitesten zurück: **0,4 %**, "
        "64,2 %-Punkte unter dem Kreis"
    )


def test_theme_page_message_follows_the_indicator_on_the_map() -> None:
    at = run_app("pages/broadband.py")
    assert first_markdown(at).startswith("**Vlotho** liegt bei „Haushalte mit ≥ 30 Mbit/s“")
    at.selectbox(key="broadband_indicator").set_value("gigabit_households").run()
    message = first_markdown(at)
    assert message.startswith("**Rödinghausen** liegt bei „Haushalte mit Gigabit“")
    assert "(Kreis\\: 64,6 %; Stand\\: Breitbandatlas Mitte 2021)." in message


def test_english_key_message() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["lang_en"] = True
    at.run()
    show_page(at, "pages/synthesis.py")
    assert not at.exception
    assert first_markdown(at).startswith(
        "**Spenge** lags furthest behind on “Cells with several gaps”: **53 cells**, 26 % of "
        "the district"
    )


def test_key_figures_compare_with_the_kreis() -> None:
    at = run_app()
    at.selectbox(key="ov_gemeinde").set_value("05758028").run()
    figures = next(m.value for m in at.markdown if "| Kennzahl |" in m.value)
    assert "| Kennzahl | Rödinghausen | Kreis Herford | Im Vergleich zum Kreis |" in figures
    assert "| Haushalte mit Gigabit⁴ | 0,4 % | 64,6 % | ↓ schlechter als der Kreis |" in figures
    assert "| Einwohner¹ | 9.962 Einw. | 254.008 Einw. | 4 % des Kreises |" in figures
    assert "↓ unter dem Kreis |" in figures  # the share 65+ is neutral


def test_profile_and_comparison_open_with_their_key_message() -> None:
    at = run_app("pages/profile.py")
    assert first_markdown(at) == (
        "**Bünde** liegt bei keiner Kennzahl um mehr als 10 % hinter dem Kreis."
    )
    at.selectbox(key="profile_gemeinde").set_value("05758008").run()
    assert first_markdown(at).startswith(
        "Größter Rückstand von **Enger** gegenüber dem Kreis – Mittlere Entfernung zum Bahnhof"
    )
    at = run_app("pages/comparison.py")
    # the comparison's first indicator (its sort order) gives the sentence
    assert first_markdown(at).startswith("**Herford** hat mit **66.985 Einw.** den höchsten")
