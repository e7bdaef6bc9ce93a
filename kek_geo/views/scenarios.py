"""The compare view: today ("Basis") and a scenario side by side, their difference, the deltas.

No Streamlit here: the page caches and lays out what these functions return.
"""

from __future__ import annotations

from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd

from kek_geo.analysis.base import LayerSource
from kek_geo.analysis.education import CHILDREN, primary_school_distance
from kek_geo.classes import Classes
from kek_geo.district import district_key
from kek_geo.i18n import fmt_number, pick, t
from kek_geo.indicators import REGISTRY, Indicator, compute_table, indicators_for
from kek_geo.indicators.education import PRIMARY_NEAR
from kek_geo.indicators.mobility import cell_access
from kek_geo.maps import Legend, SyncView, polygon_layer
from kek_geo.scenario.apply import ScenarioSource
from kek_geo.scenario.compare import changed_keys, scenario_table, signed, summary_sentences
from kek_geo.scenario.model import Scenario
from kek_geo.settings import DISPLAY_CRS, Settings
from kek_geo.thematic import choropleth, district_map, municipal_borders, value_classes
from kek_geo.views.scenario_editor import draw_edits

#: Diverging colours of the difference map: loss, none, gain.
LOSS, NONE, GAIN = "#ca0020", "#f7f7f7", "#0571b0"
#: The compare page's maps pan and zoom together.
SYNC_GROUP = "scenario-compare"


@dataclass(frozen=True)
class Comparison:
    """Baseline and scenario tables of every indicator, and what changed."""

    baseline: pd.DataFrame
    scenario: pd.DataFrame
    changed: tuple[str, ...]


def compare(
    base: LayerSource, scenario: Scenario, baseline: pd.DataFrame | None = None
) -> Comparison:
    """Every indicator for today and under the scenario (only touched ones recomputed).

    ``baseline`` is today's table of every indicator at default thresholds, if already known.
    """
    inds = indicators_for()
    baseline = compute_table(base, inds) if baseline is None else baseline
    table = scenario_table(base, scenario, inds, baseline=baseline)
    return Comparison(baseline, table, tuple(changed_keys(baseline, table, [i.key for i in inds])))


def sentences(comparison: Comparison, lang: str) -> list[str]:
    """One sentence per changed indicator."""
    return summary_sentences(comparison.baseline, comparison.scenario, comparison.changed, lang)


def shared_classes(comparison: Comparison, key: str) -> Classes:
    """One set of colour classes over both tables' municipal values (maps stay comparable)."""
    kreis = district_key(comparison.baseline.index)
    values = [
        *comparison.baseline[key].drop(index=kreis, errors="ignore"),
        *comparison.scenario[key].drop(index=kreis, errors="ignore"),
    ]
    return value_classes(REGISTRY[key], values)


def value_map(
    source: LayerSource,
    settings: Settings,
    *,
    indicator: Indicator,
    values: pd.Series,
    classes: Classes,
    lang: str,
    scenario: Scenario | None = None,
) -> folium.Map:
    """The municipalities coloured by an indicator (the scenario's edits drawn on top)."""
    m = district_map(source, settings, lang)
    layer, legend = choropleth(source, indicator, values, lang, classes=classes)
    layer.add_to(m)
    if scenario is not None:
        draw_edits(m, scenario, lang)
    m.add_child(legend)
    m.add_child(SyncView(SYNC_GROUP))
    return m


def _change(
    before_ids: npt.ArrayLike,
    before: npt.ArrayLike,
    after_cells: gpd.GeoDataFrame,
    after: npt.ArrayLike,
    columns: list[str],
) -> gpd.GeoDataFrame:
    """Cells whose flag turns on (+1) or off (−1) between two cell sets (new cells count)."""
    was = pd.Series(np.asarray(before, dtype=bool), index=np.asarray(before_ids))
    now = pd.Series(np.asarray(after, dtype=bool), index=after_cells["cell_id"].to_numpy())
    was = was[~was.index.duplicated()].reindex(now.index).fillna(value=False).astype(bool)
    cells = after_cells[["cell_id", *columns, "geometry"]].copy()
    cells["change"] = now.astype(int).to_numpy() - was.astype(int).to_numpy()
    return cells[cells["change"] != 0].reset_index(drop=True)


