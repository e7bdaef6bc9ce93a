"""Every page speaks one language: no German-only text in English, no English-only in German.

Each page is opened in the other language and then switched, as a user does, so texts that
stick to the language they were first drawn in (a dropdown's selected value) are caught too.
All visible text of the page is collected (titles, Markdown, captions, alerts, widget labels,
options and help, metrics, chart specs, table headers and cells, map tooltips and legends) and
searched for marker words of the other language.

The allowlist holds proper names only, each with its reason: place names, the titles,
publishers, credits and licences of the data sources as they publish them, names of German
programmes, laws and data sets, and the content of the shipped example scenario. UI words are
never allowlisted: a hit means the text must go through :mod:`kek_geo.i18n`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from kek_geo.pages import pages_for
from kek_geo.ui import cache as ui_cache
from kek_geo.ui import store
from tests.helpers import ROOT, show_page, split_packed

APP = str(ROOT / "app.py")
PLANNER = pages_for("planner")
KIOSK = pages_for("kiosk")

#: German marker words and letters that must not appear in the English UI.
GERMAN = re.compile(
    r"[äöüÄÖÜß]|\b(und|der|die|das|den|dem|mit|nicht|für|oder|von|bis|nach|je|ab|Gemeinde|Gemeinden"
    r"|Einw|Haush|Abf|Kinder|Zellen|Lücken|Pers|Schulen|Stufe|Stand|Mitte|Ende|Schuljahr"
    r"|Vorgabe|keine|Einwohner|Haushalte|Anteil|Kreis)\b"
)
#: English marker words that must not appear in the German UI.
ENGLISH = re.compile(
    r"\b(the|of|and|with|not|from|per|to|is|are|Municipality|municipality|municipalities"
    r"|residents|households|cells|res|dep|default|Default|share|Share|used)\b"
)

#: Proper names the English UI shows in German, and why.
ALLOWED_IN_ENGLISH = (
    # the district as it is named (a proper name; "district" is used for the word)
    "Kreis Herford",
    # names of German data sets, programmes, laws, guidelines and bodies, kept as published
    # (the English text explains them)
    "Zensus",
    "ÖV-Güteklassen",
    "Graue-Flecken-Programm",
    "Schülerfahrkostenverordnung",
    "EAÖ",
    "IÖR-Monitor",
    "Gemeindemodellrechnung",
    "Grundschule",
    "Förderschule",
    "Startchancen",
)
#: English proper names the German UI shows, and why.
ALLOWED_IN_GERMAN = (
    # titles of sources and manuals as published (in English)
    "Applying the Degree of Urbanisation",
    "Census 2021 population grid",
    "Healthcare services",
    "OpenStreetMap contributors",
    # the language switch names the other language in its own words
    "Switch language",
)


@cache
def _manifest_names() -> tuple[str, ...]:
    """Titles, publishers, credits and licences of the sources, and the names of places.

    They are shown as their publishers wrote them, in whatever language that is.
    """
    manifest = json.loads((ROOT / "geodata" / "MANIFEST.json").read_text(encoding="utf-8"))
    names: list[str] = []
    for src in manifest["sources"].values():
        names += [src["name"], src["publisher"], src["attribution"], src["licence"]]
    for rec in manifest["layers"].values():
        names += [rec["attribution"], rec["licence"]]
        names += [p.strip() for p in rec["licence"].split(";")]
    # places, stops, stations, schools and hospitals by their names (the stop chooser lists them)
    for layer in ("gemeinden", "neighbours_display", "stops", "rail_stations", "schools",
                  "hospitals"):  # fmt: skip
        names += pd.read_parquet(ROOT / "geodata" / f"{layer}.parquet")["name"].astype(str).tolist()
    return tuple(n for n in names if n)


@cache
def _example_scenario() -> tuple[str, ...]:
    """The shipped example scenario: a planner's content, shown as typed."""
    data = json.loads((ROOT / "docs" / "scenario-example.geojson").read_text(encoding="utf-8"))
    texts = [data["name"], data["description"], data.get("author", "")]
    texts += [str(f["properties"].get("name", "")) for f in data["features"]]
    return tuple(t for t in texts if t)


