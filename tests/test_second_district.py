"""A second district end to end: fetched from the loopback server, built, and every page run.

Kreis Testland (:mod:`tests.second_district`) has what ``kek-geo fetch`` brings and nothing
of the Herford data pack: VG250, the Zensus 2022 population and age grids, OpenStreetMap. The
build counts its residents from the 100 m cells, takes stops, schools and services from OSM, and
writes the layers it has no source for empty and marked as not available. The app then runs on
that snapshot (``KEK_GEODATA_DIR``) without a word about Herford.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from kek_geo.cli import main
from kek_geo.fetch.http import Downloader
from kek_geo.fetch.run import fetch_district
from kek_geo.indicators import compute_table, indicators_for
from kek_geo.manifest import read_manifest
from kek_geo.pages import pages_for
from kek_geo.snapshot import Snapshot, validate_snapshot
from tests import second_district as testland
from tests.fetch_server import Reply, running_server
from tests.helpers import ROOT, show_page

APP = str(ROOT / "app.py")
PLANNER = pages_for("planner")


@pytest.fixture(scope="module")
def testland_raw(raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Kreis Testland fetched from the loopback server into a raw folder."""
    del raw_dir  # the fixture VG250 is cut from the data pack's boundaries
    work = tmp_path_factory.mktemp("testland")
    grids = testland.grid_zips()
    with running_server() as internet:
        internet.routes.update(
            {
                "/files/vg250.zip": [Reply(body=testland.vg250_zip(work / "shapes"))],
                "/files/Zensus2022_Bevoelkerungszahl.zip": [
                    Reply(body=grids["Zensus2022_Bevoelkerungszahl"])
                ],
                "/files/Alter_in_5_Altersklassen.zip": [
                    Reply(body=grids["Alter_in_5_Altersklassen"])
                ],
                "/files/latest.zip": [Reply(body=testland.gtfs_zip())],
                "/api/interpreter": testland.overpass,
            }
        )
        catalog = work / "catalog.toml"
        catalog.write_text(testland.catalog_toml(internet.url), encoding="utf-8")
        patch = pytest.MonkeyPatch()
        patch.setenv("KEK_FETCH_CATALOG", str(catalog))
        try:
            loader = Downloader(work / "cache", progress=False, backoff_s=0.0)
            report = fetch_district("Testland", work / "raw", loader,
                                    overpass_url=f"{internet.url}/api", tile_km=10.0)  # fmt: skip
        finally:
            patch.undo()
    assert report.failed == [], report.text()
    # the projection is exported by hand from the statistical office
    (work / "raw" / "projection").mkdir()
    (work / "raw" / "projection" / "vorausberechnung.csv").write_text(
        "ags;year;population;people_65plus\n"
        f"{testland.NORDHEIM};2021;3.700;900\n{testland.NORDHEIM};2040;3.400;1.190\n"
        f"{testland.SUEDFELD};2021;1.850;450\n{testland.SUEDFELD};2040;1.900;570\n",
        encoding="utf-8",
    )
    yield work / "raw"


