"""The kiosk with Streamlit's AppTest: its pages, its stories, and nothing else reachable."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kek_geo.pages import pages_for
from kek_geo.ui import cache, store
from tests.helpers import ROOT, show_page

APP = str(ROOT / "app.py")
KIOSK = pages_for("kiosk")
PLANNER_ONLY = [p for p in pages_for("planner") if "kiosk" not in p.modes]


@pytest.fixture(autouse=True)
def kiosk_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("KEK_MODE", "kiosk")
    monkeypatch.setenv("KEK_DATA_DIR", str(tmp_path / "data"))
    cache.settings.clear()
    store.engine.clear()
    yield
    monkeypatch.delenv("KEK_MODE")
    cache.settings.clear()
    store.engine.clear()


def run(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    if page:
        show_page(at, page)
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def html(at: AppTest) -> str:
    return " ".join(el.proto.body for el in at.get("html"))


def test_the_start_screen_shows_every_story_with_its_figure() -> None:
    at = run()
    assert at.title[0].value == "Kreis Herford 2040 – Ihre Meinung zählt"
    labels = [b.label for b in at.button]
    assert labels[:1] == ["English"]  # language first; no "Start" button on the start screen
    for question in (
        "Wo fehlt schnelles Internet?",
        "Wie gut ist meine Haltestelle erreichbar?",
        "Wo leben viele ältere Menschen?",
        "Wie weit ist es zur Grundschule?",
    ):
        assert question in labels
    # the figures are the district values of the indicators (checked on the overview too)
    body = html(at)
    for figure in ("64,6 %", "98,8 %", "22,6 %", "64,4 %"):
        assert f'<div class="kek-figure">{figure}</div>' in body
    assert "2 Minuten ohne Berührung" in at.caption[-1].value
    # the kiosk's style and idle script are on the page, the idle time from the settings
    assert "kekKiosk" in body and "idleMs: 120000" in body
    assert not at.sidebar.children or not any(at.sidebar.get("toggle"))


@pytest.mark.parametrize("page", [p.path for p in KIOSK], ids=[p.url_path for p in KIOSK])
def test_every_kiosk_page_renders(page: str) -> None:
    at = run(page)
    assert at.title, page


def test_a_story_shows_its_figure_sentences_and_map() -> None:
    at = run()
    at.button(key="kiosk_open_internet").click().run()
    assert not at.exception
    assert at.title[0].value == "Wo fehlt schnelles Internet?"
    body = html(at)
    assert '<div class="kek-figure">64,6 %</div>' in body
    text = " ".join(m.value for m in at.markdown)
    assert "Am besten versorgt ist Löhne (77,2 %), am wenigsten Rödinghausen (0,4 %)" in text
    assert "41.662 Haushalte" in text
    assert len(at.get("component_instance")) == 1
    assert any("Breitbandatlas Mitte 2021" in c.value for c in at.caption)


def test_my_town_tells_each_story_for_the_municipality() -> None:
    at = run("pages/kiosk_place.py")
    at.button(key="kiosk_place_05758028").click().run()
    assert not at.exception
    assert any(h.value == "Rödinghausen" for h in at.header)
    text = " ".join(m.value for m in at.markdown)
    assert "0,4 % der Haushalte können Gigabit bekommen (Kreis: 64,6 %)." in text
    assert "21,2 % der Menschen sind 65 oder älter (Kreis: 22,6 %)." in text


def test_the_language_button_switches_to_english_and_back() -> None:
    at = run()
    at.button(key="kiosk_language").click().run()
    assert at.title[0].value == "Kreis Herford 2040 – have your say"
    assert "Where is fast internet missing?" in [b.label for b in at.button]
    at.button(key="kiosk_language").click().run()
    assert at.title[0].value.startswith("Kreis Herford 2040 – Ihre")


@pytest.mark.parametrize(
    "page", [p.path for p in PLANNER_ONLY], ids=[p.url_path for p in PLANNER_ONLY]
)
def test_planner_pages_are_not_registered(page: str) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    with pytest.raises(ValueError, match=r"not found|Could not find"):
        show_page(at, page)


@pytest.mark.parametrize(
    "page", [p.path for p in PLANNER_ONLY], ids=[p.url_path for p in PLANNER_ONLY]
)
def test_a_planner_page_run_on_its_own_stops_in_the_kiosk(page: str) -> None:
    at = AppTest.from_file(str(ROOT / page), default_timeout=60).run()
    assert not at.exception
    assert not at.title and not at.get("component_instance") and not at.dataframe


def test_a_note_from_the_kiosk_gets_the_story_theme() -> None:
    at = run()
    at.button(key="kiosk_open_stop").click().run()
    at.button(key="kiosk_story_note").click().run()
    assert not at.exception
    assert at.title[0].value == "Hinweis geben"
    assert at.pills(key="note_theme").value == "mobilitaet"
    assert not at.file_uploader and not at.get("download_button")
    # another story suggests its own theme
    at.button(key="kiosk_home").click().run()
    at.button(key="kiosk_open_internet").click().run()
    at.button(key="kiosk_story_note").click().run()
    assert at.pills(key="note_theme").value == "digitalisierung"
