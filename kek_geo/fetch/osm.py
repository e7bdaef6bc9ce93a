"""OpenStreetMap for a district: Overpass queries in tiles, read with osmnx, kept with provenance.

For each group of features (land use, services, stops, Ortsteil boundaries, the walking
network) one Overpass QL query per tile asks for OSM XML. The tiles cover the district's
bounding box in squares of ``tile_km`` (those that miss the district are skipped), so a large
district never asks Overpass for more than it can hold in memory. The answers go through
:class:`~kek_geo.fetch.http.Downloader` (retries, cache) and are read with osmnx
(``features_from_xml``); the walking network is merged into one ``walk.osm`` that
``kek-geo import-osm`` reads, with the same rule of what is walkable as every other path.
"""

from __future__ import annotations

import math
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from pyproj import Transformer

from kek_geo.analysis.network import overpass_filter
from kek_geo.fetch.http import Downloader, Fetched, overpass_check
from kek_geo.settings import ANALYSIS_CRS, DISPLAY_CRS

#: The public Overpass API (``KEK_OVERPASS_URL`` or ``--overpass`` point elsewhere).
OVERPASS_URL = "https://overpass-api.de/api"
#: Tile edge of the queries (km).
TILE_KM = 25.0
#: Margin around the district for features near its border (m).
MARGIN_M = 2000.0


@dataclass(frozen=True)
class Group:
    """A group of OSM features fetched together.

    Attributes
    ----------
    key
        File name of the group.
    tags
        Tag → values asked for (``True``: any value); also osmnx's filter on reading.
    extra
        Further Overpass statements (e.g. an ``admin_level``), used as given.
    keep
        Further tags kept as columns (e.g. a doctor's speciality).
    """

    key: str
    tags: dict[str, list[str] | bool]
    extra: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()


#: What ``kek-geo fetch`` asks OpenStreetMap for.
GROUPS: tuple[Group, ...] = (
    Group(
        "landuse",
        {"landuse": ["residential", "commercial", "industrial", "retail", "farmland", "forest"]},
    ),
    Group(
        "services",
        {
            "shop": ["supermarket", "convenience", "bakery", "butcher", "greengrocer"],
            "amenity": [
                "doctors",
                "pharmacy",
                "kindergarten",
                "school",
                "hospital",
                "nursing_home",
                "library",
                "charging_station",
            ],
            "healthcare": ["doctor"],
            "social_facility": ["nursing_home"],
        },
        keep=("healthcare:speciality", "isced:level", "school:de", "operator"),
    ),
    Group(
        "stops",
        {
            "highway": ["bus_stop"],
            "public_transport": ["platform", "stop_position"],
            "railway": ["station", "halt", "tram_stop"],
        },
    ),
    Group(
        "ortsteile",
        {"boundary": ["administrative"], "admin_level": ["10"]},
        extra=('relation["boundary"="administrative"]["admin_level"="10"];',),
    ),
)

#: Service categories by the first tag that matches (tag, value) → category.
CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("shop", "supermarket", "supermarket"),
    ("shop", "convenience", "food_shop"),
    ("shop", "bakery", "food_shop"),
    ("shop", "butcher", "food_shop"),
    ("shop", "greengrocer", "food_shop"),
    ("amenity", "doctors", "doctor"),
    ("healthcare", "doctor", "doctor"),
    ("amenity", "pharmacy", "pharmacy"),
    ("amenity", "kindergarten", "kindergarten"),
    ("amenity", "school", "school"),
    ("amenity", "hospital", "hospital"),
    ("amenity", "nursing_home", "care_home"),
    ("social_facility", "nursing_home", "care_home"),
    ("amenity", "library", "library"),
    ("amenity", "charging_station", "charging"),
)


def tiles(area: shapely.Geometry, tile_km: float = TILE_KM) -> list[tuple[float, ...]]:
    """Bounding boxes ``(south, west, north, east)`` in WGS 84 of the tiles over an area.

    Parameters
    ----------
    area
        The area in EPSG:25832.
    tile_km
        Edge of a tile in kilometres.

    Returns
    -------
    list of tuple
        One box per tile that touches the area, west to east, south to north.
    """
    minx, miny, maxx, maxy = area.bounds
    size = tile_km * 1000
    columns, rows = math.ceil((maxx - minx) / size), math.ceil((maxy - miny) / size)
    to_wgs = Transformer.from_crs(ANALYSIS_CRS, DISPLAY_CRS, always_xy=True)
    boxes: list[tuple[float, ...]] = []
    for row in range(rows):
        for col in range(columns):
            x0, y0 = minx + col * size, miny + row * size
            tile = shapely.box(x0, y0, min(x0 + size, maxx), min(y0 + size, maxy))
            if tile.intersection(area).area <= 0:  # missing or only touching the area
                continue
            xs, ys = to_wgs.transform([x0, tile.bounds[2], x0, tile.bounds[2]],
                                      [y0, y0, tile.bounds[3], tile.bounds[3]])  # fmt: skip
            boxes.append((min(ys), min(xs), max(ys), max(xs)))
    return boxes


def _filter(tag: str, values: list[str] | bool) -> str:
    if values is True:
        return f'["{tag}"]'
    joined = "|".join(sorted(values))  # type: ignore[arg-type]
    return f'["{tag}"~"^({joined})$"]'


