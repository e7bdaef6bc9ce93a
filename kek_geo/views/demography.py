"""Demografie: age shares 2022 and 2011, ageing per 1 km cell, people 80+ and their stops."""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from kek_geo.analysis.demography import hotspots
from kek_geo.analysis.projection import horizon_year, projection_table
from kek_geo.district import district_of
from kek_geo.i18n import fmt_number, register_texts, t
from kek_geo.indicators import Indicator
from kek_geo.indicators.demography import (
    HOTSPOT_MIN,
    RELIABLE_SHARE_MIN_POP,
    RELIABLE_SHARE_SOURCE_DE,
    RELIABLE_SHARE_SOURCE_EN,
)
from kek_geo.indicators.registry import LayerSource, Params, Threshold
from kek_geo.maps import Legend, polygon_layer
from kek_geo.settings import Settings
from kek_geo.thematic import (
    add_overlays,
    cell_overlay,
    district_map,
    municipal_borders,
    shown_layers,
)
from kek_geo.views import Changing, MapResult, ThemeView, register_section_map, register_view

register_texts(
    {
        "demography.title": ("Demografie", "Demography"),
        "demography.intro": (
            "Wo leben ältere Menschen, wo junge – wo ist die Bevölkerung seit 2011 älter "
            "geworden, und wie weit haben Hochaltrige zur nächsten Haltestelle? Anteile 2022 aus "
            "dem 1-km-Gitter des Zensus 2022, Vergleichswerte und Menschen ab 80 aus dem Gitter "
            "des Zensus 2011.",
            "Where do older and younger people live, where has the population aged since 2011, "
            "and how far do people aged 80+ have to the next stop? 2022 shares from the Zensus "
            "2022 1 km grid, comparison values and people 80+ from the Zensus 2011 grid.",
        ),
        "demography.hotspots": (
            "Menschen ab 80 je Hektar (Zensus 2011)",
            "People 80+ per hectare (Zensus 2011)",
        ),
        "demography.trend": (
            "Anteil 65+ im Kreis 1995–2022",
            "Share aged 65+ in the district 1995–2022",
        ),
        "demography.trend_series": (
            "INKAR (amtliche Fortschreibung, jeweils 31.12.)",
            "INKAR (official population update, 31 Dec each year)",
        ),
        "demography.trend_caption": (
            "Die Linie ist die amtliche Bevölkerungsfortschreibung (INKAR, Stand 31.12., "
            "2022: {inkar} %). Die Tabelle oben nennt den Anteil aus dem Zensus 2022 "
            "(Stichtag 15.05.2022, 1-km-Gitter): {census} % – zwei Zählweisen zu verschiedenen "
            "Stichtagen, die leicht voneinander abweichen können.",
            "The line is the official population update (INKAR, as of 31 Dec, 2022: {inkar} %). "
            "The table above gives the share from Zensus 2022 (census day 2022-05-15, 1 km "
            "grid): {census} % – two counts on different reference days, which may differ "
            "slightly.",
        ),
        "demography.suppressed": (
            "Der Zensus 2011 weist Zahlen unter 3 je Hektar nicht aus: Menschen ab 80 in sehr "
            "kleinen Gruppen fehlen in den Zellwerten.",
            "Zensus 2011 does not publish counts below 3 per hectare: people 80+ in very small "
            "groups are missing from the cell values.",
        ),
        "demography.ageing_title": (
            "Alterung 2011 → 2022 je Quadratkilometer",
            "Ageing 2011 → 2022 per square kilometre",
        ),
        "demography.ageing_intro": (
            "Wie hat sich der Anteil der Menschen ab 65 zwischen dem Zensus 2011 (09.05.2011) und "
            "dem Zensus 2022 (15.05.2022) in jeder 1-km-Zelle verändert? Rot: älter geworden, "
            "blau: jünger geworden, in Prozentpunkten.",
            "How has the share of people aged 65+ changed between Zensus 2011 (2011-05-09) and "
            "Zensus 2022 (2022-05-15) in each 1 km cell? Red: older, blue: younger, in "
            "percentage points.",
        ),
        "demography.horizon_title": (
            "{kreis} {year}: Einwohner und Ältere nach der Vorausberechnung",
            "{kreis} {year}: residents and older people by the projection",
        ),
        "demography.horizon_intro": (
            "Das KEK blickt bis {year}. Die amtliche Bevölkerungsvorausberechnung rechnet "
            "Geburten, Sterbefälle und Wanderungen vom Basisjahr {base} fort – so viele Einwohner "
            "und Menschen ab 65 hätte jede Gemeinde {year}, wenn die Annahmen eintreffen.",
            "The KEK looks ahead to {year}. The official population projection carries births, "
            "deaths and migration forward from the base year {base} – this is how many residents "
            "and people 65+ each municipality would have in {year} if the assumptions hold.",
        ),
        "demography.horizon_missing": (
            "**Die Vorausberechnung bis 2040 fehlt im Datenstand**; wie man sie lädt, steht "
            "unter „Über die Daten“.",
            "**The projection to 2040 is not in the data**; how to load it is on “About the data”.",
        ),
        "demography.col.census": ("Einwohner 2022 (Zensus)", "Residents 2022 (Zensus)"),
        "demography.col.base": ("Einwohner {year}", "Residents {year}"),
        "demography.col.horizon": ("Einwohner {year}", "Residents {year}"),
        "demography.col.change": ("Veränderung (%)", "Change (%)"),
        "demography.col.share_base": ("Anteil 65+ {year} (%)", "Share 65+ {year} (%)"),
        "demography.col.share_horizon": ("Anteil 65+ {year} (%)", "Share 65+ {year} (%)"),
        "demography.col.share_change": (
            "Veränderung 65+ (%-Pkt.)",
            "Change 65+ (percentage points)",
        ),
        "demography.ageing_missing": (
            "Für diesen Vergleich fehlt das 1-km-Gitter des Zensus 2011 im Datenstand.",
            "The Zensus 2011 1 km grid this comparison needs is not in the data.",
        ),
        "demography.ageing_layer": (
            "Veränderung Anteil 65+ 2011 → 2022",
            "Change of the share aged 65+, 2011 → 2022",
        ),
        "demography.ageing_legend": (
            "Anteil 65+: Veränderung 2011 → 2022 (%-Pkt.)",
            "Share 65+: change 2011 → 2022 (pp)",
        ),
        "demography.ageing_small": (
            "weniger als {n} Einw. (Anteil zu unsicher)",
            "fewer than {n} residents (share too uncertain)",
        ),
        "demography.ageing_caption": (
            "Gezeigt: {shown} Zellen mit mindestens {n} Einwohnern in beiden Jahren "
            "({people} der {total} Einwohner 2022 in Zellen mit Werten für beide Jahre). Kleinere "
            "Zellen sind grau: Die Werte 2022 sind zur Geheimhaltung um bis zu ±13 Personen je "
            "Altersgruppe verändert, bei wenigen Einwohnern wäre der Anteil Zufall.",
            "Shown: {shown} cells with at least {n} residents in both years ({people} of the "
            "{total} residents of 2022 in cells with values for both years). Smaller cells are "
            "grey: the 2022 values are perturbed by up to ±13 persons per age band for "
            "confidentiality, so with few residents the share would be chance.",
        ),
        "demography.cell_2022": ("Anteil 65+ 2022", "Share 65+ 2022"),
        "demography.cell_2011": ("Anteil 65+ 2011", "Share 65+ 2011"),
        "demography.cell_change": ("Veränderung", "Change"),
        "demography.cell_pop": ("Einwohner 2022 / 2011", "Residents 2022 / 2011"),
    }
)

