"""Apply a scenario over the baseline: a layer source whose edited layers are rebuilt.

:class:`ScenarioSource` answers ``layer``/``geo``/``extra`` like the snapshot; only the layers
the edits touch (:func:`touched_layers`) differ, so every indicator recomputes through the
registry unchanged. All edits are validated against the baseline (and the edits before them)
when the source is made; an invalid edit raises :class:`~kek_geo.scenario.model.ScenarioError`
and nothing is applied.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyproj
import shapely
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from kek_geo.analysis.base import LayerSource
from kek_geo.analysis.broadband import broadband_table, estimated_households, latest_release
from kek_geo.district import district_key
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
    edit_geometry,
)
from kek_geo.settings import ANALYSIS_CRS, GRID_CRS

#: Snapshot layers (and imports) each edit type changes.
EDIT_LAYERS: dict[str, frozenset[str]] = {
    "add_stop": frozenset({"stops", "rail_stations"}),
    "remove_stop": frozenset({"stops", "rail_stations"}),
    "move_stop": frozenset({"stops", "rail_stations"}),
    "building_area": frozenset({"grid_100m", "grid_1km", "gemeinden"}),
    "broadband": frozenset({"broadband", "broadband_releases"}),
    "add_school": frozenset({"schools"}),
}
#: Category given to a new rail station (DB Station&Service 1–7; 6 = small halt).
NEW_STATION_CATEGORY = 6
#: Smallest and largest building area (m²).
MIN_AREA_M2 = 100.0
MAX_AREA_M2 = 10_000_000.0
#: Aggregate broadband measures raised by a target (plus FTTH/B for gigabit targets).
BROADBAND_TECHNOLOGIES = ("all", "wired")
CELL = 100.0
#: Smallest part of a cell counted as covered (m²).
MIN_PART_M2 = 1.0


def touched_layers(edits: Iterable[Edit]) -> frozenset[str]:
    """Layers (and imports) the edits change.

    Parameters
    ----------
    edits
        The edits.

    Returns
    -------
    frozenset of str
        Layer and import names.
    """
    out: set[str] = set()
    for edit in edits:
        out |= EDIT_LAYERS[edit.kind]
    return frozenset(out)


@cache
def _to_analysis() -> Callable[..., Any]:
    return pyproj.Transformer.from_crs("OGC:CRS84", ANALYSIS_CRS, always_xy=True).transform


@cache
def _analysis_to_grid() -> Callable[..., Any]:
    return pyproj.Transformer.from_crs(ANALYSIS_CRS, GRID_CRS, always_xy=True).transform


@cache
def _grid_to_analysis() -> Callable[..., Any]:
    return pyproj.Transformer.from_crs(GRID_CRS, ANALYSIS_CRS, always_xy=True).transform


def transform(func: Callable[..., Any], geom: BaseGeometry) -> BaseGeometry:
    """A geometry with a pyproj transform applied to its coordinates."""

    def apply(xy: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        x, y = func(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    out: BaseGeometry = shapely.transform(geom, apply)
    return out


def project(geom: BaseGeometry) -> BaseGeometry:
    """A CRS84 geometry in the analysis CRS (EPSG:25832)."""
    return transform(_to_analysis(), geom)


class ScenarioSource:
    """The baseline with a scenario's edits applied; a :class:`LayerSource` like the snapshot.

    Attributes the snapshot has beyond the protocol (manifest, records, attribution) are
    passed through to the baseline.

    Parameters
    ----------
    base
        The baseline (the snapshot).
    scenario
        The scenario; its edits are validated here.
    """

    def __init__(self, base: LayerSource, scenario: Scenario) -> None:
        self.base = base
        self.scenario = scenario
        self.touched = touched_layers(scenario.edits)
        self._layers: dict[str, pd.DataFrame] = {}
        self._projected: list[BaseGeometry | None] = []
        self._validate()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.base, name)

    # ------------------------------------------------------------ LayerSource

    def layer(self, name: str) -> pd.DataFrame:
        """A layer with the edits applied (the baseline's own frame where none touch it)."""
        if name not in self.touched:
            return self.base.layer(name)
        if name not in self._layers:
            self._build(name)
        return self._layers[name]

    def geo(self, name: str) -> gpd.GeoDataFrame:
        """A geo layer with the edits applied."""
        df = self.layer(name)
        assert isinstance(df, gpd.GeoDataFrame)
        return df

    def extra(self, name: str) -> Any:
        """An import; imported broadband releases are already part of the edited table."""
        if name == "broadband_releases" and "broadband" in self.touched:
            return None
        return self.base.extra(name)

    # ------------------------------------------------------------ validation

    def _validate(self) -> None:
        kreis = shapely.unary_union(self.base.geo("kreis").geometry.to_numpy()).buffer(1.0)
        ags = set(self.base.layer("gemeinden")["ags"].astype(str))
        stops = set(self.base.layer("stops")["stop_id"].astype(str))
        stops |= set(self.base.layer("rail_stations")["eva"].astype(str))
        removed: set[str] = set()
        for pos, edit in enumerate(self.scenario.edits, start=1):
            self._projected.append(self._check(pos, edit, kreis, (ags, stops, removed)))

    @staticmethod
    def _check(
        pos: int,
        edit: Edit,
        kreis: BaseGeometry,
        known: tuple[set[str], set[str], set[str]],
    ) -> BaseGeometry | None:
        ags, stops, removed = known

        def fail(en: str, de: str) -> ScenarioError:
            return ScenarioError(pos, edit.kind, en, de)

        if isinstance(edit, RemoveStop | MoveStop):
            if edit.stop_id not in stops:
                raise fail(
                    f"unknown stop id {edit.stop_id!r}", f"unbekannte Haltestelle {edit.stop_id!r}"
                )
            if edit.stop_id in removed:
                raise fail(
                    f"stop {edit.stop_id!r} was removed by an earlier edit",
                    f"Haltestelle {edit.stop_id!r} wurde schon entfernt",
                )
            if isinstance(edit, RemoveStop):
                removed.add(edit.stop_id)
                return None
        if isinstance(edit, BroadbandTarget) and edit.ags is not None:
            if edit.ags not in ags:
                raise fail(
                    f"unknown AGS {edit.ags!r}", f"unbekannter Gemeindeschlüssel {edit.ags!r}"
                )
            return None
        geom = edit_geometry(edit)
        if geom is None:
            return None
        projected = project(geom)
        if not kreis.covers(projected):
            raise fail("lies outside the Kreis", "liegt außerhalb des Kreises")
        if isinstance(edit, BuildingArea | BroadbandTarget):
            area = projected.area
            if not MIN_AREA_M2 <= area <= MAX_AREA_M2:
                raise fail(
                    f"area {area:,.0f} m² is outside 100 m² … 10 km²",
                    f"Fläche {area:,.0f} m² liegt nicht zwischen 100 m² und 10 km²",
                )
        return projected

    # ------------------------------------------------------------ building layers

    def _build(self, name: str) -> None:
        if name in {"stops", "rail_stations"}:
            self._build_stops()
        elif name in {"grid_100m", "grid_1km", "gemeinden"}:
            self._build_population()
        elif name == "broadband":
            self._layers["broadband"] = self._edited_broadband()
        elif name == "schools":
            self._layers["schools"] = self._edited_schools()
        else:
            self._layers[name] = self.base.layer(name)

    def _edits(self, kinds: tuple[type, ...]) -> list[tuple[int, Edit, Any]]:
        return [
            (pos, e, g)
            for pos, (e, g) in enumerate(zip(self.scenario.edits, self._projected, strict=True), 1)
            if isinstance(e, kinds)
        ]

    def _gemeinde_at(self, point: BaseGeometry) -> str | None:
        gem = self.base.geo("gemeinden")
        hit = gem[gem.geometry.covers(point)]
        return str(hit["ags"].iloc[0]) if len(hit) else None

    def _build_stops(self) -> None:
        stops = self.base.geo("stops").copy()
        rail = self.base.geo("rail_stations").copy()
        for pos, edit, geom in self._edits((AddStop, RemoveStop, MoveStop)):
            if isinstance(edit, AddStop):
                stops, rail = self._add_stop(stops, rail, pos, edit, geom)
            elif isinstance(edit, RemoveStop):
                sid = edit.stop_id
                stops = stops[(stops["stop_id"] != sid) & (stops["parent_id"].fillna("") != sid)]
                rail = rail[rail["eva"] != sid]
            elif isinstance(edit, MoveStop):
                sid = edit.stop_id
                hit = (stops["stop_id"] == sid) | (stops["parent_id"].fillna("") == sid)
                stops.loc[hit, "geometry"] = geom
                rail.loc[rail["eva"] == sid, "geometry"] = geom
        self._layers["stops"] = stops.reset_index(drop=True)
        self._layers["rail_stations"] = rail.reset_index(drop=True)

    def _add_stop(
        self,
        stops: gpd.GeoDataFrame,
        rail: gpd.GeoDataFrame,
        pos: int,
        edit: AddStop,
        geom: BaseGeometry,
    ) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
        sid = f"scenario-{pos}"
        ags = self._gemeinde_at(geom)
        name = edit.name or f"Neue Haltestelle {pos}"
        row = {
            "stop_id": sid,
            "name": name,
            "kind": "station",
            "parent_id": pd.NA,
            "mode": edit.mode,
            "in_kreis": True,
            "ags": ags,
            "station_category": float(NEW_STATION_CATEGORY) if edit.mode == "rail" else np.nan,
        }
        stops = _append(stops, row, geom)
        if edit.mode == "rail":
            station = {
                "eva": sid,
                "name": name,
                "category": NEW_STATION_CATEGORY,
                "step_free": "yes",
                "in_kreis": True,
                "ags": ags,
            }
            rail = _append(rail, station, geom)
        return stops, rail

    def _edited_schools(self) -> gpd.GeoDataFrame:
        schools = self.base.geo("schools").copy()
        for pos, edit, geom in self._edits((AddSchool,)):
            assert isinstance(edit, AddSchool)
            ags = self._gemeinde_at(geom)
            row = {
                "school_id": f"scenario-{pos}",
                "name": edit.name or f"Neue {edit.school_type} {pos}",
                "school_type": edit.school_type,
                "pupils": np.nan,
                "social_index": np.nan,
                "ags": ags,
                "street": "",
                "postcode": "",
                "town": "",
                "legal_status": "Öffentlich",
                "startchancen": False,
                "ags_location": ags,
            }
            schools = _append(schools, row, geom)
        return schools.reset_index(drop=True)

    def _build_population(self) -> None:
        cells = self.base.geo("grid_100m").copy()
        km = self.base.geo("grid_1km").copy()
        gem = self.base.geo("gemeinden").copy()
        for _pos, edit, geom in self._edits((BuildingArea,)):
            assert isinstance(edit, BuildingArea)
            cells, km, gem = add_building_area(cells, km, gem, edit, geom)
        self._layers["grid_100m"] = cells
        self._layers["grid_1km"] = km
        self._layers["gemeinden"] = gem

    def _edited_broadband(self) -> pd.DataFrame:
        table = broadband_table(self.base).copy()
        households = estimated_households(self.base.layer("gemeinden"))
        for _pos, edit, geom in self._edits((BroadbandTarget,)):
            assert isinstance(edit, BroadbandTarget)
            fractions = (
                {edit.ags: 1.0}
                if edit.ags is not None
                else covered_fractions(self.base.geo("grid_100m"), geom)
            )
            table = raise_broadband(table, edit, fractions, households)
        return table


def _append(frame: gpd.GeoDataFrame, row: dict[str, Any], geom: BaseGeometry) -> gpd.GeoDataFrame:
    new = gpd.GeoDataFrame([row], geometry=[geom], crs=frame.crs)
    for col in frame.columns:
        if col in new.columns and col != "geometry":
            new[col] = new[col].astype(frame[col].dtype)
    return gpd.GeoDataFrame(
        pd.concat([frame, new[frame.columns]], ignore_index=True), crs=frame.crs
    )


# ---------------------------------------------------------------- building areas (pure)


def covered_cells(polygon: BaseGeometry) -> gpd.GeoDataFrame:
    """The 100 m Zensus cells a polygon covers, with the covered fraction of the polygon.

    Parameters
    ----------
    polygon
        Polygon in EPSG:25832.

    Returns
    -------
    geopandas.GeoDataFrame
        ``cell_id``, ``cell_1km``, ``weight`` (fractions summing to 1) and the cell squares
        in EPSG:25832.
    """
    in_grid = transform(_analysis_to_grid(), polygon)
    x0, y0, x1, y1 = in_grid.bounds
    xs = np.arange(np.floor(x0 / CELL) * CELL, x1, CELL)
    ys = np.arange(np.floor(y0 / CELL) * CELL, y1, CELL)
    rows = []
    for x in xs:
        for y in ys:
            part = in_grid.intersection(box(x, y, x + CELL, y + CELL)).area
            if part > MIN_PART_M2:  # not a sliver left by reprojection
                rows.append((int(x), int(y), part))
    total = sum(r[2] for r in rows)
    squares = [transform(_grid_to_analysis(), box(x, y, x + CELL, y + CELL)) for x, y, _ in rows]
    return gpd.GeoDataFrame(
        {
            "cell_id": [f"CRS3035RES100mN{y}E{x}" for x, y, _ in rows],
            "cell_1km": [
                f"CRS3035RES1000mN{y // 1000 * 1000}E{x // 1000 * 1000}" for x, y, _ in rows
            ],
            "weight": [r[2] / total for r in rows],
        },
        geometry=squares,
        crs=ANALYSIS_CRS,
    )


def age_shares(cells: pd.DataFrame, ags: str) -> tuple[float, float]:
    """Shares of children under 10 and people 80+ among a Gemeinde's residents (100 m grid)."""
    mine = cells[cells["ags"].astype(str) == ags]
    pop = float(mine["population_est"].sum())
    if pop <= 0:
        return 0.0, 0.0
    return float(mine["children_u10"].sum()) / pop, float(mine["people_80plus"].sum()) / pop


def add_building_area(
    cells: gpd.GeoDataFrame,
    km: gpd.GeoDataFrame,
    gem: gpd.GeoDataFrame,
    edit: BuildingArea,
    polygon: BaseGeometry,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """New residents of a building area added to the 100 m and 1 km grids and the Gemeinde.

    Residents = dwellings × the household size of the Gemeinde that holds most of the
    polygon, spread over the covered 100 m cells by covered area (new cells where none
    exist); children under 10 and people 80+ with the Gemeinde's shares unless given; the
    1 km cells get their age bands with the Gemeinde's Zensus 2022 shares.

    Parameters
    ----------
    cells, km, gem
        Copies of ``grid_100m``, ``grid_1km`` and ``gemeinden`` (changed and returned).
    edit
        The building area.
    polygon
        Its polygon in EPSG:25832.

    Returns
    -------
    tuple
        The three layers.
    """
    overlap = gem.geometry.intersection(polygon).area
    row = gem.loc[overlap.idxmax()]
    ags = str(row["ags"])
    residents = edit.dwellings * float(row["household_size"])
    u10, p80 = age_shares(cells, ags)
    u10 = u10 if edit.share_u10 is None else edit.share_u10
    p80 = p80 if edit.share_80plus is None else edit.share_80plus
    cover = covered_cells(polygon)
    add = pd.DataFrame(
        {
            "population_est": cover["weight"] * residents,
            "dwellings": cover["weight"] * edit.dwellings,
            "children_u10": cover["weight"] * residents * u10,
            "people_80plus": cover["weight"] * residents * p80,
        }
    ).set_index(cover["cell_id"])
    cells = _add_to_cells(cells, cover, add, ags)
    km = _add_to_km(km, cover, residents, row)
    at = gem.index[gem["ags"].astype(str) == ags][0]
    gem.loc[at, "population"] = round(float(gem.loc[at, "population"]) + residents)
    gem.loc[at, "dwellings"] = float(gem.loc[at, "dwellings"]) + edit.dwellings
    gem.loc[at, "grid_population"] = float(gem.loc[at, "grid_population"]) + residents
    return cells, km, gem


def _add_to_cells(
    cells: gpd.GeoDataFrame, cover: gpd.GeoDataFrame, add: pd.DataFrame, ags: str
) -> gpd.GeoDataFrame:
    # positions through an index: isin on Arrow strings is slow (~0.1 s for 9,000 cells)
    pos = pd.Index(cells["cell_id"]).get_indexer(add.index)
    known = pos >= 0
    rows = cells.index[pos[known]]
    for col in add.columns:
        current = cells.loc[rows, col].fillna(0.0).astype("float64").to_numpy()
        cells.loc[rows, col] = current + add[col].to_numpy()[known]
    fresh = cover[~known]
    if len(fresh) == 0:
        return cells
    new = gpd.GeoDataFrame(
        {
            col: pd.Series(np.nan, index=range(len(fresh)))
            for col in cells.columns
            if col != "geometry"
        },
        geometry=fresh.geometry.to_numpy(),
        crs=cells.crs,
    )
    new["cell_id"] = fresh["cell_id"].to_numpy()
    new["cell_1km"] = fresh["cell_1km"].to_numpy()
    new["ags"] = ags
    for col in add.columns:
        new[col] = add.loc[fresh["cell_id"], col].to_numpy()
    for col in cells.columns:
        if col != "geometry":
            new[col] = new[col].astype(cells[col].dtype)
    return gpd.GeoDataFrame(pd.concat([cells, new], ignore_index=True), crs=cells.crs)


def _add_to_km(
    km: gpd.GeoDataFrame, cover: gpd.GeoDataFrame, residents: float, gemeinde: pd.Series
) -> gpd.GeoDataFrame:
    per_km = (cover["weight"] * residents).groupby(cover["cell_1km"].to_numpy()).sum()
    u15 = float(gemeinde["share_u15"]) / 100.0
    p65 = float(gemeinde["share_65plus"]) / 100.0
    positions = pd.Index(km["cell_id"]).get_indexer(per_km.index)
    for position, people in zip(positions, per_km.to_numpy(), strict=True):
        if position < 0:
            continue
        at = km.index[position]
        for col, share in (
            ("population", 1.0),
            ("people_u15", u15),
            ("people_65plus", p65),
            ("people_15_64", 1.0 - u15 - p65),
            ("population_in_kreis", 1.0),
        ):
            km.loc[at, col] = float(np.nan_to_num(km.loc[at, col])) + people * share
        pop = float(km.loc[at, "population"])
        km.loc[at, "share_u15"] = float(km.loc[at, "people_u15"]) / pop * 100.0
        km.loc[at, "share_65plus"] = float(km.loc[at, "people_65plus"]) / pop * 100.0
    return km


# ---------------------------------------------------------------- broadband (pure)


def covered_fractions(cells: pd.DataFrame, polygon: BaseGeometry) -> dict[str, float]:
    """Share of each Gemeinde's residents (100 m estimate) whose cell centre lies in a polygon.

    Parameters
    ----------
    cells
        ``grid_100m``.
    polygon
        Polygon in EPSG:25832.

    Returns
    -------
    dict
        AGS → fraction (only Gemeinden with residents inside).
    """
    centres = shapely.centroid(cells.geometry.to_numpy())
    inside = shapely.contains_xy(polygon, shapely.get_x(centres), shapely.get_y(centres))
    pop = cells["population_est"].astype("float64")
    total = pop.groupby(cells["ags"].astype(str)).sum()
    within = pop[inside].groupby(cells["ags"].astype(str)[inside]).sum()
    return {str(a): float(within[a] / total[a]) for a in within.index if total[a] > 0}


def raise_broadband(
    table: pd.DataFrame,
    edit: BroadbandTarget,
    fractions: dict[str, float],
    households: pd.Series,
) -> pd.DataFrame:
    """Broadband shares raised towards a target in the newest release of a segment.

    For each Gemeinde with a covered fraction ``f`` (1 for a whole Gemeinde), every
    aggregate measure (all technologies, wired; FTTH/B too for a gigabit target) at or below
    the target bandwidth becomes ``max(old, old + (target − old) × f)``: the covered part
    reaches the target share, the rest keeps today's share. Shares never go down. The
    published Kreis value rises by the changes weighted with the estimated households (also
    for businesses and commercial areas, which have no weights of their own).

    Parameters
    ----------
    table
        Tidy broadband table (changed copy returned).
    edit
        The target.
    fractions
        AGS → covered fraction.
    households
        Estimated households by AGS (weights of the Kreis value).

    Returns
    -------
    pandas.DataFrame
        The table.
    """
    out = table.copy()
    release = latest_release(out, edit.segment)
    techs = [*BROADBAND_TECHNOLOGIES, *(["ftth_b"] if edit.bandwidth >= 1000 else [])]
    base = (
        (out["release"] == release)
        & (out["segment"] == edit.segment)
        & out["technology"].isin(techs)
        & (out["threshold_mbit"] <= edit.bandwidth)
    )
    total = float(households.sum())
    kreis_gain: pd.Series | None = None
    for ags, frac in fractions.items():
        rows = base & (out["ags"] == ags)
        old = out.loc[rows, "share_pct"].astype("float64")
        new = np.maximum(old, old + (edit.target_share - old) * frac)
        out.loc[rows, "share_pct"] = new
        keys = pd.MultiIndex.from_frame(out.loc[rows, ["technology", "threshold_mbit"]])
        gain = pd.Series((new - old).to_numpy() * float(households.get(ags, 0.0)) / total, keys)
        kreis_gain = gain if kreis_gain is None else kreis_gain.add(gain, fill_value=0.0)
    kreis_rows = base & (out["ags"] == district_key(households.index))
    if kreis_gain is not None and kreis_rows.any():
        keys = pd.MultiIndex.from_frame(out.loc[kreis_rows, ["technology", "threshold_mbit"]])
        add = kreis_gain.reindex(keys).fillna(0.0).to_numpy()
        out.loc[kreis_rows, "share_pct"] = out.loc[kreis_rows, "share_pct"].to_numpy() + add
    return out


__all__ = [
    "EDIT_LAYERS",
    "ScenarioSource",
    "add_building_area",
    "covered_cells",
    "covered_fractions",
    "project",
    "raise_broadband",
    "touched_layers",
]
