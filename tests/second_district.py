"""A small second district for the tests: Kreis Testland, fetched and built like any other.

Kreis Testland (key 05999) lies just west of Kreis Herford: two municipalities of 4 × 6 km,
the town Nordheim (05999004) and the municipality Südfeld (05999008), each with a village of
Zensus 2022 cells around its centre, a few OpenStreetMap services and stops. The loopback server
of :mod:`tests.fetch_server` serves VG250 (Herford and Testland), the Zensus 2022 population and
age grids and an Overpass API, so ``kek-geo fetch`` and ``kek-geo build-data`` run end to end.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from pyproj import Transformer

from tests.fetch_server import Reply, _xml, herford_vg250

AGS = "05999"
NORDHEIM, SUEDFELD = "05999004", "05999008"
#: The municipalities in EPSG:25832 and the centre of each one's village.
BOXES = {
    NORDHEIM: ("Nordheim", "Stadt", (443_000.0, 5_776_000.0, 447_000.0, 5_782_000.0)),
    SUEDFELD: ("Südfeld", "Gemeinde", (447_000.0, 5_776_000.0, 451_000.0, 5_782_000.0)),
}
CENTRES = {NORDHEIM: (445_000.0, 5_779_000.0), SUEDFELD: (449_000.0, 5_778_000.0)}
VILLAGE_M = 600.0

_TO_WGS = Transformer.from_crs("EPSG:25832", "EPSG:4326", always_xy=True)


def lat_lon(x: float, y: float) -> tuple[float, float]:
    """A point of EPSG:25832 as (lat, lon)."""
    lon, lat = _TO_WGS.transform(x, y)
    return lat, lon


def frames() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Kreis Testland and its municipalities in the VG250 columns (EPSG:25832)."""
    gem = gpd.GeoDataFrame(
        {
            "AGS": list(BOXES),
            "GEN": [v[0] for v in BOXES.values()],
            "BEZ": [v[1] for v in BOXES.values()],
            "GF": [4, 4],
        },
        geometry=[shapely.box(*v[2]) for v in BOXES.values()],
        crs="EPSG:25832",
    )
    kreis = gpd.GeoDataFrame(
        {"AGS": [AGS], "GEN": ["Testland"], "BEZ": ["Kreis"], "GF": [4]},
        geometry=[gem.union_all()],
        crs="EPSG:25832",
    )
    return kreis, gem


