"""Opening the stores of an installation: engine, migrations, store."""

from __future__ import annotations

from kek_geo.settings import Settings, get_settings
from kek_geo.storage.engine import database_url, make_engine
from kek_geo.storage.migrate import upgrade
from kek_geo.storage.scenarios import ScenarioStore


def open_store(settings: Settings | None = None) -> ScenarioStore:
    """The scenario store of an installation, its database migrated to the newest schema.

    Creates an engine, so call it once per process (in the app through
    ``st.cache_resource``), not once per rerun.

    Parameters
    ----------
    settings
        The settings (default: read from the environment).

    Returns
    -------
    ScenarioStore
        The store.
    """
    settings = settings or get_settings()
    engine = make_engine(database_url(settings))
    upgrade(engine)
    return ScenarioStore(engine)
