"""CSV files that spreadsheet programs open correctly in the user's language.

German Excel splits columns at ``;`` and reads ``,`` as the decimal mark; English Excel
expects ``,`` and ``.``. Both get a UTF-8 byte-order mark, so umlauts survive. Numbers are
written at full precision: rounding is for the screen only.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence

import pandas as pd

#: Column separator and decimal mark per language.
FORMATS = {"de": (";", ","), "en": (",", ".")}


#: Lines before the table that say where it comes from start with this mark.
NOTE_MARK = "#"


def csv_bytes(
    table: pd.DataFrame, lang: str, *, index: bool = True, notes: Sequence[str] = ()
) -> bytes:
    """A table as CSV for the spreadsheet program of ``lang``.

    Notes (what the table is, its thresholds, data dates and sources) come first, one per
    line, each a single quoted cell starting with ``#``, so a spreadsheet shows each in
    its first cell and :func:`read_csv_bytes` skips them.

    Parameters
    ----------
    table
        The table (numbers as numbers; they are not rounded).
    lang
        ``"de"`` (``;`` and decimal comma) or ``"en"`` (``,`` and decimal point).
    index
        Whether to write the index as the first column.
    notes
        Lines written before the table.

    Returns
    -------
    bytes
        UTF-8 with byte-order mark.
    """
    sep, decimal = FORMATS.get(lang, FORMATS["de"])
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    for note in notes:
        writer.writerow([f"{NOTE_MARK} {' '.join(note.split())}"])
    table.to_csv(buffer, sep=sep, decimal=decimal, index=index, lineterminator="\r\n")
    return buffer.getvalue().encode("utf-8-sig")


def read_csv_bytes(data: bytes, lang: str) -> pd.DataFrame:
    """Read back a file written by :func:`csv_bytes` (for tests and re-imports).

    Parameters
    ----------
    data
        The file's bytes.
    lang
        The language it was written for.

    Returns
    -------
    pandas.DataFrame
        The table, index not restored.
    """
    sep, decimal = FORMATS.get(lang, FORMATS["de"])
    text = data.decode("utf-8-sig")
    skip = len(note_lines(text))
    return pd.read_csv(io.StringIO(text), sep=sep, decimal=decimal, skiprows=skip)


def note_lines(text: str) -> list[str]:
    """The notes at the top of a file written by :func:`csv_bytes`.

    Parameters
    ----------
    text
        The file's text.

    Returns
    -------
    list of str
        The notes without their mark and quotes.
    """
    notes = []
    for line in text.splitlines():
        if not line.startswith(f'"{NOTE_MARK}'):
            break
        cell = next(csv.reader([line]))[0]
        notes.append(cell.removeprefix(NOTE_MARK).strip())
    return notes


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def file_name(theme: str, params: Mapping[str, float], *, suffix: str = "csv") -> str:
    """A download's file name that says its theme and thresholds.

    Parameters
    ----------
    theme
        Theme or page key, e.g. ``"mobility"``.
    params
        Thresholds by key, e.g. ``{"mob_stop_radius_m": 600}``.
    suffix
        File type.

    Returns
    -------
    str
        E.g. ``"kek-geo-mobility_mob-stop-radius-m-600.csv"``.
    """
    parts = [f"kek-geo-{_slug(theme)}"]
    for key, value in sorted(params.items()):
        number = float(value)
        shown = str(int(number)) if number.is_integer() else f"{number:g}".replace(".", "-")
        parts.append(f"{_slug(key)}-{shown}")
    return "_".join(parts) + f".{suffix}"