def catchment_change(base: LayerSource, source: LayerSource) -> gpd.GeoDataFrame:
    """100 m cells that gain (+1) or lose (−1) the stop catchment under a scenario.

    Parameters
    ----------
    base
        Today.
    source
        The scenario over today.

    Returns
    -------
    geopandas.GeoDataFrame
        ``cell_id``, ``population_est``, ``change`` (only cells that change), EPSG:25832.
    """
    before = cell_access(base)
    after = cell_access(source)
    return _change(
        before.cells["cell_id"],
        before.catchments({}).stop,
        after.cells,
        after.catchments({}).stop,
        ["population_est"],
    )


def school_change(
    base: LayerSource, source: LayerSource, radius: float = PRIMARY_NEAR.default
) -> gpd.GeoDataFrame:
    """100 m cells with children under 10 that come within (+1) or leave (−1) ``radius``.

    Parameters
    ----------
    base
        Today.
    source
        The scenario over today.
    radius
        Distance to the nearest primary school, metres (default: the Bildung threshold).

    Returns
    -------
    geopandas.GeoDataFrame
        ``cell_id``, ``children_u10``, ``change`` (only changing cells with children).
    """
    before_cells, before_dist, _ = primary_school_distance(base)
    after_cells, after_dist, _ = primary_school_distance(source)
    cells = _change(
        before_cells["cell_id"],
        before_dist <= radius,
        after_cells,
        after_dist <= radius,
        [CHILDREN],
    )
    return cells[cells[CHILDREN].fillna(0) > 0].reset_index(drop=True)


def _cell_layer(
    cells: gpd.GeoDataFrame, name: str, count: str, count_label: str, lang: str
) -> folium.GeoJson:
    """Changing cells, blue where they gain and red where they lose, with their counts."""
    cells = cells.to_crs(DISPLAY_CRS)
    cells["what"] = np.where(
        cells["change"] > 0,
        pick(lang, "neu in Reichweite", "newly within reach"),
        pick(lang, "nicht mehr in Reichweite", "no longer within reach"),
    )
    cells["people"] = [fmt_number(p, 0, lang) for p in cells[count]]
    cells["key"] = cells["change"].astype(str)
    return polygon_layer(
        cells,
        name,
        fill={"1": GAIN, "-1": LOSS},
        key="key",
        colour="#000000",
        weight=0.5,
        fill_opacity=0.9,
        tooltip={"what": pick(lang, "Zelle", "Cell"), "people": count_label},
    )


#: Cell layers of the difference map: the layers that trigger one, its count column, its
#: name and the label of its count.
CELL_CHANGES = {
    "stops": (
        frozenset({"stops", "rail_stations"}),
        "population_est",
        ("Zellen mit geänderter Haltestellen-Erreichbarkeit", "Cells whose stop access changes"),
        ("Einw.", "Residents"),
    ),
    "schools": (
        frozenset({"schools"}),
        CHILDREN,
        (
            "Zellen, deren Kinder neu im 1-km-Nahbereich einer Grundschule wohnen",
            "Cells whose children are newly within 1 km of a primary school",
        ),
        ("Kinder unter 10", "Children under 10"),
    ),
}


def cell_changes(base: LayerSource, source: ScenarioSource) -> dict[str, gpd.GeoDataFrame]:
    """The changing cells of each kind the scenario touches (independent of the indicator).

    ``"stops"``: cells gaining or losing the 600 m stop catchment (:func:`catchment_change`);
    ``"schools"``: cells whose children come within 1,000 m of a primary school
    (:func:`school_change`). Kinds without changing cells are left out.
    """
    compute = {"stops": catchment_change, "schools": school_change}
    out = {}
    for kind, (layers, *_rest) in CELL_CHANGES.items():
        if layers & source.touched:
            cells = compute[kind](base, source)
            if len(cells):
                out[kind] = cells
    return out


def cell_layers(changes: dict[str, gpd.GeoDataFrame], lang: str) -> list[folium.GeoJson]:
    """Map layers of :func:`cell_changes`."""
    layers = []
    for kind, cells in changes.items():
        _layers, count, name, label = CELL_CHANGES[kind]
        layers.append(_cell_layer(cells, pick(lang, *name), count, pick(lang, *label), lang))
    return layers