def group_query(group: Group, box: Sequence[float]) -> str:
    """Overpass QL for one group in one tile, asking for OSM XML with every node it needs.

    Parameters
    ----------
    group
        The group.
    box
        ``(south, west, north, east)``.

    Returns
    -------
    str
        The query.
    """
    south, west, north, east = box
    head = f"[out:xml][timeout:300][bbox:{south:.6f},{west:.6f},{north:.6f},{east:.6f}];"
    if group.extra:
        parts = "".join(group.extra)
    else:
        parts = "".join(f"nwr{_filter(tag, values)};" for tag, values in group.tags.items())
    return f"{head}({parts});(._;>;);out body;"


def walk_query(box: Sequence[float]) -> str:
    """Overpass QL for the walkable ways of a tile (the import's own filter)."""
    south, west, north, east = box
    head = f"[out:xml][timeout:300][bbox:{south:.6f},{west:.6f},{north:.6f},{east:.6f}];"
    return f"{head}(way{overpass_filter()};);(._;>;);out body;"


def merge_xml(files: Iterable[Path], out: Path) -> str:
    """Merge OSM XML files into one (each node, way and relation once); return ``osm_base``.

    Parameters
    ----------
    files
        OSM XML files (e.g. one per tile).
    out
        The merged file.

    Returns
    -------
    str
        The data's timestamp from Overpass (``osm_base``), empty if none was given.
    """
    seen: dict[tuple[str, str], ET.Element] = {}
    base = ""
    for path in files:
        root = ET.parse(path).getroot()
        meta = root.find("meta")
        if meta is not None:
            base = max(base, meta.get("osm_base", ""))
        for element in root:
            if element.tag in {"node", "way", "relation"}:
                seen.setdefault((element.tag, element.get("id", "")), element)
    merged = ET.Element("osm", {"version": "0.6", "generator": "kek-geo fetch"})
    if base:
        ET.SubElement(merged, "meta", {"osm_base": base})
    order = {"node": 0, "way": 1, "relation": 2}
    for key in sorted(seen, key=lambda k: (order[k[0]], int(k[1]) if k[1].isdigit() else 0)):
        merged.append(seen[key])
    ET.ElementTree(merged).write(out, encoding="utf-8", xml_declaration=True)
    return base


def read_features(path: Path, group: Group, area_wgs: shapely.Geometry) -> gpd.GeoDataFrame:
    """Read a group's merged OSM XML with osmnx; an empty result gives an empty frame.

    Parameters
    ----------
    path
        Merged OSM XML.
    group
        The group (its tags filter the features).
    area_wgs
        The area in WGS 84 (features outside are dropped).

    Returns
    -------
    geopandas.GeoDataFrame
        ``osm_type``, ``osm_id``, ``name``, the group's tags, ``category`` (services) and
        geometry in WGS 84.
    """
    import osmnx as ox  # noqa: PLC0415 - 0.6 s to import: only when reading OSM

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            raw = ox.features_from_xml(path, polygon=area_wgs, tags=dict(group.tags))
    except ox._errors.InsufficientResponseError:
        raw = gpd.GeoDataFrame({"geometry": []}, geometry="geometry", crs=DISPLAY_CRS)
    frame = raw.reset_index()
    columns = {"element": "osm_type", "element_type": "osm_type", "id": "osm_id",
               "osmid": "osm_id"}  # fmt: skip
    frame = frame.rename(columns={k: v for k, v in columns.items() if k in frame.columns})
    wanted = ("osm_type", "osm_id", "name", *group.tags, *group.keep)
    keep = [c for c in wanted if c in frame.columns]
    out = gpd.GeoDataFrame(frame[keep].astype(object).where(frame[keep].notna(), None),
                           geometry=frame.geometry, crs=DISPLAY_CRS)  # fmt: skip
    if group.key == "services":
        out["category"] = [category(row) for row in out.to_dict("records")]
    return out


def category(tags: dict[str, object]) -> str:
    """The service category of an OSM object's tags (``other`` if none matches)."""
    for tag, value, name in CATEGORIES:
        if tags.get(tag) == value:
            return name
    return "other"


def fetch_group(
    downloader: Downloader, url: str, group: Group, boxes: Sequence[Sequence[float]], work: Path
) -> tuple[list[Fetched], str]:
    """Download a group tile by tile and merge the answers into ``work/<key>.osm``.

    Returns
    -------
    tuple
        The downloads and the data's ``osm_base`` timestamp.
    """
    fetched = [
        downloader.fetch(
            url.rstrip("/") + "/interpreter",
            data={"data": group_query(group, b)},
            check=overpass_check,
        )
        for b in boxes
    ]
    base = merge_xml([f.path for f in fetched], work / f"{group.key}.osm")
    return fetched, base


def fetch_walk(
    downloader: Downloader, url: str, boxes: Sequence[Sequence[float]], work: Path
) -> tuple[list[Fetched], str]:
    """Download the walkable ways tile by tile into ``work/walk.osm``."""
    fetched = [
        downloader.fetch(
            url.rstrip("/") + "/interpreter", data={"data": walk_query(b)}, check=overpass_check
        )
        for b in boxes
    ]
    return fetched, merge_xml([f.path for f in fetched], work / "walk.osm")


def counts(frames: dict[str, gpd.GeoDataFrame]) -> pd.Series:
    """Features per group (for the summary line)."""
    return pd.Series({k: len(v) for k, v in frames.items()}, dtype="int64")
