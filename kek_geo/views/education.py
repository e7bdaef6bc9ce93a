"""Bildung: children under 10 and primary schools, schools by type, the school social index."""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from kek_geo.analysis.education import (
    CHILDREN,
    PRIMARY_TYPE,
    far_hotspot_mask,
    primary_school_distance,
    schools_by_type,
)
from kek_geo.district import district_of
from kek_geo.i18n import fmt_number, register_texts, t
from kek_geo.indicators import Indicator
from kek_geo.indicators.education import HOTSPOT_CHILDREN, PRIMARY_FAR
from kek_geo.indicators.registry import LayerSource, Params
from kek_geo.maps import Legend, point_layer
from kek_geo.thematic import cell_overlay, shown_layers
from kek_geo.views import Changing, ThemeView, register_view

register_texts(
    {
        "education.title": ("Bildung", "Education"),
        "education.intro": (
            "Wie weit haben Kinder unter 10 Jahren zur nächsten Grundschule? Anteile der Kinder "
            "im Nahbereich (1 km) und im Schulweg-Radius (2 km), Schwerpunkte mit vielen Kindern "
            "fern jeder Grundschule, die Schulen nach Schulform und ihr Sozialindex.",
            "How far do children under 10 have to the nearest primary school? Shares of children "
            "near one (1 km) and within school-way distance (2 km), hotspots with many children "
            "far from any primary school, the schools by type and their social index.",
        ),
        "education.hotspots": (
            "Kinder unter 10 je Hektar (mind. {n}, weiter als {dist} zur Grundschule)",
            "Children under 10 per hectare (at least {n}, farther than {dist} from a primary "
            "school)",
        ),
        "education.school_types": ("Schulformen", "School types"),
        "education.startchancen": ("Startchancen-Schule", "Startchancen school"),
        "education.yes": ("ja", "yes"),
        "education.no": ("nein", "no"),
        "education.total": ("Schulen gesamt", "Schools in total"),
        "education.by_type": ("Schulen nach Schulform", "Schools by type"),
        "education.caveats": (
            "Grundschule heißt hier: Schulform „Grundschule“ ({primary} im Kreis). "
            "Förderschulen Grund-/Hauptschule ({special} im Kreis) sind keine allgemeinen "
            "Grundschulen und zählen nicht. Kinder unter 10: "
            "100-m-Gitter des Zensus 2011 (09.05.2011); Zellen mit weniger als 3 Kindern weist "
            "er nicht aus, sie fehlen in den Anteilen. Nur "
            "die Schulen des Kreises sind erfasst: am Kreisrand kann eine Grundschule der "
            "Nachbarstadt näher sein, dort sind die Entfernungen überschätzt. Von "
            "Grundschulverbünden mit mehreren Standorten nennt die Schulliste nur die "
            "Hauptadresse: auch dort sind die Entfernungen überschätzt.",
            "Primary school means the school type “Grundschule” ({primary} in the district). "
            "Special schools for primary and lower secondary pupils ({special} in the district) "
            "are not general primary schools and do not count. Children under 10: Zensus 2011 "
            "100 m grid "
            "(2011-05-09); it does not publish cells with fewer than 3 children, they are "
            "missing from the shares. Only the district's schools are in the data: at "
            "the border a primary school in a neighbouring town may be closer, so distances "
            "there are overstated. For primary school federations with several sites the school "
            "list gives only the main address: distances are overstated there as well.",
        ),
        "education.social_note": (
            "Sozialindex (im Tooltip jeder Schule): Stufe 1 = geringe bis 9 = sehr hohe soziale "
            "Belastung der Schülerschaft (MSB NRW). Berufskollegs, Förderschulen und einzelne "
            "private Schulen haben keinen veröffentlichten Index. Der Index beschreibt "
            "Unterstützungsbedarf, nicht die Qualität einer Schule.",
            "Social index (in each school's tooltip): level 1 = low to 9 = very high social need "
            "of the pupils (MSB NRW). Vocational colleges, special schools and some private "
            "schools have no published index. The index describes need for support, not the "
            "quality of a school.",
        ),
    }
)

#: Special schools for primary pupils: not general primary schools, named in the caveats.
SPECIAL_PRIMARY_TYPE = "Förderschule Grund-/Hauptschule"

#: Marker colour per school type (ColorBrewer Paired); primary schools stand out.
TYPE_COLOURS = {
    PRIMARY_TYPE: "#000000",  # stands out on every fill of the choropleth
    SPECIAL_PRIMARY_TYPE: "#cab2d6",
    "Realschule": "#1f78b4",
    "Sekundarschule": "#a6cee3",
    "Gesamtschule": "#ff7f00",
    "Gymnasium": "#33a02c",
    "Berufskolleg": "#b15928",
}
OTHER_COLOUR = "#969696"

#: English glosses of the German school types (the German name stays, it is the official one).
TYPE_EN = {
    PRIMARY_TYPE: "Grundschule (primary)",
    "Förderschule Grund-/Hauptschule": "Förderschule (special school)",
    "Realschule": "Realschule (secondary)",
    "Sekundarschule": "Sekundarschule (secondary)",
    "Gesamtschule": "Gesamtschule (comprehensive)",
    "Gymnasium": "Gymnasium (grammar school)",
    "Berufskolleg": "Berufskolleg (vocational)",
}


