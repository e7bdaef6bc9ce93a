"""GTFS import and departures per station on a small hand-made feed, checked by hand.

The feed (built by :func:`build_gtfs_zip`) has a rail and bus station "Herford Bf" (parent HF
with platforms HF_1 for trains and HF_2 for buses), a bus stop BUS1 about 440 m north of it,
and two stops far outside the district (OUT, FAR) that the import drops.

Services: WK runs Monday to Friday but not on Tuesday 2025-01-07 (calendar_dates removes it);
EX runs only on Wednesday 2025-01-08 (calendar_dates adds it); NIGHT runs every day; SA runs on
Saturdays. Trips at the stations:

* R1 rail (WK): HF_1 every 30 min from 05:30 to 20:00 (30 trips; 28 of them 06:00–19:30).
* B1 bus (WK): HF_2 hourly 06:00–19:00 (14), on to BUS1 5 min later, then OUT.
* B1 bus (EX): HF_2 at 07:15, 08:15, 16:15, 17:15, BUS1 5 min later.
* B1 bus (NIGHT): BUS1 at 30:30:00, i.e. 06:30 of the next calendar day.
* B1 bus (WK): one trip ending at BUS1 (pickup_type 1: no boarding, not a departure).
* OD on-demand (route_type 715, WK): BUS1 hourly from 06:10 (14): flagged, not counted.
* B1 bus (SA): BUS1 every 5 min from 06:00 (100 trips, Saturdays), on to OUT.

A trip's last call is an arrival, not a departure. Every route here leaves its stations in one
direction only (towards the same next station), so no departures are halved; the feed built
by :func:`direction_feed` tests the halving.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kek_geo.analysis.gtfs import (
    GTFS_DIR,
    TABLES,
    GtfsFeed,
    active_services,
    import_gtfs,
    load_feed,
    route_group,
    station_departures,
)
from kek_geo.errors import DataSourceError
from kek_geo.snapshot import Snapshot
from tests.helpers import ROOT

GEODATA = ROOT / "geodata"


def _hm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


def _csv(rows: Sequence[Sequence[object]]) -> str:
    return "\n".join(",".join(str(v) for v in row) for row in rows) + "\n"


def gtfs_tables() -> dict[str, str]:
    """The text of every file of the test feed."""
    stops: list[list[object]] = [
        ["stop_id", "stop_name", "stop_lat", "stop_lon", "location_type", "parent_station"],
        ["HF", "Herford Bf", 52.1196, 8.6636, 1, ""],
        ["HF_1", "Herford Bf Gleis 1", 52.1197, 8.6637, 0, "HF"],
        ["HF_2", "Herford Bf Bussteig", 52.1195, 8.6634, 0, "HF"],
        ["BUS1", "Herford Rathaus", 52.1236, 8.6636, 0, ""],
        ["OUT", "Hannover Hbf", 52.3766, 9.7410, 0, ""],
        ["FAR", "München Hbf", 48.1402, 11.5600, "", ""],
    ]
    routes: list[list[object]] = [
        ["route_id", "route_short_name", "route_type"],
        ["R1", "RE 78", 2],
        ["B1", "Bus 1", 3],
        ["OD", "Rufbus", 715],
        ["X9", "Fernbus", 200],
    ]
    trips: list[list[object]] = [["route_id", "service_id", "trip_id"]]
    times: list[list[object]] = [
        ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence", "pickup_type"]
    ]

    def trip(route: str, service: str, trip_id: str, calls: list[tuple[str, int, int]]) -> None:
        trips.append([route, service, trip_id])
        for seq, (stop, minute, pickup) in enumerate(calls, start=1):
            times.append([trip_id, _hm(minute), _hm(minute), stop, seq, pickup])

    for k in range(30):  # rail 05:30, 06:00, ..., 20:00
        trip("R1", "WK", f"r{k:02d}", [("HF_1", 330 + 30 * k, 0), ("OUT", 390 + 30 * k, 0)])
    for k in range(14):  # bus 06:00 ... 19:00
        start = 360 + 60 * k
        trip(
            "B1",
            "WK",
            f"b{k:02d}",
            [("HF_2", start, 0), ("BUS1", start + 5, 0), ("OUT", start + 60, 0)],
        )
    for k, start in enumerate((435, 495, 975, 1035)):  # 07:15, 08:15, 16:15, 17:15
        trip("B1", "EX", f"e{k}", [("HF_2", start, 0), ("BUS1", start + 5, 0)])
    trip("B1", "NIGHT", "n0", [("BUS1", 30 * 60 + 30, 0), ("OUT", 31 * 60, 0)])
    trip("B1", "WK", "bt", [("OUT", 660, 0), ("BUS1", 720, 1)])
    for k in range(14):
        trip("OD", "WK", f"d{k:02d}", [("BUS1", 370 + 60 * k, 0)])
    for k in range(100):
        trip("B1", "SA", f"s{k:02d}", [("BUS1", 360 + 5 * k, 0), ("OUT", 420 + 5 * k, 0)])
    trip("X9", "WK", "far", [("FAR", 600, 0), ("OUT", 900, 0)])
    calendar: list[list[object]] = [
        [
            "service_id",
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "start_date",
            "end_date",
        ],
        ["WK", 1, 1, 1, 1, 1, 0, 0, 20250106, 20251231],
        ["NIGHT", 1, 1, 1, 1, 1, 1, 1, 20250106, 20251231],
        ["SA", 0, 0, 0, 0, 0, 1, 0, 20250106, 20251231],
    ]
    calendar_dates: list[list[object]] = [
        ["service_id", "date", "exception_type"],
        ["WK", 20250107, 2],
        ["EX", 20250108, 1],
    ]
    feed_info: list[list[object]] = [
        [
            "feed_publisher_name",
            "feed_publisher_url",
            "feed_lang",
            "feed_start_date",
            "feed_end_date",
        ],
        ["Testverkehr", "https://example.org", "de", 20250106, 20251231],
    ]
    return {
        "stops.txt": _csv(stops),
        "routes.txt": _csv(routes),
        "trips.txt": _csv(trips),
        "stop_times.txt": _csv(times),
        "calendar.txt": _csv(calendar),
        "calendar_dates.txt": _csv(calendar_dates),
        "feed_info.txt": _csv(feed_info),
    }


def build_gtfs_zip(path: Path, replace: Mapping[str, str | None] | None = None) -> Path:
    """Write the test feed as a zip; ``replace`` swaps (or, with None, drops) files."""
    files: dict[str, str | None] = {**gtfs_tables(), **dict(replace or {})}
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            if text is not None:
                # the first file gets a byte-order mark, as some exports have
                data = ("\ufeff" + text) if name == "stops.txt" else text
                archive.writestr(name, data.encode("utf-8"))
    return path


@pytest.fixture
def feed_zip(tmp_path: Path) -> Path:
    return build_gtfs_zip(tmp_path / "feed.zip")


@pytest.fixture
def imports(tmp_path: Path, feed_zip: Path) -> Path:
    folder = tmp_path / "imports"
    import_gtfs(feed_zip, folder, GEODATA)
    return folder


def _station(feed: GtfsFeed, station_id: str) -> pd.Series:
    return feed.stations.set_index("station_id").loc[station_id]


def test_import_keeps_the_district_and_chooses_the_busiest_weekday(
    feed_zip: Path, tmp_path: Path
) -> None:
    summary = import_gtfs(feed_zip, tmp_path / "imports", GEODATA)
    meta = json.loads((tmp_path / "imports" / GTFS_DIR / "meta.json").read_text())
    # trips per weekday in the district: Mon 6th 59 (WK) + 1 (NIGHT) = 60; Tue 7th only
    # NIGHT = 1 (WK removed); Wed 8th 60 + 4 (EX) = 64; Thu/Fri 60. The Saturday (101) is no
    # weekday. So Wednesday 2025-01-08.
    assert meta["service_date"] == "2025-01-08"
    assert meta["service_date_choice"] == "automatic"
    assert (meta["feed_start"], meta["feed_end"]) == ("2025-01-06", "2025-12-31")
    assert meta["publisher"] == "Testverkehr"
    # stops HF, HF_1, HF_2, BUS1 kept; OUT and FAR (and the coach trip "far") dropped
    assert meta["counts"]["stops"] == 4
    assert meta["counts"]["stations"] == 2
    assert meta["counts"]["trips"] == 30 + 14 + 4 + 1 + 1 + 14 + 100
    stored = pd.read_parquet(tmp_path / "imports" / GTFS_DIR / "stop_times.parquet")
    assert not stored["stop_id"].isin(["OUT", "FAR"]).any()
    assert set(pd.read_parquet(tmp_path / "imports" / GTFS_DIR / "routes.parquet")["route_id"]) == {
        "R1",
        "B1",
        "OD",
    }
    assert "2025-01-08 (Wednesday, automatic)" in summary


def test_departures_intervals_categories(imports: Path) -> None:
    feed = load_feed(imports)
    assert feed is not None
    hf, bus = _station(feed, "HF"), _station(feed, "BUS1")
    # HF (platforms grouped): rail 28 + bus 14 + EX 4 = 46 departures 06:00–20:00
    # (05:30 and 20:00 are outside); over the day 30 + 14 + 4 = 48
    assert (hf["departures_window"], hf["departures_day"]) == (46, 48)
    # R1 leaves only towards OUT, B1 only towards BUS1: one direction each, nothing halved:
    # 28 + 18 = 46 per direction; interval 840 / 46 = 18.3 min -> tier <= 20 min; rail wins
    # -> group A -> category II (halving everywhere would give 36.5 min and category III)
    assert hf["departures_direction"] == 46
    assert hf["interval_min"] == pytest.approx(840 / 46)
    assert (hf["group"], hf["category"]) == (0, 2)
    # BUS1: 14 (06:05 ... 19:05) + 1 (NIGHT of the 7th at 30:30 = 06:30) = 15; the EX trips
    # end here (arrivals), the on-demand calls and the no-boarding arrival do not count
    assert (bus["departures_window"], bus["departures_day"]) == (15, 15)
    # all towards OUT: 15 per direction, 840 / 15 = 56 min -> tier <= 60, bus (C) -> VI
    assert bus["interval_min"] == pytest.approx(840 / 15)
    assert (bus["group"], bus["category"]) == (2, 6)
    assert bool(bus["on_demand"]) and not bool(hf["on_demand"])
    # the station carries the parent's name and coordinates in EPSG:25832
    assert hf["name"] == "Herford Bf"
    assert 465_000 < hf["x"] < 485_000 and 5_770_000 < hf["y"] < 5_790_000
    # Deutschlandatlas: >= 20 departures a day: HF (48) yes, BUS1 (15) no
    assert len(feed.frequent_xy(20)) == 1
    assert len(feed.frequent_xy(15)) == 2


def test_a_given_day_honours_the_calendar_exceptions(feed_zip: Path, tmp_path: Path) -> None:
    import_gtfs(feed_zip, tmp_path / "imports", GEODATA, date="2025-01-07")
    feed = load_feed(tmp_path / "imports")
    assert feed is not None
    assert feed.meta["service_date_choice"] == "given"
    # Tuesday 7th: WK is removed, so HF has no departures; BUS1 has only the NIGHT trip of the
    # 6th at 30:30 (06:30 on the 7th): 1 departure, interval 840 min -> no category
    hf, bus = _station(feed, "HF"), _station(feed, "BUS1")
    assert (hf["departures_window"], hf["category"]) == (0, 0)
    assert (bus["departures_window"], bus["category"]) == (1, 0)


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The tables as the import stores them."""
    tmp = tmp_path_factory.mktemp("gtfs")
    import_gtfs(build_gtfs_zip(tmp / "feed.zip"), tmp / "imports", GEODATA)
    folder = tmp / "imports" / GTFS_DIR
    return {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}


