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

``kek-geo serve --kiosk`` (or ``KEK_MODE=kiosk``) starts the public kiosk: only its pages are
registered (see :mod:`kek_geo.pages`), and Streamlit's toolbar, menu, sidebar navigation and
error details are switched off on the server, where no visitor can switch them back on.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from kek_geo.settings import REPO_ROOT, SettingsError, get_settings
from kek_geo.ui import warmup

#: Streamlit options of the kiosk (given before the operator's own, which may override them):
#: only the machine itself may connect (the kiosk's browser runs on it), no menu, no error
#: details or links, no table downloads, no uploads.
KIOSK_OPTIONS = (
    "--server.address=127.0.0.1",
    "--client.toolbarMode=minimal",
    "--client.showErrorDetails=none",
    "--client.showErrorLinks=false",
    "--client.disableDataExport=true",
    "--client.showSidebarNavigation=false",
    "--server.runOnSave=false",
    "--server.fileWatcherType=none",
    "--server.maxUploadSize=1",
    "--theme.primaryColor=#0b4f8a",
)


def streamlit_options(options: Sequence[str]) -> tuple[list[str], bool]:
    """The ``streamlit run`` options for ``kek-geo serve`` and whether it starts the kiosk.

    Parameters
    ----------
    options
        The options given to ``kek-geo serve``; ``--kiosk`` is taken out of them.

    Returns
    -------
    tuple
        The options to pass on (with :data:`KIOSK_OPTIONS` first for the kiosk) and the mode.
    """
    rest = [o for o in options if o != "--kiosk"]
    if len(rest) != len(options):
        os.environ["KEK_MODE"] = "kiosk"
    kiosk = get_settings().kiosk
    return ([*KIOSK_OPTIONS, *rest] if kiosk else rest), kiosk


def serve(options: Sequence[str]) -> int:
    """Run the Streamlit server for ``app.py`` in this process until it stops.

    Parameters
    ----------
    options
        Extra ``streamlit run`` options, e.g. ``["--server.port", "8501"]``, and
        ``--kiosk`` for the public kiosk.

    Returns
    -------
    int
        Exit status of the server (2 for invalid settings).
    """
    try:
        args, kiosk = streamlit_options(options)
    except SettingsError as exc:
        print(f"kek-geo: error: {exc}", file=sys.stderr)
        return 2
    if kiosk:
        print("kek-geo: starting the public kiosk (KEK_MODE=kiosk)", file=sys.stderr)
    PagesManager.uses_pages_directory = False
    warmup.start()
    sys.argv = ["streamlit", "run", str(REPO_ROOT / "app.py"), *args]
    try:
        cli.main()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0
