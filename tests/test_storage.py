"""The storage layer on real databases: the SQLite file and a throwaway PostGIS cluster."""

from __future__ import annotations

import math
import threading
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from shapely.geometry import MultiPolygon, Point, Polygon
from sqlalchemy import Connection, Engine

from kek_geo.scenario.geojson import MAX_EDITS, from_geojson, to_geojson
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
from kek_geo.settings import Settings
from kek_geo.storage import (
    ScenarioNotFoundError,
    ScenarioStore,
    current_revision,
    database_url,
    head_revision,
    make_engine,
    open_store,
    upgrade,
)
from kek_geo.storage.tables import metadata
from kek_geo.storage.types import to_wkt
from tests.db_fixtures import WRITERS
from tests.helpers import ROOT, skip_or_fail
from tests.pg_cluster import PgCluster, missing_postgis


@pytest.fixture
def store(engine: Engine) -> ScenarioStore:
    return ScenarioStore(engine)


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())


def _positions(engine: Engine, scenario_id: str) -> list[int]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT position FROM scenario_edit WHERE scenario_id = :id ORDER BY 1"),
            {"id": scenario_id},
        )
        return [int(p) for (p,) in rows]


# ---------------------------------------------------------------- scenarios

# Coordinates with all 17 significant digits, so that any rounding on the way would show.
LON, LAT = 8.671234567890123, 52.123456789012345


def _ring(dx: float = 0.0) -> list[tuple[float, float]]:
    x, y = LON + dx, LAT
    return [(x, y), (x + 0.0123456789012345, y), (x + 0.01, y + 0.0098765432109876), (x, y)]


def every_edit() -> tuple[Edit, ...]:
    """Every edit type, with and without their optional parts."""
    square = Polygon(_ring())
    return (
        AddStop(Point(LON, LAT), "rail", "Bahnhof Süd"),
        AddStop(Point(LON + 0.001, LAT - 0.001)),
        RemoveStop("de:05758:1234"),
        MoveStop("de:05758:99", Point(LON - 0.3, LAT + 0.1)),
        BuildingArea(square, 120, "Neubaugebiet „Am Bach“", share_u10=0.125, share_80plus=0.05),
        BuildingArea(MultiPolygon([Polygon(_ring(0.1)), Polygon(_ring(0.2))]), 7),
        BroadbandTarget("households", 1000, 95.5, ags="05758004"),
        BroadbandTarget("commercial_areas", 100, 100.0, area=Polygon(_ring(-0.1))),
        AddSchool(Point(LON + 0.05, LAT + 0.05), "Grundschule", "GS Nord"),
        AddSchool(Point(LON, LAT + 0.2), "Gymnasium"),
    )


def a_scenario(name: str = "Ausbau Nord", edits: Sequence[Edit] | None = None) -> Scenario:
    return Scenario(
        name=name,
        edits=every_edit() if edits is None else tuple(edits),
        description="Mehr Halte, mehr Wohnungen\nzweite Zeile",
        author="Planungsamt",
        created=datetime(2025, 3, 1, 9, 30, tzinfo=UTC),
        updated=datetime(2025, 3, 1, 9, 30, tzinfo=UTC),
    )


def assert_same_edits(got: Sequence[Edit], want: Sequence[Edit]) -> None:
    assert got == want
    for g, w in zip(got, want, strict=True):
        gg, wg = edit_geometry(g), edit_geometry(w)
        assert (gg is None) == (wg is None)
        if gg is not None and wg is not None:
            assert to_wkt(gg) == to_wkt(wg)


# ---------------------------------------------------------------- migrations


def test_migrations_bring_an_empty_database_to_head_and_are_idempotent(empty_url: str) -> None:
    eng = make_engine(empty_url)
    try:
        assert current_revision(eng) is None
        assert upgrade(eng) == head_revision() == "0003"
        tables = set(sa.inspect(eng).get_table_names())
        assert {
            "scenario",
            "scenario_edit",
            "citizen_note",
            "swot_entry",
            "alembic_version",
        } <= tables
        assert upgrade(eng) == head_revision()  # second start: nothing to do
        assert current_revision(eng) == head_revision()
        with eng.connect() as conn:
            # The tables the queries use are exactly the tables the migrations made.
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", "Did not recognize type 'geometry'")
                diff = compare_metadata(MigrationContext.configure(conn), metadata)
            if eng.dialect.name == "postgresql":
                has = "SELECT count(*) FROM pg_extension WHERE extname = 'postgis'"
                assert conn.execute(sa.text(has)).scalar_one() == 1
        # Reflection does not know PostGIS' type, and PostGIS brings its own tables.
        diff = [d for d in diff if not _postgis_noise(d)]
        assert diff == []
    finally:
        eng.dispose()


