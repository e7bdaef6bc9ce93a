"""Citizen notes on the real databases: SQLite in WAL mode and a throwaway PostGIS."""

from __future__ import annotations

import subprocess
import sys
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine

from kek_geo.notes.model import Note, NoteError
from kek_geo.settings import Settings
from kek_geo.storage import NoteNotFoundError, NoteStore, make_engine, open_note_store
from kek_geo.storage.tables import citizen_note
from tests.db_fixtures import WRITERS
from tests.helpers import ROOT

LON, LAT = 8.671234567890123, 52.123456789012345
T0 = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)


def a_note(i: int = 0, **changes: object) -> Note:
    note = Note(
        lon=LON + i * 1e-6,
        lat=LAT,
        theme="mobilitaet",
        kind="schwaeche",
        text=f"Hinweis {i}: <script>alert(1)</script> – Grünfläche",
        gemeinde_ags="05758012",
        created=T0 + timedelta(minutes=i),
        id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"kek-note-{i}")),
    )
    return replace(note, **changes)  # type: ignore[arg-type]


@pytest.fixture
def notes(engine: Engine) -> NoteStore:
    return NoteStore(engine)


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_add_get_list_round_trip(notes: NoteStore) -> None:
    first = notes.add(a_note(1, age_group="65_plus"))
    second = notes.add(a_note(2, gemeinde_ags="05758032", status="freigegeben"))
    assert first == a_note(1, age_group="65_plus")  # every field, coordinates to the last digit
    assert notes.get(second.id) == second
    assert notes.get("no-such-id") is None
    assert [n.id for n in notes.list()] == [second.id, first.id]  # newest first
    assert [n.id for n in notes.list(statuses={"freigegeben"})] == [second.id]
    assert [n.id for n in notes.list(gemeinde="05758012")] == [first.id]
    assert notes.count() == 2


def test_moderation_keeps_who_and_when(notes: NoteStore) -> None:
    note = notes.add(a_note())
    approved = notes.moderate(note.id, by="  Frau Meier\x00 ", status="freigegeben")
    assert approved.status == "freigegeben"
    assert approved.moderated_by == "Frau Meier"
    assert approved.moderated_at is not None and approved.moderated_at.tzinfo is not None
    moved = notes.moderate(note.id, by="Herr Kaya", theme="daseinsvorsorge", kind="idee")
    assert (moved.theme, moved.kind, moved.status) == ("daseinsvorsorge", "idee", "freigegeben")
    same = notes.moderate(note.id, by="Herr Kaya", theme="daseinsvorsorge")
    assert same == moved  # nothing changed, nothing recorded
    history = [(c.changed_by, c.field, c.old, c.new) for c in notes.history(note.id)]
    assert history == [
        ("Frau Meier", "status", "neu", "freigegeben"),
        ("Herr Kaya", "theme", "mobilitaet", "daseinsvorsorge"),
        ("Herr Kaya", "kind", "schwaeche", "idee"),
    ]
    with pytest.raises(NoteError, match="unknown status"):
        notes.moderate(note.id, by="X", status="gelöscht")
    with pytest.raises(NoteError, match="who moderates"):
        notes.moderate(note.id, by=" \u200b ", status="verborgen")
    with pytest.raises(NoteNotFoundError):
        notes.moderate("no-such-id", by="X", status="verborgen")
    assert notes.get(note.id) == moved


def test_import_twice_adds_nothing_the_second_time(notes: NoteStore) -> None:
    batch = [a_note(i) for i in range(5)]
    assert notes.import_notes(batch) == 5
    assert notes.import_notes(batch) == 0
    assert notes.import_notes([*batch, a_note(9)]) == 1
    # a note already stored keeps its moderation, whatever the file says
    notes.moderate(batch[0].id, by="Moderation", status="verborgen")
    assert notes.import_notes([replace(batch[0], status="freigegeben")]) == 0
    assert notes.get(batch[0].id).status == "verborgen"  # type: ignore[union-attr]
    assert notes.count() == 6
    # a note imported already approved says so in its history
    assert notes.import_notes([a_note(20, status="freigegeben")], by="Import Kiosk 1") == 1
    (step,) = notes.history(a_note(20).id)
    assert (step.changed_by, step.field, step.old, step.new) == (
        "Import Kiosk 1", "status", "neu", "freigegeben",
    )  # fmt: skip
    assert [n.id for n in notes.list(ids=[batch[1].id, batch[3].id])] == [
        batch[3].id, batch[1].id,
    ]  # fmt: skip


