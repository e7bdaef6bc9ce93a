"""Benchmark of citizen notes: the public map, the page's rerun, and concurrent writers.

1. The public map of approved notes (built and rendered to the payload the page caches):
   KEK Geo's :class:`~kek_geo.views.notes.NoteClusters` (one JSON array, markers and popups
   made in the browser) against the naive folium way (a ``MarkerCluster`` holding one
   ``CircleMarker`` with an HTML ``Popup`` per note). Both show the same notes.
2. What the public page does when its 15-second cache of approved notes has run out: read
   them from SQLite and make the small key of the cached map.
3. 20 sessions adding notes at the same time to one SQLite file (WAL), each with its own
   engine, as in the reliability test: notes per second.

Notes are made up for the benchmark (random places in the district, fixed seed) and stored
in a temporary folder. Median of several runs.

Run with ``.venv/bin/python bench/bench_notes.py``; writes bench/results/notes.json.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import folium
from folium.plugins import MarkerCluster

from kek_geo.notes.model import KINDS, THEMES, Note, make_note
from kek_geo.notes.places import GemeindeLocator
from kek_geo.settings import DISPLAY_CRS, REPO_ROOT, get_settings
from kek_geo.snapshot import Snapshot
from kek_geo.storage import NoteStore, make_engine, upgrade
from kek_geo.ui.mapview import prepare_map
from kek_geo.views.notes import KIND_COLOURS, map_key, note_rows, notes_map, pick_map

RESULTS = REPO_ROOT / "bench" / "results"
WRITERS = 20


def median_seconds(func: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def made_up_notes(snap: Snapshot, n: int, seed: int = 1) -> list[Note]:
    """``n`` approved notes at random places inside the district."""
    rng = random.Random(seed)
    locate = GemeindeLocator(snap.geo("gemeinden"))
    minx, miny, maxx, maxy = snap.geo("kreis").to_crs(DISPLAY_CRS).total_bounds
    notes: list[Note] = []
    while len(notes) < n:
        lon, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if locate(lon, lat) is None:
            continue
        notes.append(
            make_note(
                lon=lon, lat=lat, theme=rng.choice(list(THEMES)), kind=rng.choice(list(KINDS)),
                text="Hier fehlt ein sicherer Radweg zur Schule. " * rng.randint(1, 6),
                status="freigegeben", locate=locate,
            )
        )  # fmt: skip
    return notes


def naive_map(snap: Snapshot, notes: list[Note], names: dict[str, str]) -> folium.Map:
    settings = get_settings()
    m = pick_map(snap, settings, "de")
    cluster = MarkerCluster().add_to(m)
    for row in note_rows(notes, "de", names):
        lat, lon, colour, heading, text, footer = (str(v) for v in row)
        popup = f"<b>{html.escape(heading)}</b><br>{html.escape(text)}<br>"
        popup += f"<small>{html.escape(footer)}</small>"
        folium.CircleMarker(
            [float(lat), float(lon)],
            radius=9,
            color="#fff",
            weight=2,
            fill=True,
            fill_color=colour,
            fill_opacity=0.95,
            popup=folium.Popup(popup, max_width=320),
        ).add_to(cluster)
    return m


def bench_map(snap: Snapshot, runs: int, sizes: list[int]) -> list[dict[str, object]]:
    settings = get_settings()
    gem = snap.layer("gemeinden")
    names = dict(zip(gem["ags"].astype(str), gem["name"], strict=True))
    out: list[dict[str, object]] = []
    for n in sizes:
        notes = made_up_notes(snap, n)

        def ours_once(notes: list[Note] = notes) -> object:
            return prepare_map(notes_map(snap, settings, notes, "de", names), "b")

        def naive_once(notes: list[Note] = notes) -> object:
            return prepare_map(naive_map(snap, notes, names), "b")

        ours = median_seconds(ours_once, runs)
        naive = median_seconds(naive_once, runs)
        size_ours = prepare_map(notes_map(snap, settings, notes, "de", names), "b").size
        size_naive = prepare_map(naive_map(snap, notes, names), "b").size
        out.append(
            {"notes": n, "kek_s": ours, "naive_s": naive, "kek_bytes": size_ours,
             "naive_bytes": size_naive}
        )  # fmt: skip
        print(
            f"public map, {n:>5} notes: KEK Geo {ours * 1000:7.0f} ms {size_ours / 1e6:5.2f} MB"
            f" | naive {naive * 1000:7.0f} ms {size_naive / 1e6:5.2f} MB"
            f" | {naive / ours:4.1f}× faster"
        )
    return out


def bench_rerun(snap: Snapshot, runs: int, n: int, folder: Path) -> dict[str, object]:
    engine = make_engine(f"sqlite:///{folder / 'rerun.sqlite'}")
    upgrade(engine)
    store = NoteStore(engine)
    store.import_notes(made_up_notes(snap, n))
    seconds = median_seconds(lambda: map_key(store.list(statuses={"freigegeben"})), runs)
    engine.dispose()
    print(f"public page, {n} notes read again: list + map key {seconds * 1000:.0f} ms")
    return {"notes": n, "seconds": seconds}


def bench_writers(snap: Snapshot, runs: int, per_writer: int, folder: Path) -> dict[str, object]:
    notes = made_up_notes(snap, WRITERS * per_writer, seed=2)
    rates = []
    for run in range(runs):
        url = f"sqlite:///{folder / f'writers-{run}.sqlite'}"
        upgrade(make_engine(url))
        barrier = threading.Barrier(WRITERS)

        def session(i: int, url: str = url, barrier: threading.Barrier = barrier) -> None:
            engine = make_engine(url)
            store = NoteStore(engine)
            barrier.wait()
            for note in notes[i * per_writer : (i + 1) * per_writer]:
                store.add(note)
            engine.dispose()

        start = time.perf_counter()
        with ThreadPoolExecutor(WRITERS) as pool:
            list(pool.map(session, range(WRITERS)))
        rates.append(len(notes) / (time.perf_counter() - start))
    rate = statistics.median(rates)
    print(f"{WRITERS} concurrent sessions, {len(notes)} notes on SQLite (WAL): {rate:.0f} notes/s")
    return {"writers": WRITERS, "notes": len(notes), "notes_per_s": rate}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    snap = Snapshot(get_settings().geodata_dir)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results = {
            "map": bench_map(snap, args.runs, [100, 500, 2000]),
            "rerun": bench_rerun(snap, args.runs, 2000, folder),
            "writers": bench_writers(snap, args.runs, 10, folder),
            "kind_colours": KIND_COLOURS,
        }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "notes.json").write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
