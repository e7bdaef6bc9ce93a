"""Text typed by a visitor or read from a file: only visible characters survive.

Everything a person types is untrusted. Before it is stored or shown anywhere it passes
:func:`visible_text`, which keeps letters, digits, punctuation, symbols, spaces and line breaks
and drops what cannot be seen but can change how text displays or is read: control characters,
bidirectional overrides and marks (U+202A–U+202E, U+2066–U+2069, U+200E/F), zero-width
characters, surrogates and private-use code points. Escaping for HTML, Markdown or CSV happens
where the text is shown, not here.
"""

from __future__ import annotations

import re
import unicodedata

#: Unicode categories dropped: control, format (bidi marks, zero-width), surrogate, private use.
_DROPPED = frozenset({"Cc", "Cf", "Cs", "Co"})
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def visible_text(value: object) -> str:
    r"""A string of visible characters, single-spaced, with at most one blank line in a row.

    Parameters
    ----------
    value
        Any value (``None`` gives an empty string).

    Returns
    -------
    str
        NFC-normalised text: line breaks (``\r\n``, ``\r``, U+2028/U+2029) become ``\n``,
        every other kind of white space one space, invisible characters are removed, and the
        ends are stripped.
    """
    text = "" if value is None else str(value)
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\r\n?|[\u2028\u2029]", "\n", text)
    text = "".join(
        " " if ch == "\t" else ch
        for ch in text
        if ch in "\n\t" or unicodedata.category(ch) not in _DROPPED
    )
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def one_line(value: object) -> str:
    """:func:`visible_text` on a single line (line breaks become spaces).

    Parameters
    ----------
    value
        Any value.

    Returns
    -------
    str
        The text without line breaks.
    """
    return _SPACES.sub(" ", visible_text(value).replace("\n", " "))
