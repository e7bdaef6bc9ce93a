"""JSON written into the scripts of a map page, safe for HTML and for folium's templates."""

from __future__ import annotations

import json
import re

#: A brace that would open a jinja tag (``{{``, ``{%``, ``{#``).
_TAG_OPENING = re.compile(r"\{(?=[{%#])")


def script_json(value: object) -> str:
    r"""JSON for use inside a ``<script>`` of a folium map.

    ``<``, ``>`` and ``&`` are written as Unicode escapes, so a visitor's text such as
    ``</script><img onerror=…>`` cannot end the script element it is embedded in. folium reads
    every rendered script once more as a jinja template, so a brace that would open a tag
    (``{{``, ``{%``, ``{#``) is written as ``\u007b`` too: a note reading ``{{ 7*7 }}`` stays
    that text instead of being evaluated. In a JSON text these pairs occur only inside
    strings, where the escapes mean the same characters; the parsed JavaScript value is
    unchanged.

    Parameters
    ----------
    value
        JSON-serialisable value.

    Returns
    -------
    str
        The JSON text.
    """
    text = json.dumps(value, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _TAG_OPENING.sub(r"\\u007b", text)