def test_saturday_counts_its_own_service(stored: dict[str, pd.DataFrame]) -> None:
    stations = station_departures(stored, date(2025, 1, 11)).set_index("station_id")
    # Saturday: 100 SA trips 06:00–14:15 + NIGHT of Friday at 06:30 = 101, all towards OUT
    # -> 840 / 101 = 8.3 min -> tier <= 10 min, bus -> category III
    assert stations.loc["BUS1", "departures_window"] == 101
    assert stations.loc["BUS1", "category"] == 3
    # HF has no Saturday service
    assert stations.loc["HF", "departures_day"] == 0


def test_active_services_apply_exceptions(stored: dict[str, pd.DataFrame]) -> None:
    cal, dates = stored["calendar"], stored["calendar_dates"]
    assert active_services(cal, dates, date(2025, 1, 6)) == {"WK", "NIGHT"}
    assert active_services(cal, dates, date(2025, 1, 7)) == {"NIGHT"}
    assert active_services(cal, dates, date(2025, 1, 8)) == {"WK", "NIGHT", "EX"}
    assert active_services(cal, dates, date(2025, 1, 11)) == {"NIGHT", "SA"}
    assert active_services(cal, dates, date(2026, 1, 7)) == set()


def test_feed_with_only_calendar_dates_and_no_feed_info(tmp_path: Path) -> None:
    path = build_gtfs_zip(tmp_path / "dates.zip", {"calendar.txt": None, "feed_info.txt": None})
    import_gtfs(path, tmp_path / "imports", GEODATA)
    feed = load_feed(tmp_path / "imports")
    assert feed is not None
    # the period comes from calendar_dates.txt (7th and 8th); only EX runs, on the 8th
    assert (feed.meta["feed_start"], feed.meta["feed_end"]) == ("2025-01-07", "2025-01-08")
    assert feed.meta["publisher"] == ""
    assert feed.service_date == "2025-01-08"
    # 4 EX trips: HF 4 departures -> interval 840 / 4 = 210 min -> no category; they end at
    # BUS1, which has none
    hf, bus = _station(feed, "HF"), _station(feed, "BUS1")
    assert (hf["departures_window"], bus["departures_window"]) == (4, 0)
    assert (hf["category"], bus["category"]) == (0, 0)