def _allowed(lang: str) -> tuple[str, ...]:
    extra = ALLOWED_IN_ENGLISH if lang == "en" else ALLOWED_IN_GERMAN
    names = (*_manifest_names(), *_example_scenario(), *extra)
    # longest first, so that a title is removed before a shorter name inside it
    return tuple(sorted(set(names), key=len, reverse=True))


_SKIPPED_FIELDS = {"id", "form_id", "key", "json_args", "data", "icon", "url", "src", "format"}
_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def _unescape(text: str) -> str:
    return _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _proto_texts(msg: Message) -> Iterator[str]:
    for field, value in msg.ListFields():
        if field.name in _SKIPPED_FIELDS:
            continue
        values = value if field.is_repeated else [value]
        for item in values:
            if field.name == "spec" and isinstance(item, str):
                yield from _chart_texts(item)
            elif isinstance(item, str):
                yield _unescape(item)
            elif isinstance(item, Message):
                yield from _proto_texts(item)


def _frame_texts(frame: pd.DataFrame) -> Iterator[str]:
    yield from (str(c) for c in frame.columns)
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            yield from (str(v) for v in frame[column].dropna().unique())


#: Figures in the feature properties are the page's own text: they may carry units.
_PROPERTY_UNITS = {
    "en": re.compile(r"\b(Einw|Haush|Abf|Kinder|Zellen|Lücken|Pers|inf|nan|None)\b"),
    "de": re.compile(r"\b(res|households|dep|children|cells|gaps|persons|inf|nan|None)\b"),
}


#: A string literal of the map's script (JSON and JavaScript both quote with ").
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _map_texts(at: AppTest, lang: str) -> Iterator[str]:
    """Texts of the maps: the script's strings (tooltip titles, legends, layer names).

    The features' own properties (names of stops, schools and places as published) are left
    out, except that their figures are checked for units.
    """
    for element in at.get("component_instance"):
        args = json.loads(element.proto.json_args)
        # the map and what is drawn over it (another indicator's colours and legend)
        script, features = split_packed(args.get("script", "") + (args.get("feature_group") or ""))
        for feature in features:
            props = json.dumps(feature["properties"], ensure_ascii=False)
            for hit in _PROPERTY_UNITS[lang].findall(props):
                yield f"unit in map data: {hit}"
        yield from _STRING.findall(_unescape(script))


def _chart_texts(spec: str) -> Iterator[str]:
    """Titles and sorted labels of a Vega-Lite chart (not its field names)."""

    def walk(node: object) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in {"title", "text"} and isinstance(value, str):
                    yield value
                elif key == "sort" and isinstance(value, list):
                    yield from (str(v) for v in value)
                else:
                    yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    yield from walk(json.loads(spec))


def _node_texts(node: object) -> Iterator[str]:
    proto = getattr(node, "proto", None)
    if isinstance(proto, Message) and getattr(node, "type", "") != "component_instance":
        yield from _proto_texts(proto)
    if getattr(node, "type", "") in {"arrow_data_frame", "dataframe", "table"}:
        value = getattr(node, "value", None)
        if isinstance(value, pd.DataFrame):
            yield from _frame_texts(value)
    for child in getattr(node, "children", {}).values():
        yield from _node_texts(child)


#: Scripts and styles of HTML elements (the kiosk's frame): code, not text.
_CODE_BLOCKS = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def visible_texts(at: AppTest, lang: str) -> list[str]:
    """Every text of a rendered app, once each."""
    texts = [*_node_texts(at._tree), *_map_texts(at, lang)]
    texts = [_TAG.sub(" ", _CODE_BLOCKS.sub(" ", t)) for t in texts]
    return list(dict.fromkeys(t for t in texts if t.strip()))


