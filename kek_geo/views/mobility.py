"""Mobilität: stop catchments, gaps in public transport (ÖV-Lücken) and ÖV-Güteklassen."""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from kek_geo.analysis.gtfs import WEEKDAYS, GtfsFeed
from kek_geo.analysis.mobility import (
    CATEGORY_NAMES,
    CLASS_LABELS,
    MAX_GAP_CELLS,
    MODE_GROUPS,
    NO_CLASS,
    class_shares,
    gap_cells,
)
from kek_geo.classes import MISSING_COLOUR
from kek_geo.district import district_of
from kek_geo.i18n import fmt_number, md_escape, register_texts, t
from kek_geo.indicators import Indicator
from kek_geo.indicators.mobility import (
    RAIL_RADIUS,
    STOP_NEAR,
    STOP_RADIUS,
    cell_access,
    cell_classes,
    gtfs_feed,
)
from kek_geo.indicators.registry import LayerSource, Params, Threshold
from kek_geo.maps import Legend, point_layer, polygon_layer
from kek_geo.settings import ANALYSIS_CRS, Settings
from kek_geo.thematic import add_overlays, cell_overlay, district_map, shown_layers
from kek_geo.views import Changing, MapResult, ThemeView, register_section_map, register_view

register_texts(
    {
        "mobility.title": ("Mobilität", "Mobility"),
        "mobility.intro": (
            "Wie nah wohnen die Menschen an Bus und Bahn? Einzugsbereiche der Haltestellen und "
            "Bahnhöfe für jede besiedelte 100-m-Zelle, die ÖV-Lücken dazwischen und – mit "
            "importiertem Fahrplan – die ÖV-Güteklassen (Stufen A = sehr gut bis F = "
            "Grundangebot, nach Takt und Art der nahen Haltestellen und dem Fußweg dorthin).",
            "How close do people live to buses and trains? Catchments of stops and rail "
            "stations for every settled 100 m cell, the gaps between them and – with an "
            "imported timetable – the public transport quality classes (ÖV-Güteklassen: grades "
            "A = very good to F = basic service, by the frequency and kind of the nearby stops "
            "and the walk to them).",
        ),
        "mobility.gaps": (
            "ÖV-Lücken: Einwohner je Hektar (geschätzt)",
            "Gaps: residents per hectare (estimated)",
        ),
        "mobility.gaps_capped": (
            "die {shown} einwohnerstärksten von {total} Zellen",
            "the {shown} most populated of {total} cells",
        ),
        "mobility.gaps_map": ("Karte", "Map"),
        "mobility.gaps_note": (
            "Rot: besiedelte Zellen außerhalb jedes Einzugsbereichs bei den gewählten "
            "Schwellenwerten (weiter als {stop} m zur nächsten Haltestelle und weiter als "
            "{rail} m zum nächsten Bahnhof): {cells} Zellen mit rund {people} Einwohnern.",
            "Red: settled cells outside every catchment at the chosen thresholds (farther "
            "than {stop} m from the nearest stop and farther than {rail} m from the nearest "
            "rail station): {cells} cells with about {people} residents.",
        ),
        "mobility.datlas_note": (
            "Deutschlandatlas: Er zählt Einwohner höchstens 600 m von einer Haltestelle mit "
            "mindestens 20 Abfahrten am Tag oder 1.200 m von einem Bahnhof. Die Zahl der "
            "Abfahrten steht nur im Fahrplan; ohne importierten Fahrplan zählt hier jede "
            "Haltestelle mit Linienverkehr, die Anteile oben sind also Obergrenzen.",
            "Deutschlandatlas: it counts residents within 600 m of a stop with at least 20 "
            "departures a day or within 1,200 m of a rail station. Departures are only in a "
            "timetable; without an imported timetable every stop with scheduled service counts "
            "here, so the shares above are upper bounds.",
        ),
        "mobility.datlas_feed": (
            "Deutschlandatlas: Mit dem importierten Fahrplan berechnet die Spalte "
            "„Deutschlandatlas-Kriterium erfüllt“ das volle Kriterium (600 m zu einer "
            "Haltestelle mit mindestens 20 Abfahrten am Tag oder 1.200 m zu einem Bahnhof); "
            "die übrigen Einzugsbereiche zählen jede Haltestelle mit Linienverkehr.",
            "Deutschlandatlas: with the imported timetable the column “Deutschlandatlas "
            "criterion met” computes the full criterion (600 m to a stop with at least 20 "
            "departures a day or 1,200 m to a rail station); the other catchments count every "
            "stop with scheduled service.",
        ),
        "mobility.classes": ("ÖV-Güteklassen", "Public transport quality classes"),
        "mobility.classes_intro": (
            "Güteklassen A (sehr gut) bis F (Grundangebot) nach ARE, erweitert wie im "
            "GOAT-Standard: Takt und Verkehrsmittel jeder Station am Stichtag (06–20 Uhr) "
            "ergeben eine Haltestellenkategorie I–VII, daraus Klassen in Ringen von 300, 500, "
            "750 und 1.000 m Luftlinie. Takt = 840 min / Abfahrten je Richtung; halbiert "
            "werden nur die Abfahrten von Linien, die die Station in beide Richtungen "
            "bedienen (ein Ringlinien-Halt oder eine Endhaltestelle zählt voll).",
            "Classes A (very good) to F (basic service) after ARE, extended as in the GOAT "
            "default: interval and mode of every station on the service day (06:00–20:00) give "
            "a stop category I–VII, and that gives classes in straight-line rings of 300, 500, "
            "750 and 1,000 m. Interval = 840 min / departures per direction; only the "
            "departures of routes serving the station in both directions are halved (a "
            "one-way loop stop or a terminus counts in full).",
        ),
        "mobility.no_feed": (
            "Kein Fahrplan importiert. ÖV-Güteklassen und das volle Deutschlandatlas-Kriterium "
            "(mindestens 20 Abfahrten am Tag) brauchen die Abfahrtszeiten jeder Haltestelle; "
            "bis dahin zeigt die Tabelle diese Indikatoren als fehlend (–). Wie man ihn "
            "importiert, steht unter „Über die Daten“.",
            "No timetable imported. Quality classes and the full Deutschlandatlas criterion "
            "(at least 20 departures a day) need the departure times of every stop; until then "
            "the table shows these indicators as missing (–). How to import it is on “About "
            "the data”.",
        ),
        "mobility.feed": (
            "Fahrplan: {file}{publisher}, gültig {start} bis {end}; Stichtag {day} ({weekday}, "
            "{choice}), 06–20 Uhr; {stations} Stationen, davon {classed} mit "
            "Haltestellenkategorie.",
            "Timetable: {file}{publisher}, valid {start} to {end}; service day {day} "
            "({weekday}, {choice}), 06:00–20:00; {stations} stations, {classed} of them with a "
            "stop category.",
        ),
        "mobility.choice.automatic": (
            "automatisch: meiste Fahrten in den ersten 14 Tagen",
            "automatic: most trips in the first 14 days",
        ),
        "mobility.choice.given": ("vorgegeben", "given"),
        "mobility.class": ("ÖV-Güteklasse", "Quality class"),
        "mobility.class_none": ("keine Klasse", "no class"),
        "mobility.class_table": (
            "Einwohner je Güteklasse (%)",
            "Residents per quality class (%)",
        ),
        "mobility.stations": ("Stationen mit Kategorie", "Stations with a category"),
        "mobility.stations_other": (
            "Stationen ohne Kategorie (Takt über 120 min)",
            "Stations without a category (interval above 120 min)",
        ),
        "mobility.station_table": ("Stationen am Stichtag", "Stations on the service day"),
        "mobility.col.station": ("Station", "Station"),
        "mobility.col.group": ("Verkehrsmittelgruppe", "Mode group"),
        "mobility.col.day": ("Abfahrten am Tag", "Departures per day"),
        "mobility.col.window": ("Abfahrten 06–20 Uhr", "Departures 06:00–20:00"),
        "mobility.col.direction": (
            "Abfahrten je Richtung 06–20 Uhr",
            "Departures per direction 06:00–20:00",
        ),
        "mobility.col.interval": ("Mittlerer Takt (min)", "Mean interval (min)"),
        "mobility.no_departures": ("keine Abfahrten", "no departures"),
        "mobility.col.category": ("Kategorie", "Category"),
        "mobility.col.on_demand": ("auch Rufbus", "also on-demand"),
        "mobility.weekday.monday": ("Montag", "Monday"),
        "mobility.weekday.tuesday": ("Dienstag", "Tuesday"),
        "mobility.weekday.wednesday": ("Mittwoch", "Wednesday"),
        "mobility.weekday.thursday": ("Donnerstag", "Thursday"),
        "mobility.weekday.friday": ("Freitag", "Friday"),
        "mobility.weekday.saturday": ("Samstag", "Saturday"),
        "mobility.weekday.sunday": ("Sonntag", "Sunday"),
    }
)

