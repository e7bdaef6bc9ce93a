"""What an export shows: a theme's map, indicators and table, exactly as its page builds them.

The map sheet, the workbook and the GeoPackage all start here, so a council paper shows the
same classes, layers and figures as the page a planner looked at (nothing is built twice).
"""

from __future__ import annotations

from dataclasses import dataclass

import folium
import pandas as pd

from kek_geo.district import district_of
from kek_geo.errors import KekGeoError
from kek_geo.indicators import Indicator, compute_table, indicators_for
from kek_geo.indicators.registry import LayerSource, Params
from kek_geo.overview import DEFAULT_OVERLAYS
from kek_geo.settings import Settings
from kek_geo.thematic import overview_map, shown_layers
from kek_geo.views import view

#: Theme names as in the page URLs → theme keys of the indicator registry and the views.
THEMES: dict[str, str] = {
    "uebersicht": "overview",
    "daseinsvorsorge": "services",
    "mobilitaet": "mobility",
    "breitband": "broadband",
    "bildung": "education",
    "siedlung": "settlement",
    "demografie": "demography",
    "gesamtbild": "synthesis",
}


class ExportError(KekGeoError):
    """An export was asked for something that does not exist (theme, municipality, format)."""


@dataclass(frozen=True)
class ThemeContent:
    """A theme as its page shows it, at the default thresholds.

    Attributes
    ----------
    theme
        Theme key, e.g. ``"mobility"``.
    title_key
        Text key of the page title.
    map
        The page's map (folium).
    layers
        Snapshot layers the map shows (for the credits).
    indicators
        The theme's indicators, the one on the map first.
    table
        Their values for the municipalities and the district.
    """

    theme: str
    title_key: str
    map: folium.Map
    layers: tuple[str, ...]
    indicators: tuple[Indicator, ...]
    table: pd.DataFrame

    @property
    def indicator(self) -> Indicator:
        """The indicator the map is coloured by."""
        return self.indicators[0]


def theme_key(name: str) -> str:
    """The theme key of a page name (``mobilitaet``) or of a theme key itself (``mobility``).

    Parameters
    ----------
    name
        Theme as in the page URLs, or its key.

    Returns
    -------
    str
        The theme key.
    """
    if name in THEMES:
        return THEMES[name]
    if name in THEMES.values():
        return name
    raise ExportError(f"unknown theme {name!r}: use one of {', '.join(THEMES)}")


def municipality(source: LayerSource, name: str | None) -> str:
    """The AGS of a municipality given by name or AGS (``None`` or the district: the district).

    Parameters
    ----------
    source
        Snapshot.
    name
        A municipality's name or AGS, the district's name or key, ``"kreis"`` or ``None``.

    Returns
    -------
    str
        The AGS (the five-digit district key for the district).
    """
    district = district_of(source)
    if name is None or name.strip().lower() in {"", "kreis", district.ags, district.name.lower()}:
        return district.ags
    gem = source.geo("gemeinden")
    by_name = {str(n).lower(): str(a) for a, n in zip(gem["ags"], gem["name"], strict=True)}
    wanted = name.strip().lower()
    if wanted in by_name:
        return by_name[wanted]
    if wanted in by_name.values():
        return wanted
    names = ", ".join(sorted(str(n) for n in gem["name"]))
    raise ExportError(f"unknown municipality {name!r}: use one of {names} (or the Kreis)")


def theme_content(
    source: LayerSource,
    settings: Settings,
    theme: str,
    lang: str,
    params: Params | None = None,
) -> ThemeContent:
    """Build a theme's map and table the way its page does.

    Parameters
    ----------
    source
        Snapshot or scenario source.
    settings
        Settings (for the map factory).
    theme
        Theme key or page name.
    lang
        Language.
    params
        Thresholds as chosen on the page (default: every default).

    Returns
    -------
    ThemeContent
        Map, credits, indicators and table.
    """
    key = theme_key(theme)
    params = dict(params or {})
    if key == "overview":
        indicators = indicators_for("overview")
        table = compute_table(source, indicators)
        first = indicators[0]
        m = overview_map(
            source,
            settings,
            indicator=first,
            values=table[first.key],
            overlays=DEFAULT_OVERLAYS,
            lang=lang,
        )
        layers = shown_layers(DEFAULT_OVERLAYS)
        return ThemeContent(key, "overview.title", m, layers, tuple(indicators), table)
    theme_view = view(key)
    indicators = theme_view.indicators()
    table = compute_table(source, indicators, params)
    first = theme_view.map_choices(source)[0]
    result = theme_view.build_map(
        source, settings, indicator=first, values=table[first.key], params=params, lang=lang
    )
    ordered = (first, *[i for i in indicators if i.key != first.key])
    return ThemeContent(key, theme_view.title_key, result.map, result.layers, ordered, table)
