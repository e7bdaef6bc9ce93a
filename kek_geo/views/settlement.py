"""Siedlungsstruktur: settlement patches and cores, building age, degree of urbanisation."""

from __future__ import annotations

import altair as alt
import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from kek_geo.analysis.settlement import (
    AGE_COLUMNS,
    DEGURBA_CLASSES,
    RURAL,
    URBAN_CENTRE,
    URBAN_CLUSTER,
    building_age_counts,
    building_age_shares,
    core_patch_ids,
    degurba_classes,
    degurba_population,
)
from kek_geo.catalog import BUILDING_AGE_CLASSES
from kek_geo.district import district_key, district_of
from kek_geo.i18n import fmt_number, pick, register_texts, t
from kek_geo.indicators import Indicator
from kek_geo.indicators.registry import LayerSource, Params
from kek_geo.indicators.settlement import core_count, degurba_rules
from kek_geo.maps import Legend, polygon_layer
from kek_geo.settings import Settings
from kek_geo.thematic import district_map, municipal_borders, shown_layers
from kek_geo.views import Changing, MapResult, ThemeView, register_section_map, register_view

register_texts(
    {
        "settlement.title": ("Siedlungsstruktur", "Settlement structure"),
        "settlement.intro": (
            "Wie kompakt wohnen die Menschen im Kreis? Siedlungsdichte und Fläche je Einwohner, "
            "Zahl und Zuschnitt der Siedlungsflächen, Alter der Wohngebäude, Leerstand und der "
            "Grad der Verstädterung nach Eurostat – aus dem Zensus 2022 (Gemeindezahlen, "
            "1-km-Gitter) und dem 100-m-Gitter des Zensus 2011 (Gebäude, Siedlungsfläche). "
            "DEGURBA: Eurostats Einstufung der 1-km-Zellen nach Einwohnerdichte und -zahl in "
            "urbane Zentren, urbane Cluster und ländliche Zellen.",
            "How compactly do people live in the district? Settlement density and land per "
            "inhabitant, number and pattern of settlement patches, age of residential buildings, "
            "vacancy and the Eurostat degree of urbanisation – from Zensus 2022 (municipal "
            "figures, 1 km grid) and the Zensus 2011 100 m grid (buildings, settlement area). "
            "DEGURBA: Eurostat's grading of 1 km cells by population density and size into "
            "urban centres, urban clusters and rural cells.",
        ),
        "settlement.patches": ("Siedlungsflächen", "Settlement patches"),
        "settlement.core": (
            "Siedlungskern (eine der {n} größten Flächen der Gemeinde)",
            "Settlement core (one of the municipality's {n} largest patches)",
        ),
        "settlement.other_patch": ("übrige Siedlungsfläche", "other settlement patch"),
        "settlement.patch_kind": ("Art", "Kind"),
        "settlement.age_title": (
            "Alter der Wohngebäude nach Baujahrklassen",
            "Age of residential buildings by construction-year class",
        ),
        "settlement.age_caption": (
            "Anteile an den ausgewiesenen Wohngebäuden (100-m-Gitter des Zensus 2011, Stichtag "
            "09.05.2011; seit 2011 gebaute Häuser fehlen). Der Zensus hält Klassenwerte unter 3 "
            "Gebäuden je Zelle geheim; sie fehlen hier.",
            "Shares of the published residential buildings (Zensus 2011 100 m grid, census day "
            "2011-05-09; houses built since 2011 are missing). Zensus suppresses class counts "
            "below 3 buildings per cell; they are missing here.",
        ),
        "settlement.age_class": ("Baujahr", "Construction year"),
        "settlement.share": ("Anteil (%)", "Share (%)"),
        "settlement.buildings_counted": (
            "Wohngebäude (ausgewiesen)",
            "Residential buildings (published)",
        ),
        "settlement.degurba_title": (
            "Grad der Verstädterung (Eurostat DEGURBA)",
            "Degree of urbanisation (Eurostat DEGURBA)",
        ),
        "settlement.degurba_intro": (
            "Die 1-km-Zellen, die den Kreis berühren, mit ihren Einwohnern 2022 (Zensus 2022) "
            "nach den Eurostat-Regeln eingestuft "
            "(Schwellen oben einstellbar). Zellen jenseits der Kreisgrenze fehlen: Siedlungen, "
            "die in Nachbarstädte weiterlaufen, sind am Rand abgeschnitten.",
            "The 1 km cells touching the district, with their 2022 residents (Zensus 2022), "
            "classed by the Eurostat rules (thresholds "
            "adjustable above). Cells beyond the district border are missing: settlements "
            "continuing into neighbouring towns are cut at the edge.",
        ),
        "settlement.degurba_layer": ("1-km-Zellen nach DEGURBA", "1 km cells by DEGURBA"),
        "settlement.class": ("Klasse", "Class"),
        "settlement.class.urban_centre": ("urbanes Zentrum", "urban centre"),
        "settlement.class.urban_cluster": ("urbaner Cluster", "urban cluster"),
        "settlement.class.rural": ("ländlich", "rural"),
        "settlement.class.unknown": (
            "ländlich (Einwohnerzahl nicht veröffentlicht)",
            "rural (population not published)",
        ),
        "settlement.cell_population": (
            "Einwohner 2022 der ganzen 1-km-Zelle",
            "Residents 2022 of the whole 1 km cell",
        ),
        "settlement.degurba_table": (
            "Einwohner 2022 (geschätzt) je Klasse und Gemeinde",
            "Residents 2022 (estimated) per class and municipality",
        ),
        "settlement.people": ("Einwohner", "residents"),
        "settlement.areas_title": (
            "Wie die Siedlungsflächen entstehen",
            "How the settlement areas are derived",
        ),
    }
)

