"""Settings of KEK Geo, read from environment variables.

Every setting has a documented default, so the app runs without any configuration on the
shipped data snapshot.

===========================  ==========================================  ======================
Environment variable         Meaning                                     Default
===========================  ==========================================  ======================
``KEK_GEODATA_DIR``          folder of the data snapshot                 ``<repo>/geodata``
``KEK_RAW_DIR``              folder of the raw open data                 ``../shared/data/raw``
``KEK_STATIC_URL``           URL under which ``static/`` is served       ``/app/static``
``KEK_TILES_URL``            XYZ tile URL template for a basemap         empty: no basemap
``KEK_TILES_ATTRIBUTION``    attribution text of that basemap            empty
``KEK_LANG``                 default UI language (``de`` or ``en``)      ``de``
``KEK_IMPORTS_DIR``          data imported later (walking network,       ``<geodata>/imports``
                             GTFS, newer broadband releases)
``KEK_DATABASE_URL``         SQLAlchemy URL of the database of saved     empty: SQLite file
                             scenarios, e.g.                             ``kek_geo.sqlite`` in
                             ``postgresql://kek@db/kek`` (PostGIS)       ``KEK_DATA_DIR``
``KEK_DATA_DIR``             folder of the embedded SQLite database      ``<repo>/data``
``KEK_MODE``                 ``planner`` (every page) or ``kiosk`` (the  ``planner``
                             public touch screen: stories and notes
                             only, read-only)
``KEK_KIOSK_IDLE_S``         kiosk: seconds without a touch before it    ``120``
                             returns to the start and forgets the visit
``KEK_MODERATION_PASSWORD``  password of the moderation page (also       empty: moderation
                             ``moderation_password`` in st.secrets)      locked
``KEK_NOTES_RATE``           citizen notes a session may send, per       ``5/600``
                             seconds (``notes/seconds``)
===========================  ==========================================  ======================

Basemap tiles come from the internet unless ``KEK_TILES_URL`` points at a local tile server;
by default the app makes no request outside its own server.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

from kek_geo.errors import KekGeoError

#: Root of the repository (the folder that holds ``app.py``).
REPO_ROOT = Path(__file__).resolve().parent.parent

#: CRS for all metric analysis: ETRS89 / UTM zone 32N.
ANALYSIS_CRS = "EPSG:25832"
#: CRS of the Zensus grid: ETRS89 / LAEA Europe.
GRID_CRS = "EPSG:3035"
#: CRS at the display edge (Leaflet).
DISPLAY_CRS = "EPSG:4326"

#: Default district of build-data. The app reads its district from the snapshot
#: (:mod:`kek_geo.district`), never from here.
KREIS_AGS = "05758"

#: The two ways an installation runs: every page for planners, or the public kiosk.
MODES = ("planner", "kiosk")


class SettingsError(KekGeoError):
    """An environment variable has a value KEK Geo cannot use."""


@dataclass(frozen=True)
class Settings:
    """Paths and switches of one KEK Geo installation.

    Use :func:`get_settings` to read them from the environment.
    """

    geodata_dir: Path
    raw_dir: Path
    static_url: str = "/app/static"
    tiles_url: str = ""
    tiles_attribution: str = ""
    default_lang: str = "de"
    imports_dir: Path | None = None
    database_url: str = ""
    data_dir: Path = REPO_ROOT / "data"
    mode: str = "planner"
    kiosk_idle_s: float = 120.0
    moderation_password: str = ""
    notes_per_window: int = 5
    notes_window_s: float = 600.0

    @property
    def kiosk(self) -> bool:
        """True for the public kiosk (``KEK_MODE=kiosk``)."""
        return self.mode == "kiosk"

    @property
    def leaflet_js(self) -> str:
        """URL of the vendored Leaflet script."""
        return f"{self.static_url.rstrip('/')}/leaflet/leaflet.js"

    @property
    def leaflet_css(self) -> str:
        """URL of the vendored Leaflet style sheet."""
        return f"{self.static_url.rstrip('/')}/leaflet/leaflet.css"


def _path_from_env(name: str, default: Path) -> Path:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else default


def _mode_from_env() -> str:
    mode = os.environ.get("KEK_MODE", "").strip().lower() or "planner"
    if mode not in MODES:
        msg = f"KEK_MODE must be 'planner' or 'kiosk', not {mode!r}"
        raise SettingsError(msg)
    return mode


def _positive_from_env(name: str, default: float) -> float:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        msg = f"{name} must be a positive number of seconds, not {text!r}"
        raise SettingsError(msg)
    return value


def _rate_from_env() -> tuple[int, float]:
    text = os.environ.get("KEK_NOTES_RATE", "").strip()
    if not text:
        return 5, 600.0
    count, _, seconds = text.partition("/")
    try:
        rate = int(count), float(seconds)
    except ValueError:
        rate = 0, 0.0
    if rate[0] < 1 or not math.isfinite(rate[1]) or rate[1] <= 0:
        msg = f"KEK_NOTES_RATE must look like 5/600 (notes per seconds), not {text!r}"
        raise SettingsError(msg)
    return rate


def get_settings() -> Settings:
    """Read the settings from the environment, falling back to the documented defaults.

    Returns
    -------
    Settings
        The current settings.

    Raises
    ------
    SettingsError
        If ``KEK_MODE``, ``KEK_KIOSK_IDLE_S`` or ``KEK_NOTES_RATE`` has an invalid value (a
        typo must not open the planners' app on a public screen).
    """
    geodata = _path_from_env("KEK_GEODATA_DIR", REPO_ROOT / "geodata")
    lang = os.environ.get("KEK_LANG", "de").strip().lower()
    notes, window = _rate_from_env()
    return Settings(
        geodata_dir=geodata,
        raw_dir=_path_from_env("KEK_RAW_DIR", REPO_ROOT.parent / "shared" / "data" / "raw"),
        static_url=os.environ.get("KEK_STATIC_URL", "/app/static").strip() or "/app/static",
        tiles_url=os.environ.get("KEK_TILES_URL", "").strip(),
        tiles_attribution=os.environ.get("KEK_TILES_ATTRIBUTION", "").strip(),
        default_lang=lang if lang in {"de", "en"} else "de",
        imports_dir=_path_from_env("KEK_IMPORTS_DIR", geodata / "imports"),
        database_url=os.environ.get("KEK_DATABASE_URL", "").strip(),
        data_dir=_path_from_env("KEK_DATA_DIR", REPO_ROOT / "data"),
        mode=_mode_from_env(),
        kiosk_idle_s=_positive_from_env("KEK_KIOSK_IDLE_S", 120.0),
        moderation_password=os.environ.get("KEK_MODERATION_PASSWORD", ""),
        notes_per_window=notes,
        notes_window_s=window,
    )
