"""Logic of the overview page that is not layout: defaults and the ranking table."""

from __future__ import annotations

import pandas as pd

from kek_geo.district import district_key

#: Overlays shown when the overview opens.
DEFAULT_OVERLAYS = ("settlement", "stops", "rail", "schools", "hospitals")


def rank_table(table: pd.DataFrame, key: str) -> pd.DataFrame:
    """Municipalities ranked by one indicator (highest first, missing last), district last.

    Parameters
    ----------
    table
        Indicator table with the district row.
    key
        Indicator to rank by.

    Returns
    -------
    pandas.DataFrame
        The reordered table.
    """
    kreis = district_key(table.index)
    municipal = table.drop(index=kreis, errors="ignore")
    ranked = municipal.sort_values(key, ascending=False, na_position="last", kind="stable")
    return pd.concat([ranked, table.loc[[kreis]]]) if kreis in table.index else ranked
