"""Tables for the screen: numbers in the reader's format, missing values as a dash.

The values stay numbers (a table sorts by them); only what is shown is formatted: ``21,5`` and
``66.985`` in German, ``21.5`` and ``66,985`` in English, integers without decimals, years as
plain years and missing values as "–", never "None" or "nan".
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from kek_geo.i18n import fmt_number

#: Columns holding years: shown as they are (2040, not 2.040).
_YEARLIKE = re.compile(r"jahr|year", re.IGNORECASE)
#: Most decimals shown when a column's values were not rounded before.
MAX_DECIMALS = 2
#: Shown for a missing value.
MISSING = "–"


def decimals_of(values: pd.Series, most: int = MAX_DECIMALS) -> int:
    """The fewest decimals (up to ``most``) that show every value of a column as it is.

    Parameters
    ----------
    values
        A numeric column (rounded for display or not).
    most
        Upper limit.

    Returns
    -------
    int
        0 for whole numbers, else 1, 2, … up to ``most``.
    """
    arr = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    arr = arr[np.isfinite(arr)]
    for d in range(most + 1):
        if np.all(np.abs(np.round(arr, d) - arr) < 1e-9):
            return d
    return most


def is_yearlike(name: object) -> bool:
    """Whether a column holds years (``Jahr``, ``Basisjahr``, ``year``): shown without separator."""
    return bool(_YEARLIKE.search(str(name)))


#: Background of the chosen municipality's row (the outline on the map is black).
HIGHLIGHT = "background-color: #fff3b0; font-weight: bold"


def styled(table: pd.DataFrame, lang: str, highlight: object | None = None) -> Styler:
    """A table with every number formatted for the language and missing values as "–".

    Parameters
    ----------
    table
        Table to show (numbers as numbers).
    lang
        ``"de"`` or ``"en"``.
    highlight
        Index label of a row to highlight (the chosen municipality), if any.

    Returns
    -------
    pandas.io.formats.style.Styler
        The same data, formatted for display.
    """
    styler = table.style.format(na_rep=MISSING)
    for column in table.columns:
        values = table[column]
        numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
        if not numeric or is_yearlike(column):
            continue
        decimals = decimals_of(values)
        styler = styler.format(
            lambda v, d=decimals: fmt_number(v, d, lang) if pd.notna(v) else MISSING,
            subset=[column],
        )
    if highlight is not None and highlight in table.index:
        styler = styler.apply(
            lambda row: [HIGHLIGHT if row.name == highlight else ""] * len(row), axis=1
        )
    return styler
