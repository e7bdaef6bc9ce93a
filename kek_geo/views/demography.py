"""Demografie: age shares per municipality, hotspots of people 80+, distance to stops."""

from __future__ import annotations

import pandas as pd

from kek_geo.analysis.demography import hotspots
from kek_geo.i18n import register_texts, t
from kek_geo.indicators import Indicator
from kek_geo.indicators.demography import HOTSPOT_MIN
from kek_geo.indicators.registry import LayerSource, Params
from kek_geo.settings import Settings
from kek_geo.thematic import cell_overlay, shown_layers, theme_map
from kek_geo.views import MapResult, ThemeView, register_view

register_texts(
    {
        "demography.title": ("Demografie", "Demography"),
        "demography.intro": (
            "Wo leben ältere Menschen, wo junge – und wie weit haben Hochaltrige zur nächsten "
            "Haltestelle? Anteile aus dem Zensus-1-km-Gitter, Schwerpunkte aus dem 100-m-Gitter.",
            "Where do older and younger people live, and how far do people aged 80+ have to the "
            "next stop? Shares from the Zensus 1 km grid, hotspots from the 100 m grid.",
        ),
        "demography.hotspots": ("Menschen ab 80 je Hektar", "People 80+ per hectare"),
        "demography.trend": (
            "Anteil 65+ im Kreis 1995–2022 (INKAR)",
            "Share aged 65+ in the district 1995–2022 (INKAR)",
        ),
        "demography.suppressed": (
            "Der Zensus weist Zahlen unter 3 je Hektar nicht aus: Menschen in sehr kleinen "
            "Gruppen fehlen in den Zellwerten.",
            "Zensus does not publish counts below 3 per hectare: people in very small groups are "
            "missing from the cell values.",
        ),
    }
)


def build_map(
    source: LayerSource,
    settings: Settings,
    *,
    indicator: Indicator,
    values: pd.Series,
    params: Params,
    lang: str,
) -> MapResult:
    """Choropleth of the indicator plus the 80+ hotspot cells and the stops."""
    m = theme_map(
        source, settings, indicator=indicator, values=values, lang=lang, overlays=("stops",)
    )
    cells = hotspots(
        source.geo("grid_100m"), "people_80plus", params.get(HOTSPOT_MIN.key, HOTSPOT_MIN.default)
    )
    if len(cells):
        layer, legend = cell_overlay(
            cells,
            "people_80plus",
            name=t("demography.hotspots", lang),
            label=t("demography.hotspots", lang),
            lang=lang,
        )
        layer.add_to(m)
        m.add_child(legend)
    return MapResult(m, shown_layers(("stops",), extra=("grid_100m",)))


VIEW = register_view(
    ThemeView(
        key="demography",
        title_key="demography.title",
        intro_key="demography.intro",
        build_map=build_map,
        uses_distances=True,
    )
)
