"""Importing a newer broadband release per municipality: validation, storage, use, CLI."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from kek_geo.analysis.broadband import (
    broadband_table,
    import_release,
    import_target,
    latest_release,
    load_imported_releases,
)
from kek_geo.cli import main
from kek_geo.errors import DataSourceError
from kek_geo.indicators import REGISTRY, compute_table
from kek_geo.settings import KREIS_AGS
from kek_geo.snapshot import Snapshot
from tests.helpers import ROOT

GEODATA = ROOT / "geodata"
AGS = [
    "05758004",
    "05758008",
    "05758012",
    "05758016",
    "05758020",
    "05758024",
    "05758028",
    "05758032",
    "05758036",
]
HEADER = (
    '"AGS";"alle Technologien ≥ 30 Mbit/s";"alle Technologien ≥ 100 Mbit/s";'
    '"alle Technologien ≥ 1000 Mbit/s";"FTTH/B ≥ 1000 Mbit/s"'
)


def line(ags: str, i: int) -> str:
    # municipality i (0..8): 99 / 95 / 80 + i % with >= 30/100/1000, FTTH/B 10 + i %
    return f'"{ags}";99,00;95,00;{80 + i},00;{10 + i},00'


def write_csv(tmp_path: Path, lines: list[str], name: str = "gigabit_2023.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def good_csv(tmp_path: Path) -> Path:
    return write_csv(tmp_path, [line(ags, i) for i, ags in enumerate(AGS)])


@pytest.fixture
def imports(tmp_path: Path) -> Path:
    return tmp_path / "imports"


def run_import(path: Path, imports: Path, release: str = "2023-12", **kw: object) -> str:
    return import_release(
        path,
        release=release,
        segment=str(kw.pop("segment", "households")),
        imports_dir=imports,
        geodata_dir=GEODATA,
        replace=bool(kw.pop("replace", False)),
    )


def test_import_stores_the_release_and_the_app_uses_it(good_csv: Path, imports: Path) -> None:
    summary = run_import(good_csv, imports)
    target = import_target(imports, "households", "2023-12")
    assert target == imports / "broadband" / "households_2023-12.parquet"
    assert target.is_file()
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary file left
    assert "2023-12" in summary and "9 municipalities" in summary and "36 values" in summary

    stored = load_imported_releases(imports)
    assert stored is not None
    assert len(stored) == 9 * 4
    assert set(stored["technology"]) == {"all", "ftth_b"}
    assert str(stored["ags"].dtype) == "string"

    snap = Snapshot(GEODATA, imports_dir=imports)
    table = broadband_table(snap)
    assert len(table) == len(snap.layer("broadband")) + 36
    assert latest_release(table, "households") == "2023-12"
    assert latest_release(table, "businesses") == "2021-06"  # other segments unchanged

    result = compute_table(snap, [REGISTRY["gigabit_households"], REGISTRY["bb_households_30"]])
    # the overview gigabit indicator now takes the imported release: 80 + i %
    assert result["gigabit_households"].tolist()[:9] == [80.0 + i for i in range(9)]
    # the file has no district row: the broadband indicator computes it from the totals
    # (99 % everywhere, so the weighted district share is 99 % too)
    assert result.loc[KREIS_AGS, "bb_households_30"] == pytest.approx(99.0)


def test_no_folder_gives_none_and_empty_folder_gives_no_rows(tmp_path: Path) -> None:
    assert load_imported_releases(tmp_path / "nothing") is None
    (tmp_path / "imports" / "broadband").mkdir(parents=True)
    empty = load_imported_releases(tmp_path / "imports")
    assert empty is not None and empty.empty
    assert list(empty.columns) == [
        "release",
        "ags",
        "segment",
        "technology",
        "threshold_mbit",
        "share_pct",
    ]


def test_a_corrupt_import_file_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "imports" / "broadband"
    folder.mkdir(parents=True)
    (folder / "households_2023-12.parquet").write_text("not parquet", encoding="utf-8")
    with pytest.raises(DataSourceError, match=r"households_2023-12\.parquet"):
        load_imported_releases(tmp_path / "imports")


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        ([line(ags, i) for i, ags in enumerate(AGS[:-1])], "no row for AGS 05758036"),
        (
            [*[line(ags, i) for i, ags in enumerate(AGS)], line("05766020", 0)],
            "AGS 05766020 is not a municipality",
        ),
        ([line(ags, i) for i, ags in enumerate([*AGS, AGS[0]])], "appears twice"),
        ([*(f'"{ags}";101;1;1;1' for ags in AGS)], "outside 0–100"),
    ],
    ids=["missing-ags", "unknown-ags", "duplicate-ags", "bad-share"],
)
def test_bad_files_are_refused(
    tmp_path: Path, imports: Path, lines: list[str], problem: str
) -> None:
    path = write_csv(tmp_path, lines, "bad.csv")
    with pytest.raises(DataSourceError, match=problem) as err:
        run_import(path, imports)
    assert "bad.csv" in str(err.value)
    assert not imports.exists() or not any(imports.rglob("*.parquet"))


def test_a_file_without_values_is_refused(tmp_path: Path, imports: Path) -> None:
    path = write_csv(tmp_path, [f'"{ags}";;;;' for ags in AGS], "empty.csv")
    with pytest.raises(DataSourceError, match="no values"):
        run_import(path, imports)


@pytest.mark.parametrize("release", ["2023-13", "2023-00", "2023-1", "23-12", "2023/12", ""])
def test_wrong_release_format(good_csv: Path, imports: Path, release: str) -> None:
    with pytest.raises(DataSourceError, match="is not YYYY-MM"):
        run_import(good_csv, imports, release=release)


def test_unknown_segment(good_csv: Path, imports: Path) -> None:
    with pytest.raises(DataSourceError, match="segment 'farms'"):
        run_import(good_csv, imports, segment="farms")


def test_a_snapshot_release_is_refused_unless_replaced(good_csv: Path, imports: Path) -> None:
    with pytest.raises(DataSourceError, match=r"2021-06 \(households\) already exists in the "):
        run_import(good_csv, imports, release="2021-06")
    summary = run_import(good_csv, imports, release="2021-06", replace=True)
    assert "replaces the release in the snapshot" in summary
    table = broadband_table(Snapshot(GEODATA, imports_dir=imports))
    rows = table[(table["segment"] == "households") & (table["release"] == "2021-06")]
    assert len(rows) == 36  # only the imported rows, the snapshot's are replaced


def test_an_imported_release_is_refused_unless_replaced(
    tmp_path: Path, good_csv: Path, imports: Path
) -> None:
    run_import(good_csv, imports)
    with pytest.raises(DataSourceError, match="already exists in the imports; use --replace"):
        run_import(good_csv, imports)
    newer = write_csv(tmp_path, [line(ags, 10) for ags in AGS], "fixed.csv")
    assert "replaces the release in the imports" in run_import(newer, imports, replace=True)
    stored = load_imported_releases(imports)
    assert stored is not None
    gigabit = stored[(stored["technology"] == "all") & (stored["threshold_mbit"] == 1000)]
    assert set(gigabit["share_pct"]) == {90.0}


def test_a_failed_write_leaves_nothing_half_written(
    good_csv: Path, imports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_import(good_csv, imports)
    target = import_target(imports, "households", "2023-12")
    before = target.read_bytes()

    def broken(self: pd.DataFrame, path: Path, **kwargs: object) -> None:
        Path(path).write_bytes(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", broken)
    with pytest.raises(OSError, match="disk full"):
        run_import(good_csv, imports, replace=True)
    assert target.read_bytes() == before  # the old release is intact
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_cli_imports_into_the_configured_folder(
    good_csv: Path,
    imports: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("KEK_GEODATA_DIR", str(GEODATA))
    monkeypatch.setenv("KEK_IMPORTS_DIR", str(imports))
    args = ["import-broadband", "--file", str(good_csv), "--release", "2023-12"]
    assert main([*args, "--segment", "households"]) == 0
    assert "imported broadband release 2023-12" in capsys.readouterr().out
    assert import_target(imports, "households", "2023-12").is_file()
    # the same release again: exit code 1 and the message
    assert main([*args, "--segment", "households"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kek-geo: error: ")
    assert "already exists in the imports; use --replace" in err
    assert main([*args, "--segment", "households", "--replace"]) == 0


def test_cli_with_a_geodata_folder_and_a_bad_release(
    tmp_path: Path, good_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    geodata = tmp_path / "geodata"
    geodata.mkdir()
    for name in ("gemeinden.parquet", "broadband.parquet"):
        shutil.copy(GEODATA / name, geodata / name)
    base = ["import-broadband", "--file", str(good_csv), "--geodata", str(geodata)]
    assert main([*base, "--release", "2023-13", "--segment", "businesses"]) == 1
    assert "release '2023-13' is not YYYY-MM" in capsys.readouterr().err
    assert main([*base, "--release", "2023-12", "--segment", "businesses"]) == 0
    assert (geodata / "imports" / "broadband" / "businesses_2023-12.parquet").is_file()


def test_imported_businesses_have_no_district_estimate(good_csv: Path, imports: Path) -> None:
    run_import(good_csv, imports, segment="businesses")
    snap = Snapshot(GEODATA, imports_dir=imports)
    # the file says "alle Technologien": the indicator uses it for the newest release
    result = compute_table(snap, [REGISTRY["bb_businesses_1000"]])
    assert result["bb_businesses_1000"].tolist()[:9] == [80.0 + i for i in range(9)]
    assert math.isnan(result.loc[KREIS_AGS, "bb_businesses_1000"])
