"""The scenario interchange file: a GeoJSON FeatureCollection in CRS84.

Top-level members ``"kek_scenario": 1``, ``"name"``, ``"description"`` (and ``"id"``,
``"author"``, ``"created"``, ``"updated"`` when known); one Feature per edit whose
``properties.edit`` is the edit type and whose other properties are its parameters. The
format is documented in the README, with ``docs/scenario-example.geojson``.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry

from kek_geo.fileio import write_file
from kek_geo.scenario.model import (
    BANDWIDTHS,
    EDIT_TYPES,
    MAX_DESCRIPTION,
    MAX_DWELLINGS,
    SEGMENTS,
    STOP_MODES,
    AddSchool,
    AddStop,
    BroadbandTarget,
    BuildingArea,
    Edit,
    MoveStop,
    RemoveStop,
    Scenario,
    ScenarioError,
    StopMode,
    clean_text,
    edit_geometry,
)

#: Version of the interchange format written and read.
FORMAT_VERSION = 1
#: Largest scenario file read (bytes).
MAX_FILE_BYTES = 5_000_000
#: Most edits in one scenario.
MAX_EDITS = 500


# ---------------------------------------------------------------- writing


def edit_properties(edit: Edit) -> dict[str, Any]:
    """The ``properties`` of an edit's Feature (``edit`` first, no geometry).

    Parameters
    ----------
    edit
        The edit.

    Returns
    -------
    dict
        JSON-ready parameters.
    """
    props: dict[str, Any] = {"edit": edit.kind}
    if isinstance(edit, AddStop):
        props |= {"mode": edit.mode, "name": edit.name}
    elif isinstance(edit, RemoveStop | MoveStop):
        props["stop_id"] = edit.stop_id
    elif isinstance(edit, BuildingArea):
        props |= {"dwellings": edit.dwellings, "name": edit.name}
        if edit.share_u10 is not None:
            props["share_u10"] = edit.share_u10
        if edit.share_80plus is not None:
            props["share_80plus"] = edit.share_80plus
    elif isinstance(edit, BroadbandTarget):
        props |= {
            "segment": edit.segment,
            "bandwidth": edit.bandwidth,
            "target_share": edit.target_share,
        }
        if edit.ags is not None:
            props["ags"] = edit.ags
    else:
        props |= {"school_type": edit.school_type, "name": edit.name}
    return props


def edit_feature(edit: Edit) -> dict[str, Any]:
    """One edit as a GeoJSON Feature (geometry ``null`` where the edit has none)."""
    geom = edit_geometry(edit)
    return {
        "type": "Feature",
        "geometry": None if geom is None else mapping(geom),
        "properties": edit_properties(edit),
    }


def to_geojson(scenario: Scenario) -> dict[str, Any]:
    """A scenario as the interchange FeatureCollection.

    Parameters
    ----------
    scenario
        The scenario.

    Returns
    -------
    dict
        JSON-ready FeatureCollection.
    """
    return {
        "type": "FeatureCollection",
        "kek_scenario": FORMAT_VERSION,
        "id": scenario.id,
        "name": scenario.name,
        "description": scenario.description,
        "author": scenario.author,
        "created": scenario.created.isoformat(),
        "updated": scenario.updated.isoformat(),
        "features": [edit_feature(e) for e in scenario.edits],
    }


def dumps(scenario: Scenario) -> str:
    """The interchange file's text (UTF-8, indented)."""
    return json.dumps(to_geojson(scenario), ensure_ascii=False, indent=2) + "\n"


def write(scenario: Scenario, path: Path) -> None:
    """Write the interchange file (via a temporary file, so nothing half-written is left)."""
    write_file(dumps(scenario), path)


# ---------------------------------------------------------------- reading


def _fail(position: int, edit: str, en: str, de: str) -> ScenarioError:
    return ScenarioError(position, edit, en, de)


def _number(props: Mapping[str, Any], key: str, pos: int, kind: str) -> float:
    value = props.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(
            pos, kind, f"'{key}' must be a number, got {value!r}", f"„{key}“ muss eine Zahl sein"
        )
    return float(value)


def _choice(
    props: Mapping[str, Any], key: str, allowed: tuple[Any, ...], pos: int, kind: str
) -> Any:
    value = props.get(key)
    if value not in allowed:
        shown = ", ".join(map(str, allowed))
        raise _fail(
            pos,
            kind,
            f"'{key}' must be one of {shown}, got {value!r}",
            f"„{key}“ muss eines von {shown} sein, nicht {value!r}",
        )
    return value