#: Colours of the classes A … F (ColorBrewer RdYlGn, green = good); no class is grey.
CLASS_COLOURS = ("#1a9850", "#91cf60", "#d9ef8b", "#fee08b", "#fc8d59", "#d73027")
OVERLAYS = ("stops", "rail")


def _value(params: Params, threshold: Threshold) -> float:
    return float(params.get(threshold.key, threshold.default))


def changing(source: LayerSource, *, indicator: Indicator, params: Params, lang: str) -> Changing:
    """The ÖV-Lücken cells by residents at the thresholds (the most populated, if many)."""
    del indicator  # the same gaps for every indicator
    acc = cell_access(source)
    cells, total = gap_cells(acc.cells, acc.catchments(params).gap)
    if not len(cells):
        return Changing()
    name = t("mobility.gaps", lang)
    if total > len(cells):
        shown, all_cells = fmt_number(len(cells), 0, lang), fmt_number(total, 0, lang)
        name += f" – {_capped(lang, shown, all_cells)}"
    layer, legend = cell_overlay(
        cells, "population_est", name=name, label=t("mobility.gaps", lang), lang=lang
    )
    return Changing((layer,), legend)


def fixed(source: LayerSource, m: folium.Map, *, lang: str) -> None:
    """Stops and stations with their symbols legend."""
    add_overlays(m, source, OVERLAYS, lang)


