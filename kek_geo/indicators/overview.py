"""Key figures of the overview page: population, density, age, housing, gigabit."""

from __future__ import annotations

import pandas as pd

from kek_geo.analysis.broadband import (
    broadband_table,
    estimated_households,
    latest_release,
    share_series,
)
from kek_geo.indicators import as_of
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


def _grid_weighted(source: LayerSource, column: str, weight_column: str) -> pd.Series:
    """A grid-derived share per municipality; district = weighted by the grid population."""
    gem = _gem(source)
    weight = gem[weight_column].astype("float64")
    value = gem[column].astype("float64")
    valid = value.notna() & weight.notna()
    kreis = (
        float((value[valid] * weight[valid]).sum() / weight[valid].sum())
        if valid.any()
        else float("nan")
    )
    return with_kreis(value, kreis)


def share_65plus(source: LayerSource, _params: Params) -> pd.Series:
    """Share of people aged 65 and over in 2022, from the 2022 1 km grid."""
    return _grid_weighted(source, "share_65plus", "grid_population")


def share_u15(source: LayerSource, _params: Params) -> pd.Series:
    """Share of people under 15 in 2022, from the 2022 1 km grid."""
    return _grid_weighted(source, "share_u15", "grid_population")


def share_65plus_2011(source: LayerSource, _params: Params) -> pd.Series:
    """Share of people aged 65 and over in 2011, from the Zensus 2011 1 km grid."""
    return _grid_weighted(source, "share_65plus_2011", "grid_population_2011")


def share_u18(source: LayerSource, _params: Params) -> pd.Series:
    """Share of people under 18 in 2011, from the Zensus 2011 1 km grid."""
    return _grid_weighted(source, "share_u18_2011", "grid_population_2011")


def change_65plus(source: LayerSource, params: Params) -> pd.Series:
    """Change of the share aged 65+ from 2011 to 2022, percentage points."""
    return share_65plus(source, params) - share_65plus_2011(source, params)


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
        as_of=as_of.CENSUS_2022,
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
        as_of=as_of.CENSUS_2022,
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
            "Einwohner (Zensus 2022) je km² Wohnsiedlungsfläche. Siedlungsfläche = 100-m-Zellen, "
            "für die das Gitter des Zensus 2011 Wohngebäude, Wohnungen oder Bewohner ausweist "
            "(Nachhaltigkeitsindikator 11.1.c nutzt die amtliche Siedlungs- und Verkehrsfläche; "
            "die ist hier nicht verfügbar; seit 2011 bebaute Flächen fehlen). Höher heißt "
            "kompakter und besser mit Bus und Bahn erschließbar."
        ),
        method_en=(
            "Inhabitants (Zensus 2022) per km² of residential settlement area. Settlement area = "
            "100 m cells for which the Zensus 2011 grid reports residential buildings, dwellings "
            "or residents (sustainability indicator 11.1.c uses official settlement and transport "
            "land, not available here; areas built up since 2011 are missing). Higher means more "
            "compact and easier to serve by public transport."
        ),
        compute=settlement_density,
        decimals=0,
        as_of=as_of.combined(as_of.CENSUS_2022, as_of.GRID_2011),
    )
)
_GRID_2022_DE = (
    " Aus dem 1-km-Gitter des Zensus 2022 (Eurostat-Gitter, Stichtag 15.05.2022): Menschen der "
    "Altersgruppe ÷ Einwohner, summiert über die Zellen, jede mit dem Anteil ihrer Einwohner in "
    "der Gemeinde (aufgeteilt nach dem Gebäudebestand 2011 ihrer 100-m-Zellen). Die Gitterwerte "
    "sind zur Geheimhaltung leicht verändert."
)
_GRID_2022_EN = (
    " From the Zensus 2022 1 km grid (Eurostat grid, census day 2022-05-15): people in the age "
    "band ÷ residents, summed over the cells, each with the share of its residents living in the "
    "municipality (split by the 2011 housing stock of its 100 m cells). The grid values are "
    "slightly perturbed for confidentiality."
)
_GRID_2011_DE = (
    " Aus dem 1-km-Gitter des Zensus 2011 (Stichtag 09.05.2011), mit den Einwohnern 2011 der "
    "Zellen gewichtet; Zellen mit geheim gehaltenem Wert zählen nicht mit."
)
_GRID_2011_EN = (
    " From the Zensus 2011 1 km grid (census day 2011-05-09), weighted by the cells' 2011 "
    "population; cells with a suppressed value are left out."
)
_NO_GERDA_DE = " (Die Altersanteile aus GERDA sind fehlerhaft und werden nicht verwendet.)"
_NO_GERDA_EN = " (The GERDA age shares are wrong and not used.)"

