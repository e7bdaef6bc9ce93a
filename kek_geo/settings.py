"""Settings of KEK Geo, read from environment variables.

Every setting has a documented default, so the app runs without any configuration on the
shipped data snapshot.

=========================  ==========================================  ======================
Environment variable       Meaning                                     Default
=========================  ==========================================  ======================
``KEK_GEODATA_DIR``        folder of the data snapshot                 ``<repo>/geodata``
``KEK_RAW_DIR``            folder of the raw open data                 ``<repo>/../shared/data/raw``
``KEK_STATIC_URL``         URL under which ``static/`` is served       ``/app/static``
``KEK_TILES_URL``          XYZ tile URL template for a basemap         empty: no basemap
``KEK_TILES_ATTRIBUTION``  attribution text of that basemap            empty
``KEK_LANG``               default UI language (``de`` or ``en``)      ``de``
``KEK_IMPORTS_DIR``        data imported later (walking network,       ``<geodata>/imports``
                           GTFS, newer broadband releases)
``KEK_DATABASE_URL``       SQLAlchemy URL of the database of saved     empty: SQLite file
                           scenarios, e.g.                             ``kek_geo.sqlite`` in
                           ``postgresql://kek@db/kek`` (PostGIS)       ``KEK_DATA_DIR``
``KEK_DATA_DIR``           folder of the embedded SQLite database      ``<repo>/data``
=========================  ==========================================  ======================

Basemap tiles come from the internet unless ``KEK_TILES_URL`` points at a local tile server;
by default the app makes no request outside its own server.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: Root of the repository (the folder that holds ``app.py``).
REPO_ROOT = Path(__file__).resolve().parent.parent

#: CRS for all metric analysis: ETRS89 / UTM zone 32N.
ANALYSIS_CRS = "EPSG:25832"
#: CRS of the Zensus grid: ETRS89 / LAEA Europe.
GRID_CRS = "EPSG:3035"
#: CRS at the display edge (Leaflet).
DISPLAY_CRS = "EPSG:4326"

#: Amtlicher Gemeindeschlüssel prefix of Kreis Herford.
KREIS_AGS = "05758"
#: Name of the district.
KREIS_NAME = "Kreis Herford"


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


def get_settings() -> Settings:
    """Read the settings from the environment, falling back to the documented defaults.

    Returns
    -------
    Settings
        The current settings.
    """
    geodata = _path_from_env("KEK_GEODATA_DIR", REPO_ROOT / "geodata")
    lang = os.environ.get("KEK_LANG", "de").strip().lower()
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
    )
