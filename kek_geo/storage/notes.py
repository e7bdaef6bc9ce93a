"""Citizen notes: :class:`NoteStore` over the ``citizen_note`` and ``citizen_note_change`` tables.

Every note is written in one transaction, so a crash mid-write leaves either the whole note or
nothing. An import of a kiosk's file is one transaction too, and a note whose UUID is already
stored is left as it is: importing the same file twice adds nothing. Moderation changes
(status, theme, kind) keep who made them and when, one history row per changed field.
"""

from __future__ import annotations

import builtins
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from shapely.geometry import Point
from sqlalchemy import Connection, Row, func, insert, select, update

from kek_geo.errors import KekGeoError
from kek_geo.notes.model import NEW, STATUSES, Note, choice, moderator_name, recategorised
from kek_geo.storage.engine import Store, insert_if_absent
from kek_geo.storage.tables import citizen_note as note_table
from kek_geo.storage.tables import citizen_note_change as change_table


class NoteNotFoundError(KekGeoError, LookupError):
    """No note has this id."""

    def __init__(self, note_id: str) -> None:
        self.note_id = note_id
        super().__init__(f"no citizen note with id {note_id}")


@dataclass(frozen=True)
class NoteChange:
    """One moderation step: ``field`` went from ``old`` to ``new``.

    Attributes
    ----------
    changed_at
        When (UTC).
    changed_by
        Who (the moderator's name).
    field
        ``status``, ``theme`` or ``kind``.
    old, new
        The keys before and after.
    """

    changed_at: datetime
    changed_by: str
    field: str
    old: str
    new: str


def _row(note: Note) -> dict[str, Any]:
    return {
        "id": note.id,
        "created_at": note.created,
        "theme": note.theme,
        "kind": note.kind,
        "text": note.text,
        "age_group": note.age_group,
        "status": note.status,
        "gemeinde_ags": note.gemeinde_ags,
        "geometry": Point(note.lon, note.lat),
        "moderated_by": note.moderated_by or None,
        "moderated_at": note.moderated_at,
    }


def _note(row: Row[Any]) -> Note:
    point = row.geometry
    return Note(
        lon=float(point.x),
        lat=float(point.y),
        theme=row.theme,
        kind=row.kind,
        text=row.text,
        gemeinde_ags=row.gemeinde_ags,
        age_group=row.age_group,
        status=row.status,
        id=row.id,
        created=row.created_at,
        moderated_by=row.moderated_by or "",
        moderated_at=row.moderated_at,
    )


