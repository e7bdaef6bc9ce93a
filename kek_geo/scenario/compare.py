"""Compare a scenario with the baseline: only the indicators its edits touch are recomputed.

Which layers an indicator reads is found once per baseline by computing it over a recording
source (:func:`dependencies`); a scenario then recomputes the indicators that read a layer it
changes and copies the rest from the baseline table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from kek_geo.analysis.base import LayerSource, per_source
from kek_geo.district import district_key
from kek_geo.i18n import fmt_number, pick
from kek_geo.indicators import REGISTRY, Indicator, all_defaults, compute_table
from kek_geo.indicators.registry import Params
from kek_geo.scenario.apply import ScenarioSource
from kek_geo.scenario.model import Scenario


class RecordingSource:
    """A layer source that notes which layers and imports are read through it."""

    def __init__(self, base: LayerSource) -> None:
        self.base = base
        self.read: set[str] = set()

    def layer(self, name: str) -> pd.DataFrame:
        """The baseline's layer, noted."""
        self.read.add(name)
        return self.base.layer(name)

    def geo(self, name: str) -> gpd.GeoDataFrame:
        """The baseline's geo layer, noted."""
        self.read.add(name)
        return self.base.geo(name)

    def extra(self, name: str) -> Any:
        """The baseline's import, noted."""
        self.read.add(name)
        return self.base.extra(name)


def dependencies(base: LayerSource) -> dict[str, frozenset[str]]:
    """The layers and imports each registered indicator reads (computed once per baseline).

    Parameters
    ----------
    base
        The baseline.

    Returns
    -------
    dict
        Indicator key → layer and import names.
    """

    def compute() -> dict[str, frozenset[str]]:
        out: dict[str, frozenset[str]] = {}
        for key, ind in REGISTRY.items():
            recorder = RecordingSource(base)  # a fresh source: nothing cached hides a read
            ind.compute(recorder, ind.defaults())
            out[key] = frozenset(recorder.read)
        return out

    return per_source(base, "indicator_dependencies", compute)


def affected(base: LayerSource, scenario: Scenario, keys: Iterable[str]) -> list[str]:
    """Indicators among ``keys`` that read a layer the scenario changes."""
    deps = dependencies(base)
    touched = scenario.touched()
    return [k for k in keys if deps[k] & touched]