def _postgis_noise(item: object) -> bool:
    if isinstance(item, tuple) and item and item[0] == "remove_table":
        return str(item[1].name) == "spatial_ref_sys"
    if isinstance(item, tuple) and item and item[0] == "remove_index":  # GiST: PostgreSQL only
        return str(item[1].name) in {"ix_scenario_edit_geometry", "ix_citizen_note_geometry"}
    if isinstance(item, list):  # column-level differences come as a list of tuples
        return all(isinstance(d, tuple) and d[3] == "geometry" for d in item)
    return False


def test_replicas_starting_together_migrate_once(empty_url: str) -> None:
    engines = [make_engine(empty_url) for _ in range(4)]
    barrier = threading.Barrier(len(engines))

    def start(eng: Engine) -> str:
        barrier.wait()
        return upgrade(eng)

    try:
        with ThreadPoolExecutor(len(engines)) as pool:
            revisions = list(pool.map(start, engines))
        assert revisions == [head_revision()] * len(engines)
        assert _count(engines[0], "alembic_version") == 1
    finally:
        for eng in engines:
            eng.dispose()


# ---------------------------------------------------------------- round trip


def test_save_get_list_delete_round_trip_every_edit_type(
    store: ScenarioStore, engine: Engine
) -> None:
    scenario = a_scenario()
    saved = store.save(scenario)
    assert_same_edits(saved.edits, scenario.edits)
    assert (saved.id, saved.name, saved.author) == (scenario.id, scenario.name, scenario.author)
    assert saved.description == scenario.description
    assert saved.created == scenario.created
    assert saved.updated > scenario.updated and saved.updated.tzinfo is not None

    got = store.get(scenario.id)
    assert got == saved
    assert got is not None
    assert_same_edits(got.edits, scenario.edits)
    # The interchange file of a stored scenario reads back as the same scenario.
    assert from_geojson(to_geojson(got)) == got

    (summary,) = store.list()
    assert (summary.id, summary.name, summary.author) == (scenario.id, "Ausbau Nord", "Planungsamt")
    assert (summary.edits, summary.revision, summary.updated) == (10, 1, saved.updated)
    assert _positions(engine, scenario.id) == list(range(1, 11))

    assert store.delete(scenario.id) is True
    assert store.get(scenario.id) is None
    assert store.list() == []
    assert _count(engine, "scenario_edit") == 0  # ON DELETE CASCADE (SQLite: foreign_keys=ON)
    assert store.delete(scenario.id) is False


def test_save_replaces_all_edits_and_counts_revisions(store: ScenarioStore) -> None:
    first = store.save(a_scenario())
    second = store.save(replace(first, name="Ausbau Nord 2", edits=(RemoveStop("x"),)))
    assert second.edits == (RemoveStop("x"),)
    assert second.name == "Ausbau Nord 2"
    assert second.created == first.created
    assert second.updated >= first.updated
    assert store.revision(first.id) == 2
    empty = store.save(replace(second, edits=()))
    assert empty.edits == ()
    assert store.revision(first.id) == 3
    assert store.list()[0].edits == 0
    assert store.revision("no-such-id") is None


def test_list_is_newest_first(store: ScenarioStore) -> None:
    a = store.save(a_scenario("A", edits=()))
    b = store.save(a_scenario("B", edits=(RemoveStop("s"),)))
    assert [s.name for s in store.list()] == ["B", "A"]
    store.append_edit(a.id, RemoveStop("t"))
    assert [(s.name, s.edits) for s in store.list()] == [("A", 1), ("B", 1)]
    assert store.get(b.id) is not None


def test_append_edit_adds_at_the_end(store: ScenarioStore) -> None:
    saved = store.save(a_scenario(edits=(RemoveStop("a"),)))
    after = store.append_edit(saved.id, AddStop(Point(LON, LAT), "bus", "Neu"))
    assert after.edits == (RemoveStop("a"), AddStop(Point(LON, LAT), "bus", "Neu"))
    assert after.updated >= saved.updated
    assert store.revision(saved.id) == 2
    with pytest.raises(ScenarioNotFoundError, match="no saved scenario"):
        store.append_edit("no-such-id", RemoveStop("a"))


