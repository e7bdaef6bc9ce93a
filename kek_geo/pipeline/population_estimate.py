"""Residents per 100 m cell, estimated: the 2022 1 km population spread by the 2011 structure.

No population per 100 m cell exists for 2022 offline, and the Zensus 2011 100 m files publish
no totals either. The estimate therefore combines three published layers:

1. the **2022 population per 1 km cell** (Eurostat Census 2021 grid, Zensus 2022 figures);
2. the **2011 structure inside it**: a *weight* per 100 m cell, the larger of its published
   dwellings and its published residential buildings (every residential building holds at
   least one dwelling); a cell that publishes neither but does publish children under 10 gets
   those children times the district's dwellings per published child. People 80+ in such a
   cell count only as themselves: a cell with many people 80+ and no dwellings is mostly a
   care home, whose places are not dwellings, so they are no sign of further households;
3. the **official 2022 municipal totals** (Zensus 2022), to which the spread is calibrated.

A cell never gets fewer residents than its published age counts (its *floor*), and a cell with
buildings, dwellings or published residents always gets a positive estimate.

Everything here is pure (pandas in, pandas out); :mod:`kek_geo.pipeline.census` reads the files.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def published_residents(cells: pd.DataFrame) -> pd.Series:
    """Residents a 100 m cell publishes by age (children under 10 plus people 80+).

    Parameters
    ----------
    cells
        100 m cells with ``children_u10`` and ``people_80plus`` (missing where suppressed).

    Returns
    -------
    pandas.Series
        Published residents (0 where nothing is published), aligned to ``cells``.
    """
    return cells["children_u10"].fillna(0.0) + cells["people_80plus"].fillna(0.0)


def dwellings_per_published_child(cells: pd.DataFrame) -> float:
    """Dwellings per published child under 10 in the cells that publish both.

    Parameters
    ----------
    cells
        100 m cells with ``dwellings`` and ``children_u10``.

    Returns
    -------
    float
        Ratio of the sums; 1.0 if no cell publishes both.
    """
    children = cells["children_u10"].fillna(0.0)
    dwellings = cells["dwellings"].fillna(0.0)
    both = (children > 0) & (dwellings > 0)
    if not both.any():
        return 1.0
    return float(dwellings[both].sum() / children[both].sum())


def structure_weights(cells: pd.DataFrame, per_child: float) -> pd.Series:
    """Weight of each 100 m cell when a 1 km population is spread over its 100 m cells.

    Parameters
    ----------
    cells
        100 m cells with ``dwellings``, ``buildings`` and ``children_u10``.
    per_child
        Dwellings per published child, for cells that publish neither dwellings nor buildings
        (see :func:`dwellings_per_published_child`).

    Returns
    -------
    pandas.Series
        Dwelling equivalents: ``max(dwellings, buildings)``, else published children ×
        ``per_child``; 0 where a cell publishes at most people 80+ (they enter as floors).
    """
    housing = np.maximum(cells["dwellings"].fillna(0.0), cells["buildings"].fillna(0.0))
    by_children = cells["children_u10"].fillna(0.0) * per_child
    return housing.where(housing > 0, by_children).astype("float64")


def spread_with_floors(
    totals: pd.Series, group: pd.Series, weight: pd.Series, floor: pd.Series
) -> pd.Series:
    """Spread each group's total over its members by weight, never below a member's floor.

    Members whose proportional share would fall below their floor get the floor; the rest of the
    total is spread over the others by weight, repeated until no share is below its floor. Where
    the floors of a group use up its total (the group lost residents since the floors were
    counted), its members with weight but no floor get their weight times the overall rate
    (all totals ÷ all weights), so that every member with weight stays positive.

    Parameters
    ----------
    totals
        Total per group (index: group key); a missing or absent total counts as 0.
    group
        Group key of each member.
    weight
        Non-negative weight of each member.
    floor
        Minimum of each member.

    Returns
    -------
    pandas.Series
        The member values, aligned to ``group``.
    """
    total = group.map(totals).fillna(0.0).astype("float64")
    fixed = pd.Series(False, index=group.index)
    value = floor.astype("float64")
    for _ in range(len(group) + 1):
        fixed_sum = floor.where(fixed, 0.0).groupby(group).transform("sum")
        free_weight = weight.where(~fixed, 0.0)
        free_sum = free_weight.groupby(group).transform("sum")
        rest = (total - fixed_sum).clip(lower=0.0)
        share = (free_weight / free_sum).where(free_sum > 0, 0.0)
        value = floor.where(fixed, rest * share).astype("float64")
        below = ~fixed & (value < floor)
        if not below.any():
            break
        fixed |= below
    used_up = ~fixed & (weight > 0) & (rest <= 0)
    if used_up.any():
        rate = float(totals.sum() / weight.sum()) if weight.sum() > 0 else 0.0
        value = value.where(~used_up, np.maximum(floor, weight * rate))
    return value


def calibrate_to_totals(
    values: pd.Series, floor: pd.Series, group: pd.Series, targets: pd.Series
) -> pd.Series:
    """Scale the values of each group so they sum to its target, keeping every floor.

    Where the target is larger than the sum, all values are scaled up by the same factor. Where
    it is smaller, only the part above each floor is scaled down.

    Parameters
    ----------
    values
        Values to calibrate (each at least its floor).
    floor
        Minimum of each value.
    group
        Group of each value (e.g. the AGS).
    targets
        Target sum per group (index: group key).

    Returns
    -------
    pandas.Series
        Calibrated values, aligned to ``values``; a group without a target is left as it is.

    Raises
    ------
    ValueError
        If a group's floors alone reach its target while some value lies above its floor (it
        would be scaled to its floor, possibly 0), or a group with a target has nothing to scale.
    """
    placed = values.groupby(group).sum()
    floors = floor.groupby(group).sum()
    target = targets.reindex(placed.index)
    above = (values > floor).groupby(group).any()
    too_low = (floors >= target) & above & (target < placed)
    if too_low.any():
        bad = too_low[too_low].index[0]
        msg = f"published residents of {bad} ({floors[bad]:.0f}) reach its total {target[bad]}"
        raise ValueError(msg)
    if ((placed <= 0) & target.gt(0)).any():
        bad = placed[(placed <= 0) & target.gt(0)].index[0]
        msg = f"no residents placed in {bad} to calibrate to {target[bad]}"
        raise ValueError(msg)
    up = (target / placed).where(target >= placed)
    down = ((target - floors) / (placed - floors)).where(target < placed)
    up_cell = group.map(up)
    down_cell = group.map(down)
    scaled_up = values * up_cell
    scaled_down = floor + (values - floor) * down_cell
    out = scaled_up.where(up_cell.notna(), scaled_down.where(down_cell.notna(), values))
    return out.astype("float64")


def allocation_shares(
    cells: pd.DataFrame, weight: pd.Series, area_pieces: pd.DataFrame
) -> pd.DataFrame:
    """Share of each 1 km cell's residents living in each municipality.

    By the residents spread over its 100 m cells (:func:`spread_with_floors`), inside the
    district or not, so a 1 km cell whose dwellings all lie across the district border credits
    nobody to the district. Only a 1 km cell where no 100 m cell publishes anything is split by
    area.

    Parameters
    ----------
    cells
        All 100 m cells (also outside the district) with ``cell_1km`` and ``ags`` (missing
        outside the district).
    weight
        Residents (or any weight) of each 100 m cell.
    area_pieces
        ``cell_1km``, ``ags``, ``share``: the part of each 1 km square's area in each
        municipality.

    Returns
    -------
    pandas.DataFrame
        ``cell_1km``, ``ags``, ``share``, sorted; the shares of one 1 km cell sum to its part
        inside the district (≤ 1), and rows with a zero share are dropped.
    """
    total = weight.groupby(cells["cell_1km"]).sum()
    with_weight = set(total.index[total > 0])
    inside = cells["ags"].notna() & cells["cell_1km"].isin(with_weight)
    by_weight = (
        weight[inside]
        .groupby([cells.loc[inside, "cell_1km"], cells.loc[inside, "ags"]])
        .sum()
        .rename("w")
        .reset_index()
    )
    by_weight["share"] = by_weight["w"] / by_weight["cell_1km"].map(total)
    by_area = area_pieces[~area_pieces["cell_1km"].isin(with_weight)]
    out = pd.concat(
        [by_weight[["cell_1km", "ags", "share"]], by_area[["cell_1km", "ags", "share"]]],
        ignore_index=True,
    )
    out = out[out["share"] > 0]
    return out.sort_values(["cell_1km", "ags"]).reset_index(drop=True)
