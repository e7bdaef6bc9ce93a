"""A loopback HTTP server for the fetch tests: official downloads and an Overpass API.

Each route answers from a list of responses (the last one repeats), so a test can script
"429, 429, then the file" or "always 504". Every request is counted per path. The Overpass
route answers OSM XML by what the query asks for, from a handful of hand-made features in
Herford.
"""

from __future__ import annotations

import io
import threading
import urllib.parse
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from tests.helpers import ROOT


@dataclass
class Reply:
    """One scripted answer."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    length: int | None = None  # a Content-Length larger than the body: a cut transfer


Handler = Callable[[str], Reply]


@dataclass
class FakeInternet:
    """The server's routes and what it saw."""

    url: str
    routes: dict[str, list[Reply] | Handler] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    queries: list[str] = field(default_factory=list)

    def answer(self, path: str, body: str) -> Reply:
        self.hits[path] += 1
        route = self.routes.get(path)
        if route is None:
            return Reply(404, b"not found")
        if callable(route):
            return route(body)
        index = min(self.hits[path], len(route)) - 1
        return route[index]


def _handler(internet: FakeInternet) -> type[BaseHTTPRequestHandler]:
    class Handle(BaseHTTPRequestHandler):
        def _reply(self, body: str) -> None:
            path = urllib.parse.urlsplit(self.path).path
            reply = internet.answer(path, body)
            self.send_response(reply.status)
            for key, value in reply.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(reply.length or len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
            if reply.length:  # announced more than sent: close the connection early
                self.close_connection = True

        def do_GET(self) -> None:
            self._reply("")

        def do_POST(self) -> None:
            size = int(self.headers.get("Content-Length") or 0)
            form = urllib.parse.parse_qs(self.rfile.read(size).decode("utf-8"))
            query = form.get("data", [""])[0]
            internet.queries.append(query)
            self._reply(query)

        def log_message(self, *args: object) -> None:
            pass

    return Handle


@contextmanager
def running_server() -> Iterator[FakeInternet]:
    """A loopback server while the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(FakeInternet("")))
    fake = FakeInternet(f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(fake)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def internet() -> Iterator[FakeInternet]:
    """A fresh loopback server for one test."""
    with running_server() as fake:
        yield fake


# ---------------------------------------------------------------- official files


def herford_vg250() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Kreis Herford, its municipalities and their neighbours in VG250's columns (UTM 32N).

    Made from the shipped snapshot, so the tests need no raw data beside the checkout.
    """
    snapshot = ROOT / "geodata"
    names = {"ags": "AGS", "name": "GEN", "kind": "BEZ"}
    kreis = gpd.read_parquet(snapshot / "kreis.parquet").assign(kind="Kreis")
    kreis["name"] = kreis["name"].str.removeprefix("Kreis ")  # VG250 writes "Herford"
    inside = gpd.read_parquet(snapshot / "gemeinden.parquet")
    around = gpd.read_parquet(snapshot / "neighbours_display.parquet").to_crs(inside.crs)
    return tuple(
        frame[["ags", "name", "kind", "geometry"]].rename(columns=names).assign(GF=4)
        for frame in (kreis, inside, around)
    )


def vg250_zip(folder: Path) -> bytes:
    """A VG250-shaped archive (shapes in UTM 32N) with Kreis Herford and its surroundings."""
    kreis, inside, around = herford_vg250()
    gem = gpd.GeoDataFrame(pd.concat([inside, around], ignore_index=True), crs=inside.crs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, frame in (("VG250_KRS", kreis), ("VG250_GEM", gem)):
            out = folder / name
            out.mkdir(parents=True, exist_ok=True)
            frame[["AGS", "GEN", "BEZ", "GF", "geometry"]].to_crs("EPSG:25832").to_file(
                out / f"{name}.shp", engine="pyogrio"
            )
            for part in out.iterdir():
                zf.write(part, f"vg250_12-31.utm32s.shape.ebenen/vg250_ebenen_1231/{part.name}")
    return buffer.getvalue()


#: Three 100 m cells in Herford (EPSG:3035) and two in Munich, which the clip must drop.
GRID_CSV = (
    "GITTER_ID_100m;x_mp_100m;y_mp_100m;Einwohner\r\n"
    "CRS3035RES100mN3229450E4226450;4226450;3229450;57\r\n"
    "CRS3035RES100mN3229550E4226450;4226450;3229550;–\r\n"
    "CRS3035RES100mN3225050E4233050;4233050;3225050;12\r\n"
    "CRS3035RES100mN2778050E4436050;4436050;2778050;99\r\n"
    "CRS3035RES100mN2778150E4436050;4436050;2778150;98\r\n"
)


def grid_zip() -> bytes:
    """A Zensus 2022 grid archive with the 100 m table (and a 1 km one the clip ignores)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("Zensus2022_Bevoelkerungszahl_100m-Gitter.csv", "\ufeff" + GRID_CSV)
        zf.writestr("Zensus2022_Bevoelkerungszahl_1km-Gitter.csv", "GITTER_ID_1km;x;y\r\n")
    return buffer.getvalue()


# ---------------------------------------------------------------- Overpass

#: Hand-made OSM in Herford: services, a stop, a residential area, a few streets.
_NODES = {
    1: (52.1152, 8.6706, {"shop": "supermarket", "name": "Markt am Markt"}),
    2: (52.1160, 8.6720, {"amenity": "pharmacy", "name": "Löwen-Apotheke"}),
    3: (52.1170, 8.6690, {"amenity": "doctors", "name": "Praxis Dr. Beispiel"}),
    4: (52.1180, 8.6650, {"highway": "bus_stop", "name": "Herford Rathaus"}),
    10: (52.1100, 8.6600, {}), 11: (52.1100, 8.6700, {}), 12: (52.1200, 8.6700, {}),
    13: (52.1200, 8.6600, {}), 20: (52.1140, 8.6650, {}), 21: (52.1150, 8.6700, {}),
    22: (52.1160, 8.6750, {}), 23: (52.1180, 8.6700, {}),
}  # fmt: skip
_WAYS = {
    100: ([10, 11, 12, 13, 10], {"landuse": "residential"}),
    200: ([20, 21, 22], {"highway": "residential", "name": "Höckerstraße"}),
    201: ([21, 23], {"highway": "footway"}),
    202: ([23, 12], {"highway": "motorway"}),  # never walkable: the filter drops it
}


def _xml(nodes: dict[int, tuple[float, float, dict[str, str]]],
         ways: dict[int, tuple[list[int], dict[str, str]]]) -> bytes:  # fmt: skip
    def tags(items: dict[str, str]) -> str:
        return "".join(f'<tag k="{k}" v="{v}"/>' for k, v in items.items())

    parts = ['<?xml version="1.0" encoding="UTF-8"?><osm version="0.6" generator="fake">',
             '<meta osm_base="2026-11-30T12:00:00Z"/>']  # fmt: skip
    for nid, (lat, lon, t) in nodes.items():
        parts.append(f'<node id="{nid}" lat="{lat}" lon="{lon}">{tags(t)}</node>')
    for wid, (refs, t) in ways.items():
        nds = "".join(f'<nd ref="{r}"/>' for r in refs)
        parts.append(f'<way id="{wid}">{nds}{tags(t)}</way>')
    parts.append("</osm>")
    return "".join(parts).encode("utf-8")


def overpass(query: str) -> Reply:
    """Answer an Overpass query with the features it asks for."""
    plain = {k: v for k, v in _NODES.items() if not v[2]}
    if "admin_level" in query:
        return Reply(body=_xml({}, {}))  # no Ortsteile mapped: an empty result
    if query.count("way[") and '"highway"' in query and "bus_stop" not in query:
        ways = {k: v for k, v in _WAYS.items() if "highway" in v[1]}
        return Reply(body=_xml(plain, ways))
    if "landuse" in query:
        return Reply(body=_xml(plain, {100: _WAYS[100]}))
    wanted = {k: v for k, v in _NODES.items() if v[2] and any(
        f'"{key}"' in query and value in query for key, value in v[2].items())}  # fmt: skip
    return Reply(body=_xml(wanted, {}))


def catalog_toml(base: str) -> str:
    """A download catalogue whose addresses point at the loopback server."""
    entries = [
        ("vg250", "vg250.zip", "vg250"),
        ("zensus2022-population", "Zensus2022_Bevoelkerungszahl.zip", "zensus-grid"),
        ("gtfs", "latest.zip", "file"),
        ("charging", "ladesaeulenregister.csv", "file"),
        ("broadband", "", "manual"),
    ]
    rows = []
    for key, name, kind in entries:
        folder = {"vg250": "bkg-vg250", "zensus-grid": "zensus2022-grid"}.get(
            key if key == "vg250" else kind, key
        )
        url = f"{base}/files/{name}" if name else ""
        rows.append(
            f'[[download]]\nkey = "{key}"\ntitle = "{key} title"\npublisher = "Testamt"\n'
            f'url = "{url}"\nlanding = "{base}/about/{key}"\nlicence = "dl-de/by-2-0"\n'
            f'attribution = "© Testamt {key}"\nfolder = "{folder}"\nkind = "{kind}"\n'
        )
    return "\n".join(rows)
