"""Moving notes from a kiosk laptop to the planners' database: kek-geo notes export/import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kek_geo.cli import main
from kek_geo.csvfile import read_csv_bytes
from kek_geo.notes.model import make_note
from kek_geo.notes.places import GemeindeLocator
from kek_geo.serve import KIOSK_OPTIONS, streamlit_options
from kek_geo.settings import SettingsError, get_settings
from kek_geo.snapshot import Snapshot
from kek_geo.storage import open_note_store

HERFORD = (8.6706, 52.1152)
SPENGE = (8.48545, 52.11119)


def use_database(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    monkeypatch.setenv("KEK_DATA_DIR", str(folder))
    monkeypatch.delenv("KEK_DATABASE_URL", raising=False)


def test_kiosk_notes_reach_the_planners_database_once(
    snapshot: Snapshot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    locate = GemeindeLocator(snapshot.geo("gemeinden"))
    # the kiosk laptop: its own SQLite file
    use_database(monkeypatch, tmp_path / "kiosk")
    kiosk = open_note_store(get_settings())
    given = [
        make_note(lon=HERFORD[0], lat=HERFORD[1], theme="mobilitaet", kind="idee",
                  text="Radweg nach Enger", locate=locate),
        make_note(lon=SPENGE[0], lat=SPENGE[1], theme="bildung", kind="staerke",
                  text="Gute Grundschule ÄÖÜ", age_group="30_49", locate=locate),
    ]  # fmt: skip
    for note in given:
        kiosk.add(note)
    kiosk.moderate(given[1].id, by="Kiosk-Team", status="freigegeben")
    kiosk.engine.dispose()
    out = tmp_path / "kiosk.geojson"
    assert main(["notes", "export", str(out)]) == 0
    assert "wrote 2 notes (all)" in capsys.readouterr().out
    approved = tmp_path / "approved.geojson"
    assert main(["notes", "export", "--status", "approved", str(approved)]) == 0
    assert len(json.loads(approved.read_text(encoding="utf-8"))["features"]) == 1

    # the planners' database
    use_database(monkeypatch, tmp_path / "planning")
    assert main(["notes", "import", str(out)]) == 0
    assert "imported 2 new notes, 0 already present" in capsys.readouterr().out
    assert main(["notes", "import", str(out)]) == 0
    assert "imported 0 new notes, 2 already present" in capsys.readouterr().out
    planning = open_note_store(get_settings())
    try:
        got = {n.id: n for n in planning.list()}
        assert set(got) == {n.id for n in given}
        # nothing is published by an import: the planners moderate here
        assert {n.status for n in got.values()} == {"neu"}
        assert got[given[0].id].text == "Radweg nach Enger"
    finally:
        planning.engine.dispose()
    # an operator who trusts the kiosk's moderation keeps the status; the history says so
    use_database(monkeypatch, tmp_path / "trusted")
    assert main(["notes", "import", "--keep-status", str(out)]) == 0
    trusted = open_note_store(get_settings())
    try:
        assert trusted.get(given[1].id).status == "freigegeben"  # type: ignore[union-attr]
        (step,) = trusted.history(given[1].id)
        assert (step.changed_by, step.old, step.new) == (
            "kek-geo notes import", "neu", "freigegeben",
        )  # fmt: skip
        assert trusted.history(given[0].id) == []
    finally:
        trusted.engine.dispose()
    use_database(monkeypatch, tmp_path / "planning")

    csv_file = tmp_path / "hinweise.csv"
    assert main(["notes", "export", str(csv_file)]) == 0
    table = read_csv_bytes(csv_file.read_bytes(), "de")
    assert sorted(table["Gemeinde"]) == ["Herford", "Spenge"]
    assert "Gute Grundschule ÄÖÜ" in table["Text"].tolist()
    assert not list(tmp_path.glob("*.part"))


def test_a_file_with_bad_notes_imports_the_good_ones_and_names_the_bad(
    snapshot: Snapshot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    use_database(monkeypatch, tmp_path / "planning")
    good = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": list(HERFORD)},
        "properties": {
            "id": "6f1c2a52-7c4e-4a5e-9d0e-2b1f7a1c9e11",
            "created": "2026-11-30T18:05:00+01:00",
            "theme": "mobilitaet",
            "kind": "idee",
            "text": "<script>alert(1)</script>",
            "age_group": None,
            "status": "neu",
            "gemeinde_ags": "05758012",
        },
    }
    bad = json.loads(json.dumps(good))
    bad["properties"] |= {"id": "0d9d4c7e-1f7b-4f43-8d5c-1e1c2f0d8b22", "text": "x" * 10_000}
    path = tmp_path / "kiosk.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "kek_notes": 1, "features": [\n'
        f"{json.dumps(good)},\n{json.dumps(bad)}\n]}}\n",
        encoding="utf-8",
    )
    assert main(["notes", "import", str(path)]) == 1
    captured = capsys.readouterr()
    assert "imported 1 new notes" in captured.out
    assert "skipped feature 2 (line 3), text: the text has 10,000 characters" in captured.err
    store = open_note_store(get_settings())
    try:
        (note,) = store.list()
        assert note.text == "<script>alert(1)</script>"
    finally:
        store.engine.dispose()
    broken = tmp_path / "broken.geojson"
    broken.write_text("{", encoding="utf-8")
    assert main(["notes", "import", str(broken)]) == 1
    assert f"{broken}: is not valid JSON" in capsys.readouterr().err
    assert main(["notes", "export", str(tmp_path / "x.txt")]) == 2


def test_the_mode_is_checked_before_the_server_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    # recorded first, so that teardown also undoes the KEK_MODE that --kiosk sets
    monkeypatch.setenv("KEK_MODE", "planner")
    monkeypatch.delenv("KEK_MODE")
    assert streamlit_options(["--server.port", "1"]) == (["--server.port", "1"], False)
    args, kiosk = streamlit_options(["--kiosk", "--server.port", "1"])
    assert kiosk and args == [*KIOSK_OPTIONS, "--server.port", "1"]
    assert get_settings().kiosk  # --kiosk sets KEK_MODE for the app (in this process)
    monkeypatch.setenv("KEK_MODE", "Kiosk ")
    assert get_settings().mode == "kiosk"
    monkeypatch.setenv("KEK_MODE", "kisok")
    with pytest.raises(SettingsError, match="KEK_MODE must be 'planner' or 'kiosk'"):
        get_settings()
    assert main(["serve"]) == 2  # a typo never starts the planners' app on a public screen
    monkeypatch.setenv("KEK_MODE", "planner")
    monkeypatch.setenv("KEK_KIOSK_IDLE_S", "-5")
    with pytest.raises(SettingsError, match="KEK_KIOSK_IDLE_S"):
        get_settings()
    monkeypatch.setenv("KEK_KIOSK_IDLE_S", "45")
    monkeypatch.setenv("KEK_NOTES_RATE", "3/60")
    settings = get_settings()
    assert (settings.kiosk_idle_s, settings.notes_per_window, settings.notes_window_s) == (
        45.0, 3, 60.0,
    )  # fmt: skip
    monkeypatch.setenv("KEK_NOTES_RATE", "viele")
    with pytest.raises(SettingsError, match="KEK_NOTES_RATE"):
        get_settings()