def gap_summary(source: LayerSource, params: Params, lang: str) -> str:
    """One sentence on the ÖV-Lücken at the chosen thresholds.

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
        The sentence.
    """
    acc = cell_access(source)
    gap = acc.catchments(params).gap
    stop = max(_value(params, STOP_NEAR), _value(params, STOP_RADIUS))
    total = int(gap.sum())
    text = t(
        "mobility.gaps_note",
        lang,
        stop=fmt_number(stop, 0, lang),
        rail=fmt_number(_value(params, RAIL_RADIUS), 0, lang),
        cells=fmt_number(total, 0, lang),
        people=fmt_number(float(acc.population[gap].sum()), 0, lang),
    )
    if total > MAX_GAP_CELLS:
        shown, cells = fmt_number(MAX_GAP_CELLS, 0, lang), fmt_number(total, 0, lang)
        text += f" {t('mobility.gaps_map', lang)}: {_capped(lang, shown, cells)}."
    return text


def _capped(lang: str, shown: str, total: str) -> str:
    return t("mobility.gaps_capped", lang, shown=shown, total=total)


# ---------------------------------------------------------------- ÖV-Güteklassen


def class_polygons(source: LayerSource, lang: str) -> gpd.GeoDataFrame | None:
    """Settlement cells merged into one shape per class (small map payload).

    Parameters
    ----------
    source
        Snapshot.
    lang
        Language.

    Returns
    -------
    geopandas.GeoDataFrame or None
        ``class_key`` (A … F, none), ``label``, geometry; ``None`` without a feed.
    """
    classes = cell_classes(source)
    if classes is None:
        return None
    geoms = cell_access(source).cells.geometry.to_numpy()
    rows = []
    for k in sorted(set(classes.tolist())):
        key = CLASS_LABELS[k] if k < NO_CLASS else "none"
        label = t("mobility.class_none", lang) if k == NO_CLASS else CLASS_LABELS[k]
        shape = shapely.coverage_union_all(geoms[classes == k])
        rows.append({"class_key": key, "label": label, "geometry": shape})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=ANALYSIS_CRS)