def _geometry(raw: Any, pos: int, kind: str, types: tuple[str, ...]) -> BaseGeometry:
    if raw is None:
        raise _fail(pos, kind, "has no geometry", "hat keine Geometrie")
    try:
        geom = shape(raw)
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.ShapelyError) as exc:
        raise _fail(
            pos,
            kind,
            f"geometry is not valid GeoJSON ({exc})",
            "Geometrie ist kein gültiges GeoJSON",
        ) from exc
    if geom.geom_type not in types:
        raise _fail(
            pos,
            kind,
            f"geometry must be {' or '.join(types)}, got {geom.geom_type}",
            f"Geometrie muss {' oder '.join(types)} sein, nicht {geom.geom_type}",
        )
    if geom.is_empty or not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        raise _fail(
            pos, kind, f"geometry is invalid ({reason})", f"Geometrie ist ungültig ({reason})"
        )
    return geom


def _point(raw: Any, pos: int, kind: str) -> Point:
    geom = _geometry(raw, pos, kind, ("Point",))
    assert isinstance(geom, Point)
    return geom


def _polygon(raw: Any, pos: int, kind: str) -> Polygon | MultiPolygon:
    geom = _geometry(raw, pos, kind, ("Polygon", "MultiPolygon"))
    assert isinstance(geom, Polygon | MultiPolygon)
    return geom


def _stop_id(props: Mapping[str, Any], pos: int, kind: str) -> str:
    value = clean_text(props.get("stop_id"), 64)
    if not value:
        raise _fail(pos, kind, "needs a 'stop_id'", "braucht eine „stop_id“")
    return value


def _share(props: Mapping[str, Any], key: str, pos: int, kind: str) -> float | None:
    if props.get(key) is None:
        return None
    value = _number(props, key, pos, kind)
    if not 0 <= value <= 1:
        raise _fail(
            pos, kind, f"'{key}' must lie between 0 and 1", f"„{key}“ muss zwischen 0 und 1 liegen"
        )
    return value


def _building_area(geom: Any, props: Mapping[str, Any], pos: int) -> BuildingArea:
    kind = "building_area"
    dwellings = _number(props, "dwellings", pos, kind)
    if dwellings != int(dwellings) or not 1 <= dwellings <= MAX_DWELLINGS:
        raise _fail(
            pos,
            kind,
            f"'dwellings' must be a whole number from 1 to {MAX_DWELLINGS}, got {dwellings:g}",
            f"„dwellings“ muss eine ganze Zahl von 1 bis {MAX_DWELLINGS} sein, nicht {dwellings:g}",
        )
    return BuildingArea(
        polygon=_polygon(geom, pos, kind),
        dwellings=int(dwellings),
        name=clean_text(props.get("name")),
        share_u10=_share(props, "share_u10", pos, kind),
        share_80plus=_share(props, "share_80plus", pos, kind),
    )


def _broadband(geom: Any, props: Mapping[str, Any], pos: int) -> BroadbandTarget:
    kind = "broadband"
    target = _number(props, "target_share", pos, kind)
    if not 0 <= target <= 100:
        raise _fail(
            pos,
            kind,
            "'target_share' must lie between 0 and 100 %",
            "„target_share“ muss zwischen 0 und 100 % liegen",
        )
    ags = props.get("ags")
    if (ags is None) == (geom is None):
        raise _fail(
            pos,
            kind,
            "needs either an 'ags' or a polygon, not both or neither",
            "braucht entweder einen Gemeindeschlüssel („ags“) oder ein Polygon",
        )
    return BroadbandTarget(
        segment=_choice(props, "segment", SEGMENTS, pos, kind),
        bandwidth=int(_choice(props, "bandwidth", BANDWIDTHS, pos, kind)),
        target_share=target,
        ags=None if ags is None else clean_text(ags, 12),
        area=None if geom is None else _polygon(geom, pos, kind),
    )


