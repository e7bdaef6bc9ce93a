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