def type_name(school_type: str, lang: str) -> str:
    """Display name of a school type (German, with an English gloss in English).

    Parameters
    ----------
    school_type
        Type as in the school list.
    lang
        Language.

    Returns
    -------
    str
        The name.
    """
    return TYPE_EN.get(school_type, school_type) if lang == "en" else school_type


def distance_text(metres: float, lang: str) -> str:
    """A distance as ``600 m`` or ``2 km`` / ``1,5 km``.

    Parameters
    ----------
    metres
        Distance in metres.
    lang
        Language.

    Returns
    -------
    str
        The text.
    """
    if metres < 1000:
        return f"{fmt_number(metres, 0, lang)} m"
    decimals = 0 if metres % 1000 == 0 else 1
    return f"{fmt_number(metres / 1000, decimals, lang)} km"


def _school_labels(schools: gpd.GeoDataFrame, lang: str) -> gpd.GeoDataFrame:
    out = schools.copy()
    out["type_label"] = [type_name(str(v), lang) for v in out["school_type"]]
    out["pupils_txt"] = [fmt_number(v, 0, lang) for v in out["pupils"]]
    out["social"] = [fmt_number(v, 0, lang) for v in out["social_index"]]
    yes, no = t("education.yes", lang), t("education.no", lang)
    out["startchancen_txt"] = [yes if bool(v) else no for v in out["startchancen"].fillna(False)]
    return out


def school_layers(schools: gpd.GeoDataFrame, lang: str) -> tuple[list[folium.GeoJson], Legend]:
    """One marker layer per school type, coloured by type, and their legend.

    Parameters
    ----------
    schools
        Schools with name, type, pupils, social index and Startchancen flag.
    lang
        Language.

    Returns
    -------
    tuple
        The layers (primary schools last, so they are on top) and the legend.
    """
    labelled = _school_labels(schools, lang)
    tooltip = {
        "name": t("field.name", lang),
        "type_label": t("field.school_type", lang),
        "pupils_txt": t("field.pupils", lang),
        "social": t("field.social_index", lang),
        "startchancen_txt": t("education.startchancen", lang),
    }
    types = sorted(labelled["school_type"].astype(str).unique(), key=lambda s: s == PRIMARY_TYPE)
    layers = []
    entries = []
    for school_type in types:
        colour = TYPE_COLOURS.get(school_type, OTHER_COLOUR)
        subset = labelled[labelled["school_type"].astype(str) == school_type]
        name = type_name(school_type, lang)
        radius = 6.0 if school_type == PRIMARY_TYPE else 4.5
        layers.append(point_layer(subset, name, colour=colour, radius=radius, tooltip=tooltip))
        entries.append((colour, f"{name} ({len(subset)})"))
    entries.reverse()
    return layers, Legend(t("education.school_types", lang), entries, position="topright")


def changing(source: LayerSource, *, indicator: Indicator, params: Params, lang: str) -> Changing:
    """Cells with many children far from a primary school, at the thresholds."""
    del indicator  # the same cells for every indicator
    radius = params.get(PRIMARY_FAR.key, PRIMARY_FAR.default)
    min_children = params.get(HOTSPOT_CHILDREN.key, HOTSPOT_CHILDREN.default)
    cells, dist, _method = primary_school_distance(source)
    far = cells[far_hotspot_mask(cells, dist, min_children, radius)]
    if not len(far):
        return Changing()
    label = t(
        "education.hotspots",
        lang,
        n=fmt_number(min_children, 0, lang),
        dist=distance_text(radius, lang),
    )
    layer, legend = cell_overlay(far, CHILDREN, name=label, label=label, lang=lang)
    return Changing((layer,), legend)


def fixed(source: LayerSource, m: folium.Map, *, lang: str) -> None:
    """Schools by type with their legend."""
    layers, legend = school_layers(source.geo("schools"), lang)
    for layer in layers:
        layer.add_to(m)
    m.add_child(legend)


def caveats(source: LayerSource, lang: str) -> str:
    """What the page counts as a primary school and where distances are overstated.

    Parameters
    ----------
    source
        Snapshot (``schools``).
    lang
        Language.

    Returns
    -------
    str
        The note, with the district's numbers of primary and special schools.
    """
    types = source.layer("schools")["school_type"].astype(str)
    return t(
        "education.caveats",
        lang,
        primary=fmt_number(int((types == PRIMARY_TYPE).sum()), 0, lang),
        special=fmt_number(int((types == SPECIAL_PRIMARY_TYPE).sum()), 0, lang),
    )


def school_type_table(source: LayerSource, lang: str) -> pd.DataFrame:
    """Schools by type per municipality and for the district, with localized headers.

    Parameters
    ----------
    source
        Snapshot (``schools``, ``gemeinden``).
    lang
        Language.

    Returns
    -------
    pandas.DataFrame
        Index AGS; columns municipality, one per school type and the total.
    """
    table = schools_by_type(source.layer("schools"), source.layer("gemeinden"), district_of(source))
    names = {c: type_name(c, lang) for c in table.columns if c not in {"gemeinde", "total"}}
    names |= {"gemeinde": t("overview.municipality", lang), "total": t("education.total", lang)}
    return table.rename(columns=names)


VIEW = register_view(
    ThemeView(
        key="education",
        title_key="education.title",
        intro_key="education.intro",
        shown=shown_layers((), extra=("grid_100m", "schools")),
        fixed=fixed,
        changing=changing,
        uses_distances=True,
    )
)