#: Fill colours of the DEGURBA classes (and of rural cells without published population).
DEGURBA_COLOURS = {
    URBAN_CENTRE: "#ca0020",
    URBAN_CLUSTER: "#f4a582",
    RURAL: "#a6dba0",
    "unknown": "#e0e0e0",
}
CORE_COLOUR = "#a63603"
OTHER_PATCH_COLOUR = "#fdd0a2"
#: Colours of the construction-year classes, oldest (dark) to newest (light).
AGE_PALETTE = (
    "#543005",
    "#8c510a",
    "#bf812d",
    "#dfc27d",
    "#f6e8c3",
    "#c7eae5",
    "#80cdc1",
    "#35978f",
    "#01665e",
    "#003c30",
)


def _names(source: LayerSource) -> dict[str, str]:
    gem = source.layer("gemeinden")
    names = dict(zip(gem["ags"].astype(str), gem["name"].astype(str), strict=True))
    district = district_of(source)
    names[district.ags] = district.name
    return names


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """Municipalities sorted by AGS, then the district."""
    key = district_key(frame.index)
    municipal = sorted(a for a in frame.index if a != key)
    return frame.reindex([*municipal, key])


def patches_layer(source: LayerSource, n_cores: int, lang: str) -> tuple[folium.GeoJson, Legend]:
    """Settlement patches coloured by whether they are one of their municipality's cores.

    Parameters
    ----------
    source
        Snapshot.
    n_cores
        Number of core patches per municipality.
    lang
        Language.

    Returns
    -------
    tuple
        The layer and its legend.
    """
    cores = core_patch_ids(source.layer("settlement_areas"), n_cores)
    patches = source.geo("settlement_areas_display").copy()
    is_core = np.isin(patches["patch_id"].to_numpy(), cores)
    core_label = t("settlement.core", lang, n=n_cores)
    other_label = t("settlement.other_patch", lang)
    patches["kind"] = np.where(is_core, "core", "other")
    patches["kind_label"] = np.where(is_core, core_label, other_label)
    patches["area"] = [fmt_number(v, 0, lang) for v in patches["area_ha"]]
    patches["pop"] = [fmt_number(v, 0, lang) for v in patches["population_est"]]
    layer = polygon_layer(
        patches,
        t("settlement.patches", lang),
        fill={"core": CORE_COLOUR, "other": OTHER_PATCH_COLOUR},
        key="kind",
        colour="#7f2704",
        weight=0.4,
        fill_opacity=0.8,
        tooltip={
            "kind_label": t("settlement.patch_kind", lang),
            "area": t("field.area_ha", lang),
            "pop": t("field.population_est", lang),
        },
    )
    entries = [(CORE_COLOUR, core_label), (OTHER_PATCH_COLOUR, other_label)]
    return layer, Legend(t("settlement.patches", lang), entries, position="bottomright")


def changing(source: LayerSource, *, indicator: Indicator, params: Params, lang: str) -> Changing:
    """The settlement patches, the cores at the thresholds highlighted."""
    del indicator  # the same patches for every indicator
    layer, legend = patches_layer(source, core_count(params), lang)
    return Changing((layer,), legend)


def class_label(degurba_class: str, lang: str) -> str:
    """Display name of a DEGURBA class (or ``unknown``)."""
    return t(f"settlement.class.{degurba_class}", lang)


def degurba_cells(source: LayerSource, params: Params) -> gpd.GeoDataFrame:
    """The 1 km cells with their DEGURBA class (``unknown`` where rural without population).

    Parameters
    ----------
    source
        Snapshot.
    params
        Thresholds.

    Returns
    -------
    geopandas.GeoDataFrame
        ``cell_id``, ``population``, ``degurba`` and the clipped cell geometry.
    """
    grid = source.geo("grid_1km")
    classes = degurba_classes(grid, degurba_rules(params))
    cells = grid[["cell_id", "population", "geometry"]].copy()
    cells["degurba"] = classes.to_numpy()
    unknown = cells["population"].isna().to_numpy() & (cells["degurba"] == RURAL).to_numpy()
    cells.loc[unknown, "degurba"] = "unknown"
    return cells


