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
