"""The chosen municipality, shared by every page: picked on a map, in a list or in a table.

A click anywhere inside a municipality chooses it, whatever is drawn there. The choice is
outlined on the map (drawn over it, so the map keeps its view) and its row is highlighted
in the tables.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from kek_geo.maps import outline_script
from kek_geo.ui import cache
from kek_geo.ui.mapview import MapPayload, show_map
from kek_geo.ui_state import apply_point_click, municipality_at

#: Session key of the chosen municipality (an AGS; absent = the whole district).
SELECTED_KEY = "gemeinde"
_SEEN_KEY = "gemeinde_seen_click"


def municipalities() -> set[str]:
    """Keys of the district's municipalities (what may be chosen).

    Returns
    -------
    set of str
        Their AGS.
    """
    return set(cache.snapshot().geo("gemeinden")["ags"].astype(str))


def selected() -> str | None:
    """The chosen municipality, if any.

    Returns
    -------
    str or None
        Its AGS; ``None`` for the whole district.
    """
    value = st.session_state.get(SELECTED_KEY)
    return str(value) if value in municipalities() else None


def choose(ags: str | None) -> None:
    """Make a municipality the chosen one (``None``: the whole district).

    Parameters
    ----------
    ags
        Its AGS.
    """
    st.session_state[SELECTED_KEY] = ags


@st.cache_data(show_spinner=False, max_entries=32)
def outline(ags: str) -> str:
    """Script that outlines a municipality on a shown map.

    Parameters
    ----------
    ags
        The municipality.

    Returns
    -------
    str
        JavaScript for :func:`kek_geo.ui.mapview.show_map`'s ``overlay``.
    """
    gem = cache.snapshot().geo("gemeinden_display")
    row = gem[gem["ags"].astype(str) == ags]
    return outline_script(row.geometry.iloc[0].__geo_interface__) if len(row) else ""


def _locate(lat: float, lng: float) -> str | None:
    return municipality_at(cache.snapshot().geo("gemeinden"), lat, lng)


def _apply_click(map_key: str, value: dict[str, Any] | None) -> bool:
    # each map remembers its own last click: a page with two maps must not apply the older
    # click of one after a newer click on the other
    seen_key = f"{_SEEN_KEY}:{map_key}"
    before = selected()
    after, seen = apply_point_click(before, st.session_state.get(seen_key, ""), value, _locate)
    st.session_state[seen_key] = seen
    if after != before:
        choose(after)
    return after != before


def selecting_map(
    payload: MapPayload, *, height: int, overlay: str = "", below: bool = False
) -> str | None:
    """Show a map on which a click inside a municipality chooses it; return the choice.

    The click of the last rerun is read before the map is drawn, so the outline of the new
    choice appears at once, without a second rerun (unless the map is ``below``).

    Parameters
    ----------
    payload
        The prepared map.
    height
        Height in pixels.
    overlay
        Further script drawn over the map, e.g. the colours of another indicator
        (:func:`kek_geo.ui.cache.overview_restyle`).
    below
        The map comes after what shows the choice (a page's further map, below its table and
        link): a new choice then reruns the page at once, so all of it follows.

    Returns
    -------
    str or None
        The chosen municipality after this click.
    """
    if _apply_click(payload.key, st.session_state.get(payload.key)) and below:
        st.rerun()
    ags = selected()
    value = show_map(
        payload,
        height=height,
        returned_objects=("last_clicked",),
        overlay=(overlay + (outline(ags) if ags else "")) or None,
    )
    if _apply_click(payload.key, value):
        st.rerun()
    return selected()
