"""Indicators of the broadband theme (registered on import).

Shares of households, businesses and commercial areas with ≥ 30 / ≥ 100 / ≥ 1,000 Mbit/s and
the estimated number of households in the gap classes (white spots, grey spots, not gigabit),
always from the newest release of each segment. Households ≥ 1,000 Mbit/s is the overview
indicator ``gigabit_households``, which also belongs to this theme.
"""

from __future__ import annotations

import pandas as pd

from kek_geo.analysis.broadband import (
    best_technology,
    broadband_table,
    estimated_households,
    households_below,
    latest_release,
    share_series,
)
from kek_geo.indicators import as_of
from kek_geo.indicators.registry import Indicator, LayerSource, Params, register

THEME = ("broadband",)


def _share(
    source: LayerSource, segment: str, threshold_mbit: int, technology: str = ""
) -> pd.Series:
    """Share of a segment with ≥ ``threshold_mbit`` in its newest release."""
    table = broadband_table(source)
    release = latest_release(table, segment)
    return share_series(
        table,
        estimated_households(source.layer("gemeinden")),
        release=release,
        segment=segment,
        technology=technology or best_technology(table, segment, release),
        threshold_mbit=threshold_mbit,
    )


def households_30(source: LayerSource, _params: Params) -> pd.Series:
    """Share of households with ≥ 30 Mbit/s (all technologies)."""
    return _share(source, "households", 30)


def households_100(source: LayerSource, _params: Params) -> pd.Series:
    """Share of households with ≥ 100 Mbit/s (all technologies)."""
    return _share(source, "households", 100)


def households_ftth(source: LayerSource, _params: Params) -> pd.Series:
    """Share of households with fibre to the home or building (FTTH/B ≥ 1,000 Mbit/s)."""
    return _share(source, "households", 1000, technology="ftth_b")


def businesses_1000(source: LayerSource, _params: Params) -> pd.Series:
    """Share of businesses with ≥ 1,000 Mbit/s (wired technologies)."""
    return _share(source, "businesses", 1000)


def commercial_1000(source: LayerSource, _params: Params) -> pd.Series:
    """Share of commercial areas with ≥ 1,000 Mbit/s (wired technologies)."""
    return _share(source, "commercial_areas", 1000)


def _below(source: LayerSource, threshold_mbit: int) -> pd.Series:
    table = broadband_table(source)
    return households_below(
        table,
        estimated_households(source.layer("gemeinden")),
        release=latest_release(table, "households"),
        threshold_mbit=threshold_mbit,
    )


def white_households(source: LayerSource, _params: Params) -> pd.Series:
    """Estimated households with less than 30 Mbit/s (white spots)."""
    return _below(source, 30)


def grey_households(source: LayerSource, _params: Params) -> pd.Series:
    """Estimated households with less than 100 Mbit/s (grey spots, white spots included)."""
    return _below(source, 100)


def not_gigabit_households(source: LayerSource, _params: Params) -> pd.Series:
    """Estimated households with less than 1,000 Mbit/s (not gigabit-capable)."""
    return _below(source, 1000)


_RELEASE_DE = (
    " Quelle: Breitbandatlas/Gigabit-Grundbuch der Bundesnetzagentur, neuester Stand im "
    "Datensatz (Mitte 2021) oder ein später importierter Stand."
)
_RELEASE_EN = (
    " Source: Breitbandatlas/Gigabit-Grundbuch of the Bundesnetzagentur, newest release in the "
    "data (mid 2021) or a release imported later."
)
_HH_SHARE_DE = (
    " Alle Technologien (leitungsgebunden und mobil) an der Adresse. Kreiswert wie "
    "veröffentlicht; fehlt er (importierter Stand), aus den Summen: Gemeindeanteile gewichtet "
    "mit den geschätzten Haushalten."
)
_HH_SHARE_EN = (
    " All technologies (wired and wireless) at the address. District value as published; "
    "where it is missing (imported release), from the totals: municipal shares weighted by the "
    "estimated households."
)
_WIRED_DE = (
    " Die Gemeindetabellen für {segment} enthalten nur leitungsgebundene Technologien; das ist "
    "hier das beste Maß für „alle Technologien“. Kreiswert wie veröffentlicht; für importierte "
    "Stände fehlt er (keine Zahl der {segment} je Gemeinde zum Gewichten)."
)
_WIRED_EN = (
    " The municipal tables for {segment} only give wired technologies; that is the best "
    "“all technologies” measure here. District value as published; missing for imported "
    "releases (no count of {segment} per municipality to weight with)."
)
_HOUSEHOLDS_DE = (
    " Haushalte geschätzt: Einwohner (Zensus 2022) / durchschnittliche Haushaltsgröße (Zensus "
    "2022); Menschen in Gemeinschaftsunterkünften zählen mit, die Zahl ist daher eher etwas zu "
    "hoch. Betroffene Haushalte = (100 − Anteil mit mindestens der Bandbreite) / 100 × "
    "Haushalte (alle Technologien). Kreiswert = Summe der Gemeinden. Die Klassen sind "
    "geschachtelt: jeder weiße Fleck ist auch grau und nicht gigabitfähig."
)
_HOUSEHOLDS_EN = (
    " Households estimated: population (Zensus 2022) / average household size (Zensus 2022); "
    "people in communal establishments are included, so the figure is rather slightly too "
    "high. Households affected = (100 − share with at least the bandwidth) / 100 × households "
    "(all technologies). District value = sum of the municipalities. The classes nest: every "
    "white spot is also grey and not gigabit-capable."
)
_GAP_SOURCE_DE = (
    " Definitionen nach den Förderprogrammen des Bundes (Aufgreifschwelle 30 Mbit/s; "
    "Graue-Flecken-Förderung seit 26.04.2021: 100 Mbit/s; Gigabit-Richtlinie 2.0)."
)
_GAP_SOURCE_EN = (
    " Definitions after the federal funding programmes (threshold 30 Mbit/s; grey-spot "
    "funding since 26 Apr 2021: 100 Mbit/s; Gigabit guideline 2.0)."
)