def frequency_feed(frequencies: str | None = None) -> dict[str, str]:
    """The test feed plus trip f0 (bus B1, WK) run by headway from ``frequencies.txt``.

    f0's stop times are only its pattern: OUT 09:50 (outside the district, so not imported),
    HF_2 10:00 (+10 min), BUS1 10:05 (+15 min), OUT 11:00. Its first period starts at OUT
    from 05:50 every 20 min until before 07:50 (exact_times 0): 05:50, 06:10, ..., 07:30 =
    6 trips. The second from 19:20 every 30 min until before 20:50 (exact_times 1): 19:20,
    19:50, 20:20 = 3 trips.
    """
    files = gtfs_tables()
    files["trips.txt"] += "B1,WK,f0\n"
    files["stop_times.txt"] += _csv(
        [
            ["f0", _hm(590), _hm(590), "OUT", 1, 0],
            ["f0", _hm(600), _hm(600), "HF_2", 2, 0],
            ["f0", _hm(605), _hm(605), "BUS1", 3, 0],
            ["f0", _hm(660), _hm(660), "OUT", 4, 0],
        ]
    )
    files["frequencies.txt"] = frequencies or _csv(
        [
            ["trip_id", "start_time", "end_time", "headway_secs", "exact_times"],
            ["f0", "05:50:00", "07:50:00", 1200, 0],
            ["f0", "19:20:00", "20:50:00", 1800, 1],
        ]
    )
    return files


