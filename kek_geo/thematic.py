"""Standard map layers of KEK Geo, shared by all pages: context, choropleth and overlays.

Builders take the snapshot and the language and return folium layers; a page decides which
ones to show. Each overlay names the snapshot layers it draws, so the map caption can credit
exactly the sources that are visible.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
import pandas as pd

from kek_geo.analysis.base import per_source
from kek_geo.classes import (
    CELLS,
    CONCERN,
    MISSING_COLOUR,
    NEUTRAL,
    Classes,
    compared_classes,
    legend_entries,
    nice_classes,
)
from kek_geo.district import district_key
from kek_geo.i18n import fmt_number, t
from kek_geo.indicators.registry import Indicator, LayerSource
from kek_geo.key_messages import is_sum
from kek_geo.maps import (
    Labels,
    Legend,
    base_map,
    point_layer,
    polygon_layer,
    recolour_script,
    tooltip_html,
)
from kek_geo.settings import DISPLAY_CRS, Settings

#: Map colour of each overlay (points and areas).
OVERLAY_COLOURS = {
    "settlement": "#e6550d",
    "stops": "#2171b5",
    "rail": "#de2d26",
    "schools": "#756bb1",
    "hospitals": "#31a354",
    "charging": "#636363",
}
SETTLEMENT_COLOUR = OVERLAY_COLOURS["settlement"]

#: Property that marks a municipality feature, so a map click can tell it from a stop.
GEMEINDE_KEY = "gemeinde_ags"


def context_layers(source: LayerSource, m: folium.Map, lang: str) -> None:
    """Add the neighbouring municipalities (grey, for orientation) to a map.

    Parameters
    ----------
    source
        Snapshot.
    m
        Map to add to.
    lang
        Language.
    """
    polygon_layer(
        source.geo("neighbours_display"),
        t("layer.neighbours", lang),
        fill="#eeeeee",
        colour="#bbbbbb",
        weight=0.8,
        fill_opacity=0.7,
        interactive=False,
    ).add_to(m)


def municipal_borders(source: LayerSource, m: folium.Map, lang: str) -> None:
    """Draw the municipal borders (outlines only, not clickable) on a map of cells.

    Parameters
    ----------
    source
        Snapshot.
    m
        Map to add to.
    lang
        Language.
    """
    polygon_layer(
        source.geo("gemeinden_display"),
        t("layer.gemeinden", lang),
        colour="#333333",
        weight=1.2,
        fill_opacity=0.0,
        interactive=False,
    ).add_to(m)


def municipality_labels(source: LayerSource, m: folium.Map) -> None:
    """Write the names of the municipalities on a map (above every layer, not clickable).

    Parameters
    ----------
    source
        Snapshot.
    m
        Map to add to.
    """
    gem = source.geo("gemeinden")
    points = gem.geometry.representative_point().to_crs(DISPLAY_CRS)
    m.add_child(Labels([(p.y, p.x, str(n)) for p, n in zip(points, gem["name"], strict=True)]))


def kreis_bounds(source: LayerSource) -> tuple[float, float, float, float]:
    """WGS84 bounds of the district.

    Parameters
    ----------
    source
        Snapshot.

    Returns
    -------
    tuple
        ``(minx, miny, maxx, maxy)``.
    """
    minx, miny, maxx, maxy = source.geo("kreis_display").total_bounds
    return float(minx), float(miny), float(maxx), float(maxy)


def district_map(source: LayerSource, settings: Settings, lang: str) -> folium.Map:
    """Base map fitted to the district, with the neighbours for context.

    Parameters
    ----------
    source
        Snapshot.
    settings
        Settings.
    lang
        Language.

    Returns
    -------
    folium.Map
        The map.
    """
    m = base_map(settings, bounds=kreis_bounds(source), home_title=t("map.home", lang))
    context_layers(source, m, lang)
    municipality_labels(source, m)
    return m


def municipality_picker_map(source: LayerSource, settings: Settings, lang: str) -> folium.Map:
    """District map whose municipalities answer a tap anywhere inside them.

    Nothing else lies on top, so every tap inside a municipality returns its
    :data:`GEMEINDE_KEY` (see :func:`kek_geo.ui_state.clicked_ags`).

    Parameters
    ----------
    source
        Snapshot.
    settings
        Settings.
    lang
        Language.

    Returns
    -------
    folium.Map
        The map.
    """
    m = district_map(source, settings, lang)
    gem = source.geo("gemeinden_display")[["ags", "name", "geometry"]].copy()
    gem[GEMEINDE_KEY] = gem["ags"].astype(str)
    polygon_layer(
        gem,
        t("layer.gemeinden", lang),
        fill=dict.fromkeys(gem[GEMEINDE_KEY], "#c6dbef"),
        key=GEMEINDE_KEY,
        colour="#08306b",
        weight=2.0,
        fill_opacity=0.35,
        tooltip={"name": t("field.name", lang)},
    ).add_to(m)
    return m


def municipal_values(values: pd.Series) -> pd.Series:
    """The municipalities' values (eight-digit keys), without the district row."""
    return values[values.index.astype(str).str.len() == 8].astype("float64")


