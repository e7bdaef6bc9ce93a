"""``kek-geo fetch``: download the raw data of a district into a raw folder.

The district comes from VG250 (by key or name), so any German Kreis works. Then every
official source of the catalogue and the OpenStreetMap groups are fetched and cut to it. A
source that fails is reported and skipped: what it had written before stays as it was (OSM
and the boundaries are swapped in as whole folders, every other file through a temporary
file), and the other sources go on. ``FETCH.json`` in the raw folder records for every file
its address, size, checksum, date, licence and credit; each folder gets an ``ATTRIBUTION.md``.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from kek_geo.errors import KekGeoError
from kek_geo.fetch import osm
from kek_geo.fetch.http import Downloader, FetchError, describe, zip_check
from kek_geo.fetch.official import (
    District,
    DistrictNotFoundError,
    Download,
    catalog,
    clip_grid,
    find_district,
    grid_member,
    write_boundaries,
)
from kek_geo.fileio import replacing_folder, write_file
from kek_geo.settings import DISPLAY_CRS

OSM_LICENCE = "ODbL 1.0"
OSM_CREDIT = "© OpenStreetMap contributors (ODbL)"


@dataclass
class FetchReport:
    """What a fetch did: one line per source, and what needs a hand."""

    district: District
    raw_dir: Path
    done: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    manual: list[Download] = field(default_factory=list)
    records: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        """The report for the command line."""
        lines = [f"{self.district.ags} {self.district.name} → {self.raw_dir}"]
        lines += [f"  ok      {line}" for line in self.done]
        lines += [f"  failed  {line}" for line in self.failed]
        lines += [
            f"  by hand {d.key}: {d.title} – from {d.landing} into {self.raw_dir / d.folder}"
            for d in self.manual
        ]
        return "\n".join(lines)


def _attribution(title: str, rows: list[tuple[str, str]]) -> str:
    return f"# {title}\n\n" + "".join(f"- **{k}:** {v}\n" for k, v in rows)


def _record(report: FetchReport, name: str, download: Download, fetched: Any) -> None:
    report.records[name] = {
        **describe(fetched),
        "title": download.title,
        "publisher": download.publisher,
        "licence": download.licence,
        "attribution": download.attribution,
    }


def fetch_boundaries(report: FetchReport, download: Download, archive: Path) -> None:
    """Write the district's boundaries into ``bkg-vg250`` (the folder is swapped whole)."""
    with replacing_folder(report.raw_dir / download.folder) as tmp:
        files = write_boundaries(report.district, tmp)
        (tmp / "ATTRIBUTION.md").write_text(
            _attribution(download.title, [("Source", download.url),
                                          ("Licence", download.licence),
                                          ("Credit", download.attribution)]),
            encoding="utf-8",
        )  # fmt: skip
    for path in files:
        report.done.append(f"{download.folder}/{path.name}")
    del archive


#: What a damaged download can raise while it is read (besides the fetch's own errors).
SOURCE_ERRORS = (
    KekGeoError,
    OSError,
    ValueError,
    KeyError,
    zipfile.BadZipFile,
    ET.ParseError,
    pd.errors.ParserError,
)


def fetch_official(report: FetchReport, downloader: Downloader, download: Download) -> None:
    """One official source: download, cut to the district, write atomically."""
    if download.kind == "manual" or not download.url:
        report.manual.append(download)
        return
    check = zip_check if download.kind == "zensus-grid" or download.url.endswith(".zip") else None
    try:
        fetched = downloader.fetch(download.url, check=check)
    except FetchError as exc:
        report.failed.append(f"{download.key}: {exc}")
        return
    folder = report.raw_dir / download.folder
    folder.mkdir(parents=True, exist_ok=True)
    if download.kind == "zensus-grid":
        tmp = folder / f".{download.key}.part"
        try:
            name = grid_member(fetched.path)
            cells = clip_grid(fetched.path, report.district, tmp)
            tmp.replace(folder / name)
        except SOURCE_ERRORS as exc:
            tmp.unlink(missing_ok=True)
            downloader.forget(fetched)
            report.failed.append(f"{download.key}: {fetched.url} cannot be read ({exc}); the "
                                 "previous data are kept")  # fmt: skip
            return
        report.done.append(f"{download.folder}/{name} ({cells} cells)")
    else:
        name = Path(download.url.split("?", 1)[0]).name
        write_file(fetched.path.read_bytes(), folder / name)
        report.done.append(f"{download.folder}/{name}")
    _record(report, f"{download.folder}/{name}", download, fetched)


