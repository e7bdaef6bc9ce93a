"""Distances from settlement cells to facilities, and shares of people within reach.

Straight-line distances use a k-d tree over the facilities (a few milliseconds for all 100 m
cells). When a walking network has been imported, :func:`distances` measures along it instead;
the caller learns which method was used, so the page can say so.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Literal, Protocol

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from kek_geo.analysis.base import LayerSource, with_kreis

FloatArray = npt.NDArray[np.float64]
DistanceMethod = Literal["straight", "network"]

#: How many recent results the distance and centroid memos keep.
_MEMO_SIZE = 32

#: Stop modes that count as public transport stops (on-demand-only and unknown stops do not).
SCHEDULED_MODES = ("rail", "tram", "bus")


class DistanceNetwork(Protocol):
    """A walking network that can measure distances along paths (see ``analysis.network``)."""

    def distance_to_nearest(self, origins: FloatArray, targets: FloatArray) -> FloatArray:
        """Network distance in metres from each origin to its nearest target."""
        ...


def centroids_xy(gdf: gpd.GeoDataFrame) -> FloatArray:
    """Centroid coordinates ``(n, 2)`` of a layer in its own (metric) CRS.

    Parameters
    ----------
    gdf
        Points or polygons in a projected CRS.

    Returns
    -------
    numpy.ndarray
        x and y per feature.
    """
    memo = _CENTROID_MEMO.get(id(gdf))
    if memo is not None and memo[0] is gdf and memo[1] == len(gdf):
        return memo[2]
    centres = shapely.centroid(gdf.geometry.to_numpy())
    xy: FloatArray = np.asarray(shapely.get_coordinates(centres), dtype=np.float64)
    xy.setflags(write=False)  # shared between callers: read-only
    _CENTROID_MEMO[id(gdf)] = (gdf, len(gdf), xy)
    while len(_CENTROID_MEMO) > _MEMO_SIZE:
        _CENTROID_MEMO.pop(next(iter(_CENTROID_MEMO)))
    return xy


# The snapshot's layers are shared, read-only objects: remember the centroids of the last few
# (each indicator of a page asks for those of the 100 m cells), checked by identity.
_CENTROID_MEMO: dict[int, tuple[gpd.GeoDataFrame, int, FloatArray]] = {}


def nearest_distance(origins: FloatArray, targets: FloatArray) -> FloatArray:
    """Straight-line distance from each origin to the nearest target.

    Parameters
    ----------
    origins
        ``(n, 2)`` coordinates in metres.
    targets
        ``(m, 2)`` coordinates in metres.

    Returns
    -------
    numpy.ndarray
        ``n`` distances; infinite when there are no targets.
    """
    if len(targets) == 0:
        return np.full(len(origins), np.inf)
    dist, _ = cKDTree(targets).query(origins, k=1)
    return np.asarray(dist, dtype=np.float64)


def distances(
    source: LayerSource, origins: FloatArray, targets: FloatArray
) -> tuple[FloatArray, DistanceMethod]:
    """Distance to the nearest target: along the walking network if imported, else straight.

    Parameters
    ----------
    source
        Snapshot (its ``walk_network`` extra decides the method).
    origins, targets
        ``(n, 2)`` and ``(m, 2)`` coordinates in EPSG:25832.

    Returns
    -------
    tuple
        Distances in metres and the method used (``"straight"`` or ``"network"``).
    """
    network: DistanceNetwork | None = source.extra("walk_network")
    key = (id(network), _digest(origins), _digest(targets))
    memo = _DISTANCE_MEMO.get(key)
    if memo is not None and memo[0] is network:  # same object, not just a reused id
        return memo[1]
    if network is None:
        result: tuple[FloatArray, DistanceMethod] = (nearest_distance(origins, targets), "straight")
    else:
        result = (network.distance_to_nearest(origins, targets), "network")
    result[0].setflags(write=False)  # shared between callers: read-only
    _DISTANCE_MEMO[key] = (network, result)
    while len(_DISTANCE_MEMO) > _MEMO_SIZE:
        _DISTANCE_MEMO.pop(next(iter(_DISTANCE_MEMO)))
    return result


# Several indicators of a page ask for the same distances (cells to stops, cells to schools):
# remember the last few results, keyed by the exact coordinates, so a page computes each once.
_DISTANCE_MEMO: dict[
    tuple[int, str, str], tuple[DistanceNetwork | None, tuple[FloatArray, DistanceMethod]]
] = {}


def _digest(points: FloatArray) -> str:
    data = np.ascontiguousarray(points, dtype=np.float64)
    return hashlib.blake2b(data.tobytes(), digest_size=16).hexdigest() + str(data.shape)


def stop_points(source: LayerSource, modes: Sequence[str] = SCHEDULED_MODES) -> FloatArray:
    """Coordinates of stops with the given modes (inside the district and its 2 km margin).

    Parameters
    ----------
    source
        Snapshot.
    modes
        Stop modes to include.

    Returns
    -------
    numpy.ndarray
        ``(m, 2)`` coordinates.
    """
    stops = source.geo("stops")
    return centroids_xy(stops[stops["mode"].isin(list(modes))])


def rail_station_points(source: LayerSource) -> FloatArray:
    """Coordinates of the DB rail stations in and around the district.

    Parameters
    ----------
    source
        Snapshot.

    Returns
    -------
    numpy.ndarray
        ``(m, 2)`` coordinates.
    """
    return centroids_xy(source.geo("rail_stations"))


def share_by_group(
    weights: pd.Series, inside: npt.ArrayLike, groups: pd.Series, *, scale: float = 100.0
) -> pd.Series:
    """Share of a weight (people, area) that meets a condition, per group and for the district.

    Missing weights are left out of numerator and denominator alike.

    Parameters
    ----------
    weights
        Weight per cell, e.g. estimated residents; may contain NaN.
    inside
        Boolean per cell: does the cell meet the condition (e.g. a stop within 600 m)?
    groups
        Group per cell, e.g. the municipality's AGS.
    scale
        100 for a percentage.

    Returns
    -------
    pandas.Series
        Share per group and the district share (all cells), indexed by AGS.
    """
    w = weights.astype("float64").to_numpy()
    ok = ~np.isnan(w)
    hit = np.asarray(inside, dtype=bool) & ok
    labels, codes = group_codes(groups)
    w_sum = np.bincount(codes, weights=np.where(ok, w, 0.0), minlength=len(labels))
    h_sum = np.bincount(codes, weights=np.where(hit, w, 0.0), minlength=len(labels))
    with np.errstate(invalid="ignore", divide="ignore"):
        per = pd.Series(np.where(w_sum > 0, h_sum / w_sum, np.nan) * scale, index=labels)
    total = float(w_sum.sum())
    kreis = float(h_sum.sum() / total * scale) if total > 0 else float("nan")
    return with_kreis(per, kreis)


def sum_by_group(values: pd.Series, mask: npt.ArrayLike, groups: pd.Series) -> pd.Series:
    """Sum of a value over the cells that meet a condition, per group and for the district.

    Parameters
    ----------
    values
        Value per cell (NaN counts as 0: a suppressed count adds nothing known).
    mask
        Boolean per cell.
    groups
        Group per cell.

    Returns
    -------
    pandas.Series
        Sum per group and district total, indexed by AGS; missing everywhere when the value is
        missing in every cell (the snapshot lacks it, e.g. children under 10 without the 2011
        grid): a missing input is never 0.
    """
    if len(values) and values.isna().all():
        labels, _ = group_codes(groups)
        return with_kreis(pd.Series(np.nan, index=labels), float("nan"))
    v = np.where(np.asarray(mask, dtype=bool), values.astype("float64").fillna(0.0).to_numpy(), 0.0)
    labels, codes = group_codes(groups)
    per = pd.Series(np.bincount(codes, weights=v, minlength=len(labels)), index=labels)
    return with_kreis(per, float(v.sum()))


_GROUP_MEMO: dict[int, tuple[pd.Series, int, pd.Index, npt.NDArray[np.intp]]] = {}


def group_codes(groups: pd.Series) -> tuple[pd.Index, npt.NDArray[np.intp]]:
    """Sorted group labels (as text) and each cell's position among them.

    Remembered for the last series seen by identity (the cells of a layer are shared), so the
    text conversion runs once per layer, not once per indicator.

    Parameters
    ----------
    groups
        Group per cell.

    Returns
    -------
    tuple
        Labels and codes.
    """
    memo = _GROUP_MEMO.get(id(groups))
    if memo is not None and memo[0] is groups and memo[1] == len(groups):
        return memo[2], memo[3]
    codes, labels = pd.factorize(groups.astype(str).to_numpy(), sort=True)
    index = pd.Index(labels.astype(str))
    if len(_GROUP_MEMO) > 64:
        _GROUP_MEMO.clear()
    _GROUP_MEMO[id(groups)] = (groups, len(groups), index, codes)
    return index, codes
