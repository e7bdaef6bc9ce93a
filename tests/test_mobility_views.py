"""The Mobilität view on the real snapshot: gap map, class map, tables, summaries."""

from __future__ import annotations

from pathlib import Path

import pytest

from kek_geo.analysis.gtfs import import_gtfs
from kek_geo.analysis.mobility import MAX_GAP_CELLS
from kek_geo.indicators import REGISTRY, compute_table, indicators_for
from kek_geo.maps import render_html
from kek_geo.settings import KREIS_AGS, get_settings
from kek_geo.snapshot import Snapshot
from kek_geo.views.mobility import (
    VIEW,
    class_map,
    class_polygons,
    class_table,
    feed_summary,
    gap_summary,
    station_table,
)
from tests.helpers import ROOT
from tests.test_gtfs import build_gtfs_zip


@pytest.fixture(scope="module")
def with_feed(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    """The snapshot plus the small test timetable around Herford Bf."""
    tmp = tmp_path_factory.mktemp("feed")
    import_gtfs(build_gtfs_zip(tmp / "feed.zip"), tmp / "imports", ROOT / "geodata")
    return Snapshot(ROOT / "geodata", imports_dir=tmp / "imports")


def _map_html(snapshot: Snapshot, params: dict[str, float]) -> tuple[str, tuple[str, ...]]:
    indicator = REGISTRY["mob_stop_pop"]
    values = compute_table(snapshot, [indicator], params)[indicator.key]
    result = VIEW.build_map(
        snapshot, get_settings(), indicator=indicator, values=values, params=params, lang="de"
    )
    return render_html(result.map), result.layers


def test_gap_map_is_small_and_credits_its_layers(snapshot: Snapshot) -> None:
    html, layers = _map_html(snapshot, {})
    assert {"stops", "rail_stations", "grid_100m", "gemeinden"} <= set(layers)
    # 202 gap cells at the defaults, plus 1,644 stops: well under 2 MB
    assert len(html) < 2_000_000
    assert "Einwohner je Hektar" in html


def test_gap_cells_are_capped_for_the_map(snapshot: Snapshot) -> None:
    tight = {"mob_stop_radius_m": 200.0, "mob_stop_near_m": 100.0, "mob_rail_radius_m": 400.0}
    html, _ = _map_html(snapshot, tight)
    # 3,930 cells lie outside 200 m of a stop and 400 m of a station: 3,000 are drawn
    assert html.count('"cell_id"') <= MAX_GAP_CELLS + 1
    assert len(html) < 3_000_000
    summary = gap_summary(snapshot, tight, "de")
    assert "weiter als 200 m" in summary and "3.930 Zellen" in summary
    assert "Karte: die 3.000 einwohnerstärksten von 3.930 Zellen." in summary
    assert "Karte" not in gap_summary(snapshot, {}, "de")


def test_without_a_feed_the_class_section_is_empty(snapshot: Snapshot) -> None:
    assert class_map(snapshot, get_settings(), "de") is None
    assert class_table(snapshot, "de") is None
    assert station_table(snapshot, "de") is None
    assert feed_summary(snapshot, "de") is None


def test_class_map_and_tables_with_a_feed(with_feed: Snapshot) -> None:
    polygons = class_polygons(with_feed, "de")
    assert polygons is not None
    # one merged shape per class present; together they cover all 9,422 cells of 1 ha
    assert len(polygons) <= 7 and "none" in set(polygons["class_key"])
    assert polygons.area.sum() / 10_000 == pytest.approx(9422, rel=0.01)
    result = class_map(with_feed, get_settings(), "en")
    assert result is not None
    html = render_html(result.map)
    assert "Quality class" in html and "Herford Bf" in html
    assert len(html) < 2_000_000
    table = class_table(with_feed, "de")
    assert table is not None
    assert table.index.tolist()[-1] == KREIS_AGS and len(table) == 10
    shares = table.drop(columns="Gemeinde").sum(axis=1)
    assert shares.tolist() == pytest.approx([100.0] * 10, abs=0.5)
    # Herford Bf (II) gives classes A–D around the station, BUS1 (VI) E and F
    assert table.loc["05758012", "B (%)"] > 0
    assert table.loc["05758032", "keine Klasse (%)"] == 100.0  # Spenge is far away
    stations = station_table(with_feed, "en")
    assert stations is not None
    assert stations["Station"].tolist() == ["Herford Bf", "Herford Rathaus"]
    # 46 and 15 departures per direction (see tests/test_gtfs.py): 18.3 and 56 min
    assert stations["Departures per direction 06:00–20:00"].tolist() == [46, 15]
    assert stations["Category"].tolist() == ["II", "VI"]
    summary = feed_summary(with_feed, "de")
    assert summary is not None
    assert "feed.zip (Testverkehr)" in summary and "Stichtag 2025-01-08 (Mittwoch" in summary


def test_indicators_with_a_feed_on_the_snapshot(with_feed: Snapshot) -> None:
    t = compute_table(with_feed, indicators_for("mobility"))
    # only two test stations near Herford Bf: few people have a class, most have none
    assert 0 < t.loc[KREIS_AGS, "mob_class_ac_pop"] < 5
    assert 90 < t.loc[KREIS_AGS, "mob_no_class_pop"] < 100
    # Deutschlandatlas: the rail part alone gives the rail share (19.5 %); HF adds nothing
    # beyond its rail station, so the criterion equals the rail catchment share
    assert t["mob_datlas_pop"].tolist() == pytest.approx(t["mob_rail_pop"].tolist(), abs=0.01)


def test_reading_the_feed_once(with_feed: Snapshot, tmp_path: Path) -> None:
    assert with_feed.extra("gtfs") is with_feed.extra("gtfs")
