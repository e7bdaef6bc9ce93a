"""Manifest texts (data dates, build notes) in the reader's language."""

from __future__ import annotations

import json

from kek_geo.datatext import date_text, note_text
from tests.helpers import ROOT


def test_data_dates_in_german_use_german_date_formats() -> None:
    assert date_text("2022-05-15", "de") == "15.05.2022"
    assert date_text("2025-10; 2024-12", "de") == "10/2025; 12/2024"
    assert date_text("2011-05-09 (Zensusstichtag 2011)", "de") == "09.05.2011 (Zensusstichtag 2011)"


def test_data_dates_in_english_have_no_german_phrases() -> None:
    assert date_text("2016 (Gebietsstand unverändert seit 1973)", "en") == (
        "2016 (boundaries unchanged since 1973)"
    )
    assert date_text("Ende 2018 – Mitte 2021", "en") == "end of 2018 – mid-2021"
    assert date_text("Schuljahr 2024/25", "en") == "school year 2024/25"
    assert date_text("2022 (Gemeinden), 1995–2022 (Kreis)", "en") == (
        "2022 (municipalities), 1995–2022 (district)"
    )


def test_every_build_note_of_the_shipped_snapshot_has_german_words() -> None:
    manifest = json.loads((ROOT / "geodata" / "MANIFEST.json").read_text(encoding="utf-8"))
    notes = [n for rec in manifest["layers"].values() for n in rec.get("notes", ())]
    assert notes
    for note in notes:
        german = note_text(note, "de")
        assert german != note, note
        assert note_text(note, "en") == note
    cells = next(n for n in notes if n.startswith("The 2022 1 km population"))
    assert "Faktoren 0,901 bis 1,073: 254.008 (amtlich 254.008)" in note_text(cells, "de")


def test_a_note_of_unknown_form_is_shown_as_written() -> None:
    assert note_text("something new", "de") == "something new"