def scenario_table(
    base: LayerSource,
    scenario: Scenario,
    indicators: Sequence[Indicator],
    params: Params | None = None,
    baseline: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Indicator values under a scenario (same shape as :func:`compute_table`).

    Parameters
    ----------
    base
        The baseline.
    scenario
        The scenario (validated here: an invalid edit raises ``ScenarioError``).
    indicators
        Indicators to compute.
    params
        Threshold values.
    baseline
        The baseline table for the same indicators and params, if already computed;
        indicators the scenario does not touch are copied from it.

    Returns
    -------
    pandas.DataFrame
        Index ``ags``, ``gemeinde`` and one column per indicator.
    """
    source = ScenarioSource(base, scenario)
    if baseline is None:
        baseline = compute_table(base, indicators, params)
    changed = affected(base, scenario, [i.key for i in indicators])
    table = baseline.copy()
    if changed:
        merged = {**all_defaults(indicators), **dict(params or {})}
        fresh = compute_table(source, [REGISTRY[k] for k in changed], merged)
        for key in changed:
            table[key] = fresh[key]
    return table


def delta_table(
    baseline: pd.DataFrame, scenario: pd.DataFrame, keys: Sequence[str]
) -> pd.DataFrame:
    """Baseline, scenario and delta per indicator, per Gemeinde and Kreis (full precision).

    Parameters
    ----------
    baseline, scenario
        Tables from :func:`compute_table` / :func:`scenario_table`.
    keys
        Indicator keys.

    Returns
    -------
    pandas.DataFrame
        Columns ``ags``, ``gemeinde``, then ``<key>_basis``, ``<key>_szenario``,
        ``<key>_delta`` per indicator.
    """
    columns: dict[str, object] = {
        "ags": baseline.index,
        "gemeinde": baseline["gemeinde"].to_numpy(),
    }
    for key in keys:
        before = baseline[key].to_numpy(dtype="float64")
        after = scenario[key].reindex(baseline.index).to_numpy(dtype="float64")
        columns[f"{key}_basis"] = before
        columns[f"{key}_szenario"] = after
        columns[f"{key}_delta"] = after - before
    return pd.DataFrame(columns)


def changed_keys(baseline: pd.DataFrame, scenario: pd.DataFrame, keys: Sequence[str]) -> list[str]:
    """Indicators whose value changes somewhere (beyond floating-point noise)."""
    out = []
    for key in keys:
        before = baseline[key].to_numpy(dtype="float64")
        after = scenario[key].reindex(baseline.index).to_numpy(dtype="float64")
        if not np.allclose(before, after, rtol=1e-9, atol=1e-9, equal_nan=True):
            out.append(key)
    return out


def signed(value: float, decimals: int, lang: str) -> str:
    """A change with its sign, e.g. ``+1.240`` or ``−0,4`` (``–`` when missing)."""
    if pd.isna(value):
        return "–"
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return sign + fmt_number(abs(value), decimals, lang)


def _unit(ind: Indicator, lang: str) -> str:
    if ind.unit == "%":
        return pick(lang, "\u00a0Prozentpunkte", " percentage points")
    return f"\u00a0{ind.unit_in(lang)}" if ind.unit else ""


def summary_sentences(
    baseline: pd.DataFrame, scenario: pd.DataFrame, keys: Sequence[str], lang: str
) -> list[str]:
    """One plain sentence per changed indicator: the Kreis change and where it changes most.

    Parameters
    ----------
    baseline, scenario
        The two tables.
    keys
        Indicator keys to consider.
    lang
        ``de`` or ``en``.

    Returns
    -------
    list of str
        Sentences, changes visible at the Kreis level first, e.g. ``Einwohner im
        Einzugsbereich einer Haltestelle: Kreis +0,2
        Prozentpunkte (von 91,3 auf 91,5 %), am stärksten in Enger (+1,1).``
    """
    sentences: list[tuple[bool, str]] = []
    district = district_key(baseline.index)
    for key in changed_keys(baseline, scenario, keys):
        ind = REGISTRY[key]
        before = baseline[key].astype("float64")
        after = scenario[key].reindex(baseline.index).astype("float64")
        delta = after - before
        kreis = float(delta.get(district, np.nan))
        gem = delta.drop(index=district, errors="ignore").dropna()
        top = gem.abs().idxmax() if len(gem) and gem.abs().max() > 0 else None
        start = fmt_number(float(before.get(district, np.nan)), ind.decimals, lang)
        end = fmt_number(float(after.get(district, np.nan)), ind.decimals, lang)
        unit = f"\u00a0{ind.unit_in(lang)}" if ind.unit else ""
        if round(abs(kreis), ind.decimals) == 0:
            text = pick(
                lang,
                f"{ind.name(lang)}: im Kreis gerundet unverändert ({start}{unit})",
                f"{ind.name(lang)}: district unchanged when rounded ({start}{unit})",
            )
        else:
            text = pick(
                lang,
                f"{ind.name(lang)}: Kreis {signed(kreis, ind.decimals, lang)}{_unit(ind, lang)} "
                f"(von {start} auf {end}{unit})",
                f"{ind.name(lang)}: district {signed(kreis, ind.decimals, lang)}{_unit(ind, lang)} "
                f"(from {start} to {end}{unit})",
            )
        if top is not None and round(abs(float(gem[top])), ind.decimals) > 0:
            name = str(baseline.loc[top, "gemeinde"])
            most = signed(float(gem[top]), ind.decimals, lang) + _unit(ind, lang)
            text += pick(lang, f", am stärksten in {name} ({most})", f", most in {name} ({most})")
        sentences.append((round(abs(kreis), ind.decimals) == 0, text + "."))
    # changes visible at the Kreis level first, then those only seen in a Gemeinde
    return [text for _, text in sorted(sentences, key=lambda item: item[0])]
