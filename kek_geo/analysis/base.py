"""Basics shared by analysis and indicators: the layer source and per-municipality series.

Analysis modules import from here, never from :mod:`kek_geo.indicators` (whose package import
registers every indicator and would make a circular import).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

import geopandas as gpd
import pandas as pd

from kek_geo.district import district_key


class LayerSource(Protocol):
    """Anything that hands out snapshot layers.

    The real :class:`~kek_geo.snapshot.Snapshot` or a small in-memory stand-in built by tests.
    """

    def layer(self, name: str) -> pd.DataFrame:
        """Return a layer by name."""
        ...

    def geo(self, name: str) -> gpd.GeoDataFrame:
        """Return a geo layer by name."""
        ...

    def extra(self, name: str) -> Any:
        """Return optional imported data (``"walk_network"``, ``"gtfs"``, …) or ``None``."""
        ...


_PER_SOURCE: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()
T = TypeVar("T")


def per_source(source: LayerSource, name: str, compute: Callable[[], T]) -> T:
    """Compute a derived result once per layer source (the layers of a source never change).

    Parameters
    ----------
    source
        The snapshot or a scenario over it; the result lives as long as the source.
    name
        Key of the result.
    compute
        Makes the result on first use.

    Returns
    -------
    object
        The (cached) result.
    """
    try:
        store = _PER_SOURCE.setdefault(source, {})
    except TypeError:  # a source that cannot be weakly referenced: no caching
        return compute()
    if name not in store:
        store[name] = compute()
    result: T = store[name]
    return result


def with_kreis(per_gemeinde: pd.Series, kreis_value: float) -> pd.Series:
    """Append the district value to a per-municipality series.

    Parameters
    ----------
    per_gemeinde
        Values indexed by AGS (they give the district key, see
        :func:`~kek_geo.district.district_key`).
    kreis_value
        The district value (computed from totals, not as a mean of municipal values).

    Returns
    -------
    pandas.Series
        Values indexed by AGS and the district key.
    """
    out = per_gemeinde.astype("float64").copy()
    out.index = out.index.astype(str)
    out.loc[district_key(out.index)] = float(kreis_value)
    return out


def ratio(numerator: pd.Series, denominator: pd.Series, scale: float = 1.0) -> pd.Series:
    """Per-municipality ratio with the district ratio of the totals appended.

    Missing values propagate; a zero denominator gives a missing value.

    Parameters
    ----------
    numerator, denominator
        Values indexed by AGS.
    scale
        Factor applied to the ratio (100 for a percentage).

    Returns
    -------
    pandas.Series
        Ratios indexed by AGS and the district key.
    """
    num = numerator.astype("float64")
    den = denominator.astype("float64")
    per = num / den.where(den != 0) * scale
    if num.isna().any() or den.isna().any() or den.sum() == 0:
        kreis = float("nan")
    else:
        kreis = float(num.sum() / den.sum() * scale)
    return with_kreis(per, kreis)
