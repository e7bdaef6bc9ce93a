"""Data imported after the snapshot was built: walking network, GTFS feed, broadband releases.

Imports live in ``<geodata>/imports/`` (``KEK_IMPORTS_DIR``), survive a rebuild of the
snapshot, and are optional: every analysis works without them and says what is missing. Each
kind of import has a loader in :data:`KINDS`; :meth:`kek_geo.snapshot.Snapshot.extra` calls it
through :func:`load_import`.

A damaged import (a file that cannot be read or lacks what the loader needs) never stops the
app: :func:`load_import` records the file and the problem as an :class:`ImportProblem` and the
import counts as not imported, so every indicator falls back exactly as without it. The data
page lists the problem and each page whose figures the import would change warns about it.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

from kek_geo.errors import KekGeoError
from kek_geo.i18n import md_code, md_escape, pick, register_texts, t
from kek_geo.missing import MISSING

_LOG = logging.getLogger(__name__)

Loader = Callable[[Path], Any]

register_texts(
    {
        "imports.damaged": (
            "**{title}: Import beschädigt**, er wird behandelt, als wäre er nicht importiert. "
            "Datei {file}: {problem}.",
            "**{title}: import damaged**, it is treated as not imported. File {file}: {problem}.",
        ),
        "imports.fallback.walk_network": (
            "Entfernungen werden deshalb als Luftlinie gemessen.",
            "Distances are therefore measured as the crow flies.",
        ),
        "imports.fallback.gtfs": (
            "ÖV-Güteklassen und das volle Deutschlandatlas-Kriterium fehlen deshalb (–).",
            "Quality classes and the full Deutschlandatlas criterion are therefore missing (–).",
        ),
        "imports.fallback.broadband_releases": (
            "Es gelten deshalb nur die Breitband-Releases des Datenstands.",
            "Only the broadband releases of the snapshot are therefore used.",
        ),
        "imports.repair": (
            "Beheben: {how} Danach die App neu starten.",
            "To fix it: {how} Then restart the app.",
        ),
        "imports.repair_about": (
            "Wie man ihn neu importiert, steht unter „Über die Daten“.",
            "How to import it again is on “About the data”.",
        ),
    }
)


@dataclass(frozen=True)
class ImportKind:
    """One kind of built-in import.

    Attributes
    ----------
    loader
        ``"module:function"`` of its loader, imported only when first needed.
    folder
        Its sub-folder of the imports folder.
    missing_key
        Key of its entry in :data:`kek_geo.missing.MISSING` (how to import it).
    title_de, title_en
        Name of the data.
    """

    loader: str
    folder: str
    missing_key: str
    title_de: str
    title_en: str


#: The built-in imports by name.
KINDS: dict[str, ImportKind] = {
    "walk_network": ImportKind(
        "kek_geo.analysis.network:load_walk_network",
        "walk_network",
        "osm_walk",
        "Fußwegenetz (OpenStreetMap)",
        "Walking network (OpenStreetMap)",
    ),
    "gtfs": ImportKind(
        "kek_geo.analysis.gtfs:load_feed", "gtfs", "gtfs", "Fahrplan (GTFS)", "Timetable (GTFS)"
    ),
    "broadband_releases": ImportKind(
        "kek_geo.analysis.broadband:load_imported_releases",
        "broadband",
        "broadband_current",
        "Neuere Breitband-Releases",
        "Newer broadband releases",
    ),
}

#: Loaders of the built-in imports ("module:function").
BUILTIN = {name: kind.loader for name, kind in KINDS.items()}

#: Loaders resolved so far: import name → function of the imports folder (``None`` if absent).
LOADERS: dict[str, Loader] = {}

#: What a damaged file can make a loader raise besides the KekGeoError it raises itself.
_DATA_ERRORS = (OSError, ValueError, KeyError, IndexError, TypeError, pa.ArrowException)


@dataclass(frozen=True)
class ImportProblem:
    """A damaged import: which one, the file and what is wrong with it.

    Attributes
    ----------
    name
        Import name.
    path
        The damaged file (or the import's folder when the loader could not tell).
    problem
        What is wrong, in one sentence (English, as the command line reports it).
    """

    name: str
    path: Path
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


def _loader(name: str) -> Loader:
    if name not in LOADERS and name in BUILTIN:
        module, func = BUILTIN[name].split(":")
        LOADERS[name] = getattr(importlib.import_module(module), func)
    loader = LOADERS.get(name)
    if loader is None:
        msg = f"unknown import {name!r}; known: {sorted({*BUILTIN, *LOADERS})}"
        raise KeyError(msg)
    return loader


def load_import(name: str, imports_dir: Path) -> tuple[Any, ImportProblem | None]:
    """Load an import; a damaged one is recorded as a problem and counts as not imported.

    Parameters
    ----------
    name
        Import name.
    imports_dir
        The imports folder.

    Returns
    -------
    tuple
        What the loader returns (``None`` when absent or damaged) and the problem, if any.
    """
    loader = _loader(name)
    try:
        return loader(imports_dir), None
    except KekGeoError as exc:
        path = getattr(exc, "path", imports_dir)
        problem = ImportProblem(name, Path(path), str(getattr(exc, "problem", exc)))
        _LOG.warning("import %r is damaged and treated as not imported: %s", name, problem)
    except _DATA_ERRORS as exc:
        # The loader did not expect this damage: name its folder and keep the traceback.
        kind = KINDS.get(name)
        folder = imports_dir / kind.folder if kind else imports_dir
        error = f"{type(exc).__name__}: {exc}"
        problem = ImportProblem(name, folder, f"not readable ({error}): import it again")
        _LOG.warning("import %r is damaged and treated as not imported", name, exc_info=True)
    return None, problem


def problem_text(problem: ImportProblem, lang: str, *, repair: bool = True) -> str:
    """What a page says about a damaged import: file, problem, consequence and fix (Markdown).

    Parameters
    ----------
    problem
        The problem.
    lang
        Language.
    repair
        Say how to import it again (the commands, for "Über die Daten"); ``False`` only
        points there (for the theme pages, which show no commands).

    Returns
    -------
    str
        Markdown with the file name and the problem escaped.
    """
    kind = KINDS.get(problem.name)
    title = pick(lang, kind.title_de, kind.title_en) if kind else problem.name
    parts = [
        t(
            "imports.damaged",
            lang,
            title=md_escape(title),
            file=md_code(str(problem.path)),
            problem=md_escape(problem.problem.rstrip(".")),
        )
    ]
    fallback = f"imports.fallback.{problem.name}"
    if t(fallback, lang) != fallback:
        parts.append(t(fallback, lang))
    how = {m.key: m for m in MISSING}.get(kind.missing_key) if kind else None
    if how is not None:
        parts.append(
            t("imports.repair", lang, how=how.how(lang))
            if repair
            else t("imports.repair_about", lang)
        )
    return " ".join(parts)


class ImportSource(Protocol):
    """Anything that hands out imports and their problems (the snapshot or a test stand-in)."""

    def extra(self, name: str) -> Any:
        """The loaded import or ``None``."""
        ...

    def import_problem(self, name: str) -> ImportProblem | None:
        """The problem of a damaged import, or ``None``."""
        ...


@dataclass(frozen=True)
class ImportStatus:
    """Whether one kind of import is present, and what the app should say about it.

    Attributes
    ----------
    key
        Key of the matching entry in :mod:`kek_geo.missing`.
    title_de, title_en
        Name of the data.
    imported
        True if present and readable.
    details
        Source, date, licence and counts as ``label: value`` lines (empty if absent).
    attribution
        Credit to show wherever the data are used (empty if absent).
    problem
        What is wrong with a damaged import (it then counts as not imported).
    """

    key: str
    title_de: str
    title_en: str
    imported: bool
    details: tuple[str, ...] = ()
    attribution: str = ""
    problem: ImportProblem | None = None


def _lines(meta: dict[str, Any], fields: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{f}: {meta[f]}" for f in fields if meta.get(f) not in (None, ""))


def _status(
    source: ImportSource, name: str, details: tuple[str, ...], attribution: str, *, present: bool
) -> ImportStatus:
    kind = KINDS[name]
    return ImportStatus(
        kind.missing_key,
        kind.title_de,
        kind.title_en,
        present,
        details if present else (),
        attribution if present else "",
        source.import_problem(name),
    )


def import_status(source: ImportSource) -> list[ImportStatus]:
    """The state of every optional import of a snapshot, for the data page.

    Parameters
    ----------
    source
        Snapshot.

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
    if releases is not None and len(releases):
        pairs = sorted(set(zip(releases["segment"], releases["release"], strict=True)))
        bb_details = tuple(f"{segment}: {release}" for segment, release in pairs)
    else:
        bb_details = ()
    return [
        _status(
            source,
            "walk_network",
            _lines(
                net_meta, ("source", "licence", "nodes", "edges", "length_km", "method", "note")
            ),
            str(net_meta.get("licence", "© OpenStreetMap contributors (ODbL)")),
            present=network is not None,
        ),
        _status(
            source,
            "gtfs",
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
            str(feed_meta.get("attribution", "")),
            present=feed is not None,
        ),
        _status(
            source,
            "broadband_releases",
            bb_details,
            "Breitbandatlas / Gigabit-Grundbuch, Bundesnetzagentur",
            present=bool(bb_details),
        ),
    ]
