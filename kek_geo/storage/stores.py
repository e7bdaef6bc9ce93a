"""Opening the stores of an installation: one migrated engine, the stores on top of it."""

from __future__ import annotations

from sqlalchemy import Engine

from kek_geo.settings import Settings, get_settings
from kek_geo.storage.engine import database_url, make_engine
from kek_geo.storage.migrate import upgrade
from kek_geo.storage.notes import NoteStore
from kek_geo.storage.scenarios import ScenarioStore


def open_engine(settings: Settings | None = None) -> Engine:
    """The database of an installation, migrated to the newest schema.

    Creates an engine, so call it once per process (in the app through
    ``st.cache_resource``), not once per rerun, and share it between the stores.

    Parameters
    ----------
    settings
        The settings (default: read from the environment).

    Returns
    -------
    Engine
        The engine.
    """
    settings = settings or get_settings()
    engine = make_engine(database_url(settings))
    upgrade(engine)
    return engine


def open_store(settings: Settings | None = None) -> ScenarioStore:
    """The scenario store of an installation (see :func:`open_engine`).

    Parameters
    ----------
    settings
        The settings (default: read from the environment).

    Returns
    -------
    ScenarioStore
        The store.
    """
    return ScenarioStore(open_engine(settings))


def open_note_store(settings: Settings | None = None) -> NoteStore:
    """The citizen-note store of an installation (see :func:`open_engine`).

    Parameters
    ----------
    settings
        The settings (default: read from the environment).

    Returns
    -------
    NoteStore
        The store.
    """
    return NoteStore(open_engine(settings))