@pytest.fixture(scope="module")
def testland_geodata(testland_raw: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Kreis Testland built with ``kek-geo build-data`` (the district key from FETCH.json).

    Without the fetched walking network, so the distances below are straight lines.
    """
    out = tmp_path_factory.mktemp("testland-geodata") / "geodata"
    args = ["build-data", "--raw", str(testland_raw), "--out", str(out), "--skip-imports"]
    assert main(args) == 0
    return out


def test_the_build_imports_the_fetched_network_and_timetable(
    testland_raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "geodata"
    assert main(["build-data", "--raw", str(testland_raw), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "walking network: " in printed and "timetable: " in printed
    snap = Snapshot(out)
    network = snap.extra("walk_network")
    assert network is not None and network.meta["edges"] > 0
    feed = snap.extra("gtfs")
    assert feed is not None
    table = compute_table(snap, indicators_for("mobility"))
    assert table["mob_class_ac_pop"].notna().all()  # ÖV-Güteklassen switched on


def test_the_build_names_the_district_from_vg250(testland_geodata: Path) -> None:
    manifest = validate_snapshot(testland_geodata)
    assert manifest["kreis"] == {"ags": "05999", "name": "Kreis Testland"}
    gemeinden = gpd.read_parquet(testland_geodata / "gemeinden.parquet")
    assert dict(zip(gemeinden["ags"], gemeinden["name"], strict=True)) == {
        testland.NORDHEIM: "Nordheim",
        testland.SUEDFELD: "Südfeld",
    }
    assert "05758" not in (testland_geodata / "MANIFEST.json").read_text(encoding="utf-8")


def test_residents_are_counted_from_the_2022_cells(testland_geodata: Path) -> None:
    cells = testland.cells()
    gemeinden = gpd.read_parquet(testland_geodata / "gemeinden.parquet").set_index("ags")
    assert int(gemeinden["population"].sum()) == int(cells["people"].sum())
    grid = gpd.read_parquet(testland_geodata / "grid_100m.parquet")
    assert grid["population_est"].sum() == pytest.approx(cells["people"].sum())
    # 65+ share: round(0.25 × people) per cell over the residents
    older = sum(round(p * 0.25) for p in cells["people"])
    share = 100.0 * older / cells["people"].sum()
    kreis = gemeinden["share_65plus"] * gemeinden["grid_population"]
    assert kreis.sum() / gemeinden["grid_population"].sum() == pytest.approx(share)
    assert gemeinden["share_u15"].isna().all()  # only in the 1 km grid of the data pack
    record = read_manifest(testland_geodata)["layers"]["grid_100m"]
    assert "gezählt, nicht geschätzt" in record["method_de"]
    assert "zensus2022-grid" in record["sources"]


def test_layers_without_a_source_are_marked_and_osm_fills_in(testland_geodata: Path) -> None:
    layers = read_manifest(testland_geodata)["layers"]
    missing = {name for name, rec in layers.items() if not rec["available"]}
    assert missing == {"broadband", "mobile_coverage", "inkar_kreis", "charging_2019"}
    assert layers["projection"]["sources"] == ["projection"]
    for name in ("stops", "rail_stations", "schools", "services"):
        assert layers[name]["sources"] == ["osm-fetch"], name
        assert "2026-11-30" in layers[name]["data_date"], name  # the Overpass time stamp
    stops = gpd.read_parquet(testland_geodata / "stops.parquet")
    assert sorted(stops["mode"]) == ["bus", "bus", "rail"]
    schools = gpd.read_parquet(testland_geodata / "schools.parquet")
    assert schools["school_type"].tolist() == ["Grundschule"]
    assert "Nicht vorhanden" in layers["broadband"]["method_de"]


def test_the_projection_switches_on_the_2040_view(on_testland: Path) -> None:
    layers = read_manifest(on_testland)["layers"]
    assert layers["projection"]["available"]
    assert layers["projection"]["data_date"] == "Basisjahr 2021, vorausberechnet bis 2040"
    at = AppTest.from_file(APP, default_timeout=120).run()
    show_page(at, "pages/demography.py")
    assert not at.exception, [e.message for e in at.exception]
    assert any(s.value == "Kreis Testland 2040: Einwohner und Ältere nach der Vorausberechnung"
               for s in at.subheader)  # fmt: skip
    table = next(d.value for d in at.dataframe if "Einwohner 2040" in d.value.columns)
    row = table.set_index("Gemeinde").loc["Nordheim"]
    assert row["Einwohner 2021"] == 3700 and row["Einwohner 2040"] == 3400
    assert row["Veränderung (%)"] == pytest.approx(-8.1)
    assert row["Anteil 65+ 2040 (%)"] == pytest.approx(35.0)
    kreis = table.set_index("Gemeinde").loc["Kreis Testland"]
    assert kreis["Einwohner 2040"] == 5300 and kreis["Anteil 65+ 2021 (%)"] == pytest.approx(24.3)


def test_settlement_areas_come_from_osm_land_use(testland_geodata: Path) -> None:
    patches = gpd.read_parquet(testland_geodata / "settlement_areas.parquet")
    assert sorted(patches["ags"]) == [testland.NORDHEIM, testland.SUEDFELD]
    assert patches["area_ha"].tolist() == pytest.approx([64.0, 64.0], abs=0.5)
    # the residents of the cells whose centre lies in each 800 m square
    cells = testland.cells()
    assert patches["population_est"].sum() <= cells["people"].sum()
    assert patches["population_est"].min() > 0
    gemeinden = gpd.read_parquet(testland_geodata / "gemeinden.parquet")
    assert gemeinden["settlement_area_km2"].tolist() == pytest.approx([0.64, 0.64], abs=0.005)
    layers = read_manifest(testland_geodata)["layers"]
    assert layers["settlement_areas"]["sources"] == ["osm-fetch"]
    assert "landuse=residential" in layers["settlement_areas"]["method_de"]
    assert "osm-fetch" in layers["gemeinden"]["sources"]


def test_land_use_missing_in_a_municipality_keeps_the_census_areas(
    testland_raw: Path, tmp_path: Path
) -> None:
    import shutil

    raw = tmp_path / "raw"
    shutil.copytree(testland_raw, raw)
    landuse = gpd.read_file(raw / "osm" / "osm.gpkg", layer="landuse").to_crs("EPSG:25832")
    nordheim_only = landuse[landuse.geometry.centroid.x < 447_000].to_crs("EPSG:4326")
    nordheim_only.to_file(raw / "osm" / "osm.gpkg", layer="landuse", driver="GPKG")
    out = tmp_path / "geodata"
    assert main(["build-data", "--raw", str(raw), "--out", str(out), "--skip-imports"]) == 0
    record = read_manifest(out)["layers"]["settlement_areas"]
    assert record["sources"] == ["zensus2022-grid"]
    assert any("OSM land use not used" in n and testland.SUEDFELD in n for n in record["notes"])
    patches = gpd.read_parquet(out / "settlement_areas.parquet")
    assert sorted(set(patches["ags"])) == [testland.NORDHEIM, testland.SUEDFELD]


def test_daseinsvorsorge_figures_on_the_second_district(testland_geodata: Path) -> None:
    snap = Snapshot(testland_geodata)
    table = compute_table(snap, indicators_for("services"))
    assert list(table.index) == [testland.NORDHEIM, testland.SUEDFELD, "05999"]
    assert table.loc["05999", "gemeinde"] == "Kreis Testland"
    # Nordheim's village lies within 600 m of its supermarket, GP and pharmacy
    assert table.loc[testland.NORDHEIM, "services_near_supermarket"] == pytest.approx(100.0)
    assert table.loc[testland.NORDHEIM, "services_near_gp"] == pytest.approx(100.0)
    # Südfeld's village is 4 km away from them, with its own school and stop
    assert table.loc[testland.SUEDFELD, "services_near_supermarket"] == pytest.approx(0.0)
    assert table.loc[testland.SUEDFELD, "services_near_primary_school"] == pytest.approx(100.0)
    assert table.loc[testland.SUEDFELD, "services_kinds_mean"] == pytest.approx(2.0)


@pytest.fixture
def on_testland(
    testland_geodata: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """The app runs on Testland's snapshot with its own database; caches cleared around it."""
    monkeypatch.setenv("KEK_GEODATA_DIR", str(testland_geodata))
    monkeypatch.setenv("KEK_DATA_DIR", str(tmp_path / "data"))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield testland_geodata
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.mark.parametrize("page", [p.path for p in PLANNER], ids=[p.url_path for p in PLANNER])
def test_every_page_works_on_the_second_district(on_testland: Path, page: str) -> None:
    at = AppTest.from_file(APP, default_timeout=120).run()
    show_page(at, page)
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert "Herford" not in shown_text(at), page


def shown_text(at: AppTest) -> str:
    """Every text, table and widget label of a page (what a visitor can read)."""
    parts = [str(getattr(e, "value", "")) for kind in ("title", "header", "subheader", "markdown",
             "caption", "info", "warning", "success") for e in getattr(at, kind)]  # fmt: skip
    parts += [d.value.to_csv() for d in at.dataframe]
    parts += [str(getattr(w, "label", "")) for w in (*at.button, *at.selectbox, *at.radio)]
    parts += [" ".join(map(str, getattr(w, "options", []))) for w in at.selectbox]
    return "\n".join(parts)


KIOSK = pages_for("kiosk")


@pytest.mark.parametrize("page", [p.path for p in KIOSK], ids=[p.url_path for p in KIOSK])
def test_every_kiosk_page_works_on_the_second_district(
    on_testland: Path, page: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kek_geo.ui import cache, store

    monkeypatch.setenv("KEK_MODE", "kiosk")
    cache.settings.clear()
    store.engine.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=120).run()
        show_page(at, page)
        assert not at.exception, [e.message for e in at.exception]
        assert not at.error, [e.value for e in at.error]
        assert "Herford" not in shown_text(at), page
    finally:
        monkeypatch.delenv("KEK_MODE")
        cache.settings.clear()
        store.engine.clear()
