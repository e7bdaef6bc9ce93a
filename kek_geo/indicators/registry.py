"""The indicator registry: each indicator defined once, read by pages, CLI and exports.

An indicator has a name, a unit, a direction, a method text and default thresholds with their
source. Nothing else defines an indicator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from kek_geo.analysis.base import LayerSource, ratio, with_kreis
from kek_geo.district import district_of
from kek_geo.i18n import fmt_number, pick, unit_text
from kek_geo.indicators.as_of import AsOf

__all__ = [
    "REGISTRY",
    "THEMES",
    "THEME_IMPORTS",
    "Indicator",
    "LayerSource",
    "Params",
    "Threshold",
    "all_defaults",
    "compute_table",
    "data_dates",
    "indicators_for",
    "ratio",
    "register",
    "with_kreis",
]


@dataclass(frozen=True)
class Threshold:
    """A threshold a planner can change on the page.

    Attributes
    ----------
    key
        Parameter name passed to the compute function.
    label_de, label_en
        Widget label.
    default
        Default value.
    unit
        Unit shown next to the value.
    min_value, max_value, step
        Range of the widget.
    source_de, source_en
        Where the default comes from.
    at_most
        Key of a threshold this one may not exceed (a "short walk" is never longer than the
        "walk"): :func:`ordered_params` caps it there.
    needs
        Optional import without which the threshold has no effect (e.g. ``gtfs``); its slider
        is then disabled, with the reason.
    """

    key: str
    label_de: str
    label_en: str
    default: float
    unit: str
    min_value: float
    max_value: float
    step: float
    source_de: str
    source_en: str
    at_most: str | None = None
    needs: str | None = None

    def label(self, lang: str) -> str:
        """Label in a language."""
        return pick(lang, self.label_de, self.label_en)

    def source(self, lang: str) -> str:
        """Source of the default in a language."""
        return pick(lang, self.source_de, self.source_en)

    def unit_in(self, lang: str) -> str:
        """Unit in a language (see :func:`kek_geo.i18n.unit_text`)."""
        return unit_text(self.unit, lang)


Params = Mapping[str, float]


def ordered_params(
    thresholds: Sequence[Threshold], params: Params
) -> tuple[dict[str, float], list[Threshold]]:
    """Cap every threshold at the one it may not exceed (``at_most``).

    Parameters
    ----------
    thresholds
        The thresholds shown together.
    params
        The chosen values.

    Returns
    -------
    tuple
        The values, capped, and the thresholds that were capped.
    """
    out = dict(params)
    capped = []
    for th in thresholds:
        limit = out.get(th.at_most) if th.at_most else None
        if limit is not None and th.key in out and out[th.key] > limit:
            out[th.key] = limit
            capped.append(th)
    return out, capped


ComputeFn = Callable[[LayerSource, Params], pd.Series]


@dataclass(frozen=True)
class Indicator:
    """One indicator: metadata plus a pure compute function.

    The compute function returns one value per municipality (index: AGS) plus the district
    (index: its five-digit key, :func:`~kek_geo.district.district_key`); a missing input gives a
    missing value, never 0.

    Attributes
    ----------
    key
        Stable identifier, used in URLs, CSV headers and the command line.
    themes
        Theme keys it belongs to (``overview``, ``mobility``, ``broadband``, ``education``,
        ``settlement``, ``demography``, ``synthesis``).
    name_de, name_en
        Display names.
    unit
        Unit, e.g. ``%`` or ``Einw./km²``.
    higher_is_better
        ``True``/``False`` for a direction, ``None`` for a neutral figure such as population.
    method_de, method_en
        How it is computed and from what.
    compute
        The function.
    thresholds
        Parameters a planner can change.
    decimals
        Digits shown.
    as_of
        The date of its inputs as text (a function of the source and the language), e.g.
        ``Zensus 2022 (15.05.2022)``; shown beside every key figure.
    min_class_width
        Narrowest class on its map (default :data:`PERCENT_CLASS_WIDTH` for shares, none
        otherwise), so differences too small to matter do not get colours of their own.
    """

    key: str
    themes: tuple[str, ...]
    name_de: str
    name_en: str
    unit: str
    higher_is_better: bool | None
    method_de: str
    method_en: str
    compute: ComputeFn
    thresholds: tuple[Threshold, ...] = field(default=())
    decimals: int = 1
    as_of: AsOf | None = None
    min_class_width: float | None = None

    def name(self, lang: str) -> str:
        """Name in a language."""
        return pick(lang, self.name_de, self.name_en)

    def method(self, lang: str) -> str:
        """Method text in a language."""
        return pick(lang, self.method_de, self.method_en)

    def unit_in(self, lang: str) -> str:
        """Unit in a language, e.g. ``Einw.`` or ``res.`` (see :func:`kek_geo.i18n.unit_text`)."""
        return unit_text(self.unit, lang)

    def value_text(self, value: float, lang: str) -> str:
        """A value with its decimals and unit, e.g. ``46.591 Einw.`` or ``46,591 res.``."""
        return f"{fmt_number(value, self.decimals, lang)} {self.unit_in(lang)}".strip()

    def header(self, lang: str) -> str:
        """Column header with unit, e.g. ``Einwohner (Einw.)`` or ``Population (res.)``."""
        return f"{self.name(lang)} ({self.unit_in(lang)})" if self.unit else self.name(lang)

    def data_date(self, source: LayerSource, lang: str) -> str:
        """The date of the inputs, e.g. ``Breitbandatlas Mitte 2021`` (``–`` if unknown)."""
        return self.as_of(source, lang) if self.as_of is not None else "–"

    def class_width(self) -> float:
        """The narrowest class on its map (see ``min_class_width``)."""
        if self.min_class_width is not None:
            return self.min_class_width
        return PERCENT_CLASS_WIDTH if self.unit == "%" else 0.0

    def defaults(self) -> dict[str, float]:
        """Default parameters."""
        return {th.key: th.default for th in self.thresholds}


#: Narrowest map class of a share, in percentage points.
PERCENT_CLASS_WIDTH = 0.5

REGISTRY: dict[str, Indicator] = {}

#: Theme order for listings and exports (the order of the pages).
THEMES = (
    "overview",
    "services",
    "mobility",
    "broadband",
    "education",
    "settlement",
    "demography",
    "synthesis",
)

#: Optional imports (see :mod:`kek_geo.imports`) that each theme's indicators read: its page
#: warns when one of them is damaged. A test checks this against what the indicators ask for.
THEME_IMPORTS: dict[str, tuple[str, ...]] = {
    "overview": ("broadband_releases",),
    "services": ("walk_network",),
    "mobility": ("walk_network", "gtfs"),
    "broadband": ("broadband_releases",),
    "education": ("walk_network",),
    "settlement": (),
    "demography": ("walk_network",),
    "synthesis": ("walk_network",),
}


def register(indicator: Indicator) -> Indicator:
    """Add an indicator to the registry (keys must be unique).

    Parameters
    ----------
    indicator
        The indicator.

    Returns
    -------
    Indicator
        The same indicator.
    """
    if indicator.key in REGISTRY:
        msg = f"indicator {indicator.key!r} is registered twice"
        raise ValueError(msg)
    REGISTRY[indicator.key] = indicator
    return indicator


def indicators_for(theme: str | None = None) -> list[Indicator]:
    """Registered indicators, optionally of one theme, in registration order.

    Parameters
    ----------
    theme
        Theme key, or ``None`` for all.

    Returns
    -------
    list of Indicator
        The indicators.
    """
    if theme is not None:
        return [ind for ind in REGISTRY.values() if theme in ind.themes]

    def rank(ind: Indicator) -> int:
        return min(THEMES.index(t) if t in THEMES else len(THEMES) for t in ind.themes)

    return sorted(REGISTRY.values(), key=rank)  # stable: registration order within a theme


def all_defaults(indicators: Iterable[Indicator]) -> dict[str, float]:
    """Default parameters of several indicators merged into one mapping.

    Parameters
    ----------
    indicators
        The indicators.

    Returns
    -------
    dict
        Parameter name → default value.
    """
    params: dict[str, float] = {}
    for ind in indicators:
        params.update(ind.defaults())
    return params


def compute_table(
    source: LayerSource, indicators: Iterable[Indicator], params: Params | None = None
) -> pd.DataFrame:
    """Compute indicators for the municipalities and the district of a source.

    Parameters
    ----------
    source
        Where the layers come from.
    indicators
        Indicators to compute (columns of the result).
    params
        Threshold values; defaults fill what is not given.

    Returns
    -------
    pandas.DataFrame
        Index ``ags`` (municipalities sorted, then the district key), columns ``gemeinde`` (the
        district row named as in the ``kreis`` layer) and one per indicator key.
    """
    inds = list(indicators)
    merged = {**all_defaults(inds), **dict(params or {})}
    gem = source.layer("gemeinden").sort_values("ags")
    district = district_of(source)
    index = pd.Index([*gem["ags"].astype(str), district.ags], name="ags")
    table = pd.DataFrame(index=index)
    table["gemeinde"] = [*gem["name"].astype(str), district.name]
    for ind in inds:
        values = ind.compute(source, merged)
        values.index = values.index.astype(str)
        table[ind.key] = values.reindex(index).astype("float64")
    return table


def data_dates(indicators: Iterable[Indicator], source: LayerSource, lang: str) -> dict[str, str]:
    """The date of each indicator's inputs, by indicator key.

    Parameters
    ----------
    indicators
        The indicators.
    source
        Where the layers come from (some dates depend on imported data).
    lang
        Language.

    Returns
    -------
    dict
        Indicator key → date text, e.g. ``Breitbandatlas Mitte 2021``.
    """
    return {ind.key: ind.data_date(source, lang) for ind in indicators}