_HOUSEHOLDS_AS_OF = as_of.combined(as_of.broadband_release(), as_of.CENSUS_2022)

register(
    Indicator(
        key="bb_households_30",
        themes=THEME,
        name_de="Haushalte mit ≥ 30 Mbit/s",
        name_en="Households with ≥ 30 Mbit/s",
        unit="%",
        higher_is_better=True,
        method_de="Anteil der Haushalte, an deren Adresse mindestens 30 Mbit/s im Download "
        "verfügbar sind (NGA; darunter „weißer Fleck“)." + _HH_SHARE_DE + _RELEASE_DE,
        method_en="Share of households where at least 30 Mbit/s download is available at the "
        "address (NGA; below is a “white spot”)." + _HH_SHARE_EN + _RELEASE_EN,
        compute=households_30,
        as_of=as_of.broadband_release(),
    )
)
register(
    Indicator(
        key="bb_households_100",
        themes=THEME,
        name_de="Haushalte mit ≥ 100 Mbit/s",
        name_en="Households with ≥ 100 Mbit/s",
        unit="%",
        higher_is_better=True,
        method_de="Anteil der Haushalte, an deren Adresse mindestens 100 Mbit/s verfügbar sind "
        "(darunter „grauer Fleck“ im Sinne der deutschen Förderung)." + _HH_SHARE_DE + _RELEASE_DE,
        method_en="Share of households where at least 100 Mbit/s is available at the address "
        "(below is a “grey spot” in the German funding sense)." + _HH_SHARE_EN + _RELEASE_EN,
        compute=households_100,
        as_of=as_of.broadband_release(),
    )
)
register(
    Indicator(
        key="bb_households_ftth",
        themes=THEME,
        name_de="Haushalte mit Glasfaser (FTTH/B)",
        name_en="Households with fibre (FTTH/B)",
        unit="%",
        higher_is_better=True,
        method_de="Anteil der Haushalte, an deren Adresse Glasfaser bis ins Haus oder Gebäude "
        "(FTTH/B) mit ≥ 1.000 Mbit/s verfügbar ist. Getrennt vom Gigabit über Kabelnetz (CATV) "
        "zu lesen: der Großteil der Gigabit-Versorgung ist aufgerüstetes Fernsehkabel. Kreiswert "
        "wie veröffentlicht; für importierte Stände aus den Summen (mit geschätzten Haushalten "
        "gewichtet)." + _RELEASE_DE,
        method_en="Share of households where fibre to the home or building (FTTH/B) with "
        "≥ 1,000 Mbit/s is available at the address. Read apart from gigabit over cable (CATV): "
        "most gigabit coverage is upgraded TV cable. District value as published; for imported "
        "releases from the totals (weighted by estimated households)." + _RELEASE_EN,
        compute=households_ftth,
        as_of=as_of.broadband_release(),
    )
)
register(
    Indicator(
        key="bb_businesses_1000",
        themes=THEME,
        name_de="Unternehmen mit Gigabit",
        name_en="Businesses with gigabit",
        unit="%",
        higher_is_better=True,
        method_de="Anteil der Unternehmen, an deren Adresse ≥ 1.000 Mbit/s verfügbar sind."
        + _WIRED_DE.format(segment="Unternehmen")
        + _RELEASE_DE,
        method_en="Share of businesses where ≥ 1,000 Mbit/s is available at the address."
        + _WIRED_EN.format(segment="businesses")
        + _RELEASE_EN,
        compute=businesses_1000,
        as_of=as_of.broadband_release("businesses"),
    )
)
register(
    Indicator(
        key="bb_commercial_1000",
        themes=THEME,
        name_de="Gewerbegebiete mit Gigabit",
        name_en="Commercial areas with gigabit",
        unit="%",
        higher_is_better=True,
        method_de="Anteil der Gewerbegebiete mit ≥ 1.000 Mbit/s, wie im Breitbandatlas für "
        "Gewerbegebiete ausgewiesen." + _WIRED_DE.format(segment="Gewerbegebiete") + _RELEASE_DE,
        method_en="Share of commercial areas (Gewerbegebiete) with ≥ 1,000 Mbit/s, as published "
        "in the Breitbandatlas." + _WIRED_EN.format(segment="commercial areas") + _RELEASE_EN,
        compute=commercial_1000,
        as_of=as_of.broadband_release("commercial_areas"),
    )
)
register(
    Indicator(
        key="bb_white_households",
        themes=THEME,
        name_de="Haushalte in weißen Flecken (< 30 Mbit/s, geschätzt)",
        name_en="Households in white spots (< 30 Mbit/s, estimated)",
        unit="Haush.",
        higher_is_better=False,
        method_de="Haushalte, an deren Adresse weniger als 30 Mbit/s verfügbar sind: „weißer "
        "Fleck“ (kein NGA-Netz; historische Aufgreifschwelle des Bundesförderprogramms, "
        "gigabitbuero.de)." + _HOUSEHOLDS_DE + _GAP_SOURCE_DE + _RELEASE_DE,
        method_en="Households with less than 30 Mbit/s available at the address: “white spot” "
        "(no NGA network; the historic funding threshold of the federal programme, "
        "gigabitbuero.de)." + _HOUSEHOLDS_EN + _GAP_SOURCE_EN + _RELEASE_EN,
        compute=white_households,
        as_of=_HOUSEHOLDS_AS_OF,
        decimals=0,
    )
)
register(
    Indicator(
        key="bb_grey_households",
        themes=THEME,
        name_de="Haushalte in grauen Flecken (< 100 Mbit/s, geschätzt)",
        name_en="Households in grey spots (< 100 Mbit/s, estimated)",
        unit="Haush.",
        higher_is_better=False,
        method_de="Haushalte, an deren Adresse weniger als 100 Mbit/s verfügbar sind: „grauer "
        "Fleck“ im Sinne der deutschen Förderung (förderfähig seit 26.04.2021, "
        "Graue-Flecken-Programm), weiße Flecken eingeschlossen."
        + _HOUSEHOLDS_DE
        + _GAP_SOURCE_DE
        + _RELEASE_DE,
        method_en="Households with less than 100 Mbit/s available at the address: “grey spot” "
        "in the German funding sense (fundable since 26 Apr 2021, Graue-Flecken-Programm), "
        "white spots included." + _HOUSEHOLDS_EN + _GAP_SOURCE_EN + _RELEASE_EN,
        compute=grey_households,
        as_of=_HOUSEHOLDS_AS_OF,
        decimals=0,
    )
)
register(
    Indicator(
        key="bb_not_gigabit_households",
        themes=THEME,
        name_de="Haushalte ohne Gigabit (< 1.000 Mbit/s, geschätzt)",
        name_en="Households without gigabit (< 1,000 Mbit/s, estimated)",
        unit="Haush.",
        higher_is_better=False,
        method_de="Haushalte, an deren Adresse weniger als 1.000 Mbit/s verfügbar sind (nicht "
        "gigabitfähig). Die aktuelle Gigabit-Richtlinie 2.0 fördert, wo keine 200 Mbit/s "
        "symmetrisch oder 500 Mbit/s im Download zuverlässig verfügbar sind; 500 Mbit/s ist im "
        "Breitbandatlas keine Bandbreitenklasse (nur 400 und 1.000), daher hier < 1.000."
        + _HOUSEHOLDS_DE
        + _GAP_SOURCE_DE
        + _RELEASE_DE,
        method_en="Households with less than 1,000 Mbit/s available at the address (not "
        "gigabit-capable). The current Gigabit-RL 2.0 funds where neither 200 Mbit/s symmetric "
        "nor 500 Mbit/s download is reliably available; 500 Mbit/s is not a Breitbandatlas "
        "bandwidth class (only 400 and 1,000), hence < 1,000 here."
        + _HOUSEHOLDS_EN
        + _GAP_SOURCE_EN
        + _RELEASE_EN,
        compute=not_gigabit_households,
        as_of=_HOUSEHOLDS_AS_OF,
        decimals=0,
    )
)
