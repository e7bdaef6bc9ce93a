"""The kiosk's page furniture: its screen style, idle reset, top bar and big buttons."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from kek_geo.i18n import t
from kek_geo.kiosk import (
    KIOSK_CSS,
    STORIES,
    STORY,
    Story,
    idle_script,
    stories_with_data,
    story_indicator_keys,
)
from kek_geo.settings import Settings
from kek_geo.thematic import municipality_picker_map
from kek_geo.ui import cache, frame
from kek_geo.ui.mapview import MapPayload, prepare_map

#: The kiosk's pages.
START = "pages/kiosk_start.py"
STORY_PAGE = "pages/kiosk_story.py"
PLACE_PAGE = "pages/kiosk_place.py"
NOTE_PAGE = "pages/notes_give.py"
NOTES_PAGE = "pages/notes_public.py"
#: Session keys: the chosen story and municipality.
STORY_KEY = "kiosk_story"
PLACE_KEY = "kiosk_place"


def home_path() -> str:
    """Path of the start screen under the server's base URL (``/`` by default)."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/" if base else "/"


def kiosk_frame(settings: Settings) -> None:
    """Style the page for the touch screen and start the idle reset (every kiosk page).

    Parameters
    ----------
    settings
        Settings (idle time).
    """
    st.html(f"<style>{KIOSK_CSS}</style>")
    st.html(idle_script(settings.kiosk_idle_s, home_path()), unsafe_allow_javascript=True)


def _switch_language() -> None:
    frame.relabel_choices(st.session_state)
    st.session_state[frame.LANG_KEY] = "de" if frame.lang() == "en" else "en"


def top_bar(title: str, *, home: bool = True) -> str:
    """Title, language button and (off the start screen) a button back to the start.

    Parameters
    ----------
    title
        The screen's heading.
    home
        Show the "Start" button.

    Returns
    -------
    str
        The active language.
    """
    lang = frame.lang()
    head, language, start = st.columns([5, 1.6, 1.6], vertical_alignment="center")
    head.title(title)
    language.button(
        t("kiosk.language", lang),
        key="kiosk_language",
        icon=":material/translate:",
        on_click=_switch_language,
        use_container_width=True,
    )
    if home and start.button(
        t("kiosk.home", lang),
        key="kiosk_home",
        icon=":material/home:",
        type="primary",
        use_container_width=True,
    ):
        st.switch_page(START)
    return frame.lang()


@st.cache_data(show_spinner=False, max_entries=4)
def place_payload(lang: str) -> MapPayload:
    """The rendered map on which a visitor taps their municipality."""
    m = municipality_picker_map(cache.snapshot(), cache.settings(), lang)
    return prepare_map(m, key="kiosk_place")


def story_table() -> pd.DataFrame:
    """Every indicator the stories quote, at the default thresholds (cached)."""
    return cache.indicator_table(story_indicator_keys())


def chosen_story() -> Story:
    """The story the visitor picked (the first one with data if none)."""
    picked = STORY.get(str(st.session_state.get(STORY_KEY, "")))
    return picked or (stories_with_data(story_table()) or list(STORIES))[0]


def open_story(key: str) -> None:
    """Remember a story and show it."""
    st.session_state[STORY_KEY] = key
    st.switch_page(STORY_PAGE)


def choose_place(ags: str) -> None:
    """Remember the municipality a visitor tapped in the list (a button callback)."""
    st.session_state[PLACE_KEY] = ags


def figure(value: str, meaning: str) -> None:
    """A big headline figure with the sentence that says what it counts.

    Parameters
    ----------
    value
        The formatted figure, e.g. ``"64,6 %"``.
    meaning
        What it counts, e.g. ``"der Haushalte im Kreis können Gigabit-Internet bekommen."``.
    """
    st.html(
        f'<div class="kek-figure">{html.escape(value)}</div>'
        f'<div class="kek-figure-label">{html.escape(meaning)}</div>'
    )
