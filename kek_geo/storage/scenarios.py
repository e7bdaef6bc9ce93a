"""Saved scenarios: :class:`ScenarioStore` over the ``scenario`` and ``scenario_edit`` tables.

Each edit is stored as its interchange-file Feature (:func:`~kek_geo.scenario.geojson.
edit_properties` plus its geometry) and read back through
:func:`~kek_geo.scenario.geojson.edit_from_feature`, so the file and the database can never
disagree about what an edit means. Every write is one transaction.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from shapely.geometry import mapping
from sqlalchemy import Connection, delete, func, insert, select, update

from kek_geo.errors import KekGeoError
from kek_geo.scenario.geojson import MAX_EDITS, edit_from_feature, edit_properties
from kek_geo.scenario.model import Edit, Scenario, ScenarioError, edit_geometry
from kek_geo.storage.engine import Store, insert_if_absent
from kek_geo.storage.tables import scenario as scenario_table
from kek_geo.storage.tables import scenario_edit as edit_table


class ScenarioNotFoundError(KekGeoError, LookupError):
    """No scenario has this id (it may have been deleted meanwhile)."""

    def __init__(self, scenario_id: str) -> None:
        self.scenario_id = scenario_id
        super().__init__(f"no saved scenario with id {scenario_id}")


@dataclass(frozen=True)
class ScenarioSummary:
    """One line of the list of saved scenarios.

    Attributes
    ----------
    id, name, author
        As in the scenario.
    updated
        Time of the last save (UTC).
    edits
        Number of edits.
    revision
        Number of saves (1 after the first).
    """

    id: str
    name: str
    author: str
    updated: datetime
    edits: int
    revision: int


def _now() -> datetime:
    return datetime.now(UTC)


def _too_many(count: int) -> ScenarioError:
    return ScenarioError(
        0,
        "scenario",
        f"has more than {MAX_EDITS} edits ({count})",
        f"hat mehr als {MAX_EDITS} Änderungen ({count})",
    )


def _storable(props: dict[str, Any], position: int, kind: str) -> dict[str, Any]:
    """The properties if they are JSON (no NaN or infinity), else a :class:`ScenarioError`."""
    try:
        json.dumps(props, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ScenarioError(
            position,
            kind,
            f"cannot be stored: its parameters are not JSON ({exc})",
            "kann nicht gespeichert werden: ungültige Zahl oder ungültiger Wert",
        ) from exc
    return props


class ScenarioStore(Store):
    """Saved scenarios in a database (SQLite or PostGIS), safe for concurrent writers.

    Parameters
    ----------
    engine
        An engine from :func:`~kek_geo.storage.engine.make_engine` on a database at the
        newest schema (see :func:`~kek_geo.storage.stores.open_store`).
    """

    # ------------------------------------------------------------ reading

    def list(self) -> builtins.list[ScenarioSummary]:
        """All saved scenarios, the most recently saved first.

        Returns
        -------
        list of ScenarioSummary
            Id, name, author, time of the last save, number of edits, revision.
        """
        s, e = scenario_table.c, edit_table.c
        query = (
            select(s.id, s.name, s.author, s.updated_at, s.revision, func.count(e.id))
            .select_from(scenario_table.outerjoin(edit_table, e.scenario_id == s.id))
            .group_by(s.id, s.name, s.author, s.updated_at, s.revision)
            .order_by(s.updated_at.desc(), s.id)
        )
        with self._reading() as conn:
            rows = conn.execute(query).all()
        return [
            ScenarioSummary(
                id=r.id, name=r.name, author=r.author, updated=r.updated_at,
                edits=int(r[5]), revision=r.revision,
            )
            for r in rows
        ]  # fmt: skip

    def get(self, scenario_id: str) -> Scenario | None:
        """One saved scenario.

        Parameters
        ----------
        scenario_id
            Its id.

        Returns
        -------
        Scenario or None
            The scenario with its edits in order, ``None`` if there is none with this id.
        """
        with self._reading() as conn:
            return self._load(conn, scenario_id)

    def revision(self, scenario_id: str) -> int | None:
        """How often a scenario was saved (``None`` if there is none with this id)."""
        query = select(scenario_table.c.revision).where(scenario_table.c.id == scenario_id)
        with self._reading() as conn:
            return conn.execute(query).scalar_one_or_none()

    # ------------------------------------------------------------ writing

    def save(self, scenario: Scenario) -> Scenario:
        """Insert a scenario or replace the saved one with the same id, in one transaction.

        The saved scenario's edits are all replaced, its revision goes up by one and its
        ``updated`` time becomes now; ``created`` stays the time of the first save.

        Parameters
        ----------
        scenario
            The scenario.

        Returns
        -------
        Scenario
            The scenario as saved (read back in the same transaction).
        """
        if len(scenario.edits) > MAX_EDITS:
            raise _too_many(len(scenario.edits))
        now = _now()
        values = {
            "name": scenario.name,
            "description": scenario.description,
            "author": scenario.author,
            "updated_at": now,
        }
        with self._writing() as conn:
            # Insert-or-nothing, then UPDATE: the UPDATE locks the row on PostgreSQL, so
            # two saves of the same new scenario cannot both insert it.
            new = {"id": scenario.id, "created_at": scenario.created, "revision": 0, **values}
            conn.execute(insert_if_absent(conn, scenario_table).values(new))
            conn.execute(
                update(scenario_table)
                .where(scenario_table.c.id == scenario.id)
                .values(revision=scenario_table.c.revision + 1, **values)
            )
            conn.execute(delete(edit_table).where(edit_table.c.scenario_id == scenario.id))
            self._write_edits(conn, scenario.id, scenario.edits, first=1)
            saved = self._load(conn, scenario.id)
        assert saved is not None
        return saved

    def append_edit(self, scenario_id: str, edit: Edit) -> Scenario:
        """Add one edit at the end of a saved scenario.

        Safe when several sessions append at the same time: the scenario row is locked
        (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` serialises all
        writers), so positions stay 1, 2, … without gaps or duplicates.

        Parameters
        ----------
        scenario_id
            Id of the saved scenario.
        edit
            The edit.

        Returns
        -------
        Scenario
            The scenario with the new edit, revision and ``updated`` time.

        Raises
        ------
        ScenarioNotFoundError
            If there is no scenario with this id.
        """
        s = scenario_table.c
        with self._writing() as conn:
            locked = conn.execute(
                select(s.revision).where(s.id == scenario_id).with_for_update()
            ).first()
            if locked is None:
                raise ScenarioNotFoundError(scenario_id)
            last = conn.execute(
                select(func.coalesce(func.max(edit_table.c.position), 0)).where(
                    edit_table.c.scenario_id == scenario_id
                )
            ).scalar_one()
            if last >= MAX_EDITS:
                raise _too_many(last + 1)
            self._write_edits(conn, scenario_id, (edit,), first=last + 1)
            conn.execute(
                update(scenario_table)
                .where(s.id == scenario_id)
                .values(revision=s.revision + 1, updated_at=_now())
            )
            saved = self._load(conn, scenario_id)
        assert saved is not None
        return saved

    def delete(self, scenario_id: str) -> bool:
        """Delete a saved scenario and its edits.

        Parameters
        ----------
        scenario_id
            Its id.

        Returns
        -------
        bool
            Whether there was such a scenario.
        """
        with self._writing() as conn:
            result = conn.execute(delete(scenario_table).where(scenario_table.c.id == scenario_id))
        return bool(result.rowcount)

    # ------------------------------------------------------------ rows

    def _write_edits(
        self, conn: Connection, scenario_id: str, edits: Sequence[Edit], first: int
    ) -> None:
        """Insert edits at positions ``first``, ``first + 1``, … (in the caller's transaction)."""
        rows = [
            {
                "scenario_id": scenario_id,
                "position": position,
                "edit": edit.kind,
                "properties": _storable(edit_properties(edit), position, edit.kind),
                "geometry": edit_geometry(edit),
            }
            for position, edit in enumerate(edits, start=first)
        ]
        if rows:
            conn.execute(insert(edit_table), rows)

    def _load(self, conn: Connection, scenario_id: str) -> Scenario | None:
        head = conn.execute(
            select(scenario_table).where(scenario_table.c.id == scenario_id)
        ).first()
        if head is None:
            return None
        e = edit_table.c
        rows = conn.execute(
            select(e.position, e.properties, e.geometry)
            .where(e.scenario_id == scenario_id)
            .order_by(e.position)
        ).all()
        edits = tuple(
            edit_from_feature(
                {
                    "type": "Feature",
                    "geometry": None if r.geometry is None else mapping(r.geometry),
                    "properties": r.properties,
                },
                r.position,
            )
            for r in rows
        )
        return Scenario(
            name=head.name,
            edits=edits,
            description=head.description,
            author=head.author,
            id=head.id,
            created=head.created_at,
            updated=head.updated_at,
        )
