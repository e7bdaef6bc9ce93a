"""Loading the snapshot: a missing or malformed layer is reported by name and file."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import pytest

from kek_geo.errors import LayerError
from kek_geo.snapshot import Snapshot, read_layer, validate_snapshot
from tests.helpers import ROOT


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    out = tmp_path / "geodata"
    shutil.copytree(ROOT / "geodata", out)
    return out


def test_committed_snapshot_is_valid() -> None:
    manifest = validate_snapshot(ROOT / "geodata")
    assert manifest["kreis"] == {"ags": "05758", "name": "Kreis Herford"}


def test_missing_layer_file(copy: Path) -> None:
    (copy / "stops.parquet").unlink()
    with pytest.raises(LayerError, match=r"layer 'stops' .*stops\.parquet.*file missing"):
        read_layer("stops", copy)


def test_missing_column(copy: Path) -> None:
    gem = gpd.read_parquet(copy / "gemeinden.parquet").drop(columns=["population"])
    gem.to_parquet(copy / "gemeinden.parquet")
    with pytest.raises(LayerError, match=r"layer 'gemeinden'.*missing column\(s\) 'population'"):
        read_layer("gemeinden", copy)


def test_wrong_column_type(copy: Path) -> None:
    gem = gpd.read_parquet(copy / "gemeinden.parquet")
    gem["population"] = gem["population"].astype(str)
    gem.to_parquet(copy / "gemeinden.parquet")
    with pytest.raises(LayerError, match=r"column 'population' is .*expected int"):
        read_layer("gemeinden", copy)


def test_wrong_crs(copy: Path) -> None:
    gem = gpd.read_parquet(copy / "gemeinden.parquet").to_crs("EPSG:4326")
    gem.to_parquet(copy / "gemeinden.parquet")
    with pytest.raises(LayerError, match="expected EPSG:25832"):
        read_layer("gemeinden", copy)


def test_corrupt_file(copy: Path) -> None:
    (copy / "schools.parquet").write_bytes(b"not parquet")
    with pytest.raises(LayerError, match="not a readable GeoParquet file"):
        read_layer("schools", copy)


def test_changed_file_fails_validation(copy: Path) -> None:
    gem = gpd.read_parquet(copy / "gemeinden.parquet")
    gem.loc[0, "population"] = 1
    gem.to_parquet(copy / "gemeinden.parquet")
    with pytest.raises(LayerError, match="sha256 differs"):
        validate_snapshot(copy)


def test_missing_manifest(tmp_path: Path) -> None:
    with pytest.raises(LayerError, match=r"MANIFEST.*missing: build the snapshot"):
        Snapshot(tmp_path)


def test_unknown_layer(copy: Path) -> None:
    with pytest.raises(LayerError, match="unknown layer"):
        read_layer("supermarkets", copy)


def test_attribution_joins_distinct_credits(snapshot: Snapshot) -> None:
    text = snapshot.attribution("gemeinden_display", "neighbours_display", "stops")
    assert text.count("© GeoBasis-DE / BKG 2016") == 1
    assert "DB InfraGO (CC BY 4.0)" in text
