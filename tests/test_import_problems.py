"""Damaged imports: each kind of damage is named by file and problem, and counts as absent."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from kek_geo.analysis import broadband, gtfs, network
from kek_geo.analysis.gtfs import import_gtfs
from kek_geo.analysis.network import import_osm
from kek_geo.cli import main
from kek_geo.i18n import md_code, md_escape
from kek_geo.imports import (
    KINDS,
    LOADERS,
    ImportProblem,
    import_status,
    load_import,
    problem_text,
)
from kek_geo.indicators import THEME_IMPORTS, THEMES, compute_table, indicators_for
from kek_geo.snapshot import Snapshot
from tests.helpers import ROOT, MemorySource
from tests.test_broadband_import import AGS, line, run_import, write_csv
from tests.test_gtfs import build_gtfs_zip
from tests.test_network import write_osm

GEODATA = ROOT / "geodata"


def truncate(path: Path) -> None:
    """Cut a file in half, as an interrupted copy would."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def rewrite_parquet(path: Path, change: Callable[[pd.DataFrame], pd.DataFrame]) -> None:
    change(pd.read_parquet(path)).to_parquet(path)


def rewrite_json(path: Path, change: Callable[[dict[str, Any]], object]) -> None:
    meta = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(change(meta)), encoding="utf-8")


