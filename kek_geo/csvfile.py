"""CSV files that spreadsheet programs open correctly in the user's language.

German Excel splits columns at ``;`` and reads ``,`` as the decimal mark; English Excel
expects ``,`` and ``.``. Both get a UTF-8 byte-order mark, so umlauts survive. Numbers are
written at full precision: rounding is for the screen only.
"""

from __future__ import annotations

import io

import pandas as pd

#: Column separator and decimal mark per language.
FORMATS = {"de": (";", ","), "en": (",", ".")}


def csv_bytes(table: pd.DataFrame, lang: str, *, index: bool = True) -> bytes:
    """A table as CSV for the spreadsheet program of ``lang``.

    Parameters
    ----------
    table
        The table (numbers as numbers; they are not rounded).
    lang
        ``"de"`` (``;`` and decimal comma) or ``"en"`` (``,`` and decimal point).
    index
        Whether to write the index as the first column.

    Returns
    -------
    bytes
        UTF-8 with byte-order mark.
    """
    sep, decimal = FORMATS.get(lang, FORMATS["de"])
    buffer = io.StringIO()
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
    return pd.read_csv(io.BytesIO(data), sep=sep, decimal=decimal, encoding="utf-8-sig")
