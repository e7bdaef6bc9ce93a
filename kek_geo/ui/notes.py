"""Citizen notes on the pages: the form (kiosk and planners' app), the public map, moderation.

The form keeps its draft in the session: the tapped place, theme, kind, text and age group.
A note is checked by :func:`kek_geo.notes.model.make_note` before it is stored, and a session
may send at most ``KEK_NOTES_RATE`` notes (default 5 per 10 minutes).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from kek_geo.analysis.base import per_source
from kek_geo.i18n import fmt_number, md_escape, register_texts, t
from kek_geo.limits import SlidingWindow
from kek_geo.maps import pin_script
from kek_geo.notes.model import (
    AGE_GROUPS,
    KINDS,
    MAX_TEXT,
    THEMES,
    Note,
    NoteError,
    label,
    make_note,
    may_send,
)
from kek_geo.notes.places import GemeindeLocator
from kek_geo.notes.summary import counts_by_gemeinde, counts_by_theme
from kek_geo.ui import cache
from kek_geo.ui.mapview import MapPayload, prepare_map, show_map
from kek_geo.ui.store import note_store
from kek_geo.views.notes import map_key, notes_map, pick_map

register_texts(
    {
        "notes.give.title": ("Hinweis geben", "Leave a note"),
        "notes.give.intro": (
            "Was ist gut, was fehlt, was wünschen Sie sich? Tippen Sie auf den Ort in der "
            "Karte, wählen Sie Thema und Art und schreiben Sie kurz dazu. Ohne Namen, ohne "
            "E-Mail.",
            "What is good, what is missing, what would you like? Tap the place on the map, "
            "choose a topic and a kind, and write a few words. No name, no e-mail.",
        ),
        "notes.give.step_place": ("1. Ort antippen", "1. Tap the place"),
        "notes.give.no_place": (
            "Noch kein Ort gewählt: tippen Sie in die Karte.",
            "No place chosen yet: tap the map.",
        ),
        "notes.give.place": ("Gewählter Ort: {name}", "Chosen place: {name}"),
        "notes.give.outside": (
            "Dieser Ort liegt außerhalb des Kreisgebiets ({kreis}). Bitte tippen Sie in den Kreis.",
            "This place lies outside the district ({kreis}). Please tap inside the district.",
        ),
        "notes.give.step_theme": ("2. Thema", "2. Topic"),
        "notes.give.step_kind": ("3. Art des Hinweises", "3. Kind of note"),
        "notes.give.step_text": ("4. Ihr Hinweis", "4. Your note"),
        "notes.give.text_help": (
            "Höchstens {n} Zeichen. Bitte keine Namen oder Adressen von Personen.",
            "At most {n} characters. Please no names or addresses of people.",
        ),
        "notes.give.age": ("Ihr Alter (freiwillig)", "Your age (optional)"),
        "notes.give.send": ("Hinweis absenden", "Send note"),
        "notes.give.missing": ("Bitte noch wählen: {what}", "Please still choose: {what}"),
        "notes.give.need_place": ("Ort", "place"),
        "notes.give.need_theme": ("Thema", "topic"),
        "notes.give.need_kind": ("Art", "kind"),
        "notes.give.thanks": (
            "Danke! Ihr Hinweis ist angekommen. Er erscheint auf der Karte, sobald das "
            "Planungsteam ihn freigegeben hat.",
            "Thank you! Your note has arrived. It appears on the map once the planning team "
            "has approved it.",
        ),
        "notes.give.another": ("Noch einen Hinweis geben", "Leave another note"),
        "notes.give.too_many": (
            "Sie haben in kurzer Zeit schon {n} Hinweise gegeben. Bitte versuchen Sie es in "
            "einigen Minuten noch einmal.",
            "You have already sent {n} notes in a short time. Please try again in a few minutes.",
        ),
        "notes.give.failed": (
            "Der Hinweis konnte nicht gespeichert werden. Bitte versuchen Sie es noch einmal.",
            "The note could not be saved. Please try again.",
        ),
        "notes.public.title": ("Hinweise der Bürgerinnen und Bürger", "Citizens' notes"),
        "notes.public.intro": (
            "Alle freigegebenen Hinweise auf der Karte. Tippen Sie auf einen Punkt, um ihn zu "
            "lesen.",
            "Every approved note on the map. Tap a point to read it.",
        ),
        "notes.public.count": ("{n} freigegebene Hinweise", "{n} approved notes"),
        "notes.public.count_one": ("{n} freigegebener Hinweis", "{n} approved note"),
        "notes.public.none": (
            "Noch keine freigegebenen Hinweise. Geben Sie den ersten!",
            "No approved notes yet. Leave the first one!",
        ),
        "notes.public.by_gemeinde": ("Nach Gemeinde und Art", "By municipality and kind"),
        "notes.public.by_theme": ("Nach Thema und Art", "By topic and kind"),
    }
)

_LOG = logging.getLogger(__name__)

#: Session keys of the form's draft (all forgotten by a kiosk reset).
DRAFT_KEYS = (
    "note_place",
    "note_theme",
    "note_theme_suggested",
    "note_kind",
    "note_text",
    "note_age",
    "note_seen",
)
SENT_KEY = "notes_sent"
DONE_KEY = "note_done"


#: A client address may send this many times the notes of one session per window (a kiosk
#: reset or a reload starts a new session, the address stays).
PER_ADDRESS_FACTOR = 6


@st.cache_resource(show_spinner=False)
def address_limit() -> SlidingWindow:
    """Notes per client address and window, shared by all sessions of this process."""
    settings = cache.settings()
    return SlidingWindow(settings.notes_per_window * PER_ADDRESS_FACTOR, settings.notes_window_s)


def client_address() -> str:
    """The visitor's address (``local`` on the machine itself; behind a proxy, the proxy's)."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else "local"