def without(key: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda meta: {k: v for k, v in meta.items() if k != key}


def make_gtfs(tmp_path: Path) -> Path:
    imports = tmp_path / "imports"
    import_gtfs(build_gtfs_zip(tmp_path / "feed.zip"), imports, GEODATA)
    return imports


def make_network(tmp_path: Path) -> Path:
    imports = tmp_path / "imports"
    import_osm(write_osm(tmp_path), imports)
    return imports


def make_broadband(tmp_path: Path) -> Path:
    imports = tmp_path / "imports"
    run_import(write_csv(tmp_path, [line(ags, i) for i, ags in enumerate(AGS)]), imports)
    return imports


BB_FILE = "broadband/households_2023-12.parquet"

# (import, how to make it, file to damage, damage, file named, words of the problem)
CASES: dict[str, tuple[str, Callable[[Path], Path], str, Callable[[Path], object], str, str]] = {
    "gtfs meta.json not JSON": (
        "gtfs",
        make_gtfs,
        "gtfs/meta.json",
        lambda p: p.write_text('{"service_date": "2025-01-08"', encoding="utf-8"),
        "gtfs/meta.json",
        "not a readable JSON file",
    ),
    "gtfs meta.json without service_date": (
        "gtfs",
        make_gtfs,
        "gtfs/meta.json",
        lambda p: rewrite_json(p, without("service_date")),
        "gtfs/meta.json",
        "has no valid service_date",
    ),
    "gtfs meta.json with a bad service_date": (
        "gtfs",
        make_gtfs,
        "gtfs/meta.json",
        lambda p: rewrite_json(p, lambda m: {**m, "service_date": "2025-13-40"}),
        "gtfs/meta.json",
        "has no valid service_date",
    ),
    "gtfs meta.json missing": (
        "gtfs",
        make_gtfs,
        "gtfs/meta.json",
        Path.unlink,
        "gtfs/meta.json",
        "not a readable JSON file",
    ),
    "gtfs meta.json not an object": (
        "gtfs",
        make_gtfs,
        "gtfs/meta.json",
        lambda p: p.write_text("[]", encoding="utf-8"),
        "gtfs",  # the loader does not expect this: its folder is named
        "not readable (TypeError",
    ),
    "gtfs truncated parquet": (
        "gtfs",
        make_gtfs,
        "gtfs/stop_times.parquet",
        truncate,
        "gtfs/stop_times.parquet",
        "not readable: import the feed again",
    ),
    "gtfs parquet without a column": (
        "gtfs",
        make_gtfs,
        "gtfs/stops.parquet",
        lambda p: rewrite_parquet(p, lambda df: df.drop(columns=["stop_id"])),
        "gtfs",
        "not readable (KeyError: 'stop_id')",
    ),
    "walk network truncated nodes": (
        "walk_network",
        make_network,
        "walk_network/nodes.parquet",
        truncate,
        "walk_network/nodes.parquet",
        "not a readable Parquet file",
    ),
    "walk network edges missing": (
        "walk_network",
        make_network,
        "walk_network/edges.parquet",
        Path.unlink,
        "walk_network/edges.parquet",
        "file missing",
    ),
    "walk network nodes without a column": (
        "walk_network",
        make_network,
        "walk_network/nodes.parquet",
        lambda p: rewrite_parquet(p, lambda df: df.drop(columns=["x"])),
        "walk_network/nodes.parquet",
        "missing column(s) 'x'",
    ),
    "walk network edges to missing nodes": (
        "walk_network",
        make_network,
        "walk_network/edges.parquet",
        lambda p: rewrite_parquet(p, lambda df: df.assign(v=999)),
        "walk_network/edges.parquet",
        "has edges whose nodes are missing",
    ),
    "walk network meta.json not JSON": (
        "walk_network",
        make_network,
        "walk_network/meta.json",
        lambda p: p.write_text("nodes: 3", encoding="utf-8"),
        "walk_network/meta.json",
        "not a readable JSON file",
    ),
    "broadband truncated parquet": (
        "broadband_releases",
        make_broadband,
        BB_FILE,
        truncate,
        BB_FILE,
        "not a readable Parquet file",
    ),
    "broadband parquet without a column": (
        "broadband_releases",
        make_broadband,
        BB_FILE,
        lambda p: rewrite_parquet(p, lambda df: df.drop(columns=["share_pct"])),
        BB_FILE,
        "missing column(s) 'share_pct'",
    ),
    "broadband parquet with text for numbers": (
        "broadband_releases",
        make_broadband,
        BB_FILE,
        lambda p: rewrite_parquet(p, lambda df: df.assign(share_pct="viel")),
        BB_FILE,
        "has values of the wrong type",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_damaged_import_is_named_and_counts_as_absent(case: str, tmp_path: Path) -> None:
    name, make, target, damage, named, words = CASES[case]
    imports = make(tmp_path)
    assert Snapshot(GEODATA, imports).extra(name) is not None  # intact before the damage
    damage(imports / target)

    snap = Snapshot(GEODATA, imports)
    assert snap.extra(name) is None
    problem = snap.import_problem(name)
    assert problem is not None
    assert problem.name == name
    assert problem.path == imports / named
    assert words in problem.problem
    assert snap.import_problems() == [problem]
    assert snap.extra(name) is None  # loaded once, the problem stays
    status = {s.key: s for s in import_status(snap)}[KINDS[name].missing_key]
    assert not status.imported and status.problem == problem
    assert status.details == () and status.attribution == ""
    text = problem_text(problem, "de")
    assert md_code(str(problem.path)) in text and "beschädigt" in text


def test_intact_and_absent_imports_have_no_problem(tmp_path: Path) -> None:
    snap = Snapshot(GEODATA, make_gtfs(tmp_path))
    assert snap.extra("gtfs") is not None
    assert snap.extra("walk_network") is None
    assert snap.import_problems() == []
    assert all(s.problem is None for s in import_status(snap))


@pytest.fixture
def all_damaged(tmp_path: Path) -> Path:
    """An imports folder in which every kind of import is damaged."""
    imports = tmp_path / "imports"
    (imports / "gtfs").mkdir(parents=True)
    (imports / "gtfs" / "meta.json").write_text("{", encoding="utf-8")
    (imports / "walk_network").mkdir()
    (imports / "walk_network" / "nodes.parquet").write_bytes(b"PAR1")
    (imports / "broadband").mkdir()
    (imports / "broadband" / "households_2024-12.parquet").write_bytes(b"PAR1 truncated")
    return imports


def test_indicators_fall_back_exactly_as_without_the_imports(
    all_damaged: Path, tmp_path: Path
) -> None:
    damaged = Snapshot(GEODATA, all_damaged)
    absent = Snapshot(GEODATA, tmp_path / "no-imports")
    inds = indicators_for(None)
    pd.testing.assert_frame_equal(compute_table(damaged, inds), compute_table(absent, inds))
    assert [p.name for p in damaged.import_problems()] == list(KINDS)
    assert absent.import_problems() == []


def test_cli_indicators_warn_about_damaged_imports(
    all_damaged: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KEK_IMPORTS_DIR", str(all_damaged))
    status = main(["indicators", "--theme", "overview"])
    out, err = capsys.readouterr()
    assert status == 0
    assert "Kreis Herford" in out
    assert f"{all_damaged / 'gtfs' / 'meta.json'}: not a readable JSON file" in err
    assert "households_2024-12.parquet" in err
    assert err.count("(treated as not imported)") == 3


def test_problem_text_in_both_languages() -> None:
    problem = ImportProblem("gtfs", Path("/data/imports/gtfs/meta.json"), "has no valid x.")
    de = problem_text(problem, "de")
    en = problem_text(problem, "en")
    assert de.startswith("**Fahrplan (GTFS): Import beschädigt**")
    assert "`/data/imports/gtfs/meta.json`: has no valid x." in de
    assert "ÖV-Güteklassen" in de and "kek-geo import-gtfs" in de and "neu starten" in de
    assert en.startswith("**Timetable (GTFS): import damaged**")
    assert "treated as not imported" in en and "Quality classes" in en
    assert "Then restart the app." in en
    walk = problem_text(ImportProblem("walk_network", Path("n.parquet"), "bad"), "en")
    assert "as the crow flies" in walk and "kek-geo import-osm" in walk
    bb = problem_text(ImportProblem("broadband_releases", Path("b.parquet"), "bad"), "de")
    assert "Breitband-Releases des Datenstands" in bb and "kek-geo import-broadband" in bb


def test_problem_text_escapes_markdown_and_html() -> None:
    problem = ImportProblem(
        "custom", Path("/x/a`b/_meta_.json"), "bad <script>alert(1)</script> *a* $x$ [l](u)"
    )
    text = problem_text(problem, "en")
    assert text.startswith("**custom: import damaged**")  # unknown kinds keep their name
    assert "``/x/a`b/_meta_.json``" in text
    assert "<script>" not in text and "\\<script\\>" in text
    assert "\\*a\\*" in text and "\\$x\\$" in text and "\\[l\\](u)" in text


def test_markdown_helpers() -> None:
    assert md_escape("a_b *c*\n  d") == "a\\_b \\*c\\* d"
    assert md_code("plain") == "`plain`"
    assert md_code("a``b") == "```a``b```"
    assert md_code("`x") == "`` `x ``"


def test_unexpected_loader_errors_name_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(imports_dir: Path) -> object:
        raise ValueError("bad bytes")

    monkeypatch.setitem(LOADERS, "custom", broken)
    value, problem = load_import("custom", tmp_path)
    assert value is None
    assert problem == ImportProblem(
        "custom", tmp_path, "not readable (ValueError: bad bytes): import it again"
    )


def test_programming_errors_are_not_hidden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def buggy(imports_dir: Path) -> object:
        raise RuntimeError("a bug, not damage")

    monkeypatch.setitem(LOADERS, "custom", buggy)
    with pytest.raises(RuntimeError, match="a bug"):
        load_import("custom", tmp_path)
    with pytest.raises(KeyError, match="unknown import 'nothing'"):
        load_import("nothing", tmp_path)


def test_import_folders_match_the_loaders() -> None:
    assert KINDS["walk_network"].folder == network.NETWORK_DIR
    assert KINDS["gtfs"].folder == gtfs.GTFS_DIR
    assert KINDS["broadband_releases"].folder == broadband.IMPORT_FOLDER


def test_import_status_of_a_stand_in_with_a_problem() -> None:
    problem = ImportProblem("gtfs", Path("meta.json"), "broken")
    net, feed, bb = import_status(MemorySource(problems={"gtfs": problem}))
    assert feed.problem == problem and not feed.imported
    assert net.problem is None and bb.problem is None


class _Recorder:
    """The real snapshot, recording which imports are asked for."""

    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap
        self.asked: set[str] = set()

    def layer(self, name: str) -> pd.DataFrame:
        return self.snap.layer(name)

    def geo(self, name: str) -> Any:
        return self.snap.geo(name)

    def extra(self, name: str) -> Any:
        self.asked.add(name)
        return self.snap.extra(name)


@pytest.mark.parametrize("theme", THEMES)
def test_theme_imports_are_those_the_indicators_read(theme: str, snapshot: Snapshot) -> None:
    recorder = _Recorder(snapshot)
    compute_table(recorder, indicators_for(theme))
    assert recorder.asked == set(THEME_IMPORTS[theme])
    assert set(THEME_IMPORTS[theme]) <= set(KINDS)