register(
    Indicator(
        key="share_65plus",
        themes=("overview", "demography"),
        name_de="Anteil 65 Jahre und älter (2022)",
        name_en="Share aged 65+ (2022)",
        unit="%",
        higher_is_better=None,
        method_de="Anteil der Menschen ab 65 Jahren." + _GRID_2022_DE + _NO_GERDA_DE,
        method_en="Share of people aged 65 and over." + _GRID_2022_EN + _NO_GERDA_EN,
        compute=share_65plus,
        as_of=as_of.GRID_2022,
    )
)
register(
    Indicator(
        key="share_u15",
        themes=("overview", "demography"),
        name_de="Anteil unter 15 Jahre (2022)",
        name_en="Share under 15 (2022)",
        unit="%",
        higher_is_better=None,
        method_de="Anteil der Kinder unter 15 Jahren." + _GRID_2022_DE,
        method_en="Share of children under 15." + _GRID_2022_EN,
        compute=share_u15,
        as_of=as_of.GRID_2022,
    )
)
register(
    Indicator(
        key="share_65plus_change",
        themes=("demography",),
        name_de="Veränderung Anteil 65+ 2011 → 2022",
        name_en="Change of the share aged 65+, 2011 → 2022",
        unit="%-Pkt.",
        higher_is_better=None,
        method_de=(
            "Anteil ab 65 im Jahr 2022 minus Anteil ab 65 im Jahr 2011, in Prozentpunkten; "
            "positiv heißt: die Bevölkerung ist älter geworden. 2022:"
            + _GRID_2022_DE
            + " 2011:"
            + _GRID_2011_DE
        ),
        method_en=(
            "Share aged 65+ in 2022 minus share aged 65+ in 2011, in percentage points; positive "
            "means the population has aged. 2022:" + _GRID_2022_EN + " 2011:" + _GRID_2011_EN
        ),
        compute=change_65plus,
        as_of=as_of.fixed("Zensus 2011 → Zensus 2022", "Zensus 2011 → Zensus 2022"),
    )
)
register(
    Indicator(
        key="share_65plus_2011",
        themes=("demography",),
        name_de="Anteil 65 Jahre und älter (2011)",
        name_en="Share aged 65+ (2011)",
        unit="%",
        higher_is_better=None,
        method_de="Anteil der Menschen ab 65 Jahren im Jahr 2011." + _GRID_2011_DE,
        method_en="Share of people aged 65 and over in 2011." + _GRID_2011_EN,
        compute=share_65plus_2011,
        as_of=as_of.GRID_2011,
    )
)
register(
    Indicator(
        key="share_u18",
        themes=("demography",),
        name_de="Anteil unter 18 Jahre (2011)",
        name_en="Share under 18 (2011)",
        unit="%",
        higher_is_better=None,
        method_de=(
            "Anteil der Kinder und Jugendlichen unter 18 Jahren im Jahr 2011 (für 2022 gibt es im "
            "Gitter nur die Gruppe unter 15)." + _GRID_2011_DE
        ),
        method_en=(
            "Share of children and young people under 18 in 2011 (for 2022 the grid has only the "
            "band under 15)." + _GRID_2011_EN
        ),
        compute=share_u18,
        as_of=as_of.GRID_2011,
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
        as_of=as_of.CENSUS_2022,
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
        as_of=as_of.broadband_release(),
    )
)
