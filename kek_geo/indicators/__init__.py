"""Indicators: one registry, read by pages, the command line and exports.

Importing this package registers every indicator.
"""

from kek_geo.indicators import demography as _demography  # noqa: F401  (registers indicators)
from kek_geo.indicators import overview as _overview  # noqa: F401
from kek_geo.indicators.registry import (
    REGISTRY,
    Indicator,
    LayerSource,
    Threshold,
    all_defaults,
    compute_table,
    indicators_for,
)

__all__ = [
    "REGISTRY",
    "Indicator",
    "LayerSource",
    "Threshold",
    "all_defaults",
    "compute_table",
    "indicators_for",
]
