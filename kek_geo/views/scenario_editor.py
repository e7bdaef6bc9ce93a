"""The scenario editor: edits made from map clicks and drawings, and the editor's map.

Pure helpers turn what the planner clicked or drew into an :mod:`~kek_geo.scenario.model`
edit; the page only lays out the widgets.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
import numpy as np
from folium.plugins import Draw
from shapely.geometry import MultiPolygon, Point, Polygon, shape

from kek_geo.analysis.base import LayerSource
from kek_geo.i18n import pick
from kek_geo.maps import point_layer, polygon_layer
from kek_geo.scenario.apply import project
from kek_geo.scenario.model import (
    AddSchool,
    AddStop,
    BroadbandTarget,
    BuildingArea,
    Edit,
    MoveStop,
    RemoveStop,
    Scenario,
    ScenarioError,
    clean_text,
    edit_geometry,
)
from kek_geo.settings import DISPLAY_CRS, Settings
from kek_geo.thematic import district_map, municipal_borders

#: Edit types in the order of the editor's choice, with their labels.
EDIT_LABELS: dict[str, tuple[str, str]] = {
    "add_stop": ("Haltestelle hinzufügen", "Add a stop"),
    "remove_stop": ("Haltestelle entfernen", "Remove a stop"),
    "move_stop": ("Haltestelle verschieben", "Move a stop"),
    "add_school": ("Schule hinzufügen", "Add a school"),
    "building_area": ("Baugebiet zeichnen", "Draw a building area"),
    "broadband": ("Breitband-Ausbau", "Broadband expansion"),
}
#: Farthest a click may be from a stop to pick it (m).
PICK_RADIUS_M = 300.0
EDIT_COLOUR = "#d7191c"


@dataclass(frozen=True)
class NearestStop:
    """The stop nearest to a click."""

    stop_id: str
    name: str
    distance_m: float


def nearest_stop(source: LayerSource, lon: float, lat: float) -> NearestStop | None:
    """The stop in the Kreis nearest to a clicked point, if within :data:`PICK_RADIUS_M`.

    Parameters
    ----------
    source
        Baseline or scenario.
    lon, lat
        The click (CRS84).

    Returns
    -------
    NearestStop or None
        The stop, or ``None`` if none is near.
    """
    stops = source.geo("stops")
    stops = stops[stops["in_kreis"]]
    if len(stops) == 0:
        return None
    pt = project(Point(lon, lat))
    xy = np.column_stack([stops.geometry.x.to_numpy(), stops.geometry.y.to_numpy()])
    dist = np.hypot(xy[:, 0] - pt.x, xy[:, 1] - pt.y)
    i = int(np.argmin(dist))
    if dist[i] > PICK_RADIUS_M:
        return None
    row = stops.iloc[i]
    return NearestStop(str(row["stop_id"]), str(row["name"]), float(dist[i]))


def stop_names(source: LayerSource) -> dict[str, str]:
    """Stops of the Kreis by id, sorted by name (the list a stop to move is chosen from)."""
    stops = source.geo("stops")
    stops = stops[stops["in_kreis"]].sort_values("name")
    return dict(zip(stops["stop_id"].astype(str), stops["name"].astype(str), strict=True))


def gemeinde_names(source: LayerSource) -> dict[str, str]:
    """Gemeinden by AGS, sorted by name."""
    gem = source.layer("gemeinden").sort_values("name")
    return dict(zip(gem["ags"].astype(str), gem["name"].astype(str), strict=True))


def drawn_polygon(drawing: Mapping[str, Any] | None) -> Polygon | MultiPolygon | None:
    """The polygon of Leaflet.draw's last drawing (a GeoJSON Feature), or ``None``."""
    if not drawing:
        return None
    geom = drawing.get("geometry") if drawing.get("type") == "Feature" else drawing
    try:
        poly = shape(geom)
    except (AttributeError, KeyError, TypeError, ValueError):
        return None
    return poly if isinstance(poly, Polygon | MultiPolygon) else None


def _need(value: object, kind: str, en: str, de: str) -> None:
    if value is None:
        raise ScenarioError(0, kind, en, de)


