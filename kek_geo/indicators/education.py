"""Education indicators: children under 10 near a primary school, social index, Startchancen."""

from __future__ import annotations

import pandas as pd

from kek_geo.analysis.education import (
    children_in_far_hotspots,
    children_share_within,
    count_by_municipality,
    primary_school_distance,
    pupil_weighted_social_index,
)
from kek_geo.indicators import as_of
from kek_geo.indicators.registry import Indicator, LayerSource, Params, Threshold, register

PRIMARY_NEAR = Threshold(
    key="edu_primary_near_m",
    label_de="Nahbereich einer Grundschule höchstens",
    label_en="Near a primary school: at most",
    default=1000.0,
    unit="m",
    min_value=300.0,
    max_value=2000.0,
    step=100.0,
    source_de="BBSR-Nahversorgung: 1.000 m Luftlinie zur Grundschule",
    source_en="BBSR local-amenities indicator: 1,000 m straight line to a primary school",
    at_most="edu_primary_far_m",
)
PRIMARY_FAR = Threshold(
    key="edu_primary_far_m",
    label_de="Schulweg zur Grundschule höchstens",
    label_en="Way to a primary school at most",
    default=2000.0,
    unit="m",
    min_value=1000.0,
    max_value=5000.0,
    step=100.0,
    source_de="Schülerfahrkostenverordnung NRW (SchfkVO) § 5: Grundschulkinder haben Anspruch "
    "auf Schülerbeförderung, wenn der Schulweg länger als 2 km ist",
    source_en="NRW school transport regulation (Schülerfahrkostenverordnung, § 5): primary "
    "pupils are entitled to school transport when the way to school exceeds 2 km",
)
HOTSPOT_CHILDREN = Threshold(
    key="edu_hotspot_children_min",
    label_de="Kinder unter 10 je Hektar für einen Schwerpunkt",
    label_en="Children under 10 per hectare for a hotspot",
    default=10.0,
    unit="Kinder",
    min_value=3.0,
    max_value=50.0,
    step=1.0,
    source_de="KEK-Geo-Vorgabe: 275 der 4.786 Zellen mit ausgewiesener Zahl (die dichtesten "
    "6 %) haben mindestens 10 Kinder unter 10; der Zensus weist Werte unter 3 nicht aus",
    source_en="KEK Geo default: 275 of the 4,786 cells with a published count (the densest "
    "6 %) have at least 10 children under 10; Zensus does not publish counts below 3",
)


def children_near_primary(source: LayerSource, params: Params) -> pd.Series:
    """Share of children under 10 within the near radius of a primary school."""
    cells, dist, _method = primary_school_distance(source)
    return children_share_within(cells, dist, params[PRIMARY_NEAR.key])


def children_within_school_way(source: LayerSource, params: Params) -> pd.Series:
    """Share of children under 10 within the school-way radius of a primary school."""
    cells, dist, _method = primary_school_distance(source)
    return children_share_within(cells, dist, params[PRIMARY_FAR.key])


def children_far_hotspots(source: LayerSource, params: Params) -> pd.Series:
    """Children under 10 in hotspot cells beyond the school-way radius of a primary school."""
    cells, dist, _method = primary_school_distance(source)
    return children_in_far_hotspots(
        cells, dist, params[HOTSPOT_CHILDREN.key], params[PRIMARY_FAR.key]
    )


def social_index(source: LayerSource, _params: Params) -> pd.Series:
    """Pupil-weighted mean social index of the municipality's schools, where published."""
    return pupil_weighted_social_index(source.layer("schools"))


def startchancen_schools(source: LayerSource, _params: Params) -> pd.Series:
    """Number of schools in the Startchancen programme."""
    schools = source.layer("schools")
    gemeinden = source.layer("gemeinden")["ags"].astype(str)
    counts = count_by_municipality(
        schools, schools["startchancen"].fillna(value=False).astype(bool), pd.Index(gemeinden)
    )
    if schools.empty or schools["startchancen"].isna().all():  # no official school list
        return counts * float("nan")
    return counts


_SCHOOLS_DE = (
    " Grundschule = Schulform „Grundschule“ der amtlichen Schulliste NRW; die "
    "Förderschulen Grund-/Hauptschule sind keine allgemeinen Grundschulen und zählen nicht. "
    "Kinder unter 10 aus dem 100-m-Gitter des Zensus 2011 (Stichtag 09.05.2011); Zellen mit "
    "geheim gehaltener Zahl "
    "(unter 3 Kinder) fehlen. Entfernung Zellmitte–nächste Grundschule, Luftlinie oder – wenn "
    "importiert – entlang des Fußwegenetzes (die Schülerfahrkostenverordnung misst den kürzesten "
    "Fußweg, der länger ist als die Luftlinie). Nur die Schulen des Kreises sind erfasst: "
    "am Kreisrand kann eine Schule der Nachbarstadt näher sein, dort sind die Entfernungen "
    "überschätzt. Ebenso bei Grundschulverbünden mit mehreren Standorten: die Schulliste "
    "nennt nur die Hauptadresse, die Teilstandorte fehlen."
)
_SCHOOLS_EN = (
    " Primary school = school type “Grundschule” of the official NRW school list; the "
    "special schools for primary and lower secondary pupils (Förderschule "
    "Grund-/Hauptschule) are not general primary schools and do not count. Children under 10 "
    "from the Zensus 2011 100 m grid (census day 2011-05-09); cells with a suppressed count "
    "(below 3) are left out. "
    "Distance from the cell centre to the nearest primary school, straight line or, if "
    "imported, along the walking network (the school transport rule measures the shortest "
    "walking route, which is longer than the straight line). Only the district's schools are "
    "in the data: at the border a school in a neighbouring town may be closer, so distances "
    "there are overstated. The same holds for primary school federations with several sites: "
    "the school list gives only the main address, the other sites are missing."
)

