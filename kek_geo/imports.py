"""Data imported after the snapshot was built: walking network, GTFS feed, broadband releases.

Imports live in ``<geodata>/imports/`` (``KEK_IMPORTS_DIR``), survive a rebuild of the
snapshot, and are optional: every analysis works without them and says what is missing. Each
kind of import has a loader in :data:`BUILTIN`; :meth:`kek_geo.snapshot.Snapshot.extra` calls it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Loader = Callable[[Path], Any]

#: Loaders resolved so far: import name → function of the imports folder (``None`` if absent).
LOADERS: dict[str, Loader] = {}

#: Loaders of the built-in imports, imported only when first needed ("module:function").
BUILTIN = {
    "walk_network": "kek_geo.analysis.network:load_walk_network",
    "gtfs": "kek_geo.analysis.gtfs:load_feed",
    "broadband_releases": "kek_geo.analysis.broadband:load_imported_releases",
}


def load_import(name: str, imports_dir: Path) -> Any:
    """Load an import, or return ``None`` when it has not been imported.

    Parameters
    ----------
    name
        Import name.
    imports_dir
        The imports folder.

    Returns
    -------
    object or None
        What the loader returns.
    """
    if name not in LOADERS and name in BUILTIN:
        module, func = BUILTIN[name].split(":")
        LOADERS[name] = getattr(importlib.import_module(module), func)
    loader = LOADERS.get(name)
    if loader is None:
        msg = f"unknown import {name!r}; known: {sorted(LOADERS)}"
        raise KeyError(msg)
    return loader(imports_dir)


@dataclass(frozen=True)
class ImportStatus:
    """Whether one kind of import is present, and what the app should say about it.

    Attributes
    ----------
    key
        Import name (also the key of the matching entry in :mod:`kek_geo.missing`).
    title_de, title_en
        Name of the data.
    imported
        True if present.
    details
        Source, date, licence and counts as ``label: value`` lines (empty if absent).
    attribution
        Credit to show wherever the data are used (empty if absent).
    """

    key: str
    title_de: str
    title_en: str
    imported: bool
    details: tuple[str, ...] = ()
    attribution: str = ""


def _lines(meta: dict[str, Any], fields: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{f}: {meta[f]}" for f in fields if meta.get(f) not in (None, ""))


def import_status(source: Any) -> list[ImportStatus]:
    """The state of every optional import of a snapshot, for the data page.

    Parameters
    ----------
    source
        Snapshot (anything with ``extra(name)``).

    Returns
    -------
    list of ImportStatus
        Walking network, timetable and broadband releases.
    """
    network = source.extra("walk_network")
    feed = source.extra("gtfs")
    releases = source.extra("broadband_releases")
    net_meta: dict[str, Any] = dict(getattr(network, "meta", {}) or {})
    feed_meta: dict[str, Any] = dict(getattr(feed, "meta", {}) or {})
    out = [
        ImportStatus(
            "osm_walk",
            "Fußwegenetz (OpenStreetMap)",
            "Walking network (OpenStreetMap)",
            network is not None,
            _lines(
                net_meta, ("source", "licence", "nodes", "edges", "length_km", "method", "note")
            ),
            str(net_meta.get("licence", "© OpenStreetMap contributors (ODbL)")) if network else "",
        ),
        ImportStatus(
            "gtfs",
            "Fahrplan (GTFS)",
            "Timetable (GTFS)",
            feed is not None,
            _lines(
                feed_meta,
                (
                    "source_file",
                    "publisher",
                    "feed_start",
                    "feed_end",
                    "service_date",
                    "licence",
                    "note",
                ),
            ),
            str(feed_meta.get("attribution", "")) if feed is not None else "",
        ),
    ]
    if releases is not None and len(releases):
        pairs = sorted(set(zip(releases["segment"], releases["release"], strict=True)))
        details = tuple(f"{segment}: {release}" for segment, release in pairs)
    else:
        details = ()
    out.append(
        ImportStatus(
            "broadband_current",
            "Neuere Breitband-Releases",
            "Newer broadband releases",
            bool(details),
            details,
            "Breitbandatlas / Gigabit-Grundbuch, Bundesnetzagentur" if details else "",
        )
    )
    return out
