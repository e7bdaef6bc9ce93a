"""One process, two snapshots: the app names the district of the snapshot it was started on.

``KEK_GEODATA_DIR`` points at a copy of the snapshot whose district is renamed. No cache is
cleared by hand: figures, names and the district cached for one snapshot must never be served
for the other.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import ROOT, show_page

APP = str(ROOT / "app.py")
RENAMED = "Kreis Testland"


@pytest.fixture
def renamed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the snapshot whose district is called Kreis Testland."""
    copy = tmp_path_factory.mktemp("renamed") / "geodata"
    shutil.copytree(ROOT / "geodata", copy, ignore=shutil.ignore_patterns("imports"))
    for layer in ("kreis", "kreis_display"):
        frame = gpd.read_parquet(copy / f"{layer}.parquet")
        frame["name"] = RENAMED
        frame.to_parquet(copy / f"{layer}.parquet")
    return copy


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    monkeypatch.delenv("KEK_GEODATA_DIR", raising=False)
    monkeypatch.delenv("KEK_IMPORTS_DIR", raising=False)
    yield monkeypatch
    monkeypatch.delenv("KEK_GEODATA_DIR", raising=False)


def overview(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    if page:
        show_page(at, page)
    else:
        at.run()  # what the map frame's "drawn" report does (kek_geo.ui.map_first)
    assert not at.exception, [e.message for e in at.exception]
    return at


def district_shown(at: AppTest) -> tuple[str, str, str]:
    """The intro's first words, the table's last row and the first choice of the selectbox."""
    intro = next(m.value for m in at.markdown if "Städte und Gemeinden" in m.value)
    box = at.selectbox(key="ov_gemeinde")
    return intro.split(":")[0], str(at.dataframe[0].value.iloc[-1, 0]), str(box.options[0])


def test_each_snapshot_shows_its_own_district(
    renamed: Path, environment: pytest.MonkeyPatch
) -> None:
    herford = ("Kreis Herford", "Kreis Herford", "Kreis Herford gesamt")
    assert district_shown(overview()) == herford
    environment.setenv("KEK_GEODATA_DIR", str(renamed))
    assert district_shown(overview()) == (RENAMED, RENAMED, f"{RENAMED} gesamt")
    comparison = overview("pages/comparison.py").dataframe[0].value
    assert RENAMED in comparison.columns and "Kreis Herford" not in comparison.columns
    environment.delenv("KEK_GEODATA_DIR")
    assert district_shown(overview()) == herford