def test_frequencies_expand_into_departures(tmp_path: Path) -> None:
    path = build_gtfs_zip(tmp_path / "freq.zip", frequency_feed())
    import_gtfs(path, tmp_path / "imports", GEODATA, date="2025-01-08")
    feed = load_feed(tmp_path / "imports")
    assert feed is not None
    hf, bus = _station(feed, "HF"), _station(feed, "BUS1")
    # HF_2 at start + 10 min: 06:00, 06:20, ..., 07:40 (6) and 19:30, 20:00, 20:30 (3); in
    # 06:00–20:00 6 + 1 = 7 (20:00 is outside); the pattern's own 10:00 is no departure.
    # The rest of HF as before: 46 in the window, 48 a day -> 53 and 57.
    assert (hf["departures_window"], hf["departures_day"]) == (46 + 7, 48 + 9)
    # BUS1 at start + 15 min: 06:05 ... 07:45 (6) and 19:35, 20:05, 20:35 (3) -> 7 in the
    # window, 9 a day, on top of 15 and 15
    assert (bus["departures_window"], bus["departures_day"]) == (15 + 7, 15 + 9)
    stored = pd.read_parquet(tmp_path / "imports" / GTFS_DIR / "frequencies.parquet")
    # times in seconds: 05:50 = 21,000, 07:50 = 28,200; 19:20 = 69,600, 20:50 = 75,000
    assert stored[["start_s", "end_s", "headway_s"]].to_numpy().tolist() == [
        [21_000, 28_200, 1200],
        [69_600, 75_000, 1800],
    ]


