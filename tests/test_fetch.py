"""kek-geo fetch, end to end against a loopback server: downloads, Overpass, failures, cache."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from kek_geo.analysis.network import import_osm
from kek_geo.cli import main
from kek_geo.fetch import osm
from kek_geo.fetch.http import Downloader, FetchError
from kek_geo.fetch.official import DistrictNotFoundError, catalog, find_district
from kek_geo.fetch.run import fetch_district
from tests.fetch_server import FakeInternet, Reply, catalog_toml, grid_zip, overpass, vg250_zip


@pytest.fixture
def mirror(internet: FakeInternet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The loopback server serving every file of a test catalogue (KEK_FETCH_CATALOG)."""
    internet.routes.update(
        {
            "/files/vg250.zip": [Reply(body=vg250_zip(tmp_path / "shapes"))],
            "/files/Zensus2022_Bevoelkerungszahl.zip": [Reply(body=grid_zip())],
            "/files/latest.zip": [Reply(body=b"PK\x05\x06" + b"\x00" * 18)],
            "/files/ladesaeulenregister.csv": [Reply(body=b"Betreiber;Ort\r\nA;Herford\r\n")],
            "/api/interpreter": overpass,
        }
    )
    path = tmp_path / "catalog.toml"
    path.write_text(catalog_toml(internet.url), encoding="utf-8")
    monkeypatch.setenv("KEK_FETCH_CATALOG", str(path))
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    return path


def downloader(tmp_path: Path, **kwargs: object) -> tuple[Downloader, list[float]]:
    pauses: list[float] = []
    loader = Downloader(tmp_path / "cache", progress=False, backoff_s=0.5, sleep=pauses.append,
                        **kwargs)  # type: ignore[arg-type]  # fmt: skip
    return loader, pauses


def test_a_district_is_fetched_by_name(
    internet: FakeInternet, mirror: Path, tmp_path: Path
) -> None:
    loader, _ = downloader(tmp_path)
    raw = tmp_path / "raw"
    report = fetch_district("herford", raw, loader, overpass_url=f"{internet.url}/api",
                            tile_km=15.0)  # fmt: skip
    assert (report.district.ags, report.district.name) == ("05758", "Herford")
    assert report.failed == []
    # boundaries in the shape of the shipped raw data
    kreis = gpd.read_file(raw / "bkg-vg250" / "vg250_kreis_05758.geojson")
    gemeinden = gpd.read_file(raw / "bkg-vg250" / "vg250_gemeinden_05758.geojson")
    around = gpd.read_file(raw / "bkg-vg250" / "vg250_gemeinden_umland_05758.geojson")
    assert len(kreis) == 1 and kreis.crs.to_epsg() == 4326
    assert sorted(gemeinden["GEN"]) == ["Bünde", "Enger", "Herford", "Hiddenhausen",
                                        "Kirchlengern", "Löhne", "Rödinghausen", "Spenge",
                                        "Vlotho"]  # fmt: skip
    assert len(around) > 20 and not around["AGS"].str.startswith("05758").any()
    # the Zensus grid cut to the district: Munich's cells are gone, suppressed values kept
    grid = pd.read_csv(raw / "zensus2022-grid" / "Zensus2022_Bevoelkerungszahl_100m-Gitter.csv",
                       sep=";", dtype=str)  # fmt: skip
    assert grid["Einwohner"].tolist() == ["57", "–", "12"]
    assert (raw / "gtfs" / "latest.zip").is_file()
    # OpenStreetMap, several tiles merged, read with osmnx
    layers = dict(pyogrio.list_layers(raw / "osm" / "osm.gpkg"))
    assert set(layers) == {"landuse", "services", "stops", "ortsteile"}
    services = gpd.read_file(raw / "osm" / "osm.gpkg", layer="services")
    assert sorted(services["category"]) == ["doctor", "pharmacy", "supermarket"]
    assert "Löwen-Apotheke" in services["name"].tolist()
    assert len(gpd.read_file(raw / "osm" / "osm.gpkg", layer="landuse")) == 1
    assert len(gpd.read_file(raw / "osm" / "osm.gpkg", layer="ortsteile")) == 0  # empty answer
    queries = [q for q in internet.queries if "admin_level" not in q]
    assert len(internet.queries) > len(osm.GROUPS) + 1  # more than one tile per group
    assert all("[out:xml]" in q and "[bbox:" in q for q in queries)
    # the walking network is an OSM extract the existing import reads (motorway left out)
    summary = import_osm(raw / "osm" / "walk.osm", tmp_path / "imports")
    assert "walk" in summary.lower() or "edges" in summary.lower()
    assert "2026-11-30T12:00:00Z" in (raw / "osm" / "ATTRIBUTION.md").read_text(encoding="utf-8")
    # provenance of every file, and what needs a hand
    manifest = json.loads((raw / "FETCH.json").read_text(encoding="utf-8"))
    record = manifest["files"]["zensus2022-grid/Zensus2022_Bevoelkerungszahl_100m-Gitter.csv"]
    assert record["licence"] == "dl-de/by-2-0" and len(record["sha256"]) == 64
    assert manifest["files"]["osm"]["attribution"] == "© OpenStreetMap contributors (ODbL)"
    assert [d.key for d in report.manual] == ["broadband"]
    assert "by hand broadband" in report.text()