def default_values(source: LayerSource, indicator: Indicator) -> pd.Series:
    """An indicator's values at its default thresholds (computed once per snapshot).

    Parameters
    ----------
    source
        Snapshot.
    indicator
        The indicator.

    Returns
    -------
    pandas.Series
        Values by AGS, district row included.
    """
    return per_source(
        source,
        f"indicator_defaults:{indicator.key}",
        lambda: indicator.compute(source, indicator.defaults()),
    )


def value_classes(indicator: Indicator, values: Iterable[float | None]) -> Classes:
    """Rounded classes over some values, coloured by the indicator's direction.

    Figures with a direction take a ramp on which darker means less favourable (reversed when
    higher is better); neutral figures take one on which darker means more.

    Parameters
    ----------
    indicator
        The indicator (direction, narrowest class width).
    values
        Values that set the bounds.

    Returns
    -------
    Classes
        See :func:`kek_geo.classes.nice_classes`.
    """
    directed = indicator.higher_is_better is not None
    return nice_classes(
        values,
        palette=CONCERN if directed else NEUTRAL,
        reverse=indicator.higher_is_better is True,
        min_width=indicator.class_width(),
    )


def indicator_classes(source: LayerSource, indicator: Indicator) -> Classes:
    """The fixed classes of an indicator: rounded bounds over its values at the defaults.

    Changing a threshold keeps the bounds and the colours, so maps of two settings compare;
    values beyond them fall into the open first or last class.

    Parameters
    ----------
    source
        Snapshot.
    indicator
        The indicator.

    Returns
    -------
    Classes
        Bounds and colours.
    """
    return value_classes(indicator, municipal_values(default_values(source, indicator)))


def direction_note(indicator: Indicator, lang: str) -> str:
    """What dark means on the indicator's map, e.g. "dunkler = ungünstiger (höher ist besser)"."""
    if indicator.higher_is_better is None:
        return t("classes.darker_more", lang)
    better = t("map.higher_better" if indicator.higher_is_better else "map.lower_better", lang)
    return f"{t('classes.darker_worse', lang)} ({better})"


def choropleth(
    source: LayerSource,
    indicator: Indicator,
    values: pd.Series,
    lang: str,
    *,
    fill_opacity: float = 0.65,
    classes: Classes | None = None,
    compared: bool = False,
) -> tuple[folium.GeoJson, Legend]:
    """Municipalities coloured by an indicator, with tooltip and legend.

    Parameters
    ----------
    source
        Snapshot.
    indicator
        The indicator shown.
    values
        Its values by AGS.
    lang
        Language.
    fill_opacity
        Fill opacity.
    classes
        Colour classes to use (e.g. shared by two maps compared side by side); by default
        computed from the values.
    compared
        Colour the difference to the district value instead (diverging around it); only
        where :func:`comparable`.

    Returns
    -------
    tuple
        The polygon layer and its legend.
    """
    style = choropleth_style(source, indicator, values, lang, classes=classes, compared=compared)
    gem = source.geo("gemeinden_display")[["ags", "name", "geometry"]].copy()
    gem[GEMEINDE_KEY] = gem["ags"].astype(str)
    gem["value"] = gem[GEMEINDE_KEY].map(style.values)
    layer = polygon_layer(
        gem,
        t("layer.gemeinden", lang),
        fill=style.colours,
        key=GEMEINDE_KEY,
        colour="#333333",
        weight=1.2,
        fill_opacity=fill_opacity,
        tooltip={"name": t("field.name", lang), "value": indicator.name(lang)},
    )
    return layer, style.legend


