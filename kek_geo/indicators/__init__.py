"""Indicators: one registry, read by pages, the command line and exports.

Importing this package registers every indicator.
"""

# Importing the theme modules registers their indicators, in this order.
from kek_geo.indicators import broadband as _broadband  # noqa: F401
from kek_geo.indicators import demography as _demography  # noqa: F401
from kek_geo.indicators import education as _education  # noqa: F401
from kek_geo.indicators import mobility as _mobility  # noqa: F401
from kek_geo.indicators import overview as _overview  # noqa: F401  (registers indicators)
from kek_geo.indicators import services as _services  # noqa: F401
from kek_geo.indicators import settlement as _settlement  # noqa: F401
from kek_geo.indicators import synthesis as _synthesis  # noqa: F401
from kek_geo.indicators.registry import (
    REGISTRY,
    THEME_IMPORTS,
    THEMES,
    Indicator,
    LayerSource,
    Threshold,
    all_defaults,
    compute_table,
    data_dates,
    indicators_for,
)

__all__ = [
    "REGISTRY",
    "THEMES",
    "THEME_IMPORTS",
    "Indicator",
    "LayerSource",
    "Threshold",
    "all_defaults",
    "compute_table",
    "data_dates",
    "indicators_for",
]