def test_the_cache_saves_a_second_download(
    internet: FakeInternet, mirror: Path, tmp_path: Path
) -> None:
    loader, _ = downloader(tmp_path)
    fetch_district("05758", tmp_path / "raw", loader, only={"charging"})
    before = sum(internet.hits.values())
    again = fetch_district("05758", tmp_path / "raw", loader, only={"charging"})
    assert sum(internet.hits.values()) == before and again.failed == []
    fresh, _ = downloader(tmp_path, refresh=True)
    fetch_district("05758", tmp_path / "raw", fresh, only={"charging"})
    assert sum(internet.hits.values()) == before + 2  # VG250 and the register again


def test_busy_servers_are_retried_with_backoff(internet: FakeInternet, tmp_path: Path) -> None:
    internet.routes["/busy"] = [
        Reply(429, headers={"Retry-After": "7"}), Reply(503), Reply(body=b"endlich"),
    ]  # fmt: skip
    loader, pauses = downloader(tmp_path)
    fetched = loader.fetch(f"{internet.url}/busy")
    assert fetched.path.read_bytes() == b"endlich"
    assert pauses == [7.0, 1.0]  # Retry-After honoured, then 0,5 s doubled
    assert internet.hits["/busy"] == 3


def test_a_failing_source_keeps_the_previous_data(
    internet: FakeInternet, mirror: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = tmp_path / "raw"
    (raw / "osm").mkdir(parents=True)
    (raw / "osm" / "osm.gpkg").write_bytes(b"the good data of last month")
    internet.routes["/api/interpreter"] = [Reply(504, b"Gateway Timeout")]
    internet.routes["/files/latest.zip"] = [Reply(200, b"PK", length=1000)]  # cut off
    code = main(["fetch", "--kreis", "05758", "--raw", str(raw), "--cache",
                 str(tmp_path / "cache"), "--overpass", f"{internet.url}/api", "--quiet",
                 "--backoff", "0"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 1
    assert "failed  osm:" in out and "HTTP 504 Gateway Timeout after 5 tries" in out
    assert "failed  gtfs:" in out and "the transfer broke off" in out
    assert "the previous data are kept" in out
    assert (raw / "osm" / "osm.gpkg").read_bytes() == b"the good data of last month"
    assert not (raw / "gtfs" / "latest.zip").exists()
    assert "ok      bkg-vg250/vg250_kreis_05758.geojson" in out  # the other sources went on
    assert not list((tmp_path / "cache").glob("*.part"))


def test_client_errors_are_not_retried(internet: FakeInternet, tmp_path: Path) -> None:
    loader, pauses = downloader(tmp_path)
    with pytest.raises(FetchError, match="missing: HTTP 404"):
        loader.fetch(f"{internet.url}/missing")
    assert pauses == [] and internet.hits["/missing"] == 1


def test_unknown_districts_and_catalogues(
    mirror: Path, tmp_path: Path, internet: FakeInternet
) -> None:
    loader, _ = downloader(tmp_path)
    archive = loader.fetch(f"{internet.url}/files/vg250.zip").path
    with pytest.raises(DistrictNotFoundError, match="no district 'Atlantis'"):
        find_district(archive, "Atlantis")
    with pytest.raises(DistrictNotFoundError, match="no district '09999'"):
        find_district(archive, "09999")
    assert find_district(archive, "5758").ags == "05758"  # a leading zero is added
    broken = tmp_path / "broken.toml"
    broken.write_text("[[download]\n", encoding="utf-8")
    with pytest.raises(Exception, match="the download catalogue cannot be read"):
        catalog(broken)


def test_tiles_cover_the_district_and_skip_empty_corners() -> None:
    import shapely

    triangle = shapely.Polygon([(450_000, 5_770_000), (500_000, 5_770_000), (450_000, 5_820_000)])
    boxes = osm.tiles(triangle, tile_km=25)
    assert len(boxes) == 3  # 2 × 2 tiles, the north-east one misses the triangle
    south, west, north, east = boxes[0]
    assert south < north and west < east and 52.0 < south < 52.2


def test_the_shipped_catalogue_is_complete() -> None:
    sources = catalog()
    assert {"vg250", "zensus2022-population", "gtfs", "charging", "broadband",
            "projection"} <= set(sources)  # fmt: skip
    for source in sources.values():
        assert source.licence and source.attribution and source.landing.startswith("https://")
        assert source.url.startswith("https://") or source.kind == "manual"


def test_a_corrupt_download_is_reported_not_cached_and_the_rest_goes_on(
    internet: FakeInternet, mirror: Path, tmp_path: Path
) -> None:
    # a server answering an error page with status 200 instead of the archive
    internet.routes["/files/Zensus2022_Bevoelkerungszahl.zip"] = [
        Reply(body=b"<html>Wartungsarbeiten</html>")
    ]
    loader, _ = downloader(tmp_path, retries=1)
    raw = tmp_path / "raw"
    report = fetch_district("05758", raw, loader, overpass_url=f"{internet.url}/api",
                            tile_km=15.0)  # fmt: skip
    assert [line.split(":")[0] for line in report.failed] == ["zensus2022-population"]
    assert "not a ZIP archive but '<html>Wartungsarbeiten</html>'" in report.failed[0]
    assert internet.hits["/files/Zensus2022_Bevoelkerungszahl.zip"] == 2  # retried once
    assert not (raw / "zensus2022-grid").exists()
    assert (raw / "gtfs" / "latest.zip").is_file() and (raw / "osm" / "osm.gpkg").is_file()
    record = json.loads((raw / "FETCH.json").read_text(encoding="utf-8"))
    assert "osm" in record["files"] and "bkg-vg250" in record["files"]
    assert not [p for p in (tmp_path / "cache").iterdir() if b"Wartung" in p.read_bytes()]


def test_an_overpass_answer_cut_short_by_a_runtime_error_is_not_data(
    internet: FakeInternet, mirror: Path, tmp_path: Path
) -> None:
    raw = tmp_path / "raw"
    (raw / "osm").mkdir(parents=True)
    (raw / "osm" / "osm.gpkg").write_bytes(b"the good data of last month")
    stopped = (b'<?xml version="1.0"?><osm version="0.6"><remark> runtime error: Query ran out '
               b"of memory in \"query\" at line 1. </remark></osm>")  # fmt: skip
    internet.routes["/api/interpreter"] = [Reply(body=stopped)]
    loader, pauses = downloader(tmp_path, retries=2)
    report = fetch_district("05758", raw, loader, only={"osm"},
                            overpass_url=f"{internet.url}/api", tile_km=15.0)  # fmt: skip
    assert len(report.failed) == 1 and report.failed[0].startswith("osm:")
    assert "Overpass stopped early: runtime error: Query ran out of memory" in report.failed[0]
    assert len(pauses) == 2  # asked again with backoff, like a busy server
    assert (raw / "osm" / "osm.gpkg").read_bytes() == b"the good data of last month"


def test_a_damaged_boundary_archive_is_named_and_dropped_from_the_cache(
    internet: FakeInternet, mirror: Path, tmp_path: Path
) -> None:
    internet.routes["/files/vg250.zip"] = [Reply(body=b"PK\x05\x06" + b"\x00" * 18)]  # empty
    loader, _ = downloader(tmp_path)
    with pytest.raises(FetchError, match="the boundaries cannot be read"):
        fetch_district("05758", tmp_path / "raw", loader)
    assert not list((tmp_path / "cache").glob("*.zip*"))