def _station_points(feed: GtfsFeed, lang: str, *, categorised: bool) -> gpd.GeoDataFrame:
    st = feed.stations
    st = st[(st["category"] > 0) if categorised else (st["category"] == 0)]
    return gpd.GeoDataFrame(
        {
            "name": st["name"].astype(str).to_numpy(),
            "deps": [fmt_number(float(v), 0, lang) for v in st["departures_window"]],
            "interval": [_interval_text(float(v), lang) for v in st["interval_min"]],
            "cat": [CATEGORY_NAMES[int(c)] for c in st["category"]],
        },
        geometry=gpd.points_from_xy(st["x"], st["y"]),
        crs=ANALYSIS_CRS,
    )


def _interval_text(minutes: float, lang: str) -> str:
    """Mean interval for a tooltip; a station without departures has none (not "inf")."""
    if not np.isfinite(minutes):
        return t("mobility.no_departures", lang)
    return fmt_number(minutes, 0, lang)


def _station_tooltip(lang: str) -> dict[str, str]:
    return {
        "name": t("mobility.col.station", lang),
        "deps": t("mobility.col.window", lang),
        "interval": t("mobility.col.interval", lang),
        "cat": t("mobility.col.category", lang),
    }


def class_map(source: LayerSource, settings: Settings, lang: str) -> MapResult | None:
    """Settlement cells coloured by ÖV-Güteklasse, with the stations; ``None`` without a feed.

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
    MapResult or None
        The map.
    """
    feed = gtfs_feed(source)
    polygons = class_polygons(source, lang)
    if feed is None or polygons is None:
        return None
    m = district_map(source, settings, lang)
    colours = dict(zip(CLASS_LABELS, CLASS_COLOURS, strict=True))
    colours["none"] = MISSING_COLOUR
    polygon_layer(
        polygons,
        t("mobility.class", lang),
        fill=colours,
        key="class_key",
        colour="#555555",
        weight=0.3,
        fill_opacity=0.75,
        tooltip={"label": t("mobility.class", lang)},
    ).add_to(m)
    for categorised, colour, radius in ((False, "#969696", 2.5), (True, "#252525", 4.0)):
        points = _station_points(feed, lang, categorised=categorised)
        if len(points):
            name = t("mobility.stations" if categorised else "mobility.stations_other", lang)
            point_layer(
                points, name, colour=colour, radius=radius, tooltip=_station_tooltip(lang)
            ).add_to(m)
    entries = [(c, label) for label, c in colours.items() if label != "none"]
    entries.append((MISSING_COLOUR, t("mobility.class_none", lang)))
    m.add_child(Legend(t("mobility.class", lang), entries))
    folium.LayerControl(collapsed=True).add_to(m)
    return MapResult(m, shown_layers((), extra=("grid_100m",)))


def class_table(source: LayerSource, lang: str) -> pd.DataFrame | None:
    """Share of residents per class and without class, per municipality and district.

    Parameters
    ----------
    source
        Snapshot.
    lang
        Language.

    Returns
    -------
    pandas.DataFrame or None
        Municipality name, one column per class and "no class" (in %, one decimal);
        ``None`` without a feed.
    """
    classes = cell_classes(source)
    if classes is None:
        return None
    acc = cell_access(source)
    shares = class_shares(acc.population, classes, acc.ags)
    gem = source.layer("gemeinden").sort_values("ags")
    district = district_of(source)
    index = pd.Index([*gem["ags"].astype(str), district.ags], name="ags")
    out = pd.DataFrame(
        {t("overview.municipality", lang): [*gem["name"].astype(str), district.name]},
        index=index,
    )
    for col in shares.columns:
        header = t("mobility.class_none", lang) if col == "none" else col
        out[f"{header} (%)"] = shares[col].reindex(index).round(1)
    return out


