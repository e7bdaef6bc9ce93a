"""Daseinsvorsorge: how many residents live near the everyday services (BBSR Nahversorgung).

Five kinds of service count, as in the BBSR's local-amenities indicators: a supermarket, a GP,
a pharmacy, a primary school and a public transport stop. For every settled 100 m cell the
distance to the nearest of each kind is measured (straight line, or along the walking network
if imported); a kind is *near* when it is within the radius (BBSR: 1,000 m). Shares are of the
cell's residents.

Supermarkets, GPs and pharmacies come from OpenStreetMap (``services`` layer, fetched with
``kek-geo fetch``); primary schools from the official school list (``schools``) where the
snapshot has one, else from OpenStreetMap; stops from the ``stops`` layer. A kind without any
location in the data gives missing values, never 0 %.
"""

from __future__ import annotations

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
    share_by_group,
    stop_points,
    sum_by_group,
)
from kek_geo.analysis.base import LayerSource, per_source
from kek_geo.analysis.education import primary_schools

#: The residents of a 100 m cell (Zensus 2022 where the snapshot has it, else the estimate).
RESIDENTS = "population_est"


@dataclass(frozen=True)
class ServiceKind:
    """One kind of everyday service.

    Attributes
    ----------
    key
        Identifier, also the ``category`` in the ``services`` layer.
    name_de, name_en
        Display name.
    colour
        Marker colour on the map.
    noun_en
        The English name inside a sentence (``a GP``, ``a supermarket``).
    """

    key: str
    name_de: str
    name_en: str
    colour: str
    noun_en: str


#: The BBSR set, in the order of the pages.
KINDS: tuple[ServiceKind, ...] = (
    ServiceKind("supermarket", "Supermarkt", "Supermarket", "#e31a1c", "a supermarket"),
    ServiceKind("gp", "Hausarzt", "GP", "#1f78b4", "a GP"),
    ServiceKind("pharmacy", "Apotheke", "Pharmacy", "#33a02c", "a pharmacy"),
    ServiceKind("primary_school", "Grundschule", "Primary school", "#000000", "a primary school"),
    ServiceKind("stop", "Haltestelle", "Stop", "#ff7f00", "a stop"),
)
KIND_KEYS = tuple(k.key for k in KINDS)
#: The three kinds only OpenStreetMap provides.
OSM_KINDS = ("supermarket", "gp", "pharmacy")


def layer_available(source: LayerSource, name: str) -> bool:
    """Whether the snapshot has a layer's source (a stand-in without a manifest: not empty)."""
    available = getattr(source, "available", None)
    if available is not None:
        return bool(available(name))
    return len(source.layer(name)) > 0


def kind_known(source: LayerSource, kind: str) -> bool:
    """Whether the data can tell where a kind of service is (none there is then 0 %, not –)."""
    if kind == "stop":
        return layer_available(source, "stops")
    if kind == "primary_school" and layer_available(source, "schools"):
        return True
    return layer_available(source, "services")


def service_points(source: LayerSource, kind: str) -> FloatArray:
    """Coordinates of every location of one kind of service (district and 2 km around it).

    Parameters
    ----------
    source
        Snapshot.
    kind
        One of :data:`KIND_KEYS`.

    Returns
    -------
    numpy.ndarray
        ``(m, 2)`` coordinates in EPSG:25832; empty when the data have none.
    """
    if kind == "stop":
        return stop_points(source)
    if kind == "primary_school":
        official = primary_schools(source.geo("schools"))
        if len(official):
            return centroids_xy(official)
    if kind not in KIND_KEYS:
        msg = f"unknown service kind {kind!r}; known: {', '.join(KIND_KEYS)}"
        raise KeyError(msg)
    services = source.geo("services")
    return centroids_xy(services[services["category"].astype(str) == kind])


def settled_cells(source: LayerSource) -> gpd.GeoDataFrame:
    """The 100 m cells with residents (the origins of every distance).

    Parameters
    ----------
    source
        Snapshot.

    Returns
    -------
    geopandas.GeoDataFrame
        Cells with more than 0 residents.
    """

    def compute() -> gpd.GeoDataFrame:
        cells = source.geo("grid_100m")
        return cells[cells[RESIDENTS].fillna(0.0) > 0].reset_index(drop=True)

    return per_source(source, "services.settled_cells", compute)


