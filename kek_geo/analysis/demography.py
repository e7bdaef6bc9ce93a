"""Demography: where older people live, and how far they have to a stop."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd

from kek_geo.analysis.access import share_by_group, sum_by_group


def hotspot_mask(cells: pd.DataFrame, column: str, min_count: float) -> npt.NDArray[np.bool_]:
    """Cells where at least ``min_count`` people of a group live (missing counts never qualify).

    Parameters
    ----------
    cells
        100 m cells.
    column
        Count column, e.g. ``people_80plus``.
    min_count
        Minimum count.

    Returns
    -------
    numpy.ndarray
        Boolean per cell.
    """
    return np.asarray(cells[column].fillna(-1.0).to_numpy() >= min_count, dtype=bool)


def hotspots(cells: gpd.GeoDataFrame, column: str, min_count: float) -> gpd.GeoDataFrame:
    """The hotspot cells themselves, for the map.

    Parameters
    ----------
    cells
        100 m cells.
    column
        Count column.
    min_count
        Minimum count.

    Returns
    -------
    geopandas.GeoDataFrame
        The cells that qualify.
    """
    return cells[hotspot_mask(cells, column, min_count)]


def people_beyond(
    cells: pd.DataFrame, column: str, distance: npt.NDArray[np.float64], radius: float
) -> pd.Series:
    """People of a group living farther than ``radius`` from the nearest facility.

    Parameters
    ----------
    cells
        100 m cells with ``ags`` and the count column.
    column
        Count column (suppressed counts add nothing).
    distance
        Distance per cell to the nearest facility, metres.
    radius
        Radius in metres.

    Returns
    -------
    pandas.Series
        Persons per municipality and for the district.
    """
    return sum_by_group(cells[column], distance > radius, cells["ags"])


def share_beyond(
    cells: pd.DataFrame, column: str, distance: npt.NDArray[np.float64], radius: float
) -> pd.Series:
    """Share (%) of a group living farther than ``radius`` from the nearest facility.

    Parameters
    ----------
    cells
        100 m cells with ``ags`` and the count column.
    column
        Count column; cells with a suppressed count are left out.
    distance
        Distance per cell, metres.
    radius
        Radius in metres.

    Returns
    -------
    pandas.Series
        Percent per municipality and for the district.
    """
    return share_by_group(cells[column], distance > radius, cells["ags"])
