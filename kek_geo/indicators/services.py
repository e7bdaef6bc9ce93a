"""Daseinsvorsorge indicators: residents near a supermarket, GP, pharmacy, school and stop."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from kek_geo.analysis.access import share_by_group
from kek_geo.analysis.services import (
    KINDS,
    OSM_KINDS,
    kind_distance,
    kinds_near,
    mean_kinds_near,
    older_residents,
    settled_cells,
    share_near,
)
from kek_geo.indicators import as_of
from kek_geo.indicators.registry import Indicator, LayerSource, Params, Threshold, register

SERVICE_NEAR = Threshold(
    key="services_near_m",
    label_de="In der Nähe heißt höchstens",
    label_en="Near means at most",
    default=1000.0,
    unit="m",
    min_value=300.0,
    max_value=2000.0,
    step=100.0,
    source_de="BBSR-Nahversorgung: 1.000 m Luftlinie (etwa 12–15 Minuten zu Fuß)",
    source_en="BBSR local amenities: 1,000 m straight line (about 12–15 minutes on foot)",
)

Compute = Callable[[LayerSource, Params], pd.Series]


def near_share(kind: str) -> Compute:
    """The compute function of 'share of residents near a <kind>'."""

    def compute(source: LayerSource, params: Params) -> pd.Series:
        dist, _method = kind_distance(source, kind)
        return share_near(settled_cells(source), dist, params[SERVICE_NEAR.key])

    compute.__name__ = f"residents_near_{kind}"
    return compute


def mean_kinds(source: LayerSource, params: Params) -> pd.Series:
    """Average number of the five kinds near the residents (0–5)."""
    counts = kinds_near(source, params[SERVICE_NEAR.key])
    return mean_kinds_near(settled_cells(source), counts)


def none_near(source: LayerSource, params: Params) -> pd.Series:
    """Share of residents with none of the five kinds near them."""
    cells = settled_cells(source)
    counts = kinds_near(source, params[SERVICE_NEAR.key])
    shares = share_by_group(cells["population_est"], counts == 0, cells["ags"])
    return shares * np.nan if len(counts) and np.isnan(counts).all() else shares


def older_with_basics(source: LayerSource, params: Params) -> pd.Series:
    """Share of residents 65+ (estimated) with a supermarket, a GP and a pharmacy near them."""
    cells = settled_cells(source)
    radius = params[SERVICE_NEAR.key]
    rows = np.vstack([kind_distance(source, kind)[0] for kind in OSM_KINDS])
    weights = older_residents(source)
    shares = share_by_group(weights, (rows <= radius).all(axis=0), cells["ags"])
    return shares * np.nan if np.isnan(rows).all(axis=1).any() else shares


_SOURCES_DE = (
    " Einwohner je 100-m-Zelle (Stand 2022); Entfernung von der Zellmitte zur nächsten "
    "Einrichtung, Luftlinie oder – wenn importiert – entlang des Fußwegenetzes. Einrichtungen "
    "bis 2 km jenseits der Kreisgrenze zählen mit. Supermärkte, Hausärzte und Apotheken aus "
    "OpenStreetMap (siehe „Über die Daten“; ohne sie bleibt der Wert leer): Hausarzt = "
    "Arztpraxis mit der Fachrichtung Allgemeinmedizin (healthcare:speciality=general); Praxen ohne "
    "Fachrichtung zählen nicht. Grundschulen aus der amtlichen Schulliste, sonst aus "
    "OpenStreetMap; Haltestellen mit Linienverkehr aus dem Haltestellen-Layer."
)
_SOURCES_EN = (
    " Residents per 100 m cell (2022); distance from the cell centre to the nearest facility, "
    "straight line or, if imported, along the walking network. Facilities up to 2 km beyond "
    "the district boundary count. Supermarkets, GPs and pharmacies from OpenStreetMap "
    "(see “About the data”; without them the value stays empty): GP = a doctor's practice with the "
    "speciality general medicine (healthcare:speciality=general); practices without a "
    "speciality do not count. Primary schools from the official school list, else from "
    "OpenStreetMap; stops with scheduled services from the stops layer."
)

_AS_OF = as_of.combined(as_of.RESIDENTS_2022, as_of.OSM_SERVICES)

for _kind in KINDS:
    register(
        Indicator(
            key=f"services_near_{_kind.key}",
            themes=("services",),
            name_de=f"Einwohner mit {_kind.name_de} in der Nähe",
            name_en=f"Residents with {_kind.noun_en} nearby",
            unit="%",
            higher_is_better=True,
            method_de=f"Anteil der Einwohner, deren nächste Einrichtung der Art „{_kind.name_de}“ "
            "höchstens so weit entfernt ist wie der Nahbereich (Vorgabe 1.000 m, BBSR)."
            + _SOURCES_DE,
            method_en=f"Share of residents for whom {_kind.noun_en} is within the "
            "near radius (default 1,000 m, BBSR)." + _SOURCES_EN,
            compute=near_share(_kind.key),
            as_of=_AS_OF,
            thresholds=(SERVICE_NEAR,),
        )
    )

register(
    Indicator(
        key="services_kinds_mean",
        themes=("services",),
        name_de="Einrichtungen in der Nähe (von 5)",
        name_en="Services near (of 5)",
        unit="von 5",
        higher_is_better=True,
        method_de="Wie viele der fünf Arten (Supermarkt, Hausarzt, Apotheke, Grundschule, "
        "Haltestelle) die Einwohner im Nahbereich haben, im Mittel über alle Einwohner (0–5)."
        + _SOURCES_DE,
        method_en="How many of the five kinds (supermarket, GP, pharmacy, primary school, stop) "
        "the residents have within the near radius, averaged over all residents (0–5)."
        + _SOURCES_EN,
        compute=mean_kinds,
        as_of=_AS_OF,
        thresholds=(SERVICE_NEAR,),
        decimals=2,
    )
)
register(
    Indicator(
        key="services_none_near",
        themes=("services",),
        name_de="Einwohner ohne jede Einrichtung in der Nähe",
        name_en="Residents with no service near",
        unit="%",
        higher_is_better=False,
        method_de="Anteil der Einwohner, die keine der fünf Arten im Nahbereich haben."
        + _SOURCES_DE,
        method_en="Share of residents with none of the five kinds within the near radius."
        + _SOURCES_EN,
        compute=none_near,
        as_of=_AS_OF,
        thresholds=(SERVICE_NEAR,),
    )
)
register(
    Indicator(
        key="services_older_basics",
        themes=("services",),
        name_de="Ältere (65+) mit Supermarkt, Hausarzt und Apotheke in der Nähe",
        name_en="Older people (65+) with a supermarket, GP and pharmacy near",
        unit="%",
        higher_is_better=True,
        method_de="Anteil der Menschen ab 65, die Supermarkt, Hausarzt und Apotheke alle im "
        "Nahbereich haben (das BBSR nennt Ältere in schlecht versorgten Lagen als erste "
        "Zielgruppe). Menschen ab 65 je 100-m-Zelle: gezählt, wo der Datenstand das "
        "100-m-Altersgitter des Zensus 2022 hat, sonst geschätzt als Einwohner der Zelle × "
        "Anteil ab 65 ihrer 1-km-Zelle (Zensus 2022)." + _SOURCES_DE,
        method_en="Share of people 65+ who have a supermarket, a GP and a pharmacy all within "
        "the near radius (the BBSR names older people in poorly served places as the first "
        "target group). People 65+ per 100 m cell: counted where the snapshot has the Zensus "
        "2022 100 m age grid, else estimated as the cell's residents × the 65+ share of its "
        "1 km cell (Zensus 2022)." + _SOURCES_EN,
        compute=older_with_basics,
        as_of=as_of.combined(_AS_OF, as_of.GRID_2022),
        thresholds=(SERVICE_NEAR,),
    )
)
