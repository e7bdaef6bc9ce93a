"""Mobility: stop catchments, gaps in public transport, and ÖV-Güteklassen.

Everything here is a pure, vectorised function on arrays and frames (no I/O). The catchment
functions take distances from settlement cells to the nearest stop and rail station (straight
line from a k-d tree, or along the walking network); the Güteklassen functions take the
stations of a GTFS feed with their stop category and rate every cell by the best class in
reach, following the GOAT default that extends the ARE method (see
``../shared/notes/indicator-methods.md``, section 2.1).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.spatial import cKDTree

from kek_geo.analysis.access import FloatArray, nearest_distance, share_by_group
from kek_geo.analysis.base import with_kreis

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

# ---------------------------------------------------------------- stop catchments


@dataclass(frozen=True)
class Catchments:
    """Which settlement cells lie in which catchment (one boolean per cell).

    Attributes
    ----------
    stop_near
        Within the short radius (default 300 m) of a scheduled stop.
    stop
        Within the standard radius (default 600 m) of a scheduled stop.
    rail
        Within the radius (default 1,200 m) of a rail station.
    """

    stop_near: BoolArray
    stop: BoolArray
    rail: BoolArray

    @property
    def served(self) -> BoolArray:
        """Cells in at least one catchment."""
        return np.asarray(self.stop_near | self.stop | self.rail, dtype=bool)

    @property
    def gap(self) -> BoolArray:
        """Cells outside every catchment: the gaps in public transport (ÖV-Lücken)."""
        return ~self.served


def catchments_from_distances(
    stop_distance: FloatArray,
    rail_distance: FloatArray,
    *,
    stop_near_m: float,
    stop_m: float,
    rail_m: float,
) -> Catchments:
    """Catchment membership of every cell from its distances to the nearest stop and station.

    Parameters
    ----------
    stop_distance
        Distance per cell to the nearest scheduled stop, metres.
    rail_distance
        Distance per cell to the nearest rail station, metres.
    stop_near_m, stop_m
        Short and standard stop radius, metres.
    rail_m
        Rail station radius, metres.

    Returns
    -------
    Catchments
        Boolean arrays, a distance equal to the radius counts as inside.
    """
    return Catchments(
        stop_near=np.asarray(stop_distance <= stop_near_m, dtype=bool),
        stop=np.asarray(stop_distance <= stop_m, dtype=bool),
        rail=np.asarray(rail_distance <= rail_m, dtype=bool),
    )


def stop_catchments(
    cell_xy: FloatArray,
    stop_xy: FloatArray,
    rail_xy: FloatArray,
    *,
    stop_near_m: float = 300.0,
    stop_m: float = 600.0,
    rail_m: float = 1200.0,
) -> Catchments:
    """Straight-line stop and rail catchments of all cells (two k-d tree queries).

    This is the whole catchment computation for the 9,422 settlement cells: a few
    milliseconds, so it can run on every threshold change.

    Parameters
    ----------
    cell_xy
        ``(n, 2)`` cell centres in EPSG:25832.
    stop_xy
        ``(m, 2)`` scheduled stops.
    rail_xy
        ``(k, 2)`` rail stations.
    stop_near_m, stop_m, rail_m
        Radii in metres.

    Returns
    -------
    Catchments
        Membership per cell.
    """
    return catchments_from_distances(
        nearest_distance(cell_xy, stop_xy),
        nearest_distance(cell_xy, rail_xy),
        stop_near_m=stop_near_m,
        stop_m=stop_m,
        rail_m=rail_m,
    )


def area_weights(cells: pd.DataFrame) -> pd.Series:
    """Settlement area per cell in hectares: every settled 100 m cell counts as 1 ha.

    Parameters
    ----------
    cells
        100 m cells.

    Returns
    -------
    pandas.Series
        1.0 per cell.
    """
    return pd.Series(1.0, index=cells.index)


def weighted_mean_by_group(values: FloatArray, weights: pd.Series, groups: pd.Series) -> pd.Series:
    """Weighted mean per group and for the district (from the totals).

    Cells with a missing or infinite value (e.g. unreachable on the network) or a missing
    weight are left out.

    Parameters
    ----------
    values
        Value per cell, e.g. a distance.
    weights
        Weight per cell, e.g. estimated residents.
    groups
        Group per cell (AGS).

    Returns
    -------
    pandas.Series
        Mean per group and district mean, indexed by AGS.
    """
    v = np.asarray(values, dtype=np.float64)
    w = weights.astype("float64").to_numpy()
    ok = np.isfinite(v) & ~np.isnan(w)
    frame = pd.DataFrame(
        {
            "g": groups.astype(str).to_numpy(),
            "w": np.where(ok, w, 0.0),
            "wv": np.where(ok, w * np.where(ok, v, 0.0), 0.0),
        }
    )
    sums = frame.groupby("g")[["w", "wv"]].sum()
    per = sums["wv"] / sums["w"].where(sums["w"] > 0)
    total = float(frame["w"].sum())
    return with_kreis(per, float(frame["wv"].sum()) / total if total > 0 else float("nan"))


#: At most this many gap cells go on the map (the most populated ones).
MAX_GAP_CELLS = 3000


def gap_cells(
    cells: gpd.GeoDataFrame, gap: BoolArray, limit: int = MAX_GAP_CELLS
) -> tuple[gpd.GeoDataFrame, int]:
    """The cells outside every catchment, most populated first, for the map.

    Parameters
    ----------
    cells
        100 m cells with ``population_est``.
    gap
        Boolean per cell from :attr:`Catchments.gap`.
    limit
        Maximum number of cells returned.

    Returns
    -------
    tuple
        The cells (at most ``limit``) and the number of gap cells in total.
    """
    selected = cells[np.asarray(gap, dtype=bool)]
    order = np.argsort(-selected["population_est"].fillna(0.0).to_numpy(), kind="stable")
    return selected.iloc[order[:limit]], len(selected)


# ---------------------------------------------------------------- ÖV-Güteklassen

#: Mode groups, best first: A rail, B tram, C bus (GOAT default).
MODE_GROUPS = ("A", "B", "C")
#: Upper bounds of the interval tiers in minutes (GOAT profile "up to 120 min").
INTERVAL_TIERS_MIN = (5.0, 10.0, 20.0, 40.0, 60.0, 120.0)
#: Stop category (1 = I … 7 = VII) per interval tier (rows) and mode group (columns).
CATEGORY_BY_TIER = np.array(
    [[1, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6], [5, 6, 7]], dtype=np.int64
)
#: Roman numerals of the stop categories (index 0 = no category).
CATEGORY_NAMES = ("–", "I", "II", "III", "IV", "V", "VI", "VII")
#: Outer radius of each ring around a station, metres.
RING_LIMITS_M = (300.0, 500.0, 750.0, 1000.0)
#: Class labels; the class index is the position, :data:`NO_CLASS` means none.
CLASS_LABELS = ("A", "B", "C", "D", "E", "F")
NO_CLASS = len(CLASS_LABELS)
#: Class per stop category (rows I … VII) and ring (columns ≤300, ≤500, ≤750, ≤1000 m).
CLASS_BY_CATEGORY = np.array(
    [
        [0, 0, 1, 2],
        [0, 1, 2, 3],
        [1, 2, 3, 4],
        [2, 3, 4, 5],
        [3, 4, 5, NO_CLASS],
        [4, 5, NO_CLASS, NO_CLASS],
        [5, NO_CLASS, NO_CLASS, NO_CLASS],
    ],
    dtype=np.int64,
)


def interval_tier(interval_min: FloatArray) -> IntArray:
    """Interval tier per station: 0 for ≤ 5 min … 5 for ≤ 120 min, -1 above (or no service).

    Parameters
    ----------
    interval_min
        Mean interval in minutes (``inf`` without departures).

    Returns
    -------
    numpy.ndarray
        Tier index per station.
    """
    interval = np.asarray(interval_min, dtype=np.float64)
    tier = np.searchsorted(np.asarray(INTERVAL_TIERS_MIN), interval, side="left")
    tier = np.where(np.isnan(interval), len(INTERVAL_TIERS_MIN), tier)
    return np.where(tier < len(INTERVAL_TIERS_MIN), tier, -1).astype(np.int64)


def station_category(group: IntArray, interval_min: FloatArray) -> IntArray:
    """Stop category per station from its mode group and mean interval.

    Parameters
    ----------
    group
        Mode group per station: 0 = A (rail), 1 = B (tram), 2 = C (bus), -1 = none.
    interval_min
        Mean interval in minutes between 06:00 and 20:00.

    Returns
    -------
    numpy.ndarray
        1 (I) … 7 (VII), 0 for no category (interval above 120 min or no scheduled mode).
    """
    tier = interval_tier(interval_min)
    grp = np.asarray(group, dtype=np.int64)
    ok = (tier >= 0) & (grp >= 0) & (grp < len(MODE_GROUPS))
    category = CATEGORY_BY_TIER[np.where(ok, tier, 0), np.where(ok, grp, 0)]
    return np.where(ok, category, 0).astype(np.int64)


def best_class(cell_xy: FloatArray, station_xy: FloatArray, category: IntArray) -> IntArray:
    """ÖV-Güteklasse of every cell: the best class of all stations in reach.

    Rings are straight-line distances from the cell centre (as in ARE and GOAT); where the
    rings of several stations overlap, the better class wins.

    Parameters
    ----------
    cell_xy
        ``(n, 2)`` cell centres in EPSG:25832.
    station_xy
        ``(m, 2)`` stations.
    category
        Stop category per station (0 = none, 1 = I … 7 = VII).

    Returns
    -------
    numpy.ndarray
        Class index per cell: 0 = A … 5 = F, :data:`NO_CLASS` for none.
    """
    best = np.full(len(cell_xy), NO_CLASS, dtype=np.int64)
    cat = np.asarray(category, dtype=np.int64)
    keep = cat > 0
    if len(cell_xy) == 0 or not keep.any():
        return best
    stations = np.asarray(station_xy, dtype=np.float64)[keep]
    pairs = cKDTree(cell_xy).sparse_distance_matrix(
        cKDTree(stations), RING_LIMITS_M[-1], output_type="ndarray"
    )
    ring = np.searchsorted(np.asarray(RING_LIMITS_M), pairs["v"], side="left")
    cls = CLASS_BY_CATEGORY[cat[keep][pairs["j"]] - 1, ring]
    np.minimum.at(best, pairs["i"], cls)
    return best


def class_shares(weights: pd.Series, classes: IntArray, groups: pd.Series) -> pd.DataFrame:
    """Share of a weight (people, area) in each class and without class, per group.

    Parameters
    ----------
    weights
        Weight per cell.
    classes
        Class index per cell from :func:`best_class`.
    groups
        Group per cell (AGS).

    Returns
    -------
    pandas.DataFrame
        Columns ``A`` … ``F`` and ``none`` in percent; rows per AGS and the district.
    """
    cls = np.asarray(classes)
    columns = {
        label: share_by_group(weights, cls == k, groups) for k, label in enumerate(CLASS_LABELS)
    }
    columns["none"] = share_by_group(weights, cls == NO_CLASS, groups)
    return pd.DataFrame(columns)
