"""Benchmark of the foundation: load time, warm rerun, map size, first map in the browser.

Each figure is the median of several runs and is compared, in the same run, with the naive
way: read the raw files and build a fresh folium map from full-resolution geometries on every
rerun (``bench/naive_overview.py``). Run with ``make bench``; results are printed as a Markdown
table and written to ``bench/results/foundation.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from kek_geo.indicators import REGISTRY, compute_table
from kek_geo.overview import DEFAULT_OVERLAYS
from kek_geo.settings import REPO_ROOT, get_settings
from kek_geo.snapshot import Snapshot
from kek_geo.thematic import overview_map
from kek_geo.ui.mapview import FRAME_TITLE, prepare_map

NAIVE_APP = REPO_ROOT / "bench" / "naive_overview.py"
RESULTS = REPO_ROOT / "bench" / "results"
CHROMIUM = os.environ.get("KEK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def median_time(fn: Callable[[], object], runs: int) -> float:
    """Median wall time of ``fn`` in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def load_snapshot() -> None:
    Snapshot(get_settings().geodata_dir).load_all()


def read_raw() -> None:
    """The naive load: read every raw file the app needs, as they come."""
    raw = get_settings().raw_dir
    for path in sorted(raw.rglob("*.geojson")):
        gpd.read_file(path)
    for path in sorted(raw.rglob("*.csv")):
        pd.read_csv(path, sep=None, engine="python", encoding="utf-8-sig")


def warm_rerun(script: Path, runs: int) -> float:
    """Median server time of a rerun of a Streamlit script after a first (cold) run."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(script), default_timeout=120).run()
    if at.exception:
        raise RuntimeError(at.exception[0].message)
    return median_time(at.run, runs)


def overview_html_size() -> int:
    snap = Snapshot(get_settings().geodata_dir)
    table = compute_table(snap, [REGISTRY["population"]])
    m = overview_map(
        snap,
        get_settings(),
        indicator=REGISTRY["population"],
        values=table["population"],
        overlays=DEFAULT_OVERLAYS,
        lang="de",
    )
    return prepare_map(m, key="bench").size


def naive_html_size() -> int:
    """Size of the naive map's Leaflet script, rendered the way st_folium does."""
    import folium
    import streamlit_folium as sf

    captured: dict[str, int] = {}

    def fake_component(**kwargs: object) -> None:
        captured["size"] = sum(len(str(kwargs[k])) for k in ("script", "header", "html"))

    real = sf._component_func
    sf._component_func = fake_component
    try:
        source = NAIVE_APP.read_text()
        scope: dict[str, object] = {"__name__": "naive", "folium": folium}
        exec(compile(source, str(NAIVE_APP), "exec"), scope)
    finally:
        sf._component_func = real
    return captured["size"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def first_map_drawn(script: Path) -> float:
    """Seconds from starting the server to the first Leaflet path drawn in Chromium.

    The browser is already open (as a visitor's would be); the clock starts with the server
    process. KEK Geo starts the way ``make run`` does (``kek-geo serve``), the naive page with
    ``streamlit run``.
    """
    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    options = ["--server.headless=true", "--server.address=127.0.0.1", f"--server.port={port}"]
    if script == REPO_ROOT / "app.py":
        command = [sys.executable, "-m", "kek_geo", "serve", *options]
    else:
        command = [sys.executable, "-m", "streamlit", "run", str(script), *options]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        start = time.perf_counter()
        proc = subprocess.Popen(
            command, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            wait_until_healthy(url)
            page.goto(url)
            frame = page.frame_locator(f"iframe[title='{FRAME_TITLE}']").first
            frame.locator("path.leaflet-interactive").first.wait_for(
                state="attached", timeout=120_000
            )
            return time.perf_counter() - start
        finally:
            browser.close()
            proc.terminate()
            proc.wait(timeout=20)


def wait_until_healthy(url: str) -> None:
    """Poll the server's health endpoint until it answers."""
    while True:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1):
                return
        except OSError:
            time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="runs per in-process figure")
    parser.add_argument("--browser-runs", type=int, default=3, help="runs per browser figure")
    args = parser.parse_args()

    rows: list[tuple[str, float, float, str]] = []
    ours = median_time(load_snapshot, args.runs)
    naive = median_time(read_raw, args.runs)
    rows.append(("load all layers", ours, naive, "s"))
    ours = warm_rerun(REPO_ROOT / "app.py", args.runs)
    naive = warm_rerun(NAIVE_APP, args.runs)
    rows.append(("warm overview rerun (server)", ours, naive, "s"))
    rows.append(("overview map HTML", overview_html_size() / 1e6, naive_html_size() / 1e6, "MB"))
    if Path(CHROMIUM).exists():
        ours = statistics.median(
            first_map_drawn(REPO_ROOT / "app.py") for _ in range(args.browser_runs)
        )
        naive = statistics.median(first_map_drawn(NAIVE_APP) for _ in range(args.browser_runs))
        rows.append(("server start → first map drawn", ours, naive, "s"))

    print("| figure | KEK Geo | naive | naive ÷ KEK Geo |\n|---|---:|---:|---:|")
    for name, value, base, unit in rows:
        print(f"| {name} | {value:.3f} {unit} | {base:.3f} {unit} | {base / value:.1f}× |")
    RESULTS.mkdir(exist_ok=True)
    out = {
        name: {"kek_geo": value, "naive": base, "unit": unit} for name, value, base, unit in rows
    }
    (RESULTS / "foundation.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
