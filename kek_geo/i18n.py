"""User-interface texts in German (first) and English, and number formatting.

Pages never hard-code text: they call :func:`t` with a key. A key missing in a language falls
back to German, and a key missing altogether shows the key itself, so a gap is visible but
never crashes a page.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

Lang = Literal["de", "en"]
LANGS: tuple[Lang, ...] = ("de", "en")

TEXTS: dict[str, tuple[str, str]] = {
    # app frame
    "app.title": ("KEK Geo – {kreis}", "KEK Geo – {kreis}"),
    "app.tagline": (
        "Eine Karte, die in Themen denkt, nicht in Gemeindegrenzen.",
        "A map that thinks in themes, not in municipal borders.",
    ),
    "app.language": ("English", "English"),
    "app.language_help": ("Sprache umschalten / switch language", "Switch language / Sprache"),
    "page.after_map": ("Wird nach der Karte geladen …", "Loading after the map …"),
    "nav.section.start": ("Start", "Start"),
    "nav.section.themes": ("Themen", "Themes"),
    "nav.section.info": ("Info", "Info"),
    "nav.overview": ("Übersicht", "Overview"),
    "nav.about": ("Über die Daten", "About the data"),
    "nav.mobility": ("Mobilität", "Mobility"),
    "nav.broadband": ("Breitband", "Broadband"),
    "nav.education": ("Bildung", "Education"),
    "nav.services": ("Daseinsvorsorge", "Everyday services"),
    "nav.settlement": ("Siedlungsstruktur", "Settlement structure"),
    "nav.demography": ("Demografie", "Demography"),
    "nav.section.scenarios": ("Szenarien", "Scenarios"),
    "nav.scenario_edit": ("Szenario bearbeiten", "Edit a scenario"),
    "nav.scenarios": ("Szenarien vergleichen", "Compare scenarios"),
    "nav.synthesis": ("Gesamtbild", "Overall picture"),
    "nav.section.participation": ("Beteiligung", "Participation"),
    "nav.notes_give": ("Hinweis geben", "Leave a note"),
    "nav.notes_public": ("Hinweise der Bürger", "Citizens' notes"),
    "nav.notes_moderation": ("Hinweise moderieren", "Moderate notes"),
    "nav.methods": ("Methodenblatt", "Method sheets"),
    "nav.section.workshop": ("Werkstatt", "Workshop"),
    "nav.comparison": ("Vergleich", "Comparison"),
    "nav.profile": ("Gemeinde-Steckbrief", "Municipality profile"),
    "nav.kiosk_start": ("Start", "Start"),
    "nav.kiosk_story": ("Frage", "Question"),
    "nav.kiosk_place": ("Mein Ort", "My town"),
    "data.error": (
        "Die Daten konnten nicht geladen werden",
        "The data could not be loaded",
    ),
    "data.error_hint": (
        "Bauen Sie den Datenstand neu mit `kek-geo build-data`.",
        "Rebuild the snapshot with `kek-geo build-data`.",
    ),
    # overview
    "overview.title": ("Übersicht", "Overview"),
    "overview.intro": (
        "{kreis}: die {n} Städte und Gemeinden mit Siedlungsstruktur, Haltestellen, Schulen, "
        "Krankenhäusern und Breitband. Wählen Sie einen Indikator für die Karte und klicken "
        "Sie auf eine Gemeinde.",
        "{kreis}: the {n} towns and municipalities with settlement structure, stops, schools, "
        "hospitals and broadband. Choose an indicator for the map and click a municipality.",
    ),
    "overview.indicator": ("Indikator für die Karte", "Indicator on the map"),
    "overview.layers": ("Ebenen", "Layers"),
    "overview.municipality": ("Gemeinde", "Municipality"),
    "overview.pick_hint": (
        "Klicken Sie auf eine Gemeinde in der Karte oder wählen Sie sie hier.",
        "Click a municipality on the map or choose it here.",
    ),
    "selection.caption": (
        "Gewählt: **{name}** – {value} ({kreis}: {kreis_value}). Eine andere Gemeinde wählen: "
        "in der Karte hineinklicken oder ihre Zeile in der Tabelle anklicken.",
        "Chosen: **{name}** – {value} ({kreis}: {kreis_value}). To choose another: click "
        "inside it on the map or click its row in the table.",
    ),
    "overview.key_figures": ("Kennzahlen", "Key figures"),
    "overview.figure": ("Kennzahl", "Figure"),
    "overview.as_of": ("Stand", "As of"),
    "unit.note.sf": (
        "SF = Siedlungsfläche: die bewohnten 100-m-Zellen (Zensus 2011: Wohngebäude, Wohnungen "
        "oder Einwohner).",
        "SA = settlement area: the inhabited 100 m cells (Zensus 2011: residential buildings, "
        "dwellings or residents).",
    ),
    "theme.data_dates": ("Stand der Daten", "Data as of"),
    "overview.table": ("Alle Gemeinden im Vergleich", "All municipalities side by side"),
    "overview.download": ("Tabelle als CSV", "Table as CSV"),
    "export.thresholds": ("Schwellenwerte", "Thresholds"),
    "export.made_with": (
        "Erstellt mit KEK Geo am {date}; Zahlen ungerundet",
        "Made with KEK Geo on {date}; figures unrounded",
    ),
    "overview.method": ("Methode und Quelle", "Method and source"),
    "overview.whole_kreis": ("{kreis} gesamt", "{kreis} total"),
    "layer.settlement": ("Siedlungsflächen (2011)", "Settlement areas (2011)"),
    "layer.stops": (
        "Haltestellen (Bus, Stadtbahn, Taxibus)",
        "Stops (bus, tram, on-demand)",
    ),
    "layer.rail": ("Bahnhöfe (DB)", "Rail stations (DB)"),
    "layer.schools": ("Schulen", "Schools"),
    "layer.hospitals": ("Krankenhäuser", "Hospitals"),
    "layer.charging": ("Ladesäulen 2019", "EV charging 2019"),
    "layer.gemeinden": ("Gemeinden", "Municipalities"),
    "layer.neighbours": ("Nachbargemeinden", "Neighbouring municipalities"),
    "layer.item.settlement": ("Siedlungsfläche", "Settlement area"),
    "layer.item.stops": ("Haltestelle", "Stop"),
    "layer.item.rail": ("Bahnhof", "Rail station"),
    "layer.item.schools": ("Schule", "School"),
    "layer.item.hospitals": ("Krankenhaus", "Hospital"),
    "layer.item.charging": ("Ladesäule (2019)", "EV charger (2019)"),
    "field.layer": ("Ebene", "Layer"),
    "map.symbols": ("Kartenzeichen", "Map symbols"),
    "map.home": ("Ganzer Kreis", "Whole district"),
    "map.attribution": ("Quellen", "Sources"),
    "map.higher_better": ("höher ist besser", "higher is better"),
    "map.lower_better": ("niedriger ist besser", "lower is better"),
    "map.missing": ("keine Daten", "no data"),
    "map.count_municipalities": (
        "in Klammern: Zahl der Gemeinden",
        "in brackets: number of municipalities",
    ),
    "map.count_cells": ("in Klammern: Zahl der Zellen", "in brackets: number of cells"),
    "field.name": ("Name", "Name"),
    "field.mode": ("Verkehrsmittel", "Mode"),
    "field.category": (
        "Bahnhofskategorie (DB: 1 = großer Knoten … 7 = kleiner Haltepunkt)",
        "Station category (DB: 1 = major hub … 7 = small halt)",
    ),
    "field.school_type": ("Schulform", "School type"),
    "field.pupils": ("Schüler/innen", "Pupils"),
    "field.social_index": ("Sozialindex", "Social index"),
    "field.town": ("Ort", "Town"),
    "field.area_ha": ("Fläche (ha)", "Area (ha)"),
    "field.population_est": ("Einwohner 2022 (geschätzt)", "Residents 2022 (estimated)"),
    "field.operator": ("Betreiber", "Operator"),
    "field.commissioned": ("In Betrieb seit", "In service since"),
    "mode.rail": ("Bahn", "Rail"),
    "mode.tram": ("Stadtbahn", "Tram"),
    "mode.bus": ("Bus", "Bus"),
    "mode.on_demand": ("nur Taxibus/AST", "Taxi-bus/on-demand only"),
    "mode.unknown": ("unbekannt", "unknown"),
    # thematic pages
    "theme.indicator": ("Indikator für die Karte", "Indicator on the map"),
    "theme.thresholds": ("Schwellenwerte anpassen", "Adjust thresholds"),
    "theme.default": ("Vorgabe", "Default"),
    "compared.toggle": ("Kreisvergleich", "Versus district"),
    "compared.help": (
        "Färbt jede Gemeinde nach ihrem Abstand zum Kreiswert: blau günstiger, rot "
        "ungünstiger (bei Kennzahlen ohne Richtung: lila mehr, orange weniger).",
        "Colours each municipality by its difference to the district value: blue better, red "
        "worse (for figures without a direction: purple more, orange less).",
    ),
    "compared.not_for_counts": (
        "Nicht für Anzahlen: der Kreiswert ist ihre Summe.",
        "Not for counts: the district value is their sum.",
    ),
    "theme.reset": ("Vorgaben wiederherstellen", "Restore the defaults"),
    "theme.capped": (
        "„{name}“ gilt mit {value}: nicht weiter als „{limit}“.",
        "“{name}” is used at {value}: not beyond “{limit}”.",
    ),
    "theme.needs.gtfs": (
        "Ohne importierten Fahrplan ohne Wirkung (siehe „Über die Daten“).",
        "Has no effect without an imported timetable (see “About the data”).",
    ),
    "theme.needs.walk_network": (
        "Ohne importiertes Fußwegenetz ohne Wirkung (siehe „Über die Daten“).",
        "Has no effect without an imported walking network (see “About the data”).",
    ),
    "theme.table": ("Gemeinden im Vergleich", "Municipalities side by side"),
    "theme.methods": ("Methoden und Quellen der Schwellenwerte", "Methods and threshold sources"),
    "theme.methods_shared": ("Für mehrere Kennzahlen", "For several figures"),
    "theme.distance_straight": (
        "Entfernungen: Luftlinie (kein Fußwegenetz importiert).",
        "Distances: straight line (no walking network imported).",
    ),
    "theme.distance_network": (
        "Entfernungen: entlang des importierten Fußwegenetzes, ab dem Lotpunkt auf dem "
        "nächsten Weg (© OpenStreetMap contributors, ODbL).",
        "Distances: along the imported walking network, from the foot point on the nearest "
        "path (© OpenStreetMap contributors, ODbL).",
    ),
    # about
    "about.title": ("Über die Daten", "About the data"),
    "about.intro": (
        "Alle Ebenen stammen aus offenen Daten und wurden mit `kek-geo build-data` in den "
        "Datenstand dieser App übernommen. Hier stehen Quelle, Datenstand, Lizenz und Methode "
        "jeder Ebene, und was noch fehlt.",
        "Every layer comes from open data and was turned into this app's snapshot by "
        "`kek-geo build-data`. Here are the source, date, licence and method of every layer, "
        "and what is still missing.",
    ),
    "about.layers": ("Ebenen im Datenstand", "Layers in the snapshot"),
    "about.source": ("Quelle", "Source"),
    "about.date": ("Datenstand", "Data date"),
    "about.not_available": ("nicht vorhanden", "not available"),
    "about.licence": ("Lizenz", "Licence"),
    "about.credit": ("Namensnennung", "Credit"),
    "about.method": ("Methode", "Method"),
    "about.features": ("Objekte", "Features"),
    "about.files": ("Rohdateien", "Raw files"),
    "about.notes": ("Hinweise", "Notes"),
    "about.missing": (
        "Was fehlt – und wie es importiert wird",
        "What is missing – and how to import it",
    ),
    "about.missing_intro": (
        "Diese Ebenen gibt es offline nicht. Die App zeigt sie als fehlend, bis sie importiert "
        "sind; nichts davon wird geschätzt oder erfunden.",
        "These layers are not available offline. The app shows them as missing until they are "
        "imported; none of them is estimated or invented.",
    ),
    "about.how": ("So importieren", "How to import"),
    "about.sources": ("Quellen und Lizenzen", "Sources and licences"),
    "about.imports": ("Importierte Daten", "Imported data"),
    "about.imports_intro": (
        "Daten, die nach dem Datenstand importiert wurden (`kek-geo import-…`). Nach einem "
        "Import die App neu starten: der Datenstand wird einmal je Serverprozess geladen.",
        "Data imported after the snapshot (`kek-geo import-…`). Restart the app after an "
        "import: the snapshot is loaded once per server process.",
    ),
    "about.imported": ("importiert", "imported"),
    "about.not_imported": ("nicht importiert", "not imported"),
    "about.damaged": (
        "beschädigt – wird behandelt, als wäre er nicht importiert",
        "damaged – treated as not imported",
    ),
    "about.basemap": ("Hintergrundkarte", "Basemap"),
    "about.basemap_off": (
        "Keine Hintergrundkarte: die App lädt nichts aus dem Internet. Eine eigene Kachelquelle "
        "lässt sich mit KEK_TILES_URL und KEK_TILES_ATTRIBUTION einstellen.",
        "No basemap: the app loads nothing from the internet. A tile source can be set with "
        "KEK_TILES_URL and KEK_TILES_ATTRIBUTION.",
    ),
    "about.basemap_on": ("Hintergrundkarte: {attribution}", "Basemap: {attribution}"),
}


def register_texts(texts: dict[str, tuple[str, str]]) -> None:
    """Add the texts of a theme module; a key may be defined only once.

    Parameters
    ----------
    texts
        Key → ``(German, English)``.
    """
    clash = sorted(set(texts) & set(TEXTS))
    if clash:
        msg = f"text keys defined twice: {clash}"
        raise ValueError(msg)
    TEXTS.update(texts)


def t(key: str, lang: str = "de", **values: object) -> str:
    """Text for a key in a language, with ``{placeholders}`` filled in.

    Parameters
    ----------
    key
        Text key.
    lang
        ``"de"`` or ``"en"``.
    **values
        Values for placeholders.

    Returns
    -------
    str
        The text; the German one if the language is unknown, the key if the key is unknown.
    """
    pair = TEXTS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**values) if values else text


def pick(lang: str, de: str, en: str) -> str:
    """Choose between a German and an English text.

    Parameters
    ----------
    lang
        ``"de"`` or ``"en"``.
    de, en
        The two texts.

    Returns
    -------
    str
        The text in the language.
    """
    return en if lang == "en" else de


#: English units for the German ones the indicators and thresholds carry (``Indicator.unit``);
#: units not listed (``%``, ``m``, ``ha``) read the same in both languages.
UNITS_EN: dict[str, str] = {
    "Einw.": "res.",
    "Einw./km²": "res./km²",
    "Einw./km² SF": "res./km² SA",
    "m²/Einw.": "m²/res.",
    "Haush.": "households",
    "Abf./Tag": "dep./day",
    "Kinder": "children",
    "Pers.": "persons",
    "Zellen": "cells",
    "Lücken": "gaps",
    "Schulen": "schools",
    "Stufe 1–9": "level 1–9",
    "von 5": "of 5",
    "%-Pkt.": "pp",
}


#: Units that need a word of explanation, and the text key of it.
UNIT_NOTES: dict[str, str] = {"Einw./km² SF": "unit.note.sf"}


def unit_notes(units: Iterable[str], lang: str = "de") -> list[str]:
    """One-line explanations of the abbreviated units among some units, each once.

    Parameters
    ----------
    units
        Units as defined (German).
    lang
        ``"de"`` or ``"en"``.

    Returns
    -------
    list of str
        The explanations, in first-seen order.
    """
    keys = dict.fromkeys(UNIT_NOTES[u] for u in units if u in UNIT_NOTES)
    return [t(key, lang) for key in keys]


def unit_text(unit: str, lang: str = "de") -> str:
    """A unit in a language: the German unit itself, or its English form.

    Parameters
    ----------
    unit
        Unit as defined with an indicator or threshold (German), e.g. ``Einw./km²``.
    lang
        ``"de"`` or ``"en"``.

    Returns
    -------
    str
        The unit to show.
    """
    return UNITS_EN.get(unit, unit) if lang == "en" else unit


def round_half_up(value: float, decimals: int = 0) -> float:
    """Round a number for display as people do: halves away from zero, by its decimal text.

    ``0.35`` becomes ``0.4`` (binary floating point would give ``0.3``), so a figure reads the
    same in a sentence, a table and a legend.

    Parameters
    ----------
    value
        Number to round; NaN stays NaN.
    decimals
        Digits after the decimal separator.

    Returns
    -------
    float
        The rounded number.
    """
    if math.isnan(value) or math.isinf(value):
        return value
    step = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP))


def fmt_number(value: float | None, decimals: int = 0, lang: str = "de") -> str:
    """Format a number with thousands separators in German or English style.

    Parameters
    ----------
    value
        Number to format; missing and infinite values become an en dash.
    decimals
        Digits after the decimal separator.
    lang
        ``"de"`` gives ``1.234,5``, ``"en"`` gives ``1,234.5``.

    Returns
    -------
    str
        The formatted number.
    """
    if value is None or not math.isfinite(float(value)):
        return "–"
    text = f"{round_half_up(float(value), decimals):,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


# Characters that mean something inside a line of Streamlit's Markdown: CommonMark emphasis,
# code, links and HTML, GFM tables and strikethrough, $ for maths, : for emoji and directives.
# (Block markers such as "#" or "1." matter only at the start of a line; the text is one line.)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~$:&])")


def md_escape(text: str) -> str:
    """Text shown literally in Markdown: every special character backslash-escaped.

    Parameters
    ----------
    text
        Any text (a file name, an error message).

    Returns
    -------
    str
        The escaped text, on one line.
    """
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def md_code(text: str) -> str:
    """Text as a Markdown code span, fenced with more backticks than it contains.

    Parameters
    ----------
    text
        Any text, e.g. a file path.

    Returns
    -------
    str
        The code span.
    """
    text = " ".join(text.split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
