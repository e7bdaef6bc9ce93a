"""Does the map with its legend fit the first 1280×720 screen of each page? (a check, not a test)

Starts the app, opens the overview and every theme page in headless Chromium at 1280×720,
waits for the map, and prints for each page the bottom of the map and of its lowest legend
(page pixels from the top), whether both are inside the first screen, and whether a layer pill
is cut off. Screenshots of the first screen go to ``artifacts/first-screen-<page>.png``.

Run from the repository root: ``python bench/first_screen.py [--lang en] [--port 8765]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"
PAGES = ("", "daseinsvorsorge", "mobilitaet", "breitband", "bildung", "siedlung", "demografie",
         "gesamtbild")  # fmt: skip
WIDTH, HEIGHT = 1280, 720
MAP = "iframe[title='streamlit_folium.st_folium']"

#: Bottom of the lowest legend inside the map frame (frame pixels), or -1 without a legend.
LEGEND_JS = """() => Math.max(-1, ...[...document.querySelectorAll('.kek-legend')]
    .map(e => e.getBoundingClientRect().bottom))"""

#: Pills whose right edge is beyond their row (cut off) or beyond the window.
PILLS_JS = """(width) => [...document.querySelectorAll('[data-testid="stButtonGroup"] button')]
    .filter(b => { const r = b.getBoundingClientRect();
                   const box = b.closest('[data-testid="stButtonGroup"]').getBoundingClientRect();
                   return r.right > box.right + 1 || r.right > width; })
    .map(b => b.innerText)"""


def serve(port: int) -> subprocess.Popen[bytes]:
    """Start the app on a port (the repository's code first on the path)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-m", "kek_geo", "serve", "--server.headless=true",
            "--server.address=127.0.0.1", f"--server.port={port}"]  # fmt: skip
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
            return proc
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise RuntimeError("the app did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--lang", default="de")
    opts = parser.parse_args()
    ARTIFACTS.mkdir(exist_ok=True)
    proc = serve(opts.port)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            )
            page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
            print(f"{'page':16s} {'map bottom':>10s} {'legend bottom':>13s}  fits  clipped pills")
            for path in PAGES:
                page.goto(f"http://127.0.0.1:{opts.port}/{path}")
                if opts.lang == "en":
                    page.get_by_text("English").first.click()
                page.wait_for_selector(MAP, timeout=60_000)
                frame = page.frame_locator(MAP).first
                frame.locator(".leaflet-overlay-pane path").first.wait_for(
                    state="attached", timeout=60_000
                )
                page.wait_for_timeout(1500)
                box = page.locator(MAP).first.bounding_box()
                assert box is not None
                legend = float(frame.locator("body").evaluate(LEGEND_JS))
                map_bottom = box["y"] + box["height"]
                legend_bottom = box["y"] + legend if legend >= 0 else float("nan")
                fits = map_bottom <= HEIGHT and (legend < 0 or legend_bottom <= HEIGHT)
                clipped = page.evaluate(PILLS_JS, WIDTH)
                name = path or "uebersicht"
                print(f"{name:16s} {map_bottom:10.0f} {legend_bottom:13.0f}  "
                      f"{'yes ' if fits else 'NO  '}  {', '.join(clipped) or '-'}")  # fmt: skip
                page.screenshot(path=str(ARTIFACTS / f"first-screen-{name}-{opts.lang}.png"))
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


if __name__ == "__main__":
    main()
