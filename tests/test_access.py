"""Distances and shares: hand-made points and cells, numbers checked by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import shapely

from kek_geo.analysis.access import (
    centroids_xy,
    distances,
    nearest_distance,
    share_by_group,
    stop_points,
    sum_by_group,
)
from kek_geo.settings import KREIS_AGS
from tests.helpers import MemorySource, gdf


def test_nearest_distance_is_straight_line() -> None:
    origins = np.array([[0.0, 0.0], [300.0, 400.0]])
    targets = np.array([[0.0, 100.0], [600.0, 800.0]])
    # (0,0) -> (0,100): 100 m; (300,400) -> (0,100): sqrt(300²+300²) = 424.3 m,
    # to (600,800): 500 m -> 424.3 m
    assert nearest_distance(origins, targets).tolist() == pytest.approx(
        [100.0, math.hypot(300, 300)]
    )


def test_nearest_distance_without_targets_is_infinite() -> None:
    assert np.isinf(nearest_distance(np.zeros((2, 2)), np.zeros((0, 2)))).all()


A, B = "05758001", "05758002"


def test_share_by_group_ignores_missing_weights() -> None:
    weights = pd.Series([10.0, 30.0, np.nan, 60.0])
    inside = np.array([True, False, True, True])
    groups = pd.Series([A, A, B, B])
    shares = share_by_group(weights, inside, groups)
    # A: 10 of 40 = 25 %; B: the NaN cell is left out: 60 of 60 = 100 %; all: 70 of 100
    assert shares[A] == pytest.approx(25.0)
    assert shares[B] == pytest.approx(100.0)
    assert shares[KREIS_AGS] == pytest.approx(70.0)


def test_sum_by_group_counts_suppressed_as_nothing() -> None:
    values = pd.Series([5.0, np.nan, 7.0])
    sums = sum_by_group(values, [True, True, False], pd.Series([A, A, B]))
    assert sums[A] == 5.0
    assert sums[B] == 0.0
    assert sums[KREIS_AGS] == 5.0


class _StraightNetwork:
    """A fake network that doubles every straight distance (so the test sees it was used)."""

    def distance_to_nearest(self, origins: np.ndarray, targets: np.ndarray) -> np.ndarray:
        return 2 * nearest_distance(origins, targets)


def test_distances_use_the_walking_network_when_imported() -> None:
    stops = gdf(
        [
            {"mode": "bus", "geometry": shapely.Point(0, 100)},
            {"mode": "on_demand", "geometry": shapely.Point(0, 10)},
        ]
    )
    plain = MemorySource(stops=stops)
    pts = stop_points(plain)
    assert pts.tolist() == [[0.0, 100.0]]  # on-demand-only stops do not count
    origin = np.array([[0.0, 0.0]])
    dist, method = distances(plain, origin, pts)
    assert (dist.tolist(), method) == ([100.0], "straight")
    walked = MemorySource(extras={"walk_network": _StraightNetwork()}, stops=stops)
    dist, method = distances(walked, origin, pts)
    assert method == "network"
    assert dist.tolist() == [200.0]


def test_centroids_of_squares() -> None:
    cells = gdf(
        [{"geometry": shapely.box(0, 0, 100, 100)}, {"geometry": shapely.box(100, 0, 200, 100)}]
    )
    assert centroids_xy(cells).tolist() == [[50.0, 50.0], [150.0, 50.0]]
