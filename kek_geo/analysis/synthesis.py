"""Overall picture: settled 100 m cells that fall into several infrastructure gaps at once.

Four gaps per cell:

``stop``
    no scheduled stop (rail, tram, bus) within the radius;
``gigabit``
    its municipality's share of households with ≥ 1,000 Mbit/s is below the district's;
``school``
    no primary school within the radius;
``elderly``
    its parent 1 km cell has a share of people aged 65+ at or above the threshold.

A missing input (a suppressed 65+ share, a municipality without a published gigabit share)
never flags a cell; :func:`missing_inputs` counts such cells so the page can say so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd

from kek_geo.analysis.access import (
    DistanceMethod,
    FloatArray,
    centroids_xy,
    distances,
    stop_points,
    sum_by_group,
)
from kek_geo.analysis.base import LayerSource
from kek_geo.analysis.broadband import availability, broadband_table, latest_release
from kek_geo.analysis.education import primary_schools
from kek_geo.settings import KREIS_AGS

BoolArray = npt.NDArray[np.bool_]

#: The four gaps, in display order.
GAPS: tuple[str, ...] = ("stop", "gigabit", "school", "elderly")
#: Bit of each gap in a gap code (a number 0–15 that says which gaps apply).
GAP_BITS = {gap: 1 << i for i, gap in enumerate(GAPS)}


@dataclass(frozen=True)
class GapThresholds:
    """Thresholds of the four gaps.

    Attributes
    ----------
    stop_m
        A cell has a stop gap when no scheduled stop is within this distance (metres).
    school_m
        A cell has a school gap when no primary school is within this distance (metres).
    elderly_pct
        A cell has an elderly gap when its 1 km cell's 65+ share is at least this (%).
    """

    stop_m: float = 600.0
    school_m: float = 2000.0
    elderly_pct: float = 25.0


@dataclass(frozen=True)
class CellInputs:
    """Per-cell inputs of the gap flags (arrays aligned with the cells).

    Attributes
    ----------
    cells
        The settled 100 m cells.
    dist_stop, dist_school
        Distance to the nearest scheduled stop and primary school, metres.
    gigabit_share
        The municipality's gigabit household share, % (NaN where not published).
    gigabit_kreis
        The district's gigabit household share, %.
    share65
        Share aged 65+ of the parent 1 km cell, % (NaN where suppressed).
    method
        How distances were measured.
    """

    cells: gpd.GeoDataFrame
    dist_stop: FloatArray
    dist_school: FloatArray
    gigabit_share: FloatArray
    gigabit_kreis: float
    share65: FloatArray
    method: DistanceMethod


def gigabit_shares(source: LayerSource) -> pd.Series:
    """Gigabit household shares (all technologies, ≥ 1,000 Mbit/s) of the newest release.

    Parameters
    ----------
    source
        Snapshot (broadband table plus imported releases).

    Returns
    -------
    pandas.Series
        Share in % by AGS, municipalities and district.
    """
    table = broadband_table(source)
    return availability(table, release=latest_release(table), threshold_mbit=1000)


def cell_gigabit_share(shares: pd.Series, cell_ags: pd.Series) -> FloatArray:
    """The municipality's gigabit share for every cell (NaN where not published).

    Parameters
    ----------
    shares
        Shares by AGS.
    cell_ags
        Municipality of each cell.

    Returns
    -------
    numpy.ndarray
        Share per cell, %.
    """
    mapped = cell_ags.astype(str).map(shares)
    return np.asarray(mapped.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)


def parent_share_65plus(cells: pd.DataFrame, grid_1km: pd.DataFrame) -> FloatArray:
    """Share aged 65+ of each 100 m cell's parent 1 km cell (NaN where suppressed).

    Parameters
    ----------
    cells
        100 m cells with ``cell_1km``.
    grid_1km
        1 km cells with ``cell_id`` (unique, also for clipped cells) and ``share_65plus``.

    Returns
    -------
    numpy.ndarray
        Share per 100 m cell, %.
    """
    lookup = grid_1km.set_index(grid_1km["cell_id"].astype(str))["share_65plus"]
    mapped = cells["cell_1km"].astype(str).map(lookup.astype("float64"))
    return np.asarray(mapped.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)


def cell_inputs(source: LayerSource) -> CellInputs:
    """Collect the per-cell inputs of the gap flags from the snapshot.

    Parameters
    ----------
    source
        Snapshot (``grid_100m``, ``grid_1km``, ``stops``, ``schools``, ``broadband``).

    Returns
    -------
    CellInputs
        Distances, gigabit shares and 65+ shares per settled cell.
    """
    cells = source.geo("grid_100m")
    origins = centroids_xy(cells)
    dist_stop, method = distances(source, origins, stop_points(source))
    schools = centroids_xy(primary_schools(source.geo("schools")))
    dist_school, _ = distances(source, origins, schools)
    shares = gigabit_shares(source)
    return CellInputs(
        cells=cells,
        dist_stop=dist_stop,
        dist_school=dist_school,
        gigabit_share=cell_gigabit_share(shares, cells["ags"]),
        gigabit_kreis=float(shares.get(KREIS_AGS, np.nan)),
        share65=parent_share_65plus(cells, source.layer("grid_1km")),
        method=method,
    )


def gap_flags(
    cells: pd.DataFrame,
    dist_stop: FloatArray,
    dist_school: FloatArray,
    gigabit_below: npt.ArrayLike,
    share65: FloatArray,
    *,
    thresholds: GapThresholds,
) -> pd.DataFrame:
    """The four gap flags of every cell.

    Parameters
    ----------
    cells
        The cells (only their index is used).
    dist_stop, dist_school
        Distance to the nearest scheduled stop and primary school, metres.
    gigabit_below
        Boolean per cell: is its municipality's gigabit share below the district's?
    share65
        65+ share of the parent 1 km cell, % (NaN = not flagged).
    thresholds
        The thresholds.

    Returns
    -------
    pandas.DataFrame
        Boolean columns ``stop``, ``gigabit``, ``school``, ``elderly``, indexed like ``cells``.
    """
    elderly = np.nan_to_num(share65, nan=-np.inf) >= thresholds.elderly_pct
    return pd.DataFrame(
        {
            "stop": np.asarray(dist_stop) > thresholds.stop_m,
            "gigabit": np.asarray(gigabit_below, dtype=bool),
            "school": np.asarray(dist_school) > thresholds.school_m,
            "elderly": elderly,
        },
        index=cells.index,
    )


def gigabit_below(cell_share: FloatArray, kreis_share: float) -> BoolArray:
    """Cells whose municipality's gigabit share is below the district's (missing: not flagged).

    Parameters
    ----------
    cell_share
        The municipality's share per cell, %.
    kreis_share
        The district's share, %.

    Returns
    -------
    numpy.ndarray
        Boolean per cell.
    """
    return np.asarray(cell_share < kreis_share, dtype=bool)


def flags_from_inputs(inputs: CellInputs, thresholds: GapThresholds) -> pd.DataFrame:
    """Gap flags of every cell from the collected inputs.

    Parameters
    ----------
    inputs
        From :func:`cell_inputs`.
    thresholds
        The thresholds.

    Returns
    -------
    pandas.DataFrame
        See :func:`gap_flags`.
    """
    below = gigabit_below(inputs.gigabit_share, inputs.gigabit_kreis)
    return gap_flags(
        inputs.cells,
        inputs.dist_stop,
        inputs.dist_school,
        below,
        inputs.share65,
        thresholds=thresholds,
    )


def gap_count(flags: pd.DataFrame) -> npt.NDArray[np.int64]:
    """Number of gaps per cell (0–4).

    Parameters
    ----------
    flags
        From :func:`gap_flags`.

    Returns
    -------
    numpy.ndarray
        Count per cell.
    """
    matrix = flags[list(GAPS)].to_numpy(dtype=np.int64)
    return np.asarray(matrix.sum(axis=1), dtype=np.int64)


def gap_codes(flags: pd.DataFrame) -> npt.NDArray[np.int64]:
    """A number 0–15 per cell saying which gaps apply (sum of their :data:`GAP_BITS`).

    Parameters
    ----------
    flags
        From :func:`gap_flags`.

    Returns
    -------
    numpy.ndarray
        Code per cell.
    """
    bits = np.array([GAP_BITS[g] for g in GAPS], dtype=np.int64)
    matrix = flags[list(GAPS)].to_numpy(dtype=np.int64)
    return np.asarray(matrix @ bits, dtype=np.int64)


def gap_labels(flags: pd.DataFrame, labels: Mapping[str, str], sep: str = " · ") -> list[str]:
    """Which gaps apply to each cell, as text (e.g. ``Haltestelle > 600 m · Schule > 2 km``).

    Parameters
    ----------
    flags
        From :func:`gap_flags`.
    labels
        Gap key → label.
    sep
        Separator between labels.

    Returns
    -------
    list of str
        One text per cell (empty where no gap applies).
    """
    by_code = [
        sep.join(labels[g] for g in GAPS if code & GAP_BITS[g]) for code in range(1 << len(GAPS))
    ]
    return [by_code[c] for c in gap_codes(flags)]


def gap_summary(flags: pd.DataFrame, cells: pd.DataFrame) -> pd.DataFrame:
    """How often each gap occurs per municipality: cells and estimated residents.

    Parameters
    ----------
    flags
        From :func:`gap_flags`.
    cells
        The cells with ``ags`` and ``population_est``.

    Returns
    -------
    pandas.DataFrame
        Index AGS (municipalities, then the district); columns ``cells``, ``people`` (all
        settled cells) and ``cells_<gap>``, ``people_<gap>`` for each gap.
    """
    ones = pd.Series(1.0, index=cells.index)
    everywhere = np.ones(len(cells), dtype=bool)
    columns = {
        "cells": sum_by_group(ones, everywhere, cells["ags"]),
        "people": sum_by_group(cells["population_est"], everywhere, cells["ags"]),
    }
    for gap in GAPS:
        mask = flags[gap].to_numpy()
        columns[f"cells_{gap}"] = sum_by_group(ones, mask, cells["ags"])
        columns[f"people_{gap}"] = sum_by_group(cells["population_est"], mask, cells["ags"])
    return pd.DataFrame(columns)


def missing_inputs(inputs: CellInputs) -> pd.DataFrame:
    """Cells whose gigabit or 65+ input is missing (they count as not flagged).

    Parameters
    ----------
    inputs
        From :func:`cell_inputs`.

    Returns
    -------
    pandas.DataFrame
        Rows ``gigabit`` and ``elderly``; columns ``cells`` and ``people``.
    """
    pop = inputs.cells["population_est"].astype("float64").fillna(0.0).to_numpy()
    no_gigabit = np.isnan(inputs.gigabit_share) | np.isnan(inputs.gigabit_kreis)
    no_share65 = np.isnan(inputs.share65)
    rows = {
        "gigabit": (float(no_gigabit.sum()), float(pop[no_gigabit].sum())),
        "elderly": (float(no_share65.sum()), float(pop[no_share65].sum())),
    }
    return pd.DataFrame.from_dict(rows, orient="index", columns=["cells", "people"])
