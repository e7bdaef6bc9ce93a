"""Overall picture: settled 100 m cells that fall into several infrastructure gaps at once.

Only what is measured per cell is combined. Three gaps per cell:

``transit``
    no scheduled stop (rail, tram, bus) within the stop radius and no rail station within the
    rail radius (the ÖV-Lücke of the Mobilität page);
``school``
    no primary school within the radius;
``elderly``
    its parent 1 km cell has a share of people aged 65+ (Zensus 2022) at or above the threshold,
    and enough residents for that share to mean something (the 2022 grid is perturbed by up to
    ±13 persons per age band).

Broadband is published per municipality only; giving every cell its municipality's figure
would redraw municipal borders, so it is not a cell gap. :func:`gigabit_below_kreis` names the
municipalities below the district's gigabit share for a separate outline on the map.

A missing or unreliable input (a 1 km cell without a 65+ share or with too few residents) never
flags a cell; :func:`missing_inputs` counts such cells so the page can say so.
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
    rail_station_points,
    stop_points,
    sum_by_group,
)
from kek_geo.analysis.base import LayerSource
from kek_geo.analysis.broadband import availability, broadband_table, latest_release
from kek_geo.analysis.education import primary_schools
from kek_geo.district import district_key

BoolArray = npt.NDArray[np.bool_]

#: The three cell gaps, in display order.
GAPS: tuple[str, ...] = ("transit", "school", "elderly")
#: Bit of each gap in a gap code (a number 0–7 that says which gaps apply).
GAP_BITS = {gap: 1 << i for i, gap in enumerate(GAPS)}


@dataclass(frozen=True)
class GapThresholds:
    """Thresholds of the three gaps.

    Attributes
    ----------
    stop_m
        Transit gap: no scheduled stop within this distance (metres) …
    rail_m
        … and no rail station within this distance (metres).
    school_m
        A cell has a school gap when no primary school is within this distance (metres).
    elderly_pct
        A cell has an elderly gap when its 1 km cell's 65+ share is at least this (%) …
    elderly_min_pop
        … and the 1 km cell has at least this many residents (2022).
    """

    stop_m: float = 600.0
    rail_m: float = 1200.0
    school_m: float = 2000.0
    elderly_pct: float = 25.0
    elderly_min_pop: float = 200.0


@dataclass(frozen=True)
class CellInputs:
    """Per-cell inputs of the gap flags (arrays aligned with the cells).

    Attributes
    ----------
    cells
        The settled 100 m cells.
    dist_stop, dist_rail, dist_school
        Distance to the nearest scheduled stop, rail station and primary school, metres.
    share65
        Share aged 65+ (2022) of the parent 1 km cell, % (NaN where not available).
    pop_1km
        Residents (2022) of the parent 1 km cell (NaN where not available).
    method
        How distances were measured.
    """

    cells: gpd.GeoDataFrame
    dist_stop: FloatArray
    dist_rail: FloatArray
    dist_school: FloatArray
    share65: FloatArray
    pop_1km: FloatArray
    method: DistanceMethod


def gigabit_below_kreis(source: LayerSource) -> pd.DataFrame:
    """Municipal gigabit household shares of the newest release, against the district's.

    Parameters
    ----------
    source
        Snapshot (broadband table plus imported releases).

    Returns
    -------
    pandas.DataFrame
        Index AGS of the municipalities; columns ``share`` (%), ``kreis`` (%), ``below``
        (share below the district's; False where not published) and ``release``.
    """
    table = broadband_table(source)
    release = latest_release(table)
    shares = availability(table, release=release, threshold_mbit=1000)
    key = district_key(source.layer("gemeinden"))
    kreis = float(shares.get(key, np.nan))
    per = shares.drop(key, errors="ignore")
    return pd.DataFrame(
        {
            "share": per,
            "kreis": kreis,
            "below": (per < kreis).fillna(value=False).astype(bool),
            "release": release,
        }
    )


def parent_value(
    cells: pd.DataFrame, grid_1km: pd.DataFrame, column: str = "share_65plus"
) -> FloatArray:
    """A value of each 100 m cell's parent 1 km cell (NaN where not available).

    Parameters
    ----------
    cells
        100 m cells with ``cell_1km``.
    grid_1km
        1 km cells with ``cell_id`` (unique, also for clipped cells) and ``column``.
    column
        The value, e.g. ``share_65plus`` or ``population``.

    Returns
    -------
    numpy.ndarray
        Value per 100 m cell.
    """
    lookup = grid_1km.set_index(grid_1km["cell_id"].astype(str))[column]
    mapped = cells["cell_1km"].astype(str).map(lookup.astype("float64"))
    return np.asarray(mapped.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)


def cell_inputs(source: LayerSource) -> CellInputs:
    """Collect the per-cell inputs of the gap flags from the snapshot.

    Parameters
    ----------
    source
        Snapshot (``grid_100m``, ``grid_1km``, ``stops``, ``rail_stations``, ``schools``).

    Returns
    -------
    CellInputs
        Distances and 65+ shares per settled cell.
    """
    cells = source.geo("grid_100m")
    origins = centroids_xy(cells)
    dist_stop, method = distances(source, origins, stop_points(source))
    dist_rail, _ = distances(source, origins, rail_station_points(source))
    schools = centroids_xy(primary_schools(source.geo("schools")))
    dist_school, _ = distances(source, origins, schools)
    grid = source.layer("grid_1km")
    return CellInputs(
        cells=cells,
        dist_stop=dist_stop,
        dist_rail=dist_rail,
        dist_school=dist_school,
        share65=parent_value(cells, grid, "share_65plus"),
        pop_1km=parent_value(cells, grid, "population"),
        method=method,
    )


def gap_flags(inputs: CellInputs, thresholds: GapThresholds) -> pd.DataFrame:
    """The three gap flags of every cell.

    Parameters
    ----------
    inputs
        From :func:`cell_inputs`.
    thresholds
        The thresholds.

    Returns
    -------
    pandas.DataFrame
        Boolean columns ``transit``, ``school``, ``elderly``, indexed like the cells.
    """
    transit = (np.asarray(inputs.dist_stop) > thresholds.stop_m) & (
        np.asarray(inputs.dist_rail) > thresholds.rail_m
    )
    elderly = (np.nan_to_num(inputs.share65, nan=-np.inf) >= thresholds.elderly_pct) & (
        np.nan_to_num(inputs.pop_1km, nan=0.0) >= thresholds.elderly_min_pop
    )
    return pd.DataFrame(
        {
            "transit": transit,
            "school": np.asarray(inputs.dist_school) > thresholds.school_m,
            "elderly": elderly,
        },
        index=inputs.cells.index,
    )


def gap_count(flags: pd.DataFrame) -> npt.NDArray[np.int64]:
    """Number of gaps per cell (0–3).

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
    """A number 0–7 per cell saying which gaps apply (sum of their :data:`GAP_BITS`).

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


def code_text(code: int, labels: Mapping[str, str], sep: str = " · ") -> str:
    """The gaps of a gap code as text (e.g. ``Grundschule > 2 km · 65+ ≥ 25 %``).

    Parameters
    ----------
    code
        Gap code (see :func:`gap_codes`).
    labels
        Gap key → label.
    sep
        Separator between labels.

    Returns
    -------
    str
        The labels of the gaps in the code (empty for 0).
    """
    return sep.join(labels[g] for g in GAPS if code & GAP_BITS[g])


def gap_labels(flags: pd.DataFrame, labels: Mapping[str, str], sep: str = " · ") -> list[str]:
    """Which gaps apply to each cell, as text.

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
    by_code = [code_text(code, labels, sep) for code in range(1 << len(GAPS))]
    return [by_code[c] for c in gap_codes(flags)]


def combination_counts(flags: pd.DataFrame, cells: pd.DataFrame, min_gaps: int) -> pd.DataFrame:
    """Which combinations of gaps the cells with at least ``min_gaps`` gaps have, most first.

    Parameters
    ----------
    flags
        From :func:`gap_flags`.
    cells
        The cells with ``population_est``.
    min_gaps
        Smallest number of gaps counted.

    Returns
    -------
    pandas.DataFrame
        Index gap code; columns ``cells``, ``people`` and ``share_cells`` (% of the counted
        cells), sorted by cells (then code).
    """
    codes = gap_codes(flags)
    keep = gap_count(flags) >= min_gaps
    frame = pd.DataFrame(
        {"code": codes[keep], "people": cells["population_est"].to_numpy(dtype=float)[keep]}
    )
    out = frame.groupby("code").agg(cells=("people", "size"), people=("people", "sum"))
    out["share_cells"] = out["cells"] / max(int(keep.sum()), 1) * 100.0
    order = np.lexsort((out.index.to_numpy(), -out["cells"].to_numpy()))
    return out.iloc[order]


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


def missing_inputs(inputs: CellInputs, thresholds: GapThresholds) -> pd.DataFrame:
    """Cells whose 65+ input is missing or unreliable (they count as not flagged).

    Parameters
    ----------
    inputs
        From :func:`cell_inputs`.
    thresholds
        The thresholds (minimum residents of the 1 km cell).

    Returns
    -------
    pandas.DataFrame
        Row ``elderly``; columns ``cells`` and ``people``.
    """
    pop = inputs.cells["population_est"].astype("float64").fillna(0.0).to_numpy()
    small = np.nan_to_num(inputs.pop_1km, nan=0.0) < thresholds.elderly_min_pop
    no_share65 = np.isnan(inputs.share65) | small
    rows = {"elderly": (float(no_share65.sum()), float(pop[no_share65].sum()))}
    return pd.DataFrame.from_dict(rows, orient="index", columns=["cells", "people"])