def test_bad_frequencies(tmp_path: Path) -> None:
    header = "trip_id,start_time,end_time,headway_secs\n"
    zero = frequency_feed(header + "f0,06:00:00,08:00:00,0\n")
    assert (
        "headway_secs must be a positive number of seconds ('0')" in _error(tmp_path, zero).problem
    )
    bad_time = frequency_feed(header + "f0,6:00,08:00:00,600\n")
    err = _error(tmp_path, bad_time)
    assert err.problem == "frequencies.txt: invalid time '6:00' in column 'start_time' (H:MM:SS)"
    no_headway = frequency_feed("trip_id,start_time,end_time\nf0,06:00:00,08:00:00\n")
    err = _error(tmp_path, no_headway)
    assert err.problem == "frequencies.txt: missing column(s) 'headway_secs'"


def test_stop_sequence_is_required(tmp_path: Path) -> None:
    text = gtfs_tables()["stop_times.txt"].replace("stop_sequence", "seq")
    err = _error(tmp_path, {"stop_times.txt": text})
    assert err.problem == "stop_times.txt: missing column(s) 'stop_sequence'"


def direction_feed(*, l_direction: object = 0) -> dict[str, str]:
    """A weekday feed (service WK, 2025) of three bus routes near Herford, all in 06:00–20:00.

    * RING, a one-way loop: S3 -> S4 (+5 min) -> S5 (+10) -> S3 (+15), every 20 min from
      06:00 to 19:40 (42 trips).
    * N, no direction_id: T -> S7 (+5) -> S8 (+10) every 40 min from 06:00 to 19:20 (21
      trips) and back S8 -> S7 -> T from 06:02 (21 trips).
    * L, direction_id ``l_direction``: T -> S9 (+5) -> S10 hourly from 06:00 and
      T -> S9 -> S11 hourly from 06:30, to 19:00 and 19:30 (14 + 14 trips): one line
      branching after S9.
    """
    base = gtfs_tables()
    names = ("T", "S3", "S4", "S5", "S7", "S8", "S9", "S10", "S11")
    stops: list[list[object]] = [["stop_id", "stop_name", "stop_lat", "stop_lon"]]
    stops += [[n, f"Halt {n}", f"{52.110 + 0.002 * i:.4f}", "8.6600"] for i, n in enumerate(names)]
    routes: list[list[object]] = [["route_id", "route_type"], ["RING", 3], ["N", 3], ["L", 3]]
    trips: list[list[object]] = [["route_id", "service_id", "trip_id", "direction_id"]]
    times: list[list[object]] = [
        ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"]
    ]

    def trip(route: str, trip_id: str, direction: object, calls: list[tuple[str, int]]) -> None:
        trips.append([route, "WK", trip_id, direction])
        for seq, (stop, minute) in enumerate(calls, start=1):
            times.append([trip_id, _hm(minute), _hm(minute), stop, seq])

    for k in range(42):
        t0 = 360 + 20 * k
        trip("RING", f"r{k}", 0, [("S3", t0), ("S4", t0 + 5), ("S5", t0 + 10), ("S3", t0 + 15)])
    for k in range(21):
        t0 = 360 + 40 * k
        trip("N", f"o{k}", "", [("T", t0), ("S7", t0 + 5), ("S8", t0 + 10)])
        trip("N", f"i{k}", "", [("S8", t0 + 2), ("S7", t0 + 7), ("T", t0 + 12)])
    for k in range(14):
        t0 = 360 + 60 * k
        trip("L", f"a{k}", l_direction, [("T", t0), ("S9", t0 + 5), ("S10", t0 + 10)])
        trip("L", f"b{k}", l_direction, [("T", t0 + 30), ("S9", t0 + 35), ("S11", t0 + 40)])
    calendar = base["calendar.txt"].splitlines()
    return {
        "stops.txt": _csv(stops),
        "routes.txt": _csv(routes),
        "trips.txt": _csv(trips),
        "stop_times.txt": _csv(times),
        "calendar.txt": "\n".join([calendar[0], calendar[1]]) + "\n",  # WK only
        "calendar_dates.txt": "service_id,date,exception_type\n",
        "feed_info.txt": base["feed_info.txt"],
    }


