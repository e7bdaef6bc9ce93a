"""Texts written into the snapshot's manifest, shown in the reader's language.

The manifest stores data dates as the sources state them (German phrases, ISO dates) and the
build notes in English. This module turns both into the language of the page: ISO dates become
``15.05.2022`` and ``10/2025`` in German, the German date phrases become English, and the known
build notes get their German wording. A note of unknown form is shown as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kek_geo.i18n import fmt_number

_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_ISO_MONTH = re.compile(r"\b(\d{4})-(\d{2})\b")

#: German phrases of data dates (in the sources' ``data_date``) and their English wording.
_DATE_PHRASES_EN: tuple[tuple[str, str], ...] = (
    ("Gebietsstand unverändert seit", "boundaries unchanged since"),
    ("Zensusstichtag", "census day"),
    ("Schuljahr", "school year"),
    ("(Gemeinden)", "(municipalities)"),
    ("(Kreis)", "(district)"),
    ("Anfang ", "early "),
    ("Mitte ", "mid-"),
    ("Ende ", "end of "),
)


def date_text(text: str, lang: str) -> str:
    """A data date of the manifest in a language.

    Parameters
    ----------
    text
        E.g. ``2016 (Gebietsstand unverändert seit 1973); 2022-05-15``.
    lang
        ``"de"`` or ``"en"``.

    Returns
    -------
    str
        German: ISO dates as ``15.05.2022`` and ``05/2022``; English: the German phrases
        translated, ISO dates kept.
    """
    if lang == "en":
        for de, en in _DATE_PHRASES_EN:
            text = text.replace(de, en)
        return text
    text = _ISO_DAY.sub(r"\3.\2.\1", text)
    return _ISO_MONTH.sub(r"\2/\1", text)


def _number(text: str, lang: str) -> str:
    """A number written by the build (``251,666`` or ``0.901``) in the language's format."""
    plain = text.replace(",", "")
    decimals = len(plain.split(".")[1]) if "." in plain else 0
    return fmt_number(float(plain), decimals, lang)


#: Words of the build notes that are values, not prose (broadband segments).
_WORDS_DE = {"households": "Haushalte", "businesses": "Unternehmen", "schools": "Schulen"}


def _german_value(value: str) -> str:
    if re.fullmatch(r"[\d,.]+", value):
        return _number(value, "de")
    return _WORDS_DE.get(value, date_text(value, "de"))


def _german(template: str) -> Callable[[re.Match[str]], str]:
    """A replacement that fills the groups of a note into its German template."""

    def fill(match: re.Match[str]) -> str:
        values = {k: _german_value(v) for k, v in match.groupdict().items()}
        return template.format(**values)

    return fill


_N = r"[\d,.]+"

#: The build notes (:mod:`kek_geo.pipeline`) and their German wording.
_NOTES_DE: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"^not used: district release without municipal data: (?P<what>\w+) "
            r"(?P<release>\d{4}-\d{2})$"
        ),
        "nicht verwendet: Kreis-Veröffentlichung ohne Gemeindewerte: {what} {release}",
    ),
    (re.compile(r"^not used: (?P<file>.+)$"), "nicht verwendet: {file}"),
    (
        re.compile(
            rf"^1 km cells touching the district: (?P<n>{_N}); their 2022 population inside the "
            r"district \(split by the 2011 structure of their 100 m cells, by area only where "
            rf"none publishes anything\): (?P<pop>{_N})\.$"
        ),
        "1-km-Zellen, die den Kreis berühren: {n}; ihre Einwohner 2022 im Kreis (aufgeteilt "
        "nach der Struktur 2011 ihrer 100-m-Zellen, nach Fläche nur, wo keine etwas "
        "veröffentlicht): {pop}.",
    ),
    (
        re.compile(
            rf"^100 m cells inside the district: (?P<n>{_N}); weighted by dwellings (?P<dw>{_N}), "
            rf"by residential buildings (?P<bu>{_N}), by published children under 10 "
            rf"(?P<ch>{_N}); (?P<old>{_N}) publish only people 80\+ and count as them; "
            rf"(?P<floor>{_N}) cells hold exactly their published residents \(under 10 and "
            r"80\+\)\.$"
        ),
        "100-m-Zellen im Kreis: {n}; gewichtet nach Wohnungen {dw}, nach Wohngebäuden {bu}, "
        "nach veröffentlichten Kindern unter 10 {ch}; {old} veröffentlichen nur Menschen ab 80 "
        "und zählen mit diesen; {floor} Zellen haben genau ihre veröffentlichten Einwohner "
        "(unter 10 und ab 80).",
    ),
    (
        re.compile(
            rf"^The 2022 1 km population spread over these cells: (?P<spread>{_N}); calibrated "
            r"to the official Zensus 2022 totals per municipality with factors "
            rf"(?P<low>{_N}) to (?P<high>{_N}): (?P<est>{_N}) \(official (?P<official>{_N})\)\. "
            rf"(?P<empty>{_N}) 1 km cells touching the district hold (?P<pop>{_N}) residents "
            r"but no 100 m cell publishing anything; the calibration places their share\.$"
        ),
        "Die Einwohner 2022 der 1-km-Zellen, auf diese Zellen verteilt: {spread}; je Gemeinde "
        "auf die amtlichen Zensus-2022-Zahlen abgestimmt mit Faktoren {low} bis {high}: {est} "
        "(amtlich {official}). {empty} 1-km-Zellen am Kreis haben {pop} Einwohner, aber keine "
        "100-m-Zelle, die etwas veröffentlicht; die Abstimmung verteilt ihren Anteil.",
    ),
    (
        re.compile(
            rf"^100 m cells with residents in the district: (?P<n>{_N}), residents "
            rf"(?P<pop>{_N}) \(Zensus 2022, counted, not estimated\)\.$"
        ),
        "100-m-Zellen mit Einwohnern im Kreis: {n}, Einwohner {pop} (Zensus 2022, gezählt, "
        "nicht geschätzt).",
    ),
    (
        re.compile(
            rf"^1 km cells touching the district: (?P<n>{_N}) \(sums of their 100 m cells\)\.$"
        ),
        "1-km-Zellen, die den Kreis berühren: {n} (Summen ihrer 100-m-Zellen).",
    ),
    (
        re.compile(
            r"^OSM land use not used: it holds under (?P<pct>\d+%) of the residents of "
            r"(?P<names>.+); the settlement areas stay those derived from the census cells\.$"
        ),
        "OSM-Flächennutzung nicht verwendet: sie enthält weniger als {pct} der Einwohner von "
        "{names}; die Siedlungsflächen bleiben die aus den Zensuszellen abgeleiteten.",
    ),
    (re.compile(r"^(?P<kind>\w+): (?P<n>\d+) areas$"), "{kind}: {n} Flächen"),
)


def note_text(note: str, lang: str) -> str:
    """A build note of the manifest in a language.

    Parameters
    ----------
    note
        The note as the build wrote it (English).
    lang
        ``"de"`` or ``"en"``.

    Returns
    -------
    str
        English: the note; German: its German wording, or the note itself if its form is
        unknown.
    """
    if lang == "en":
        return note
    for pattern, template in _NOTES_DE:
        match = pattern.match(note)
        if match:
            return _german(template)(match)
    return note
