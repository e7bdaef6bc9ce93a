"""Widgets of the scenario editor: the draft lives in the session as interchange text."""

from __future__ import annotations

from typing import Any

import streamlit as st
from shapely.geometry import Point

from kek_geo.i18n import pick, register_texts, t
from kek_geo.scenario import geojson
from kek_geo.scenario.apply import ScenarioSource
from kek_geo.scenario.model import MAX_DWELLINGS, Scenario, ScenarioError
from kek_geo.ui import cache
from kek_geo.ui.mapview import MapPayload, prepare_map
from kek_geo.views.scenario_editor import editor_map, gemeinde_names, stop_names

register_texts(
    {
        "edit.title": ("Szenario bearbeiten", "Edit a scenario"),
        "edit.intro": (
            "Planen Sie Änderungen auf der Karte: Haltestellen, Schulen, Baugebiete, "
            "Breitband. Gespeicherte Szenarien lassen sich mit „Heute“ vergleichen.",
            "Plan changes on the map: stops, schools, building areas, broadband. Saved "
            "scenarios can be compared with today.",
        ),
        "edit.choose": ("Szenario", "Scenario"),
        "edit.new": ("Neues Szenario", "New scenario"),
        "edit.name": ("Name des Szenarios", "Name of the scenario"),
        "edit.item_name": (
            "Name der neuen Haltestelle, Schule oder Fläche",
            "Name of the new stop, school or area",
        ),
        "edit.description": ("Beschreibung", "Description"),
        "edit.author": ("Verfasst von (z. B. Planungsamt)", "Author (e.g. planning office)"),
        "edit.kind": ("Art der Änderung", "Kind of edit"),
        "edit.click": ("Angeklickter Punkt", "Clicked point"),
        "edit.no_click": ("Noch kein Punkt angeklickt.", "No point clicked yet."),
        "edit.add": ("Änderung hinzufügen", "Add edit"),
        "edit.added": ("Änderung {n} hinzugefügt.", "Edit {n} added."),
        "edit.list": ("Änderungen", "Edits"),
        "edit.none": ("Noch keine Änderungen.", "No edits yet."),
        "edit.delete": ("Löschen", "Delete"),
        "edit.save": ("Speichern", "Save"),
        "edit.saved": (
            "Gespeichert. Vergleich: [Szenarien](szenarien?szenario={id})",
            "Saved. Compare: [Scenarios](szenarien?szenario={id})",
        ),
        "edit.download": ("Als GeoJSON herunterladen", "Download as GeoJSON"),
        "edit.upload": ("Szenario-Datei laden (GeoJSON)", "Load a scenario file (GeoJSON)"),
        "edit.stop": ("Haltestelle (nächste zum Klick)", "Stop (nearest to the click)"),
        "edit.no_stop": (
            "Keine Haltestelle im Umkreis von 300 m des Klicks.",
            "No stop within 300 m of the click.",
        ),
        "edit.mode": ("Verkehrsmittel", "Mode"),
        "edit.stop_to_move": (
            "Haltestelle, die verschoben wird (neuer Ort: Klick in die Karte)",
            "Stop to move (new place: click the map)",
        ),
        "edit.school_type": ("Schulform", "School type"),
        "edit.school.Grundschule": ("Grundschule", "Primary school"),
        "edit.school.Realschule": ("Realschule", "Realschule (secondary school)"),
        "edit.school.Gymnasium": ("Gymnasium", "Gymnasium (grammar school)"),
        "edit.school.Gesamtschule": ("Gesamtschule", "Gesamtschule (comprehensive school)"),
        "edit.dwellings": ("Wohnungen", "Dwellings"),
        "edit.draw_hint": (
            "Zeichnen Sie das Gebiet mit dem Polygon-Werkzeug links oben in der Karte.",
            "Draw the area with the polygon tool at the top left of the map.",
        ),
        "edit.drawn": ("Gezeichnetes Polygon übernommen.", "Drawn polygon taken."),
        "edit.area": ("Gebiet", "Area"),
        "edit.area_drawn": ("Gezeichnetes Polygon", "Drawn polygon"),
        "edit.segment": ("Bereich", "Segment"),
        "edit.bandwidth": ("Bandbreite (Mbit/s)", "Bandwidth (Mbit/s)"),
        "edit.target": ("Ziel: versorgter Anteil (%)", "Target: share covered (%)"),
    }
)

DRAFT = "scenario_draft"
SEGMENT_LABELS = {
    "households": ("Haushalte", "Households"),
    "businesses": ("Unternehmen", "Businesses"),
    "commercial_areas": ("Gewerbegebiete", "Commercial areas"),
}


def draft() -> Scenario:
    """The scenario being edited in this session."""
    text = st.session_state.get(DRAFT)
    return geojson.loads(text) if text else Scenario(name="Neues Szenario")


def set_draft(scenario: Scenario) -> None:
    """Keep a scenario as this session's draft."""
    st.session_state[DRAFT] = geojson.dumps(scenario)


def try_edits(scenario: Scenario, lang: str) -> bool:
    """Validate a scenario on the data; show the message and return ``False`` if invalid."""
    try:
        ScenarioSource(cache.snapshot(), scenario)
    except ScenarioError as exc:
        st.error(exc.message(lang))
        return False
    return True


@st.cache_data(show_spinner=False, max_entries=16)
def editor_payload(draft_text: str, lang: str, draw: bool) -> MapPayload:
    """The editor's map for a draft (cached by its interchange text)."""
    scenario = geojson.loads(draft_text)
    source = ScenarioSource(cache.snapshot(), scenario)
    m = editor_map(source, cache.settings(), scenario, lang, draw=draw)
    return prepare_map(m, key=f"editor-{draw}")


@st.cache_data(show_spinner=False)
def stop_choices() -> dict[str, str]:
    """Stops of the Kreis by id, sorted by name."""
    return stop_names(cache.snapshot())


@st.cache_data(show_spinner=False)
def gemeinde_choices() -> dict[str, str]:
    """Gemeinden by AGS, sorted by name."""
    return gemeinde_names(cache.snapshot())


def clicked_point(value: dict[str, Any] | None) -> Point | None:
    """The last click on the map (CRS84), if any."""
    click = (value or {}).get("last_clicked")
    if not click:
        return None
    return Point(float(click["lng"]), float(click["lat"]))


#: School types a scenario can add, as the official school list names them (stored so).
SCHOOL_TYPES = ("Grundschule", "Realschule", "Gymnasium", "Gesamtschule")


def school_type_label(school_type: str, lang: str) -> str:
    """Display name of a school type (the German name is the stored value)."""
    return t(f"edit.school.{school_type}", lang)


def segment_label(segment: str, lang: str) -> str:
    """Display name of a broadband segment."""
    de, en = SEGMENT_LABELS[segment]
    return pick(lang, de, en)


def bounded(value: int) -> int:
    """Dwellings within the allowed range."""
    return max(1, min(MAX_DWELLINGS, int(value)))


__all__ = [
    "SCHOOL_TYPES",
    "bounded",
    "clicked_point",
    "draft",
    "editor_payload",
    "gemeinde_choices",
    "school_type_label",
    "segment_label",
    "set_draft",
    "stop_choices",
    "try_edits",
]