def edit_from_feature(feature: Any, position: int) -> Edit:
    """Read one edit from its Feature.

    Parameters
    ----------
    feature
        The parsed Feature.
    position
        1-based number of the edit, for messages.

    Returns
    -------
    Edit
        The edit.
    """
    if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
        raise _fail(position, "?", "is not a GeoJSON Feature", "ist kein GeoJSON-Feature")
    props = feature.get("properties")
    if not isinstance(props, Mapping):
        raise _fail(position, "?", "has no properties", "hat keine Eigenschaften")
    kind = clean_text(props.get("edit"), 32)
    if kind not in EDIT_TYPES:
        raise _fail(
            position,
            kind or "?",
            f"unknown edit type; known: {', '.join(EDIT_TYPES)}",
            f"unbekannte Art der Änderung; bekannt: {', '.join(EDIT_TYPES)}",
        )
    geom = feature.get("geometry")
    if kind == "add_stop":
        mode: StopMode = (
            _choice(props, "mode", STOP_MODES, position, kind) if "mode" in props else "bus"
        )
        return AddStop(_point(geom, position, kind), mode, clean_text(props.get("name")))
    if kind == "remove_stop":
        return RemoveStop(_stop_id(props, position, kind))
    if kind == "move_stop":
        return MoveStop(_stop_id(props, position, kind), _point(geom, position, kind))
    if kind == "building_area":
        return _building_area(geom, props, position)
    if kind == "broadband":
        return _broadband(geom, props, position)
    school_type = clean_text(props.get("school_type") or "Grundschule", 64)
    return AddSchool(_point(geom, position, kind), school_type, clean_text(props.get("name")))


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _scenario_id(value: Any) -> str | None:
    try:
        return str(uuid.UUID(str(value))) if value is not None else None
    except ValueError:
        return None


def from_geojson(data: Any) -> Scenario:
    """Read a scenario from the parsed interchange FeatureCollection.

    Parameters
    ----------
    data
        Parsed JSON.

    Returns
    -------
    Scenario
        The scenario (a new id if the file has none or an invalid one).
    """
    if not isinstance(data, Mapping) or data.get("type") != "FeatureCollection":
        raise _fail(
            0,
            "scenario",
            "is not a GeoJSON FeatureCollection",
            "ist keine GeoJSON-FeatureCollection",
        )
    if data.get("kek_scenario") != FORMAT_VERSION:
        raise _fail(
            0,
            "scenario",
            f'has no "kek_scenario": {FORMAT_VERSION} member (not a KEK Geo scenario file)',
            f'hat kein Element "kek_scenario": {FORMAT_VERSION} (keine KEK-Geo-Szenariodatei)',
        )
    features = data.get("features")
    if not isinstance(features, list):
        raise _fail(0, "scenario", "has no list of features", "hat keine Liste von Features")
    if len(features) > MAX_EDITS:
        raise _fail(
            0,
            "scenario",
            f"has more than {MAX_EDITS} edits",
            f"hat mehr als {MAX_EDITS} Änderungen",
        )
    edits = tuple(edit_from_feature(f, i) for i, f in enumerate(features, start=1))
    name = clean_text(data.get("name")) or "Szenario"
    kwargs: dict[str, Any] = {}
    if (sid := _scenario_id(data.get("id"))) is not None:
        kwargs["id"] = sid
    for key in ("created", "updated"):
        if (when := _time(data.get(key))) is not None:
            kwargs[key] = when
    return Scenario(
        name=name,
        edits=edits,
        description=clean_text(data.get("description"), MAX_DESCRIPTION),
        author=clean_text(data.get("author")),
        **kwargs,
    )


def loads(text: str | bytes, origin: str = "scenario file") -> Scenario:
    """Read a scenario from the interchange file's text.

    Parameters
    ----------
    text
        File content.
    origin
        Name of the file, for messages.

    Returns
    -------
    Scenario
        The scenario.
    """
    if len(text) > MAX_FILE_BYTES:
        raise _fail(0, "scenario", f"{origin} is larger than 5 MB", f"{origin} ist größer als 5 MB")
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise _fail(
            0,
            "scenario",
            f"{origin} is not valid JSON ({exc})",
            f"{origin} ist kein gültiges JSON ({exc})",
        ) from exc
    return from_geojson(data)


def read(path: Path) -> Scenario:
    """Read a scenario file.

    Parameters
    ----------
    path
        The ``.geojson`` file.

    Returns
    -------
    Scenario
        The scenario.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _fail(
            0, "scenario", f"{path}: cannot be read ({exc.strerror})", f"{path}: nicht lesbar"
        ) from exc
    return loads(raw, origin=str(path))
