"""Scenarios: named lists of edits on the baseline, applied as just another layer source.

A :class:`~kek_geo.scenario.model.Scenario` is pure data (serialisable to the GeoJSON
interchange file of :mod:`kek_geo.scenario.geojson`). :class:`~kek_geo.scenario.apply.
ScenarioSource` applies it over the snapshot, so every indicator of the registry recomputes
through the same code; :mod:`kek_geo.scenario.compare` computes only what the edits touch.
"""

from kek_geo.scenario.model import (
    EDIT_TYPES,
    AddSchool,
    AddStop,
    BroadbandTarget,
    BuildingArea,
    Edit,
    MoveStop,
    RemoveStop,
    Scenario,
    ScenarioError,
)

__all__ = [
    "EDIT_TYPES",
    "AddSchool",
    "AddStop",
    "BroadbandTarget",
    "BuildingArea",
    "Edit",
    "MoveStop",
    "RemoveStop",
    "Scenario",
    "ScenarioError",
]
