"""Start the dashboard: ``kek-geo serve [streamlit options]`` (what ``make run`` calls).

It is ``streamlit run app.py`` with one adjustment. The page scripts live in ``pages/`` (the
project's layout) but are declared with ``st.navigation``. Until ``st.navigation`` has run once
in a server process, Streamlit treats a ``pages/`` folder as its older multipage mechanism, so a
link straight to a page (e.g. ``/mobilitaet``) opened as the first request after start shows a
spurious "Page not found" dialog. Declaring the navigation mode before the server starts
avoids that; plain ``streamlit run app.py`` works too, with that one cosmetic glitch.

It also fills the caches of the start page while the server starts (see
:mod:`kek_geo.ui.warmup`), so the first visitor – at a kiosk, the first of the day – gets the
map without waiting for the snapshot and the map to be prepared.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from kek_geo.settings import REPO_ROOT
from kek_geo.ui import warmup


def serve(options: Sequence[str]) -> int:
    """Run the Streamlit server for ``app.py`` in this process until it stops.

    Parameters
    ----------
    options
        Extra ``streamlit run`` options, e.g. ``["--server.port", "8501"]``.

    Returns
    -------
    int
        Exit status of the server.
    """
    PagesManager.uses_pages_directory = False
    warmup.start()
    sys.argv = ["streamlit", "run", str(REPO_ROOT / "app.py"), *options]
    try:
        cli.main()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0