def test_an_import_that_fails_midway_leaves_nothing(notes: NoteStore, engine: Engine) -> None:
    too_long = a_note(3, text="x" * 501)  # bypasses the model's check; the database refuses it
    with pytest.raises(sa.exc.IntegrityError):
        notes.import_notes([a_note(1), a_note(2), too_long, a_note(4)])
    assert _count(engine, "citizen_note") == 0
    with pytest.raises(sa.exc.IntegrityError):
        notes.add(a_note(5, status="gelöscht"))
    assert notes.count() == 0


def test_concurrent_sessions_lose_no_note(url: str, notes: NoteStore, engine: Engine) -> None:
    per_session = 5
    barrier = threading.Barrier(WRITERS)

    def session(i: int) -> list[str]:
        # half share the server's engine (sessions of one process), half bring their own
        # (sessions on another replica)
        own = make_engine(url) if i % 2 else None
        store = NoteStore(own) if own is not None else notes
        try:
            barrier.wait()
            return [store.add(a_note(i * 100 + k)).id for k in range(per_session)]
        finally:
            if own is not None:
                own.dispose()

    with ThreadPoolExecutor(WRITERS) as pool:
        ids = [i for f in [pool.submit(session, i) for i in range(WRITERS)] for i in f.result(120)]
    assert len(set(ids)) == WRITERS * per_session
    assert {n.id for n in notes.list()} == set(ids)
    assert _count(engine, "citizen_note") == WRITERS * per_session


CRASH = """
import os, sys
from sqlalchemy import insert
from kek_geo.storage import make_engine
from kek_geo.storage.tables import citizen_note
from tests.test_note_storage import a_note
from kek_geo.storage.notes import _row
engine = make_engine(sys.argv[1])
with engine.begin() as conn:
    conn.execute(insert(citizen_note).values(_row(a_note(7))))
    print("inserted", flush=True)
    os._exit(9)  # the process dies before the transaction commits
"""


def test_a_crash_mid_write_leaves_no_half_written_note(url: str, notes: NoteStore) -> None:
    notes.add(a_note(1))
    proc = subprocess.run(
        [sys.executable, "-c", CRASH, url],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 9, proc.stderr
    assert "inserted" in proc.stdout
    assert [n.id for n in notes.list()] == [a_note(1).id]
    assert notes.add(a_note(2)).id == a_note(2).id  # the database is not left locked


def test_notes_survive_a_restart(url: str, tmp_path: Path) -> None:
    settings = (
        Settings(geodata_dir=ROOT / "geodata", raw_dir=tmp_path, data_dir=tmp_path / "data")
        if url.startswith("sqlite")
        else Settings(geodata_dir=ROOT / "geodata", raw_dir=tmp_path, database_url=url)
    )
    first = open_note_store(settings)
    saved = first.add(a_note())
    first.engine.dispose()
    second = open_note_store(settings)
    try:
        assert second.list() == [saved]
    finally:
        second.engine.dispose()


def test_the_note_table_has_a_point_geometry(notes: NoteStore, engine: Engine) -> None:
    notes.add(a_note())
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            row = conn.execute(
                sa.text("SELECT GeometryType(geometry), ST_SRID(geometry) FROM citizen_note")
            ).one()
            assert tuple(row) == ("POINT", 4326)
        else:
            wkt = conn.execute(sa.select(citizen_note.c.geometry)).scalar_one()
            assert wkt.x == LON
