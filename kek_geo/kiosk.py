"""The public kiosk: guided stories with figures from the real indicators, and its screen rules.

Everything here is pure (no Streamlit): the stories and their sentences, filled in from the
indicator table so no figure is ever typed in; the style sheet that makes the screen touch
friendly; and the script that resets the kiosk after a visitor leaves and keeps every tap
inside the app. :mod:`kek_geo.ui.kiosk` puts them on the page.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from kek_geo.district import district_key, municipality_names
from kek_geo.i18n import fmt_number, register_texts, t
from kek_geo.indicators import REGISTRY, Indicator

register_texts(
    {
        "kiosk.title": (
            "{kreis} 2040 – Ihre Meinung zählt",
            "{kreis} 2040 – have your say",
        ),
        "kiosk.intro": (
            "Der Kreis plant seine Zukunft bis 2040. Tippen Sie auf eine Frage. "
            "Die Karte zeigt Ihnen die Antwort.",
            "The district is planning its future up to 2040. Tap a question. "
            "The map shows you the answer.",
        ),
        "kiosk.questions": ("Fragen an die Karte", "Ask the map"),
        "kiosk.more": ("Mitmachen", "Take part"),
        "kiosk.place": ("Was heißt das für meinen Ort?", "What does it mean for my town?"),
        "kiosk.give_note": ("Hinweis auf der Karte geben", "Leave a note on the map"),
        "kiosk.see_notes": ("Hinweise anderer ansehen", "See what others said"),
        "kiosk.home": ("Start", "Start"),
        "kiosk.back": ("Zurück", "Back"),
        "kiosk.language": ("English", "Deutsch"),
        "kiosk.note_on_story": ("Hinweis zu diesem Thema geben", "Leave a note on this topic"),
        "kiosk.other_question": ("Andere Frage", "Another question"),
        "kiosk.as_of": ("Stand der Daten: {date}", "Data as of: {date}"),
        "kiosk.sources": ("Quellen", "Sources"),
        "kiosk.place_title": ("Was heißt das für meinen Ort?", "What does it mean for my town?"),
        "kiosk.place_intro": (
            "Tippen Sie auf Ihre Stadt oder Gemeinde – in der Karte oder auf einen Namen.",
            "Tap your town – on the map or on a name.",
        ),
        "kiosk.place_story": ("Zur Karte", "Open the map"),
        "kiosk.idle_note": (
            "Nach {time} ohne Berührung beginnt die Karte wieder von vorn und vergisst alles, "
            "was Sie gewählt oder geschrieben haben.",
            "After {time} without a touch the map starts again and forgets everything you "
            "chose or wrote.",
        ),
        "kiosk.minutes": ("{n} Minuten", "{n} minutes"),
        "kiosk.unavailable": (
            "Die Karte ist gerade nicht verfügbar. Bitte sprechen Sie das Team am Stand an.",
            "The map is not available right now. Please ask the team at the stand.",
        ),
        "kiosk.seconds": ("{n} Sekunden", "{n} seconds"),
        # stories
        "kiosk.internet.question": (
            "Wo fehlt schnelles Internet?",
            "Where is fast internet missing?",
        ),
        "kiosk.internet.figure": (
            "der Haushalte im Kreis können Gigabit-Internet bekommen.",
            "of households in the district can get gigabit internet.",
        ),
        "kiosk.internet.text": (
            "Am besten versorgt ist {max_gigabit_households} ({max_gigabit_households_value}), "
            "am wenigsten {min_gigabit_households} ({min_gigabit_households_value}). "
            "Ohne Gigabit sind geschätzt {kreis_bb_not_gigabit_households} Haushalte. "
            "Die Karte zeigt den Anteil in jeder Stadt und Gemeinde.",
            "Best served is {max_gigabit_households} ({max_gigabit_households_value}), least "
            "{min_gigabit_households} ({min_gigabit_households_value}). An estimated "
            "{kreis_bb_not_gigabit_households} households have no gigabit. The map shows the "
            "share in each town.",
        ),
        "kiosk.internet.place": (
            "{value} der Haushalte können Gigabit bekommen (Kreis: {kreis}).",
            "{value} of households can get gigabit (district: {kreis}).",
        ),
        "kiosk.stop.question": (
            "Wie gut ist meine Haltestelle erreichbar?",
            "How close is my bus stop?",
        ),
        "kiosk.stop.figure": (
            "der Menschen im Kreis wohnen höchstens {th_mob_stop_radius_m} m (Luftlinie) von "
            "einer Haltestelle entfernt.",
            "of people in the district live at most {th_mob_stop_radius_m} m (as the crow "
            "flies) from a stop.",
        ),
        "kiosk.stop.text": (
            "Weiter weg wohnen {kreis_mob_gap_pop} Menschen, die meisten in "
            "{max_mob_gap_pop} ({max_mob_gap_pop_value}). Die farbigen Kästchen auf der Karte "
            "sind bewohnte Flächen ohne Haltestelle in der Nähe. Wie oft dort ein Bus fährt, "
            "steckt in dieser Zahl nicht.",
            "{kreis_mob_gap_pop} people live farther away, most of them in "
            "{max_mob_gap_pop} ({max_mob_gap_pop_value}). The coloured squares on the map are "
            "homes without a stop nearby. How often a bus runs there is not part of this "
            "figure.",
        ),
        "kiosk.stop.place": (
            "{value} der Menschen wohnen nah an einer Haltestelle (Kreis: {kreis}).",
            "{value} of people live close to a stop (district: {kreis}).",
        ),
        "kiosk.elderly.question": (
            "Wo leben viele ältere Menschen?",
            "Where do many older people live?",
        ),
        "kiosk.elderly.figure": (
            "der Menschen im Kreis sind 65 Jahre oder älter.",
            "of people in the district are 65 or older.",
        ),
        "kiosk.elderly.text": (
            "Den höchsten Anteil hat {max_share_65plus} ({max_share_65plus_value}), den "
            "niedrigsten {min_share_65plus} ({min_share_65plus_value}). Die farbigen Kästchen "
            "auf der Karte zeigen, wo 2011 besonders viele Menschen über 80 wohnten.",
            "The highest share is in {max_share_65plus} ({max_share_65plus_value}), the lowest "
            "in {min_share_65plus} ({min_share_65plus_value}). The coloured squares on the map "
            "show where many people over 80 lived in 2011.",
        ),
        "kiosk.elderly.place": (
            "{value} der Menschen sind 65 oder älter (Kreis: {kreis}).",
            "{value} of people are 65 or older (district: {kreis}).",
        ),
        "kiosk.school.question": (
            "Wie weit ist es zur Grundschule?",
            "How far is it to primary school?",
        ),
        "kiosk.school.figure": (
            "der Kinder unter 10 Jahren wohnen höchstens {th_edu_primary_near_m} m (Luftlinie) "
            "von einer Grundschule entfernt.",
            "of children under 10 live at most {th_edu_primary_near_m} m (as the crow flies) "
            "from a primary school.",
        ),
        "kiosk.school.text": (
            "Höchstens {th_edu_primary_far_m} m sind es für {kreis_edu_children_primary_reach} "
            "der Kinder. Manche Schulen haben mehrere Standorte; die Karte kennt nur die "
            "Hauptadresse, dort ist der Weg oft kürzer.",
            "For {kreis_edu_children_primary_reach} of children it is at most "
            "{th_edu_primary_far_m} m. Some schools have several sites; the map only knows "
            "the main address, so the way is often shorter there.",
        ),
        "kiosk.school.place": (
            "{value} der Kinder wohnen höchstens 1 km von einer Grundschule (Kreis: {kreis}).",
            "{value} of children live at most 1 km from a primary school (district: {kreis}).",
        ),
    }
)


@dataclass(frozen=True)
class Story:
    """One guided story of the kiosk.

    Attributes
    ----------
    key
        Short name, also the start of its text keys (``kiosk.<key>.question`` …).
    indicator
        The headline indicator: its district value is the big figure.
    extra
        Further indicators its sentences quote.
    theme
        Theme view whose map the story shows (see :data:`kek_geo.views.VIEWS`).
    note_theme
        The notes theme a visitor's note on this story gets by default.
    icon
        Material icon of its button.
    """

    key: str
    indicator: str
    extra: tuple[str, ...]
    theme: str
    note_theme: str
    icon: str

    @property
    def keys(self) -> tuple[str, ...]:
        """Every indicator the story reads."""
        return (self.indicator, *self.extra)

    def question(self, lang: str) -> str:
        """The question on its button."""
        return t(f"kiosk.{self.key}.question", lang)


STORIES: tuple[Story, ...] = (
    Story(
        "internet",
        "gigabit_households",
        ("bb_not_gigabit_households",),
        "broadband",
        "digitalisierung",
        ":material/wifi:",
    ),
    Story(
        "stop",
        "mob_stop_pop",
        ("mob_gap_pop",),
        "mobility",
        "mobilitaet",
        ":material/directions_bus:",
    ),
    Story("elderly", "share_65plus", (), "demography", "demografie", ":material/elderly:"),
    Story(
        "school",
        "edu_children_primary_near",
        ("edu_children_primary_reach",),
        "education",
        "bildung",
        ":material/school:",
    ),
)
#: Stories by key.
STORY = {s.key: s for s in STORIES}


def stories_with_data(table: pd.DataFrame) -> list[Story]:
    """The stories whose figures the snapshot has (a district without broadband data has none).

    Parameters
    ----------
    table
        Indicator table with the story indicators.

    Returns
    -------
    list of Story
        In the order of :data:`STORIES`.
    """
    return [s for s in STORIES if all(table[k].notna().any() for k in s.keys)]


@dataclass(frozen=True)
class StoryText:
    """What a story says: the big figure, what it means, and two or three sentences."""

    figure: str
    figure_label: str
    text: str


def _value(ind: Indicator, value: float, lang: str) -> str:
    number = fmt_number(value, ind.decimals, lang)
    return f"{number} %" if ind.unit == "%" else number


def story_values(story: Story, table: pd.DataFrame, lang: str) -> dict[str, str]:
    """The placeholders of a story's sentences, all computed from the indicator table.

    For each indicator ``k`` of the story: ``kreis_k`` (the district value), ``max_k`` and
    ``min_k`` (the municipality with the highest and lowest value) with ``max_k_value`` and
    ``min_k_value``; for each threshold ``th`` of the headline indicator, ``th_<key>`` (its
    default, which the kiosk always uses).

    Parameters
    ----------
    story
        The story.
    table
        Indicator table with the municipalities and the district row (default thresholds).
    lang
        Language.

    Returns
    -------
    dict
        Placeholder → formatted text.
    """
    values: dict[str, str] = {}
    district = district_key(table.index)
    municipal = table.drop(index=district)
    for key in story.keys:
        ind = REGISTRY[key]
        column = municipal[key].astype("float64")
        values[f"kreis_{key}"] = _value(ind, float(table.loc[district, key]), lang)
        for which, ags in (("max", column.idxmax()), ("min", column.idxmin())):
            values[f"{which}_{key}"] = str(municipal.loc[ags, "gemeinde"])
            values[f"{which}_{key}_value"] = _value(ind, float(column[ags]), lang)
        for th in ind.thresholds:
            values[f"th_{th.key}"] = fmt_number(th.default, 0, lang)
    return values


def story_text(story: Story, table: pd.DataFrame, lang: str) -> StoryText:
    """The big figure and sentences of a story.

    Parameters
    ----------
    story
        The story.
    table
        Indicator table (see :func:`story_values`).
    lang
        Language.

    Returns
    -------
    StoryText
        Figure, its meaning and the sentences.
    """
    values = story_values(story, table, lang)
    return StoryText(
        figure=values[f"kreis_{story.indicator}"],
        figure_label=t(f"kiosk.{story.key}.figure", lang, **values),
        text=t(f"kiosk.{story.key}.text", lang, **values),
    )


def place_text(story: Story, table: pd.DataFrame, ags: str, lang: str) -> str:
    """One sentence on what a story means for one municipality, beside the district.

    Parameters
    ----------
    story
        The story.
    table
        Indicator table.
    ags
        The municipality.
    lang
        Language.

    Returns
    -------
    str
        E.g. ``"0,4 % der Haushalte können Gigabit bekommen (Kreis: 64,6 %)."``.
    """
    ind = REGISTRY[story.indicator]
    return t(
        f"kiosk.{story.key}.place",
        lang,
        value=_value(ind, float(table.loc[ags, story.indicator]), lang),
        kreis=_value(ind, float(table.loc[district_key(table.index), story.indicator]), lang),
    )


def story_indicator_keys() -> tuple[str, ...]:
    """Every indicator the stories read (one table computes them all)."""
    return tuple(dict.fromkeys(k for s in STORIES for k in s.keys))


# ---------------------------------------------------------------- screen

#: Style of the kiosk screen: no Streamlit chrome, large type, touch targets of 56 px and more,
#: dark text and buttons (WCAG AA contrast), and maps sized for the screen's orientation (the
#: maps fill their frame, see :class:`kek_geo.maps.MapStyle`).
KIOSK_CSS = """
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], [data-testid="stMainMenu"], #MainMenu, footer,
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stAppDeployButton"], [data-testid="stDialog"],
[data-testid="stHeaderActionElements"], a[aria-label="Link to heading"],
[data-testid="stElementToolbar"] {display: none !important;}
.stApp table {font-size: 1.05rem;}
.stMainBlockContainer, .block-container {padding: 1.2rem 2rem 2rem !important;
    max-width: 100% !important;}
