"""Text typed by a visitor or read from a file: only visible characters survive.

Everything a person types is untrusted. Before it is stored or shown anywhere it passes
:func:`visible_text`, which keeps letters, digits, punctuation, symbols, spaces and line breaks
and drops what cannot be seen but can change how text displays or is read: control characters,
bidirectional overrides and marks (U+202A–U+202E, U+2066–U+2069, U+200E/F), zero-width spaces,
surrogates and private-use code points. The zero-width joiners stay (emoji sequences and
Persian words need them). Escaping for HTML, Markdown or CSV happens
where the text is shown, not here.
"""

from __future__ import annotations

import re
import unicodedata

#: Unicode categories dropped: control, format (bidi marks, zero-width), surrogate, private use.
_DROPPED = frozenset({"Cc", "Cf", "Cs", "Co"})
#: Kept although invisible: the joiners that emoji sequences and Persian or Indic words need.
_JOINERS = frozenset("\u200c\u200d")
#: Controls that separate words: they become a space, not nothing.
_SPACE_CONTROLS = frozenset("\t\x0b\x0c\x85")
#: Characters that look blank although they are letters or symbols (Hangul and Braille fillers).
BLANK_LOOKING = "\u115f\u1160\u3164\uffa0\u2800"
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
        every other kind of white space (tab, vertical tab, form feed, NEL included) one
        space, invisible characters are removed, and the ends are stripped.
    """
    text = "" if value is None else str(value)
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\r\n?|[\u2028\u2029]", "\n", text)
    text = "".join(
        " " if ch in _SPACE_CONTROLS else ch
        for ch in text
        if ch == "\n"
        or ch in _SPACE_CONTROLS
        or ch in _JOINERS
        or unicodedata.category(ch) not in _DROPPED
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
