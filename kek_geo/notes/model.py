"""Citizen notes ("Hinweise"): what a visitor leaves on the map, validated before it is kept.

A note is a point in the district with a KEK theme, a kind (the four SWOT fields), up to 500
characters of text and optionally an age group; no name, no e-mail. The form, the import of a
kiosk's export file and the database all go through :func:`make_note`, so a note is checked
the same way wherever it comes from.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from kek_geo.errors import KekGeoError
from kek_geo.i18n import fmt_number
from kek_geo.text import BLANK_LOOKING, one_line, visible_text

#: KEK themes a note can belong to: key → (German, English).
THEMES: dict[str, tuple[str, str]] = {
    "daseinsvorsorge": ("Daseinsvorsorge", "Services of general interest"),
    "wirtschaft_tourismus": ("Wirtschaft und Tourismus", "Economy and tourism"),
    "bildung": ("Bildung", "Education"),
    "mobilitaet": ("Mobilität", "Mobility"),
    "energie_klima": ("Energie und Klima", "Energy and climate"),
    "digitalisierung": ("Digitalisierung", "Digitalisation"),
    "demografie": ("Demografie", "Demography"),
}
#: Kinds of note, the four fields of a SWOT analysis: key → (German, English).
KINDS: dict[str, tuple[str, str]] = {
    "staerke": ("Stärke", "Strength"),
    "schwaeche": ("Schwäche", "Weakness"),
    "idee": ("Idee/Chance", "Idea/opportunity"),
    "risiko": ("Risiko", "Risk"),
}
#: Optional age groups: key → (German, English).
AGE_GROUPS: dict[str, tuple[str, str]] = {
    "unter_18": ("unter 18", "under 18"),
    "18_29": ("18–29", "18–29"),
    "30_49": ("30–49", "30–49"),
    "50_64": ("50–64", "50–64"),
    "65_plus": ("65 und älter", "65 and over"),
}
#: Moderation states: a new note is "neu"; only "freigegeben" notes are shown publicly.
STATUSES: dict[str, tuple[str, str]] = {
    "neu": ("neu", "new"),
    "freigegeben": ("freigegeben", "approved"),
    "verborgen": ("verborgen", "hidden"),
}
NEW = "neu"
APPROVED = "freigegeben"
HIDDEN = "verborgen"

#: Most characters of a note's text.
MAX_TEXT = 500
#: Most characters of a moderator's name.
MAX_NAME = 200
#: Raw input longer than this is refused before it is even cleaned (characters).
MAX_RAW = 20_000

#: Finds the AGS of the municipality containing a point (longitude, latitude), or ``None``.
Locator = Callable[[float, float], str | None]


def label(choices: dict[str, tuple[str, str]], key: str | None, lang: str) -> str:
    """Display name of a theme, kind, age group or status (``–`` for none).

    Parameters
    ----------
    choices
        One of :data:`THEMES`, :data:`KINDS`, :data:`AGE_GROUPS`, :data:`STATUSES`.
    key
        The key.
    lang
        Language.

    Returns
    -------
    str
        The name, or the key itself if unknown.
    """
    if not key:
        return "–"
    names = choices.get(key)
    if names is None:
        return key
    return names[1] if lang == "en" else names[0]


class NoteError(KekGeoError):
    """A note (or a note in an import file) is invalid and is not kept.

    Parameters
    ----------
    field
        The property at fault, e.g. ``"text"``.
    problem_en, problem_de
        What is wrong, in one sentence, in English and German.
    """

    def __init__(self, field: str, problem_en: str, problem_de: str) -> None:
        self.field = field
        self.problem_en = problem_en
        self.problem_de = problem_de
        super().__init__(f"{field}: {problem_en}")

    def message(self, lang: str = "de") -> str:
        """The problem in a language (without the field name, for the form)."""
        return self.problem_en if lang == "en" else self.problem_de


@dataclass(frozen=True)
class Note:
    """One citizen note.

    Attributes
    ----------
    lon, lat
        Where it was placed (WGS 84 / CRS84).
    theme, kind
        Keys of :data:`THEMES` and :data:`KINDS`.
    text
        The visitor's text (visible characters only, 1–500 characters).
    gemeinde_ags
        The municipality the point lies in.
    age_group
        Key of :data:`AGE_GROUPS`, or ``None``.
    status
        Key of :data:`STATUSES`.
    id
        UUID.
    created
        Time it was given (UTC).
    moderated_by, moderated_at
        Who changed it last in moderation, and when (empty and ``None`` until then).
    """

    lon: float
    lat: float
    theme: str
    kind: str
    text: str
    gemeinde_ags: str
    age_group: str | None = None
    status: str = NEW
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    created: datetime = field(default_factory=lambda: datetime.now(UTC))
    moderated_by: str = ""
    moderated_at: datetime | None = None


def choice(value: object, choices: dict[str, tuple[str, str]], name: str) -> str:
    """A key of ``choices``, or a :class:`NoteError` naming the field and the allowed keys.

    Parameters
    ----------
    value
        The value given.
    choices
        One of :data:`THEMES`, :data:`KINDS`, :data:`AGE_GROUPS`, :data:`STATUSES`.
    name
        The field, for the message.

    Returns
    -------
    str
        The key.
    """
    key = one_line(value)
    if key not in choices:
        shown = key[:40] if key else "(leer)"
        allowed = ", ".join(choices)
        raise NoteError(
            name,
            f"unknown {name} {shown!r} (one of {allowed})",
            f"unbekannter Wert {shown!r} für {name} (erlaubt: {allowed})",
        )
    return key


def note_text(value: object) -> str:
    """The text of a note, cleaned, or a :class:`NoteError` if empty or too long.

    Parameters
    ----------
    value
        What the visitor typed.

    Returns
    -------
    str
        Visible characters only (see :func:`kek_geo.text.visible_text`), 1–500 of them.
    """
    raw = "" if value is None else str(value)
    length = len(raw) if len(raw) > MAX_RAW else len(visible_text(raw))
    if length > MAX_TEXT:
        raise NoteError(
            "text",
            f"the text has {fmt_number(length, 0, 'en')} characters; at most {MAX_TEXT} are "
            "allowed",
            f"Der Text hat {fmt_number(length, 0, 'de')} Zeichen; höchstens {MAX_TEXT} sind "
            "erlaubt.",
        )
    text = visible_text(raw)
    if not text.strip(BLANK_LOOKING + " \n\u200c\u200d"):
        raise NoteError("text", "the text is empty", "Bitte schreiben Sie einen Text.")
    return text


def _coordinate(value: object, name: str, low: float, high: float) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not math.isfinite(number) or not low <= number <= high:
        raise NoteError(
            "geometry",
            f"{name} {value!r} is not a valid coordinate",
            f"{name} {value!r} ist keine gültige Koordinate",
        )
    return number


def make_note(
    *,
    lon: object,
    lat: object,
    theme: object,
    kind: object,
    text: object,
    locate: Locator,
    age_group: object = None,
    status: object = NEW,
    note_id: object = None,
    created: datetime | None = None,
    district: str = "",
) -> Note:
    """A validated note, or a :class:`NoteError` naming the first problem.

    Parameters
    ----------
    lon, lat
        The point (WGS 84); it must lie in the district.
    theme, kind, age_group, status
        Keys of :data:`THEMES`, :data:`KINDS`, :data:`AGE_GROUPS` (or empty) and
        :data:`STATUSES`.
    text
        What the visitor typed.
    locate
        Finds the municipality of a point (see :class:`kek_geo.notes.places.GemeindeLocator`).
    note_id
        UUID of an existing note (from an import file); a new one by default.
    created
        Time of an existing note; now by default.
    district
        Name of the district, for the message on a point outside it (e.g. ``Kreis Lippe``).

    Returns
    -------
    Note
        The note.
    """
    x = _coordinate(lon, "longitude", -180.0, 180.0)
    y = _coordinate(lat, "latitude", -90.0, 90.0)
    ags = locate(x, y)
    if ags is None:
        named = f" ({district})" if district else ""
        raise NoteError(
            "geometry",
            f"the place lies outside the district{named}",
            f"Der Ort liegt außerhalb des Kreisgebiets{named}. Bitte tippen Sie in den Kreis.",
        )
    group = None if age_group in (None, "") else choice(age_group, AGE_GROUPS, "age_group")
    return Note(
        lon=x,
        lat=y,
        theme=choice(theme, THEMES, "theme"),
        kind=choice(kind, KINDS, "kind"),
        text=note_text(text),
        gemeinde_ags=ags,
        age_group=group,
        status=choice(status, STATUSES, "status"),
        id=str(uuid.uuid4()) if note_id is None else _uuid(note_id),
        created=datetime.now(UTC) if created is None else created,
    )


def _uuid(value: object) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError as exc:
        shown = one_line(value)[:40]
        raise NoteError("id", f"{shown!r} is not a UUID", f"{shown!r} ist keine UUID") from exc


def moderator_name(value: object) -> str:
    """Who moderates: a visible, single-line name of 1–200 characters.

    Parameters
    ----------
    value
        What the moderator typed.

    Returns
    -------
    str
        The name.
    """
    name = one_line(value)[:MAX_NAME]
    if not name:
        raise NoteError("moderated_by", "who moderates is missing", "Bitte Ihren Namen angeben.")
    return name


def recategorised(note: Note, *, theme: str | None = None, kind: str | None = None) -> Note:
    """The note with another theme or kind (validated).

    Parameters
    ----------
    note
        The note.
    theme, kind
        New keys, or ``None`` to keep them.

    Returns
    -------
    Note
        The changed note.
    """
    return replace(
        note,
        theme=note.theme if theme is None else choice(theme, THEMES, "theme"),
        kind=note.kind if kind is None else choice(kind, KINDS, "kind"),
    )


def may_send(sent: Sequence[float], now: float, limit: int, window_s: float) -> bool:
    """Whether a session may send another note (at most ``limit`` per ``window_s`` seconds).

    Parameters
    ----------
    sent
        Times (seconds, any monotonic clock) of the notes this session sent.
    now
        The time now, on the same clock.
    limit
        Notes allowed per window.
    window_s
        Length of the window in seconds.

    Returns
    -------
    bool
        True if fewer than ``limit`` notes were sent in the last ``window_s`` seconds.
    """
    return sum(1 for t in sent if now - t < window_s) < limit