def locator() -> GemeindeLocator:
    """Finds the municipality of a point (built once per snapshot)."""
    snap = cache.snapshot()
    return per_source(snap, "gemeinde_locator", lambda: GemeindeLocator(snap.geo("gemeinden")))


@st.cache_data(show_spinner=False)
def gemeinde_names() -> dict[str, str]:
    """Municipality names by AGS, in AGS order."""
    gem = cache.snapshot().layer("gemeinden").sort_values("ags")
    return dict(zip(gem["ags"].astype(str), gem["name"].astype(str), strict=True))


@st.cache_data(show_spinner=False, max_entries=4)
def pick_payload(lang: str) -> MapPayload:
    """The rendered map for placing a note."""
    return prepare_map(pick_map(cache.snapshot(), cache.settings(), lang), key="notes_pick")


@st.cache_data(show_spinner=False, max_entries=16)
def public_payload(shown: tuple[tuple[str, str], ...], lang: str, _notes: list[Note]) -> MapPayload:
    """The rendered map of approved notes.

    Parameters
    ----------
    shown
        ``(id, theme + kind + time of the last moderation)`` of each note: the cache key.
    lang
        Language.
    _notes
        The notes themselves (not hashed).

    Returns
    -------
    MapPayload
        The map.
    """
    del shown
    m = notes_map(cache.snapshot(), cache.settings(), _notes, lang, gemeinde_names())
    return prepare_map(m, key="notes_public")


#: Seconds the approved notes are cached per server process (a reread costs about 70 ms
#: for 2,000 notes on every rerun otherwise; moderation here clears it at once).
APPROVED_TTL_S = 15


@st.cache_data(show_spinner=False, ttl=APPROVED_TTL_S, max_entries=1)
def approved_notes() -> list[Note]:
    """The approved notes, newest first (re-read at most every 15 seconds)."""
    return note_store().list(statuses={"freigegeben"})


def reset_draft() -> None:
    """Forget the form's draft (after sending, or when the visitor starts again)."""
    for key in DRAFT_KEYS:
        st.session_state.pop(key, None)


def _click(value: Mapping[str, Any] | None) -> tuple[float, float] | None:
    clicked = (value or {}).get("last_clicked")
    if not isinstance(clicked, Mapping):
        return None
    try:
        return float(clicked["lng"]), float(clicked["lat"])
    except (KeyError, TypeError, ValueError):
        return None


def place_picker(lang: str, *, height: int) -> tuple[float, float] | None:
    """The map to tap; returns the chosen place (longitude, latitude) inside the district.

    A tap outside the district shows a message and keeps the earlier place.

    Parameters
    ----------
    lang
        Language.
    height
        Map height in pixels.

    Returns
    -------
    tuple or None
        The chosen place.
    """
    place = st.session_state.get("note_place")
    names = gemeinde_names()
    overlay = None
    if place is not None:
        name = names.get(str(locator()(*place)), "")
        overlay = pin_script(place[1], place[0], name)
    value = show_map(
        pick_payload(lang), height=height, returned_objects=("last_clicked",), overlay=overlay
    )
    click = _click(value)
    if click is not None and click != st.session_state.get("note_seen"):
        st.session_state["note_seen"] = click
        if locator()(*click) is None:
            kreis = cache.snapshot().district.name
            st.warning(t("notes.give.outside", lang, kreis=kreis), icon=":material/wrong_location:")
        else:
            st.session_state["note_place"] = click
            st.rerun()
    return st.session_state.get("note_place")


def _pills(title: str, choices: dict[str, tuple[str, str]], key: str, lang: str) -> str | None:
    value = st.pills(
        title,
        list(choices),
        format_func=lambda k: label(choices, k, lang),
        key=key,
        wrap=True,  # in a column the options would otherwise scroll out of sight
    )
    return str(value) if value else None