def _direction_stations(tmp_path: Path, files: dict[str, str]) -> pd.DataFrame:
    path = build_gtfs_zip(tmp_path / "directions.zip", files)
    import_gtfs(path, tmp_path / "imports", GEODATA, date="2025-01-08")
    feed = load_feed(tmp_path / "imports")
    assert feed is not None
    return feed.stations.set_index("station_id")


def test_departures_are_halved_only_where_a_route_runs_both_ways(tmp_path: Path) -> None:
    st = _direction_stations(tmp_path, direction_feed())
    cols = ["departures_window", "departures_direction", "interval_min", "category"]
    # S4 on the one-way loop: 42 departures, all towards S5 -> not halved: 840 / 42 = 20 min
    # -> tier <= 20, bus -> category IV (halved it would be 40 min, category V)
    assert st.loc["S4", cols].tolist() == pytest.approx([42, 42, 20.0, 4])
    # S3, start and end of the loop: 42 departures towards S4; the 42 arrivals end trips
    assert st.loc["S3", cols].tolist() == pytest.approx([42, 42, 20.0, 4])
    # S7 on N, no direction_id: 21 towards S8 and 21 towards T -> two next stations, both
    # directions: 42 / 2 = 21 -> 840 / 21 = 40 min -> tier <= 40 -> category V
    assert st.loc["S7", cols].tolist() == pytest.approx([42, 21, 40.0, 5])
    # S8, N's other end: 21 departures towards S7 (the outbound trips end here) -> 40 min
    assert st.loc["S8", cols].tolist() == pytest.approx([21, 21, 40.0, 5])
    # S9 on L: 28 departures towards S10 or S11, but all of direction_id 0 -> one direction:
    # 840 / 28 = 30 min -> tier <= 40 -> category V
    assert st.loc["S9", cols].tolist() == pytest.approx([28, 28, 30.0, 5])
    # T, terminus of N (21 towards S7) and of L (28 towards S9): each route one way, so they
    # add up: 21 + 28 = 49 -> 840 / 49 = 17.1 min -> tier <= 20 -> category IV (halving the
    # station because its departures head two ways would give 34.3 min, category V)
    assert st.loc["T", cols].tolist() == pytest.approx([49, 49, 840 / 49, 4])
    # S10, S11: only arrivals
    assert st.loc[["S10", "S11"], "departures_window"].tolist() == [0, 0]


