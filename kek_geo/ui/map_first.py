"""The map first: when a page opens, the tables and charts below its map follow once it is drawn.

Opening a page, the browser renders every element of the first script run before the map
frame gets its turn: on a fresh link it must first fetch and compile Streamlit's table code
(about 1.6 MB of JavaScript) and, for a chart, Vega's (0.8 MB); on every page the tables
and charts are laid out and drawn, in the same thread that then starts the map frame. On a
two-core machine that held the map back by about 0.4 s on a fresh link and 0.1-0.2 s on a
page opened from the sidebar (``bench/bench_browser.py``).

So in the first script run of a page visit, the tables and charts after a map are shown as
a line that keeps their place. The page's first map frame says when it has drawn its map
(or failed to), which reruns the page with everything. Any other rerun shows everything
too, so nothing waits for a frame that never reports.

The page scripts need not know: :func:`kek_geo.ui.mapview.show_map` asks :func:`map_placed`
and the table and chart helpers in :mod:`kek_geo.ui.frame` ask :func:`content_waits`.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

#: Session keys: the page whose map was shown last; whether this run opened a page visit
#: with a map (None until the run's first map).
_SHOWN_PAGE = "_kek_map_page"
_OPENING = "_kek_map_opening"


def begin_run() -> None:
    """Start a script run (call once at the top of the app script)."""
    st.session_state[_OPENING] = None


def _page() -> str | None:
    ctx = get_script_run_ctx()
    return None if ctx is None else ctx.page_script_hash


def map_placed() -> bool:
    """Note that a map is shown; whether its frame should report when it has drawn.

    Returns
    -------
    bool
        True for the first map of a page visit's first run: its report reruns the page,
        which then shows what waited for it.
    """
    page = _page()
    if page is None or st.session_state.get(_OPENING) is not None:
        return False
    opening = st.session_state.get(_SHOWN_PAGE) != page
    st.session_state[_SHOWN_PAGE] = page
    st.session_state[_OPENING] = opening
    return opening


def content_waits() -> bool:
    """Whether a table or chart waits until the map above it is drawn (see the module)."""
    return _page() is not None and bool(st.session_state.get(_OPENING))