AGEING_MIN_POP = Threshold(
    key="dem_ageing_min_pop",
    label_de="Alterungskarte: Zellen ab so vielen Einwohnern (beide Jahre)",
    label_en="Ageing map: cells from this many residents (both years)",
    default=RELIABLE_SHARE_MIN_POP,
    unit="Einw.",
    min_value=50.0,
    max_value=1000.0,
    step=50.0,
    source_de=RELIABLE_SHARE_SOURCE_DE,
    source_en=RELIABLE_SHARE_SOURCE_EN,
)
#: Upper class bounds of the change in percentage points, and the colour of each class.
AGEING_BOUNDS = (-2.0, 0.0, 2.0, 4.0, 6.0)
AGEING_COLOURS = ("#2166ac", "#92c5de", "#fddbc7", "#f4a582", "#d6604d", "#b2182b")
SMALL_CELL_COLOUR = "#d9d9d9"


def changing(source: LayerSource, *, indicator: Indicator, params: Params, lang: str) -> Changing:
    """The cells with many residents aged 80 and over, at the threshold."""
    del indicator  # the same cells for every indicator
    cells = hotspots(
        source.geo("grid_100m"), "people_80plus", params.get(HOTSPOT_MIN.key, HOTSPOT_MIN.default)
    )
    if not len(cells):
        return Changing()
    label = t("demography.hotspots", lang)
    layer, legend = cell_overlay(cells, "people_80plus", name=label, label=label, lang=lang)
    return Changing((layer,), legend)


