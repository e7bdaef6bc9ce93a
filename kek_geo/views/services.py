"""Daseinsvorsorge: residents near a supermarket, GP, pharmacy, primary school and stop."""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from kek_geo.analysis.education import primary_schools
from kek_geo.analysis.services import (
    KINDS,
    OSM_KINDS,
    RESIDENTS,
    ServiceKind,
    kind_distance,
    kinds_near,
    settled_cells,
)
from kek_geo.i18n import fmt_number, pick, register_texts, t
from kek_geo.indicators import Indicator
from kek_geo.indicators.registry import LayerSource, Params
from kek_geo.indicators.services import SERVICE_NEAR
from kek_geo.maps import Legend, point_layer
from kek_geo.thematic import cell_overlay, shown_layers
from kek_geo.views import Changing, ThemeView, register_view

register_texts(
    {
        "services.title": ("Daseinsvorsorge", "Everyday services"),
        "services.intro": (
            "Wer hat Supermarkt, Hausarzt, Apotheke, Grundschule und Haltestelle in der Nähe? "
            "Anteile der Einwohner im Nahbereich (1.000 m, wie die BBSR-Nahversorgung), wie "
            "viele der fünf Einrichtungen sie im Mittel nah haben und wer keine – auf der Karte "
            "die Hektarzellen, deren Bewohner weiter entfernt wohnen.",
            "Who has a supermarket, a GP, a pharmacy, a primary school and a stop nearby? "
            "Shares of residents within the near radius (1,000 m, as in the BBSR local-amenities "
            "indicators), how many of the five they have nearby on average and who has none – "
            "on the map the hectare cells whose residents live farther away.",
        ),
        "services.missing": (
            "**Supermärkte, Hausärzte und Apotheken fehlen im Datenstand** (OpenStreetMap, "
            "siehe „Über die Daten“); die Seite zeigt Grundschulen und Haltestellen.",
            "**Supermarkets, GPs and pharmacies are missing from the data** (OpenStreetMap, "
            "see “About the data”); the page shows primary schools and stops.",
        ),
        "services.far_cells": (
            "Einwohner je Hektar, weiter als {dist} bis: {kind}",
            "Residents per hectare farther than {dist} from: {kind}",
        ),
        "services.count_cells": (
            "Einrichtungen in der Nähe (von 5) je Hektarzelle",
            "Services near (of 5) per hectare cell",
        ),
        "services.none_cells": (
            "Einwohner je Hektar ohne jede Einrichtung in {dist}",
            "Residents per hectare with no service within {dist}",
        ),
        "services.kinds": ("Einrichtungen", "Services"),
        "services.by_municipality": (
            "Einrichtungen je Gemeinde (OpenStreetMap)",
            "Services per municipality (OpenStreetMap)",
        ),
        "services.other_doctors": (
            "Arztpraxen ohne Fachrichtung Allgemeinmedizin (zählen nicht als Hausarzt): {n}.",
            "Doctors' practices without the speciality general medicine (not counted as GPs): {n}.",
        ),
        "services.all": ("gesamt", "total"),
    }
)

#: Names of every category of the ``services`` layer (German, English).
CATEGORY_NAMES: dict[str, tuple[str, str]] = {
    "supermarket": ("Supermarkt", "Supermarket"),
    "food_shop": ("Lebensmittelgeschäft", "Food shop"),
    "gp": ("Hausarzt", "GP"),
    "doctor": ("andere Arztpraxis", "Other doctor"),
    "pharmacy": ("Apotheke", "Pharmacy"),
    "kindergarten": ("Kita", "Day care"),
    "primary_school": ("Grundschule", "Primary school"),
    "school": ("andere Schule", "Other school"),
    "hospital": ("Krankenhaus", "Hospital"),
    "care_home": ("Pflegeheim", "Care home"),
    "library": ("Bibliothek", "Library"),
    "charging": ("Ladestation", "EV charging"),
    "other": ("sonstige", "other"),
}


def category_name(category: str, lang: str) -> str:
    """Display name of a service category."""
    de, en = CATEGORY_NAMES.get(category, (category, category))
    return pick(lang, de, en)


def osm_indicator_keys() -> frozenset[str]:
    """Indicators that need the OpenStreetMap services (empty without them)."""
    direct = {f"services_near_{k}" for k in OSM_KINDS}
    return frozenset(
        {*direct, "services_kinds_mean", "services_none_near", "services_older_basics"}
    )


def unavailable(source: LayerSource) -> frozenset[str]:
    """The theme's indicators whose data the snapshot lacks (they are not offered for the map)."""
    available = getattr(source, "available", None)
    if available is None or available("services"):
        return frozenset()
    return osm_indicator_keys()


