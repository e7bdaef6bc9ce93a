"""The map first: on a session's first page, tables and charts below a map follow once it is drawn.

Opening a fresh link, the browser must fetch and compile Streamlit's table code (about 1.6 MB
of JavaScript) and, for a chart, Vega's (0.8 MB) before it renders the page, in the same
thread that then starts the map frame. On a two-core machine that held the map back by about
0.4 s (``bench/bench_browser.py``). So in a session's first script run the tables and charts
that come after a map are shown as a short "follows" line; the map frame says when it has
drawn its map (or failed to), which reruns the page with everything. Any other rerun shows
everything too, so nothing waits for a frame that never reports. Later pages of the session
find the code loaded and show all at once.

The page scripts need not know: :func:`kek_geo.ui.mapview.show_map` asks :func:`map_placed`
and the table and chart helpers in :mod:`kek_geo.ui.frame` ask :func:`content_waits`.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

#: Session keys: script runs so far; whether a map came before in this run.
_RUNS = "_kek_script_runs"
_MAP_PLACED = "_kek_map_placed"


def begin_run() -> None:
    """Count a script run (call once at the top of the app script)."""
    st.session_state[_RUNS] = st.session_state.get(_RUNS, 0) + 1
    st.session_state[_MAP_PLACED] = False


def _first_run() -> bool:
    if get_script_run_ctx() is None:  # outside a script run (tests, warm-up)
        return False
    return bool(st.session_state.get(_RUNS, 0) == 1)


def map_placed() -> bool:
    """Note that a map is shown; whether its frame should report when it has drawn.

    Returns
    -------
    bool
        True for the first map of a session's first run: its report reruns the page, which
        then shows what waited for it.
    """
    if not _first_run() or st.session_state.get(_MAP_PLACED):
        return False
    st.session_state[_MAP_PLACED] = True
    return True


def content_waits() -> bool:
    """Whether a table or chart waits until the map above it is drawn (see the module)."""
    return _first_run() and bool(st.session_state.get(_MAP_PLACED))