def fixed(source: LayerSource, m: folium.Map, *, lang: str) -> None:
    """The stops with their symbols legend."""
    add_overlays(m, source, ("stops",), lang)


def ageing_class(change_pp: pd.Series) -> pd.Series:
    """Class index 0–5 of a change of the 65+ share (see :data:`AGEING_BOUNDS`).

    Parameters
    ----------
    change_pp
        Change in percentage points.

    Returns
    -------
    pandas.Series
        Class per value: 0 = below −2, 1 = −2 to below 0, …, 5 = 6 or more; missing stays
        missing.
    """
    classes = np.searchsorted(np.asarray(AGEING_BOUNDS), change_pp.to_numpy(float), side="right")
    return pd.Series(classes, index=change_pp.index, dtype="Int64").where(change_pp.notna())


def ageing_cells(grid_1km: gpd.GeoDataFrame, min_pop: float) -> gpd.GeoDataFrame:
    """The 1 km cells in the district with both years' 65+ share, classed for the map.

    Parameters
    ----------
    grid_1km
        1 km cells with ``population``, ``population_2011``, ``population_in_kreis``,
        ``share_65plus``, ``share_65plus_2011`` and ``change_65plus_pp``.
    min_pop
        Cells with fewer residents than this in either year get no class (``small``).

    Returns
    -------
    geopandas.GeoDataFrame
        The cells with values for both years and a column ``small``; ``klass`` is missing for
        small cells.
    """
    cells = grid_1km[
        grid_1km["change_65plus_pp"].notna() & (grid_1km["population_in_kreis"] > 0)
    ].copy()
    small = (cells["population"] < min_pop) | (cells["population_2011"] < min_pop)
    cells["small"] = small.to_numpy()
    cells["klass"] = ageing_class(cells["change_65plus_pp"]).where(~small)
    return cells


def _class_labels(lang: str) -> list[str]:
    b = [fmt_number(x, 0, lang) for x in AGEING_BOUNDS]
    return [
        f"< {b[0]}",
        *[
            f"{b[i]} bis < {b[i + 1]}" if lang == "de" else f"{b[i]} to < {b[i + 1]}"
            for i in range(len(b) - 1)
        ],
        f"≥ {b[-1]}",
    ]


def ageing_map(
    source: LayerSource, settings: Settings, *, params: Params, lang: str
) -> MapResult | None:
    """The change of the 65+ share 2011 → 2022 per 1 km cell, with the municipal borders.

    Parameters
    ----------
    source
        Snapshot.
    settings
        Settings.
    params
        Thresholds (:data:`AGEING_MIN_POP`).
    lang
        Language.

    Returns
    -------
    MapResult or None
        The map and the layers it shows; ``None`` without the 2011 grid to compare with.
    """
    min_pop = params.get(AGEING_MIN_POP.key, AGEING_MIN_POP.default)
    cells = ageing_cells(source.geo("grid_1km"), min_pop)
    if cells.empty:
        return None
    labels = _class_labels(lang)

    def pct(value: float) -> str:
        return f"{fmt_number(value, 1, lang)} %"

    cells["fill_key"] = [
        "small" if s else str(int(k)) for s, k in zip(cells["small"], cells["klass"], strict=True)
    ]
    cells["s22"] = [pct(v) for v in cells["share_65plus"]]
    cells["s11"] = [pct(v) for v in cells["share_65plus_2011"]]
    cells["chg"] = [f"{fmt_number(v, 1, lang)} %-Pkt." for v in cells["change_65plus_pp"]]
    cells["pops"] = [
        f"{fmt_number(a, 0, lang)} / {fmt_number(b, 0, lang)}"
        for a, b in zip(cells["population"], cells["population_2011"], strict=True)
    ]
    m = district_map(source, settings, lang)
    polygon_layer(
        cells,
        t("demography.ageing_layer", lang),
        fill={"small": SMALL_CELL_COLOUR, **{str(i): c for i, c in enumerate(AGEING_COLOURS)}},
        key="fill_key",
        colour="#ffffff",
        weight=0.5,
        fill_opacity=0.85,
        tooltip={
            "chg": t("demography.cell_change", lang),
            "s22": t("demography.cell_2022", lang),
            "s11": t("demography.cell_2011", lang),
            "pops": t("demography.cell_pop", lang),
        },
    ).add_to(m)
    municipal_borders(source, m, lang)
    entries = list(zip(AGEING_COLOURS, labels, strict=True))
    entries.append(
        (SMALL_CELL_COLOUR, t("demography.ageing_small", lang, n=fmt_number(min_pop, 0, lang)))
    )
    m.add_child(Legend(t("demography.ageing_legend", lang), entries))
    return MapResult(m, shown_layers((), extra=("grid_1km",)))


