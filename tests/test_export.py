"""`kek-geo indicators`: one row per municipality plus the district, units in the header."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from kek_geo.cli import main
from kek_geo.indicators import REGISTRY


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["indicators", *args]) == 0
    return capsys.readouterr().out


def test_csv(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "--format", "csv")
    table = pd.read_csv(io.StringIO(out), dtype={"ags": str})
    assert list(table.columns[:3]) == ["ags", "gemeinde", "population (Einw.)"]
    assert len(table.columns) == 2 + len(REGISTRY)
    assert len(table) == 10
    assert table["ags"].iloc[-1] == "05758"
    assert table["population (Einw.)"].iloc[-1] == 254_008


def test_json_and_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    records = json.loads(run(capsys, "--format", "json", "--theme", "overview"))
    assert records[0]["ags"] == "05758004" and records[0]["gemeinde"] == "Bünde"
    assert records[-1]["population (Einw.)"] == 254_008
    md = run(capsys, "--format", "md", "--theme", "overview")
    lines = md.splitlines()
    assert lines[0].startswith("| ags | gemeinde | population (Einw.) |")
    assert len(lines) == 12
    assert "| 05758 | Kreis Herford | 254008 |" in md


def test_csv_and_json_keep_full_precision(capsys: pytest.CaptureFixture[str]) -> None:
    # Rödinghausen's gigabit share is 0.35 %: the page shows 0,4, a file keeps 0.35 (issue 8)
    out = run(capsys, "--format", "csv", "--theme", "overview")
    table = pd.read_csv(io.StringIO(out), dtype={"ags": str}).set_index("ags")
    assert table.loc["05758028", "gemeinde"] == "Rödinghausen"
    assert table.loc["05758028", "gigabit_households (%)"] == pytest.approx(0.35)
    assert table.loc["05758008", "vacancy (%)"] == 4.1
    # whole numbers stay whole, with no ".0"; a float column keeps its digits
    assert "\n05758012,Herford,66985," in out
    density = table.loc["05758012", "density (Einw./km²)"]
    assert density != round(density)
    records = json.loads(run(capsys, "--format", "json", "--theme", "overview"))
    assert records[-1]["population (Einw.)"] == 254_008
    assert isinstance(records[-1]["population (Einw.)"], int)
    md = run(capsys, "--format", "md", "--theme", "overview")
    assert "| Rödinghausen |" in md and "| 0.4 |" in md  # rounded for people