@dataclass(frozen=True)
class ChoroplethStyle:
    """How the municipalities look for one indicator: colours, tooltip values, legend.

    Attributes
    ----------
    colours
        Fill colour by AGS.
    values
        Formatted value with unit by AGS (for the tooltips).
    legend
        The legend.
    """

    colours: dict[str, str]
    values: dict[str, str]
    legend: Legend


def choropleth_style(
    source: LayerSource,
    indicator: Indicator,
    values: pd.Series,
    lang: str,
    *,
    classes: Classes | None = None,
    compared: bool = False,
) -> ChoroplethStyle:
    """Colours, tooltip values and legend of the municipalities for an indicator.

    Parameters
    ----------
    source
        Snapshot.
    indicator
        The indicator shown.
    values
        Its values by AGS, district row included.
    lang
        Language.
    classes
        Colour classes to use; by default the indicator's fixed classes.
    compared
        Colour the difference to the district value.

    Returns
    -------
    ChoroplethStyle
        The style.
    """
    ags = source.geo("gemeinden_display")["ags"].astype(str)
    vals = ags.map(values)
    unit = indicator.unit_in(lang)
    texts = [f"{fmt_number(v, indicator.decimals, lang)} {unit}".strip() for v in vals]
    if compared:
        colour_of, legend = _compared_legend(indicator, values, vals, lang)
    else:
        classes = classes if classes is not None else indicator_classes(source, indicator)
        colour_of, legend = classes.colour, _class_legend(indicator, classes, vals, lang)
    return ChoroplethStyle(
        colours={a: colour_of(v) for a, v in zip(ags, vals, strict=True)},
        values=dict(zip(ags, texts, strict=True)),
        legend=legend,
    )


def restyle_script(
    source: LayerSource,
    indicator: Indicator,
    values: pd.Series,
    lang: str,
    *,
    compared: bool = False,
) -> str:
    """Script that recolours a shown municipal map for another indicator, in place.

    Sent as the map's overlay, it changes the colours, tooltips and legend of the map
    already drawn, so switching the indicator needs no new map (no new frame, the view
    stays).

    Parameters
    ----------
    source
        Snapshot.
    indicator
        The indicator to show.
    values
        Its values by AGS, district row included.
    lang
        Language.
    compared
        Colour the difference to the district value.

    Returns
    -------
    str
        JavaScript for :func:`kek_geo.ui.mapview.show_map`'s ``overlay``.
    """
    style = choropleth_style(source, indicator, values, lang, compared=compared)
    gem = source.geo("gemeinden_display")
    names = dict(zip(gem["ags"].astype(str), gem["name"].astype(str), strict=True))
    tips = {
        a: tooltip_html([(t("field.name", lang), names[a]), (indicator.name(lang), v)])
        for a, v in style.values.items()
    }
    return recolour_script(GEMEINDE_KEY, style.colours, tips, style.legend.body_html)


def _missing_entry(vals: pd.Series, lang: str) -> list[tuple[str, str]]:
    missing = int(vals.isna().sum())
    return [(MISSING_COLOUR, f"{t('map.missing', lang)} ({missing})")] if missing else []


def _class_legend(indicator: Indicator, classes: Classes, vals: pd.Series, lang: str) -> Legend:
    entries = legend_entries(classes, vals, lang) + _missing_entry(vals, lang)
    note = f"{direction_note(indicator, lang)}; {t('map.count_municipalities', lang)}"
    return Legend(indicator.header(lang), entries, note, role="indicator")


def comparable(values: pd.Series) -> bool:
    """Whether the municipalities can be compared with the district value.

    Not for counts: the district value of a count is the sum of the municipalities'.

    Parameters
    ----------
    values
        Values by AGS, district row included.

    Returns
    -------
    bool
        True for shares, densities, averages and the like.
    """
    kreis = district_key(values.index)
    if kreis not in values.index or pd.isna(values[kreis]):
        return False
    if municipal_values(values).notna().sum() < 2:
        return False
    return not is_sum(values.to_frame("value"), "value")