html, body, .stApp {font-size: 21px; color: #111; touch-action: manipulation;
    -webkit-user-select: none; user-select: none; overscroll-behavior: none;}
.stApp textarea {-webkit-user-select: text; user-select: text; font-size: 1.2rem !important;}
.stApp h1 {font-size: 2.3rem !important; line-height: 1.2;}
.stApp h2 {font-size: 1.7rem !important;}
.stApp p, .stApp li, .stApp label, .stMarkdown {font-size: 1.15rem !important;
    line-height: 1.45;}
.stApp button {min-height: 64px !important; font-size: 1.2rem !important;
    padding: 0.6rem 1.2rem !important; border-radius: 12px !important;}
.stApp button p {font-size: 1.2rem !important; white-space: normal !important;
    overflow: visible !important; text-overflow: clip !important; line-height: 1.25;}
.stApp button div {overflow: visible !important;}
.stApp button[kind="primary"], .stApp button[data-testid="stBaseButton-primary"] {
    background: #0b4f8a !important; border-color: #0b4f8a !important; color: #fff !important;}
.stApp button[kind="secondary"], .stApp button[data-testid="stBaseButton-secondary"] {
    background: #fff !important; border: 2px solid #0b4f8a !important; color: #0b4f8a !important;}
[data-testid="stPills"] button, [data-testid="stButtonGroup"] button {min-height: 56px !important;
    min-width: 56px; font-size: 1.1rem !important;}
.stApp .kek-figure {font-size: 4rem !important; font-weight: 700; color: #0b4f8a; margin: 0;
    line-height: 1.1;}
.stApp .kek-figure-label {font-size: 1.25rem !important; margin: 0.2rem 0 0.6rem; color: #111;}
[data-testid="stCaptionContainer"], .stCaption {font-size: 0.95rem !important;
    color: #333 !important;}
a {pointer-events: none; color: inherit !important; text-decoration: none !important;}
iframe[title="kek_geo.ui.mapview.kek_map"] {height: 560px !important;}
@media (orientation: portrait) {
    iframe[title="kek_geo.ui.mapview.kek_map"] {height: 880px !important;}
}
"""


def idle_script(idle_s: float, home: str) -> str:
    """Script for the kiosk page: return to the start after ``idle_s`` seconds, stay in the app.

    It runs once per page load (a rerun only updates the idle time):

    - every touch, click, key or wheel event, in the page and in the map frames, counts as
      activity; ``idle_s`` seconds after the last one the page is reloaded at ``home``, which
      starts a new session: language, choices and a half-written note are forgotten. A kiosk
      nobody touched since it was loaded is left alone;
    - a link leading out of the app or into a new window does nothing, ``window.open`` is
      disabled, and the long-press or right-click menu, dragging, middle clicks and keys
      with Ctrl, Alt or Meta do nothing, in the page and in every frame (so "search the
      web", "open in a new tab", "save" or "print" cannot be reached).

    Parameters
    ----------
    idle_s
        Seconds without a touch before the reset.
    home
        Path of the start screen, e.g. ``"/"``.

    Returns
    -------
    str
        HTML with one ``<script>`` for ``st.html(..., unsafe_allow_javascript=True)``.
    """
    code = """
(function () {
  var w = window;
  if (w.kekKiosk) { w.kekKiosk.idleMs = IDLE_MS; return; }
  var state = w.kekKiosk = {idleMs: IDLE_MS, last: Date.now(), touched: false, resets: 0};
  function activity() { state.last = Date.now(); state.touched = true; }
  function guard(doc, win) {
    if (!doc || doc.kekGuarded) { return; }
    doc.kekGuarded = true;
    ["pointerdown", "touchstart", "keydown", "wheel", "input"].forEach(function (name) {
      doc.addEventListener(name, activity, {capture: true, passive: true});
    });
    doc.addEventListener("click", function (event) {
      var a = event.target && event.target.closest ? event.target.closest("a[href]") : null;
      if (!a) { return; }
      var url = new URL(a.getAttribute("href"), doc.baseURI);
      if (url.origin !== w.location.origin || a.target === "_blank") {
        event.preventDefault();
        event.stopPropagation();
      }
    }, true);
    try { win.open = function () { return null; }; } catch (e) { /* another origin */ }
    // no long-press or right-click menu (search the web, open in a new tab, save, print),
    // no dragging links or images out, no middle click, no browser shortcuts
    ["contextmenu", "dragstart", "auxclick"].forEach(function (name) {
      doc.addEventListener(name, function (event) { event.preventDefault(); }, true);
    });
    doc.addEventListener("keydown", function (event) {
      // AltGr types @ and € on German keyboards: it stays
      var altGr = event.getModifierState && event.getModifierState("AltGraph");
      if ((event.ctrlKey || event.altKey || event.metaKey) && !altGr) { event.preventDefault(); }
    }, true);
  }
  guard(w.document, w);
  w.setInterval(function () {
    w.document.querySelectorAll("iframe").forEach(function (frame) {
      try { guard(frame.contentDocument, frame.contentWindow); } catch (e) { /* another origin */ }
    });
    if (state.touched && Date.now() - state.last > state.idleMs) {
      state.touched = false;
      state.resets += 1;
      // the next visitor starts with the whole district on every map
      try {
        Object.keys(w.sessionStorage).forEach(function (k) {
          if (k.indexOf("kek-view:") === 0) { w.sessionStorage.removeItem(k); }
        });
      } catch (e) { /* storage unavailable */ }
      w.location.replace(HOME);
    }
  }, 500);
})();
"""
    code = code.replace("IDLE_MS", str(round(idle_s * 1000))).replace("HOME", json.dumps(home))
    return f"<script>{code}</script>"


def idle_text(idle_s: float, lang: str) -> str:
    """The sentence telling visitors when the kiosk starts again (e.g. after 2 minutes)."""
    if idle_s >= 120:
        span = t("kiosk.minutes", lang, n=fmt_number(idle_s / 60, 0, lang))
    else:
        span = t("kiosk.seconds", lang, n=fmt_number(idle_s, 0, lang))
    return t("kiosk.idle_note", lang, time=span)


def note_theme_for(story_key: str | None, default: str) -> str:
    """The notes theme suggested after a story (the story's theme, else ``default``)."""
    story = STORY.get(story_key or "")
    return story.note_theme if story is not None else default


def names_by_ags(table: pd.DataFrame) -> Mapping[str, str]:
    """Municipality names by AGS from an indicator table (district row left out)."""
    return municipality_names(table)
