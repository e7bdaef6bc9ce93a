"""The notes interchange file (GeoJSON) and the CSV export for German Excel.

A kiosk laptop at an event keeps its notes in its own SQLite file; ``kek-geo notes export``
writes them as a GeoJSON FeatureCollection in CRS84 and ``kek-geo notes import`` reads that
file into the planners' database. Each Feature is a Point whose ``properties`` are ``id``,
``created`` (ISO 8601 with time zone), ``theme``, ``kind``, ``text``, ``age_group``,
``status`` and ``gemeinde_ags``; the collection carries ``"kek_notes": 1``. The file is
written one Feature per line, so the line numbers in import messages point at the note.

An import checks every Feature the way the form does (:func:`~kek_geo.notes.model.make_note`):
bad ones are reported with their number and line and skipped, the rest is imported.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from kek_geo.csvfile import csv_bytes
from kek_geo.errors import KekGeoError
from kek_geo.notes.model import NEW, Locator, Note, NoteError, make_note
from kek_geo.notes.summary import notes_table

#: Version of the interchange format written and read.
FORMAT_VERSION = 1
#: Largest notes file read (bytes).
MAX_FILE_BYTES = 20_000_000
#: Characters that make a spreadsheet cell a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class NoteFileError(KekGeoError):
    """A notes file cannot be read at all (nothing of it is imported).

    Parameters
    ----------
    origin
        The file.
    problem
        What is wrong, in one sentence.
    """

    def __init__(self, origin: str, problem: str) -> None:
        self.origin = origin
        self.problem = problem
        super().__init__(f"{origin}: {problem}")


@dataclass(frozen=True)
class Problem:
    """A Feature of an import file that was skipped.

    Attributes
    ----------
    number
        1-based number of the Feature in the file.
    line
        Line of the file where the Feature starts (``None`` if unknown).
    error
        What is wrong with it.
    """

    number: int
    line: int | None
    error: NoteError

    def message(self, lang: str = "en") -> str:
        """One line naming the Feature, its line and the problem."""
        word, at = ("Hinweis", "Zeile") if lang == "de" else ("feature", "line")
        where = f"{word} {self.number}" + (f" ({at} {self.line})" if self.line else "")
        return f"{where}, {self.error.field}: {self.error.message(lang)}"


@dataclass(frozen=True)
class ReadResult:
    """The valid notes of a file and the Features that were skipped."""

    notes: tuple[Note, ...]
    problems: tuple[Problem, ...]


# ---------------------------------------------------------------- writing


def to_feature(note: Note) -> dict[str, Any]:
    """A note as a GeoJSON Feature (coordinates at full precision).

    Parameters
    ----------
    note
        The note.

    Returns
    -------
    dict
        JSON-ready Feature.
    """
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [note.lon, note.lat]},
        "properties": {
            "id": note.id,
            "created": note.created.isoformat(),
            "theme": note.theme,
            "kind": note.kind,
            "text": note.text,
            "age_group": note.age_group,
            "status": note.status,
            "gemeinde_ags": note.gemeinde_ags,
        },
    }


def dumps(notes: Iterable[Note]) -> str:
    """The interchange file's text: one Feature per line, UTF-8 characters unescaped.

    Parameters
    ----------
    notes
        The notes.

    Returns
    -------
    str
        The GeoJSON text.
    """
    lines = [json.dumps(to_feature(n), ensure_ascii=False) for n in notes]
    body = ",\n".join(lines)
    head = '{"type": "FeatureCollection", "kek_notes": 1, "features": ['
    return f"{head}\n{body}\n]}}\n" if lines else f"{head}]}}\n"


def spreadsheet_safe(text: str) -> str:
    """Text that a spreadsheet shows as text, never runs as a formula.

    Parameters
    ----------
    text
        A visitor's text.

    Returns
    -------
    str
        The text, with an apostrophe before a leading ``=``, ``+``, ``-``, ``@``, tab or CR.
    """
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def notes_csv(notes: Iterable[Note], lang: str, names: Mapping[str, str]) -> bytes:
    """The notes as CSV for the spreadsheet of ``lang`` (German Excel: ``;``, decimal comma).

    Parameters
    ----------
    notes
        The notes.
    lang
        ``"de"`` or ``"en"``.
    names
        Municipality names by AGS.

    Returns
    -------
    bytes
        UTF-8 with byte-order mark; coordinates at full precision; no text (a visitor's, a
        moderator's name) can act as a formula.
    """
    table = notes_table(list(notes), lang, names)
    for column in table.columns:
        if table[column].dtype == object or pd.api.types.is_string_dtype(table[column]):
            table[column] = table[column].map(spreadsheet_safe)
    return csv_bytes(table, lang, index=False)


# ---------------------------------------------------------------- reading


def _ws(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i


def feature_lines(text: str) -> list[int] | None:
    r"""The line on which each element of the top-level ``features`` array starts.

    Parameters
    ----------
    text
        A JSON document (already known to be valid).

    Returns
    -------
    list of int or None
        1-based line numbers (lines end at ``\n``, ``\r\n`` or ``\r``), ``None`` if the
        document has no top-level ``features`` array. Like ``json.loads``, a repeated key
        counts in its last occurrence.
    """
    starts = _feature_starts(text)
    if starts is None:
        return None
    breaks = [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    return [bisect.bisect_right(breaks, i) + 1 for i in starts]


def _feature_starts(text: str) -> list[int] | None:
    decoder = json.JSONDecoder()
    found: list[int] | None = None
    try:
        i = _ws(text, 0)
        if text[i : i + 1] != "{":
            return None
        i = _ws(text, i + 1)
        while text[i : i + 1] == '"':
            key, i = decoder.raw_decode(text, i)
            i = _ws(text, _ws(text, i) + 1)  # past the colon
            if key == "features" and text[i : i + 1] == "[":
                found, i = _element_starts(text, i + 1, decoder)
            else:
                _, i = decoder.raw_decode(text, i)
            i = _ws(text, i)
            if text[i : i + 1] == ",":
                i = _ws(text, i + 1)
    except (json.JSONDecodeError, IndexError):
        return None
    return found


def _element_starts(text: str, i: int, decoder: json.JSONDecoder) -> tuple[list[int], int]:
    starts: list[int] = []
    while True:
        i = _ws(text, i)
        if text[i : i + 1] == "]":
            return starts, i + 1
        starts.append(i)
        _, i = decoder.raw_decode(text, i)
        i = _ws(text, i)
        if text[i : i + 1] == ",":
            i += 1


def _created(value: object) -> datetime:
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise NoteError(
            "created",
            f"{str(value)[:40]!r} is not an ISO 8601 time",
            f"{str(value)[:40]!r} ist keine Zeitangabe nach ISO 8601",
        ) from exc
    if when.tzinfo is None:
        raise NoteError(
            "created", "the time has no time zone", "Die Zeitangabe hat keine Zeitzone."
        )
    return when


def note_from_feature(feature: object, locate: Locator, *, keep_status: bool = False) -> Note:
    """A note from one Feature of an interchange file, validated like the form.

    Parameters
    ----------
    feature
        The parsed Feature.
    locate
        Finds the municipality of a point.
    keep_status
        Keep the file's ``status``; by default every imported note is ``neu``, so nothing
        is published without moderation in this database.

    Returns
    -------
    Note
        The note; ``gemeinde_ags`` is computed from the point and must match the file's.
    """
    if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
        raise NoteError("feature", "is not a GeoJSON Feature", "ist kein GeoJSON-Feature")
    geom, props = feature.get("geometry"), feature.get("properties")
    if not isinstance(props, Mapping):
        raise NoteError("properties", "are missing", "fehlen")
    coords = geom.get("coordinates") if isinstance(geom, Mapping) else None
    if not isinstance(geom, Mapping) or geom.get("type") != "Point" or not _pair(coords):
        raise NoteError("geometry", "is not a Point", "ist kein Punkt")
    assert isinstance(coords, list | tuple)
    note = make_note(
        lon=coords[0],
        lat=coords[1],
        theme=props.get("theme"),
        kind=props.get("kind"),
        text=props.get("text"),
        age_group=props.get("age_group"),
        status=props.get("status") if keep_status else NEW,
        note_id=props.get("id"),
        created=_created(props.get("created")),
        locate=locate,
    )
    given = props.get("gemeinde_ags")
    if given not in (None, "") and str(given) != note.gemeinde_ags:
        raise NoteError(
            "gemeinde_ags",
            f"{str(given)[:12]!r} does not match the point, which lies in {note.gemeinde_ags}",
            f"{str(given)[:12]!r} passt nicht zum Punkt, der in {note.gemeinde_ags} liegt",
        )
    return note


def _pair(coords: object) -> bool:
    return isinstance(coords, list | tuple) and len(coords) in (2, 3)


def _collection(text: str | bytes, origin: str) -> tuple[list[Any], str]:
    if len(text) > MAX_FILE_BYTES:
        raise NoteFileError(origin, "is larger than 20 MB")
    try:
        decoded = text.decode("utf-8-sig") if isinstance(text, bytes) else text
        data = json.loads(decoded)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NoteFileError(origin, f"is not valid JSON ({exc})") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise NoteFileError(origin, "is not a GeoJSON FeatureCollection")
    if data.get("kek_notes") != FORMAT_VERSION:
        raise NoteFileError(origin, 'is not a KEK Geo notes file ("kek_notes": 1 is missing)')
    features = data.get("features")
    if not isinstance(features, list):
        raise NoteFileError(origin, 'has no "features" list')
    return features, decoded


def loads(
    text: str | bytes, locate: Locator, origin: str = "notes file", *, keep_status: bool = False
) -> ReadResult:
    """Read the notes of an interchange file; invalid Features are reported, not raised.

    Parameters
    ----------
    text
        File content.
    locate
        Finds the municipality of a point.
    origin
        Name of the file, for messages.
    keep_status
        Keep each note's ``status`` (see :func:`note_from_feature`).

    Returns
    -------
    ReadResult
        The valid notes (a UUID repeated in the file counts once) and the skipped Features.

    Raises
    ------
    NoteFileError
        If the file is not a notes FeatureCollection at all.
    """
    features, decoded = _collection(text, origin)
    lines = feature_lines(decoded) or []
    notes: dict[str, Note] = {}
    problems: list[Problem] = []
    for number, feature in enumerate(features, start=1):
        line = lines[number - 1] if number <= len(lines) else None
        try:
            note = note_from_feature(feature, locate, keep_status=keep_status)
            if note.id in notes:
                raise NoteError("id", "appears twice in the file", "steht zweimal in der Datei")
        except NoteError as exc:
            problems.append(Problem(number, line, exc))
            continue
        notes[note.id] = note
    return ReadResult(tuple(notes.values()), tuple(problems))


def read(path: Path, locate: Locator, *, keep_status: bool = False) -> ReadResult:
    """Read a notes file (see :func:`loads`).

    Parameters
    ----------
    path
        The ``.geojson`` file.
    locate
        Finds the municipality of a point.
    keep_status
        Keep each note's ``status``.

    Returns
    -------
    ReadResult
        Notes and problems.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise NoteFileError(str(path), f"cannot be read ({exc.strerror})") from exc
    return loads(raw, locate, origin=str(path), keep_status=keep_status)
