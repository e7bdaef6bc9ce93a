"""Indicators of the settlement theme (registered on import).

Settlement density and dwelling vacancy are registered with the overview and shown here too;
this module adds land per inhabitant, settlement patches, a sprawl proxy, the share of old
residential buildings and the degree of urbanisation (DEGURBA) shares.
"""

from __future__ import annotations

import pandas as pd

from kek_geo.analysis.settlement import (
    RURAL,
    URBAN_CENTRE,
    URBAN_CLUSTER,
    DegurbaRules,
    area_per_inhabitant,
    degurba_classes,
    degurba_share,
    patch_counts,
    share_built_before_1979,
    share_outside_cores,
)
from kek_geo.indicators import as_of
from kek_geo.indicators.registry import Indicator, LayerSource, Params, Threshold, register

_METHODS_NOTE_DE = "Morphometrie-Kennzahlen wie im IÖR-Monitor (ioer-monitor.de)"
_METHODS_NOTE_EN = "morphometric measures as in the IÖR-Monitor (ioer-monitor.de)"
_EUROSTAT_DE = (
    "Eurostat, Grad der Verstädterung (DEGURBA), Methodenhandbuch „Applying the Degree of "
    "Urbanisation“ 2021"
)
_EUROSTAT_EN = (
    "Eurostat Degree of Urbanisation (DEGURBA), methodological manual “Applying the Degree of "
    "Urbanisation” 2021"
)

PATCH_MIN_HA = Threshold(
    key="set_patch_min_ha",
    label_de="Mindestgröße einer Siedlungsfläche",
    label_en="Minimum size of a settlement patch",
    default=1.0,
    unit="ha",
    min_value=1.0,
    max_value=50.0,
    step=1.0,
    source_de="KEK-Geo-Vorgabe: 1 ha = eine 100-m-Zelle, also alle Flächen (keine amtliche "
    f"Mindestgröße); Zahl der Siedlungsflächen als Zersiedelungsmaß nach {_METHODS_NOTE_DE}",
    source_en="KEK Geo default: 1 ha = one 100 m cell, i.e. all patches (there is no official "
    f"minimum); number of settlement patches as a sprawl measure after {_METHODS_NOTE_EN}",
)
CORE_PATCHES = Threshold(
    key="set_core_patches",
    label_de="Größte Siedlungsflächen je Gemeinde, die als Kern zählen",
    label_en="Largest settlement patches per municipality that count as cores",
    default=3.0,
    unit="",
    min_value=1.0,
    max_value=10.0,
    step=1.0,
    source_de="KEK-Geo-Vorgabe (Hauptort und die zwei größten weiteren Ortslagen) als Ersatz "
    "für die Siedlungsschwerpunkte des Regionalplans, die nicht vorliegen",
    source_en="KEK Geo default (main town and the two largest further settlements) standing in "
    "for the Siedlungsschwerpunkte of the regional plan, which are not available",
)
CENTRE_DENSITY = Threshold(
    key="set_degurba_centre_density",
    label_de="Dichte eines urbanen Zentrums mindestens",
    label_en="Density of an urban centre at least",
    default=1500.0,
    unit="Einw./km²",
    min_value=500.0,
    max_value=5000.0,
    step=100.0,
    source_de=_EUROSTAT_DE,
    source_en=_EUROSTAT_EN,
)
CENTRE_POPULATION = Threshold(
    key="set_degurba_centre_pop",
    label_de="Einwohner eines urbanen Zentrums mindestens",
    label_en="Population of an urban centre at least",
    default=50_000.0,
    unit="Einw.",
    min_value=5_000.0,
    max_value=100_000.0,
    step=5_000.0,
    source_de=_EUROSTAT_DE,
    source_en=_EUROSTAT_EN,
)
CLUSTER_DENSITY = Threshold(
    key="set_degurba_cluster_density",
    label_de="Dichte eines urbanen Clusters mindestens",
    label_en="Density of an urban cluster at least",
    default=300.0,
    unit="Einw./km²",
    min_value=100.0,
    max_value=1500.0,
    step=50.0,
    source_de=_EUROSTAT_DE,
    source_en=_EUROSTAT_EN,
)
CLUSTER_POPULATION = Threshold(
    key="set_degurba_cluster_pop",
    label_de="Einwohner eines urbanen Clusters mindestens",
    label_en="Population of an urban cluster at least",
    default=5_000.0,
    unit="Einw.",
    min_value=1_000.0,
    max_value=50_000.0,
    step=500.0,
    source_de=_EUROSTAT_DE,
    source_en=_EUROSTAT_EN,
)
DEGURBA_THRESHOLDS = (CENTRE_DENSITY, CENTRE_POPULATION, CLUSTER_DENSITY, CLUSTER_POPULATION)


