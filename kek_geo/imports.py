"""Data imported after the snapshot was built: walking network, GTFS feed, broadband releases.

Imports live in ``<geodata>/imports/`` (``KEK_IMPORTS_DIR``), survive a rebuild of the
snapshot, and are optional: every analysis works without them and says what is missing. Each
kind of import registers a loader here; :meth:`kek_geo.snapshot.Snapshot.extra` calls it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

Loader = Callable[[Path], Any]

#: Import name → function that loads it from the imports folder (``None`` when absent).
LOADERS: dict[str, Loader] = {}

#: Loaders of the built-in imports, imported only when first needed ("module:function").
BUILTIN = {
    "walk_network": "kek_geo.analysis.network:load_walk_network",
    "gtfs": "kek_geo.analysis.gtfs:load_feed",
    "broadband_releases": "kek_geo.analysis.broadband:load_imported_releases",
}


def register_loader(name: str, loader: Loader) -> None:
    """Register how to load one kind of import.

    Parameters
    ----------
    name
        Import name, e.g. ``"walk_network"``.
    loader
        Function of the imports folder returning the loaded object or ``None``.
    """
    LOADERS[name] = loader


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