def _compared_legend(
    indicator: Indicator, values: pd.Series, vals: pd.Series, lang: str
) -> tuple[Callable[[float | None], str], Legend]:
    kreis = float(values[district_key(values.index)])
    diffs = vals - kreis
    comp = compared_classes(
        diffs, min_width=indicator.class_width(), higher_is_better=indicator.higher_is_better
    )
    counts = comp.classes.counts(diffs)
    entries = [
        (c, f"{label} ({n})")
        for c, label, n in zip(comp.colours, comp.labels(lang), counts, strict=True)
    ] + _missing_entry(vals, lang)
    unit = t("compared.points", lang) if indicator.unit == "%" else indicator.unit_in(lang)
    colours = t(
        "compared.neutral" if indicator.higher_is_better is None else "compared.directed", lang
    )
    note = t(
        "compared.note",
        lang,
        kreis=f"{fmt_number(kreis, indicator.decimals, lang)} {indicator.unit_in(lang)}".strip(),
        unit=unit,
        colours=colours,
    )
    note += f"; {t('map.count_municipalities', lang)}"

    def colour_of(value: float | None) -> str:
        return comp.classes.colour(None if value is None or pd.isna(value) else value - kreis)

    title = f"{indicator.header(lang)} – {t('compared.title', lang)}"
    return colour_of, Legend(title, entries, note, role="indicator")


#: Points farther than this outside the district are left off the maps (metres).
MAP_MARGIN_M = 2000.0


def near_kreis(
    source: LayerSource, gdf: gpd.GeoDataFrame, margin_m: float = MAP_MARGIN_M
) -> gpd.GeoDataFrame:
    """Features within ``margin_m`` of the district (the rest would only clutter the map).

    Parameters
    ----------
    source
        Snapshot (for the district polygon).
    gdf
        Layer in the analysis CRS.
    margin_m
        Margin in metres.

    Returns
    -------
    geopandas.GeoDataFrame
        The features near the district.
    """
    kreis = source.geo("kreis").geometry.iloc[0]
    return gdf[gdf.to_crs(source.geo("kreis").crs).distance(kreis) <= margin_m]


def _mode_labels(modes: pd.Series, lang: str) -> pd.Series:
    return modes.astype(str).map(lambda m: t(f"mode.{m}", lang))


def _kind(gdf: gpd.GeoDataFrame, overlay: str, lang: str) -> gpd.GeoDataFrame:
    # the first tooltip line names the layer, so a patch or a symbol is never anonymous
    out = gdf.copy()
    out["kind"] = t(f"layer.item.{overlay}", lang)
    return out


def _with_kind(fields: dict[str, str], lang: str) -> dict[str, str]:
    return {"kind": t("field.layer", lang), **fields}


def settlement_overlay(source: LayerSource, lang: str) -> folium.GeoJson:
    """Settlement areas (derived from the 100 m grid)."""
    patches = _kind(source.geo("settlement_areas_display"), "settlement", lang)
    patches["area"] = [fmt_number(v, 0, lang) for v in patches["area_ha"]]
    patches["pop"] = [fmt_number(v, 0, lang) for v in patches["population_est"]]
    return polygon_layer(
        patches,
        t("layer.settlement", lang),
        fill=SETTLEMENT_COLOUR,
        colour="#a63603",
        weight=0.4,
        fill_opacity=0.45,
        tooltip=_with_kind(
            {"area": t("field.area_ha", lang), "pop": t("field.population_est", lang)}, lang
        ),
    )


def stops_overlay(source: LayerSource, lang: str) -> folium.GeoJson:
    """Bus, tram and on-demand stops (rail stations have their own overlay)."""
    stops = source.geo("stops")
    stops = _kind(stops[stops["mode"] != "rail"], "stops", lang)
    stops["mode_label"] = _mode_labels(stops["mode"], lang)
    return point_layer(
        stops,
        t("layer.stops", lang),
        colour=OVERLAY_COLOURS["stops"],
        radius=2.0,
        outline=None,
        tooltip=_with_kind(
            {"name": t("field.name", lang), "mode_label": t("field.mode", lang)}, lang
        ),
    )


def rail_overlay(source: LayerSource, lang: str) -> folium.GeoJson:
    """DB rail stations with their category."""
    rail = _kind(source.geo("rail_stations"), "rail", lang)
    rail["cat"] = rail["category"].astype(str)
    return point_layer(
        rail,
        t("layer.rail", lang),
        colour=OVERLAY_COLOURS["rail"],
        radius=7.0,
        tooltip=_with_kind({"name": t("field.name", lang), "cat": t("field.category", lang)}, lang),
    )


