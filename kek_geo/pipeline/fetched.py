"""Sources dated by the fetch record (``FETCH.json``) that ``kek-geo fetch`` leaves in a raw folder.

The static list :data:`kek_geo.sources.SOURCES` describes the shipped data pack. A fetched
folder brings newer data of the same kind: its boundaries come from the current VG250, its
OpenStreetMap data from the day of the fetch. Their manifest entries take the address, date,
licence and credit the fetch recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from kek_geo.errors import KekGeoError
from kek_geo.fetch.official import catalog
from kek_geo.pipeline.model import BuiltLayer
from kek_geo.pipeline.osm_layers import OSM_SOURCE, osm_source
from kek_geo.pipeline.projection import SOURCE_KEY as PROJECTION_SOURCE
from kek_geo.pipeline.projection import projection_source
from kek_geo.pipeline.rawdirs import fetch_record
from kek_geo.sources import SOURCES, Source


def _vg250(record: dict[str, Any]) -> Source:
    day = str(record.get("fetched_at", ""))[:10] or "unbekannt"
    return replace(
        SOURCES["bkg-vg250"],
        name=str(record.get("title") or SOURCES["bkg-vg250"].name),
        data_date=f"Stand 31.12. des Vorjahres, abgerufen am {day}",
        attribution=str(record.get("attribution") or "© GeoBasis-DE / BKG (Daten verändert)"),
        url=str(record.get("url") or SOURCES["bkg-vg250"].url),
    )


def build_sources(raw_dir: Path, layers: Sequence[BuiltLayer] = ()) -> dict[str, Source]:
    """The known sources, with those a fetch brought dated by its record.

    Parameters
    ----------
    raw_dir
        Raw data folder.
    layers
        The layers built (a projection is dated by its years).

    Returns
    -------
    dict
        Source key → source.
    """
    sources = {**SOURCES, OSM_SOURCE: osm_source(raw_dir)}
    record = fetch_record(raw_dir)
    if isinstance(record.get("bkg-vg250"), dict):
        sources["bkg-vg250"] = _vg250(record["bkg-vg250"])
    for layer in layers:
        if layer.name == "projection" and layer.available:
            entry = catalog().get("projection")
            described = asdict(entry) if entry is not None else None
            sources[PROJECTION_SOURCE] = projection_source(layer.data, described)
    return sources


def import_fetched(raw_dir: Path, geodata_dir: Path, imports_dir: Path) -> list[str]:
    """Import the fetched walking network and timetable, so they switch on their figures.

    ``osm/walk.osm`` becomes the walking network (distances along paths), the newest
    ``gtfs/*.zip`` the timetable (ÖV-Güteklassen). A damaged file is reported and skipped: the
    snapshot stays as built and the previous import, if any, stays in place.

    Parameters
    ----------
    raw_dir
        Raw data folder (merged).
    geodata_dir
        The snapshot just built.
    imports_dir
        Its imports folder.

    Returns
    -------
    list of str
        One line per import: its summary, or why it was skipped.
    """
    from kek_geo.analysis.gtfs import import_gtfs  # noqa: PLC0415 - heavy, only when present
    from kek_geo.analysis.network import import_osm  # noqa: PLC0415

    lines = []
    walk = raw_dir / "osm" / "walk.osm"
    if walk.is_file():
        try:
            lines.append(f"walking network: {import_osm(walk, imports_dir)}")
        except KekGeoError as exc:
            lines.append(f"walking network not imported: {exc}")
    feeds = sorted((raw_dir / "gtfs").glob("*.zip")) if (raw_dir / "gtfs").is_dir() else []
    if feeds:
        record = fetch_record(raw_dir).get(f"gtfs/{feeds[-1].name}", {})
        try:
            summary = import_gtfs(
                feeds[-1],
                imports_dir,
                geodata_dir,
                licence=record.get("licence"),
                attribution=record.get("attribution"),
            )
            lines.append(f"timetable: {summary}")
        except KekGeoError as exc:
            lines.append(f"timetable not imported: {exc}")
    return lines
