"""The scenario model: edits on the baseline, pure and serialisable.

Geometries are kept in CRS84 (longitude, latitude), as in the interchange file; they are
projected to the analysis CRS only when a scenario is applied.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import ClassVar, Literal

from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from kek_geo.errors import KekGeoError
from kek_geo.text import visible_text

StopMode = Literal["bus", "rail"]
Segment = Literal["households", "businesses", "commercial_areas"]

#: Stop modes an ``add_stop`` edit may use.
STOP_MODES: tuple[str, ...] = ("bus", "rail")
#: Broadband segments of the Breitbandatlas.
SEGMENTS: tuple[str, ...] = ("households", "businesses", "commercial_areas")
#: Bandwidths a broadband target may name (Mbit/s).
BANDWIDTHS: tuple[int, ...] = (100, 1000)
#: Longest name or description kept (characters).
MAX_TEXT = 200
MAX_DESCRIPTION = 2000
#: Most dwellings one building area may add.
MAX_DWELLINGS = 20_000


class ScenarioError(KekGeoError):
    """An edit (or a scenario file) is invalid; nothing of the scenario is applied.

    Parameters
    ----------
    position
        1-based number of the edit in the scenario, or 0 for the scenario itself.
    edit
        Edit type, e.g. ``"add_stop"``, or ``"scenario"``.
    problem_en, problem_de
        What is wrong, in one sentence, in English and German.
    """

    def __init__(self, position: int, edit: str, problem_en: str, problem_de: str) -> None:
        self.position = position
        self.edit = edit
        self.problem_en = problem_en
        self.problem_de = problem_de
        super().__init__(self.message("en"))

    def message(self, lang: str = "de") -> str:
        """The message in a language, naming the edit and the problem."""
        if self.position == 0:
            prefix = "Szenario" if lang == "de" else "Scenario"
        else:
            word = "Änderung" if lang == "de" else "edit"
            prefix = f"{word} {self.position} ({self.edit})"
        return f"{prefix}: {self.problem_de if lang == 'de' else self.problem_en}"


def clean_text(value: object, limit: int = MAX_TEXT) -> str:
    """Text from a visitor or a file: visible characters only, bounded in length.

    Parameters
    ----------
    value
        Any value (``None`` gives an empty string).
    limit
        Most characters kept.

    Returns
    -------
    str
        The cleaned text.
    """
    return visible_text(value)[:limit].strip()


@dataclass(frozen=True)
class AddStop:
    """A new public transport stop (``mode`` bus or rail)."""

    point: Point
    mode: StopMode = "bus"
    name: str = ""
    kind: ClassVar[str] = "add_stop"


@dataclass(frozen=True)
class RemoveStop:
    """An existing stop taken out of service (by its ``stop_id``)."""

    stop_id: str
    kind: ClassVar[str] = "remove_stop"


@dataclass(frozen=True)
class MoveStop:
    """An existing stop moved to a new place."""

    stop_id: str
    point: Point
    kind: ClassVar[str] = "move_stop"


@dataclass(frozen=True)
class BuildingArea:
    """New homes: ``dwellings`` × the Gemeinde's household size residents in the polygon.

    ``share_u10`` and ``share_80plus`` (fractions of the new residents) default to the
    Gemeinde's age structure.
    """

    polygon: Polygon | MultiPolygon
    dwellings: int
    name: str = ""
    share_u10: float | None = None
    share_80plus: float | None = None
    kind: ClassVar[str] = "building_area"


@dataclass(frozen=True)
class BroadbandTarget:
    """A broadband expansion: ``target_share`` % of a segment reach ``bandwidth`` Mbit/s.

    The area is a Gemeinde (``ags``) or a polygon (``area``), exactly one of them.
    """

    segment: Segment
    bandwidth: int
    target_share: float
    ags: str | None = None
    area: Polygon | MultiPolygon | None = None
    kind: ClassVar[str] = "broadband"


@dataclass(frozen=True)
class AddSchool:
    """A new school; a ``Grundschule`` changes the Bildung indicators."""

    point: Point
    school_type: str = "Grundschule"
    name: str = ""
    kind: ClassVar[str] = "add_school"


Edit = AddStop | RemoveStop | MoveStop | BuildingArea | BroadbandTarget | AddSchool

#: Edit type name → class.
EDIT_TYPES: dict[str, type[Edit]] = {
    cls.kind: cls
    for cls in (AddStop, RemoveStop, MoveStop, BuildingArea, BroadbandTarget, AddSchool)
}


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Scenario:
    """A named, ordered list of edits on the baseline.

    Attributes
    ----------
    name, description, author
        Shown on the compare page (the author is a label such as "Planungsamt", no e-mail).
    edits
        The edits, applied in order.
    id
        UUID (text), stable across saves, exports and imports.
    created, updated
        Times in UTC.
    """

    name: str
    edits: tuple[Edit, ...] = ()
    description: str = ""
    author: str = ""
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    created: datetime = field(default_factory=_now)
    updated: datetime = field(default_factory=_now)

    def with_edits(self, edits: tuple[Edit, ...]) -> Scenario:
        """A copy with other edits and a new ``updated`` time."""
        return replace(self, edits=tuple(edits), updated=_now())

    def touched(self) -> frozenset[str]:
        """Snapshot layers the edits change (see :func:`kek_geo.scenario.apply.touched_layers`)."""
        from kek_geo.scenario.apply import touched_layers  # noqa: PLC0415  (no import cycle)

        layers: frozenset[str] = touched_layers(self.edits)
        return layers


def edit_geometry(edit: Edit) -> BaseGeometry | None:
    """The geometry of an edit (CRS84), ``None`` for an edit without one.

    Parameters
    ----------
    edit
        The edit.

    Returns
    -------
    shapely geometry or None
        Point or polygon.
    """
    if isinstance(edit, AddStop | MoveStop | AddSchool):
        return edit.point
    if isinstance(edit, BuildingArea):
        return edit.polygon
    if isinstance(edit, BroadbandTarget):
        return edit.area
    return None