def gap_households_change(comparison: Comparison) -> pd.Series:
    """Change of the estimated households without gigabit per Gemeinde (and Kreis).

    Negative where households leave the gap; positive where new dwellings add households
    that have no gigabit.
    """
    key = "bb_not_gigabit_households"
    return comparison.scenario[key] - comparison.baseline[key]


def difference_map(
    base: LayerSource,
    source: ScenarioSource,
    settings: Settings,
    *,
    indicator: Indicator,
    comparison: Comparison,
    lang: str,
    changes: dict[str, gpd.GeoDataFrame] | None = None,
) -> folium.Map:
    """Change of an indicator per Gemeinde (diverging), plus the cells that gain or lose.

    ``changes`` are the scenario's :func:`cell_changes`, if already known.
    """
    m = district_map(base, settings, lang)
    delta = comparison.scenario[indicator.key] - comparison.baseline[indicator.key]
    gem = base.geo("gemeinden_display")[["ags", "name", "geometry"]].copy()
    values = gem["ags"].astype(str).map(delta).astype("float64")
    good = indicator.higher_is_better is not False
    colours = {
        str(a): (GAIN if (v > 0) == good else LOSS) if abs(v) > 1e-9 else NONE
        for a, v in zip(gem["ags"], values.fillna(0.0), strict=True)
    }
    unit = f" {indicator.unit_in(lang)}" if indicator.unit else ""
    gem["delta"] = [f"{signed(v, indicator.decimals, lang)}{unit}" for v in values]
    gem["key"] = gem["ags"].astype(str)
    tooltip = {"name": t("overview.municipality", lang), "delta": pick(lang, "Änderung", "Change")}
    if "broadband" in source.touched:
        gap = gem["ags"].astype(str).map(gap_households_change(comparison))
        gem["gap"] = [signed(v, 0, lang) for v in gap]
        tooltip["gap"] = pick(
            lang,
            "Haushalte ohne Gigabit (Änderung, geschätzt)",
            "Households without gigabit (change, est.)",
        )
    polygon_layer(
        gem,
        pick(lang, "Änderung je Gemeinde", "Change per municipality"),
        fill=colours,
        key="key",
        colour="#333333",
        weight=1.2,
        fill_opacity=0.55,
        tooltip=tooltip,
    ).add_to(m)
    changes = cell_changes(base, source) if changes is None else changes
    layers = cell_layers(changes, lang)
    for layer in layers:
        layer.add_to(m)
    draw_edits(m, source.scenario, lang)
    municipal_borders(base, m, lang)
    better = pick(lang, "besser als heute", "better than today")
    worse = pick(lang, "schlechter als heute", "worse than today")
    entries = [(GAIN, better), (LOSS, worse), (NONE, pick(lang, "unverändert", "unchanged"))]
    if indicator.higher_is_better is None:
        entries = [
            (GAIN, pick(lang, "mehr", "more")),
            (NONE, pick(lang, "unverändert", "unchanged")),
        ]
    note = pick(
        lang,
        "Zellen: blau neu in Reichweite, rot nicht mehr",
        "Cells: blue newly within reach, red no longer",
    )
    note = note if layers else ""
    legend = Legend(pick(lang, "Änderung: ", "Change: ") + indicator.name(lang), entries, note)
    m.add_child(legend)
    m.add_child(SyncView(SYNC_GROUP))
    return m


def display_deltas(comparison: Comparison, key: str, lang: str) -> pd.DataFrame:
    """The delta table of one indicator in plain figures (German number format)."""
    ind = REGISTRY[key]
    unit = f" {ind.unit_in(lang)}" if ind.unit else ""
    before = comparison.baseline[key]
    after = comparison.scenario[key]
    return pd.DataFrame(
        {
            t("overview.municipality", lang): comparison.baseline["gemeinde"].to_numpy(),
            pick(lang, "Basis (heute)", "Baseline (today)"): [
                fmt_number(v, ind.decimals, lang) + unit for v in before
            ],
            pick(lang, "Szenario", "Scenario"): [
                fmt_number(v, ind.decimals, lang) + unit for v in after
            ],
            pick(lang, "Änderung", "Change"): [
                signed(v, ind.decimals, lang) + unit for v in after - before
            ],
        }
    )
