"""Walking network from OpenStreetMap: distances along streets and paths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: Sub-folder of the imports folder that holds the prepared walking network.
NETWORK_DIR = "walk_network"


def load_walk_network(imports_dir: Path) -> Any:
    """The imported walking network, or ``None`` if none has been imported.

    Parameters
    ----------
    imports_dir
        The imports folder.

    Returns
    -------
    object or None
        The network.
    """
    if not (imports_dir / NETWORK_DIR).is_dir():
        return None
    msg = "walking network import is not implemented yet"
    raise NotImplementedError(msg)


def import_osm(path: Path, imports_dir: Path) -> str:
    """Import an OSM XML extract as the walking network (to be implemented)."""
    raise NotImplementedError(str(path) + str(imports_dir))


def fetch_osm(geodata_dir: Path, imports_dir: Path) -> str:
    """Download the walking network with osmnx (to be implemented)."""
    raise NotImplementedError(str(geodata_dir) + str(imports_dir))
