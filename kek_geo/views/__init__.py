"""Theme views: for each thematic page, its indicators and how its map is built.

A view is pure (folium and pandas, no Streamlit): the page asks it for a map, caches the
rendered result and lays it out. Importing a view module registers its view and maps.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import folium
import pandas as pd

from kek_geo.indicators import Indicator, indicators_for
from kek_geo.indicators.registry import LayerSource, Params
from kek_geo.maps import Legend, changing_legend, mark_fixed
from kek_geo.settings import Settings
from kek_geo.thematic import default_values, theme_map


@dataclass(frozen=True)
class MapResult:
    """A built map and the snapshot layers it shows (for the credits under it)."""

    map: folium.Map
    layers: tuple[str, ...]


@dataclass(frozen=True)
class Changing:
    """What a theme map shows that changes with the thresholds (or the indicator).

    Attributes
    ----------
    layers
        Layers drawn over the choropleth (e.g. the gap cells), under the fixed symbols.
    legend
        Their legend, if any.
    """

    layers: tuple[folium.map.Layer, ...] = ()
    legend: Legend | None = None


class FixedLayers(Protocol):
    """Adds the layers of a theme map that never change (symbols, outlines, their legends)."""

    def __call__(self, source: LayerSource, m: folium.Map, *, lang: str) -> None:
        """Add them to the map in the language."""
        ...


class ChangingLayers(Protocol):
    """Builds the part of a theme map that changes with the thresholds or the indicator."""

    def __call__(
        self, source: LayerSource, *, indicator: Indicator, params: Params, lang: str
    ) -> Changing:
        """The changing layers for an indicator, the thresholds and the language."""
        ...


def _no_fixed_layers(source: LayerSource, m: folium.Map, *, lang: str) -> None:
    del source, m, lang


def _nothing_changes(
    source: LayerSource, *, indicator: Indicator, params: Params, lang: str
) -> Changing:
    del source, indicator, params, lang
    return Changing()


@dataclass(frozen=True)
class ThemeView:
    """One thematic page.

    Its map has three parts: the municipalities coloured by the chosen indicator, the
    layers that change with the thresholds (``changing``) and the layers that never change
    (``fixed``). The page draws the map once and then only recolours it and swaps the
    changing layers (:meth:`base_map`), so a new indicator or threshold needs no new map.

    Attributes
    ----------
    key
        Theme key, as used in :attr:`kek_geo.indicators.Indicator.themes`.
    title_key, intro_key
        Text keys of the page title and introduction.
    shown
        Snapshot layers the map shows (for the credits under it).
    fixed
        Adds the layers that never change.
    changing
        Builds the layers that change with the thresholds.
    changes_with_indicator
        True if the changing layers depend on the indicator too (not only the thresholds).
    map_indicators
        Indicators offered for the map colours (default: all of the theme).
    uses_distances
        True if its indicators measure distances (the page then says how).
    map_imports
        Optional imports its map reads beyond those of its indicators (the page warns when one
        is damaged).
    unavailable
        The indicators whose data a snapshot lacks (they are not offered for the map while
        others are); ``None``: all are always available.
    """

    key: str
    title_key: str
    intro_key: str
    shown: tuple[str, ...]
    fixed: FixedLayers = _no_fixed_layers
    changing: ChangingLayers = _nothing_changes
    changes_with_indicator: bool = False
    map_indicators: tuple[str, ...] = field(default=())
    uses_distances: bool = False
    map_imports: tuple[str, ...] = ()
    unavailable: Callable[[LayerSource], frozenset[str]] | None = None

    def indicators(self) -> list[Indicator]:
        """The theme's indicators, in registry order."""
        return indicators_for(self.key)

    def map_choices(self, source: LayerSource | None = None) -> list[Indicator]:
        """Indicators offered for the map (with a source: only those it has data for)."""
        inds = self.indicators()
        if self.map_indicators:
            inds = [i for i in inds if i.key in self.map_indicators]
        missing = self.unavailable(source) if source and self.unavailable else frozenset()
        return [i for i in inds if i.key not in missing] or inds

    def build_map(
        self,
        source: LayerSource,
        settings: Settings,
        *,
        indicator: Indicator,
        values: pd.Series,
        params: Params,
        lang: str,
        compared: bool = False,
    ) -> MapResult:
        """The whole map for an indicator, its values by AGS, the thresholds and the language.

        With ``compared`` the municipalities are coloured by their difference to the
        district value (:func:`kek_geo.thematic.choropleth`).
        """
        m = theme_map(
            source, settings, indicator=indicator, values=values, lang=lang, compared=compared
        )
        part = self.changing(source, indicator=indicator, params=params, lang=lang)
        for layer in part.layers:
            layer.add_to(m)
        self._add_fixed(source, m, lang)
        if part.legend is not None:
            m.add_child(part.legend)
        return MapResult(m, self.shown)

    def _add_fixed(self, source: LayerSource, m: folium.Map, lang: str) -> None:
        """Add the fixed layers, marked so they stay over the changing ones."""
        before = set(m._children)
        self.fixed(source, m, lang=lang)
        mark_fixed(el for key, el in m._children.items() if key not in before)

    def base_map(
        self, source: LayerSource, settings: Settings, *, indicator: Indicator, lang: str
    ) -> MapResult:
        """The map drawn once per page and language, without the changing layers.

        The page draws the changing layers over it and recolours it for the chosen
        indicator (see :mod:`kek_geo.ui.theme`). Its changing legend is the one of the
        default thresholds, so the first fit leaves room for it; the page only replaces
        its content (:func:`kek_geo.maps.changing_script`).

        Parameters
        ----------
        source
            Snapshot.
        settings
            Settings.
        indicator
            The indicator of the first colours (the page's first).
        lang
            Language.

        Returns
        -------
        MapResult
            The map.
        """
        values = default_values(source, indicator)
        m = theme_map(source, settings, indicator=indicator, values=values, lang=lang)
        self._add_fixed(source, m, lang)
        first = self.changing(source, indicator=indicator, params={}, lang=lang).legend
        m.add_child(changing_legend(first))
        return MapResult(m, self.shown)


