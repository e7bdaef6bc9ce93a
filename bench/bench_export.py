"""Benchmark of the council-paper exports: one map sheet should take at most 3 seconds.

1. Every theme's PDF map sheet for the Kreis and for one municipality (Spenge), and the other
   formats for one theme, the way the page's button and ``kek-geo export`` make them (data
   loaded once, as in the server).
2. The naive way to get a map on paper: open the theme page in (headless) Chromium, wait for
   the map, print the page to PDF – what a planner does with Ctrl+P. Needs Debian's Chromium;
   skipped without it.

Median of several runs. Run with ``.venv/bin/python bench/bench_export.py``; writes
bench/results/export.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from functools import partial
from pathlib import Path

from kek_geo.export import THEMES, export_file
from kek_geo.settings import REPO_ROOT, get_settings
from kek_geo.snapshot import Snapshot
from kek_geo.ui.mapview import FRAME_TITLE

RESULTS = REPO_ROOT / "bench" / "results"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run"]  # fmt: skip


def median_seconds(func: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_sheets(snap: Snapshot, runs: int) -> dict[str, float]:
    out: dict[str, float] = {}
    for page in THEMES:
        for place in (None, "Spenge"):
            name = f"{page} {place or 'Kreis'}"
            out[name] = median_seconds(partial(export_file, snap, page, place, "pdf"), runs)
            print(f"PDF sheet {name:<28} {out[name]:6.2f} s")
    for fmt in ("png", "xlsx", "gpkg"):
        out[f"mobilitaet Spenge {fmt}"] = median_seconds(
            partial(export_file, snap, "mobilitaet", "Spenge", fmt), runs
        )
        print(f"{fmt.upper():<4} mobilitaet Spenge        {out[f'mobilitaet Spenge {fmt}']:6.2f} s")
    return out


def bench_browser_print(runs: int) -> float | None:
    if not CHROMIUM.exists():
        print("Chromium not found: browser print skipped")
        return None
    from playwright.sync_api import sync_playwright

    port = 8765
    proc = subprocess.Popen(
        [sys.executable, "-m", "kek_geo", "serve", "--server.headless=true",
         "--server.address=127.0.0.1", f"--server.port={port}"],
        cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1600, "height": 1000})

            def print_page() -> bytes:
                page.goto(f"{url}/mobilitaet")
                frame = page.frame_locator(f"iframe[title='{FRAME_TITLE}']").first
                frame.locator("path.leaflet-interactive").first.wait_for(state="attached")
                return page.pdf(format="A4", landscape=True)

            print_page()  # warm the server's caches, as for the sheets
            seconds = median_seconds(print_page, runs)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    print(f"browser print of the Mobilität page  {seconds:6.2f} s")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    snap = Snapshot(get_settings().geodata_dir).load_all()
    export_file(snap, "mobilitaet", "Spenge", "pdf")  # warm: the server keeps these in memory
    sheets = bench_sheets(snap, args.runs)
    browser = bench_browser_print(args.runs)
    pdfs = [v for k, v in sheets.items() if " " in k and not k.endswith(("png", "xlsx", "gpkg"))]
    print(f"PDF sheets: median {statistics.median(pdfs):.2f} s, slowest {max(pdfs):.2f} s")
    if browser is not None:
        spenge = sheets["mobilitaet Spenge"]
        print(f"browser print ÷ KEK Geo sheet (mobilitaet Spenge): {browser / spenge:.1f}×")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "export.json").write_text(
        json.dumps({"sheets": sheets, "browser_print": browser}, indent=2), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
