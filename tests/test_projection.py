"""The population projection: reading the hand-exported table and the 2040 figures (by hand).

Fixture: two municipalities, base year 2021 and horizon 2040.

    ags       2021 residents  65+    2040 residents  65+
    05758004  1,000           200    900             270
    05758008    500           100    550             165

Changes: −10 % and +10 %; 65+ shares 20 % → 30 % in both; district 1,500 → 1,450
(−3.33 %), 65+ 300 → 435 (20 % → 30 %).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from kek_geo.analysis.projection import horizon_year, projection_table
from kek_geo.errors import DataSourceError
from kek_geo.pipeline.boundaries import Boundaries
from kek_geo.pipeline.projection import read_projection, read_projection_file

A, B = "05758004", "05758008"


def _csv(rows: list[str]) -> str:
    return "ags;year;population;people_65plus\n" + "\n".join(rows) + "\n"


ROWS = [f"{A};2021;1.000;200", f"{A};2040;900;270", f"{B};2021;500;100", f"{B};2040;550;165"]


def _bounds() -> Boundaries:
    gem = gpd.GeoDataFrame(
        {"ags": [A, B], "name": ["Bünde", "Enger"], "kind": ["Stadt", "Stadt"]},
        geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)],
        crs="EPSG:25832",
    )
    kreis = gpd.GeoDataFrame({"ags": ["05758"], "name": ["K"], "kind": ["Kreis"]},
                             geometry=[shapely.box(0, 0, 2, 1)], crs="EPSG:25832")  # fmt: skip
    return Boundaries(kreis, gem, gem.iloc[:0])


def write(folder: Path, text: str, name: str = "gmr.csv") -> Path:
    (folder / "projection").mkdir(parents=True, exist_ok=True)
    path = folder / "projection" / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_table_is_read_with_german_numbers(tmp_path: Path) -> None:
    write(tmp_path, _csv(ROWS))
    read = read_projection(tmp_path, _bounds())
    assert read is not None
    table, files = read
    assert files == ["projection/gmr.csv"]
    assert table["population"].tolist() == [1000.0, 900.0, 500.0, 550.0]
    assert table["year"].tolist() == [2021, 2040, 2021, 2040]


def test_without_a_table_there_is_no_projection(tmp_path: Path) -> None:
    assert read_projection(tmp_path, _bounds()) is None


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([*ROWS[:3], "05766004;2040;1;0"], "AGS 05766004 is not a municipality"),
        ([*ROWS[:3], f"{B};2040;zwei;1"], "'population' has a missing or non-numeric value"),
        ([*ROWS[:3], f"{B};2040;10;20"], "people_65plus exceeds population"),
        ([*ROWS[:3], f"{B};2040,5;10;2"], "whole years"),
        ([*ROWS, f"{B};2040;10;2"], f"AGS {B} has year 2040 twice"),
    ],
)
def test_bad_rows_are_named(tmp_path: Path, rows: list[str], message: str) -> None:
    path = write(tmp_path, _csv(rows))
    with pytest.raises(DataSourceError, match=message) as info:
        read_projection_file(path, {A, B})
    assert str(path) in str(info.value)


def test_every_municipality_needs_the_same_years(tmp_path: Path) -> None:
    write(tmp_path, _csv(ROWS[:3]))
    with pytest.raises(DataSourceError, match="same years"):
        read_projection(tmp_path, _bounds())
    write(tmp_path, _csv(ROWS[:2]))
    with pytest.raises(DataSourceError, match=f"no projection for AGS {B}"):
        read_projection(tmp_path, _bounds())


def test_the_2040_figures_by_hand(tmp_path: Path) -> None:
    write(tmp_path, _csv(ROWS))
    table, _ = read_projection(tmp_path, _bounds())  # type: ignore[misc]
    gemeinden = pd.DataFrame({"ags": [B, A], "name": ["Enger", "Bünde"],
                              "population": [520, 1010]})  # fmt: skip
    got = projection_table(gemeinden, table, "Kreis Herford")
    assert list(got.index) == [A, B, "05758"]
    assert got["gemeinde"].tolist() == ["Bünde", "Enger", "Kreis Herford"]
    assert got["census_2022"].tolist() == [1010.0, 520.0, 1530.0]
    assert got["change_pct"].tolist() == pytest.approx([-10.0, 10.0, -50 / 1500 * 100])
    assert got["share_65_base"].tolist() == pytest.approx([20.0, 20.0, 20.0])
    assert got["share_65_horizon"].tolist() == pytest.approx([30.0, 30.0, 30.0])
    assert got["change_65_pp"].tolist() == pytest.approx([10.0, 10.0, 10.0])
    assert set(got["base_year"]) == {2021} and set(got["horizon"]) == {2040}


def test_the_horizon_is_the_nearest_projected_year() -> None:
    years = pd.DataFrame({"year": [2021, 2030, 2035, 2045]})
    assert horizon_year(years) == 2045  # 2035 and 2045 are 5 years away: the later one
    assert horizon_year(pd.DataFrame({"year": [2021, 2040, 2050]})) == 2040