def vg250_zip(folder: Path) -> bytes:
    """A VG250-shaped archive with Kreis Herford, its surroundings and Kreis Testland."""
    herford, inside, _ = herford_vg250()
    kreis, gem = frames()
    columns = ["AGS", "GEN", "BEZ", "GF", "geometry"]
    tables = {
        "VG250_KRS": pd.concat([herford[columns], kreis[columns]], ignore_index=True),
        "VG250_GEM": pd.concat([inside[columns], gem[columns]], ignore_index=True),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, frame in tables.items():
            out = folder / name
            out.mkdir(parents=True, exist_ok=True)
            gpd.GeoDataFrame(frame, crs="EPSG:25832").to_file(out / f"{name}.shp", engine="pyogrio")
            for part in out.iterdir():
                zf.write(part, f"vg250/{part.name}")
    return buffer.getvalue()


def cells() -> pd.DataFrame:
    """The populated 100 m cells (EPSG:3035): residents fall off from each village centre."""
    to_3035 = Transformer.from_crs("EPSG:25832", "EPSG:3035", always_xy=True)
    rows = []
    for ags, (cx, cy) in CENTRES.items():
        x0, y0 = to_3035.transform(cx, cy)
        x0, y0 = round(x0, -2), round(y0, -2)
        for dx in range(-600, 700, 100):
            for dy in range(-600, 700, 100):
                distance = (dx * dx + dy * dy) ** 0.5
                if distance > VILLAGE_M:
                    continue
                people = int(60 - distance / 15) if ags == NORDHEIM else int(30 - distance / 30)
                x, y = int(x0 + dx + 50), int(y0 + dy + 50)
                rows.append((f"CRS3035RES100mN{y - 50}E{x - 50}", x, y, people))
    return pd.DataFrame(rows, columns=["id", "x", "y", "people"])


def grid_zips() -> dict[str, bytes]:
    """The Zensus 2022 population and age archives of Testland (decimal comma, as published)."""
    table = cells()
    population = "GITTER_ID_100m;x_mp_100m;y_mp_100m;Einwohner\r\n" + "".join(
        f"{r.id};{r.x};{r.y};{r.people}\r\n" for r in table.itertuples()
    )
    age_rows = []
    for r in table.itertuples():
        young, old = round(r.people * 0.2), round(r.people * 0.25)
        middle = r.people - young - old
        age_rows.append(f"{r.id};{r.x};{r.y};{r.people};{young};{middle};0;0;{old}\r\n")
    age = (
        "GITTER_ID_100m;x_mp_100m;y_mp_100m;Insgesamt_Bevoelkerung;Unter18;a18bis29;a30bis49;"
        "a50bis64;a65undaelter\r\n" + "".join(age_rows)
    )
    out = {}
    for name, text in (("Zensus2022_Bevoelkerungszahl", population),
                       ("Alter_in_5_Altersklassen", age)):  # fmt: skip
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zf:
            zf.writestr(f"{name}_100m-Gitter.csv", "\ufeff" + text)
        out[name] = buffer.getvalue()
    return out


def gtfs_zip() -> bytes:
    """A timetable for Testland: bus every 30 min Nordheim–Südfeld, a train every hour."""
    stops = [
        ("NM", "Nordheim Markt", *lat_lon(445_000, 5_779_200)),
        ("SK", "Südfeld Kirche", *lat_lon(449_000, 5_778_100)),
        ("NB", "Nordheim Bf", *lat_lon(444_600, 5_779_600)),
    ]
    trips, times = [], []
    for k in range(28):  # bus 06:00 … 19:30
        minute = 360 + 30 * k
        trips.append(f"B1,WK,b{k}")
        times += [f"b{k},{minute // 60:02d}:{minute % 60:02d}:00,"
                  f"{minute // 60:02d}:{minute % 60:02d}:00,NM,1",
                  f"b{k},{(minute + 9) // 60:02d}:{(minute + 9) % 60:02d}:00,"
                  f"{(minute + 9) // 60:02d}:{(minute + 9) % 60:02d}:00,SK,2"]  # fmt: skip
    for k in range(15):  # train 06:10 … 20:10
        clock = f"{6 + k:02d}:10:00"
        trips.append(f"R1,WK,r{k}")
        times.append(f"r{k},{clock},{clock},NB,1")
    files = {
        "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\n"
        "T,Testverkehr,https://example.org,Europe/Berlin\n",
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\n"
        + "".join(f"{i},{n},{la:.6f},{lo:.6f}\n" for i, n, la, lo in stops),
        "routes.txt": "route_id,route_short_name,route_type\nB1,Bus 1,3\nR1,RB 1,2\n",
        "trips.txt": "route_id,service_id,trip_id\n" + "\n".join(trips) + "\n",
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        + "\n".join(times)
        + "\n",
        "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
        "start_date,end_date\nWK,1,1,1,1,1,0,0,20260105,20261231\n",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return buffer.getvalue()


def _node(x: float, y: float, tags: dict[str, str]) -> tuple[float, float, dict[str, str]]:
    lat, lon = lat_lon(x, y)
    return lat, lon, tags


#: OpenStreetMap in Testland: services in Nordheim, a school and a stop in Südfeld.
NODES = {
    1: _node(445_050, 5_779_050, {"shop": "supermarket", "name": "Nordmarkt"}),
    2: _node(
        445_200,
        5_779_100,
        {"amenity": "doctors", "healthcare:speciality": "general", "name": "Hausarztpraxis Nord"},
    ),
    3: _node(444_900, 5_778_900, {"amenity": "pharmacy", "name": "Nord-Apotheke"}),
    4: _node(
        445_100,
        5_778_950,
        {"amenity": "doctors", "healthcare:speciality": "dermatology", "name": "Hautarzt"},
    ),
    5: _node(
        449_050, 5_778_050, {"amenity": "school", "isced:level": "1", "name": "Grundschule Südfeld"}
    ),
    6: _node(445_000, 5_779_200, {"highway": "bus_stop", "name": "Nordheim Markt"}),
    7: _node(449_000, 5_778_100, {"highway": "bus_stop", "name": "Südfeld Kirche"}),
    8: _node(444_600, 5_779_600, {"railway": "halt", "name": "Nordheim Bf"}),
    9: _node(445_300, 5_779_300, {"amenity": "kindergarten", "name": "Kita Sonnenschein"}),
}
_CORNERS = {
    20: _node(444_600, 5_778_600, {}), 21: _node(445_400, 5_778_600, {}),
    22: _node(445_400, 5_779_400, {}), 23: _node(444_600, 5_779_400, {}),
    30: _node(448_600, 5_777_600, {}), 31: _node(449_400, 5_777_600, {}),
    32: _node(449_400, 5_778_400, {}), 33: _node(448_600, 5_778_400, {}),
}  # fmt: skip
#: 800 × 800 m of housing around each village centre (64 ha each), and a street.
_WAYS = {100: ([20, 21, 22, 23, 20], {"landuse": "residential"}),
         101: ([30, 31, 32, 33, 30], {"landuse": "residential"}),
         200: ([20, 21, 22], {"highway": "residential", "name": "Dorfstraße"})}  # fmt: skip


def overpass(query: str) -> Reply:
    """Answer an Overpass query about Testland."""
    if "admin_level" in query:
        return Reply(body=_xml({}, {}))
    if query.count("way[") and '"highway"' in query and "bus_stop" not in query:
        return Reply(body=_xml(_CORNERS, {200: _WAYS[200]}))
    if "landuse" in query:
        return Reply(body=_xml(_CORNERS, {k: _WAYS[k] for k in (100, 101)}))
    wanted = {k: v for k, v in NODES.items() if any(
        f'"{key}"' in query and value in query for key, value in v[2].items())}  # fmt: skip
    return Reply(body=_xml(wanted, {}))


def catalog_toml(base: str) -> str:
    """A download catalogue of Testland's sources on the loopback server."""
    entries = [
        ("vg250", "vg250.zip", "vg250", "bkg-vg250"),
        ("zensus2022-population", "Zensus2022_Bevoelkerungszahl.zip", "zensus-grid",
         "zensus2022-grid"),
        ("zensus2022-age", "Alter_in_5_Altersklassen.zip", "zensus-grid", "zensus2022-grid"),
        ("gtfs", "latest.zip", "file", "gtfs"),
        ("broadband", "", "manual", "breitbandatlas"),
    ]  # fmt: skip
    return "\n".join(
        f'[[download]]\nkey = "{key}"\ntitle = "{key}"\npublisher = "Testamt"\n'
        f'url = "{base + "/files/" + name if name else ""}"\nlanding = "{base}/about"\n'
        f'licence = "dl-de/by-2-0"\nattribution = "© Testamt {key}"\nfolder = "{folder}"\n'
        f'kind = "{kind}"\n'
        for key, name, kind, folder in entries
    )
