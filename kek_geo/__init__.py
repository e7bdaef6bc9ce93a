"""KEK Geo: settlement structure and infrastructure gaps of Kreis Herford, on a map."""

from kek_geo.errors import DataSourceError, KekGeoError, LayerError
from kek_geo.settings import Settings, get_settings
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
