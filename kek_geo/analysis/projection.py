"""The KEK horizon: residents and the 65+ share per municipality today and in 2040.

Pure functions on the ``projection`` layer (official projection per municipality and year)
and the ``gemeinden`` layer (Zensus 2022).
"""

from __future__ import annotations

import pandas as pd

from kek_geo.district import district_key

#: The KEK's horizon.
HORIZON = 2040


def horizon_year(projection: pd.DataFrame, wanted: int = HORIZON) -> int:
    """The projection year used for the horizon: ``wanted`` if projected, else the nearest.

    Parameters
    ----------
    projection
        ``ags``, ``year``, ``population``, ``people_65plus``.
    wanted
        The horizon.

    Returns
    -------
    int
        A year of the projection.
    """
    years = sorted(int(y) for y in projection["year"].unique())
    return min(years, key=lambda y: (abs(y - wanted), -y))


def projection_table(
    gemeinden: pd.DataFrame, projection: pd.DataFrame, district: str, wanted: int = HORIZON
) -> pd.DataFrame:
    """Residents and 65+ share in the projection's base year and at the horizon, with changes.

    The district row sums the municipalities (residents and people 65+), so its share is the
    share of all residents, not the mean of the municipal shares.

    Parameters
    ----------
    gemeinden
        Municipalities with ``ags``, ``name`` and ``population`` (Zensus 2022).
    projection
        The projection layer.
    district
        Name of the district (its row).
    wanted
        Horizon year.

    Returns
    -------
    pandas.DataFrame
        Index ``ags`` (municipalities, then the district); columns ``gemeinde``,
        ``census_2022``, ``base_year``, ``population_base``, ``horizon``,
        ``population_horizon``, ``change_pct``, ``share_65_base``, ``share_65_horizon``,
        ``change_65_pp``.
    """
    base_year = int(projection["year"].min())
    horizon = horizon_year(projection, wanted)
    by_year = projection.set_index(["year", "ags"])[["population", "people_65plus"]]
    base = by_year.loc[base_year]
    end = by_year.loc[horizon]
    gem = gemeinden.sort_values("ags")
    gem = gem.set_index(gem["ags"].astype(str))
    rows = pd.DataFrame(index=gem.index)
    rows["gemeinde"] = gem["name"].astype(str)
    rows["census_2022"] = gem["population"].astype("float64")
    rows["population_base"] = base["population"].reindex(rows.index)
    rows["population_horizon"] = end["population"].reindex(rows.index)
    rows["older_base"] = base["people_65plus"].reindex(rows.index)
    rows["older_horizon"] = end["people_65plus"].reindex(rows.index)
    key = district_key(rows.index)
    total = rows.drop(columns="gemeinde").sum(min_count=1)
    rows.loc[key] = total
    rows.loc[key, "gemeinde"] = district
    return _finish(rows, base_year, horizon)


def _finish(rows: pd.DataFrame, base_year: int, horizon: int) -> pd.DataFrame:
    out = rows.copy()
    out.index.name = "ags"
    out["base_year"] = base_year
    out["horizon"] = horizon
    out["change_pct"] = (out["population_horizon"] / out["population_base"] - 1.0) * 100.0
    out["share_65_base"] = out["older_base"] / out["population_base"] * 100.0
    out["share_65_horizon"] = out["older_horizon"] / out["population_horizon"] * 100.0
    out["change_65_pp"] = out["share_65_horizon"] - out["share_65_base"]
    columns = ["gemeinde", "census_2022", "base_year", "population_base", "horizon",
               "population_horizon", "change_pct", "share_65_base", "share_65_horizon",
               "change_65_pp"]  # fmt: skip
    return out[columns]