def degurba_rules(params: Params) -> DegurbaRules:
    """DEGURBA thresholds from the page parameters (Eurostat defaults where not given).

    Parameters
    ----------
    params
        Threshold values by key.

    Returns
    -------
    DegurbaRules
        The rules.
    """

    def value(th: Threshold) -> float:
        return float(params.get(th.key, th.default))

    return DegurbaRules(
        centre_density=value(CENTRE_DENSITY),
        centre_population=value(CENTRE_POPULATION),
        cluster_density=value(CLUSTER_DENSITY),
        cluster_population=value(CLUSTER_POPULATION),
    )


def core_count(params: Params) -> int:
    """Number of core patches per municipality from the page parameters.

    Parameters
    ----------
    params
        Threshold values by key.

    Returns
    -------
    int
        At least 1.
    """
    return max(1, round(float(params.get(CORE_PATCHES.key, CORE_PATCHES.default))))


def settlement_area_per_inhabitant(source: LayerSource, _params: Params) -> pd.Series:
    """Settlement area per inhabitant (m²)."""
    return area_per_inhabitant(source.layer("gemeinden"))


def settlement_patches(source: LayerSource, params: Params) -> pd.Series:
    """Number of settlement patches of at least the minimum size."""
    ags = source.layer("gemeinden")["ags"].astype(str).tolist()
    return patch_counts(source.geo("settlement_areas"), params[PATCH_MIN_HA.key], ags)


def outside_cores(source: LayerSource, params: Params) -> pd.Series:
    """Share of the estimated population outside the N largest patches of each municipality."""
    return share_outside_cores(
        source.geo("grid_100m"), source.geo("settlement_areas"), core_count(params)
    )


def buildings_before_1979(source: LayerSource, _params: Params) -> pd.Series:
    """Share of residential buildings built up to 1978."""
    return share_built_before_1979(source.layer("grid_100m"))


def _degurba(source: LayerSource, params: Params, degurba_class: str) -> pd.Series:
    classes = degurba_classes(source.layer("grid_1km"), degurba_rules(params))
    return degurba_share(source.layer("grid_100m"), classes, degurba_class)


def urban_centre_share(source: LayerSource, params: Params) -> pd.Series:
    """Share of the estimated population in urban-centre 1 km cells."""
    return _degurba(source, params, URBAN_CENTRE)


def urban_cluster_share(source: LayerSource, params: Params) -> pd.Series:
    """Share of the estimated population in urban-cluster 1 km cells (not centres)."""
    return _degurba(source, params, URBAN_CLUSTER)


def rural_share(source: LayerSource, params: Params) -> pd.Series:
    """Share of the estimated population in rural 1 km cells."""
    return _degurba(source, params, RURAL)


_CELLS_DE = (
    "Siedlungsfläche (Stand 2011) = 100-m-Zellen, für die das Gitter des Zensus 2011 "
    "Wohngebäude, Wohnungen oder Bewohner ausweist, je Zelle 1 ha (auch wenn nur ein Haus darin "
    "steht); Gewerbe- und Verkehrsflächen sowie seit 2011 bebaute Flächen fehlen."
)
_CELLS_EN = (
    "Settlement area (as of 2011) = 100 m cells for which the Zensus 2011 grid reports "
    "residential buildings, dwellings or residents, 1 ha per cell (even if only one house "
    "stands in it); commercial and transport land and areas built up since 2011 are missing."
)
_EST_DE = " " + as_of.RESIDENTS_NOTE_DE
_EST_EN = " " + as_of.RESIDENTS_NOTE_EN