def test_more_edits_than_a_scenario_file_may_hold_are_refused(store: ScenarioStore) -> None:
    with pytest.raises(ScenarioError, match="more than 500 edits"):
        store.save(a_scenario(edits=[RemoveStop(str(i)) for i in range(MAX_EDITS + 1)]))
    assert store.list() == []


# ---------------------------------------------------------------- concurrency


def test_concurrent_writers_lose_nothing(url: str, store: ScenarioStore, engine: Engine) -> None:
    shared = store.save(a_scenario("Gemeinsam", edits=()))
    per_appender = 3
    barrier = threading.Barrier(2 * WRITERS)

    def create(i: int) -> str:
        barrier.wait()
        return store.save(a_scenario(f"S{i}", edits=(RemoveStop(f"w{i}"), *every_edit()[:2]))).id

    def append(i: int) -> None:
        own = make_engine(url)  # like another replica: its own engine and connections
        try:
            barrier.wait()
            for k in range(per_appender):
                ScenarioStore(own).append_edit(shared.id, RemoveStop(f"a{i}-{k}"))
        finally:
            own.dispose()

    with ThreadPoolExecutor(2 * WRITERS) as pool:
        created = [pool.submit(create, i) for i in range(WRITERS)]
        appended = [pool.submit(append, i) for i in range(WRITERS)]
        ids = [f.result(timeout=120) for f in created]
        for f in appended:
            f.result(timeout=120)

    assert len(set(ids)) == WRITERS
    for i, sid in enumerate(ids):
        got = store.get(sid)
        assert got is not None and got.name == f"S{i}"
        assert got.edits == (RemoveStop(f"w{i}"), *every_edit()[:2])
    final = store.get(shared.id)
    assert final is not None
    total = WRITERS * per_appender
    assert _positions(engine, shared.id) == list(range(1, total + 1))
    want = {RemoveStop(f"a{i}-{k}") for i in range(WRITERS) for k in range(per_appender)}
    assert set(final.edits) == want and len(final.edits) == total
    for i in range(WRITERS):  # each appender's edits in its own order
        mine = [
            e
            for e in final.edits
            if isinstance(e, RemoveStop) and e.stop_id[1:].split("-")[0] == str(i)
        ]
        assert mine == [RemoveStop(f"a{i}-{k}") for k in range(per_appender)]
    assert store.revision(shared.id) == 1 + total
    assert len(store.list()) == WRITERS + 1


# ---------------------------------------------------------------- failures


def _unstorable() -> BroadbandTarget:
    """An edit whose properties are no JSON (NaN): its row cannot be written."""
    return BroadbandTarget("households", 1000, math.nan, ags="05758004")


def test_a_new_scenario_that_fails_midway_leaves_nothing(
    store: ScenarioStore, engine: Engine
) -> None:
    edits = (*every_edit()[:3], _unstorable(), *every_edit()[3:])
    with pytest.raises(ScenarioError, match=r"edit 4 \(broadband\): cannot be stored"):
        store.save(a_scenario(edits=edits))
    assert store.list() == []
    assert _count(engine, "scenario") == _count(engine, "scenario_edit") == 0


def test_a_failed_save_keeps_the_saved_version(store: ScenarioStore, engine: Engine) -> None:
    saved = store.save(a_scenario())
    with pytest.raises(ScenarioError, match=r"edit 2 \(broadband\)"):
        store.save(replace(saved, name="kaputt", edits=(RemoveStop("x"), _unstorable())))
    with pytest.raises(ScenarioError, match=r"edit 11 \(broadband\)"):
        store.append_edit(saved.id, _unstorable())
    assert store.get(saved.id) == saved
    assert store.revision(saved.id) == 1
    assert _count(engine, "scenario_edit") == len(saved.edits)


class FailingStore(ScenarioStore):
    """Fails after the scenario row and the first edit are written (same transaction)."""

    def _write_edits(
        self, conn: Connection, scenario_id: str, edits: Sequence[Edit], first: int
    ) -> None:
        super()._write_edits(conn, scenario_id, edits[:1], first)
        raise RuntimeError("injected failure")


def test_an_exception_after_the_scenario_row_rolls_everything_back(
    engine: Engine, store: ScenarioStore
) -> None:
    failing = FailingStore(engine)
    with pytest.raises(RuntimeError, match="injected"):
        failing.save(a_scenario())
    assert _count(engine, "scenario") == _count(engine, "scenario_edit") == 0
    saved = store.save(a_scenario(edits=(RemoveStop("a"),)))
    with pytest.raises(RuntimeError, match="injected"):
        failing.append_edit(saved.id, RemoveStop("b"))
    assert store.get(saved.id) == saved