def make_edit(
    kind: str,
    *,
    click: Point | None = None,
    polygon: Polygon | MultiPolygon | None = None,
    stop_id: str | None = None,
    values: Mapping[str, Any] | None = None,
) -> Edit:
    """An edit from what was clicked, drawn and set in the form.

    Parameters
    ----------
    kind
        Edit type.
    click
        The last map click (CRS84).
    polygon
        The last drawn polygon (CRS84).
    stop_id
        The picked stop.
    values
        Form values (``name``, ``mode``, ``dwellings``, ``school_type``, ``ags``, ``segment``,
        ``bandwidth``, ``target_share``).

    Returns
    -------
    Edit
        The edit (validated later against the data).
    """
    v = dict(values or {})
    name = clean_text(v.get("name"))
    point_msg = ("click the map first", "zuerst in die Karte klicken")
    if kind in {"add_stop", "add_school", "move_stop"}:
        _need(click, kind, *point_msg)
    if kind in {"remove_stop", "move_stop"}:
        _need(stop_id, kind, "pick a stop first", "zuerst eine Haltestelle wählen")
    if kind == "add_stop":
        assert click is not None
        return AddStop(click, "rail" if v.get("mode") == "rail" else "bus", name)
    if kind == "remove_stop":
        return RemoveStop(str(stop_id))
    if kind == "move_stop":
        assert click is not None
        return MoveStop(str(stop_id), click)
    if kind == "add_school":
        assert click is not None
        return AddSchool(click, clean_text(v.get("school_type") or "Grundschule", 64), name)
    if kind == "building_area":
        _need(polygon, kind, "draw a polygon first", "zuerst ein Polygon zeichnen")
        assert polygon is not None
        return BuildingArea(polygon, int(v.get("dwellings", 0)), name)
    if kind == "broadband":
        ags = v.get("ags") or None
        return BroadbandTarget(
            segment=v.get("segment", "households"),
            bandwidth=int(v.get("bandwidth", 1000)),
            target_share=float(v.get("target_share", 90.0)),
            ags=None if polygon is not None and not ags else ags,
            area=polygon if not ags else None,
        )
    raise ScenarioError(0, kind, "unknown edit type", "unbekannte Art der Änderung")


def edits_frame(scenario: Scenario) -> gpd.GeoDataFrame:
    """The scenario's edits with a geometry, as a layer (CRS84) with number and type."""
    rows = [
        {"nr": str(pos), "edit": e.kind, "geometry": g}
        for pos, e in enumerate(scenario.edits, start=1)
        if (g := edit_geometry(e)) is not None
    ]
    return (
        gpd.GeoDataFrame(rows, geometry="geometry", crs="OGC:CRS84")
        if rows
        else (gpd.GeoDataFrame({"nr": [], "edit": []}, geometry=[], crs="OGC:CRS84"))
    )


def editor_map(
    source: LayerSource, settings: Settings, scenario: Scenario, lang: str, *, draw: bool
) -> folium.Map:
    """The editor's map: borders, stops and schools of the Kreis, and the scenario's edits.

    Parameters
    ----------
    source
        The scenario over the baseline (so edited stops show where they are now).
    settings
        Settings (static URL for Leaflet and Leaflet.draw).
    scenario
        The draft.
    lang
        Language.
    draw
        Offer the polygon tool (building areas, broadband areas).

    Returns
    -------
    folium.Map
        The map.
    """
    m = district_map(source, settings, lang)
    municipal_borders(source, m, lang)
    stops = source.geo("stops")
    stops = stops[stops["in_kreis"]].to_crs(DISPLAY_CRS)
    point_layer(
        stops[["name", "geometry"]],
        pick(lang, "Haltestellen", "Stops"),
        colour="#2b83ba",
        radius=3.5,
        tooltip={"name": pick(lang, "Haltestelle", "Stop")},
        outline=None,
    ).add_to(m)
    schools = source.geo("schools").to_crs(DISPLAY_CRS)
    point_layer(
        schools[["name", "geometry"]],
        pick(lang, "Schulen", "Schools"),
        colour="#7b3294",
        radius=4.5,
        tooltip={"name": pick(lang, "Schule", "School")},
    ).add_to(m)
    draw_edits(m, scenario, lang)
    if draw:
        add_draw_tool(m, settings)
    return m


def draw_edits(m: folium.Map, scenario: Scenario, lang: str) -> None:
    """The scenario's edits in red: areas outlined, points as markers on top."""
    edits = edits_frame(scenario)
    areas = edits[edits.geom_type != "Point"]
    points = edits[edits.geom_type == "Point"]
    tooltip = {"nr": "Nr.", "edit": pick(lang, "Änderung", "Edit")}
    if len(areas):
        polygon_layer(
            areas,
            pick(lang, "Geplante Flächen", "Planned areas"),
            fill=EDIT_COLOUR,
            colour=EDIT_COLOUR,
            weight=3.0,
            fill_opacity=0.2,
            tooltip=tooltip,
        ).add_to(m)
    if len(points):
        point_layer(
            points,
            pick(lang, "Geplante Orte", "Planned places"),
            colour=EDIT_COLOUR,
            radius=7.0,
            tooltip=tooltip,
        ).add_to(m)


def add_draw_tool(m: folium.Map, settings: Settings) -> None:
    """Leaflet.draw's polygon tool, loaded from the app's own static files (offline)."""
    tool = Draw(
        draw_options={
            "polyline": False,
            "rectangle": False,
            "circle": False,
            "marker": False,
            "circlemarker": False,
            "polygon": {"allowIntersection": False, "showArea": True},
        },
        edit_options={"edit": False},
    )
    base = settings.static_url.rstrip("/") + "/leaflet-draw"
    tool.default_js = [("leaflet_draw_js", f"{base}/leaflet.draw.js")]
    tool.default_css = [("leaflet_draw_css", f"{base}/leaflet.draw.css")]
    tool.add_to(m)