def note_form(lang: str, *, kiosk: bool, theme: str | None = None) -> None:
    """The whole "Hinweis geben" flow: place, theme, kind, text, age group, send, thanks.

    Parameters
    ----------
    lang
        Language.
    kiosk
        Larger map for the touch screen.
    theme
        Theme to preselect (e.g. after a story).
    """
    if st.session_state.get(DONE_KEY):
        st.success(t("notes.give.thanks", lang), icon=":material/check_circle:")
        if st.button(t("notes.give.another", lang), key="note_another", type="primary"):
            st.session_state.pop(DONE_KEY, None)
            st.rerun()
        return
    if theme and st.session_state.get("note_theme_suggested") != theme:
        st.session_state["note_theme"] = theme  # each story suggests its theme once
        st.session_state["note_theme_suggested"] = theme
    left, right = st.columns([1, 1]) if not kiosk else (st.container(), st.container())
    with left:
        st.subheader(t("notes.give.step_place", lang))
        place = place_picker(lang, height=620 if kiosk else 520)
        if place is None:
            st.info(t("notes.give.no_place", lang), icon=":material/touch_app:")
        else:
            name = gemeinde_names().get(str(locator()(*place)), "")
            st.markdown(f"**{md_escape(t('notes.give.place', lang, name=name))}**")
    with right:
        chosen_theme = _pills(t("notes.give.step_theme", lang), THEMES, "note_theme", lang)
        kind = _pills(t("notes.give.step_kind", lang), KINDS, "note_kind", lang)
        text = st.text_area(
            t("notes.give.step_text", lang),
            key="note_text",
            max_chars=MAX_TEXT,
            height=160,
        )
        st.caption(t("notes.give.text_help", lang, n=MAX_TEXT))
        age = _pills(t("notes.give.age", lang), AGE_GROUPS, "note_age", lang)
        if st.button(t("notes.give.send", lang), key="note_send", type="primary"):
            _send(lang, place=place, theme=chosen_theme, kind=kind, text=text, age=age)


def _send(
    lang: str,
    *,
    place: tuple[float, float] | None,
    theme: str | None,
    kind: str | None,
    text: str,
    age: str | None,
) -> None:
    missing = [
        t(key, lang)
        for key, value in (
            ("notes.give.need_place", place),
            ("notes.give.need_theme", theme),
            ("notes.give.need_kind", kind),
        )
        if value is None
    ]
    if missing:
        st.error(t("notes.give.missing", lang, what=", ".join(missing)))
        return
    assert place is not None
    settings = cache.settings()
    now = time.monotonic()
    sent = [s for s in st.session_state.get(SENT_KEY, []) if now - s < settings.notes_window_s]
    too_many = t("notes.give.too_many", lang, n=fmt_number(len(sent), 0, lang))
    if not may_send(sent, now, settings.notes_per_window, settings.notes_window_s):
        st.error(too_many)
        return
    try:
        note = make_note(
            lon=place[0], lat=place[1], theme=theme, kind=kind, text=text, age_group=age,
            locate=locator(), district=cache.snapshot().district.name,
        )  # fmt: skip
    except NoteError as exc:
        st.error(exc.message(lang))
        return
    if not address_limit().acquire(client_address(), now):
        st.error(too_many)
        return
    try:
        note_store().add(note)
    except SQLAlchemyError:
        _LOG.exception("a citizen note could not be stored")
        st.error(t("notes.give.failed", lang))  # the draft stays for another try
        return
    st.session_state[SENT_KEY] = [*sent, now]
    reset_draft()
    st.session_state[DONE_KEY] = True
    st.rerun()


def public_view(lang: str, *, height: int, kiosk: bool) -> None:
    """The approved notes: map, and counts per municipality, theme and kind.

    Parameters
    ----------
    lang
        Language.
    height
        Map height in pixels.
    kiosk
        Plain tables one below the other (no table toolbar, readable on a portrait screen).
    """
    notes = approved_notes()
    key = "notes.public.count_one" if len(notes) == 1 else "notes.public.count"
    st.markdown(f"**{t(key, lang, n=fmt_number(len(notes), 0, lang))}**")
    if not notes:
        st.info(t("notes.public.none", lang), icon=":material/forum:")
    show_map(public_payload(map_key(notes), lang, notes), height=height)
    district = cache.snapshot().district
    tables = {
        "notes.public.by_gemeinde": counts_by_gemeinde(notes, lang, gemeinde_names(), district),
        "notes.public.by_theme": counts_by_theme(notes, lang),
    }
    places = (st.container(), st.container()) if kiosk else st.columns(2)
    for place, (title, table) in zip(places, tables.items(), strict=True):
        place.markdown(f"**{t(title, lang)}**")
        if kiosk:  # a plain table: large type, no toolbar (and so no download)
            place.table(table.set_index(table.columns[0]))
        else:
            place.dataframe(table, hide_index=True)
