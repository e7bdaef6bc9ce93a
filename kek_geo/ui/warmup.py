"""Fill the caches while the server starts, so the first visitor does not wait.

``kek-geo serve`` starts :func:`start` in a background thread before the Streamlit server. Once
the Streamlit runtime exists, the thread imports the modules the pages need, loads the snapshot
and renders the overview map as it opens (default indicator, overlays, German) into the same
caches the pages use. A visitor who arrives earlier simply waits for the same lock.
"""

from __future__ import annotations

import logging
import threading
import time

_LOG = logging.getLogger(__name__)
#: Give up waiting for the runtime after this many seconds.
RUNTIME_TIMEOUT_S = 60.0


def _wait_for_runtime() -> bool:
    from streamlit.runtime import Runtime  # noqa: PLC0415 - imported in the warm-up thread

    deadline = time.monotonic() + RUNTIME_TIMEOUT_S
    while not Runtime.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def warm() -> None:
    """Import the page modules and fill the caches of the start page (runs in a thread).

    In the kiosk, the stories' figures and maps instead.
    """
    try:
        # Wait first: streamlit_folium registers its front end when imported, and a
        # registration made before the runtime exists is lost (the map would not load).
        if not _wait_for_runtime():
            return
        from kek_geo.indicators import indicators_for  # noqa: PLC0415
        from kek_geo.overview import DEFAULT_OVERLAYS  # noqa: PLC0415
        from kek_geo.ui import cache  # noqa: PLC0415

        cache.snapshot().load_all()
        if cache.settings().kiosk:
            _warm_kiosk()
            return
        keys = tuple(ind.key for ind in indicators_for("overview"))
        cache.indicator_table(keys)
        cache.overview_payload("population", tuple(sorted(DEFAULT_OVERLAYS)), "de")
    except Exception:  # a failed warm-up must never stop the server; pages report errors
        _LOG.exception("cache warm-up failed")


def _warm_kiosk() -> None:
    """The kiosk's stories: their figures and maps in German (the language it starts in)."""
    from kek_geo.kiosk import STORIES, story_indicator_keys  # noqa: PLC0415
    from kek_geo.ui import cache  # noqa: PLC0415
    from kek_geo.ui.theme import theme_payload  # noqa: PLC0415

    cache.indicator_table(story_indicator_keys())
    for story in STORIES:
        theme_payload(story.theme, story.indicator, (), "de")


def start() -> threading.Thread:
    """Start :func:`warm` in a daemon thread.

    Returns
    -------
    threading.Thread
        The thread.
    """
    thread = threading.Thread(target=warm, name="kek-geo-warmup", daemon=True)
    thread.start()
    return thread
