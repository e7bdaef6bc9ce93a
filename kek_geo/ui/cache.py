"""Cached access to the snapshot and to derived results for the Streamlit pages.

The snapshot is loaded once per folder (``st.cache_resource``: shared, never copied, never
modified). Derived results are cached by small hashable keys (indicator keys, threshold
tuples, language), never by GeoDataFrames. They belong to the snapshot in use: when the
settings point at another snapshot (tests start the app on several in one process), every
``st.cache_data`` result is dropped before that snapshot is handed out, so figures, names and
the district of one snapshot are never served for another.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import streamlit as st

from kek_geo.indicators import REGISTRY, compute_table, data_dates
from kek_geo.settings import Settings, get_settings
from kek_geo.snapshot import Snapshot
from kek_geo.thematic import overview_map, restyle_script
from kek_geo.ui.mapview import MapPayload, prepare_map
from kek_geo.views.synthesis import Details, details

ParamItems = tuple[tuple[str, float], ...]


def _unchanged(cached: Settings) -> bool:
    return cached == get_settings()


@st.cache_resource(show_spinner=False, validate=_unchanged)
def settings() -> Settings:
    """Settings of this server process (read again if the environment changed)."""
    return get_settings()


# the language is not known yet when the snapshot loads: both
@st.cache_resource(show_spinner="Lade Daten … · Loading data …")
def _snapshot(geodata_dir: str, imports_dir: str | None) -> Snapshot:
    """The snapshot in a folder; each layer is read and validated on first use."""
    return Snapshot(Path(geodata_dir), None if imports_dir is None else Path(imports_dir))


#: The snapshot the ``st.cache_data`` results were computed from (folder, imports folder).
_IN_USE: dict[str, tuple[str, str | None]] = {}
_IN_USE_LOCK = threading.Lock()


def snapshot() -> Snapshot:
    """The data snapshot of the current settings, loaded once per folder.

    Returns
    -------
    Snapshot
        The snapshot; results cached from another one were dropped first.
    """
    current = settings()
    imports = None if current.imports_dir is None else str(current.imports_dir)
    key = (str(current.geodata_dir), imports)
    with _IN_USE_LOCK:
        if _IN_USE.setdefault("key", key) != key:
            st.cache_data.clear()
            _IN_USE["key"] = key
    return _snapshot(*key)


@st.cache_data(show_spinner=False, max_entries=64)
def indicator_table(keys: tuple[str, ...], params: ParamItems = ()) -> pd.DataFrame:
    """Indicator values for the municipalities and the district.

    Parameters
    ----------
    keys
        Indicator keys.
    params
        Threshold values as sorted ``(name, value)`` pairs.

    Returns
    -------
    pandas.DataFrame
        See :func:`kek_geo.indicators.compute_table`.
    """
    return compute_table(snapshot(), [REGISTRY[k] for k in keys], dict(params))


@st.cache_data(show_spinner=False, max_entries=16)
def indicator_dates(keys: tuple[str, ...], lang: str) -> dict[str, str]:
    """The data date of each indicator (imports change only with a restart).

    Parameters
    ----------
    keys
        Indicator keys.
    lang
        Language.

    Returns
    -------
    dict
        Indicator key → date text.
    """
    return data_dates([REGISTRY[k] for k in keys], snapshot(), lang)


@st.cache_data(show_spinner=False, max_entries=32)
def synthesis_details(params: ParamItems, lang: str) -> Details:
    """The Gesamtbild sections below the map, by thresholds and language.

    Parameters
    ----------
    params
        Threshold values as sorted ``(name, value)`` pairs.
    lang
        Language.

    Returns
    -------
    Details
        See :func:`kek_geo.views.synthesis.details`.
    """
    return details(snapshot(), dict(params), lang)


@st.cache_data(show_spinner=False, max_entries=48)
def overview_restyle(indicator_key: str, lang: str, compared: bool = False) -> str:
    """Script that recolours the shown overview map for an indicator, in place.

    The overview map is drawn once per choice of layers (with its first indicator); another
    indicator only changes colours, tooltips and legend, sent as the map's overlay, so the
    switch needs no new map.

    Parameters
    ----------
    indicator_key
        Indicator for the colours.
    lang
        Language.
    compared
        Colour the difference to the district value.

    Returns
    -------
    str
        JavaScript (see :func:`kek_geo.thematic.restyle_script`).
    """
    table = indicator_table((indicator_key,))
    return restyle_script(
        snapshot(), REGISTRY[indicator_key], table[indicator_key], lang, compared=compared
    )


@st.cache_data(show_spinner=False, max_entries=48)
def overview_payload(indicator_key: str, overlays: tuple[str, ...], lang: str) -> MapPayload:
    """The rendered overview map for one indicator, overlay choice and language.

    Parameters
    ----------
    indicator_key
        Indicator for the colours.
    overlays
        Overlay keys.
    lang
        Language.

    Returns
    -------
    MapPayload
        Ready for :func:`kek_geo.ui.mapview.show_map`.
    """
    table = indicator_table((indicator_key,))
    m = overview_map(
        snapshot(),
        settings(),
        indicator=REGISTRY[indicator_key],
        values=table[indicator_key],
        overlays=overlays,
        lang=lang,
    )
    return prepare_map(m, key="overview")


def param_items(params: dict[str, float]) -> ParamItems:
    """Hashable, order-independent form of threshold parameters.

    Parameters
    ----------
    params
        Parameter mapping.

    Returns
    -------
    tuple
        Sorted ``(name, value)`` pairs.
    """
    return tuple(sorted((k, float(v)) for k, v in params.items()))


def warm_up(keys: Sequence[str]) -> None:
    """Fill the caches at start-up so the first visitor does not wait.

    Parameters
    ----------
    keys
        Indicator keys whose table to precompute.
    """
    snapshot()
    indicator_table(tuple(keys))
