"""The scenario editor: a draft is listed, edited, validated and saved to the real database."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kek_geo.scenario import geojson
from kek_geo.settings import get_settings
from kek_geo.storage import open_store
from tests.helpers import ROOT, show_page

PAGE = "pages/scenario_edit.py"
EXAMPLE = ROOT / "docs" / "scenario-example.geojson"


def open_page(draft: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    if draft is not None:
        at.session_state["scenario_draft"] = draft
        at.session_state["edit_loaded"] = ""
    show_page(at, PAGE)
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_editor_lists_the_draft_and_saves_it(tmp_path: Path) -> None:
    at = open_page(EXAMPLE.read_text(encoding="utf-8"))
    assert at.title[0].value == "Szenario bearbeiten"
    listed = [m.value for m in at.markdown if m.value[:2] in {"1.", "2.", "3.", "4."}]
    assert len(listed) == 4
    assert "Haltestelle hinzufügen" in listed[0]
    at.button(key="edit_save").click().run()
    assert not at.exception
    assert any("szenarien?szenario=6f1c7c1e" in s.value for s in at.success)
    stored = open_store(get_settings()).get("6f1c7c1e-8a4b-4c1e-9a56-2f0d3b7e1a01")
    assert stored is not None
    assert len(stored.edits) == 4


def test_deleting_an_edit(tmp_path: Path) -> None:
    at = open_page(EXAMPLE.read_text(encoding="utf-8"))
    at.button(key="edit_delete_1").click().run()
    assert not at.exception
    draft = geojson.loads(at.session_state["scenario_draft"])
    assert [e.kind for e in draft.edits] == ["building_area", "broadband", "add_school"]


@pytest.mark.parametrize("kind", ["add_stop", "move_stop", "building_area", "broadband"])
def test_adding_without_a_click_or_drawing_says_what_is_missing(kind: str) -> None:
    at = open_page()
    at.radio(key="edit_kind").set_value(kind).run()
    at.button(key="edit_add").click().run()
    assert not at.exception
    if kind == "broadband":  # a whole Gemeinde needs no drawing: the edit is added
        assert not at.error
        edits = geojson.loads(at.session_state["scenario_draft"]).edits
        assert [e.kind for e in edits] == ["broadband"]
    else:
        assert at.error, "an edit without its point or polygon must be refused"
        assert "zuerst" in at.error[0].value
