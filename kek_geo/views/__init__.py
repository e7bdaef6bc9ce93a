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
from kek_geo.settings import Settings


@dataclass(frozen=True)
class MapResult:
    """A built map and the snapshot layers it shows (for the credits under it)."""

    map: folium.Map
    layers: tuple[str, ...]


class MapBuilder(Protocol):
    """Builds a theme page's map."""

    def __call__(
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
        """Map for an indicator, its values by AGS, the thresholds and the language.

        With ``compared`` the municipalities are coloured by their difference to the
        district value (:func:`kek_geo.thematic.choropleth`).
        """
        ...


@dataclass(frozen=True)
class ThemeView:
    """One thematic page.

    Attributes
    ----------
    key
        Theme key, as used in :attr:`kek_geo.indicators.Indicator.themes`.
    title_key, intro_key
        Text keys of the page title and introduction.
    build_map
        Builds the page's map for an indicator, its values, the thresholds and the language.
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
    build_map: MapBuilder
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
