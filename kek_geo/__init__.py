"""KEK Geo: settlement structure and infrastructure gaps of a German district, on a map."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kek_geo.errors import DataSourceError, KekGeoError, LayerError
from kek_geo.settings import Settings, get_settings

if TYPE_CHECKING:
    from kek_geo.snapshot import Snapshot, read_layer

__version__ = "0.1.0"

__all__ = [
    "DataSourceError",
    "KekGeoError",
    "LayerError",
    "Settings",
    "Snapshot",
    "__version__",
    "get_settings",
    "read_layer",
]


def __getattr__(name: str) -> Any:
    # Snapshot pulls in geopandas (half a second): load it on first use, so that
    # `kek-geo serve` starts the server at once and the command line stays quick.
    if name in {"Snapshot", "read_layer"}:
        from kek_geo import snapshot  # noqa: PLC0415

        return getattr(snapshot, name)
    msg = f"module 'kek_geo' has no attribute {name!r}"
    raise AttributeError(msg)
