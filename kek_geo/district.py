"""The district a snapshot covers: its key and name, read from the data, never assumed.

The key of the district (the first five digits of the Amtlicher Gemeindeschlüssel) is shared
by every municipality in it, so tables derive it from their municipalities with
:func:`district_key`; names for display come from the snapshot's ``kreis`` layer
(:func:`district_of`, :attr:`kek_geo.snapshot.Snapshot.district`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from kek_geo.errors import KekGeoError

#: Length of a district key (Kreisschlüssel), e.g. ``05766`` (Kreis Lippe).
KEY_LENGTH = 5
_AGS = re.compile(r"\d{5,}")

_WORDS = {
    "de": ("zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf",
           "zwölf"),
    "en": ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
           "twelve"),
}  # fmt: skip


class DistrictError(KekGeoError):
    """The municipalities or the ``kreis`` layer do not name one district."""


@dataclass(frozen=True)
class District:
    """The district of a snapshot.

    Attributes
    ----------
    ags
        Five-digit key, the index of the district row in every table.
    name
        Name for display, as in the ``kreis`` layer (e.g. ``Kreis Lippe``).
    """

    ags: str
    name: str


class _Layers(Protocol):
    def layer(self, name: str) -> pd.DataFrame: ...


def district_key(gemeinden: pd.DataFrame | Iterable[object]) -> str:
    """The district key shared by municipalities: the first five digits of every AGS.

    Parameters
    ----------
    gemeinden
        A frame with an ``ags`` column, or AGS values (a series, an index, a list); a table
        that already holds the district row may be passed too (its key has the same digits).

    Returns
    -------
    str
        The five-digit key.

    Raises
    ------
    DistrictError
        If there is no AGS, one is not a key of at least five digits, or they disagree.
    """
    values = gemeinden["ags"] if isinstance(gemeinden, pd.DataFrame) else gemeinden
    keys: set[str] = set()
    for value in values:
        text = str(value)
        if not _AGS.fullmatch(text):
            msg = f"{text!r} is not a municipality key (AGS of at least five digits)"
            raise DistrictError(msg)
        keys.add(text[:KEY_LENGTH])
    if len(keys) != 1:
        found = ", ".join(sorted(keys)) or "none"
        msg = f"the municipalities must share one district key, found: {found}"
        raise DistrictError(msg)
    return keys.pop()


def read_district(kreis: pd.DataFrame, gemeinden: pd.DataFrame) -> District:
    """The district from the ``kreis`` layer, checked against the municipalities.

    Parameters
    ----------
    kreis
        The ``kreis`` layer: one row with ``ags`` and ``name``.
    gemeinden
        The ``gemeinden`` layer.

    Returns
    -------
    District
        Key and name.

    Raises
    ------
    DistrictError
        If the layer has not exactly one row or its key is not the municipalities' one.
    """
    if len(kreis) != 1:
        msg = f"the kreis layer must hold one district, it holds {len(kreis)} rows"
        raise DistrictError(msg)
    ags = str(kreis["ags"].iloc[0]).strip()
    name = str(kreis["name"].iloc[0]).strip()
    key = district_key(gemeinden)
    if ags != key:
        msg = f"the kreis layer names district {ags!r}, its municipalities belong to {key!r}"
        raise DistrictError(msg)
    return District(ags=ags, name=name or ags)


def district_of(source: _Layers) -> District:
    """The district of a layer source (the snapshot's, a scenario's, a test's).

    Parameters
    ----------
    source
        Anything with ``layer(name)``; a ``district`` attribute (the snapshot's, passed on
        by a scenario) is used when present.

    Returns
    -------
    District
        Key and name.
    """
    known = getattr(source, "district", None)
    if isinstance(known, District):
        return known
    return read_district(source.layer("kreis"), source.layer("gemeinden"))


def count_text(n: int, lang: str) -> str:
    """A count for running text: a word from two to twelve (``neun``, ``nine``), else digits.

    Parameters
    ----------
    n
        The count.
    lang
        ``"de"`` or ``"en"``.

    Returns
    -------
    str
        The word or the number.
    """
    words = _WORDS["en" if lang == "en" else "de"]
    return words[n - 2] if 2 <= n <= len(words) + 1 else str(n)


def text_values(source: _Layers, lang: str) -> dict[str, str]:
    """Placeholders that name the district in texts: ``{kreis}`` and ``{n}`` municipalities.

    Parameters
    ----------
    source
        The snapshot (or any layer source).
    lang
        Language of the count word.

    Returns
    -------
    dict
        ``kreis`` (e.g. ``Kreis Lippe``) and ``n`` (``neun`` for nine, ``16`` for sixteen).
    """
    return {
        "kreis": district_of(source).name,
        "n": count_text(len(source.layer("gemeinden")), lang),
    }


def municipality_names(table: pd.DataFrame) -> dict[str, str]:
    """Municipality names by AGS from an indicator table, the district row left out.

    Parameters
    ----------
    table
        Indicator table (index AGS and the district key, column ``gemeinde``).

    Returns
    -------
    dict
        AGS → name, in the table's order.
    """
    kreis = district_key(table.index)
    return {str(a): str(n) for a, n in table["gemeinde"].items() if str(a) != kreis}