register(
    Indicator(
        key="set_area_per_inhabitant",
        themes=("settlement",),
        name_de="Siedlungsfläche je Einwohner",
        name_en="Settlement area per inhabitant",
        unit="m²/Einw.",
        higher_is_better=False,
        method_de="Wohnsiedlungsfläche je Einwohner (Kehrwert der Siedlungsdichte). "
        + _CELLS_DE
        + " Einwohner: amtliche Zahl des Zensus 2022. Kreiswert aus den Summen. Wegen der "
        "fehlenden Gewerbe- und Verkehrsflächen nicht mit der amtlichen Siedlungs- und "
        "Verkehrsfläche je Einwohner (ALKIS, IÖR-Monitor) vergleichbar. Weniger Fläche je "
        "Einwohner heißt kompakter.",
        method_en="Residential settlement area per inhabitant (the inverse of settlement "
        "density). "
        + _CELLS_EN
        + " Inhabitants: official Zensus 2022 figure. District value from the totals. Because "
        "commercial and transport land is missing, not comparable with the official settlement "
        "and transport area per inhabitant (ALKIS, IÖR-Monitor). Less land per inhabitant means "
        "more compact.",
        compute=settlement_area_per_inhabitant,
        as_of=as_of.combined(as_of.GRID_2011, as_of.CENSUS_2022),
        decimals=0,
    )
)
register(
    Indicator(
        key="set_patches",
        themes=("settlement",),
        name_de="Siedlungsflächen",
        name_en="Settlement patches",
        unit="",
        higher_is_better=None,
        method_de="Zahl der Siedlungsflächen mit mindestens der Mindestgröße. Eine "
        "Siedlungsfläche ist eine zusammenhängende Gruppe von 100-m-Zellen mit gemeinsamen "
        "Kanten (Ebene „Siedlungsflächen“); sie zählt für die Gemeinde, in der die meisten "
        "ihrer Zellen liegen. "
        + _CELLS_DE
        + " Viele kleine Flächen (oft einzelne Höfe) deuten auf Streusiedlung; die Zahl wächst "
        "auch mit der Gemeindefläche. Kreiswert = alle Flächen.",
        method_en="Number of settlement patches of at least the minimum size. A patch is a "
        "connected group of 100 m cells sharing edges (layer “settlement areas”); it counts "
        "for the municipality holding most of its cells. "
        + _CELLS_EN
        + " Many small patches (often single farmsteads) point to scattered settlement; the "
        "count also grows with the municipal area. District value = all patches.",
        compute=settlement_patches,
        as_of=as_of.GRID_2011,
        thresholds=(PATCH_MIN_HA,),
        decimals=0,
    )
)
register(
    Indicator(
        key="set_pop_outside_cores",
        themes=("settlement",),
        name_de="Einwohner außerhalb der Siedlungskerne",
        name_en="Population outside the settlement cores",
        unit="%",
        higher_is_better=False,
        method_de="Näherungswert (Proxy) für Zersiedelung: Anteil der geschätzten Einwohner, "
        "die nicht in einem Siedlungskern wohnen. Kern = eine der N größten Siedlungsflächen "
        "(nach Fläche; N = Schwellenwert, Vorgabe 3) einer Gemeinde; jede Fläche zählt für "
        "die Gemeinde mit den meisten ihrer Zellen; wer in einer Kernfläche wohnt, die über "
        "die Gemeindegrenze reicht, wohnt im Kern. Angelehnt an den „Anteil der Bevölkerung "
        "außerhalb der Siedlungsschwerpunkte“; die im Regionalplan "
        "festgelegten Siedlungsschwerpunkte liegen nicht vor, deshalb ersetzt die Größenfolge "
        "der Flächen sie. Zusammengewachsene Ortsteile bilden eine Fläche, ein Ortsteil hinter "
        "einer Lücke von 100 m ist eine eigene." + _EST_DE,
        method_en="Proxy for sprawl: share of the estimated population not living in a "
        "settlement core. Core = one of the N largest settlement patches (by area; N = "
        "threshold, default 3) of a municipality; each patch counts for the municipality "
        "holding most of its cells, and people living in a core patch that reaches across the "
        "municipal border live in a core. Modelled on the “share of population outside the "
        "main settlement cores (Siedlungsschwerpunkte)”; the cores "
        "designated in the regional plan are not available, so the size order of the patches "
        "stands in for them. Settlements that have grown together form one patch; one behind "
        "a 100 m gap is a patch of its own." + _EST_EN,
        compute=outside_cores,
        as_of=as_of.RESIDENTS_2022,
        thresholds=(CORE_PATCHES,),
    )
)
register(
    Indicator(
        key="set_buildings_pre1979",
        themes=("settlement",),
        name_de="Wohngebäude bis Baujahr 1978 (Zensus 2011)",
        name_en="Residential buildings built up to 1978 (Zensus 2011)",
        unit="%",
        higher_is_better=None,
        method_de="Anteil der Wohngebäude der Baujahrklassen bis 1978 (vor 1919, 1919–1948, "
        "1949–1978; 100-m-Gitter des Zensus 2011, Stichtag 09.05.2011) an allen ausgewiesenen "
        "Wohngebäuden: gebaut vor "
        "oder kurz nach Inkrafttreten der ersten Wärmeschutzverordnung (WSchVO 1977, seit "
        "1.11.1977), meist mit hohem Sanierungsbedarf. Seit 2011 gebaute Häuser fehlen. Geheim "
        "gehaltene "
        "Klassenwerte (weniger als 3 Gebäude einer Klasse in einer Zelle) fehlen und zählen "
        "weder im Zähler noch im Nenner; in locker bebauten Gebieten fehlt so ein Teil der "
        "Gebäude. Kreiswert aus den Summen.",
        method_en="Share of residential buildings in the construction-year classes up to 1978 "
        "(before 1919, 1919–1948, 1949–1978; Zensus 2011 100 m grid, census day 2011-05-09) among "
        "all published residential "
        "buildings: built before or just after the first German thermal insulation ordinance "
        "(WSchVO 1977, in force since 1 Nov 1977) took effect, mostly in need of energy "
        "retrofits. Houses built since 2011 are missing. Suppressed class counts (fewer than 3 "
        "buildings of a class in a "
        "cell) are missing and add to neither numerator nor denominator; in sparsely built "
        "areas part of the buildings is therefore missing. District value from the totals.",
        compute=buildings_before_1979,
        as_of=as_of.GRID_2011,
    )
)

