"""The three Breitbandatlas header styles, decimal commas and empty cells."""

from __future__ import annotations

from pathlib import Path

import pytest

from kek_geo.errors import DataSourceError
from kek_geo.pipeline.broadband import parse_district_file, parse_municipal_file, release_label

KNOWN = {"05758004", "05758008"}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_release_label() -> None:
    assert release_label("2021", "mitte") == "2021-06"
    assert release_label("2020", "ende") == "2020-12"
    assert release_label("2019", "2") == "2019-12"


def test_municipal_file_semicolon_decimal_comma_and_empty_cells(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "m.csv",
        '"AGS";"alle Technologien ≥ 1000 Mbit/s";"FTTH/B ≥ 1000 Mbit/s";"Sonstiges"\n'
        '"05758004";73,34;0,73;x\n'
        '"05758008";;0,22;y\n',
    )
    rows = parse_municipal_file(path, "households", "2021-06", KNOWN)
    got = rows.set_index(["ags", "technology"])["share_pct"]
    assert got[("05758004", "all")] == pytest.approx(73.34)
    assert got[("05758004", "ftth_b")] == pytest.approx(0.73)
    assert got.isna().sum() == 1  # the empty cell stays missing
    assert set(rows["threshold_mbit"]) == {1000}
    assert set(rows["release"]) == {"2021-06"}


def test_municipal_file_with_comma_separator_and_7_digit_ags(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "m.csv",
        "AGS,leitungsg. Technologien ≥ 30 Mbit/s\n5758004,95.5\n5758008,90\n",
    )
    rows = parse_municipal_file(path, "businesses", "2020-12", KNOWN)
    assert rows["ags"].tolist() == ["05758004", "05758008"]
    assert rows["technology"].tolist() == ["wired", "wired"]
    assert rows["share_pct"].tolist() == [95.5, 90.0]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('"AGS";"alle Technologien ≥ 30 Mbit/s"\n"05758004";90\n', "no row for AGS 05758008"),
        (
            '"AGS";"alle Technologien ≥ 30 Mbit/s"\n"05758004";90\n"05758004";91\n"05758008";1\n',
            "appears twice",
        ),
        (
            '"AGS";"alle Technologien ≥ 30 Mbit/s"\n"05758004";90\n"05766020";1\n',
            "AGS 05766020 is not",
        ),
        ('"AGS";"Mbit"\n"05758004";90\n"05758008";1\n', "no columns like"),
        ('"Gemeinde";"alle Technologien ≥ 30 Mbit/s"\n"x";90\n', "missing column 'AGS'"),
    ],
)
def test_municipal_file_errors(tmp_path: Path, body: str, problem: str) -> None:
    path = write(tmp_path, "bad.csv", body)
    with pytest.raises(DataSourceError, match=problem) as err:
        parse_municipal_file(path, "households", "2021-06", KNOWN)
    assert "bad.csv" in str(err.value)


def test_district_file_codes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "d.csv",
        '"ags";"verf_300_1000";"verf_100_30";"verf_ftth_100";"verf_xyz_5"\n"05758";64.56;95.84;\n',
    )
    rows = parse_district_file(path, "households", "2021-06", "05758")
    got = rows.set_index(["technology", "threshold_mbit"])["share_pct"]
    assert got[("all", 1000)] == pytest.approx(64.56)
    assert got[("wired", 30)] == pytest.approx(95.84)
    assert got.isna().sum() == 1
    assert "xyz" not in set(rows["technology"])