def degurba_map(source: LayerSource, settings: Settings, *, params: Params, lang: str) -> MapResult:
    """The 1 km cells coloured by DEGURBA class, with the municipal borders.

    Parameters
    ----------
    source
        Snapshot.
    settings
        Settings.
    params
        Thresholds.
    lang
        Language.

    Returns
    -------
    MapResult
        The map and the layers it shows.
    """
    m = district_map(source, settings, lang)
    cells = degurba_cells(source, params)
    cells["class_label"] = [class_label(c, lang) for c in cells["degurba"]]
    cells["pop"] = [fmt_number(v, 0, lang) for v in cells["population"]]
    polygon_layer(
        cells,
        t("settlement.degurba_layer", lang),
        fill={
            cid: DEGURBA_COLOURS[c]
            for cid, c in zip(cells["cell_id"], cells["degurba"], strict=True)
        },
        key="cell_id",
        colour="#ffffff",
        weight=0.5,
        fill_opacity=0.85,
        tooltip={
            "class_label": t("settlement.class", lang),
            "pop": t("settlement.cell_population", lang),
        },
    ).add_to(m)
    municipal_borders(source, m, lang)
    present = set(cells["degurba"])
    entries = [
        (DEGURBA_COLOURS[c], class_label(c, lang))
        for c in (*DEGURBA_CLASSES, "unknown")
        if c in present
    ]
    m.add_child(Legend(t("settlement.degurba_title", lang), entries))
    return MapResult(m, shown_layers((), extra=("grid_1km",)))


def degurba_table(source: LayerSource, params: Params, lang: str) -> pd.DataFrame:
    """Estimated residents and their share per DEGURBA class, per municipality and district.

    Parameters
    ----------
    source
        Snapshot.
    params
        Thresholds.
    lang
        Language.

    Returns
    -------
    pandas.DataFrame
        Index AGS; columns municipality, then residents and share (%) of each class.
    """
    classes = degurba_classes(source.layer("grid_1km"), degurba_rules(params))
    people = _ordered(degurba_population(source.layer("grid_100m"), classes))
    total = people.sum(axis=1)
    out = pd.DataFrame({t("overview.municipality", lang): people.index.map(_names(source))})
    out.index = people.index
    for name in DEGURBA_CLASSES:
        label = class_label(name, lang)
        out[f"{label}: {t('settlement.people', lang)}"] = people[name].round(0)
        out[f"{label} (%)"] = (people[name] / total.where(total > 0) * 100).round(1)
    return out


def building_age_table(source: LayerSource, lang: str) -> pd.DataFrame:
    """Shares of the construction-year classes per municipality and for the district.

    Parameters
    ----------
    source
        Snapshot.
    lang
        Language.

    Returns
    -------
    pandas.DataFrame
        Index AGS; columns municipality, one share (%) per class, published buildings.
    """
    cells = source.layer("grid_100m")
    shares = _ordered(building_age_shares(cells))
    counts = _ordered(building_age_counts(cells))
    out = pd.DataFrame({t("overview.municipality", lang): shares.index.map(_names(source))})
    out.index = shares.index
    for col, de, en in BUILDING_AGE_CLASSES:
        out[f"{pick(lang, de, en)} (%)"] = shares[col].round(1)
    out[t("settlement.buildings_counted", lang)] = counts[list(AGE_COLUMNS)].sum(axis=1).round(0)
    return out


def building_age_chart(source: LayerSource, lang: str) -> alt.Chart:
    """Stacked bars of the construction-year classes per municipality (oldest on the left).

    Parameters
    ----------
    source
        Snapshot.
    lang
        Language.

    Returns
    -------
    altair.Chart
        The chart.
    """
    shares = _ordered(building_age_shares(source.layer("grid_100m")))
    labels = [pick(lang, de, en) for _, de, en in BUILDING_AGE_CLASSES]
    names = _names(source)
    rows = [names[a] for a in shares.index]
    long = pd.DataFrame(
        {
            "gemeinde": np.repeat(rows, len(AGE_COLUMNS)),
            "klasse": np.tile(labels, len(shares)),
            "order": np.tile(np.arange(len(AGE_COLUMNS)), len(shares)),
            "share": shares[list(AGE_COLUMNS)].to_numpy().ravel().round(1),
        }
    )
    municipality = t("overview.municipality", lang)
    age = t("settlement.age_class", lang)
    share = t("settlement.share", lang)
    chart: alt.Chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X(
                field="share",
                type="quantitative",
                stack="zero",
                title=share,
                scale=alt.Scale(domain=[0, 100]),
            ),
            y=alt.Y(field="gemeinde", type="nominal", sort=rows, title=None),
            color=alt.Color(
                field="klasse",
                type="nominal",
                sort=labels,
                title=age,
                scale=alt.Scale(domain=labels, range=list(AGE_PALETTE)),
            ),
            order=alt.Order(field="order", type="quantitative"),
            tooltip=[
                alt.Tooltip(field="gemeinde", type="nominal", title=municipality),
                alt.Tooltip(field="klasse", type="nominal", title=age),
                alt.Tooltip(field="share", type="quantitative", title=share),
            ],
        )
    )
    return chart


VIEW = register_view(
    ThemeView(
        key="settlement",
        title_key="settlement.title",
        intro_key="settlement.intro",
        shown=shown_layers((), extra=("settlement_areas",)),
        changing=changing,
    )
)

register_section_map("settlement_degurba", degurba_map)