def station_table(source: LayerSource, lang: str) -> pd.DataFrame | None:
    """Stations with departures, interval and category, best first; ``None`` without a feed.

    Parameters
    ----------
    source
        Snapshot.
    lang
        Language.

    Returns
    -------
    pandas.DataFrame or None
        One row per station of the feed in the district plus 2 km.
    """
    feed = gtfs_feed(source)
    if feed is None:
        return None
    st = feed.stations
    category = st["category"].where(st["category"] > 0, 99)
    st = st.assign(_order=category).sort_values(
        ["_order", "departures_window", "name"], ascending=[True, False, True]
    )
    groups = np.array(["–", *MODE_GROUPS])
    return pd.DataFrame(
        {
            t("mobility.col.station", lang): st["name"].astype(str).to_numpy(),
            t("mobility.col.group", lang): groups[st["group"].to_numpy(np.int64) + 1],
            t("mobility.col.day", lang): st["departures_day"].to_numpy(),
            t("mobility.col.window", lang): st["departures_window"].to_numpy(),
            t("mobility.col.direction", lang): st["departures_direction"].to_numpy(),
            t("mobility.col.interval", lang): st["interval_min"]
            .replace(np.inf, np.nan)
            .round(1)
            .to_numpy(),
            t("mobility.col.category", lang): [CATEGORY_NAMES[int(c)] for c in st["category"]],
            t("mobility.col.on_demand", lang): st["on_demand"].to_numpy(),
        }
    )


def feed_summary(source: LayerSource, lang: str) -> str | None:
    """One sentence on the imported feed and the evaluated day; ``None`` without a feed.

    Parameters
    ----------
    source
        Snapshot.
    lang
        Language.

    Returns
    -------
    str or None
        The sentence.
    """
    feed = gtfs_feed(source)
    if feed is None:
        return None
    meta = feed.meta
    day = pd.Timestamp(feed.service_date)
    # names and credits come from the imported file: shown literally, never as Markdown
    publisher = f" ({md_escape(str(meta['publisher']))})" if meta.get("publisher") else ""
    choice = str(meta.get("service_date_choice", "automatic"))
    sentence = t(
        "mobility.feed",
        lang,
        file=md_escape(str(meta.get("source_file", "GTFS"))),
        publisher=publisher,
        start=md_escape(str(meta.get("feed_start", "?"))),
        end=md_escape(str(meta.get("feed_end", "?"))),
        day=feed.service_date,
        weekday=t(f"mobility.weekday.{WEEKDAYS[day.weekday()]}", lang),
        choice=t(f"mobility.choice.{choice}", lang),
        stations=fmt_number(len(feed.stations), 0, lang),
        classed=fmt_number(int((feed.stations["category"] > 0).sum()), 0, lang),
    )
    credit = " · ".join(md_escape(str(meta[k])) for k in ("attribution", "licence") if meta.get(k))
    return f"{sentence} {t('map.attribution', lang)}: {credit}." if credit else sentence


VIEW = register_view(
    ThemeView(
        key="mobility",
        title_key="mobility.title",
        intro_key="mobility.intro",
        shown=shown_layers(OVERLAYS, extra=("grid_100m",)),
        fixed=fixed,
        changing=changing,
        uses_distances=True,
    )
)


def _class_section(
    source: LayerSource, settings: Settings, *, params: Params, lang: str
) -> MapResult | None:
    del params  # the classes depend only on the imported feed
    return class_map(source, settings, lang)


register_section_map("mobility_classes", _class_section)
