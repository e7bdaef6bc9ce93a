"""Bad input stops the build with one clear message naming the file; the snapshot stays."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kek_geo.cli import main
from kek_geo.errors import DataSourceError
from kek_geo.manifest import sha256_file
from kek_geo.pipeline.build import build_snapshot

VG_GEM = "bkg-vg250/vg250_gemeinden_kreis_herford.geojson"
POP = "zensus2022-gemeinden/1000A-0000_de_clean_kreis_herford.csv"
GRID = "zensus2011-grid/zensus2011_1km_herford_bbox.csv"
SCHOOLS = "schulen-nrw/schulen_nrw_2024_25_kreis_herford.geojson"
BB = "breitbandatlas/gemeinde_bezirke_privat_2021_mitte_kreis_herford.csv"


def raw_copy(raw_dir: Path, tmp: Path, editable: str) -> Path:
    """A raw folder of symlinks, with the folder of ``editable`` copied so it can be changed."""
    out = tmp / "raw"
    out.mkdir()
    folder = editable.split("/", maxsplit=1)[0]
    for child in raw_dir.iterdir():
        if child.name == folder:
            shutil.copytree(child, out / child.name)
            for f in (out / child.name).iterdir():
                f.chmod(0o644)
        else:
            (out / child.name).symlink_to(child)
    return out


def _edit_text(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8-sig")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _wrong_crs(path: Path) -> None:
    doc = json.loads(path.read_text())
    doc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}}
    path.write_text(json.dumps(doc))


def _projected_coordinates(path: Path) -> None:
    doc = json.loads(path.read_text())
    doc.pop("crs", None)
    for feat in doc["features"]:
        feat["geometry"]["coordinates"] = [
            [[x * 1e5, y * 1e5] for x, y in ring] for ring in feat["geometry"]["coordinates"]
        ]
    path.write_text(json.dumps(doc))


CASES: dict[str, tuple[str, Callable[[Path], object], str]] = {
    "missing file": (POP, lambda p: p.unlink(), "file not found"),
    "corrupt geojson": (
        VG_GEM,
        lambda p: p.write_text('{"type": "FeatureCollection", "feat'),
        "not a readable GeoJSON",
    ),
    "corrupt csv": (
        GRID,
        lambda p: p.write_bytes(b"\xff\xfe\x00garbage\x00"),
        "not a readable UTF-8",
    ),
    "missing column": (
        POP,
        lambda p: _edit_text(p, "population", "einwohner"),
        "missing column(s) 'population'",
    ),
    "wrong crs": (VG_GEM, _wrong_crs, "expected EPSG:4326"),
    "projected coordinates": (VG_GEM, _projected_coordinates, "wrong CRS?"),
    "unknown ags": (
        POP,
        lambda p: _edit_text(p, "057580016016", "057660016016"),
        "AGS 05766016 is not a municipality",
    ),
    "ags outside the district": (
        SCHOOLS,
        lambda p: _edit_text(p, '"5758004"', '"5766020"'),
        "AGS 05766020 is not a municipality",
    ),
    "non-numeric value": (
        GRID,
        lambda p: _edit_text(p, ",99,", ",neunundneunzig,"),
        "non-numeric value 'neunundneunzig'",
    ),
    "share above 100 %": (BB, lambda p: _edit_text(p, "73.34", "173.34"), "share outside 0–100 %"),
}


@pytest.fixture
def existing_snapshot(tmp_path: Path) -> Path:
    out = tmp_path / "geodata"
    out.mkdir()
    (out / "MANIFEST.json").write_text('{"keep": "me"}')
    return out


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_names_file_and_problem(
    case: str, raw_dir: Path, tmp_path: Path, existing_snapshot: Path
) -> None:
    rel, damage, problem = CASES[case]
    raw = raw_copy(raw_dir, tmp_path, rel)
    damage(raw / rel)
    before = sha256_file(existing_snapshot / "MANIFEST.json")
    with pytest.raises(DataSourceError) as err:
        build_snapshot(raw, existing_snapshot)
    message = str(err.value)
    assert Path(rel).name in message
    assert problem in message
    # the existing snapshot is untouched and no half-written folder is left behind
    assert sha256_file(existing_snapshot / "MANIFEST.json") == before
    assert sorted(p.name for p in existing_snapshot.parent.iterdir()) == ["geodata", "raw"]


def test_cli_reports_the_error_and_exits_1(
    raw_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = raw_copy(raw_dir, tmp_path, POP)
    (raw / POP).unlink()
    code = main(["build-data", "--raw", str(raw), "--out", str(tmp_path / "out")])
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("kek-geo: error: ")
    assert "1000A-0000_de_clean_kreis_herford.csv: file not found" in err
    assert not (tmp_path / "out").exists()


def test_missing_raw_folder(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match="raw data folder not found"):
        build_snapshot(tmp_path / "nowhere", tmp_path / "out")
