"""Citizen notes: validation, cleaning, the municipality lookup, the interchange file, tables."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kek_geo.csvfile import read_csv_bytes
from kek_geo.district import District
from kek_geo.fileio import write_file
from kek_geo.notes import interchange
from kek_geo.notes.interchange import NoteFileError, feature_lines, notes_csv, spreadsheet_safe
from kek_geo.notes.model import Note, NoteError, make_note, may_send, note_text
from kek_geo.notes.places import GemeindeLocator
from kek_geo.notes.summary import by_kind, counts_by_gemeinde, counts_by_theme, notes_table
from kek_geo.snapshot import Snapshot
from kek_geo.text import visible_text

#: Payloads a visitor might type; none may ever reach a page as markup.
PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(document.cookie)",
    '"><svg onload=alert(1)>',
)
HERFORD = (8.6706, 52.1152)  # Herford, Alter Markt
SPENGE = (8.48545, 52.11119)
BIELEFELD = (8.5325, 52.0302)  # outside the district


@pytest.fixture(scope="module")
def locate(snapshot: Snapshot) -> GemeindeLocator:
    return GemeindeLocator(snapshot.geo("gemeinden"))


def a_note(locate: GemeindeLocator, **changes: object) -> Note:
    values: dict[str, object] = {
        "lon": HERFORD[0],
        "lat": HERFORD[1],
        "theme": "mobilitaet",
        "kind": "schwaeche",
        "text": "Der Bus fährt abends zu selten.",
        "locate": locate,
    }
    values.update(changes)
    return make_note(**values)  # type: ignore[arg-type]


# ---------------------------------------------------------------- validation


def test_a_note_gets_its_municipality_from_the_point(locate: GemeindeLocator) -> None:
    note = a_note(locate)
    assert note.gemeinde_ags == "05758012"  # Herford
    assert note.status == "neu"
    assert note.age_group is None
    assert len(note.id) == 36 and note.created.tzinfo is not None
    spenge = a_note(locate, lon=SPENGE[0], lat=SPENGE[1], age_group="65_plus")
    assert (spenge.gemeinde_ags, spenge.age_group) == ("05758032", "65_plus")


def test_a_note_outside_the_district_is_refused(locate: GemeindeLocator) -> None:
    with pytest.raises(NoteError, match=r"outside the district \(Kreis Herford\)") as err:
        a_note(locate, lon=BIELEFELD[0], lat=BIELEFELD[1], district="Kreis Herford")
    assert "außerhalb des Kreisgebiets (Kreis Herford)" in err.value.message("de")
    with pytest.raises(NoteError, match=r"outside the district$"):
        a_note(locate, lon=BIELEFELD[0], lat=BIELEFELD[1])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"theme": "sport"}, "theme"),
        ({"kind": "<b>"}, "kind"),
        ({"age_group": "99"}, "age_group"),
        ({"status": "approved"}, "status"),
        ({"lon": "x"}, "geometry"),
        ({"lat": float("nan")}, "geometry"),
        ({"lon": True}, "geometry"),
        ({"text": "   \u202e\u200b  "}, "text"),
        ({"text": "x" * 501}, "text"),
        ({"note_id": "not-a-uuid"}, "id"),
    ],
)
def test_invalid_values_are_refused_naming_the_field(
    locate: GemeindeLocator, change: dict[str, object], field: str
) -> None:
    with pytest.raises(NoteError) as err:
        a_note(locate, **change)
    assert err.value.field == field


def test_text_is_cleaned_and_bounded() -> None:
    # control characters, bidi overrides and zero-width characters are dropped, not shown
    assert note_text("A\x00B\x1b[31m C\u202eD\u2066E\u200bF\r\n\r\n\r\n\tG") == "AB[31m CDEF\n\nG"
    assert note_text("x" * 500) == "x" * 500
    with pytest.raises(NoteError, match="10,000 characters") as err:
        note_text("x" * 10_000)
    assert "10.000 Zeichen" in err.value.message("de")
    # 500 visible characters plus invisible ones are fine: the limit counts what is kept
    assert len(note_text("y" * 500 + "\u200b" * 50)) == 500
    # Markup is kept as typed (it is text); escaping happens where it is shown
    for payload in PAYLOADS:
        assert note_text(payload) == payload
    assert visible_text("Straße\u00a0am  Markt") == "Straße am Markt"
    assert visible_text("שלום עולם") == "שלום עולם"  # right-to-left letters are kept
    assert visible_text("a\x0bb\x0cc\x85d") == "a b c d"  # controls between words: a space
    assert visible_text("👩\u200d💻 می\u200cخواهم") == "👩\u200d💻 می\u200cخواهم"  # joiners stay
    for blank in ("\u3164", "\u2800\u2800", "\u200d", "\u115f \n \uffa0"):
        with pytest.raises(NoteError, match="empty"):
            note_text(blank)


def test_rate_limit_counts_the_last_window() -> None:
    sent = [0.0, 100.0, 200.0, 300.0, 400.0]
    assert not may_send(sent, 500.0, limit=5, window_s=600.0)
    assert may_send(sent, 600.0, limit=5, window_s=600.0)  # the first one left the window
    assert may_send(sent[:4], 401.0, limit=5, window_s=600.0)
    assert may_send([], 0.0, limit=1, window_s=1.0)


# ---------------------------------------------------------------- interchange file


def test_file_round_trips_one_feature_per_line(locate: GemeindeLocator, tmp_path: Path) -> None:
    notes = [
        a_note(locate, created=datetime(2026, 11, 30, 18, 5, 1, 123456, tzinfo=UTC)),
        a_note(locate, lon=8.671234567890123, lat=52.123456789012345, kind="idee", text="Ü\nß"),
    ]
    path = tmp_path / "notes.geojson"
    write_file(interchange.dumps(notes), path)
    assert not (tmp_path / "notes.geojson.part").exists()
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[1].startswith('{"type": "Feature"')
    assert "Ü" in text  # readable, not \u-escaped
    data = json.loads(text)
    assert data["kek_notes"] == 1
    assert data["features"][0]["properties"]["created"] == "2026-11-30T18:05:01.123456+00:00"
    result = interchange.read(path, locate)
    assert result.problems == ()
    assert result.notes == tuple(notes)  # full precision, same ids and times
    assert interchange.loads(interchange.dumps([]), locate).notes == ()


def test_an_import_makes_every_note_new_unless_told_to_keep_its_status(
    locate: GemeindeLocator,
) -> None:
    approved = a_note(locate, status="freigegeben")
    text = interchange.dumps([approved])
    assert interchange.loads(text, locate).notes[0].status == "neu"
    assert interchange.loads(text, locate, keep_status=True).notes == (approved,)


def test_bad_features_are_reported_by_number_and_line_and_skipped(
    locate: GemeindeLocator,
) -> None:
    good = a_note(locate)
    features = [
        interchange.to_feature(good),
        interchange.to_feature(a_note(locate)) | {"geometry": None},
        _moved(interchange.to_feature(a_note(locate)), BIELEFELD),
        _with(interchange.to_feature(a_note(locate)), text="x" * 10_000),
        _with(interchange.to_feature(a_note(locate)), created="2026-11-30T18:05:01"),
        _with(interchange.to_feature(a_note(locate)), gemeinde_ags="05758032"),
        interchange.to_feature(good),  # the same UUID again
        "not a feature",
    ]
    text = '{"type": "FeatureCollection", "kek_notes": 1,\n "features": [\n'
    text += ",\n".join(json.dumps(f) for f in features) + "\n]}"
    result = interchange.loads(text, locate, origin="kiosk.geojson")
    assert result.notes == (good,)
    got = [(p.number, p.line, p.error.field) for p in result.problems]
    assert got == [
        (2, 4, "geometry"),
        (3, 5, "geometry"),
        (4, 6, "text"),
        (5, 7, "created"),
        (6, 8, "gemeinde_ags"),
        (7, 9, "id"),
        (8, 10, "feature"),
    ]
    assert result.problems[2].message("en") == (
        "feature 4 (line 6), text: the text has 10,000 characters; at most 500 are allowed"
    )
    assert result.problems[1].message("de").startswith("Hinweis 3 (Zeile 5), geometry: Der Ort")


def _with(feature: dict[str, object], **props: object) -> dict[str, object]:
    properties = dict(feature["properties"])  # type: ignore[call-overload]
    return feature | {"properties": properties | props}


def _moved(feature: dict[str, object], lonlat: tuple[float, float]) -> dict[str, object]:
    return feature | {"geometry": {"type": "Point", "coordinates": list(lonlat)}}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"\xff\xfe", "is not valid JSON"),
        (b"[1, 2]", "is not a GeoJSON FeatureCollection"),
        (b'{"type": "FeatureCollection", "features": []}', '"kek_notes": 1 is missing'),
        (b'{"type": "FeatureCollection", "kek_notes": 1}', 'has no "features" list'),
        (b'{"type": "FeatureCollection", "kek_notes": 1, "features": [', "is not valid JSON"),
    ],
)
def test_unreadable_files_name_the_file_and_the_problem(
    locate: GemeindeLocator, tmp_path: Path, content: bytes, problem: str
) -> None:
    path = tmp_path / "kaputt.geojson"
    path.write_bytes(content)
    with pytest.raises(NoteFileError, match=r"kaputt\.geojson") as err:
        interchange.read(path, locate)
    assert problem in str(err.value)
    with pytest.raises(NoteFileError, match="cannot be read"):
        interchange.read(tmp_path / "missing.geojson", locate)


def test_feature_lines_follow_the_json_structure() -> None:
    text = '{\n "name": "x, [y]",\n "nested": {"features": [1]},\n "features": [\n  {"a": "]"},\n\n  {}\n ]\n}'
    assert feature_lines(text) == [5, 7]
    assert feature_lines('{"features": []}') == []
    assert feature_lines("[]") is None
    assert feature_lines('{"other": 1}') is None
    # a repeated key counts in its last occurrence, as in json.loads
    assert feature_lines('{"features":[{}],\n"features":[\n{},\n{}]}') == [3, 4]
    # old Mac and Windows line ends
    assert feature_lines('{"features": [\r{},\r{}]}') == [2, 3]
    assert feature_lines('{"features": [\r\n{},\r\n{}]}') == [2, 3]


# ---------------------------------------------------------------- tables and CSV


def test_csv_opens_in_german_excel_and_never_runs_a_formula(locate: GemeindeLocator) -> None:
    notes = [
        replace(
            a_note(locate, text='=HYPERLINK("http://example.org";"Klick")'),
            moderated_by="@SUMME(1+1)",
        ),
        a_note(locate, text="Grünfläche am Bahnhof – gut erreichbar", lon=8.671234567890123),
    ]
    names = {"05758012": "Herford"}
    data = notes_csv(notes, "de", names)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    assert b";" in data.splitlines()[0]
    table = read_csv_bytes(data, "de")
    assert list(table.columns)[:5] == ["Zeit", "Gemeinde", "Thema", "Art", "Text"]
    assert table["Text"].tolist() == [
        '\'=HYPERLINK("http://example.org";"Klick")',
        "Grünfläche am Bahnhof – gut erreichbar",
    ]
    assert table["Länge (WGS 84)"].iloc[1] == 8.671234567890123  # full precision
    assert table["Gemeinde"].tolist() == ["Herford", "Herford"]
    assert table["Art"].tolist() == ["Schwäche", "Schwäche"]
    assert table["Moderiert von"].tolist() == ["'@SUMME(1+1)", "–"]
    assert spreadsheet_safe("-1") == "'-1" and spreadsheet_safe("a=b") == "a=b"


def test_counts_list_every_municipality_theme_and_kind(locate: GemeindeLocator) -> None:
    notes = [
        a_note(locate, kind="staerke"),
        a_note(locate, kind="staerke", theme="bildung"),
        a_note(locate, lon=SPENGE[0], lat=SPENGE[1], kind="risiko"),
    ]
    names = {"05758012": "Herford", "05758032": "Spenge", "05758004": "Bünde"}
    per_gemeinde = counts_by_gemeinde(notes, "de", names, District("05758", "Kreis Herford"))
    assert per_gemeinde.columns.tolist() == [
        "Gemeinde", "Stärke", "Schwäche", "Idee/Chance", "Risiko", "zusammen",
    ]  # fmt: skip
    assert per_gemeinde.values.tolist() == [
        ["Herford", 2, 0, 0, 0, 2],
        ["Spenge", 0, 0, 0, 1, 1],
        ["Bünde", 0, 0, 0, 0, 0],
        ["Kreis Herford", 2, 0, 0, 1, 3],
    ]
    per_theme = counts_by_theme(notes, "en")
    assert len(per_theme) == 7
    assert per_theme.set_index("Theme").loc["Mobility", "total"] == 2
    assert per_theme.set_index("Theme").loc["Education", "Strength"] == 1
    grouped = by_kind(notes, "05758012")
    assert [len(grouped[k]) for k in ("staerke", "schwaeche", "idee", "risiko")] == [2, 0, 0, 0]
    table = notes_table(notes, "en", names)
    assert table["Municipality"].tolist() == ["Herford", "Herford", "Spenge"]
    assert table["Age group"].tolist() == ["–", "–", "–"]