def test_naive_times_are_refused(store: ScenarioStore) -> None:
    naive = replace(a_scenario(), created=datetime(2025, 1, 1))
    with pytest.raises(sa.exc.StatementError, match="timezone-aware"):
        store.save(naive)
    assert store.list() == []


# ---------------------------------------------------------------- restart, settings


def test_data_survive_a_restart(url: str, tmp_path: Path) -> None:
    settings = (
        Settings(geodata_dir=ROOT / "geodata", raw_dir=tmp_path, data_dir=tmp_path / "data")
        if url.startswith("sqlite")
        else Settings(geodata_dir=ROOT / "geodata", raw_dir=tmp_path, database_url=url)
    )
    first = open_store(settings)
    saved = first.save(a_scenario())
    first.engine.dispose()
    second = open_store(settings)  # a new process: new engine, migrations find nothing to do
    try:
        got = second.get(saved.id)
        assert got == saved
        assert got is not None
        assert_same_edits(got.edits, every_edit())
        assert [s.id for s in second.list()] == [saved.id]
    finally:
        second.engine.dispose()


def test_the_default_database_is_a_sqlite_file_in_the_data_folder(tmp_path: Path) -> None:
    settings = Settings(geodata_dir=tmp_path, raw_dir=tmp_path, data_dir=tmp_path / "new" / "d")
    assert database_url(settings) == f"sqlite:///{tmp_path / 'new' / 'd' / 'kek_geo.sqlite'}"
    store = open_store(settings)  # creates the folder
    try:
        assert (tmp_path / "new" / "d" / "kek_geo.sqlite").is_file()
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() == 30_000
    finally:
        store.engine.dispose()
    pg = replace(settings, database_url="postgresql://kek@db.example/kek")
    assert database_url(pg) == "postgresql://kek@db.example/kek"


def test_engine_urls() -> None:
    eng = make_engine("postgresql://kek@db.example/kek")  # no connection is made yet
    assert eng.url.drivername == "postgresql+psycopg"
    eng.dispose()
    with pytest.raises(ValueError, match="unsupported database 'mysql'"):
        make_engine("mysql://kek@db.example/kek")


def test_missing_postgis_skips_here_and_fails_in_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reason = missing_postgis(pg_bin=tmp_path)
    assert reason is not None and "initdb" in reason
    assert "postgis" in str(missing_postgis(control=tmp_path / "postgis.control"))
    monkeypatch.delenv("KEK_REQUIRE_DB", raising=False)
    with pytest.raises(pytest.skip.Exception):
        skip_or_fail("KEK_REQUIRE_DB", reason)
    monkeypatch.setenv("KEK_REQUIRE_DB", "1")
    with pytest.raises(pytest.fail.Exception, match="KEK_REQUIRE_DB is set"):
        skip_or_fail("KEK_REQUIRE_DB", reason)


# ---------------------------------------------------------------- PostGIS


def test_postgis_sees_a_valid_geometry_column(pg_cluster: PgCluster) -> None:
    eng = make_engine(pg_cluster.new_database(postgis=True))
    try:
        upgrade(eng)
        store = ScenarioStore(eng)
        store.save(a_scenario())
        with eng.connect() as conn:

            def q(sql: str) -> list[tuple[object, ...]]:
                return [tuple(r) for r in conn.execute(sa.text(sql))]

            assert q(
                "SELECT f_table_name, f_geometry_column, coord_dimension, srid, type "
                "FROM geometry_columns ORDER BY 1"
            ) == [
                ("citizen_note", "geometry", 2, 4326, "POINT"),
                ("scenario_edit", "geometry", 2, 4326, "GEOMETRY"),
            ]
            assert q(
                "SELECT count(*), bool_and(ST_IsValid(geometry)), min(ST_SRID(geometry)), "
                "max(ST_SRID(geometry)) FROM scenario_edit WHERE geometry IS NOT NULL"
            ) == [(8, True, 4326, 4326)]
            assert q(
                "SELECT GeometryType(geometry) FROM scenario_edit ORDER BY position"
            ) == [
                ("POINT",), ("POINT",), (None,), ("POINT",), ("POLYGON",), ("MULTIPOLYGON",),
                (None,), ("POLYGON",), ("POINT",), ("POINT",),
            ]  # fmt: skip
            index = "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_scenario_edit_geometry'"
            assert "USING gist (geometry)" in str(conn.execute(sa.text(index)).scalar_one())
    finally:
        eng.dispose()