def foreign_words(at: AppTest, lang: str) -> list[str]:
    """Text that reads as the other language: marker words with their context."""
    marker = GERMAN if lang == "en" else ENGLISH
    allowed = _allowed(lang)
    found = []
    for text in visible_texts(at, lang):
        # code spans are commands and file names, not prose; Markdown escapes are not text
        rest = re.sub(r"\\(.)", r"\1", re.sub(r"`[^`]*`", " ", text))
        for name in allowed:
            rest = rest.replace(name, " ")
        for hit in marker.finditer(rest):
            start = max(0, hit.start() - 50)
            found.append(f"{hit.group(0)!r} in …{rest[start : hit.end() + 50]}…")
    return found


def _switched(at: AppTest, lang: str) -> AppTest:
    at.toggle(key="lang_en").set_value(lang == "en").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def open_in(page: str, lang: str) -> AppTest:
    """A planner page opened in the other language and then switched to ``lang``."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "de" if lang == "en" else "en"
    at.session_state["lang_en"] = lang == "de"
    at.run()
    show_page(at, page)
    assert not at.exception, [e.message for e in at.exception]
    return _switched(at, lang)


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("page", [p.path for p in PLANNER], ids=[p.url_path for p in PLANNER])
def test_a_planner_page_speaks_one_language(page: str, lang: str) -> None:
    at = open_in(page, lang)
    assert foreign_words(at, lang) == []


@pytest.mark.parametrize("page", [p.path for p in PLANNER], ids=[p.url_path for p in PLANNER])
def test_dropdowns_show_their_choice_in_the_new_language(page: str) -> None:
    at = open_in(page, "en")
    for box in at.selectbox:
        if box.key and box.value is not None:
            # the browser gets the selected option's label again, in English
            assert box.proto.set_value, box.key
            assert box.proto.raw_value in box.proto.options, box.key


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_chosen_municipality_speaks_one_language(lang: str) -> None:
    at = open_in("pages/overview.py", lang)
    at.selectbox(key="ov_gemeinde").set_value("05758028").run()
    assert not at.exception, [e.message for e in at.exception]
    assert foreign_words(at, lang) == []


@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_kind_of_scenario_edit_speaks_one_language(lang: str) -> None:
    at = open_in("pages/scenario_edit.py", lang)
    kinds = at.radio(key="edit_kind").options
    assert len(kinds) > 1
    for index in range(len(kinds)):
        radio = at.radio(key="edit_kind")
        radio.set_value(radio.options[index]).run()
        assert not at.exception, [e.message for e in at.exception]
        assert foreign_words(at, lang) == [], radio.options[index]


@pytest.fixture
def kiosk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("KEK_MODE", "kiosk")
    monkeypatch.setenv("KEK_DATA_DIR", str(tmp_path / "data"))
    ui_cache.settings.clear()
    store.engine.clear()
    yield
    monkeypatch.delenv("KEK_MODE")
    ui_cache.settings.clear()
    store.engine.clear()


@pytest.mark.usefixtures("kiosk")
@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("page", [p.path for p in KIOSK], ids=[p.url_path for p in KIOSK])
def test_a_kiosk_page_speaks_one_language(page: str, lang: str) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    if page != KIOSK[0].path:
        show_page(at, page)
    assert not at.exception, [e.message for e in at.exception]
    assert foreign_words(at, lang) == []


@pytest.mark.usefixtures("kiosk")
@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_kiosk_story_and_my_town_speak_one_language(lang: str) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    stories = [b.key for b in at.button if b.key and b.key.startswith("kiosk_open_")]
    assert stories
    for key in stories:
        at.button(key=key).click().run()
        assert not at.exception, [e.message for e in at.exception]
        assert foreign_words(at, lang) == [], key
        at.button(key="kiosk_home").click().run()
    show_page(at, "pages/kiosk_place.py")
    place = next(b.key for b in at.button if b.key and b.key.startswith("kiosk_place_"))
    at.button(key=place).click().run()
    assert foreign_words(at, lang) == [], place