def fetch_osm(
    report: FetchReport, downloader: Downloader, overpass_url: str, tile_km: float
) -> None:
    """The OpenStreetMap groups and the walking network, swapped in as one ``osm`` folder."""
    area = report.district.area.buffer(osm.MARGIN_M)  # type: ignore[attr-defined]
    boxes = osm.tiles(area, tile_km)
    area_wgs = gpd.GeoSeries([area], crs=report.district.outline.crs).to_crs(DISPLAY_CRS).iloc[0]
    stamp = ""
    try:
        with replacing_folder(report.raw_dir / "osm") as tmp:
            for group in osm.GROUPS:
                _, base = osm.fetch_group(downloader, overpass_url, group, boxes, tmp)
                stamp = max(stamp, base)
                frame = osm.read_features(tmp / f"{group.key}.osm", group, area_wgs)
                frame.to_file(tmp / "osm.gpkg", layer=group.key, driver="GPKG",
                              engine="pyogrio")  # fmt: skip
                (tmp / f"{group.key}.osm").unlink()
                report.done.append(f"osm/osm.gpkg:{group.key} ({len(frame)} features)")
            _, base = osm.fetch_walk(downloader, overpass_url, boxes, tmp)
            stamp = max(stamp, base)
            report.done.append(f"osm/walk.osm ({len(boxes)} tiles)")
            (tmp / "ATTRIBUTION.md").write_text(
                _attribution("OpenStreetMap", [
                    ("Source", f"Overpass API ({overpass_url}), {len(boxes)} tiles"),
                    ("Data date", stamp or "not given by the server"),
                    ("Licence", OSM_LICENCE), ("Credit", OSM_CREDIT),
                ]),
                encoding="utf-8",
            )  # fmt: skip
    except (FetchError, *SOURCE_ERRORS) as exc:
        report.failed.append(f"osm: {exc}; the previous data are kept")
        report.done[:] = [line for line in report.done if not line.startswith("osm/")]
        return
    report.records["osm"] = {"url": overpass_url, "data_date": stamp, "licence": OSM_LICENCE,
                             "attribution": OSM_CREDIT, "tiles": len(boxes)}  # fmt: skip


def fetch_district(
    kreis: str,
    raw_root: Path | None,
    downloader: Downloader,
    *,
    only: set[str] | None = None,
    overpass_url: str = osm.OVERPASS_URL,
    tile_km: float = osm.TILE_KM,
    default_root: Path | None = None,
) -> FetchReport:
    """Fetch the raw data of a district.

    Parameters
    ----------
    kreis
        Five-digit key or name of the district.
    raw_root
        The raw folder to fill (default: ``<default_root>/<key>``).
    downloader
        The downloader (cache, retries, progress).
    only
        Keys of the sources to fetch (``osm`` for OpenStreetMap; the boundaries always).
    overpass_url
        The Overpass API.
    tile_km
        Tile edge of the OSM queries.
    default_root
        Parent of the default raw folder.

    Returns
    -------
    FetchReport
        What was fetched, what failed, what needs a hand.
    """
    sources = catalog()
    boundaries = sources["vg250"]
    archive = downloader.fetch(boundaries.url, check=zip_check)
    try:
        district = find_district(archive.path, kreis)
    except SOURCE_ERRORS as exc:
        if isinstance(exc, DistrictNotFoundError):
            raise
        downloader.forget(archive)
        raise FetchError(boundaries.url, f"the boundaries cannot be read ({exc})") from exc
    raw_dir = raw_root or (default_root or Path("data/raw")) / district.ags
    report = FetchReport(district, raw_dir)
    try:
        fetch_boundaries(report, boundaries, archive.path)
        _record(report, "bkg-vg250", boundaries, archive)
        for download in sources.values():
            if download.key == "vg250" or (only is not None and download.key not in only):
                continue
            fetch_official(report, downloader, download)
        if only is None or "osm" in only:
            fetch_osm(report, downloader, overpass_url, tile_km)
    finally:  # what did arrive keeps its provenance, even if something unexpected broke
        _write_manifest(report)
    return report


def _write_manifest(report: FetchReport) -> None:
    path = report.raw_dir / "FETCH.json"
    old = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    files = {**old.get("files", {}), **report.records}
    manifest = {
        "district": {"ags": report.district.ags, "name": report.district.name},
        "updated": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": files,
    }
    write_file(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", path)


def clear_cache(cache_dir: Path) -> None:
    """Remove every cached download."""
    shutil.rmtree(cache_dir, ignore_errors=True)
