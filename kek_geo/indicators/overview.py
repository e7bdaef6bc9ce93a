"""Key figures of the overview page: population, density, age, housing, gigabit."""

from __future__ import annotations

import pandas as pd

from kek_geo.analysis.broadband import (
    broadband_table,
    estimated_households,
    latest_release,
    share_series,
)
from kek_geo.indicators.registry import Indicator, LayerSource, Params, ratio, register, with_kreis


def _gem(source: LayerSource) -> pd.DataFrame:
    gem = source.layer("gemeinden")
    return gem.set_index(gem["ags"].astype(str))


def population(source: LayerSource, _params: Params) -> pd.Series:
    """Official population (Zensus 2022)."""
    pop = _gem(source)["population"]
    return with_kreis(pop, float(pop.sum()))


def density(source: LayerSource, _params: Params) -> pd.Series:
    """Inhabitants per km² of total area."""
    gem = _gem(source)
    return ratio(gem["population"], gem["area_km2"])


def settlement_density(source: LayerSource, _params: Params) -> pd.Series:
    """Inhabitants per km² of settlement area."""
    gem = _gem(source)
    return ratio(gem["population"], gem["settlement_area_km2"])


def _grid_weighted(source: LayerSource, column: str) -> pd.Series:
    """A grid-derived share per municipality; district = weighted by grid population."""
    gem = _gem(source)
    weight = gem["grid_population"].astype("float64")
    value = gem[column].astype("float64")
    valid = value.notna() & weight.notna()
    kreis = (
        float((value[valid] * weight[valid]).sum() / weight[valid].sum())
        if valid.any()
        else float("nan")
    )
    return with_kreis(value, kreis)


def share_65plus(source: LayerSource, _params: Params) -> pd.Series:
    """Share of people aged 65 and over, population-weighted from the 1 km grid."""
    return _grid_weighted(source, "share_65plus")


def share_u18(source: LayerSource, _params: Params) -> pd.Series:
    """Share of people under 18, population-weighted from the 1 km grid."""
    return _grid_weighted(source, "share_u18")


def vacancy(source: LayerSource, _params: Params) -> pd.Series:
    """Dwelling vacancy rate; district = weighted by dwellings."""
    gem = _gem(source)
    vacant = gem["vacancy_rate"] * gem["dwellings"] / 100.0
    return ratio(vacant, gem["dwellings"], scale=100.0)


def gigabit_households(source: LayerSource, _params: Params) -> pd.Series:
    """Share of households with ≥ 1,000 Mbit/s available (any technology), newest release."""
    table = broadband_table(source)
    households = estimated_households(source.layer("gemeinden"))
    return share_series(
        table,
        households,
        release=latest_release(table),
        segment="households",
        technology="all",
        threshold_mbit=1000,
    )


register(
    Indicator(
        key="population",
        themes=("overview",),
        name_de="Einwohner",
        name_en="Population",
        unit="Einw.",
        higher_is_better=None,
        method_de="Amtliche Einwohnerzahl, Zensus 2022 (Stichtag 15.05.2022).",
        method_en="Official population, Zensus 2022 (census day 2022-05-15).",
        compute=population,
        decimals=0,
    )
)
register(
    Indicator(
        key="density",
        themes=("overview",),
        name_de="Einwohnerdichte",
        name_en="Population density",
        unit="Einw./km²",
        higher_is_better=None,
        method_de="Einwohner (Zensus 2022) je km² Gemeindefläche (VG250).",
        method_en="Population (Zensus 2022) per km² of municipal area (VG250).",
        compute=density,
        decimals=0,
    )
)
register(
    Indicator(
        key="settlement_density",
        themes=("overview", "settlement"),
        name_de="Siedlungsdichte",
        name_en="Settlement density",
        unit="Einw./km² SF",
        higher_is_better=True,
        method_de=(
            "Einwohner je km² Wohnsiedlungsfläche. Siedlungsfläche = 100-m-Zellen, für die der "
            "das Zensus-Gitter Wohngebäude, Wohnungen oder Bewohner ausweist (Nachhaltigkeits"
            "indikator 11.1.c nutzt die amtliche Siedlungs- und Verkehrsfläche; die ist hier "
            "nicht verfügbar). Höher heißt kompakter und besser mit Bus und Bahn erschließbar."
        ),
        method_en=(
            "Inhabitants per km² of residential settlement area. Settlement area = 100 m cells "
            "for which the Zensus grid reports residential buildings, dwellings or residents "
            "(sustainability indicator 11.1.c uses official settlement and transport land, not "
            "available here). Higher means more compact and easier to serve by public transport."
        ),
        compute=settlement_density,
        decimals=0,
    )
)
register(
    Indicator(
        key="share_65plus",
        themes=("overview", "demography"),
        name_de="Anteil 65 Jahre und älter",
        name_en="Share aged 65+",
        unit="%",
        higher_is_better=None,
        method_de=(
            "Aus dem Zensus-1-km-Gitter, gewichtet mit der Einwohnerzahl der Zellen; Zellen mit "
            "geheim gehaltenem Wert zählen nicht mit. (Die Gemeindewerte aus GERDA sind "
            "fehlerhaft und werden nicht verwendet.)"
        ),
        method_en=(
            "From the Zensus 1 km grid, weighted by cell population; cells with a suppressed "
            "value are left out. (The GERDA municipal values are wrong and not used.)"
        ),
        compute=share_65plus,
    )
)
register(
    Indicator(
        key="share_u18",
        themes=("overview", "demography"),
        name_de="Anteil unter 18 Jahre",
        name_en="Share under 18",
        unit="%",
        higher_is_better=None,
        method_de="Aus dem Zensus-1-km-Gitter, gewichtet mit der Einwohnerzahl der Zellen.",
        method_en="From the Zensus 1 km grid, weighted by cell population.",
        compute=share_u18,
    )
)
register(
    Indicator(
        key="vacancy",
        themes=("overview", "settlement"),
        name_de="Wohnungsleerstand",
        name_en="Dwelling vacancy",
        unit="%",
        higher_is_better=False,
        method_de="Leerstandsquote der Wohnungen, Zensus 2022; Kreiswert nach Wohnungen gewichtet.",
        method_en="Dwelling vacancy rate, Zensus 2022; district value weighted by dwellings.",
        compute=vacancy,
    )
)
register(
    Indicator(
        key="gigabit_households",
        themes=("overview", "broadband"),
        name_de="Haushalte mit Gigabit",
        name_en="Households with gigabit",
        unit="%",
        higher_is_better=True,
        method_de=(
            "Anteil der Haushalte, an deren Adresse ≥ 1.000 Mbit/s verfügbar sind (alle "
            "Technologien), neuester Stand im Breitbandatlas (im Datenstand: Mitte 2021). "
            "Kreiswert wie veröffentlicht; bei einem später importierten Stand ohne Kreiszeile "
            "nach geschätzten Haushalten gewichtet."
        ),
        method_en=(
            "Share of households where ≥ 1,000 Mbit/s is available (any technology), newest "
            "Breitbandatlas release (in the snapshot: mid 2021). District value as published; "
            "for a release imported later without a district row, weighted by estimated "
            "households."
        ),
        compute=gigabit_households,
    )
)