def ageing_caption(source: LayerSource, params: Params, lang: str) -> str:
    """How many cells and residents the ageing map shows, and why small cells are grey.

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
    str
        One paragraph.
    """
    min_pop = params.get(AGEING_MIN_POP.key, AGEING_MIN_POP.default)
    cells = ageing_cells(source.layer("grid_1km"), min_pop)
    shown = cells[~cells["small"]]
    return t(
        "demography.ageing_caption",
        lang,
        shown=fmt_number(len(shown), 0, lang),
        n=fmt_number(min_pop, 0, lang),
        people=fmt_number(float(shown["population_in_kreis"].sum()), 0, lang),
        total=fmt_number(float(cells["population_in_kreis"].sum()), 0, lang),
    )


def horizon_frame(source: LayerSource, lang: str, *, rounded: bool = True) -> pd.DataFrame:
    """Residents and 65+ share today and at the horizon per municipality, for the page.

    Parameters
    ----------
    source
        Snapshot with the ``projection`` layer.
    lang
        Language.
    rounded
        Round for display (the CSV download keeps every digit).

    Returns
    -------
    pandas.DataFrame
        One row per municipality and the district, localized headers.
    """
    district = district_of(source)
    table = projection_table(source.layer("gemeinden"), source.layer("projection"), district.name)
    base, horizon = int(table["base_year"].iloc[0]), int(table["horizon"].iloc[0])
    out = pd.DataFrame(
        {
            t("overview.municipality", lang): table["gemeinde"],
            t("demography.col.census", lang): table["census_2022"],
            t("demography.col.base", lang, year=base): table["population_base"],
            t("demography.col.horizon", lang, year=horizon): table["population_horizon"],
            t("demography.col.change", lang): table["change_pct"],
            t("demography.col.share_base", lang, year=base): table["share_65_base"],
            t("demography.col.share_horizon", lang, year=horizon): table["share_65_horizon"],
            t("demography.col.share_change", lang): table["change_65_pp"],
        }
    ).reset_index(drop=True)
    if rounded:
        counts = out.columns[1:4]
        out[counts] = out[counts].round(0)
        out[out.columns[4:]] = out[out.columns[4:]].round(1)
    return out


def horizon_years(source: LayerSource) -> tuple[int, int]:
    """The projection's base year and the horizon year used."""
    projection = source.layer("projection")
    return int(projection["year"].min()), horizon_year(projection)


def trend_table(source: LayerSource, lang: str) -> pd.DataFrame:
    """The INKAR 65+ series by year for the chart, its column named by what it is.

    Parameters
    ----------
    source
        Snapshot.
    lang
        Language.

    Returns
    -------
    pandas.DataFrame
        Index year (as text, so the chart shows plain years); one column.
    """
    inkar = source.layer("inkar_kreis")
    out = pd.DataFrame(
        {t("demography.trend_series", lang): inkar["share_65plus"].to_numpy(float)},
        index=pd.Index(inkar["year"].astype(int).astype(str), name="year"),
    )
    return out


def trend_caption(source: LayerSource, census_share: float, lang: str) -> str:
    """The two figures for the district's 65+ share, each named with its count and date.

    Parameters
    ----------
    source
        Snapshot.
    census_share
        The Zensus 2022 share of the district, %.
    lang
        Language.

    Returns
    -------
    str
        One paragraph.
    """
    inkar = source.layer("inkar_kreis").set_index("year")["share_65plus"]
    return t(
        "demography.trend_caption",
        lang,
        inkar=fmt_number(float(inkar.get(2022, np.nan)), 1, lang),
        census=fmt_number(census_share, 1, lang),
    )


VIEW = register_view(
    ThemeView(
        key="demography",
        title_key="demography.title",
        intro_key="demography.intro",
        shown=shown_layers(("stops",), extra=("grid_100m", "grid_1km")),
        fixed=fixed,
        changing=changing,
        uses_distances=True,
    )
)
register_section_map("demography_ageing", ageing_map)