class NoteStore(Store):
    """Citizen notes in a database (SQLite or PostGIS), safe for concurrent writers.

    Parameters
    ----------
    engine
        An engine on a database at the newest schema (see
        :func:`~kek_geo.storage.stores.open_engine`).
    """

    # ------------------------------------------------------------ writing

    def add(self, note: Note) -> Note:
        """Store a new note (one transaction).

        Parameters
        ----------
        note
            A note from :func:`kek_geo.notes.model.make_note`.

        Returns
        -------
        Note
            The note as stored.
        """
        with self._writing() as conn:
            conn.execute(insert(note_table).values(_row(note)))
            stored = self._load(conn, note.id)
        assert stored is not None
        return stored

    def import_notes(self, notes: Sequence[Note], *, by: str = "kek-geo notes import") -> int:
        """Store notes from an import file, all in one transaction; known UUIDs are skipped.

        A note imported with a status other than ``neu`` gets a history row naming ``by``, so
        its publication can be traced.

        Parameters
        ----------
        notes
            Validated notes.
        by
            Who imports, for the history.

        Returns
        -------
        int
            How many were new (importing the same file again gives 0).
        """
        added = 0
        now = datetime.now(UTC)
        with self._writing() as conn:
            statement = insert_if_absent(conn, note_table).returning(note_table.c.id)
            for note in notes:
                if conn.execute(statement.values(_row(note))).first() is None:
                    continue  # already stored
                added += 1
                if note.status != NEW:
                    conn.execute(
                        insert(change_table).values(
                            note_id=note.id, changed_at=now, changed_by=by, field="status",
                            old_value=NEW, new_value=note.status,
                        )
                    )  # fmt: skip
        return added

    def moderate(
        self,
        note_id: str,
        *,
        by: str,
        status: str | None = None,
        theme: str | None = None,
        kind: str | None = None,
    ) -> Note:
        """Change a note's status, theme or kind, keeping who did it and when.

        Parameters
        ----------
        note_id
            The note.
        by
            The moderator's name.
        status, theme, kind
            New keys (``None`` keeps the value).

        Returns
        -------
        Note
            The note after the change (unchanged, and no history, if nothing differs).

        Raises
        ------
        NoteNotFoundError
            If there is no note with this id.
        """
        who = moderator_name(by)
        new_status = None if status is None else choice(status, STATUSES, "status")
        now = datetime.now(UTC)
        with self._writing() as conn:
            locked = conn.execute(
                select(note_table).where(note_table.c.id == note_id).with_for_update()
            ).first()
            if locked is None:
                raise NoteNotFoundError(note_id)
            old = _note(locked)
            new = recategorised(old, theme=theme, kind=kind)
            new = replace(new, status=new_status or old.status)
            changes = [
                {"field": f, "old_value": getattr(old, f), "new_value": getattr(new, f)}
                for f in ("status", "theme", "kind")
                if getattr(old, f) != getattr(new, f)
            ]
            if not changes:
                return old
            conn.execute(
                update(note_table)
                .where(note_table.c.id == note_id)
                .values(
                    status=new.status,
                    theme=new.theme,
                    kind=new.kind,
                    moderated_by=who,
                    moderated_at=now,
                )
            )
            conn.execute(
                insert(change_table),
                [{"note_id": note_id, "changed_at": now, "changed_by": who, **c} for c in changes],
            )
            stored = self._load(conn, note_id)
        assert stored is not None
        return stored

    # ------------------------------------------------------------ reading

    def get(self, note_id: str) -> Note | None:
        """One note (``None`` if there is none with this id)."""
        with self._reading() as conn:
            return self._load(conn, note_id)

    def list(
        self,
        statuses: Collection[str] | None = None,
        gemeinde: str | None = None,
        ids: Collection[str] | None = None,
    ) -> builtins.list[Note]:
        """Notes, newest first.

        Parameters
        ----------
        statuses
            Only notes in these states (all by default).
        gemeinde
            Only notes of this municipality (AGS).
        ids
            Only these notes.

        Returns
        -------
        list of Note
            The notes.
        """
        c = note_table.c
        query = select(note_table).order_by(c.created_at.desc(), c.id)
        if statuses is not None:
            query = query.where(c.status.in_(list(statuses)))
        if gemeinde is not None:
            query = query.where(c.gemeinde_ags == gemeinde)
        if ids is not None:
            query = query.where(c.id.in_(list(ids)))
        with self._reading() as conn:
            return [_note(r) for r in conn.execute(query)]

    def history(self, note_id: str) -> builtins.list[NoteChange]:
        """The moderation steps of a note, oldest first."""
        c = change_table.c
        query = (
            select(c.changed_at, c.changed_by, c.field, c.old_value, c.new_value)
            .where(c.note_id == note_id)
            .order_by(c.id)
        )
        with self._reading() as conn:
            return [NoteChange(*r) for r in conn.execute(query)]

    def count(self) -> int:
        """How many notes are stored."""
        with self._reading() as conn:
            return self._count(conn)

    # ------------------------------------------------------------ rows

    @staticmethod
    def _count(conn: Connection) -> int:
        return int(conn.execute(select(func.count()).select_from(note_table)).scalar_one())

    @staticmethod
    def _load(conn: Connection, note_id: str) -> Note | None:
        row = conn.execute(select(note_table).where(note_table.c.id == note_id)).first()
        return None if row is None else _note(row)
