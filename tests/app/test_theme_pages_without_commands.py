"""Theme pages and the overview show no shell commands: how to import is on "Über die Daten"."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from kek_geo.pages import PageSpec, pages_for
from tests.app.test_pages import run_app

THEMES = [
    p for p in pages_for("planner") if p.section in ("nav.section.themes", "nav.section.start")
]
COMMAND = re.compile(r"kek-geo [a-z]|`[^`]*--[a-z]")


def shown_texts(at: AppTest) -> list[str]:
    kinds = ("markdown", "caption", "info", "warning", "error", "success", "text")
    return [str(getattr(e, "value", "")) for kind in kinds for e in at.get(kind)]


@pytest.mark.parametrize("spec", THEMES, ids=lambda p: p.url_path)
def test_no_commands_on_the_page(spec: PageSpec) -> None:
    at = run_app(spec.path)
    commands = [text for text in shown_texts(at) if COMMAND.search(text)]
    assert commands == []
