"""The data pipeline on the real raw data: counts and totals checked by hand against the sources."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kek_geo.catalog import LAYERS
from kek_geo.manifest import MANIFEST_NAME, read_manifest
from kek_geo.pipeline.build import build_snapshot
from kek_geo.snapshot import Snapshot, validate_snapshot
from tests.helpers import ROOT

AGS = {
    "05758004": "Bünde",
    "05758008": "Enger",
    "05758012": "Herford",
    "05758016": "Hiddenhausen",
    "05758020": "Kirchlengern",
    "05758024": "Löhne",
    "05758028": "Rödinghausen",
    "05758032": "Spenge",
    "05758036": "Vlotho",
}


@pytest.fixture(scope="module")
def built(built_dir: Path) -> Snapshot:
    return Snapshot(built_dir).load_all()


def test_every_layer_is_written_and_valid(built_dir: Path) -> None:
    manifest = validate_snapshot(built_dir)
    assert set(manifest["layers"]) == set(LAYERS)


def test_nine_gemeinden_with_official_keys_and_population(built: Snapshot) -> None:
    gem = built.layer("gemeinden")
    assert dict(zip(gem["ags"], gem["name"], strict=True)) == AGS
    assert int(gem["population"].sum()) == 254_008
    # Zensus 1000A-0000, checked by hand against the raw CSV
    assert gem.set_index("ags").loc["05758012", "population"] == 66_985
    assert gem.set_index("ags").loc["05758028", "population"] == 9_962
    assert set(gem["kind"]) == {"Stadt", "Gemeinde"}
    assert gem.set_index("ags").loc["05758016", "kind"] == "Gemeinde"


def test_area_is_about_450_km2(built: Snapshot) -> None:
    kreis_area = float(built.layer("kreis")["area_km2"].iloc[0])
    assert kreis_area == pytest.approx(450.4, abs=1.0)
    assert built.layer("gemeinden")["area_km2"].sum() == pytest.approx(kreis_area, rel=1e-3)


def test_age_shares_come_from_the_grids_not_from_gerda(built: Snapshot) -> None:
    gem = built.layer("gemeinden").set_index("ags")
    # GERDA claims 45 % aged 30-49 and 15 % under 18 everywhere; the grids give 16-19 % under 18
    # (2011) and 13-15 % under 15 (2022).
    assert gem["share_u18_2011"].between(15, 20).all()
    assert gem["share_u15"].between(12, 16).all()
    assert gem["share_65plus"].between(20, 26).all()
    assert gem["share_65plus_2011"].between(17, 25).all()
    assert gem["mean_age_2011"].between(40, 47).all()
    # the 2022 grid population allocated to the municipalities is close to the official total
    assert gem["grid_population"].sum() == pytest.approx(254_008, rel=0.02)


def test_district_65plus_share_2022_matches_the_grid_sum(built: Snapshot) -> None:
    gem = built.layer("gemeinden")
    share = (gem["share_65plus"] * gem["grid_population"]).sum() / gem["grid_population"].sum()
    # the data pack's check: the 449 cells with centre in the Kreis hold 57,320 people 65+ of
    # 253,246 residents = 22.63 %; allocating border cells by dwellings gives the same to 0.1
    assert share == pytest.approx(57_320 / 253_246 * 100, abs=0.1)


def test_suppressed_grid_values_are_missing_not_zero(built: Snapshot, raw_dir: Path) -> None:
    raw = pd.read_csv(raw_dir / "zensus2011-grid/zensus2011_1km_herford_bbox.csv")
    suppressed = set(raw.loc[raw["ab65_A"] < 0, "GITTER_ID_1km"])
    grid = built.layer("grid_1km")
    hit = grid[grid["cell_id"].isin(suppressed)]
    assert len(hit) > 0
    assert hit["share_65plus_2011"].isna().all()
    assert hit["change_65plus_pp"].isna().all()
    assert (grid["share_65plus_2011"].dropna() >= 0).all()


def test_100m_estimate_is_calibrated_positive_and_never_below_published(built: Snapshot) -> None:
    cells = built.layer("grid_100m")
    assert cells["ags"].notna().all()
    assert set(cells["ags"]) == set(AGS)
    official = built.layer("gemeinden").set_index("ags")["population"]
    placed = cells.groupby("ags")["population_est"].sum()
    # every municipality sums to its official Zensus 2022 population (the layer rounds each
    # cell to 6 decimals)
    assert placed.to_dict() == pytest.approx(official.astype(float).to_dict(), abs=0.01)
    assert placed.sum() == pytest.approx(254_008, abs=0.05)
    # 1,896 cells got 0 before (buildings used only where a whole 1 km cell had no dwellings)
    assert (cells["population_est"] > 0).all()
    published = cells["children_u10"].fillna(0) + cells["people_80plus"].fillna(0)
    assert (cells["population_est"] >= published - 1e-6).all()
    # a cell publishing 76 people 80+ and no dwellings or buildings (a care home) holds them and
    # barely more (calibration scales up by at most 7.5 %), not 5 times as many
    care = cells.set_index("cell_id").loc["CRS3035RES100mN3226900E4217300"]
    assert care["people_80plus"] == 76 and pd.isna(care["dwellings"]) and pd.isna(care["buildings"])
    assert 76 <= care["population_est"] <= 76 * 1.075
    # counts below 3 are suppressed in the source: published values are never 1 or 2
    assert cells["children_u10"].dropna().min() >= 3
    assert cells["children_u10"].isna().any()
    building_classes = [c for c in cells.columns if c.startswith("b_")]
    assert len(building_classes) == 10


def test_border_cells_with_all_dwellings_outside_credit_nobody(built: Snapshot) -> None:
    grid = built.layer("grid_1km").set_index("cell_id")
    # a 1 km cell at the Bielefeld border: 3,151 residents in 2022, 0.2 % of its area inside the
    # Kreis, every published dwelling outside (the old area split credited the Kreis with them)
    cell = grid.loc["CRS3035RES1000mN3217000E4226000"]
    assert cell["population"] == 3151
    assert 0 < cell["area_in_kreis_km2"] < 0.01
    assert cell["population_in_kreis"] == 0


def test_settlement_areas_cover_the_settled_cells(built: Snapshot) -> None:
    patches = built.layer("settlement_areas")
    cells = built.layer("grid_100m")
    assert patches["cells"].sum() == len(cells)
    assert patches["area_ha"].sum() == pytest.approx(len(cells), rel=1e-6)
    assert patches["patch_id"].tolist() == list(range(1, len(patches) + 1))
    assert patches["cells"].is_monotonic_decreasing


def test_stops_rail_stations_schools_hospitals(built: Snapshot) -> None:
    stops = built.layer("stops")
    assert len(stops) == 1644
    assert int(stops["in_kreis"].sum()) == 1133
    assert set(stops["mode"]) <= {"rail", "tram", "bus", "on_demand", "unknown"}
    rail = built.layer("rail_stations")
    inside = rail[rail["in_kreis"]].set_index("name")["category"].to_dict()
    assert inside == {
        "Herford": 2,
        "Bünde (Westf)": 3,
        "Löhne (Westf)": 4,
        "Kirchlengern": 5,
        "Hiddenhausen-Schweicheln": 6,
        "Vlotho": 6,
        "Bieren-Rödinghausen": 7,
        "Mesch Neue Mühle": 7,
    }
    herford = stops[(stops["mode"] == "rail") & (stops["name"] == "Herford")]
    assert herford["station_category"].tolist() == [2.0]
    schools = built.layer("schools")
    assert len(schools) == 81
    assert (schools["school_type"] == "Grundschule").sum() == 43
    assert schools["social_index"].dropna().between(1, 9).all()
    hospitals = built.layer("hospitals")
    assert int(hospitals["in_kreis"].sum()) == 7
    charging = built.layer("charging_2019")
    assert int(charging["in_kreis"].sum()) == 10
    assert charging["historic"].all()


def test_broadband_is_a_tidy_long_table(built: Snapshot) -> None:
    bb = built.layer("broadband")
    assert list(bb.columns) == [
        "release",
        "ags",
        "segment",
        "technology",
        "threshold_mbit",
        "share_pct",
    ]
    assert set(bb["segment"]) == {"households", "businesses", "commercial_areas"}
    households = bb[bb["segment"] == "households"]
    assert sorted(households["release"].unique()) == [
        "2018-12",
        "2019-06",
        "2019-12",
        "2020-06",
        "2020-12",
        "2021-06",
    ]
    key = ["release", "ags", "segment", "technology", "threshold_mbit"]
    assert not bb.duplicated(key).any()
    gig = bb.set_index(key)["share_pct"]
    # hand-checked in gemeinde_bezirke_privat_2021_mitte: Bünde 73.34, Rödinghausen 0.35
    assert gig[("2021-06", "05758004", "households", "all", 1000)] == pytest.approx(73.34)
    assert gig[("2021-06", "05758028", "households", "all", 1000)] == pytest.approx(0.35)
    # district file landkreis_privat_2021_1: verf_300_1000 = 64.56
    assert gig[("2021-06", "05758", "households", "all", 1000)] == pytest.approx(64.56)
    # empty cells stay missing (landkreis_privat_2019_2 has empty DSL columns)
    assert bb["share_pct"].isna().any()
    assert bb["share_pct"].dropna().between(0, 100).all()


def test_manifest_records_provenance(built_dir: Path) -> None:
    manifest = read_manifest(built_dir)
    missing = {n for n, rec in manifest["layers"].items() if not rec["available"]}
    assert missing == {"services", "projection"}  # not in the shipped raw data
    assert manifest["layers"]["services"]["feature_count"] == 0
    assert "kek-geo fetch" in manifest["layers"]["services"]["method_de"]
    for name, rec in manifest["layers"].items():
        if name in missing:
            continue
        assert rec["licence"], name
        assert rec["attribution"], name
        assert rec["data_date"], name
        assert rec["method_de"] and rec["method_en"], name
        assert len(rec["sha256"]) == 64
        assert rec["feature_count"] > 0, name
    assert "© GeoBasis-DE / BKG 2016" in manifest["layers"]["gemeinden"]["attribution"]
    assert "dl-de/by-2-0" in manifest["layers"]["grid_100m"]["licence"]
    text = json.dumps(manifest)
    assert str(ROOT) not in text and str(ROOT.parent) not in text


def test_snapshot_is_small(built_dir: Path) -> None:
    total = sum(p.stat().st_size for p in built_dir.iterdir())
    assert total < 15e6


def test_two_builds_are_identical(built_dir: Path, raw_dir: Path, tmp_path: Path) -> None:
    again = tmp_path / "geodata"
    build_snapshot(raw_dir, again)
    first = read_manifest(built_dir)["layers"]
    second = read_manifest(again)["layers"]
    assert {k: v["sha256"] for k, v in first.items()} == {k: v["sha256"] for k, v in second.items()}


@pytest.mark.rebuild
def test_committed_snapshot_matches_a_rebuild(built_dir: Path) -> None:
    """The snapshot in geodata/ is exactly what the pipeline makes from the raw data."""
    committed = read_manifest(ROOT / "geodata")["layers"]
    rebuilt = read_manifest(built_dir)["layers"]
    differ = sorted(
        k for k in rebuilt if committed.get(k, {}).get("sha256") != rebuilt[k]["sha256"]
    )
    assert not differ, f"geodata/ is out of date for {differ}: run `make data` and commit"
    assert (ROOT / "geodata" / MANIFEST_NAME).read_text() == (built_dir / MANIFEST_NAME).read_text()


def test_committed_snapshot_loads(snapshot: Snapshot) -> None:
    assert len(snapshot.layer("gemeinden")) == 9
    assert np.isclose(snapshot.layer("kreis")["population"].iloc[0], 254_008)
