"""Scenarios: every edit type with hand-checked deltas, refused edits, the interchange file."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, Polygon, box

from kek_geo.indicators import REGISTRY, compute_table, indicators_for
from kek_geo.indicators.mobility import cell_access
from kek_geo.scenario import geojson
from kek_geo.scenario.apply import ScenarioSource, covered_cells, raise_broadband
from kek_geo.scenario.compare import affected, delta_table, scenario_table, summary_sentences
from kek_geo.scenario.model import (
    AddSchool,
    AddStop,
    BroadbandTarget,
    BuildingArea,
    MoveStop,
    RemoveStop,
    Scenario,
    ScenarioError,
)
from kek_geo.snapshot import Snapshot
from tests.helpers import ROOT

EXAMPLE = ROOT / "docs" / "scenario-example.geojson"
SPENGE = "05758032"
ENGER = "05758008"


def to_crs84(x: float, y: float) -> Point:
    """A point given in EPSG:25832 as CRS84."""
    pt = gpd.GeoSeries([Point(x, y)], crs="EPSG:25832").to_crs("OGC:CRS84").iloc[0]
    assert isinstance(pt, Point)
    return pt


def gap_cell(snapshot: Snapshot) -> pd.Series:
    """The most populated 100 m cell farther than 700 m from every scheduled stop."""
    acc = cell_access(snapshot)
    cells = acc.cells.assign(dist=acc.stop_distance, x=acc.xy[:, 0], y=acc.xy[:, 1])
    far = cells[cells["dist"] > 700].sort_values("population_est", ascending=False)
    return far.iloc[0]


# ---------------------------------------------------------------- stops


def test_stop_in_a_gap_moves_its_cell_into_the_catchment(snapshot: Snapshot) -> None:
    cell = gap_cell(snapshot)
    scenario = Scenario("stop", edits=(AddStop(to_crs84(cell["x"], cell["y"]), "bus", "Neu"),))
    source = ScenarioSource(snapshot, scenario)
    before = cell_access(snapshot)
    after = cell_access(source)
    i = int(np.flatnonzero(before.cells["cell_id"].to_numpy() == cell["cell_id"])[0])
    assert not before.catchments({}).stop[i]
    assert after.stop_distance[i] == pytest.approx(0.0, abs=0.01)
    assert after.catchments({}).stop[i]
    # by hand: the gap shrinks by the residents of gap cells within 600 m of the new stop
    xy = before.xy
    near_new = np.hypot(xy[:, 0] - cell["x"], xy[:, 1] - cell["y"]) <= 600
    was_gap = before.catchments({}).gap
    expected = float(before.population[near_new & was_gap].sum())
    base = compute_table(snapshot, [REGISTRY["mob_gap_pop"]])
    scen = compute_table(source, [REGISTRY["mob_gap_pop"]])
    ags = str(cell["ags"])
    assert base.loc[ags, "mob_gap_pop"] - scen.loc[ags, "mob_gap_pop"] == pytest.approx(expected)
    assert expected > 30


def test_removing_and_moving_stops(snapshot: Snapshot) -> None:
    stops = snapshot.geo("stops")
    sid = str(stops.loc[stops["in_kreis"] & (stops["mode"] == "bus"), "stop_id"].iloc[0])
    removed = ScenarioSource(snapshot, Scenario("r", edits=(RemoveStop(sid),))).geo("stops")
    assert sid not in set(removed["stop_id"])
    assert len(removed) < len(stops)
    target = to_crs84(470000.0, 5780000.0)
    moved = ScenarioSource(snapshot, Scenario("m", edits=(MoveStop(sid, target),))).geo("stops")
    row = moved[moved["stop_id"] == sid].iloc[0]
    assert row.geometry.distance(Point(470000.0, 5780000.0)) < 0.01
    assert len(moved) == len(stops)
    assert stops[stops["stop_id"] == sid].geometry.iloc[0].distance(Point(470000, 5780000)) > 1


def test_a_rail_stop_is_also_a_station(snapshot: Snapshot) -> None:
    scenario = Scenario("r", edits=(AddStop(to_crs84(470500.0, 5781000.0), "rail", "Halt"),))
    source = ScenarioSource(snapshot, scenario)
    assert len(source.geo("rail_stations")) == len(snapshot.geo("rail_stations")) + 1
    assert source.geo("stops")["mode"].iloc[-1] == "rail"


# ---------------------------------------------------------------- building areas


def test_building_area_adds_dwellings_times_household_size(snapshot: Snapshot) -> None:
    area = Polygon([(8.5500, 52.1500), (8.5560, 52.1500), (8.5560, 52.1540), (8.5500, 52.1540)])
    source = ScenarioSource(snapshot, Scenario("b", edits=(BuildingArea(area, 120),)))
    size = float(snapshot.layer("gemeinden").set_index("ags").loc[ENGER, "household_size"])
    assert size == 2.28
    added = 120 * size  # 273.6 residents, all in Enger
    cells_before = snapshot.geo("grid_100m")
    cells_after = source.geo("grid_100m")
    assert cells_after["population_est"].sum() - cells_before["population_est"].sum() == (
        pytest.approx(added)
    )
    gem = source.layer("gemeinden").set_index("ags")
    base_gem = snapshot.layer("gemeinden").set_index("ags")
    assert gem.loc[ENGER, "population"] == base_gem.loc[ENGER, "population"] + 274
    assert gem.loc[ENGER, "dwellings"] == base_gem.loc[ENGER, "dwellings"] + 120
    km = (
        source.layer("grid_1km")["population"].sum()
        - snapshot.layer("grid_1km")["population"].sum()
    )
    assert km == pytest.approx(added)
    assert set(cells_after["cell_id"]) >= set(cells_before["cell_id"])


def test_covered_cells_split_by_area() -> None:
    # a 200 m × 100 m rectangle on the grid: two cells, half each (built in EPSG:3035)
    rect = gpd.GeoSeries([box(4220000, 3220000, 4220200, 3220100)], crs="EPSG:3035")
    cover = covered_cells(rect.to_crs("EPSG:25832").iloc[0])
    assert sorted(cover["cell_id"]) == [
        "CRS3035RES100mN3220000E4220000",
        "CRS3035RES100mN3220000E4220100",
    ]
    assert cover["weight"].to_numpy() == pytest.approx([0.5, 0.5], abs=1e-3)
    assert cover["cell_1km"].iloc[0] == "CRS3035RES1000mN3220000E4220000"


# ---------------------------------------------------------------- broadband


def test_broadband_target_moves_households_out_of_the_gap() -> None:
    A, B = "05758001", "05758002"
    table = pd.DataFrame(
        {
            "release": ["2021-06"] * 4,
            "ags": [A, A, B, "05758"],
            "segment": ["households"] * 4,
            "technology": ["all"] * 4,
            "threshold_mbit": [1000, 100, 1000, 1000],
            "share_pct": [40.0, 90.0, 60.0, 50.0],
        }
    )
    households = pd.Series({A: 1000.0, B: 1000.0})
    edit = BroadbandTarget("households", 1000, 90.0, ags=A)
    out = raise_broadband(table, edit, {A: 1.0}, households)
    # A: 40 % → 90 %: 500 of its 1,000 households leave the gigabit gap; B unchanged
    assert out["share_pct"].tolist()[:3] == [90.0, 90.0, 60.0]
    # the Kreis row rises by 500 of 2,000 households: 50 % → 75 %
    assert out["share_pct"].iloc[3] == pytest.approx(75.0)
    # half of A covered: 40 + (90 − 40) × 0.5 = 65 %; shares never go down
    half = raise_broadband(table, edit, {A: 0.5}, households)
    assert half["share_pct"].iloc[0] == pytest.approx(65.0)
    assert half["share_pct"].iloc[1] == 90.0


def test_broadband_target_on_the_snapshot(snapshot: Snapshot) -> None:
    edit = BroadbandTarget("households", 1000, 100.0, ags="05758028")
    scenario = Scenario("g", edits=(edit,))
    keys = ["bb_not_gigabit_households", "mob_stop_pop"]
    assert affected(snapshot, scenario, keys) == ["bb_not_gigabit_households"]
    table = compute_table(ScenarioSource(snapshot, scenario), [REGISTRY[keys[0]]])
    assert table.loc["05758028", keys[0]] == pytest.approx(0.0)


# ---------------------------------------------------------------- schools


def test_primary_school_brings_children_within_reach(snapshot: Snapshot) -> None:
    school = AddSchool(Point(8.62, 52.13), "Grundschule", "Neu")
    source = ScenarioSource(snapshot, Scenario("s", edits=(school,)))
    assert len(source.geo("schools")) == len(snapshot.geo("schools")) + 1
    ind = REGISTRY["edu_children_primary_reach"]
    base = compute_table(snapshot, [ind])
    scen = compute_table(source, [ind])
    assert scen.loc["05758016", ind.key] > base.loc["05758016", ind.key]
    other = AddSchool(Point(8.62, 52.13), "Gymnasium", "Neu")
    same = compute_table(ScenarioSource(snapshot, Scenario("g", edits=(other,))), [ind])
    assert same.loc["05758016", ind.key] == base.loc["05758016", ind.key]


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (AddStop(Point(9.5, 52.0)), "edit 1 (add_stop): lies outside the Kreis"),
        (RemoveStop("no-such-stop"), "edit 1 (remove_stop): unknown stop id 'no-such-stop'"),
        (BroadbandTarget("households", 1000, 90.0, ags="05758999"), "unknown AGS '05758999'"),
        (BuildingArea(box(8.55, 52.15, 8.55001, 52.15001), 10), "outside 100 m² … 10 km²"),
    ],
)
def test_invalid_edits_are_refused(snapshot: Snapshot, edit: object, message: str) -> None:
    scenario = Scenario("bad", edits=(AddStop(Point(8.60, 52.10)), edit))  # type: ignore[arg-type]
    with pytest.raises(ScenarioError, match=re.escape(message.replace("edit 1", "edit 2"))) as info:
        ScenarioSource(snapshot, scenario)
    assert info.value.message("de").startswith("Änderung 2")


def test_removing_a_stop_twice_is_refused(snapshot: Snapshot) -> None:
    sid = str(snapshot.geo("stops")["stop_id"].iloc[0])
    with pytest.raises(ScenarioError, match=r"edit 2 .* removed by an earlier edit"):
        ScenarioSource(snapshot, Scenario("x", edits=(RemoveStop(sid), RemoveStop(sid))))


def feature(props: dict[str, object], geometry: object = None) -> dict[str, object]:
    return {"type": "Feature", "geometry": geometry, "properties": props}


def collection(*features: dict[str, object]) -> str:
    return json.dumps(
        {"type": "FeatureCollection", "kek_scenario": 1, "name": "x", "features": list(features)}
    )


POINT = {"type": "Point", "coordinates": [8.6, 52.1]}
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[8.5, 52.1], [8.6, 52.2], [8.6, 52.1], [8.5, 52.2], [8.5, 52.1]]],
}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "is not valid JSON"),
        (json.dumps({"type": "FeatureCollection", "features": []}), 'no "kek_scenario": 1'),
        (
            collection(feature({"edit": "teleport"}, POINT)),
            "edit 1 \\(teleport\\): unknown edit type",
        ),
        (
            collection(feature({"edit": "add_stop", "mode": "ship"}, POINT)),
            "'mode' must be one of bus, rail",
        ),
        (
            collection(feature({"edit": "building_area", "dwellings": 10}, BOWTIE)),
            "geometry is invalid",
        ),
        (collection(feature({"edit": "building_area", "dwellings": 0.5}, BOWTIE)), "whole number"),
        (
            collection(
                feature(
                    {
                        "edit": "broadband",
                        "segment": "households",
                        "bandwidth": 50,
                        "target_share": 90,
                        "ags": "05758004",
                    }
                )
            ),
            "'bandwidth' must be one of 100, 1000",
        ),
        (
            collection(
                feature(
                    {
                        "edit": "broadband",
                        "segment": "households",
                        "bandwidth": 1000,
                        "target_share": 120,
                        "ags": "05758004",
                    }
                )
            ),
            "between 0 and 100",
        ),
        (collection(feature({"edit": "remove_stop"})), "needs a 'stop_id'"),
    ],
)
def test_invalid_files_name_the_edit_and_the_problem(text: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        geojson.loads(text, origin="x.geojson")


def test_visitor_text_is_cleaned() -> None:
    text = collection(feature({"edit": "add_stop", "name": "A\x00B\u202e\x1b " + "x" * 500}, POINT))
    edit = geojson.loads(text).edits[0]
    assert isinstance(edit, AddStop)
    assert edit.name.startswith("AB x")  # invisible characters are dropped
    assert len(edit.name) == 200


# ---------------------------------------------------------------- file and compare


def test_example_file_round_trips_and_applies(snapshot: Snapshot) -> None:
    scenario = geojson.read(EXAMPLE)
    assert [e.kind for e in scenario.edits] == [
        "add_stop",
        "building_area",
        "broadband",
        "add_school",
    ]
    again = geojson.loads(geojson.dumps(scenario))
    assert again == scenario
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert data["kek_scenario"] == 1
    assert data["features"][2]["geometry"] is None
    ScenarioSource(snapshot, scenario)  # valid on the shipped data


def test_only_touched_indicators_recompute_and_agree_with_a_full_run(snapshot: Snapshot) -> None:
    scenario = geojson.read(EXAMPLE)
    inds = indicators_for()
    baseline = compute_table(snapshot, inds)
    fast = scenario_table(snapshot, scenario, inds, baseline=baseline)
    full = compute_table(ScenarioSource(snapshot, scenario), inds)
    pd.testing.assert_frame_equal(fast, full)
    deltas = delta_table(baseline, fast, ["population"])
    kreis = deltas.set_index("ags").loc["05758"]
    assert kreis["population_delta"] == 274.0
    sentences = summary_sentences(baseline, fast, [i.key for i in inds], "de")
    assert any(s.startswith("Einwohner: Kreis +274") and "Enger" in s for s in sentences)


def test_cli_apply_prints_the_delta_table() -> None:
    cmd = [
        sys.executable,
        "-m",
        "kek_geo",
        "scenario",
        "apply",
        str(EXAMPLE),
        "--theme",
        "overview",
    ]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    header = out.splitlines()[0].split(",")
    assert header[:5] == [
        "ags",
        "gemeinde",
        "population_basis",
        "population_szenario",
        "population_delta",
    ]
    assert "05758008,Enger,20542,20816,274" in out.replace(".0", "")


def test_cli_refuses_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.geojson"
    bad.write_text(
        collection(feature({"edit": "add_stop"}, {"type": "Point", "coordinates": [9.9, 52.0]}))
    )
    cmd = [sys.executable, "-m", "kek_geo", "scenario", "apply", str(bad)]
    run = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert run.returncode == 1
    assert "edit 1 (add_stop): lies outside the Kreis" in run.stderr


# ---------------------------------------------------------------- the editor's helpers


def test_editor_builds_edits_from_clicks_and_drawings(snapshot: Snapshot) -> None:
    from kek_geo.views.scenario_editor import drawn_polygon, make_edit, nearest_stop

    near = nearest_stop(snapshot, 8.67, 52.115)
    assert near is not None
    assert near.name == "Alter Markt, Herford"
    assert 150 < near.distance_m < 160
    assert nearest_stop(snapshot, 8.40, 52.30) is None  # no stop within 300 m
    click = Point(8.6, 52.1)
    assert make_edit("add_stop", click=click, values={"mode": "rail"}) == AddStop(click, "rail")
    assert make_edit("remove_stop", stop_id=near.stop_id) == RemoveStop(near.stop_id)
    drawing = {
        "type": "Feature",
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[8.55, 52.15], [8.556, 52.15], [8.556, 52.154], [8.55, 52.15]]],
        },
    }
    poly = drawn_polygon(drawing)
    assert poly is not None
    area = make_edit("building_area", polygon=poly, values={"dwellings": 50})
    assert isinstance(area, BuildingArea)
    assert area.dwellings == 50
    whole = make_edit("broadband", values={"ags": "05758028", "target_share": 95})
    assert whole == BroadbandTarget("households", 1000, 95.0, ags="05758028")
    with pytest.raises(ScenarioError, match="click the map first"):
        make_edit("add_school")
    assert (
        drawn_polygon({"type": "Feature", "geometry": {"type": "Point", "coordinates": [8, 52]}})
        is None
    )


def test_cli_import_list_show_export(tmp_path: Path) -> None:
    import os

    env = {**os.environ, "KEK_DATA_DIR": str(tmp_path / "data")}

    def kek(*args: str) -> str:
        cmd = [sys.executable, "-m", "kek_geo", "scenario", *args]
        return subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout

    sid = "6f1c7c1e-8a4b-4c1e-9a56-2f0d3b7e1a01"
    assert kek("import", str(EXAMPLE)).startswith(f"saved {sid}")
    assert sid in kek("list")
    assert "3. broadband  segment=households, bandwidth=1000" in kek("show", sid)
    out = tmp_path / "again.geojson"
    kek("export", sid, "--out", str(out))
    assert geojson.read(out).edits == geojson.read(EXAMPLE).edits
    assert not list(tmp_path.glob("*.part"))


# ---------------------------------------------------------------- difference map


def test_school_change_lists_the_cells_whose_children_come_within_1_km(
    snapshot: Snapshot,
) -> None:
    from kek_geo.analysis.education import primary_school_distance
    from kek_geo.views.scenarios import school_change

    school = AddSchool(Point(8.62, 52.13), "Grundschule", "Neu")
    source = ScenarioSource(snapshot, Scenario("s", edits=(school,)))
    cells = school_change(snapshot, source)
    # by hand: cells with children, now within 1,000 m of the new school and not before
    base_cells, dist, _ = primary_school_distance(snapshot)
    xy = np.column_stack([base_cells.geometry.centroid.x, base_cells.geometry.centroid.y])
    x, y = gpd.GeoSeries([Point(8.62, 52.13)], crs="OGC:CRS84").to_crs(25832).iloc[0].coords[0]
    near_new = np.hypot(xy[:, 0] - x, xy[:, 1] - y) <= 1000
    expected = base_cells[near_new & (dist > 1000) & (base_cells["children_u10"].fillna(0) > 0)]
    assert set(cells["cell_id"]) == set(expected["cell_id"])
    assert (cells["change"] == 1).all()
    assert len(cells) > 0
    gymnasium = AddSchool(Point(8.62, 52.13), "Gymnasium", "Neu")
    assert school_change(
        snapshot, ScenarioSource(snapshot, Scenario("g", edits=(gymnasium,)))
    ).empty


def test_difference_map_shows_schools_broadband_and_moves_with_the_others(
    snapshot: Snapshot,
) -> None:
    from kek_geo.maps import render_html
    from kek_geo.settings import get_settings
    from kek_geo.views import scenarios as view

    scenario = geojson.read(ROOT / "docs" / "scenario-example.geojson")
    comp = view.compare(snapshot, scenario)
    source = ScenarioSource(snapshot, scenario)
    ind = REGISTRY["bb_not_gigabit_households"]
    m = view.difference_map(
        snapshot, source, get_settings(), indicator=ind, comparison=comp, lang="de"
    )
    page = render_html(m)
    changes = view.cell_changes(snapshot, source)
    names = [layer.layer_name for layer in view.cell_layers(changes, "de")]
    assert names == [
        "Zellen mit geänderter Haltestellen-Erreichbarkeit",
        "Zellen, deren Kinder neu im 1-km-Nahbereich einer Grundschule wohnen",
    ]
    assert "Kinder unter 10" in page
    assert "Haushalte ohne Gigabit (\\u00c4nderung, gesch\\u00e4tzt)" in page
    assert "kek-sync-scenario-compare" in page
    change = view.gap_households_change(comp)
    # Rödinghausen's households leave the gap; the Kreis change is the sum of the nine
    assert change["05758028"] < -1000
    assert change["05758"] == pytest.approx(change.drop("05758").sum())
