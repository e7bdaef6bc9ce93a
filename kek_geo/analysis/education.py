"""Education: children under 10 and their distance to a primary school; schools by type.

Primary schools are the general primary schools (``school_type == "Grundschule"``); the special
schools for primary and lower secondary pupils (``Förderschule Grund-/Hauptschule``) serve the
whole district and are not counted. Only the district's own schools are in the data, so cells
near the border may have a closer school in a neighbouring town: distances there are overstated.
"""

from __future__ import annotations

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
    sum_by_group,
)
from kek_geo.analysis.base import LayerSource, with_kreis
from kek_geo.analysis.demography import hotspot_mask
from kek_geo.district import District

#: School type of the general primary schools.
PRIMARY_TYPE = "Grundschule"
#: Column of the 100 m grid with the children under 10 (NaN = suppressed count below 3).
CHILDREN = "children_u10"


def primary_schools(schools: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The general primary schools among all schools.

    Parameters
    ----------
    schools
        Schools with ``school_type``.

    Returns
    -------
    geopandas.GeoDataFrame
        The rows with ``school_type == "Grundschule"``.
    """
    return schools[schools["school_type"].astype(str) == PRIMARY_TYPE]


def primary_school_distance(
    source: LayerSource,
) -> tuple[gpd.GeoDataFrame, FloatArray, DistanceMethod]:
    """Distance from every settled 100 m cell to the nearest primary school.

    Parameters
    ----------
    source
        Snapshot (``grid_100m``, ``schools``; its walking network if imported).

    Returns
    -------
    tuple
        The cells, the distance per cell in metres and the method used.
    """
    cells = source.geo("grid_100m")
    targets = centroids_xy(primary_schools(source.geo("schools")))
    dist, method = distances(source, centroids_xy(cells), targets)
    return cells, dist, method


def children_share_within(cells: pd.DataFrame, dist: FloatArray, radius: float) -> pd.Series:
    """Share (%) of children under 10 living within ``radius`` of a primary school.

    Cells with a suppressed count (below 3) are left out of numerator and denominator.

    Parameters
    ----------
    cells
        100 m cells with ``ags`` and ``children_u10``.
    dist
        Distance per cell to the nearest primary school, metres.
    radius
        Radius in metres.

    Returns
    -------
    pandas.Series
        Percent per municipality and for the district.
    """
    return share_by_group(cells[CHILDREN], dist <= radius, cells["ags"])


def far_hotspot_mask(
    cells: pd.DataFrame, dist: FloatArray, min_children: float, radius: float
) -> npt.NDArray[np.bool_]:
    """Cells with at least ``min_children`` children under 10 farther than ``radius`` from a school.

    Parameters
    ----------
    cells
        100 m cells with ``children_u10``.
    dist
        Distance per cell to the nearest primary school, metres.
    min_children
        Minimum number of children under 10 in the cell.
    radius
        Radius in metres.

    Returns
    -------
    numpy.ndarray
        Boolean per cell.
    """
    return hotspot_mask(cells, CHILDREN, min_children) & (dist > radius)


def children_in_far_hotspots(
    cells: pd.DataFrame, dist: FloatArray, min_children: float, radius: float
) -> pd.Series:
    """Children under 10 in hotspot cells farther than ``radius`` from a primary school.

    Parameters
    ----------
    cells
        100 m cells with ``ags`` and ``children_u10``.
    dist
        Distance per cell, metres.
    min_children
        Minimum number of children for a hotspot.
    radius
        Radius in metres.

    Returns
    -------
    pandas.Series
        Children per municipality and for the district.
    """
    mask = far_hotspot_mask(cells, dist, min_children, radius)
    return sum_by_group(cells[CHILDREN], mask, cells["ags"])


def pupil_weighted_social_index(schools: pd.DataFrame) -> pd.Series:
    """Mean school social index per municipality, weighted by pupils, where published.

    Schools without a social index (vocational, special and some private schools) or without
    a pupil count are left out. The district value is weighted over all its schools.

    Parameters
    ----------
    schools
        Schools with ``ags``, ``pupils`` and ``social_index`` (1 = low … 9 = very high need).

    Returns
    -------
    pandas.Series
        Mean index per municipality (NaN where no school publishes one) and for the district.
    """
    index = schools["social_index"].astype("float64")
    pupils = schools["pupils"].astype("float64")
    ok = index.notna() & pupils.notna() & (pupils > 0)
    frame = pd.DataFrame(
        {
            "ags": schools["ags"].astype(str).to_numpy(),
            "w": np.where(ok, pupils, 0.0),
            "wx": np.where(ok, pupils * index, 0.0),
        }
    )
    sums = frame.groupby("ags")[["w", "wx"]].sum()
    per = sums["wx"] / sums["w"].where(sums["w"] > 0)
    total = float(frame["w"].sum())
    return with_kreis(per, float(frame["wx"].sum()) / total if total > 0 else float("nan"))


def count_by_municipality(schools: pd.DataFrame, mask: npt.ArrayLike, ags: pd.Index) -> pd.Series:
    """Number of schools meeting a condition per municipality (0 where none) and in the district.

    Parameters
    ----------
    schools
        Schools with ``ags``.
    mask
        Boolean per school.
    ags
        The municipalities to report (the school list covers the whole district, so a
        municipality without such a school has 0, not a missing value).

    Returns
    -------
    pandas.Series
        Counts indexed by AGS and the district key.
    """
    hit = np.asarray(mask, dtype=bool)
    counts = schools.loc[hit, "ags"].astype(str).value_counts()
    per = counts.reindex(ags.astype(str), fill_value=0).astype("float64")
    return with_kreis(per, float(hit.sum()))


def schools_by_type(
    schools: pd.DataFrame, gemeinden: pd.DataFrame, district: District
) -> pd.DataFrame:
    """Number of schools of each type per municipality, with a total and the district row.

    Parameters
    ----------
    schools
        Schools with ``ags`` and ``school_type``.
    gemeinden
        Municipalities with ``ags`` and ``name``.
    district
        The district (key and name of its row).

    Returns
    -------
    pandas.DataFrame
        Index ``ags`` (municipalities sorted, then the district), columns ``gemeinde``, one per
        school type (most frequent first) and ``total``.
    """
    gem = gemeinden.sort_values("ags")
    ags = gem["ags"].astype(str)
    types = schools["school_type"].astype(str).value_counts().index.tolist()
    counts = pd.crosstab(schools["ags"].astype(str), schools["school_type"].astype(str))
    per = counts.reindex(index=ags, columns=types, fill_value=0)
    table = pd.concat([per, per.sum().to_frame(district.ags).T])
    table.index.name = "ags"
    table.columns.name = None
    table["total"] = table[types].sum(axis=1)
    table.insert(0, "gemeinde", [*gem["name"].astype(str), district.name])
    return table
