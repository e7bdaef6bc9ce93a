"""A theme map is drawn once; its colours and changing layers are drawn over it.

On the real snapshot: the map drawn once holds everything that never changes and a place for
the changing legend; the overlay brings the changing layers of each threshold; together they
show what the whole map shows.
"""

from __future__ import annotations

import json

import pytest

from kek_geo.indicators import REGISTRY
from kek_geo.jsonscript import script_json
from kek_geo.maps import CHANGING, changing_script, render_html
from kek_geo.settings import get_settings
from kek_geo.snapshot import Snapshot
from kek_geo.thematic import default_values
from kek_geo.ui.mapview import layers_script
from kek_geo.views import ThemeView, view
from tests.helpers import map_features

THEMES = ("mobility", "broadband", "education", "services", "settlement", "demography")


def _overlay(page: ThemeView, snapshot: Snapshot, params: dict[str, float]) -> str:
    indicator = page.map_choices(snapshot)[0]
    part = page.changing(snapshot, indicator=indicator, params=params, lang="de")
    legend = "" if part.legend is None else part.legend.body_html
    return changing_script(layers_script(part.layers), legend)


def _key(feature: dict[str, object]) -> str:
    return json.dumps([feature["geometry"], feature["properties"]], sort_keys=True)


def _cells(features: list[dict[str, object]]) -> int:
    return sum("cell_id" in f["properties"] for f in features)  # type: ignore[operator]


@pytest.mark.parametrize("theme", [*THEMES, "synthesis"])
def test_the_map_drawn_once_plus_its_overlay_shows_the_whole_map(
    snapshot: Snapshot, theme: str
) -> None:
    page = view(theme)
    indicator = page.map_choices(snapshot)[0]
    base = page.base_map(snapshot, get_settings(), indicator=indicator, lang="de")
    base_html = render_html(base.map)
    assert f"kek-legend-{CHANGING}" in base_html
    whole = page.build_map(
        snapshot,
        get_settings(),
        indicator=indicator,
        values=default_values(snapshot, indicator),
        params={},
        lang="de",
    )
    whole_html = render_html(whole.map)
    overlay = _overlay(page, snapshot, {})
    # the same features, nothing twice, nothing missing (the choropleth's colours aside)
    drawn = map_features(base_html) + map_features(overlay)
    assert sorted(map(_key, drawn)) == sorted(map(_key, map_features(whole_html)))
    assert _cells(map_features(base_html)) == 0
    assert base.layers == whole.layers
    # the changing legend: in its place on the map drawn once, filled by the overlay
    part = page.changing(snapshot, indicator=indicator, params={}, lang="de")
    if part.legend is not None:
        assert part.legend.body_json in base_html
        assert script_json(part.legend.body_html) in overlay


def test_mobility_overlay_follows_the_stop_radius(snapshot: Snapshot) -> None:
    page = view("mobility")
    wide = map_features(_overlay(page, snapshot, {"mob_stop_radius_m": 800.0}))
    narrow = map_features(_overlay(page, snapshot, {"mob_stop_radius_m": 300.0}))
    assert 0 < _cells(wide) < _cells(narrow)
    script = _overlay(page, snapshot, {"mob_stop_radius_m": 300.0})
    # the legend is filled in place, and the stops stay on top of the new cells
    assert f".kek-legend-{CHANGING}" in script and "bringToFront" in script
    assert "Einwohner je Hektar" in script


def test_broadband_has_nothing_that_changes(snapshot: Snapshot) -> None:
    page = view("broadband")
    assert map_features(_overlay(page, snapshot, {})) == []
    indicator = REGISTRY["gigabit_households"]
    part = page.changing(snapshot, indicator=indicator, params={}, lang="de")
    assert part.layers == () and part.legend is None


def test_services_cells_follow_the_indicator(snapshot: Snapshot) -> None:
    page = view("services")
    assert page.changes_with_indicator
    first, second = page.map_choices(snapshot)[:2]
    a = page.changing(snapshot, indicator=first, params={}, lang="de")
    b = page.changing(snapshot, indicator=second, params={}, lang="de")
    assert a.legend is not None and b.legend is not None
    assert a.legend.body_html != b.legend.body_html
    cells_a = map_features(layers_script(a.layers))
    cells_b = map_features(layers_script(b.layers))
    assert cells_a and cells_b and sorted(map(_key, cells_a)) != sorted(map(_key, cells_b))


def test_fixed_layers_stay_over_the_changing_ones(snapshot: Snapshot) -> None:
    page = view("mobility")
    indicator = page.map_choices(snapshot)[0]
    base = render_html(page.base_map(snapshot, get_settings(), indicator=indicator, lang="de").map)
    # the stops and stations are marked, the choropleth and context layers are not
    assert base.count('"kekFixed": true') == 2
    assert "l.options.kekFixed" in _overlay(page, snapshot, {})