def missing_text(lang: str) -> str:
    """What the page says while the OSM services are missing (it points to "Über die Daten")."""
    return t("services.missing", lang)


def distance_text(metres: float, lang: str) -> str:
    """``800 m`` or ``1 km`` / ``1,5 km``."""
    if metres < 1000:
        return f"{fmt_number(metres, 0, lang)} m"
    return f"{fmt_number(metres / 1000, 0 if metres % 1000 == 0 else 1, lang)} km"


def kind_points(source: LayerSource, kind: ServiceKind) -> gpd.GeoDataFrame:
    """The locations of one kind of service, for the map (stops are on the Mobilität page)."""
    if kind.key == "primary_school":
        official = primary_schools(source.geo("schools"))
        if len(official):
            return official
    services = source.geo("services")
    return services[services["category"].astype(str) == kind.key]


def _overlay_cells(
    source: LayerSource, indicator: Indicator, radius: float, lang: str
) -> tuple[gpd.GeoDataFrame, str, str] | None:
    cells = settled_cells(source)
    dist_label = distance_text(radius, lang)
    key = indicator.key.removeprefix("services_near_")
    if key in {k.key for k in KINDS}:
        dist, _method = kind_distance(source, key)
        if np.isnan(dist).all():
            return None
        kind = next(k for k in KINDS if k.key == key)
        name = pick(lang, kind.name_de, kind.name_en)
        label = t("services.far_cells", lang, dist=dist_label, kind=name)
        return cells[dist > radius], RESIDENTS, label
    counts = kinds_near(source, radius)
    if np.isnan(counts).all():
        return None
    if indicator.key == "services_kinds_mean":
        out = cells.assign(kinds_near=counts)
        return out, "kinds_near", t("services.count_cells", lang)
    return cells[counts == 0], RESIDENTS, t("services.none_cells", lang, dist=dist_label)


def changing(source: LayerSource, *, indicator: Indicator, params: Params, lang: str) -> Changing:
    """The cells of the indicator's residents beyond the radius."""
    radius = params.get(SERVICE_NEAR.key, SERVICE_NEAR.default)
    overlay = _overlay_cells(source, indicator, radius, lang)
    if overlay is None or not len(overlay[0]):
        return Changing()
    cells, column, label = overlay
    layer, legend = cell_overlay(cells, column, name=label, label=label, lang=lang)
    return Changing((layer,), legend)


def fixed(source: LayerSource, m: folium.Map, *, lang: str) -> None:
    """The services by kind with their legend."""
    entries = []
    tooltip = {"name": t("field.name", lang)}
    for kind in KINDS:
        if kind.key == "stop":
            continue
        points = kind_points(source, kind)
        if len(points):
            name = pick(lang, kind.name_de, kind.name_en)
            point_layer(points, name, colour=kind.colour, radius=5.0, tooltip=tooltip).add_to(m)
            entries.append((kind.colour, f"{name} ({len(points)})"))
    if entries:
        m.add_child(Legend(t("services.kinds", lang), entries, position="topright"))


def services_table(source: LayerSource, lang: str) -> pd.DataFrame | None:
    """Services of each category per municipality (inside the district), or ``None`` without them.

    Parameters
    ----------
    source
        Snapshot (``services``, ``gemeinden``).
    lang
        Language.

    Returns
    -------
    pandas.DataFrame or None
        One row per municipality and a total row; one column per category.
    """
    services = source.geo("services")
    if services.empty:
        return None
    inside = services[services["in_kreis"].astype(bool)]
    gem = source.layer("gemeinden").sort_values("ags")
    order = [c for c in CATEGORY_NAMES if c in set(inside["category"].astype(str))]
    counts = pd.crosstab(inside["ags"].astype(str), inside["category"].astype(str))
    per = counts.reindex(index=gem["ags"].astype(str), columns=order, fill_value=0)
    table = pd.concat([per, per.sum().to_frame("total").T])
    table.columns = [category_name(c, lang) for c in order]
    names = [*gem["name"].astype(str), t("services.all", lang)]
    table.insert(0, t("overview.municipality", lang), names)
    return table.reset_index(drop=True)


def other_doctors(source: LayerSource) -> int:
    """Doctors' practices in the district that do not count as GPs (no general speciality)."""
    services = source.geo("services")
    inside = services[services["in_kreis"].astype(bool)]
    return int((inside["category"].astype(str) == "doctor").sum())


VIEW = register_view(
    ThemeView(
        key="services",
        title_key="services.title",
        intro_key="services.intro",
        shown=shown_layers((), extra=("grid_100m", "services", "schools")),
        fixed=fixed,
        changing=changing,
        changes_with_indicator=True,
        uses_distances=True,
        unavailable=unavailable,
    )
)
