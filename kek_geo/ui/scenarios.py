"""Cached scenario comparisons for the Szenarien page (keyed by the scenario file's text)."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from kek_geo.indicators import REGISTRY, indicators_for
from kek_geo.scenario import geojson
from kek_geo.scenario.apply import ScenarioSource
from kek_geo.scenario.model import Scenario, ScenarioError
from kek_geo.settings import REPO_ROOT
from kek_geo.ui import cache
from kek_geo.ui.mapview import MapPayload, prepare_map
from kek_geo.ui.store import scenario_store
from kek_geo.views import scenarios as view

#: The example scenario shipped with the documentation (always offered).
EXAMPLE = REPO_ROOT / "docs" / "scenario-example.geojson"


@st.cache_data(show_spinner=False)
def _example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def example() -> Scenario:
    """The example scenario (the file is read once per process)."""
    return geojson.loads(_example_text(), origin=str(EXAMPLE))


@st.cache_data(show_spinner=False)
def example_fits(geodata_dir: str) -> bool:
    """Whether the shipped example scenario fits the snapshot's district."""
    del geodata_dir  # the cache key: one answer per snapshot
    try:
        ScenarioSource(cache.snapshot(), example())
    except ScenarioError:
        return False
    return True


def choices() -> dict[str, str]:
    """Scenario id → name: the saved scenarios, then the example where it fits the district."""
    out = {row.id: row.name for row in scenario_store().list()}
    ex = example()
    if example_fits(str(cache.settings().geodata_dir)):
        out.setdefault(ex.id, ex.name)
    return out


def load(scenario_id: str) -> Scenario | None:
    """A saved scenario (or the example) by id; ``None`` if unknown."""
    stored = scenario_store().get(scenario_id)
    if stored is not None:
        return stored
    ex = example()
    return ex if ex.id == scenario_id else None


@st.cache_data(show_spinner=False, max_entries=16)
def comparison(scenario_text: str) -> view.Comparison:
    """Every indicator today and under the scenario."""
    baseline = cache.indicator_table(tuple(i.key for i in indicators_for()))
    return view.compare(cache.snapshot(), geojson.loads(scenario_text), baseline)


@st.cache_data(show_spinner=False, max_entries=32)
def sentences(scenario_text: str, lang: str) -> list[str]:
    """Summary sentences."""
    return view.sentences(comparison(scenario_text), lang)


@st.cache_data(show_spinner=False, max_entries=16)
def cell_changes(scenario_text: str) -> dict[str, gpd.GeoDataFrame]:
    """Cells that gain or lose a stop catchment or a primary school (any indicator)."""
    snap = cache.snapshot()
    return view.cell_changes(snap, ScenarioSource(snap, geojson.loads(scenario_text)))


@st.cache_data(show_spinner=False, max_entries=32)
def maps(scenario_text: str, key: str, lang: str) -> tuple[MapPayload, MapPayload, MapPayload]:
    """Basis map, scenario map (same classes) and the difference map."""
    snap = cache.snapshot()
    settings = cache.settings()
    scenario = geojson.loads(scenario_text)
    source = ScenarioSource(snap, scenario)
    comp = comparison(scenario_text)
    ind = REGISTRY[key]
    classes = view.shared_classes(comp, key)
    base_map = view.value_map(
        snap, settings, indicator=ind, values=comp.baseline[key], classes=classes, lang=lang
    )
    scen_map = view.value_map(
        source,
        settings,
        indicator=ind,
        values=comp.scenario[key],
        classes=classes,
        lang=lang,
        scenario=scenario,
    )
    diff = view.difference_map(
        snap,
        source,
        settings,
        indicator=ind,
        comparison=comp,
        lang=lang,
        changes=cell_changes(scenario_text),
    )
    return (
        prepare_map(base_map, key="scenario-base"),
        prepare_map(scen_map, key="scenario-scen"),
        prepare_map(diff, key="scenario-diff"),
    )
