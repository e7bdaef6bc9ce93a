"""Benchmark of the speed a user feels, measured in headless Chromium against the real server.

Measured, each as the median of several runs with the first (cold) one included:

a. choosing another indicator in "Indikator für die Karte" (on a theme page and on the
   overview) until the new map is drawn;
b. one threshold slider step (ArrowRight on a focused slider) until the new map is drawn;
c. a page opened from the sidebar navigation until its map is drawn;
d. a fresh link (new browser context, empty cache) until the map is drawn, and until the
   table below it is shown too (when a page opens it follows the map,
   ``kek_geo.ui.map_first``);
e. the overview map payload in bytes (script, header and HTML of the rendered map).

Every step goes to a state the server has not rendered yet (another indicator, the next
threshold value, a page not visited before), so no run profits from an earlier one. The clock
runs in the page: from the ``click``/``keydown`` event (or the navigation start) to the first
animation frame in which a *new* map iframe holds Leaflet paths. The websocket messages the page
receives are recorded too, which splits each interaction into the server's part (until the
map's payload has arrived) and the browser's part (the map iframe loads and Leaflet draws).

The naive way (``bench/naive_overview.py``: raw files, full-resolution geometries, ``st_folium``
on every rerun) runs in the same invocation for the figures that exist there (fresh link,
indicator switch, payload). Run with ``.venv/bin/python bench/bench_browser.py``; prints a
Markdown table and writes ``bench/results/browser.json``.
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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

#: This checkout (its ``kek_geo`` is the one measured, also when another is installed).
REPO_ROOT = Path(__file__).resolve().parents[1]
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
VIEWPORT: ViewportSize = {"width": 1400, "height": 1000}
TIMEOUT_MS = 120_000
#: KEK Geo's map frame (kek_geo.ui.mapview) and streamlit-folium's, which the naive app uses.
MAP_FRAME = "iframe[title='kek_geo.ui.mapview.kek_map'], iframe[title='streamlit_folium.st_folium']"
#: The targets of issue 8 (seconds; bytes for the payload).
TARGETS = {
    "indicator_theme": 0.3,
    "indicator_overview": 0.3,
    "slider_step": 0.3,
    "sidebar_page": 0.6,
    "fresh_link": 2.0,
    "overview_payload": 0.6e6,
}
#: Pages reached from the sidebar, in this order (each for the first time).
SIDEBAR_PAGES = (
    ("Mobilität", "mobilitaet"),
    ("Bildung", "bildung"),
    ("Daseinsvorsorge", "daseinsvorsorge"),
    ("Breitband", "breitband"),
    ("Siedlungsstruktur", "siedlung"),
    ("Demografie", "demografie"),
    ("Gesamtbild", "gesamtbild"),
)
#: Pages opened by fresh links (the overview first: the link most often shared).
FRESH_PAGES = (
    "",
    "bildung",
    "daseinsvorsorge",
    "breitband",
    "demografie",
    "siedlung",
    "mobilitaet",
)

# Records every websocket message the page receives (time, bytes) in the page's clock.
WS_RECORDER = """
(() => {
  const Native = window.WebSocket;
  window.__kekWs = [];
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const d = e.data;
        const n = d.byteLength ?? d.size ?? d.length ?? 0;
        window.__kekWs.push([performance.now(), n]);
      });
    }
  };
  window.__kekT0 = null;
  for (const type of ['click', 'keydown']) {
    document.addEventListener(type, (e) => { window.__kekT0 = e.timeStamp; }, true);
  }
})();
"""

MARK_STALE = f"""() => {{
  for (const f of document.querySelectorAll("{MAP_FRAME}")) {{
    try {{
      const w = f.contentWindow;
      w.__kekStale = true;
      w.__kekOverlaysSeen = w.kekOverlays || 0;
    }} catch (e) {{}}
  }}
  window.__kekT0 = null;
}}"""

# The first animation frame in which a map already shown was redrawn in place: its overlay
# (colours of another indicator, the changing layers of other thresholds) ran again
# (``window.kekOverlays``, counted by kek_geo.ui.mapview.show_map), so no new map was needed.
MAP_RECOLOURED = f"""() => {{
  for (const f of document.querySelectorAll("{MAP_FRAME}")) {{
    let w;
    try {{ w = f.contentWindow; }} catch (e) {{ continue; }}
    if (!w || !w.__kekStale || !((w.kekOverlays || 0) > w.__kekOverlaysSeen)) continue;
    return {{
      drawn: performance.now(),
      t0: window.__kekT0,
      frame_start: performance.now(),
      leaflet_end: null,
      ws: window.__kekWs,
    }};
  }}
  return false;
}}"""

# The first animation frame in which a map iframe that was not there before holds Leaflet
# paths: returns the time, when the iframe started loading and when its script ran.
NEW_MAP_DRAWN = f"""() => {{
  for (const f of document.querySelectorAll("{MAP_FRAME}")) {{
    let w;
    try {{ w = f.contentWindow; }} catch (e) {{ continue; }}
    if (!w || w.__kekStale || !w.map || !w.document) continue;
    if (!w.document.querySelector('.leaflet-overlay-pane path')) continue;
    const res = w.performance.getEntriesByType('resource');
    const leaflet = res.find((r) => r.name.endsWith('leaflet.js'));
    return {{
      drawn: performance.now(),
      t0: window.__kekT0,
      frame_start: w.performance.timeOrigin - performance.timeOrigin,
      leaflet_end: leaflet ? leaflet.responseEnd + w.performance.timeOrigin
        - performance.timeOrigin : null,
      ws: window.__kekWs,
    }};
  }}
  return false;
}}"""


#: The page's first table is shown, and no line says that something waits for the map.
TABLE_SHOWN = """() => {
  const waiting = [...document.querySelectorAll('[data-testid=stCaptionContainer]')]
    .some((c) => /nach der Karte|after the map/.test(c.innerText));
  return !waiting && document.querySelector('[data-testid=stDataFrame] canvas')
    ? performance.now() : false;
}"""


@dataclass
class Sample:
    """One measured interaction, in seconds from its start (click, key or navigation)."""

    total: float
    payload_in: float | None
    frame_start: float
    ws_bytes: int
    #: Fresh links: until the page's first table is shown as well.
    complete: float | None = None


@dataclass
class Series:
    """Samples of one figure."""

    name: str
    samples: list[Sample] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        totals = [s.total for s in self.samples]
        payload = [s.payload_in for s in self.samples if s.payload_in is not None]
        complete = [s.complete for s in self.samples if s.complete is not None]
        return {
            "median_s": statistics.median(totals),
            "min_s": min(totals),
            "max_s": max(totals),
            "n": len(totals),
            "runs_s": totals,
            # where the time goes (medians): server + transfer, then the browser's part
            "payload_received_s": statistics.median(payload) if payload else None,
            "map_frame_created_s": statistics.median(s.frame_start for s in self.samples),
            "ws_bytes": statistics.median(s.ws_bytes for s in self.samples),
            "table_shown_s": statistics.median(complete) if complete else None,
        }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float | None:
    """CPU time a process has used so far (Linux ``/proc``; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_idle(pid: int, timeout_s: float) -> float:
    """Wait until a process uses less than 5 % of a core for a second; seconds waited."""
    start = time.monotonic()
    before = cpu_seconds(pid)
    while before is not None and time.monotonic() - start < timeout_s:
        time.sleep(1.0)
        now = cpu_seconds(pid)
        if now is None or now - before < 0.05:
            break
        before = now
    return time.monotonic() - start


@contextmanager
def server(script: Path | None, settle_s: float) -> Iterator[str]:
    """Run KEK Geo (``script`` None: ``kek-geo serve``) or a plain Streamlit script.

    Waits for the health endpoint and then until the server is idle (at most ``settle_s``
    seconds), so the start-up warm-up is done before the clock runs: a visitor arriving
    during the warm-up is not what is measured.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    options = ["--server.headless=true", "--server.address=127.0.0.1", f"--server.port={port}"]
    if script is None:
        command = [sys.executable, "-m", "kek_geo", "serve", *options]
    else:
        command = [sys.executable, "-m", "streamlit", "run", str(script), *options]
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.Popen(
        command, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: {command}")
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as resp:
                    if resp.read() == b"ok":
                        break
            except OSError:
                time.sleep(0.1)
        waited = wait_idle(proc.pid, settle_s)
        print(f"server {url} idle after {waited:.0f} s", file=sys.stderr)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def new_page(browser: Browser) -> Page:
    """A page in a fresh context (empty cache, no cookies), with the recorders installed."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(WS_RECORDER)
    return context.new_page()


def wait_new_map(page: Page, since: float | None = None) -> Sample:
    """Wait for a new map to be drawn, or the shown one recoloured in place.

    The sample counts from the last click/key or ``since``.
    """
    either = f"() => ({NEW_MAP_DRAWN})() || ({MAP_RECOLOURED})()"
    handle = page.wait_for_function(either, polling="raf", timeout=TIMEOUT_MS)
    got = handle.json_value()
    start = got["t0"] if since is None else since
    if start is None:
        raise RuntimeError("no click or key press was recorded")
    after = [(t, n) for t, n in got["ws"] if start <= t <= got["drawn"]]
    # the map's payload is by far the largest message of a rerun
    payload_in = (max(after, key=lambda m: m[1])[0] - start) / 1000 if after else None
    return Sample(
        total=(got["drawn"] - start) / 1000,
        payload_in=payload_in,
        frame_start=(got["frame_start"] - start) / 1000,
        ws_bytes=sum(n for _, n in after),
    )


def open_page(browser: Browser, url: str) -> tuple[Page, Sample]:
    """Open ``url`` in a fresh context; the sample counts from the navigation start.

    Returns once the page's table is shown too, so the next step starts on a settled page.
    """
    page = new_page(browser)
    page.goto(url)
    sample = wait_new_map(page, since=0.0)
    sample.complete = page.wait_for_function(TABLE_SHOWN, polling="raf").json_value() / 1000
    return page, sample


def mark_stale(page: Page) -> None:
    page.evaluate(MARK_STALE)


def pick_indicators(page: Page, runs: int, label: str = "Indikator für die Karte") -> Series:
    """Choose the next, not yet shown, indicators of the page's map selectbox."""
    series = Series(label)
    box = page.get_by_label(label)
    box.click()
    names = page.get_by_role("option").all_inner_texts()
    current = box.input_value() if box.evaluate("e => e.tagName") == "INPUT" else ""
    page.keyboard.press("Escape")
    todo = [n for n in names if n.strip() and n != current][:runs]
    for name in todo:
        box.click()
        option = page.get_by_role("option", name=name, exact=True)
        option.wait_for()
        mark_stale(page)
        option.click()
        series.samples.append(wait_new_map(page))
        page.wait_for_timeout(300)
    return series


def slider_steps(page: Page, runs: int, index: int = 0) -> Series:
    """Step a threshold slider to the right, one step per run, each a new value."""
    series = Series("slider")
    page.get_by_text("Schwellenwerte anpassen").click()
    slider = page.get_by_role("slider").nth(index)
    slider.wait_for()
    for _ in range(runs):
        slider.focus()
        mark_stale(page)
        page.keyboard.press("ArrowRight")
        series.samples.append(wait_new_map(page))
        page.wait_for_timeout(300)
    return series


def sidebar_pages(page: Page, runs: int) -> Series:
    """Open pages from the sidebar navigation, each for the first time in this server."""
    series = Series("sidebar")
    for title, _path in SIDEBAR_PAGES[:runs]:
        link = page.locator("[data-testid=stSidebarNav] a").filter(has_text=title).first
        mark_stale(page)
        link.click()
        series.samples.append(wait_new_map(page))
        page.wait_for_timeout(300)
    return series


def fresh_links(browser: Browser, url: str, paths: list[str]) -> Series:
    """Open each path by a fresh link: new context (empty cache), ``goto``, map drawn."""
    series = Series("fresh")
    for path in paths:
        page, sample = open_page(browser, f"{url}/{path}")
        series.samples.append(sample)
        page.context.close()
    return series


def payload_sizes() -> dict[str, int]:
    """Bytes of the overview map's payload, ours (per indicator) and naive, in-process."""
    import folium
    import streamlit_folium as sf

    from kek_geo.indicators import compute_table, indicators_for
    from kek_geo.overview import DEFAULT_OVERLAYS
    from kek_geo.settings import get_settings
    from kek_geo.snapshot import Snapshot
    from kek_geo.thematic import overview_map
    from kek_geo.ui.mapview import prepare_map

    sizes: dict[str, int] = {}
    snap = Snapshot(get_settings().geodata_dir)
    inds = indicators_for("overview")
    table = compute_table(snap, inds)
    for ind in inds:
        m = overview_map(
            snap,
            get_settings(),
            indicator=ind,
            values=table[ind.key],
            overlays=tuple(sorted(DEFAULT_OVERLAYS)),
            lang="de",
        )
        sizes[ind.key] = prepare_map(m, key="overview").size
    captured: dict[str, int] = {}

    def fake_component(**kwargs: object) -> None:
        captured["size"] = sum(len(str(kwargs[k])) for k in ("script", "header", "html"))

    real = sf._component_func
    sf._component_func = fake_component
    try:
        scope: dict[str, object] = {"__name__": "naive", "folium": folium}
        exec(compile(NAIVE_APP.read_text(), str(NAIVE_APP), "exec"), scope)
    finally:
        sf._component_func = real
    sizes["naive"] = captured["size"]
    return sizes


def measure_ours(browser: Browser, runs: int, settle_s: float) -> dict[str, Series]:
    """All browser figures of KEK Geo, each on a freshly started server."""
    out: dict[str, Series] = {}
    with server(None, settle_s) as url:
        paths = list((FRESH_PAGES * runs)[:runs])
        out["fresh_link"] = fresh_links(browser, url, paths)
    with server(None, settle_s) as url:
        page, _ = open_page(browser, url)
        out["sidebar_page"] = sidebar_pages(page, runs)
        page.context.close()
    with server(None, settle_s) as url:
        page, _ = open_page(browser, f"{url}/mobilitaet")
        out["indicator_theme"] = pick_indicators(page, runs)
        page.context.close()
        page, _ = open_page(browser, url)
        out["indicator_overview"] = pick_indicators(page, runs)
        page.context.close()
        page, _ = open_page(browser, f"{url}/mobilitaet")
        out["slider_step"] = slider_steps(page, runs)
        page.context.close()
    return out


def measure_naive(browser: Browser, runs: int) -> dict[str, Series]:
    """The naive overview: fresh links and indicator switches (it has no pages or sliders)."""
    out: dict[str, Series] = {}
    with server(NAIVE_APP, 10.0) as url:
        out["fresh_link"] = fresh_links(browser, url, [""] * runs)
        page, _ = open_page(browser, url)
        series = Series("naive indicator")
        for _ in range(runs):
            series.samples.extend(pick_indicators(page, 1).samples)
        out["indicator_overview"] = series
        page.context.close()
    return out


def fmt(summary: dict[str, Any] | None) -> str:
    if summary is None:
        return "–"
    return (
        f"{summary['median_s']:.2f} s ({summary['min_s']:.2f}–{summary['max_s']:.2f}, "
        f"n={summary['n']})"
    )


def print_breakdown(ours: dict[str, dict[str, Any]], naive: dict[str, dict[str, Any]]) -> None:
    """Print where the time goes (medians).

    Until the map's payload has arrived over the websocket (server rerun and transfer), until
    the new map iframe starts loading, until drawn (the iframe loads the component and
    Leaflet, runs the map script and draws), and for fresh links until the table is shown too.
    """
    print(
        "\n| figure | payload received | map iframe created | drawn | table too | websocket bytes |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    rows = [(k, "KEK Geo", v) for k, v in ours.items()]
    rows += [(k, "naive", v) for k, v in naive.items()]
    for key, who, summary in rows:
        got, table = summary["payload_received_s"], summary["table_shown_s"]
        print(
            f"| {key} ({who}) | {'–' if got is None else f'{got:.2f} s'} | "
            f"{summary['map_frame_created_s']:.2f} s | {summary['median_s']:.2f} s | "
            f"{'–' if table is None else f'{table:.2f} s'} | {summary['ws_bytes'] / 1e6:.2f} MB |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=6, help="runs per figure")
    parser.add_argument(
        "--settle", type=float, default=300.0, help="longest wait for the warm-up (s)"
    )
    parser.add_argument("--no-naive", action="store_true", help="skip the naive server")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO_ROOT))
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Chromium not found at {CHROMIUM}")

    sizes = payload_sizes()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        ours = {k: s.summary() for k, s in measure_ours(browser, args.runs, args.settle).items()}
        naive: dict[str, dict[str, Any]] = {}
        if not args.no_naive:
            naive = {k: s.summary() for k, s in measure_naive(browser, args.runs).items()}
        browser.close()

    print("| figure | KEK Geo median (min–max, n) | target | met | naive | naive ÷ ours |")
    print("|---|---:|---:|:-:|---:|---:|")
    results: dict[str, Any] = {}
    for key, summary in ours.items():
        base = naive.get(key)
        ratio = base["median_s"] / summary["median_s"] if base else None
        met = summary["median_s"] <= TARGETS[key]
        print(
            f"| {key} | {fmt(summary)} | ≤ {TARGETS[key]} s | {'yes' if met else 'no'} | "
            f"{fmt(base)} | {'–' if ratio is None else f'{ratio:.1f}×'} |"
        )
        results[key] = {"kek_geo": summary, "naive": base, "target_s": TARGETS[key], "met": met}
    default = sizes["population"]
    met = default <= TARGETS["overview_payload"]
    print(
        f"| overview_payload | {default / 1e6:.2f} MB (indicators "
        f"{min(sizes[k] for k in sizes if k != 'naive') / 1e6:.2f}–"
        f"{max(sizes[k] for k in sizes if k != 'naive') / 1e6:.2f}) | ≤ 0.6 MB | "
        f"{'yes' if met else 'no'} | {sizes['naive'] / 1e6:.2f} MB | "
        f"{sizes['naive'] / default:.1f}× |"
    )
    results["overview_payload"] = {
        "kek_geo_bytes": {k: v for k, v in sizes.items() if k != "naive"},
        "naive_bytes": sizes["naive"],
        "target_bytes": TARGETS["overview_payload"],
        "met": met,
    }
    print_breakdown(ours, naive)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "browser.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