def schools_overlay(source: LayerSource, lang: str) -> folium.GeoJson:
    """Schools with type, pupils and social index."""
    schools = _kind(source.geo("schools"), "schools", lang)
    schools["pupils_txt"] = [fmt_number(v, 0, lang) for v in schools["pupils"]]
    schools["social"] = [fmt_number(v, 0, lang) for v in schools["social_index"]]
    return point_layer(
        schools,
        t("layer.schools", lang),
        colour=OVERLAY_COLOURS["schools"],
        radius=5.0,
        tooltip=_with_kind(
            {
                "name": t("field.name", lang),
                "school_type": t("field.school_type", lang),
                "pupils_txt": t("field.pupils", lang),
                "social": t("field.social_index", lang),
            },
            lang,
        ),
    )


def hospitals_overlay(source: LayerSource, lang: str) -> folium.GeoJson:
    """Hospital sites (status 2020)."""
    return point_layer(
        _kind(near_kreis(source, source.geo("hospitals")), "hospitals", lang),
        t("layer.hospitals", lang),
        colour=OVERLAY_COLOURS["hospitals"],
        radius=7.0,
        tooltip=_with_kind({"name": t("field.name", lang), "city": t("field.town", lang)}, lang),
    )


def charging_overlay(source: LayerSource, lang: str) -> folium.GeoJson:
    """EV charging installations of 2019, shown as historic."""
    charging = source.geo("charging_2019")
    charging = _kind(charging[charging["in_kreis"]], "charging", lang)
    return point_layer(
        charging,
        t("layer.charging", lang),
        colour=OVERLAY_COLOURS["charging"],
        radius=5.0,
        tooltip=_with_kind(
            {
                "operator": t("field.operator", lang),
                "commissioned": t("field.commissioned", lang),
            },
            lang,
        ),
    )


@dataclass(frozen=True)
class Overlay:
    """An overlay a page can switch on.

    Attributes
    ----------
    key
        Its key.
    label_key
        Text key of its name (what it holds, e.g. bus, tram and on-demand stops).
    build
        Builder of the folium layer.
    layers
        Snapshot layers it shows (for the credits).
    swatch
        Streamlit colour name nearest to its map colour, for the swatch on its pill.
    area
        True for areas (square swatch), False for symbols (round swatch).
    """

    key: str
    label_key: str
    build: Callable[[LayerSource, str], folium.GeoJson]
    layers: tuple[str, ...]
    swatch: str
    area: bool = False

    @property
    def colour(self) -> str:
        """Colour of its symbols or areas on the map."""
        return OVERLAY_COLOURS[self.key]

    def pill(self, lang: str) -> str:
        """Its name with a colour swatch, for a layer pill (Streamlit Markdown)."""
        shape = "■" if self.area else "●"
        return f":{self.swatch}[{shape}] {t(self.label_key, lang)}"


OVERLAYS: dict[str, Overlay] = {
    o.key: o
    for o in (
        Overlay(
            "settlement",
            "layer.settlement",
            settlement_overlay,
            ("settlement_areas",),
            "orange",
            area=True,
        ),
        Overlay("stops", "layer.stops", stops_overlay, ("stops",), "blue"),
        Overlay("rail", "layer.rail", rail_overlay, ("rail_stations",), "red"),
        Overlay("schools", "layer.schools", schools_overlay, ("schools",), "violet"),
        Overlay("hospitals", "layer.hospitals", hospitals_overlay, ("hospitals",), "green"),
        Overlay("charging", "layer.charging", charging_overlay, ("charging_2019",), "gray"),
    )
}


def symbols_legend(keys: Sequence[str], lang: str, *, folded: bool = False) -> Legend | None:
    """A legend entry for every overlay shown, with its symbol's colour and shape.

    Parameters
    ----------
    keys
        Overlay keys on the map.
    lang
        Language.
    folded
        Start folded to its title (where the layer pills already show the swatches).

    Returns
    -------
    Legend or None
        Top right; ``None`` without overlays.
    """
    shown = [o for k, o in OVERLAYS.items() if k in keys]
    if not shown:
        return None
    return Legend(
        t("map.symbols", lang),
        [(o.colour, t(o.label_key, lang)) for o in shown],
        position="topright",
        shapes=["square" if o.area else "circle" for o in shown],
        folded=folded,
    )


#: Base layers every district map shows (for attribution).
BASE_LAYERS = ("gemeinden", "neighbours_display")