def kind_distance(source: LayerSource, kind: str) -> tuple[FloatArray, DistanceMethod]:
    """Distance from each settled cell to the nearest service of a kind.

    NaN for every cell when the data cannot tell (no source for the kind); infinite when the
    source is there and holds none of the kind (nobody has one nearby).

    Parameters
    ----------
    source
        Snapshot.
    kind
        Service kind.

    Returns
    -------
    tuple
        Metres per cell of :func:`settled_cells`, and the method used.
    """
    cells = settled_cells(source)
    if not kind_known(source, kind):
        return np.full(len(cells), np.nan), "straight"
    targets = service_points(source, kind)
    if len(targets) == 0:
        return np.full(len(cells), np.inf), "straight"
    return distances(source, centroids_xy(cells), targets)


def share_near(
    cells: pd.DataFrame, dist: FloatArray, radius: float, weight: str = RESIDENTS
) -> pd.Series:
    """Share (%) of the residents whose nearest service is within ``radius``.

    Parameters
    ----------
    cells
        Cells with ``ags`` and the weight column.
    dist
        Distance per cell (all NaN: the kind is missing, and so is the share).
    radius
        Metres.
    weight
        Column to weigh by.

    Returns
    -------
    pandas.Series
        Percent per municipality and for the district.
    """
    shares = share_by_group(cells[weight], dist <= radius, cells["ags"])
    if len(dist) and np.isnan(dist).all():
        return shares * np.nan
    return shares


def kinds_near(source: LayerSource, radius: float) -> npt.NDArray[np.float64]:
    """How many of the five kinds each settled cell has within ``radius`` (NaN if one is missing).

    Parameters
    ----------
    source
        Snapshot.
    radius
        Metres.

    Returns
    -------
    numpy.ndarray
        0–5 per cell of :func:`settled_cells`.
    """
    stacked = np.vstack([kind_distance(source, kind)[0] for kind in KIND_KEYS])
    count: npt.NDArray[np.float64] = (stacked <= radius).sum(axis=0).astype(np.float64)
    count[np.isnan(stacked).any(axis=0)] = np.nan
    return count


def mean_kinds_near(cells: pd.DataFrame, counts: FloatArray, weight: str = RESIDENTS) -> pd.Series:
    """The residents' average number of kinds near them (0–5), per municipality and district.

    Parameters
    ----------
    cells
        Cells with ``ags`` and the weight column.
    counts
        Kinds near each cell (from :func:`kinds_near`).
    weight
        Column to weigh by.

    Returns
    -------
    pandas.Series
        Mean per municipality and for the district (missing where a kind is missing).
    """
    w = cells[weight].astype("float64").fillna(0.0)
    if len(counts) and np.isnan(counts).all():
        return sum_by_group(w, np.zeros(len(w), dtype=bool), cells["ags"]) * np.nan
    weighted = sum_by_group(w * np.nan_to_num(counts), np.ones(len(w), dtype=bool), cells["ags"])
    total = sum_by_group(w, np.ones(len(w), dtype=bool), cells["ags"])
    return weighted / total.where(total > 0)


def older_residents(source: LayerSource) -> pd.Series:
    """Residents 65+ per settled cell: counted where the snapshot has them, else estimated.

    Counted: the Zensus 2022 100 m age grid (``people_65plus``). Estimated: the cell's
    residents × the 65+ share of its 1 km cell.

    Parameters
    ----------
    source
        Snapshot (``grid_100m`` with ``cell_1km``; ``grid_1km`` with ``share_65plus``).

    Returns
    -------
    pandas.Series
        Persons per cell of :func:`settled_cells` (NaN where the 1 km share is unknown).
    """
    cells = settled_cells(source)
    if "people_65plus" in cells.columns and cells["people_65plus"].notna().any():
        return cells["people_65plus"].astype("float64")
    km = source.layer("grid_1km").set_index("cell_id")["share_65plus"].astype("float64")
    share = cells["cell_1km"].astype(str).map(km).astype("float64")
    return cells[RESIDENTS].astype("float64") * share / 100.0
