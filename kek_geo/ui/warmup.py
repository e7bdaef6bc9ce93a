"""Fill the caches while the server starts, so the first visitor does not wait.

``kek-geo serve`` starts :func:`start` in a background thread before the Streamlit server. Once
the Streamlit runtime exists, the thread imports the modules the pages need, loads the snapshot
and renders the maps into the same caches the pages use (German, default thresholds and
overlays): first the map each page opens with, then every other indicator a page offers for its
map. Rendering a map costs about a second, and a visitor who picks another indicator would
otherwise wait for it; the whole warm-up takes about a minute. A visitor who arrives earlier
simply waits for the same lock.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from functools import partial

_LOG = logging.getLogger(__name__)
#: Give up waiting for the runtime after this many seconds.
RUNTIME_TIMEOUT_S = 60.0
#: Theme pages in the order of the navigation (their maps are rendered in this order).
THEMES = (
    "services",
    "mobility",
    "broadband",
    "education",
    "settlement",
    "demography",
    "synthesis",
)


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
        # Wait first: the map frame (kek_geo.ui.mapview) registers itself when imported, and
        # a registration made before the runtime exists is lost (the map would not load).
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
        overlays = tuple(sorted(DEFAULT_OVERLAYS))
        cache.overview_payload(keys[0], overlays, "de")
        later = [_theme_maps(theme) for theme in THEMES]
        # the map each page opens with first, then the other indicators of every page
        for maps in later:
            _run(maps[:2])
        _run([partial(cache.overview_restyle, key, "de") for key in keys])
        for maps in later:
            _run(maps[2:])
    except Exception:  # a failed warm-up must never stop the server; pages report errors
        _LOG.exception("cache warm-up failed")


def _run(tasks: list[Callable[[], object]]) -> None:
    """Run warm-up tasks; one that fails is logged and the others still run."""
    for task in tasks:
        try:
            task()
        except Exception:
            _LOG.exception("cache warm-up of a map failed")


def _theme_maps(theme: str) -> list[Callable[[], object]]:
    """A theme page's map, then its overlay for each indicator it offers, default first.

    The thresholds are the sliders' defaults, passed the way the page passes them, so the
    page finds the map and its overlays in the cache.
    """
    from kek_geo.indicators.registry import ordered_params  # noqa: PLC0415
    from kek_geo.ui import cache  # noqa: PLC0415
    from kek_geo.ui.theme import base_payload, map_overlay, unique_thresholds  # noqa: PLC0415
    from kek_geo.views import view  # noqa: PLC0415

    page = view(theme)
    thresholds = unique_thresholds(page.indicators())
    params, _ = ordered_params(thresholds, {th.key: float(th.default) for th in thresholds})
    items = cache.param_items(params)
    overlays = [
        partial(map_overlay, page, ind.key, items, "de", False)
        for ind in page.map_choices(cache.snapshot())
    ]
    return [partial(base_payload, theme, "de"), *overlays]


def _warm_kiosk() -> None:
    """The kiosk's stories: their figures and maps in German (the language it starts in)."""
    from kek_geo.kiosk import STORIES, story_indicator_keys  # noqa: PLC0415
    from kek_geo.ui import cache  # noqa: PLC0415
    from kek_geo.ui.theme import theme_payload  # noqa: PLC0415

    cache.indicator_table(story_indicator_keys())
    for story in STORIES:
        theme_payload(story.theme, story.indicator, (), "de")


#: The warm-up thread's name.
THREAD_NAME = "kek-geo-warmup"
#: Streamlit's logger that warns of a cache used outside a script run.
CONTEXT_LOGGER = "streamlit.runtime.scriptrunner_utils.script_run_context"


class QuietWarmUp(logging.Filter):
    """Drop Streamlit's "missing ScriptRunContext" warnings of the warm-up thread.

    The warm-up fills the caches outside any script run on purpose; the warning would only
    alarm whoever starts the server. Other threads still get it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """False for the warm-up thread's warning, else True."""
        return not (
            record.threadName == THREAD_NAME and "missing ScriptRunContext" in record.getMessage()
        )


def quiet_warm_up() -> None:
    """Install :class:`QuietWarmUp` on Streamlit's logger (once)."""
    logger = logging.getLogger(CONTEXT_LOGGER)
    if not any(isinstance(f, QuietWarmUp) for f in logger.filters):
        logger.addFilter(QuietWarmUp())


def start() -> threading.Thread:
    """Start :func:`warm` in a daemon thread.

    Returns
    -------
    threading.Thread
        The thread.
    """
    quiet_warm_up()
    thread = threading.Thread(target=warm, name=THREAD_NAME, daemon=True)
    thread.start()
    return thread
