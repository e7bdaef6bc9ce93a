"""The map first: when a page opens, the tables and charts below its map follow once it is drawn.

Opening a page, the browser renders every element of the first script run before the map
frame gets its turn: on a fresh link it must first fetch and compile Streamlit's table code
(about 1.6 MB of JavaScript with what it imports) and, for a chart, Vega's (0.8 MB); on
every page the tables and charts are laid out and drawn, in the same thread that then starts
the map frame. On a two-core machine that held the map back by about 0.4 s on a fresh link
and 0.25 s on a page opened from the sidebar (``bench/bench_browser.py``).

So when a page's first map is shown and the last map shown was another page's (a page
opened from the sidebar or by a link), the tables and charts after it in that script run are
shown as a line that keeps their place. That map's frame gets a new token and reports it
when it has drawn its map (or failed to), which reruns the page with everything. Any other
rerun shows everything too, so nothing waits for a frame that never reports; and a frame
that reported before (a session the server lost while the page stayed open) reports the
new token again.

The page scripts need not know: :func:`kek_geo.ui.mapview.show_map` asks :func:`map_placed`
and the table and chart helpers in :mod:`kek_geo.ui.frame` ask :func:`content_waits`. The
kiosk has no tables or charts, so it does not take part.
"""

from __future__ import annotations

import re
import uuid

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

#: Session keys: the page whose map was shown last; whether this run opened a page with a
#: map (None until the run's first map, False when it did not or the map first is off).
_SHOWN_PAGE = "_kek_map_page"
_OPENING = "_kek_map_opening"
#: Session key: how many places for content this run has handed out (:func:`place_key`).
_PLACES = "_kek_places"


def begin_run(enabled: bool = True) -> None:
    """Start a script run (call once at the top of the app script).

    Parameters
    ----------
    enabled
        False: no map announces its drawing and nothing waits (the kiosk).
    """
    st.session_state[_OPENING] = None if enabled else False
    st.session_state[_PLACES] = 0


def place_key(name: str | None = None) -> str:
    """The key of the place of a table or chart (see ``frame.show_table``).

    Parameters
    ----------
    name
        The element's own key: the place is named after it, so it stays the same from run
        to run. Without one, places are counted from the start of the run; a fragment's
        rerun goes on counting (its places are made anew), which keeps keys unique.

    Returns
    -------
    str
        ``kek_place_<name>`` (characters a CSS class cannot hold as they are replaced by
        "-", as Streamlit does) or ``kek_place_<n>``.
    """
    if name:
        return "kek_place_" + re.sub(r"[^A-Za-z0-9_-]", "-", name)
    n = int(st.session_state.get(_PLACES, 0)) + 1
    st.session_state[_PLACES] = n
    return f"kek_place_{n}"


def _page() -> str | None:
    """The page of this run; None outside a full script run (a fragment's rerun, or none)."""
    ctx = get_script_run_ctx()
    if ctx is None or ctx.fragment_ids_this_run:
        return None
    return ctx.page_script_hash


def map_placed() -> str:
    """Note that a map is shown; the token its frame reports when it has drawn, if any.

    Returns
    -------
    str
        A new token for a page's first map when the last map shown was another page's (its
        report reruns the page, which then shows what waited for it); else empty.
    """
    page = _page()
    if page is None or st.session_state.get(_OPENING) is not None:
        return ""
    opening = st.session_state.get(_SHOWN_PAGE) != page
    st.session_state[_SHOWN_PAGE] = page
    st.session_state[_OPENING] = opening
    return uuid.uuid4().hex if opening else ""


def content_waits() -> bool:
    """Whether a table or chart waits until the map above it is drawn (see the module)."""
    return _page() is not None and bool(st.session_state.get(_OPENING))
