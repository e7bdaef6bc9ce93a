"""Indicator tables for export: one row per municipality plus the district row."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable

import pandas as pd

from kek_geo.i18n import round_half_up
from kek_geo.indicators.registry import Indicator, LayerSource, Params, compute_table


def column_header(indicator: Indicator) -> str:
    """Machine-friendly header with unit, e.g. ``population (Einw.)``.

    Parameters
    ----------
    indicator
        The indicator.

    Returns
    -------
    str
        Header.
    """
    return f"{indicator.key} ({indicator.unit})" if indicator.unit else indicator.key


def indicator_frame(
    source: LayerSource,
    indicators: Iterable[Indicator],
    params: Params | None = None,
    *,
    rounded: bool = False,
) -> pd.DataFrame:
    """Columns ``ags``, ``gemeinde``, then every indicator with its unit in the header.

    Parameters
    ----------
    source
        Snapshot.
    indicators
        Indicators, in column order.
    params
        Thresholds; defaults fill the rest.
    rounded
        Round to each indicator's decimals (for people reading it); by default the values keep
        full precision (for programs and spreadsheets).

    Returns
    -------
    pandas.DataFrame
        One row per municipality, then the district; a column of whole numbers holds integers
        (``66985``, not ``66985.0``), a missing value stays missing.
    """
    inds = list(indicators)
    table = compute_table(source, inds, params)
    out = pd.DataFrame({"ags": table.index.astype(str), "gemeinde": table["gemeinde"].to_numpy()})
    for ind in inds:
        values = table[ind.key].astype("float64")
        if rounded:
            values = values.map(lambda v, d=ind.decimals: round_half_up(v, d))
        else:  # all a double holds, without binary noise (4.3, not 4.300000000000001)
            values = values.map(lambda v: float(f"{v:.15g}"))
        out[column_header(ind)] = whole_as_integer(values).to_numpy()
    return out


def whole_as_integer(values: pd.Series) -> pd.Series:
    """A column as nullable integers when every value is a whole number, else unchanged."""
    finite = values.dropna()
    if len(finite) and (finite % 1 == 0).all() and finite.abs().max() < 2**53:
        return values.astype("Int64")
    return values


def _missing(value: object) -> bool:
    return value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _plain(value: object) -> object:
    """Python scalar from a numpy scalar (JSON cannot encode numpy types)."""
    item = getattr(value, "item", None)
    return item() if callable(item) else value


def _markdown(frame: pd.DataFrame) -> str:
    def cell(v: object) -> str:
        if _missing(v):
            return ""
        return str(v).replace("|", "\\|")

    header = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *rows]) + "\n"


def render(frame: pd.DataFrame, fmt: str) -> str:
    """Render an indicator frame as CSV, JSON (records) or Markdown.

    Missing values stay empty (CSV, Markdown) or ``null`` (JSON), never 0.

    Parameters
    ----------
    frame
        From :func:`indicator_frame`.
    fmt
        ``csv``, ``json`` or ``md``.

    Returns
    -------
    str
        The text.
    """
    if fmt == "csv":
        return str(frame.to_csv(index=False))
    if fmt == "json":
        records = [
            {k: (None if _missing(v) else _plain(v)) for k, v in row.items()}
            for row in frame.to_dict(orient="records")
        ]
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        return _markdown(frame)
    msg = f"unknown format {fmt!r}"
    raise ValueError(msg)