_CHILDREN_AS_OF = as_of.combined(as_of.GRID_2011, as_of.SCHOOLS)

register(
    Indicator(
        key="edu_children_primary_near",
        themes=("education",),
        name_de="Kinder unter 10 (Zensus 2011) nah an einer Grundschule",
        name_en="Children under 10 (Zensus 2011) near a primary school",
        unit="%",
        higher_is_better=True,
        method_de="Anteil der Kinder unter 10 Jahren (mit ausgewiesener Zahl), deren nächste "
        "Grundschule höchstens so weit entfernt ist wie der Nahbereich (Vorgabe 1 km)."
        + _SCHOOLS_DE,
        method_en="Share of children under 10 (where published) whose nearest primary school "
        "is within the near radius (default 1 km)." + _SCHOOLS_EN,
        compute=children_near_primary,
        as_of=_CHILDREN_AS_OF,
        thresholds=(PRIMARY_NEAR,),
    )
)
register(
    Indicator(
        key="edu_children_primary_reach",
        themes=("education",),
        name_de="Kinder unter 10 (Zensus 2011) im Schulweg-Radius einer Grundschule",
        name_en="Children under 10 (Zensus 2011) within school-way distance of a primary school",
        unit="%",
        higher_is_better=True,
        method_de="Anteil der Kinder unter 10 Jahren (mit ausgewiesener Zahl), deren nächste "
        "Grundschule höchstens so weit entfernt ist wie der Schulweg-Radius (Vorgabe 2 km; "
        "darüber besteht in NRW Anspruch auf Schülerbeförderung)." + _SCHOOLS_DE,
        method_en="Share of children under 10 (where published) whose nearest primary school "
        "is within the school-way radius (default 2 km; beyond it NRW pays school transport)."
        + _SCHOOLS_EN,
        compute=children_within_school_way,
        as_of=_CHILDREN_AS_OF,
        thresholds=(PRIMARY_FAR,),
    )
)
register(
    Indicator(
        key="edu_children_far_hotspots",
        themes=("education",),
        name_de="Kinder (Zensus 2011) in Schwerpunkten fern der Grundschule",
        name_en="Children (Zensus 2011) in hotspots far from a primary school",
        unit="Kinder",
        higher_is_better=False,
        method_de="Kinder unter 10 Jahren in 100-m-Zellen mit mindestens so vielen Kindern wie "
        "im Schwellenwert (Vorgabe 10), deren nächste Grundschule weiter entfernt ist als der "
        "Schulweg-Radius (Vorgabe 2 km). Die Karte zeigt diese Zellen." + _SCHOOLS_DE,
        method_en="Children under 10 in 100 m cells with at least the threshold number of "
        "children (default 10) whose nearest primary school is farther than the school-way "
        "radius (default 2 km). The map shows these cells." + _SCHOOLS_EN,
        compute=children_far_hotspots,
        as_of=_CHILDREN_AS_OF,
        thresholds=(PRIMARY_FAR, HOTSPOT_CHILDREN),
        decimals=0,
    )
)
register(
    Indicator(
        key="edu_social_index",
        themes=("education",),
        name_de="Sozialindex der Schulen",
        name_en="Social index of the schools",
        unit="Stufe 1–9",
        higher_is_better=None,
        method_de="Schulscharfer Sozialindex NRW (MSB, Schuljahr 2024/25): Stufe 1 = geringe "
        "bis 9 = sehr hohe soziale Belastung der Schülerschaft. Mittel über die Schulen der "
        "Gemeinde, gewichtet mit der Schülerzahl; Schulen ohne veröffentlichten Index "
        "(Berufskollegs, Förderschulen, einzelne Schulen in privater Trägerschaft) zählen nicht "
        "mit. Der Index beschreibt Unterstützungsbedarf, nicht die Qualität einer Schule.",
        method_en="School social index of NRW (MSB, school year 2024/25): level 1 = low to 9 = "
        "very high social need of the pupils. Mean over the municipality's schools weighted by "
        "pupils; schools without a published index (vocational colleges, special schools, some "
        "privately run schools) are left out. The index describes need for support, not the "
        "quality of a school.",
        compute=social_index,
        as_of=as_of.SCHOOLS,
    )
)
register(
    Indicator(
        key="edu_startchancen_schools",
        themes=("education",),
        name_de="Startchancen-Schulen",
        name_en="Startchancen schools",
        unit="Schulen",
        higher_is_better=None,
        method_de="Zahl der Schulen im Startchancen-Programm von Bund und Ländern (Förderung "
        "von Schulen mit vielen benachteiligten Kindern), laut Schulliste NRW 2024/25.",
        method_en="Number of schools in the federal and state Startchancen programme (support "
        "for schools with many disadvantaged pupils), from the NRW school list 2024/25.",
        compute=startchancen_schools,
        as_of=as_of.SCHOOLS,
        decimals=0,
    )
)
