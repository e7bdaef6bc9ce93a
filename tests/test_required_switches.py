"""CI switches: a missing prerequisite (raw data, Chromium) skips locally but fails in CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, skip_or_fail


@pytest.mark.parametrize("value", [None, "", "0", "false", "no"])
def test_without_the_switch_a_missing_prerequisite_skips(
    value: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if value is None:
        monkeypatch.delenv("KEK_REQUIRE_RAW", raising=False)
    else:
        monkeypatch.setenv("KEK_REQUIRE_RAW", value)
    with pytest.raises(pytest.skip.Exception, match="raw data missing"):
        skip_or_fail("KEK_REQUIRE_RAW", "raw data missing")


@pytest.mark.parametrize("value", ["1", "yes", "true"])
def test_with_the_switch_a_missing_prerequisite_fails(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KEK_REQUIRE_RAW", value)
    with pytest.raises(pytest.fail.Exception, match=r"raw data missing \(KEK_REQUIRE_RAW is set"):
        skip_or_fail("KEK_REQUIRE_RAW", "raw data missing")


def run_raw_tests(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The raw-data tests of the pipeline with the raw folder pointing nowhere."""
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
    return subprocess.run(
        [*command, "tests/test_pipeline.py"],
        cwd=ROOT,
        env={**os.environ, "KEK_RAW_DIR": str(tmp_path / "no-raw"), **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_raw_data_tests_fail_in_ci_when_the_raw_data_are_missing(tmp_path: Path) -> None:
    local = run_raw_tests(tmp_path, KEK_REQUIRE_RAW="")
    assert local.returncode == 0, local.stdout
    assert "skipped" in local.stdout and "raw data folder not found" in local.stdout
    ci = run_raw_tests(tmp_path, KEK_REQUIRE_RAW="1")
    assert ci.returncode == 1, ci.stdout
    assert "KEK_REQUIRE_RAW is set: these tests must run" in ci.stdout