VIEWS: dict[str, ThemeView] = {}


class SectionMapBuilder(Protocol):
    """Builds a further map of a page (``None`` when its data are missing)."""

    def __call__(
        self, source: LayerSource, settings: Settings, *, params: Params, lang: str
    ) -> MapResult | None:
        """Map for the thresholds and the language."""
        ...


#: Further maps of the pages (e.g. the ÖV-Güteklassen, the DEGURBA classes), by key.
SECTION_MAPS: dict[str, SectionMapBuilder] = {}


def register_section_map(key: str, builder: SectionMapBuilder) -> SectionMapBuilder:
    """Register a page's further map so the page can show it cached by key.

    Parameters
    ----------
    key
        Unique key, e.g. ``"mobility_classes"``.
    builder
        The map builder.

    Returns
    -------
    SectionMapBuilder
        The same builder.
    """
    if key in SECTION_MAPS:
        msg = f"section map {key!r} is registered twice"
        raise ValueError(msg)
    SECTION_MAPS[key] = builder
    return builder


def register_view(view: ThemeView) -> ThemeView:
    """Register a theme view (keys must be unique).

    Parameters
    ----------
    view
        The view.

    Returns
    -------
    ThemeView
        The same view.
    """
    if view.key in VIEWS:
        msg = f"view {view.key!r} is registered twice"
        raise ValueError(msg)
    VIEWS[view.key] = view
    return view


def view(key: str) -> ThemeView:
    """A theme view by key, importing its module (``kek_geo.views.<key>``) on first use.

    Parameters
    ----------
    key
        Theme key, e.g. ``"broadband"``.

    Returns
    -------
    ThemeView
        The view.
    """
    if key not in VIEWS:
        importlib.import_module(f"kek_geo.views.{key}")
    return VIEWS[key]