_DEGURBA_DE = (
    " Grad der Verstädterung (Eurostat DEGURBA) auf dem 1-km-Gitter des Zensus 2022 (Stichtag "
    "15.05.2022); Dichte = veröffentlichte Einwohnerzahl der ganzen Zelle je km². Urbanes "
    "Zentrum: Zellen mit "
    "mindestens 1.500 Einw./km² (alle Schwellen einstellbar), die eine Kante teilen; Lücken "
    "werden gefüllt (eine Zelle, von deren 8 Nachbarn mindestens 5 zum selben Zentrum "
    "gehören, kommt hinzu, wiederholt); danach zusammen mindestens 50.000 Einwohner. Urbaner "
    "Cluster: Zellen mit mindestens 300 Einw./km², auch über Ecken verbunden, zusammen "
    "mindestens 5.000 Einwohner, soweit nicht Zentrum. Ländlich: der Rest, auch Zellen ohne "
    "veröffentlichte Einwohnerzahl. Je Gemeinde zählen die geschätzten Einwohner der "
    "100-m-Zellen nach der Klasse ihrer 1-km-Zelle. Einschränkungen: Es liegen nur Zellen "
    "vor, die den Kreis berühren – Siedlungsbänder, die sich in Nachbarstädte fortsetzen, "
    "werden am Kreisrand abgeschnitten und eher zu klein bewertet; "
    "Dichte je km² Gesamt- statt Landfläche; Zusatzkriterien der GHSL-Umsetzung (bebaute "
    "Fläche) entfallen."
)
_DEGURBA_EN = (
    " Degree of urbanisation (Eurostat DEGURBA) on the Zensus 2022 1 km grid (census day "
    "2022-05-15); density = published "
    "population of the whole cell per km². Urban centre: cells with at least 1,500 inh./km² "
    "(all thresholds adjustable) sharing an edge; gaps are filled (a cell with at least 5 of "
    "its 8 neighbours in the same centre is added, repeatedly); then together at least "
    "50,000 inhabitants. Urban cluster: cells with at least 300 inh./km², connected also "
    "across corners, together at least 5,000 inhabitants, unless in a centre. Rural: the "
    "rest, including cells without a published population. Per municipality, the estimated "
    "residents of the 100 m cells count by the class of their 1 km cell. Limits: only cells "
    "touching the district are available – settlement belts continuing into neighbouring "
    "towns are cut at the district border and rather underrated; density per km² of "
    "total rather than land area; the additional criteria of the GHSL implementation "
    "(built-up area) are not applied."
)

for _key, _class_de, _class_en, _name_de, _name_en, _compute in (
    (
        "set_degurba_centre_share",
        "urbanes Zentrum",
        "urban centre",
        "Einwohner in urbanen Zentren",
        "Population in urban centres",
        urban_centre_share,
    ),
    (
        "set_degurba_cluster_share",
        "urbaner Cluster",
        "urban cluster",
        "Einwohner in urbanen Clustern",
        "Population in urban clusters",
        urban_cluster_share,
    ),
    (
        "set_degurba_rural_share",
        "ländlich",
        "rural",
        "Einwohner in ländlichen Zellen",
        "Population in rural cells",
        rural_share,
    ),
):
    register(
        Indicator(
            key=_key,
            themes=("settlement",),
            name_de=_name_de,
            name_en=_name_en,
            unit="%",
            higher_is_better=None,
            method_de=f"Anteil der geschätzten Einwohner, deren 1-km-Zelle als „{_class_de}“ "
            "eingestuft ist." + _DEGURBA_DE,
            method_en=f"Share of the estimated residents whose 1 km cell is classed "
            f"“{_class_en}”." + _DEGURBA_EN,
            compute=_compute,
            as_of=as_of.combined(as_of.GRID_2022, as_of.RESIDENTS_2022),
            thresholds=DEGURBA_THRESHOLDS,
        )
    )
