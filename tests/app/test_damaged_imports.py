"""Damaged imports with Streamlit's AppTest: the pages name the file and keep working."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from kek_geo.pages import pages_for
from tests.helpers import ROOT, show_page

PLANNER = pages_for("planner")
APP = str(ROOT / "app.py")


@pytest.fixture
def damaged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every kind of import damaged; the app's caches are cleared before and after."""
    imports = tmp_path / "imports"
    (imports / "gtfs").mkdir(parents=True)
    (imports / "gtfs" / "meta.json").write_text('{"service_date": ', encoding="utf-8")
    (imports / "walk_network").mkdir()
    (imports / "walk_network" / "nodes.parquet").write_bytes(b"PAR1 cut off")
    (imports / "walk_network" / "edges.parquet").write_bytes(b"PAR1 cut off")
    (imports / "broadband").mkdir()
    (imports / "broadband" / "households_2024-12.parquet").write_bytes(b"PAR1")
    monkeypatch.setenv("KEK_IMPORTS_DIR", str(imports))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield imports
    monkeypatch.delenv("KEK_IMPORTS_DIR")
    st.cache_resource.clear()
    st.cache_data.clear()


def open_page(page: str, *, english: bool = False) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    if english:
        at.toggle(key="lang_en").set_value(True).run()
    show_page(at, page)
    assert not at.exception, [e.message for e in at.exception]
    return at


def texts(elements: object) -> str:
    return "\n".join(e.value for e in elements)  # type: ignore[attr-defined]


def test_mobility_names_the_damaged_files_and_falls_back(damaged: Path) -> None:
    at = open_page("pages/mobility.py")
    assert at.title[0].value == "Mobilität"
    warnings = texts(at.warning)
    assert f"`{damaged / 'gtfs' / 'meta.json'}`: not a readable JSON file" in warnings
    assert f"`{damaged / 'walk_network' / 'nodes.parquet'}`: not a readable Parquet" in warnings
    assert "Fahrplan (GTFS): Import beschädigt" in warnings
    assert "Entfernungen werden deshalb als Luftlinie gemessen" in warnings
    assert "households_2024-12" not in warnings  # broadband is not used here
    # the page falls back exactly as without the imports
    assert "Kein Fahrplan importiert" in warnings
    assert "Entfernungen: Luftlinie" in texts(at.caption)
    table = at.dataframe[0].value
    assert len(table) == 10
    assert table["Deutschlandatlas-Kriterium erfüllt (%)"].isna().all()
    assert len(at.get("component_instance")) == 1  # the main map, no class map


def test_mobility_in_english(damaged: Path) -> None:
    at = open_page("pages/mobility.py", english=True)
    warnings = texts(at.warning)
    assert "Timetable (GTFS): import damaged" in warnings
    assert "meta.json" in warnings and "treated as not imported" in warnings


def test_about_page_lists_the_damaged_imports(damaged: Path) -> None:
    at = open_page("pages/about.py")
    errors = texts(at.error)
    for path in (
        damaged / "gtfs" / "meta.json",
        damaged / "walk_network" / "nodes.parquet",
        damaged / "broadband" / "households_2024-12.parquet",
    ):
        assert f"`{path}`" in errors, path
    assert errors.count("Import beschädigt") == 3
    markdown = texts(at.markdown)
    assert markdown.count("beschädigt – wird behandelt, als wäre er nicht importiert") == 3
    # damaged imports are listed as missing, with how to import them
    assert "kek-geo import-gtfs --file <feed.zip>" in markdown
    assert "kek-geo import-osm" in markdown


def test_about_page_in_english(damaged: Path) -> None:
    at = open_page("pages/about.py", english=True)
    assert texts(at.error).count("import damaged") == 3
    assert "damaged – treated as not imported" in texts(at.markdown)


def test_broadband_and_overview_warn_about_the_broadband_import(damaged: Path) -> None:
    for page in ("pages/broadband.py", "pages/overview.py"):
        at = open_page(page)
        warnings = texts(at.warning)
        assert f"`{damaged / 'broadband' / 'households_2024-12.parquet'}`" in warnings, page
        assert "Neuere Breitband-Releases: Import beschädigt" in warnings, page
        assert "meta.json" not in warnings, page


@pytest.mark.parametrize("page", [p.path for p in PLANNER], ids=[p.url_path for p in PLANNER])
def test_every_page_renders_with_damaged_imports(page: str, damaged: Path) -> None:
    at = open_page(page)
    assert at.title, page


def test_imported_metadata_is_shown_literally(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A feed publisher name with Markdown and HTML shows as text on Über die Daten."""
    from kek_geo.analysis.gtfs import import_gtfs
    from tests.test_gtfs import build_gtfs_zip

    feed_info = (
        "feed_publisher_name,feed_publisher_url,feed_lang,feed_start_date,feed_end_date\n"
        '"<img src=x onerror=alert(1)> **Bus** ![x](https://evil.example/p.png)",'
        "https://example.org,de,20250106,20251231\n"
    )
    feed = build_gtfs_zip(tmp_path / "feed.zip", {"feed_info.txt": feed_info})
    imports = tmp_path / "imports"
    import_gtfs(feed, imports, ROOT / "geodata")
    monkeypatch.setenv("KEK_IMPORTS_DIR", str(imports))
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = open_page("pages/about.py")
        captions = texts(at.caption)
        # Markdown and HTML characters are backslash-escaped, so they render as plain text
        assert r"\<img src=x onerror=alert(1)\> \*\*Bus\*\*" in captions
        assert "<img" not in captions.replace(r"\<img", "")
        # the Mobilität page names the feed and its publisher the same way: no live image link
        mobility = texts(open_page("pages/mobility.py").caption)
        assert r"\*\*Bus\*\* !\[x\](https\://evil.example/p.png)" in mobility
        assert "](https://evil" not in mobility
    finally:
        monkeypatch.delenv("KEK_IMPORTS_DIR")
        st.cache_resource.clear()
        st.cache_data.clear()