def test_without_direction_id_next_stations_decide(tmp_path: Path) -> None:
    st = _direction_stations(tmp_path, direction_feed(l_direction=""))
    # L's departures at S9 head for S10 and S11: two next stations count as both ways here:
    # 28 / 2 = 14 -> 840 / 14 = 60 min -> tier <= 60 -> category VI
    assert st.loc["S9", ["departures_direction", "interval_min", "category"]].tolist() == [
        14,
        60.0,
        6,
    ]


def test_bad_direction_id(tmp_path: Path) -> None:
    files = direction_feed(l_direction=2)
    err = _error(tmp_path, files)
    assert err.problem == "trips.txt: direction_id must be 0, 1 or empty"


def test_import_of_an_older_version_counts_the_old_way(imports: Path) -> None:
    # format 1 stored no next station, direction_id, first time or frequencies
    folder = imports / GTFS_DIR
    stop_times = pd.read_parquet(folder / "stop_times.parquet").drop(columns="next_station")
    stop_times.to_parquet(folder / "stop_times.parquet", index=False)
    trips = pd.read_parquet(folder / "trips.parquet").drop(columns=["direction_id", "start_s"])
    trips.to_parquet(folder / "trips.parquet", index=False)
    (folder / "frequencies.parquet").unlink()
    feed = load_feed(imports)
    assert feed is not None
    assert "run `kek-geo import-gtfs` again" in feed.meta["note"]
    hf, bus = _station(feed, "HF"), _station(feed, "BUS1")
    # as before: every boardable call is a departure, halved: HF 46 -> 840 / 23 = 36.5 min
    # -> category III; BUS1 14 + 4 (EX, ending there) + 1 (NIGHT) = 19 -> 840 / 9.5 = 88.4
    # min -> category VII
    assert (hf["departures_window"], hf["interval_min"], hf["category"]) == (
        46,
        pytest.approx(840 / 23),
        3,
    )
    assert (bus["departures_window"], bus["interval_min"], bus["category"]) == (
        19,
        pytest.approx(840 / 9.5),
        7,
    )


def test_route_groups() -> None:
    types = [2, 109, 401, 0, 900, 3, 204, 712, 715, 1300, 1700]
    assert route_group(np.array(types)).tolist() == [0, 0, 0, 1, 1, 2, 2, 2, 3, 2, -1]


def test_route_groups_of_the_other_basic_and_extended_types() -> None:
    # basic: 1 metro, 12 monorail -> A; 5 cable tram, 7 funicular -> B; 4 ferry, 6 aerial
    # lift, 11 trolleybus -> C
    assert route_group(np.array([1, 12, 5, 7, 4, 6, 11])).tolist() == [0, 0, 1, 1, 2, 2, 2]
    # extended, at the edges of each range: 100 and 117 rail, 400 and 405 urban rail (405 is
    # monorail) -> A; 906 and 1400 -> B; 200, 700, 714, 800, 1000, 1200 -> C
    assert route_group(np.array([100, 117, 400, 405, 906, 1400])).tolist() == [0, 0, 0, 0, 1, 1]
    assert route_group(np.array([200, 700, 714, 800, 1000, 1200])).tolist() == [2] * 6
    # outside every group: 118, 205, 1100 air, 1500 taxi, 1700 miscellaneous; a missing type
    assert route_group(np.array([118, 205, 1100, 1500, 1700, np.nan])).tolist() == [-1] * 6


def test_snapshot_loads_the_feed(imports: Path) -> None:
    snap = Snapshot(GEODATA, imports_dir=imports)
    assert isinstance(snap.extra("gtfs"), GtfsFeed)


def test_no_import_means_no_feed(tmp_path: Path) -> None:
    assert load_feed(tmp_path) is None


# ---------------------------------------------------------------- bad input


def _error(tmp_path: Path, replace: Mapping[str, str | None], **kwargs: str) -> DataSourceError:
    path = build_gtfs_zip(tmp_path / "bad.zip", replace)
    with pytest.raises(DataSourceError) as err:
        import_gtfs(path, tmp_path / "imports", GEODATA, **kwargs)
    assert err.value.path == path
    assert not (tmp_path / "imports" / GTFS_DIR).exists()
    return err.value


