"""GTFS timetables: import, departures per station and stop categories (ÖV-Güteklassen).

``kek-geo import-gtfs --file <feed.zip>`` checks a GTFS zip, keeps the stops within the
district plus 2 km with the trips, routes and service days they need, chooses a service day
and stores the tables as Parquet in ``<imports>/gtfs/`` (all or nothing). Loading counts the
departures per station on that day (ARE 2022, "ÖV-Güteklassen Berechnungsmethodik", as
extended by the GOAT default station configuration): stops are grouped by
``parent_station``; trips of ``frequencies.txt`` run at their headway; a departure is a call
with boarding that is not the trip's last call; the window is 06:00–20:00 (840 min). ARE
halves the departures for the two directions; here each route's departures at a station are
halved only where that route serves the station in both directions (see
:func:`departures_per_direction`), so a one-way loop or a terminus counts in full. Mean
interval = 840 min / departures per direction; the best mode group at a station wins.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import shapely
from pyproj import Transformer

from kek_geo.analysis.access import FloatArray
from kek_geo.analysis.mobility import MODE_GROUPS, IntArray, station_category
from kek_geo.errors import DataSourceError
from kek_geo.fileio import replacing_folder
from kek_geo.settings import ANALYSIS_CRS
from kek_geo.snapshot import read_layer

#: Sub-folder of the imports folder that holds the prepared feed.
GTFS_DIR = "gtfs"
#: Version of the stored tables: 2 = trip patterns (next station, direction, frequencies).
FORMAT = 2
META_FILE = "meta.json"
#: Time window of the departure count, seconds after midnight of the service day.
WINDOW_S = (6 * 3600, 20 * 3600)
WINDOW_MIN = (WINDOW_S[1] - WINDOW_S[0]) / 60.0
DAY_S = 24 * 3600
#: Stops farther than this outside the district are not imported, metres.
FEED_MARGIN_M = 2000.0
#: The automatic service day is the busiest weekday among this many first days of the feed.
FIRST_DAYS = 14
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: Mode group codes besides the indices of :data:`MODE_GROUPS` (0 = A, 1 = B, 2 = C).
ON_DEMAND = 3
OTHER_MODE = -1

REQUIRED: dict[str, tuple[str, ...]] = {
    "stops.txt": ("stop_id", "stop_lat", "stop_lon"),
    "routes.txt": ("route_id", "route_type"),
    "trips.txt": ("route_id", "service_id", "trip_id"),
    "stop_times.txt": ("trip_id", "stop_id", "stop_sequence", "departure_time"),
    "calendar.txt": ("service_id", *WEEKDAYS, "start_date", "end_date"),
    "calendar_dates.txt": ("service_id", "date", "exception_type"),
    "feed_info.txt": (),
    "frequencies.txt": ("trip_id", "start_time", "end_time", "headway_secs"),
}
OPTIONAL: dict[str, tuple[str, ...]] = {
    "stops.txt": ("stop_name", "location_type", "parent_station"),
    "routes.txt": ("route_short_name",),
    "trips.txt": ("direction_id",),
    "stop_times.txt": ("arrival_time", "pickup_type"),
    "feed_info.txt": ("feed_publisher_name", "feed_start_date", "feed_end_date", "feed_version"),
}
#: Files without which nothing can be counted (plus calendar.txt or calendar_dates.txt).
CORE_FILES = ("stops.txt", "routes.txt", "trips.txt", "stop_times.txt")
TABLES = ("stops", "routes", "trips", "stop_times", "calendar", "calendar_dates", "frequencies")
#: Tables an import of an earlier version may lack.
LATER_TABLES = ("frequencies",)
_COORDS = ("stop_lat", "stop_lon", "x", "y")
#: First day, last day and publisher of a feed.
Period = tuple[date, date, str]


# ---------------------------------------------------------------- mode groups and service days


#: GTFS ``route_type`` per mode group: single values and inclusive ranges. Basic types
#: follow their extended twins in the GOAT default: monorail 12 goes to A with 405 (monorail,
#: like a metro on its own track), cable tram 5 to B with the trams, ferry 4 to C with 1000
#: (water transport) and 1200 (ferry), aerial lift 6 with 1300, trolleybus 11 with 800.
GROUP_ROUTE_TYPES: tuple[tuple[tuple[int, ...], tuple[tuple[int, int], ...]], ...] = (
    ((1, 2, 12), ((100, 117), (400, 405))),  # A rail, S-Bahn, metro, monorail
    ((0, 5, 7, 1400), ((900, 906),)),  # B tram, cable tram, funicular
    ((3, 4, 6, 11, 800, 1000, 1200, 1300), ((200, 204), (700, 714))),  # C bus, ferry, lifts
)
#: Demand-responsive bus (Rufbus, ALT): flagged, not counted.
ON_DEMAND_TYPES = (715,)


def route_group(route_type: npt.ArrayLike) -> IntArray:
    """Mode group per GTFS ``route_type`` (basic and extended types, GOAT default).

    Parameters
    ----------
    route_type
        Route types.

    Returns
    -------
    numpy.ndarray
        0 = A (rail, S-Bahn, metro: 1, 2, 100–117, 400–405; monorail 12), 1 = B (tram,
        funicular: 0, 7, 900–906, 1400; cable tram 5), 2 = C (bus, coach, trolleybus, ferry,
        aerial lift: 3, 200–204, 700–714, 800, 1000, 1300; ferry 4 and 1200, aerial lift 6,
        trolleybus 11), 3 = on demand (715, flagged, not counted), -1 = other (air, taxi,
        miscellaneous; not counted). See :data:`GROUP_ROUTE_TYPES` for the placing of the
        basic types.
    """
    values = np.asarray(route_type, dtype=np.float64).reshape(-1)
    rt = np.where(np.isnan(values), -9999, values).astype(np.int64)
    group = np.full(len(rt), OTHER_MODE, dtype=np.int64)
    for code in reversed(range(len(GROUP_ROUTE_TYPES))):  # the better group wins
        singles, ranges = GROUP_ROUTE_TYPES[code]
        member = np.isin(rt, singles)
        for low, high in ranges:
            member |= (rt >= low) & (rt <= high)
        group[member] = code
    group[np.isin(rt, ON_DEMAND_TYPES)] = ON_DEMAND
    return group


def active_services(calendar: pd.DataFrame, calendar_dates: pd.DataFrame, day: date) -> set[str]:
    """Services running on a day: ``calendar.txt`` plus the exceptions of ``calendar_dates.txt``.

    Parameters
    ----------
    calendar
        ``service_id``, the weekday flags, ``start_date``, ``end_date`` (datetimes).
    calendar_dates
        ``service_id``, ``date`` (datetime), ``exception_type`` (1 added, 2 removed).
    day
        The day.

    Returns
    -------
    set of str
        Service ids.
    """
    ts = pd.Timestamp(day)
    running = calendar[
        (calendar["start_date"] <= ts)
        & (calendar["end_date"] >= ts)
        & (calendar[WEEKDAYS[day.weekday()]] == 1)
    ]
    services = set(running["service_id"])
    exceptions = calendar_dates[calendar_dates["date"] == ts]
    services |= set(exceptions.loc[exceptions["exception_type"] == 1, "service_id"])
    services -= set(exceptions.loc[exceptions["exception_type"] == 2, "service_id"])
    return services


def trips_on(trips: pd.DataFrame, calendar: pd.DataFrame, dates: pd.DataFrame, day: date) -> int:
    """Number of trips whose service runs on a day.

    Parameters
    ----------
    trips
        ``trip_id``, ``service_id``.
    calendar, dates
        Calendar and calendar dates (see :func:`active_services`).
    day
        The day.

    Returns
    -------
    int
        Active trips.
    """
    return int(trips["service_id"].isin(active_services(calendar, dates, day)).sum())


def choose_service_date(
    trips: pd.DataFrame, calendar: pd.DataFrame, dates: pd.DataFrame, start: date
) -> date | None:
    """The weekday (Mon–Fri) with the most active trips among the first 14 days from ``start``.

    Parameters
    ----------
    trips
        Trips of the district.
    calendar, dates
        Calendar and calendar dates.
    start
        First day of the feed's validity.

    Returns
    -------
    datetime.date or None
        The earliest of the busiest weekdays; ``None`` if no trip runs on any of them.
    """
    days = [start + timedelta(days=i) for i in range(FIRST_DAYS)]
    weekdays = [d for d in days if d.weekday() < 5]
    counts = [trips_on(trips, calendar, dates, d) for d in weekdays]
    if not counts or max(counts) == 0:
        return None
    return weekdays[counts.index(max(counts))]


# ---------------------------------------------------------------- departures per station


def station_of(stops: pd.DataFrame) -> pd.Series:
    """Station id of every stop: its ``parent_station`` if that exists in the feed, else itself.

    Parameters
    ----------
    stops
        ``stop_id``, ``location_type``, ``parent_station``.

    Returns
    -------
    pandas.Series
        Station id indexed by stop id (stops and stations, not entrances or nodes).
    """
    usable = stops[stops["location_type"].isin([0, 1])]
    parent = usable["parent_station"].fillna("")
    has_parent = (
        (parent != "") & parent.isin(set(stops["stop_id"])) & (usable["location_type"] == 0)
    )
    return pd.Series(
        np.where(has_parent, parent, usable["stop_id"]), index=usable["stop_id"].to_numpy()
    )


def expand_frequencies(
    stop_times: pd.DataFrame, trips: pd.DataFrame, frequencies: pd.DataFrame
) -> pd.DataFrame:
    """All calls, with the trips of ``frequencies.txt`` repeated at their headway.

    Such a trip starts at ``start_time``, ``start_time + headway_secs``, … for as long as
    the start lies before ``end_time``; its stop times only give the pattern (each call's
    offset from the trip's first call). The same expansion serves ``exact_times`` 1 (the
    exact schedule) and 0 (a headway whose exact times are left open: the number of
    departures is the same). Other trips keep their own times.

    Parameters
    ----------
    stop_times
        ``trip_id``, ``stop_id``, ``time_s`` and further columns, as stored by the import.
    trips
        ``trip_id`` and ``start_s`` (time of the first call).
    frequencies
        ``trip_id``, ``start_s``, ``end_s``, ``headway_s``.

    Returns
    -------
    pandas.DataFrame
        The columns of ``stop_times``, one row per call of every trip instance.
    """
    if frequencies.empty:
        return stop_times
    repeated = stop_times["trip_id"].isin(set(frequencies["trip_id"]))
    pattern = stop_times[repeated].merge(
        trips[["trip_id", "start_s"]].rename(columns={"start_s": "first_s"}), on="trip_id"
    )
    pattern = pattern[(pattern["time_s"] >= 0) & (pattern["first_s"] >= 0)]
    span = (frequencies["end_s"] - frequencies["start_s"]).to_numpy(np.int64)
    headway = frequencies["headway_s"].to_numpy(np.int64)
    count = np.where(span > 0, -(-span // headway), 0)  # starts before end_s
    row = np.repeat(np.arange(len(frequencies)), count)
    k = np.arange(len(row)) - np.repeat(np.cumsum(count) - count, count)
    starts = pd.DataFrame(
        {
            "trip_id": frequencies["trip_id"].to_numpy()[row],
            "t0": frequencies["start_s"].to_numpy(np.int64)[row] + k * headway[row],
        }
    )
    calls = pattern.merge(starts, on="trip_id")
    offset = calls["time_s"].to_numpy(np.int64) - calls["first_s"].to_numpy(np.int64)
    calls["time_s"] = (calls["t0"].to_numpy(np.int64) + offset).astype(np.int32)
    return pd.concat([stop_times[~repeated], calls[list(stop_times.columns)]], ignore_index=True)


def _day_events(
    stop_times: pd.DataFrame,
    trips: pd.DataFrame,
    calendar: pd.DataFrame,
    dates: pd.DataFrame,
    day: date,
) -> pd.DataFrame:
    """Boardable calls on a calendar day.

    Columns ``stop_id``, ``group``, ``route_id``, ``direction_id``, ``next_station`` and ``t``
    (seconds after midnight). GTFS times may exceed 24:00: a trip of the previous service day
    at 30:30 leaves at 06:30.
    """
    st = stop_times[(stop_times["pickup_type"] != 1) & (stop_times["time_s"] >= 0)]
    st = st.merge(
        trips[["trip_id", "service_id", "group", "route_id", "direction_id"]],
        on="trip_id",
        how="inner",
    )
    today = active_services(calendar, dates, day)
    before = active_services(calendar, dates, day - timedelta(days=1))
    time = st["time_s"].to_numpy(np.int64)
    same_day = st["service_id"].isin(today).to_numpy() & (time < DAY_S)
    next_day = st["service_id"].isin(before).to_numpy() & (time >= DAY_S) & (time < 2 * DAY_S)
    columns = ["stop_id", "group", "route_id", "direction_id", "next_station"]
    events = pd.concat(
        [
            st.loc[same_day, columns].assign(t=time[same_day]),
            st.loc[next_day, columns].assign(t=time[next_day] - DAY_S),
        ],
        ignore_index=True,
    )
    return events


def departures_per_direction(departures: pd.DataFrame) -> pd.Series:
    """Departures per direction of each station: every route's, halved where it runs both ways.

    ARE divides a stop's departures by two for the two directions. That halves a one-way
    loop stop, or a terminus whose arrivals are no departures, though it is served as often
    as a through stop with the same departures each way. So the rule is applied per route:
    a route serves a station in both directions if its departures there carry both
    ``direction_id`` values (0 and 1; used where every departure of the route there has
    one, as the values only mean something within a route), otherwise if they head for at
    least two different next stations. Its departures are then halved; a route that leaves
    the station one way only counts in full. The routes' counts add up, so a terminus of
    several lines counts every line's departures.

    Parameters
    ----------
    departures
        ``station``, ``route_id``, ``direction_id`` (-1 if not given) and ``next_station``
        of every departure counted.

    Returns
    -------
    pandas.Series
        Departures per direction, indexed by station (stations without departures left out).
    """
    if departures.empty:
        return pd.Series(dtype=np.float64)
    per_route = departures.groupby(["station", "route_id"], sort=False)
    count = per_route.size()
    by_direction_id = per_route["direction_id"].nunique() >= 2
    has_direction_id = per_route["direction_id"].min() >= 0
    by_next_station = per_route["next_station"].nunique() >= 2
    both = by_direction_id.where(has_direction_id, by_next_station)
    halved = count / np.where(both.to_numpy(dtype=bool), 2.0, 1.0)
    return halved.groupby(level="station").sum()


#: ``next_station`` of an earlier import's calls: unknown, but not a last call.
LEGACY_NEXT = "?"
#: What the data page says about an import without trip patterns.
LEGACY_NOTE = (
    "imported by an older version: every call counts as a departure and is halved for two "
    "directions; run `kek-geo import-gtfs` again to leave out last calls, count one-way "
    "stops in full and read frequencies.txt"
)


def is_legacy(tables: dict[str, pd.DataFrame]) -> bool:
    """Whether the tables come from an import without trip patterns (before format 2).

    Parameters
    ----------
    tables
        Stored tables.

    Returns
    -------
    bool
        True if ``stop_times`` has no ``next_station``.
    """
    return "next_station" not in tables["stop_times"].columns


def station_departures(tables: dict[str, pd.DataFrame], day: date) -> pd.DataFrame:
    """Departures, mean interval, mode group and stop category of every station on a day.

    Parameters
    ----------
    tables
        ``stops`` (with ``x``, ``y`` in EPSG:25832), ``routes``, ``trips`` (with
        ``direction_id`` and ``start_s``), ``stop_times`` (``time_s``: departure, else
        arrival, in seconds; ``pickup_type``; ``next_station``, empty at a trip's last
        call), ``calendar``, ``calendar_dates``, ``frequencies`` as stored by
        :func:`import_gtfs`. Tables of an earlier import without the trip patterns are
        counted the old way (every call, halved everywhere; see :func:`is_legacy`).
    day
        The service day.

    Returns
    -------
    pandas.DataFrame
        Per station: ``station_id``, ``name``, ``x``, ``y``, ``departures_day`` (scheduled
        departures on the calendar day), ``departures_window`` (06:00–20:00), ``group``
        (0 = A, 1 = B, 2 = C, -1 none), ``departures_direction`` (per direction in the
        window, :func:`departures_per_direction`), ``interval_min``, ``category`` (1 = I …
        7 = VII, 0 none) and ``on_demand`` (on-demand calls seen, not counted).
    """
    stops = tables["stops"]
    trips = tables["trips"].merge(tables["routes"][["route_id", "route_type"]], "left", "route_id")
    trips = trips.assign(group=route_group(trips["route_type"].to_numpy(np.float64)))
    stop_times = tables["stop_times"]
    legacy = is_legacy(tables)
    if legacy:  # no trip patterns: every call a departure, every route both ways
        stop_times = stop_times.assign(next_station=LEGACY_NEXT)
        trips = trips.assign(direction_id=-1)
    calls = expand_frequencies(stop_times, trips, tables["frequencies"])
    events = _day_events(calls, trips, tables["calendar"], tables["calendar_dates"], day)
    stations = station_of(stops)
    events["station"] = events["stop_id"].map(stations)
    events = events.dropna(subset=["station"])
    departs = events[events["next_station"] != ""]  # a trip's last call is an arrival
    scheduled = departs[departs["group"].between(0, len(MODE_GROUPS) - 1)]
    window = scheduled[(scheduled["t"] >= WINDOW_S[0]) & (scheduled["t"] < WINDOW_S[1])]
    if legacy:
        per_direction = window.groupby("station").size() / 2.0
    else:
        per_direction = departures_per_direction(window)
    table = stops.set_index("stop_id").loc[pd.unique(stations.to_numpy()), ["stop_name", "x", "y"]]
    out = pd.DataFrame(
        {
            "station_id": table.index.astype(str),
            "name": table["stop_name"].to_numpy(),
            "x": table["x"].to_numpy(np.float64),
            "y": table["y"].to_numpy(np.float64),
        }
    )
    ids = out["station_id"]
    out["departures_day"] = ids.map(scheduled.groupby("station").size()).fillna(0).astype(int)
    out["departures_window"] = ids.map(window.groupby("station").size()).fillna(0).astype(int)
    out["group"] = ids.map(window.groupby("station")["group"].min()).fillna(-1).astype(int)
    on_demand = events.loc[events["group"] == ON_DEMAND, "station"]
    out["on_demand"] = ids.isin(set(on_demand))
    out["departures_direction"] = ids.map(per_direction).fillna(0.0).astype(np.float64)
    deps = out["departures_direction"].to_numpy(np.float64)
    with np.errstate(divide="ignore"):
        out["interval_min"] = np.where(deps > 0, WINDOW_MIN / deps, np.inf)
    out["category"] = station_category(
        out["group"].to_numpy(np.int64), out["interval_min"].to_numpy(np.float64)
    )
    return out.sort_values("station_id", ignore_index=True)


@dataclass(frozen=True)
class GtfsFeed:
    """An imported feed: its stations with departures and stop category, and its record.

    Attributes
    ----------
    stations
        From :func:`station_departures`.
    meta
        ``meta.json``: source file, feed dates, service day, counts.
    """

    stations: pd.DataFrame
    meta: dict[str, Any]

    @property
    def service_date(self) -> str:
        """The evaluated service day, ``YYYY-MM-DD``."""
        return str(self.meta.get("service_date", ""))

    def categorised(self) -> tuple[FloatArray, IntArray]:
        """Coordinates and stop category of the stations that have one.

        Returns
        -------
        tuple
            ``(m, 2)`` coordinates in EPSG:25832 and categories 1 … 7.
        """
        cat = self.stations[self.stations["category"] > 0]
        xy = cat[["x", "y"]].to_numpy(np.float64)
        return xy, cat["category"].to_numpy(np.int64)

    def frequent_xy(self, min_departures: float) -> FloatArray:
        """Stations with at least ``min_departures`` scheduled departures on the service day.

        Parameters
        ----------
        min_departures
            Minimum departures per day (Deutschlandatlas: 20).

        Returns
        -------
        numpy.ndarray
            ``(m, 2)`` coordinates in EPSG:25832.
        """
        frequent = self.stations[self.stations["departures_day"] >= min_departures]
        xy: FloatArray = frequent[["x", "y"]].to_numpy(np.float64)
        return xy


def load_feed(imports_dir: Path) -> GtfsFeed | None:
    """The imported GTFS feed with departures counted, or ``None`` if none has been imported.

    Parameters
    ----------
    imports_dir
        The imports folder.

    Returns
    -------
    GtfsFeed or None
        The feed.
    """
    folder = imports_dir / GTFS_DIR
    if not folder.is_dir():
        return None
    meta_path = folder / META_FILE
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataSourceError(meta_path, f"not a readable JSON file ({exc})") from exc
    tables = {}
    for name in TABLES:
        path = folder / f"{name}.parquet"
        if name in LATER_TABLES and not path.exists():
            tables[name] = _EMPTY[name]()
            continue
        try:
            tables[name] = pq.read_table(path).to_pandas()
        except (OSError, ValueError, pa.ArrowException) as exc:
            raise DataSourceError(path, f"not readable: import the feed again ({exc})") from exc
    if is_legacy(tables):
        meta.setdefault("note", LEGACY_NOTE)
    try:
        day = date.fromisoformat(str(meta["service_date"]))
    except (KeyError, ValueError) as exc:
        raise DataSourceError(meta_path, "has no valid service_date") from exc
    return GtfsFeed(station_departures(tables, day), meta)


def _empty_frequencies() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "trip_id": pd.Series(dtype=str),
            **{c: pd.Series(dtype=np.int32) for c in ("start_s", "end_s", "headway_s")},
        }
    )


#: Stand-ins for tables that an import of an earlier version lacks.
_EMPTY = {"frequencies": _empty_frequencies}


# ---------------------------------------------------------------- reading the zip


class _GtfsZip:
    """The members of a GTFS zip, read as text tables with clear errors."""

    def __init__(self, path: Path, archive: zipfile.ZipFile) -> None:
        self.path = path
        self.archive = archive
        members: dict[str, str] = {}
        for name in sorted(archive.namelist(), key=lambda n: (n.count("/"), n)):
            members.setdefault(name.rsplit("/", 1)[-1], name)
        self.members = members

    def has(self, name: str) -> bool:
        return name in self.members

    def _open(self, name: str) -> IO[bytes]:
        return self.archive.open(self.members[name])

    def header(self, name: str) -> list[str]:
        try:
            with self._open(name) as fh:
                names = pacsv.open_csv(fh).schema.names
        except (pa.ArrowException, OSError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
            raise DataSourceError(self.path, f"{name}: not a readable CSV file ({exc})") from exc
        return list(names)

    def check_columns(self, name: str) -> dict[str, str]:
        """Map of wanted column → raw header name; raises on missing required columns."""
        raw = {c.strip(): c for c in self.header(name)}
        missing = [c for c in REQUIRED[name] if c not in raw]
        if missing:
            cols = ", ".join(map(repr, missing))
            raise DataSourceError(self.path, f"{name}: missing column(s) {cols}")
        wanted = (*REQUIRED[name], *OPTIONAL.get(name, ()))
        return {c: raw[c] for c in wanted if c in raw}

    def batches(self, name: str, only: tuple[str, ...] | None = None) -> Iterable[pa.Table]:
        columns = self.check_columns(name)
        if only is not None:
            columns = {c: raw for c, raw in columns.items() if c in only}
        options = pacsv.ConvertOptions(
            column_types=dict.fromkeys(columns.values(), pa.string()),
            include_columns=list(columns.values()),
        )
        try:
            with self._open(name) as fh:
                for batch in pacsv.open_csv(
                    fh, read_options=pacsv.ReadOptions(block_size=1 << 24), convert_options=options
                ):
                    table = pa.Table.from_batches([batch])
                    yield table.rename_columns(list(columns))
        except (pa.ArrowException, OSError, zipfile.BadZipFile) as exc:
            raise DataSourceError(self.path, f"{name}: not a readable CSV file ({exc})") from exc

    def read(self, name: str) -> pd.DataFrame:
        columns = self.check_columns(name)
        parts = [t.to_pandas() for t in self.batches(name)]
        if not parts:
            return pd.DataFrame({c: pd.Series(dtype=str) for c in columns})
        frame = pd.concat(parts, ignore_index=True)
        return frame.apply(lambda s: s.str.strip())


def _numbers(frame: pd.DataFrame, column: str, name: str, path: Path) -> pd.Series:
    values = pd.to_numeric(frame[column].replace("", np.nan), errors="coerce")
    bad = values.isna() & (frame[column] != "")
    if bad.any():
        example = frame.loc[bad, column].iloc[0]
        raise DataSourceError(path, f"{name}: column {column!r} has a non-number ({example!r})")
    return values


def _dates(values: pd.Series, column: str, name: str, path: Path) -> pd.Series:
    parsed = pd.to_datetime(values, format="%Y%m%d", errors="coerce")
    bad = parsed.isna()
    if bad.any():
        example = values[bad].iloc[0]
        raise DataSourceError(path, f"{name}: column {column!r} has an invalid date ({example!r})")
    return parsed


def parse_times(
    values: pd.Series, column: str, path: Path, name: str = "stop_times.txt"
) -> npt.NDArray[np.int32]:
    """GTFS times ``H:MM:SS`` (may exceed 24:00) → seconds; empty → -1.

    Parameters
    ----------
    values
        Time strings.
    column
        Column name, for the error message.
    path
        The zip, for the error message.
    name
        The table, for the error message.

    Returns
    -------
    numpy.ndarray
        Seconds after midnight of the service day.
    """
    text = values.fillna("").astype(str).str.strip()
    parts = text.str.extract(r"^(\d{1,3}):([0-5]\d):([0-5]\d)$")
    bad = parts[0].isna() & (text != "")
    if bad.any():
        example = text[bad].iloc[0]
        raise DataSourceError(
            path, f"{name}: invalid time {example!r} in column {column!r} (H:MM:SS)"
        )
    nums = parts.astype("float64").fillna(-1.0).to_numpy()
    secs = nums[:, 0] * 3600 + nums[:, 1] * 60 + nums[:, 2]
    return np.where(parts[0].isna().to_numpy(), -1, secs).astype(np.int32)


def _read_stops(gz: _GtfsZip) -> pd.DataFrame:
    stops = gz.read("stops.txt").drop_duplicates("stop_id")
    for col in ("stop_name", "parent_station", "location_type"):
        if col not in stops:
            stops[col] = ""
    stops["location_type"] = _numbers(stops, "location_type", "stops.txt", gz.path).fillna(0)
    stops["location_type"] = stops["location_type"].astype(np.int64)
    stops["stop_lat"] = _numbers(stops, "stop_lat", "stops.txt", gz.path)
    stops["stop_lon"] = _numbers(stops, "stop_lon", "stops.txt", gz.path)
    located = stops["location_type"].isin([0, 1])
    unplaced = located & (stops["stop_lat"].isna() | stops["stop_lon"].isna())
    if unplaced.any():
        example = stops.loc[unplaced, "stop_id"].iloc[0]
        raise DataSourceError(gz.path, f"stops.txt: stop {example!r} has no coordinates")
    stops = stops[located].copy()
    to_utm = Transformer.from_crs("EPSG:4326", ANALYSIS_CRS, always_xy=True)
    x, y = to_utm.transform(stops["stop_lon"].to_numpy(), stops["stop_lat"].to_numpy())
    stops["x"], stops["y"] = np.asarray(x, np.float64), np.asarray(y, np.float64)
    return stops[["stop_id", "stop_name", "location_type", "parent_station", *_COORDS]]


def clip_stops(stops: pd.DataFrame, area: shapely.Geometry) -> pd.DataFrame:
    """Stops inside an area, plus the parent stations of those stops.

    Parameters
    ----------
    stops
        Stops with ``x``, ``y`` in EPSG:25832.
    area
        Polygon in EPSG:25832 (district plus margin).

    Returns
    -------
    pandas.DataFrame
        The kept stops.
    """
    inside = shapely.contains_xy(area, stops["x"].to_numpy(), stops["y"].to_numpy())
    parents = set(stops.loc[inside, "parent_station"]) - {""}
    return stops[inside | stops["stop_id"].isin(parents)].reset_index(drop=True)


def _read_stop_times(
    gz: _GtfsZip, stop_ids: set[str], station: pd.Series
) -> tuple[pd.DataFrame, pd.Series]:
    """Calls at the kept stops, each with the station its trip calls at next.

    Two passes over ``stop_times.txt``: the first finds the trips that call at a kept stop,
    the second reads those trips whole (also their calls outside the district), so that
    every kept call knows the trip's next stop and every trip its first time.

    Parameters
    ----------
    gz
        The zip.
    stop_ids
        Stops kept for the district.
    station
        Station id per stop id of the whole feed (see :func:`station_of`).

    Returns
    -------
    tuple
        Calls ``(trip_id, stop_id, time_s, pickup_type, next_station)`` at the kept stops,
        ``next_station`` empty at a trip's last call; and the time of each trip's first call
        (seconds, -1 if not given), indexed by trip id.
    """
    keep = pa.array(sorted(stop_ids), type=pa.string())
    district_trips: set[str] = set()
    for table in gz.batches("stop_times.txt", only=("trip_id", "stop_id")):
        stop = pc.utf8_trim_whitespace(table["stop_id"])
        hits = table.filter(pc.is_in(stop, value_set=keep))["trip_id"]
        district_trips.update(pc.utf8_trim_whitespace(hits).to_pylist())
    wanted = pa.array(sorted(district_trips), type=pa.string())
    parts = []
    for table in gz.batches("stop_times.txt"):
        trip = pc.utf8_trim_whitespace(table["trip_id"])
        parts.append(table.filter(pc.is_in(trip, value_set=wanted)).to_pandas())
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    cols = ("trip_id", "stop_id", "stop_sequence", "departure_time", "arrival_time", "pickup_type")
    for col in cols:
        frame[col] = frame[col].str.strip() if col in frame else ""
    sequence = _numbers(frame, "stop_sequence", "stop_times.txt", gz.path)
    if sequence.isna().any():
        raise DataSourceError(gz.path, "stop_times.txt: a call has no stop_sequence")
    dep = parse_times(frame["departure_time"], "departure_time", gz.path)
    arr = parse_times(frame["arrival_time"], "arrival_time", gz.path)
    pickup = _numbers(frame, "pickup_type", "stop_times.txt", gz.path).fillna(0)
    calls = pd.DataFrame(
        {
            "trip_id": frame["trip_id"].astype(str),
            "stop_id": frame["stop_id"].astype(str),
            "seq": sequence.to_numpy(np.float64),
            "time_s": np.where(dep >= 0, dep, arr).astype(np.int32),
            "pickup_type": pickup.astype(np.int8),
        }
    ).sort_values(["trip_id", "seq"], kind="stable", ignore_index=True)
    trip_ids = calls["trip_id"].to_numpy()
    stations = calls["stop_id"].map(station).fillna(calls["stop_id"]).to_numpy()
    same_trip = np.zeros(len(calls), dtype=bool)
    same_trip[:-1] = trip_ids[1:] == trip_ids[:-1]
    next_station = np.full(len(calls), "", dtype=object)
    next_station[:-1] = stations[1:]
    calls["next_station"] = np.where(same_trip, next_station, "").astype(str)
    first = calls.groupby("trip_id", sort=False)["time_s"].first()
    kept = calls[calls["stop_id"].isin(stop_ids)].drop(columns="seq").reset_index(drop=True)
    return kept, first.astype(np.int32)


def _read_frequencies(gz: _GtfsZip, trip_ids: set[str]) -> pd.DataFrame:
    """Headway periods of the kept trips from ``frequencies.txt`` (empty table without it).

    ``exact_times`` is not read: both kinds of trip are expanded the same way (see
    :func:`expand_frequencies`).
    """
    empty = _empty_frequencies()
    if not gz.has("frequencies.txt"):
        return empty
    raw = gz.read("frequencies.txt")
    raw = raw[raw["trip_id"].isin(trip_ids)].reset_index(drop=True)
    if raw.empty:
        return empty
    name = "frequencies.txt"
    start = parse_times(raw["start_time"], "start_time", gz.path, name)
    end = parse_times(raw["end_time"], "end_time", gz.path, name)
    if (start < 0).any() or (end < 0).any():
        raise DataSourceError(gz.path, f"{name}: start_time and end_time must be given")
    headway = _numbers(raw, "headway_secs", name, gz.path)
    if headway.isna().any() or (headway <= 0).any():
        example = raw.loc[headway.isna() | (headway <= 0), "headway_secs"].iloc[0]
        msg = f"{name}: headway_secs must be a positive number of seconds ({example!r})"
        raise DataSourceError(gz.path, msg)
    return pd.DataFrame(
        {
            "trip_id": raw["trip_id"].astype(str),
            "start_s": start,
            "end_s": end,
            "headway_s": headway.round().astype(np.int32),
        }
    )


def _read_calendars(gz: _GtfsZip) -> tuple[pd.DataFrame, pd.DataFrame]:
    path = gz.path
    calendar = pd.DataFrame(
        {
            "service_id": pd.Series(dtype=str),
            **{d: pd.Series(dtype=np.int8) for d in WEEKDAYS},
            "start_date": pd.Series(dtype="datetime64[ns]"),
            "end_date": pd.Series(dtype="datetime64[ns]"),
        }
    )
    dates = pd.DataFrame(
        {
            "service_id": pd.Series(dtype=str),
            "date": pd.Series(dtype="datetime64[ns]"),
            "exception_type": pd.Series(dtype=np.int8),
        }
    )
    if gz.has("calendar.txt"):
        raw = gz.read("calendar.txt")
        calendar = pd.DataFrame({"service_id": raw["service_id"]})
        for day in WEEKDAYS:
            flags = _numbers(raw, day, "calendar.txt", path)
            if not flags.isin([0, 1]).all():
                raise DataSourceError(path, f"calendar.txt: column {day!r} must be 0 or 1")
            calendar[day] = flags.astype(np.int8)
        calendar["start_date"] = _dates(raw["start_date"], "start_date", "calendar.txt", path)
        calendar["end_date"] = _dates(raw["end_date"], "end_date", "calendar.txt", path)
    if gz.has("calendar_dates.txt"):
        raw = gz.read("calendar_dates.txt")
        kind = _numbers(raw, "exception_type", "calendar_dates.txt", gz.path)
        if not kind.isin([1, 2]).all():
            raise DataSourceError(path, "calendar_dates.txt: exception_type must be 1 or 2")
        dates = pd.DataFrame(
            {
                "service_id": raw["service_id"],
                "date": _dates(raw["date"], "date", "calendar_dates.txt", path),
                "exception_type": kind.astype(np.int8),
            }
        )
    return calendar, dates


def _feed_period(gz: _GtfsZip, calendar: pd.DataFrame, dates: pd.DataFrame) -> Period:
    """First and last day of the feed (feed_info.txt, else the calendars) and its publisher."""
    info = gz.read("feed_info.txt").head(1) if gz.has("feed_info.txt") else pd.DataFrame()
    first = info.iloc[0] if len(info) else pd.Series(dtype=str)
    starts = pd.concat([calendar["start_date"], dates["date"]])
    ends = pd.concat([calendar["end_date"], dates["date"]])
    if starts.empty:
        raise DataSourceError(gz.path, "calendar.txt and calendar_dates.txt hold no service day")
    period = {"feed_start_date": starts.min().date(), "feed_end_date": ends.max().date()}
    for column in period:
        if str(first.get(column, "")).strip():
            value = _dates(info[column], column, "feed_info.txt", gz.path).iloc[0]
            period[column] = value.date()
    publisher = str(first.get("feed_publisher_name", ""))
    return period["feed_start_date"], period["feed_end_date"], publisher


# ---------------------------------------------------------------- import


def _service_date(
    path: Path, tables: dict[str, pd.DataFrame], start: date, given: str | None
) -> tuple[date, str]:
    trips, calendar, dates = tables["trips"], tables["calendar"], tables["calendar_dates"]
    if given:
        try:
            day = datetime.strptime(given, "%Y-%m-%d").date()
        except ValueError as exc:
            msg = f"--date {given!r} is not a date (YYYY-MM-DD)"
            raise DataSourceError(path, msg) from exc
        if trips_on(trips, calendar, dates, day) == 0:
            msg = f"no trip in the district runs on {day.isoformat()}: choose another --date"
            raise DataSourceError(path, msg)
        return day, "given"
    chosen = choose_service_date(trips, calendar, dates, start)
    if chosen is None:
        msg = (
            f"no trip in the district runs on a weekday in the first {FIRST_DAYS} days "
            f"from {start.isoformat()}: choose a day with --date YYYY-MM-DD"
        )
        raise DataSourceError(path, msg)
    return chosen, "automatic"


def _read_trips(gz: _GtfsZip, trip_ids: set[str], trip_start: pd.Series) -> pd.DataFrame:
    """The kept trips with ``direction_id`` (-1 if not given) and the time of their first call."""
    raw = gz.read("trips.txt")
    trips = raw[raw["trip_id"].isin(trip_ids)].reset_index(drop=True)
    direction = trips["direction_id"] if "direction_id" in trips else pd.Series("", trips.index)
    values = _numbers(
        pd.DataFrame({"direction_id": direction}), "direction_id", "trips.txt", gz.path
    )
    if not values.dropna().isin([0, 1]).all():
        raise DataSourceError(gz.path, "trips.txt: direction_id must be 0, 1 or empty")
    out = trips[list(REQUIRED["trips.txt"])].copy()
    out["direction_id"] = values.fillna(-1).astype(np.int8).to_numpy()
    out["start_s"] = out["trip_id"].map(trip_start).fillna(-1).astype(np.int32).to_numpy()
    return out


def read_district_feed(
    path: Path, area: shapely.Geometry
) -> tuple[dict[str, pd.DataFrame], Period]:
    """Read and check a GTFS zip, keeping what serves stops inside ``area``.

    Parameters
    ----------
    path
        The GTFS zip.
    area
        Polygon in EPSG:25832.

    Returns
    -------
    tuple
        The tables (``stops``, ``routes``, ``trips``, ``stop_times``, ``calendar``,
        ``calendar_dates``, ``frequencies``) and the feed period ``(start, end, publisher)``.
    """
    check_feed(path)
    with zipfile.ZipFile(path) as archive:
        gz = _GtfsZip(path, archive)
        all_stops = _read_stops(gz)
        stops = clip_stops(all_stops, area)
        if stops.empty:
            raise DataSourceError(path, "no stop of the feed lies in the district or within 2 km")
        stop_times, trip_start = _read_stop_times(gz, set(stops["stop_id"]), station_of(all_stops))
        trips = _read_trips(gz, set(stop_times["trip_id"]), trip_start)
        frequencies = _read_frequencies(gz, set(trips["trip_id"]))
        routes = gz.read("routes.txt")
        routes["route_type"] = _numbers(routes, "route_type", "routes.txt", path)
        if routes["route_type"].isna().any():
            raise DataSourceError(path, "routes.txt: a route has no route_type")
        routes = routes[routes["route_id"].isin(set(trips["route_id"]))]
        calendar, dates = _read_calendars(gz)
        period = _feed_period(gz, calendar, dates)
    services = set(trips["service_id"])
    tables = {
        "stops": stops,
        "routes": routes[["route_id", "route_type"]].astype({"route_type": np.int64}),
        "trips": trips.reset_index(drop=True),
        "stop_times": stop_times[stop_times["trip_id"].isin(set(trips["trip_id"]))],
        "calendar": calendar[calendar["service_id"].isin(services)],
        "calendar_dates": dates[dates["service_id"].isin(services)],
        "frequencies": frequencies,
    }
    return {k: v.reset_index(drop=True) for k, v in tables.items()}, period


def check_feed(path: Path) -> None:
    """Check that a file is a GTFS zip with the needed tables and columns (headers only).

    Parameters
    ----------
    path
        The GTFS zip.
    """
    if not path.is_file():
        raise DataSourceError(path, "file not found")
    if not zipfile.is_zipfile(path):
        raise DataSourceError(path, "not a zip file (a GTFS feed is a zip of .txt tables)")
    with zipfile.ZipFile(path) as archive:
        _check_members(_GtfsZip(path, archive))


def _check_members(gz: _GtfsZip) -> None:
    for name in CORE_FILES:
        if not gz.has(name):
            raise DataSourceError(gz.path, f"{name} missing in the GTFS zip")
    if not gz.has("calendar.txt") and not gz.has("calendar_dates.txt"):
        raise DataSourceError(
            gz.path, "calendar.txt and calendar_dates.txt missing in the GTFS zip (one is needed)"
        )
    for name in REQUIRED:
        if gz.has(name):
            gz.check_columns(name)


def import_gtfs(
    path: Path,
    imports_dir: Path,
    geodata_dir: Path,
    *,
    date: str | None = None,
    licence: str | None = None,
    attribution: str | None = None,
) -> str:
    """Import a GTFS zip for the district: check, clip, choose the service day, store.

    Parameters
    ----------
    path
        The GTFS zip, e.g. the DELFI Germany feed.
    imports_dir
        The imports folder.
    geodata_dir
        Snapshot folder (for the district boundary).
    date
        Service day ``YYYY-MM-DD``; default: the weekday with the most trips in the district
        among the first 14 days of the feed.
    licence, attribution
        Licence and required credit of the feed (shown in the app); default: the publisher
        from ``feed_info.txt`` and a reminder to check the feed's terms.

    Returns
    -------
    str
        One-line summary.
    """
    check_feed(path)  # before anything else: a wrong file fails fast
    area = read_layer("kreis", geodata_dir).geometry.buffer(FEED_MARGIN_M).union_all()
    tables, (start, end, publisher) = read_district_feed(path, area)
    day, how = _service_date(path, tables, start, date)
    stations = station_departures(tables, day)
    counts = {name: len(frame) for name, frame in tables.items()}
    counts["stations"] = len(stations)
    counts["stations_with_category"] = int((stations["category"] > 0).sum())
    meta = {
        "source_file": path.name,
        "publisher": publisher,
        "feed_start": start.isoformat(),
        "feed_end": end.isoformat(),
        "service_date": day.isoformat(),
        "service_date_choice": how,
        "licence": licence or "unbekannt – Nutzungsbedingungen des Feeds prüfen",
        "attribution": attribution or f"Fahrplandaten: {publisher or path.name} (GTFS)",
        "format": FORMAT,
        "window": "06:00-20:00",
        "margin_m": FEED_MARGIN_M,
        "counts": counts,
    }
    final = imports_dir / GTFS_DIR
    with replacing_folder(final) as tmp:
        for name, frame in tables.items():
            frame.to_parquet(tmp / f"{name}.parquet", index=False)
        (tmp / META_FILE).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    weekday = WEEKDAYS[day.weekday()].capitalize()
    return (
        f"GTFS feed {path.name}: {counts['stops']:,} stops at {counts['stations']:,} stations "
        f"in the district + 2 km, {counts['routes']:,} routes, {counts['trips']:,} trips, "
        f"{counts['stop_times']:,} stop times; service day {day.isoformat()} ({weekday}, {how}); "
        f"{counts['stations_with_category']:,} stations with a stop category → {final}"
    )
