"""Notes as tables: the list for moderation and export, counts per municipality and theme."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

import pandas as pd

from kek_geo.district import District
from kek_geo.i18n import register_texts, t
from kek_geo.notes.model import AGE_GROUPS, KINDS, STATUSES, THEMES, Note, label

#: Notes are shown in the district's local time.
LOCAL_TIME = ZoneInfo("Europe/Berlin")

register_texts(
    {
        "notes.col.created": ("Zeit", "Time"),
        "notes.col.gemeinde": ("Gemeinde", "Municipality"),
        "notes.col.theme": ("Thema", "Theme"),
        "notes.col.kind": ("Art", "Kind"),
        "notes.col.text": ("Text", "Text"),
        "notes.col.age_group": ("Altersgruppe", "Age group"),
        "notes.col.status": ("Status", "Status"),
        "notes.col.moderated_by": ("Moderiert von", "Moderated by"),
        "notes.col.moderated_at": ("Moderiert am", "Moderated at"),
        "notes.col.id": ("ID", "ID"),
        "notes.col.lon": ("Länge (WGS 84)", "Longitude (WGS 84)"),
        "notes.col.lat": ("Breite (WGS 84)", "Latitude (WGS 84)"),
        "notes.col.total": ("zusammen", "total"),
    }
)

#: Columns of :func:`notes_table`, as text keys ``notes.col.<name>``.
COLUMNS = (
    "created",
    "gemeinde",
    "theme",
    "kind",
    "text",
    "age_group",
    "status",
    "moderated_by",
    "moderated_at",
    "id",
    "lon",
    "lat",
)


def header(column: str, lang: str) -> str:
    """Localized header of a column of :func:`notes_table`.

    Parameters
    ----------
    column
        One of :data:`COLUMNS`.
    lang
        Language.

    Returns
    -------
    str
        The header.
    """
    return t(f"notes.col.{column}", lang)


def local_time(note: Note) -> str:
    """When a note was given, in the district's local time (``2026-12-03 14:05``)."""
    return note.created.astimezone(LOCAL_TIME).strftime("%Y-%m-%d %H:%M")


def notes_table(notes: Sequence[Note], lang: str, names: Mapping[str, str]) -> pd.DataFrame:
    """One row per note with localized headers and labels (text as typed, not escaped).

    Parameters
    ----------
    notes
        The notes.
    lang
        Language.
    names
        Municipality names by AGS.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`; coordinates at full precision.
    """
    rows = [
        {
            "created": local_time(n),
            "gemeinde": names.get(n.gemeinde_ags, n.gemeinde_ags),
            "theme": label(THEMES, n.theme, lang),
            "kind": label(KINDS, n.kind, lang),
            "text": n.text,
            "age_group": label(AGE_GROUPS, n.age_group, lang),
            "status": label(STATUSES, n.status, lang),
            "moderated_by": n.moderated_by or "–",
            "moderated_at": "–"
            if n.moderated_at is None
            else n.moderated_at.astimezone(LOCAL_TIME).strftime("%Y-%m-%d %H:%M"),
            "id": n.id,
            "lon": n.lon,
            "lat": n.lat,
        }
        for n in notes
    ]
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    return table.rename(columns={c: header(c, lang) for c in COLUMNS})


def counts_by_gemeinde(
    notes: Sequence[Note], lang: str, names: Mapping[str, str], district: District
) -> pd.DataFrame:
    """Notes per municipality and kind, every municipality listed, plus the district row.

    Parameters
    ----------
    notes
        The notes (usually the approved ones).
    lang
        Language.
    names
        Municipality names by AGS, in display order.
    district
        The district (key and name of the last row).

    Returns
    -------
    pandas.DataFrame
        Columns: municipality, one per kind, total.
    """
    grid = _count(notes, "gemeinde_ags", list(names))
    grid.loc[district.ags] = grid.sum()
    rows = [*names.values(), district.name]
    out = grid.rename(columns=_kind_headers(lang))
    out.insert(0, header("gemeinde", lang), rows)
    return out.reset_index(drop=True)


def counts_by_theme(notes: Sequence[Note], lang: str) -> pd.DataFrame:
    """Notes per KEK theme and kind, every theme listed.

    Parameters
    ----------
    notes
        The notes.
    lang
        Language.

    Returns
    -------
    pandas.DataFrame
        Columns: theme, one per kind, total.
    """
    grid = _count(notes, "theme", list(THEMES)).rename(columns=_kind_headers(lang))
    grid.insert(0, header("theme", lang), [label(THEMES, k, lang) for k in grid.index])
    return grid.reset_index(drop=True)


def _kind_headers(lang: str) -> dict[str, str]:
    return {k: label(KINDS, k, lang) for k in KINDS} | {"total": t("notes.col.total", lang)}


def _count(notes: Sequence[Note], by: str, rows: list[str]) -> pd.DataFrame:
    counts = pd.DataFrame(0, index=rows, columns=[*KINDS, "total"], dtype="int64")
    for note in notes:
        row = getattr(note, by)
        if row in counts.index:
            counts.loc[row, note.kind] += 1
            counts.loc[row, "total"] += 1
    return counts


def by_kind(notes: Sequence[Note], ags: str) -> dict[str, list[Note]]:
    """A municipality's notes grouped by kind (strength, weakness, idea, risk), newest first.

    Parameters
    ----------
    notes
        The notes.
    ags
        The municipality.

    Returns
    -------
    dict
        Kind key → notes, every kind present (possibly empty).
    """
    grouped: dict[str, list[Note]] = {k: [] for k in KINDS}
    for note in sorted(notes, key=lambda n: n.created, reverse=True):
        if note.gemeinde_ags == ags:
            grouped[note.kind].append(note)
    return grouped