def test_missing_file_in_the_zip(tmp_path: Path) -> None:
    err = _error(tmp_path, {"stop_times.txt": None})
    assert err.problem == "stop_times.txt missing in the GTFS zip"


def test_missing_column(tmp_path: Path) -> None:
    text = gtfs_tables()["stop_times.txt"].replace("departure_time", "abfahrt")
    err = _error(tmp_path, {"stop_times.txt": text})
    assert err.problem == "stop_times.txt: missing column(s) 'departure_time'"


def test_no_calendar_at_all(tmp_path: Path) -> None:
    err = _error(tmp_path, {"calendar.txt": None, "calendar_dates.txt": None})
    assert "calendar.txt and calendar_dates.txt missing" in err.problem


def test_invalid_time(tmp_path: Path) -> None:
    text = gtfs_tables()["stop_times.txt"].replace("06:00:00", "6:61:00", 1)
    err = _error(tmp_path, {"stop_times.txt": text})
    assert "invalid time '6:61:00'" in err.problem


def test_invalid_date(tmp_path: Path) -> None:
    text = gtfs_tables()["calendar.txt"].replace("20251231", "20251331", 1)
    err = _error(tmp_path, {"calendar.txt": text})
    assert "calendar.txt: column 'end_date' has an invalid date" in err.problem


def test_no_stop_in_the_district(tmp_path: Path) -> None:
    text = gtfs_tables()["stops.txt"].replace("52.1", "50.1")
    err = _error(tmp_path, {"stops.txt": text})
    assert "no stop of the feed lies in the district" in err.problem


def test_bad_dates_given(tmp_path: Path) -> None:
    assert "is not a date" in _error(tmp_path, {}, date="2025-13-01").problem
    assert (
        "no trip in the district runs on 2030-01-01"
        in _error(tmp_path, {}, date="2030-01-01").problem
    )


def test_not_a_zip_and_missing_file(tmp_path: Path) -> None:
    text_file = tmp_path / "feed.zip"
    text_file.write_text("stop_id,stop_name\n")
    with pytest.raises(DataSourceError, match="not a zip file"):
        import_gtfs(text_file, tmp_path / "imports", GEODATA)
    with pytest.raises(DataSourceError, match="file not found"):
        import_gtfs(tmp_path / "nowhere.zip", tmp_path / "imports", GEODATA)


def test_a_failed_import_keeps_the_previous_one(imports: Path, tmp_path: Path) -> None:
    before = (imports / GTFS_DIR / "meta.json").read_text()
    bad = build_gtfs_zip(tmp_path / "bad.zip", {"trips.txt": None})
    with pytest.raises(DataSourceError, match=r"trips\.txt missing"):
        import_gtfs(bad, imports, GEODATA)
    assert (imports / GTFS_DIR / "meta.json").read_text() == before
    assert sorted(p.name for p in imports.iterdir()) == [GTFS_DIR]


def test_feed_in_a_subfolder_of_the_zip(tmp_path: Path) -> None:
    path = tmp_path / "nested.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in gtfs_tables().items():
            archive.writestr(f"gtfs/{name}", text)
    summary = import_gtfs(path, tmp_path / "imports", GEODATA)
    assert "4 stops at 2 stations" in summary


def test_cli_reports_errors_with_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kek_geo.cli import main

    monkeypatch.setenv("KEK_IMPORTS_DIR", str(tmp_path / "imports"))
    bad = build_gtfs_zip(tmp_path / "bad.zip", {"stop_times.txt": None})
    assert main(["import-gtfs", "--file", str(bad)]) == 1
    assert capsys.readouterr().err == (
        f"kek-geo: error: {bad}: stop_times.txt missing in the GTFS zip\n"
    )
    assert main(["import-gtfs", "--file", str(build_gtfs_zip(tmp_path / "ok.zip"))]) == 0
    assert "service day 2025-01-08" in capsys.readouterr().out
    assert (tmp_path / "imports" / GTFS_DIR / "meta.json").is_file()