def add_overlays(
    m: folium.Map,
    source: LayerSource,
    keys: Sequence[str],
    lang: str,
    *,
    folded_legend: bool = False,
) -> None:
    """Add overlays by key, in the order of :data:`OVERLAYS`, and their symbols' legend.

    Parameters
    ----------
    m
        Map.
    source
        Snapshot.
    keys
        Overlay keys to add.
    lang
        Language.
    folded_legend
        Start the symbols' legend folded (the page's layer pills show the swatches).
    """
    for key, overlay in OVERLAYS.items():
        if key in keys:
            overlay.build(source, lang).add_to(m)
    legend = symbols_legend(keys, lang, folded=folded_legend)
    if legend is not None:
        m.add_child(legend)


def shown_layers(keys: Sequence[str], extra: Sequence[str] = ()) -> tuple[str, ...]:
    """Snapshot layers visible on a map with these overlays (for its attribution line).

    Parameters
    ----------
    keys
        Overlay keys.
    extra
        Further snapshot layers the page draws.

    Returns
    -------
    tuple of str
        Layer keys.
    """
    layers = [*BASE_LAYERS, *extra]
    for key in keys:
        layers.extend(OVERLAYS[key].layers)
    return tuple(dict.fromkeys(layers))


def overview_map(
    source: LayerSource,
    settings: Settings,
    *,
    indicator: Indicator,
    values: pd.Series,
    overlays: Sequence[str],
    lang: str,
    compared: bool = False,
) -> folium.Map:
    """The overview map: municipalities coloured by an indicator plus chosen overlays.

    Parameters
    ----------
    source
        Snapshot.
    settings
        Settings.
    indicator
        Indicator for the colours.
    values
        Its values by AGS.
    overlays
        Overlay keys from :data:`OVERLAYS`.
    lang
        Language.
    compared
        Colour the difference to the district value.

    Returns
    -------
    folium.Map
        The map.
    """
    m = district_map(source, settings, lang)
    layer, legend = choropleth(source, indicator, values, lang, compared=compared)
    layer.add_to(m)
    add_overlays(m, source, overlays, lang, folded_legend=True)
    m.add_child(legend)
    return m


def cell_overlay(
    cells: gpd.GeoDataFrame,
    column: str,
    *,
    name: str,
    label: str,
    lang: str,
    decimals: int = 0,
) -> tuple[folium.GeoJson, Legend]:
    """100 m cells coloured by a value (e.g. residents outside every stop catchment).

    Parameters
    ----------
    cells
        Cells with ``cell_id`` and ``column`` (any CRS).
    column
        Value that sets the colour.
    name
        Layer name.
    label
        Legend title and tooltip label of the value.
    lang
        Language.
    decimals
        Digits of the value in tooltip and legend.

    Returns
    -------
    tuple
        The layer and its legend (bottom left, beside the choropleth legend).
    """
    data = cells[["cell_id", column, "geometry"]].copy()
    classes = nice_classes(data[column].astype("float64"), palette=CELLS)
    fills = {cid: classes.colour(v) for cid, v in zip(data["cell_id"], data[column], strict=True)}
    data["value"] = [fmt_number(v, decimals, lang) for v in data[column]]
    layer = polygon_layer(
        data,
        name,
        fill=fills,
        key="cell_id",
        colour="#7f0000",
        weight=2.0,  # a 1-ha cell is 1–2 px wide at district zoom: its outline makes it seen
        outline_as_fill=True,
        fill_opacity=0.85,
        tooltip={"value": label},
    )
    entries = legend_entries(classes, data[column].astype("float64"), lang)
    return layer, Legend(label, entries, t("map.count_cells", lang), position="bottomright")


def theme_map(
    source: LayerSource,
    settings: Settings,
    *,
    indicator: Indicator,
    values: pd.Series,
    lang: str,
    fill_opacity: float = 0.45,
    compared: bool = False,
) -> folium.Map:
    """District map with municipalities coloured by an indicator; pages add their own layers.

    Parameters
    ----------
    source
        Snapshot.
    settings
        Settings.
    indicator
        Indicator for the colours.
    values
        Its values by AGS.
    lang
        Language.
    fill_opacity
        Opacity of the choropleth (lower than the overview, so cell layers stay readable).
    compared
        Colour the difference to the district value.

    Returns
    -------
    folium.Map
        The map.
    """
    m = district_map(source, settings, lang)
    layer, legend = choropleth(
        source, indicator, values, lang, fill_opacity=fill_opacity, compared=compared
    )
    layer.add_to(m)
    m.add_child(legend)
    return m
