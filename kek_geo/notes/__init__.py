"""Citizen notes: model and validation, municipality lookup, interchange file, summaries.

A visitor taps a place, picks a KEK theme and a kind, and writes up to 500 characters
(:mod:`~kek_geo.notes.model`); the municipality comes from the point
(:mod:`~kek_geo.notes.places`). Notes are stored by :class:`kek_geo.storage.NoteStore` and
move between a kiosk laptop and the planners' database as a GeoJSON file
(:mod:`~kek_geo.notes.interchange`), which is also exported as CSV for German Excel.
"""

from kek_geo.notes.model import (
    AGE_GROUPS,
    APPROVED,
    HIDDEN,
    KINDS,
    MAX_TEXT,
    NEW,
    STATUSES,
    THEMES,
    Note,
    NoteError,
    label,
    make_note,
)

__all__ = [
    "AGE_GROUPS",
    "APPROVED",
    "HIDDEN",
    "KINDS",
    "MAX_TEXT",
    "NEW",
    "STATUSES",
    "THEMES",
    "Note",
    "NoteError",
    "label",
    "make_note",
]
